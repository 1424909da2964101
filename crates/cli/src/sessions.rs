//! Which conversation a run starts from: a new session, `--continue`, or `--resume [id]`.

use crate::args::Args;
use anyhow::{Result, bail};
use claurst_assistant::{AgentConfig, Conversation, SessionStore};
use claurst_protocol::HistoryItem;

/// The conversation to start with, and what the front-end must show or do first.
pub struct Start {
    pub conversation: Conversation,
    pub history: Vec<HistoryItem>,
    /// `--resume` without an id in the interface: open the session picker.
    pub pick_session: bool,
    pub warnings: Vec<String>,
}

/// Open or create the session's transcript, and point the agent at it.
pub fn start(
    args: &Args,
    store: &SessionStore,
    config: &mut AgentConfig,
    interactive: bool,
) -> Result<Start> {
    let resume_id = match (&args.resume, args.continue_session) {
        (Some(id), _) if !id.is_empty() => Some(id.clone()),
        (Some(_), _) if !interactive => {
            bail!(
                "--resume needs a session id in headless mode\n  pass one (claurst -r <id> -p …), or use --continue for the latest"
            );
        }
        (_, true) => match store.latest()? {
            Some(id) => Some(id),
            None => bail!(
                "there is no saved session to continue in {}\n  start one with `claurst`",
                store.project_root.display()
            ),
        },
        _ => None,
    };
    if let Some(id) = &args.session_id
        && store.contains(id)
    {
        bail!(
            "--session-id {id}: a session with this id is already saved\n  pass a new UUID, or resume it: claurst -r {id}"
        );
    }
    if let Some(id) = resume_id {
        let resumed = match (args.fork_session, &args.session_id) {
            (true, new_id) => store.fork(&id, new_id.as_deref())?,
            (false, None) => store.resume(&id)?,
            (false, Some(_)) => bail!(
                "--session-id with --resume or --continue needs --fork-session: the resumed session keeps its id\n  \
                 add --fork-session to go on under the new id"
            ),
        };
        config.session_id = Some(resumed.session_id.clone());
        if args.model.is_none() {
            config.model = resumed.model.clone();
        }
        return Ok(Start {
            conversation: resumed.conversation,
            history: resumed.history,
            pick_session: false,
            warnings: resumed.warnings,
        });
    }
    if args.fork_session {
        bail!("--fork-session needs --resume or --continue: there is no session to fork");
    }
    // A requested id is the session's, saved or not: programs find the session by it.
    config.session_id = args.session_id.clone();
    let (conversation, warnings) = match store.create_with_id(&config.model, args.session_id.as_deref()) {
        Ok(transcript) => {
            config.session_id = Some(transcript.session_id());
            (Conversation::new().with_transcript(transcript), Vec::new())
        }
        Err(error) => (Conversation::new(), vec![format!("this session will not be saved: {error}")]),
    };
    Ok(Start { conversation, history: Vec::new(), pick_session: args.resume.is_some(), warnings })
}
