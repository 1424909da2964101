//! A running session: the agent as a task, driven by `Op`s and reporting `AgentEvent`s.

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::events::EventSink;
use crate::hooks::PromptVerdict;
pub use crate::mcp::McpStart;
use crate::memory::SessionMemory;
use crate::store::SessionStore;
use claurst_protocol::{
    AgentEvent, CompactionCause, ContentBlock, HistoryItem, ImageSource, McpRequest, Message, Op, ReportKind,
    SessionInfo, Usage,
};
use std::collections::VecDeque;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

mod controls;
#[cfg(feature = "proactive")]
mod kairos_glue;
mod rewind;
use controls::{AfterJob, apply_while_running};

/// Events buffered between the agent and a slow front-end before the agent waits.
const EVENT_BUFFER: usize = 256;
/// What a front-end shows as the prompt of `/init`.
const INIT_SHOWN: &str = "/init · Analysing the project…";
/// Ops buffered between a front-end and the agent.
const OP_BUFFER: usize = 64;

/// A front-end's end of a session.
pub struct SessionHandle {
    pub ops: mpsc::Sender<Op>,
    pub events: mpsc::Receiver<AgentEvent>,
    /// Resolves to the final conversation once the session ends (after `Op::Shutdown` or when `ops` closes).
    pub finished: JoinHandle<Conversation>,
}

/// What a session does besides answering prompts.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// The memory directory: `/memory` and `/dream` report on it.
    pub memory: Option<SessionMemory>,
    /// Dream in the background at start when the gate allows (interactive sessions).
    pub background_dream: bool,
    /// Where transcripts are kept: `/clear` starts a new one, `/resume` reopens one.
    pub store: Option<SessionStore>,
    /// The past of a resumed session, sent to the front-end at start.
    pub history: Vec<HistoryItem>,
    /// When the MCP servers start.
    pub mcp_start: McpStart,
    /// What KAIROS's ticks poll besides the project (the pull-request watcher); used only when the agent's
    /// config runs KAIROS.
    #[cfg(feature = "proactive")]
    pub kairos_watches: crate::kairos::Watches,
}

/// Start the agent as a task. It first emits `SessionStarted`, then waits for prompts.
pub fn spawn_session(agent: Agent, conversation: Conversation) -> SessionHandle {
    spawn_session_with(agent, conversation, SessionOptions::default())
}

/// Start the agent as a task with `options`.
pub fn spawn_session_with(
    agent: Agent,
    conversation: Conversation,
    options: SessionOptions,
) -> SessionHandle {
    let (op_sender, op_receiver) = mpsc::channel(OP_BUFFER);
    let (event_sender, event_receiver) = mpsc::channel(EVENT_BUFFER);
    #[cfg(feature = "proactive")]
    let (kairos, event_sender) = kairos_glue::start(&agent, &options, event_sender, EVENT_BUFFER);
    let actor = SessionActor {
        agent,
        conversation,
        ops: op_receiver,
        sink: EventSink::new(event_sender),
        queued: VecDeque::new(),
        shutting_down: false,
        options,
        #[cfg(feature = "proactive")]
        kairos,
    };
    let finished = tokio::spawn(actor.run());
    SessionHandle { ops: op_sender, events: event_receiver, finished }
}

/// Something that runs until done or interrupted, one at a time, in the order asked.
#[derive(Debug)]
enum Job {
    /// The user's prompt, with the images sent along (none from a terminal).
    Prompt {
        text: String,
        images: Vec<ImageSource>,
    },
    /// An MCP server's prompt (`/mcp__server__prompt args`), run as the user's prompt.
    McpPrompt {
        server: String,
        prompt: String,
        arguments: Vec<(String, String)>,
    },
    /// A custom command or a skill the user typed (`/name args`).
    Command {
        name: String,
        arguments: String,
    },
    Shell(String),
    Compact(Option<String>),
    Resume(String),
    Init,
    /// A KAIROS tick that found something to act on.
    #[cfg(feature = "proactive")]
    Tick(crate::kairos::TickRun),
}

