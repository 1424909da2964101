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
    if let Some(id) = resume_id {
        let resumed = store.resume(&id)?;
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
    let (conversation, warnings) = match store.create(&config.model) {
        Ok(transcript) => {
            config.session_id = Some(transcript.session_id());
            (Conversation::new().with_transcript(transcript), Vec::new())
        }
        Err(error) => (Conversation::new(), vec![format!("this session will not be saved: {error}")]),
    };
    Ok(Start { conversation, history: Vec::new(), pick_session: args.resume.is_some(), warnings })
}
