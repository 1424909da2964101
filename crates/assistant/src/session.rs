//! A running session: the agent as a task, driven by `Op`s and reporting `AgentEvent`s.

use crate::agent::Agent;
use crate::conversation::Conversation;
use crate::events::EventSink;
use crate::memory::SessionMemory;
use claurst_protocol::{AgentEvent, Message, Op, ReportKind, SessionInfo};
use std::collections::VecDeque;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Events buffered between the agent and a slow front-end before the agent waits.
const EVENT_BUFFER: usize = 256;
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
    let actor = SessionActor {
        agent,
        conversation,
        ops: op_receiver,
        sink: EventSink::new(event_sender),
        queued: VecDeque::new(),
        shutting_down: false,
        options,
    };
    let finished = tokio::spawn(actor.run());
    SessionHandle { ops: op_sender, events: event_receiver, finished }
}

struct SessionActor {
    agent: Agent,
    conversation: Conversation,
    ops: mpsc::Receiver<Op>,
    sink: EventSink,
    /// Prompts and shell commands sent while a run was in progress, handled in order afterwards.
    queued: VecDeque<Job>,
    shutting_down: bool,
    options: SessionOptions,
}

/// Something the user asked for that runs until done or interrupted.
enum Job {
    Prompt(String),
    Shell(String),
}

/// What to do once the current run has ended.
#[derive(Default)]
struct AfterRun {
    clear: bool,
}

impl SessionActor {
    async fn run(mut self) -> Conversation {
        self.sink.emit(AgentEvent::SessionStarted(self.info())).await;
        if let Some(memory) = &self.options.memory {
            self.sink.emit(AgentEvent::DreamStatus(memory.status())).await;
            if self.options.background_dream {
                memory.spawn_background_dream(self.agent.config().clone(), self.sink.clone());
            }
        }
        while !self.shutting_down {
            let job = match self.queued.pop_front() {
                Some(job) => job,
                None => match self.ops.recv().await {
                    Some(Op::Prompt { text }) => Job::Prompt(text),
                    Some(Op::RunShell { command }) => Job::Shell(command),
                    Some(op) => {
                        self.apply(op, &mut AfterRun::default(), None).await;
                        continue;
                    }
                    None => break,
                },
            };
            self.run_job(job).await;
        }
        self.conversation
    }

    /// Run a prompt or a shell command, applying ops that arrive meanwhile (Esc interrupts either).
    async fn run_job(&mut self, job: Job) {
        if let Job::Prompt(prompt) = &job {
            self.conversation.push(Message::user(prompt.clone()));
            self.sink.emit(AgentEvent::RunStarted { prompt: prompt.clone() }).await;
        }
        let cancel = CancellationToken::new();
        let mut after = AfterRun::default();
        {
            let (agent, conversation, sink) = (&self.agent, &mut self.conversation, &self.sink);
            let run = async {
                match &job {
                    Job::Prompt(_) => {
                        // The outcome reaches the front-end as `RunFinished`.
                        let _ = agent.run_conversation(conversation, sink, &cancel).await;
                    }
                    Job::Shell(command) => agent.run_user_shell(command, conversation, sink, &cancel).await,
                }
            };
            tokio::pin!(run);
            loop {
                tokio::select! {
                    _ = &mut run => break,
                    op = self.ops.recv() => match op {
                        Some(op) => apply_during_run(&self.agent, &self.sink, &mut self.queued, op, &mut after, &cancel, &mut self.shutting_down).await,
                        None => {
                            self.shutting_down = true;
                            cancel.cancel();
                        }
                    },
                }
            }
        }
        if after.clear {
            self.clear().await;
        }
    }

    /// Apply an op while no run is in progress.
    async fn apply(&mut self, op: Op, after: &mut AfterRun, cancel: Option<&CancellationToken>) {
        let idle_cancel = CancellationToken::new();
        let cancel = cancel.unwrap_or(&idle_cancel);
        if let Op::Report(kind) = op {
            let text = self.report(kind);
            self.sink.emit(AgentEvent::Report { kind, text }).await;
            return;
        }
        apply_during_run(
            &self.agent,
            &self.sink,
            &mut self.queued,
            op,
            after,
            cancel,
            &mut self.shutting_down,
        )
        .await;
        if after.clear {
            self.clear().await;
        }
    }

    fn report(&self, kind: ReportKind) -> String {
        let Some(memory) = &self.options.memory else {
            return "Memory is not enabled in this session.".into();
        };
        match kind {
            ReportKind::Memory => memory.report(),
            ReportKind::Dream => memory.status().summary,
        }
    }

    async fn clear(&mut self) {
        self.conversation.clear();
        self.queued.clear();
        self.sink.emit(AgentEvent::ConversationCleared).await;
    }

    fn info(&self) -> SessionInfo {
        SessionInfo {
            session_id: self.agent.session_id().to_string(),
            model: self.agent.model(),
            cwd: self.agent.project_root().display().to_string(),
            tools: self.agent.tool_names().into_iter().map(str::to_string).collect(),
            permission_mode: self.agent.permission_mode(),
        }
    }
}

/// Apply an op. It borrows the actor's parts separately because the running turn holds the conversation.
async fn apply_during_run(
    agent: &Agent,
    sink: &EventSink,
    queued: &mut VecDeque<Job>,
    op: Op,
    after: &mut AfterRun,
    cancel: &CancellationToken,
    shutting_down: &mut bool,
) {
    match op {
        Op::Prompt { text } => queued.push_back(Job::Prompt(text)),
        Op::RunShell { command } => queued.push_back(Job::Shell(command)),
        Op::Interrupt => cancel.cancel(),
        Op::SetPermissionMode(mode) => {
            agent.set_permission_mode(mode);
            sink.emit(AgentEvent::PermissionModeChanged(mode)).await;
        }
        Op::SetModel(model) => {
            agent.set_model(&model);
            sink.emit(AgentEvent::ModelChanged(model)).await;
        }
        Op::ClearConversation => {
            cancel.cancel();
            after.clear = true;
        }
        Op::Shutdown => {
            cancel.cancel();
            *shutting_down = true;
        }
        // Reports are answered between runs, when the session is idle.
        Op::Report(kind) => {
            sink.emit(AgentEvent::Notice {
                text: format!("The {kind:?} report will show when the current turn ends; ask again then."),
            })
            .await
        }
    }
}