impl Job {
    /// The ops that become jobs.
    fn from_op(op: Op) -> Result<Job, Op> {
        match op {
            Op::Prompt { text } => Ok(Job::Prompt { text, images: Vec::new() }),
            Op::PromptWithImages { text, images } => Ok(Job::Prompt { text, images }),
            Op::RunShell { command } => Ok(Job::Shell(command)),
            Op::Compact { instructions } => Ok(Job::Compact(instructions)),
            Op::ResumeSession { session_id } => Ok(Job::Resume(session_id)),
            Op::InitProject => Ok(Job::Init),
            Op::RunCommand { name, arguments } => Ok(Job::Command { name, arguments }),
            Op::Mcp(McpRequest::RunPrompt { server, prompt, arguments }) => {
                Ok(Job::McpPrompt { server, prompt, arguments })
            }
            other => Err(other),
        }
    }

    /// Whether the job gives way to any job the user asks for meanwhile.
    fn yields_to_user(&self) -> bool {
        #[cfg(feature = "proactive")]
        if matches!(self, Job::Tick(_)) {
            return true;
        }
        false
    }
}

struct SessionActor {
    agent: Agent,
    conversation: Conversation,
    ops: mpsc::Receiver<Op>,
    sink: EventSink,
    /// Jobs asked for while another was running.
    queued: VecDeque<Job>,
    shutting_down: bool,
    options: SessionOptions,
    /// KAIROS, when the session runs it.
    #[cfg(feature = "proactive")]
    kairos: Option<crate::kairos::Kairos>,
}

impl SessionActor {
    async fn run(mut self) -> Conversation {
        // Gathering the environment spawns `git` processes: like MCP servers, they wait for the first frame.
        if self.options.mcp_start != McpStart::WhenFrontEndReady {
            self.agent.start_gathering_environment();
        }
        match self.options.mcp_start {
            McpStart::AtSessionStart => self.agent.start_mcp(),
            McpStart::BeforeSessionStarted => self.agent.settle_mcp().await,
            // `Op::FrontEndReady` starts them (or the first model request, whichever comes first).
            McpStart::WhenFrontEndReady => {}
        }
        self.sink.emit(AgentEvent::SessionStarted(self.info())).await;
        self.agent.report_hook_setup(&self.sink).await;
        self.agent.set_transcript_path(self.conversation.transcript_path());
        let source = if self.options.history.is_empty() { "startup" } else { "resume" };
        self.agent.session_start_hooks(source, &self.sink).await;
        self.agent.report_mcp_changes(&self.sink).await;
        report_namespace_check(&self.agent, &self.sink);
        for text in self.agent.startup_notices.clone() {
            self.notice(&text).await;
        }
        if !self.options.history.is_empty() {
            let items = std::mem::take(&mut self.options.history);
            let calls = self.agent.describe_history(&items);
            self.sink
                .emit(AgentEvent::HistoryLoaded { session_id: self.agent.session_id(), items, calls })
                .await;
            self.agent.report_usage(&self.conversation, &Usage::default(), &self.sink).await;
        }
        if let Some(memory) = &self.options.memory {
            self.sink.emit(AgentEvent::DreamStatus(memory.status())).await;
            if self.options.background_dream {
                memory.spawn_background_dream(self.agent.config().clone(), self.sink.clone());
            }
        }
        #[cfg(feature = "proactive")]
        if let Some(kairos) = self.kairos.as_mut() {
            kairos.announce(&self.sink).await;
        }
        while !self.shutting_down {
            let job = match self.queued.pop_front() {
                Some(job) => job,
                None => match self.wait_idle().await {
                    Some(Ok(job)) => job,
                    Some(Err(op)) => {
                        let mut after = AfterJob::default();
                        self.apply(op, &mut after, &CancellationToken::new()).await;
                        self.finish_job(after).await;
                        continue;
                    }
                    None => break,
                },
            };
            self.run_job(job).await;
        }
        #[cfg(feature = "proactive")]
        if let Some(kairos) = &self.kairos {
            kairos.stop("the session ended");
        }
        self.agent.session_end_hooks("other", &self.sink).await;
        self.agent.shutdown_mcp().await;
        self.agent.shutdown_lsp().await;
        self.conversation
    }

    /// Wait while idle for the next op, or a KAIROS tick that acts; `None` once the front-end is gone.
    async fn wait_idle(&mut self) -> Option<Result<Job, Op>> {
        #[cfg(feature = "proactive")]
        if let Some(kairos) = self.kairos.as_mut() {
            return kairos_glue::wait_idle(kairos, &mut self.ops, &self.sink, &self.conversation).await;
        }
        self.ops.recv().await.map(Job::from_op)
    }

    /// Run one job, applying ops that arrive meanwhile (Esc interrupts any of them).
    async fn run_job(&mut self, job: Job) {
        // A resume or `/clear` since the last job moved the session to another file.
        self.agent.set_transcript_path(self.conversation.transcript_path());
        // What the user asked for as they see it, and what the model is sent.
        let prompt = match &job {
            Job::Prompt { text, .. } => Some((text.clone(), self.agent.with_mcp_resources(text).await)),
            // The front-end shows what is happening, not the long instructions the model is sent.
            Job::Init => Some((INIT_SHOWN.to_string(), self.init_prompt())),
            Job::McpPrompt { server, prompt, arguments } => {
                let typed = std::iter::once(format!("/mcp__{server}__{prompt}"))
                    .chain(arguments.iter().map(|(_, value)| value.clone()))
                    .collect::<Vec<_>>()
                    .join(" ");
                match self.agent.mcp_prompt_text(server, prompt, arguments.clone()).await {
                    Ok(text) => Some((typed, text)),
                    Err(text) => {
                        self.notice(&text).await;
                        return;
                    }
                }
            }
            _ => None,
        };
        if let Some((shown, sent)) = prompt {
            let sent = match self.agent.submit_prompt(sent, &self.sink).await {
                PromptVerdict::Send(sent) => sent,
                PromptVerdict::Dropped(reason) => {
                    self.prompt_dropped(shown, &reason).await;
                    return;
                }
            };
            let mut message = Message::user(sent);
            if let Job::Prompt { images, .. } = &job {
                // Images go before the text, where the model reads them as what the text is about.
                let images = images.iter().map(|source| ContentBlock::Image { source: source.clone() });
                message.content.splice(0..0, images);
            }
            self.begin_checkpoint(&shown);
            self.conversation.push(message);
            self.sink.emit(AgentEvent::RunStarted { prompt: shown }).await;
        }
        #[cfg(feature = "proactive")]
        if let Job::Tick(tick) = &job {
            self.begin_checkpoint(&tick.shown);
            self.conversation.push(Message::user(tick.prompt.clone()));
            self.sink.emit(AgentEvent::RunStarted { prompt: tick.shown.clone() }).await;
            kairos_glue::set_budget(&self.agent, self.kairos.as_ref(), &self.sink);
        }
        if let Job::Resume(id) = &job {
            self.resume(id).await;
            return;
        }
        let cancel = CancellationToken::new();
        let mut after = AfterJob::default();
        #[cfg_attr(not(feature = "proactive"), allow(unused_mut))]
        let mut tick_summary: Option<claurst_protocol::RunSummary> = None;
        let yields = job.yields_to_user();
        {
            let (agent, conversation, sink) = (&self.agent, &mut self.conversation, &self.sink);
            let work = async {
                match &job {
                    Job::Prompt { .. } | Job::Init | Job::McpPrompt { .. } => {
                        // The outcome reaches the front-end as `RunFinished`.
                        let _ = agent.run_conversation(conversation, sink, &cancel).await;
                    }
                    Job::Command { name, arguments } => {
                        agent.run_command(name, arguments, conversation, sink, &cancel).await
                    }
                    Job::Shell(command) => agent.run_user_shell(command, conversation, sink, &cancel).await,
                    Job::Compact(instructions) => {
                        compact_on_request(agent, conversation, instructions.as_deref(), sink, &cancel).await
                    }
                    Job::Resume(_) => {}
                    #[cfg(feature = "proactive")]
                    Job::Tick(_) => {
                        tick_summary = Some(agent.run_conversation(conversation, sink, &cancel).await.0)
                    }
                }
            };
            tokio::pin!(work);
            loop {
                tokio::select! {
                    _ = &mut work => break,
                    op = self.ops.recv() => match op {
                        Some(op) => {
                            #[cfg(feature = "proactive")]
                            let Some(op) = kairos_glue::intercept(self.kairos.as_mut(), op, &self.sink).await else { continue };
                            match Job::from_op(op) {
                                Ok(job) => {
                                    // A KAIROS tick gives way: the user's job runs as soon as it has stopped.
                                    if yields {
                                        cancel.cancel();
                                    }
                                    self.queued.push_back(job)
                                }
                                Err(Op::WithdrawQueuedPrompt { text }) => withdraw_queued(&mut self.queued, &text),
                                Err(op) => apply_while_running(&self.agent, &self.sink, op, &mut after, &cancel, &mut self.shutting_down).await,
                            }
                        }
                        None => {
                            self.shutting_down = true;
                            cancel.cancel();
                        }
                    },
                }
            }
        }
        #[cfg(feature = "proactive")]
        if let Job::Tick(tick) = &job {
            kairos_glue::tick_finished(
                &self.agent,
                self.kairos.as_mut(),
                tick,
                tick_summary.as_ref(),
                &self.conversation,
                &self.sink,
            )
            .await;
        }
        let _ = &tick_summary;
        self.finish_job(after).await;
    }

    async fn finish_job(&mut self, after: AfterJob) {
        if let Some(model) = after.model_changed {
            self.conversation.note(claurst_session::Note::ModelChanged { model });
        }
        if after.clear {
            self.clear().await;
        }
    }

    /// Apply an op that is not a job while idle.
    async fn apply(&mut self, op: Op, after: &mut AfterJob, cancel: &CancellationToken) {
        match op {
            Op::Report(ReportKind::Context) => {
                let usage = self.agent.context_usage(&self.conversation);
                self.sink.emit(AgentEvent::ContextUsage(usage)).await;
            }
            Op::Report(ReportKind::Doctor) => {
                let text = self.agent.doctor_report().await;
                self.sink.emit(AgentEvent::Report { kind: ReportKind::Doctor, text }).await;
            }
            Op::Report(kind) => {
                let text = self.report(kind);
                self.sink.emit(AgentEvent::Report { kind, text }).await;
            }
            Op::WriteBugReport { terminal, recent, include_conversation } => {
                let request = crate::bug_report::BugReportRequest { terminal, recent, include_conversation };
                let text = self.agent.write_bug_report(&request, &self.conversation);
                self.notice(&text).await;
            }
            Op::ListSessions => self.list_sessions().await,
            Op::ListCheckpoints => self.list_checkpoints().await,
            Op::Rewind { turn, scope } => self.rewind(turn, scope).await,
            op => {
                apply_while_running(&self.agent, &self.sink, op, after, cancel, &mut self.shutting_down).await
            }
        }
    }

    fn report(&self, kind: ReportKind) -> String {
        match kind {
            ReportKind::Cost => return self.conversation.ledger.report(),
            ReportKind::Hooks => return self.agent.hooks_report(),
            ReportKind::Skills => return self.agent.config().extensions.skills_report(),
            ReportKind::Memory | ReportKind::Dream => {}
            // Answered in `apply`, which has what they need.
            ReportKind::Context | ReportKind::Doctor => return String::new(),
        }
        let Some(memory) = &self.options.memory else {
            return "Memory is not enabled in this session.".into();
        };
        match kind {
            ReportKind::Memory => memory.report(),
            ReportKind::Dream
            | ReportKind::Cost
            | ReportKind::Hooks
            | ReportKind::Skills
            | ReportKind::Context
            | ReportKind::Doctor => memory.status().summary,
        }
    }

    async fn list_sessions(&self) {
        let Some(store) = &self.options.store else {
            self.notice("Sessions are not saved in this mode.").await;
            return;
        };
        match store.list() {
            Ok(sessions) => self.sink.emit(AgentEvent::SessionList { sessions }).await,
            Err(error) => self.notice(&format!("Cannot list the saved sessions: {error}")).await,
        }
    }

    /// Continue a saved session instead of this one.
    async fn resume(&mut self, id: &str) {
        let Some(store) = self.options.store.clone() else {
            self.notice("Sessions are not saved in this mode.").await;
            return;
        };
        match store.resume(id) {
            Ok(resumed) => {
                for warning in &resumed.warnings {
                    self.notice(warning).await;
                }
                self.agent.set_session_id(&resumed.session_id);
                let model = match self.agent.set_model(&resumed.model) {
                    Ok(model) => model,
                    Err(error) => {
                        self.notice(&format!(
                            "The session's model {} is unavailable: {error}",
                            resumed.model
                        ))
                        .await;
                        self.agent.model()
                    }
                };
                self.conversation = resumed.conversation;
                self.queued.clear();
                let session_id = resumed.session_id;
                self.sink.emit(AgentEvent::ModelChanged(model)).await;
                let calls = self.agent.describe_history(&resumed.history);
                self.sink.emit(AgentEvent::HistoryLoaded { session_id, items: resumed.history, calls }).await;
                self.agent.report_usage(&self.conversation, &Usage::default(), &self.sink).await;
            }
            Err(error) => self.notice(&format!("Cannot resume {id}: {error}")).await,
        }
    }

    /// A UserPromptSubmit hook dropped the prompt: the user sees it, why, and that no run took place.
    async fn prompt_dropped(&mut self, shown: String, reason: &str) {
        self.sink.emit(AgentEvent::RunStarted { prompt: shown }).await;
        let text = format!("A UserPromptSubmit hook blocked this prompt; it was not sent: {reason}");
        self.notice(&text).await;
        let summary = claurst_protocol::RunSummary {
            outcome: claurst_protocol::RunOutcome::Error(text),
            final_text: String::new(),
            num_turns: 0,
            duration_ms: 0,
            duration_api_ms: 0,
            total_cost_usd: self.conversation.total_cost_usd(),
            usage: Usage::default(),
            session_id: self.agent.session_id(),
            permission_denials: Vec::new(),
            model_usage: self.conversation.model_usage(),
        };
        self.sink.emit(AgentEvent::RunFinished(summary)).await;
    }

    /// Start a fresh conversation; the old one stays saved under its own id.
    async fn clear(&mut self) {
        self.agent.session_end_hooks("clear", &self.sink).await;
        let transcript = match &self.options.store {
            Some(store) => match store.create(&self.agent.model()) {
                Ok(transcript) => Some(transcript),
                Err(error) => {
                    self.notice(&format!("The new session will not be saved: {error}")).await;
                    None
                }
            },
            None => None,
        };
        let session_id =
            transcript.as_ref().map(|t| t.session_id()).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.agent.set_session_id(&session_id);
        self.conversation.restart(transcript);
        self.queued.clear();
        self.sink.emit(AgentEvent::ConversationCleared).await;
        self.sink.emit(AgentEvent::SessionStarted(self.info())).await;
        self.agent.set_transcript_path(self.conversation.transcript_path());
        self.agent.session_start_hooks("clear", &self.sink).await;
    }

    /// The prompt behind `/init`.
    fn init_prompt(&self) -> String {
        let root = self.agent.project_root().to_path_buf();
        let existing = match &self.options.store {
            Some(store) => claurst_session::load_instructions(&store.paths, &root),
            None => claurst_session::LoadedInstructions::default(),
        };
        claurst_session::instructions::init_prompt(&root, &existing)
    }

    async fn notice(&self, text: &str) {
        self.sink.emit(AgentEvent::Notice { text: text.to_string() }).await;
    }

    fn info(&self) -> SessionInfo {
        SessionInfo {
            session_id: self.agent.session_id(),
            model: self.agent.model(),
            cwd: self.agent.project_root().display().to_string(),
            tools: self.agent.tool_names(),
            permission_mode: self.agent.permission_mode(),
            mcp_servers: self.agent.mcp_servers(),
            hooks_awaiting_approval: self.agent.hooks_awaiting_approval(),
            commands: self.agent.config().extensions.command_views(),
            output_styles: self.agent.config().extensions.style_views(),
            output_style: self.agent.output_style(),
            agents: self.agent.agent_types.views(),
        }
    }
}

async fn compact_on_request(
    agent: &Agent,
    conversation: &mut Conversation,
    instructions: Option<&str>,
    sink: &EventSink,
    cancel: &CancellationToken,
) {
    let text = match agent.compact(conversation, instructions, CompactionCause::User, sink, cancel).await {
        Ok(true) => return,
        Ok(false) => {
            "There is nothing to compact yet: the conversation is short enough to keep whole.".to_string()
        }
        Err(crate::error::AgentError::Interrupted) => {
            "Compaction interrupted; the conversation is unchanged.".to_string()
        }
        Err(error) => format!("Compaction failed ({error}); the conversation is unchanged."),
    };
    sink.emit(AgentEvent::Notice { text }).await;
}

/// Wait for the sandbox's namespace check off the session's path (it is a short process the kernel
/// checks started), and say so when protected paths are not kernel-enforced.
fn report_namespace_check(agent: &Agent, sink: &EventSink) {
    let check = agent.namespace_check.clone();
    let sink = sink.clone();
    tokio::spawn(async move {
        if let Ok(Some(text)) = tokio::task::spawn_blocking(move || check.notice()).await {
            sink.emit(AgentEvent::Notice { text }).await;
        }
    });
}

/// The user took a queued prompt back to edit it: the last one queued with that text goes.
fn withdraw_queued(queued: &mut VecDeque<Job>, text: &str) {
    let position = queued.iter().rposition(
        |job| matches!(job, Job::Prompt { text: queued, images } if queued == text && images.is_empty()),
    );
    if let Some(position) = position {
        queued.remove(position);
    }
}
