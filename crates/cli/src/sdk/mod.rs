//! Headless mode driven by a program (the Agent SDKs, or any script): `--input-format stream-json`.
//!
//! One long-lived process serves many turns. User messages and control requests arrive as JSON lines on
//! stdin while the session runs; each turn prints its event lines and one `result`; end of input ends the
//! session once the turns already asked for are done. Claurst also asks the program things
//! (`can_use_tool`, and the hook and MCP bridges), through the same pipes.

mod approvals;
mod bridges;
mod control;
mod peer;
mod wire;

pub use bridges::connect_agent;
pub use control::apply_launch_settings;
pub use peer::ControlPeer;

use crate::headless;
use crate::memory::RecordWriter;
use crate::output;
use crate::session::SessionContext;
use crate::sessions::Start;
use claurst_assistant::{Agent, SessionHandle, spawn_session_with};
use claurst_protocol::{AgentEvent, McpServerView, Op, RunOutcome};
use serde_json::Value;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use wire::Inbound;

/// Lines waiting for stdout before the session waits for the program to read them.
const LINE_BUFFER: usize = 256;
/// Messages read from stdin before the reader waits for the session.
const INBOUND_BUFFER: usize = 64;

/// Who answers the calls that need approval (`--permission-prompt-tool`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionPrompt {
    /// Nobody: they are refused, as in any headless run.
    None,
    /// The driving program, through `can_use_tool` (`stdio`).
    Stdio,
    /// A tool, usually an MCP server's (`mcp__auth__approve`), in any headless mode.
    Tool(String),
}

impl PermissionPrompt {
    pub fn from_flag(flag: Option<&str>) -> Self {
        match flag {
            None => Self::None,
            Some("stdio") => Self::Stdio,
            Some(tool) => Self::Tool(tool.to_string()),
        }
    }
}

/// The pipes to the driving program: the stdout writer, the control channel, and what stdin brought. Made
/// before the agent, so that the program's `initialize` can shape the session and the hook and MCP bridges
/// can reach the program.
pub struct Connection {
    pub peer: Arc<ControlPeer>,
    lines: mpsc::Receiver<Value>,
    inbound: mpsc::Receiver<Inbound>,
    /// The first message, read before the session started.
    first: Option<Inbound>,
}

impl Connection {
    /// Start reading stdin. A thread of its own reads it, because answers to Claurst's requests must be
    /// read while the session waits for them, whatever the session is doing.
    pub fn open() -> Self {
        let (sender, lines) = mpsc::channel(LINE_BUFFER);
        let peer = Arc::new(ControlPeer::new(sender));
        let (inbound_sender, inbound) = mpsc::channel(INBOUND_BUFFER);
        let reader_peer = peer.clone();
        std::thread::spawn(move || read_stdin(&reader_peer, &inbound_sender));
        Self { peer, lines, inbound, first: None }
    }

    /// Wait for the program's first message and return it when it is the `initialize` request: the Agent
    /// SDKs always start with it, and it may carry settings the session starts with (its system prompt, its
    /// MCP servers). Must not be called from async code.
    pub fn first_initialize(&mut self) -> Option<&Value> {
        self.first = self.inbound.blocking_recv();
        match &self.first {
            Some(Inbound::ControlRequest { request, .. })
                if request.get("subtype").and_then(Value::as_str) == Some("initialize") =>
            {
                Some(request)
            }
            _ => None,
        }
    }
}

/// How this session speaks.
pub struct Settings {
    pub permission_prompt: PermissionPrompt,
    /// How its lines are printed.
    pub stream: output::StreamOptions,
}

/// Serve the program on stdin/stdout until its input ends; the exit code is the last turn's.
pub async fn run(
    agent: Agent,
    context: SessionContext,
    mut start: Start,
    connection: Connection,
    settings: Settings,
) -> ExitCode {
    let session_id = agent.session_id();
    let Connection { peer, lines, inbound, first } = connection;
    let mut facts = control::SessionFacts::of(&agent);
    facts.launched_by_initialize = matches!(&first, Some(Inbound::ControlRequest { request, .. })
        if request.get("subtype").and_then(Value::as_str) == Some("initialize"));
    if let (true, Some(Inbound::ControlRequest { request, .. })) = (facts.launched_by_initialize, &first) {
        facts.first_hooks = Some(control::register_first_hooks(&agent, request));
    }
    let writer = tokio::spawn(write_lines(lines));
    let mut options = context.options(&mut start, false);
    options.mcp_start = claurst_assistant::McpStart::BeforeSessionStarted;
    let mut session = spawn_session_with(agent, start.conversation, options);
    let mut turns = Turns::new(peer, settings, facts);
    let code = turns.serve(&mut session, first, inbound).await;
    let _ = session.ops.send(Op::Shutdown).await;
    // Events after the last turn (the session's end) are drained so the session task can finish.
    while session.events.recv().await.is_some() {}
    if let Ok(conversation) = (&mut session.finished).await {
        context.finish(&session_id, &conversation, RecordWriter::Fallback).await;
    }
    drop(turns);
    let _ = writer.await;
    code
}

/// The state of the conversation with the program.
struct Turns {
    peer: Arc<ControlPeer>,
    settings: Settings,
    facts: control::SessionFacts,
    /// What the printer of the output lines learnt so far.
    lines: output::StreamState,
    /// Prompts sent to the session whose result is not printed yet.
    unfinished: usize,
    /// The outcome of the last finished turn, for the exit code.
    last_outcome: Option<RunOutcome>,
    /// The MCP servers as last reported, for `mcp_status`.
    mcp_servers: Vec<McpServerView>,
    /// The program asked to interrupt since the last prompt: the turn it ends is not a failure.
    interrupt_requested: bool,
}

impl Turns {
    fn new(peer: Arc<ControlPeer>, settings: Settings, facts: control::SessionFacts) -> Self {
        let lines = output::StreamState::new(settings.stream.clone());
        Self {
            peer,
            settings,
            facts,
            lines,
            unfinished: 0,
            last_outcome: None,
            mcp_servers: Vec::new(),
            interrupt_requested: false,
        }
    }

    async fn serve(
        &mut self,
        session: &mut SessionHandle,
        first: Option<Inbound>,
        mut inbound: mpsc::Receiver<Inbound>,
    ) -> ExitCode {
        // No first message: stdin was empty.
        let mut input_open = first.is_some();
        if let Some(message) = first {
            self.on_inbound(message, session).await;
        }
        loop {
            if !input_open && self.unfinished == 0 {
                break;
            }
            tokio::select! {
                event = session.events.recv() => match event {
                    Some(event) => self.on_event(event, session).await,
                    None => {
                        eprintln!("Error: the agent stopped unexpectedly; see ~/.claurst/logs/claurst.log");
                        return ExitCode::from(headless::EXIT_ERROR);
                    }
                },
                message = inbound.recv(), if input_open => match message {
                    Some(message) => self.on_inbound(message, session).await,
                    None => input_open = false,
                },
                _ = tokio::signal::ctrl_c() => {
                    let _ = session.ops.send(Op::Interrupt).await;
                }
            }
        }
        match &self.last_outcome {
            None => ExitCode::SUCCESS,
            Some(RunOutcome::Interrupted) if self.interrupt_requested => ExitCode::SUCCESS,
            Some(outcome) => headless::exit_code(outcome),
        }
    }

    async fn on_inbound(&mut self, message: Inbound, session: &SessionHandle) {
        match message {
            Inbound::User(prompt) => {
                self.unfinished += 1;
                self.interrupt_requested = false;
                let commands = &self.facts.command_names;
                let op = headless::prompt_op(prompt.text, prompt.images, |name| {
                    commands.iter().any(|c| c == name)
                });
                let _ = session.ops.send(op).await;
            }
            Inbound::ControlRequest { request_id, request } => {
                let ops = session.ops.clone();
                let line = match control::answer(&request, self, &ops).await {
                    Ok(response) => wire::success(&request_id, response),
                    Err(message) => wire::error(&request_id, &message),
                };
                self.peer.send_line(line).await;
            }
            // The reader routes answers itself and drops ignored lines.
            Inbound::ControlResponse { .. } | Inbound::Ignored => {}
        }
    }

    async fn on_event(&mut self, event: AgentEvent, session: &SessionHandle) {
        headless::report_hooks(&event);
        match &event {
            AgentEvent::SessionStarted(info) => self.mcp_servers = info.mcp_servers.clone(),
            AgentEvent::McpServers(servers) => self.mcp_servers = servers.clone(),
            AgentEvent::RunFinished(summary) => {
                self.unfinished = self.unfinished.saturating_sub(1);
                self.last_outcome = Some(summary.outcome.clone());
            }
            _ => {}
        }
        for line in output::stream_line(&event, &mut self.lines) {
            self.peer.send_line(line).await;
        }
        let program_answers = self.settings.permission_prompt == PermissionPrompt::Stdio;
        match event {
            AgentEvent::ApprovalRequested(request) => {
                if program_answers {
                    tokio::spawn(approvals::ask(self.peer.clone(), request, session.ops.clone()));
                } else {
                    // Only asked when the program approves; refusing is the safe answer if it ever is.
                    request.responder.respond(claurst_protocol::Decision::Deny);
                }
            }
            // The program answers questions and reviews plans through `can_use_tool`, as Claude Code's SDK
            // hosts do; otherwise the request is dropped and the model hears that no one could answer.
            AgentEvent::QuestionAsked(request) if program_answers => {
                tokio::spawn(approvals::ask_questions(self.peer.clone(), request, session.ops.clone()));
            }
            AgentEvent::PlanReviewRequested(request) if program_answers => {
                tokio::spawn(approvals::review_plan(self.peer.clone(), request, session.ops.clone()));
            }
            _ => {}
        }
    }
}

/// Print each line as it comes, flushed, so that the program sees it at once.
async fn write_lines(mut lines: mpsc::Receiver<Value>) {
    let mut stdout = tokio::io::stdout();
    while let Some(line) = lines.recv().await {
        let mut text = line.to_string();
        text.push('\n');
        if stdout.write_all(text.as_bytes()).await.is_err() || stdout.flush().await.is_err() {
            break;
        }
    }
}

/// Read stdin line by line: answers go straight to the requests that wait for them (the session may be
/// waiting on one), everything else to the turn loop. At end of input every waiting request fails.
fn read_stdin(peer: &ControlPeer, inbound: &mpsc::Sender<Inbound>) {
    use std::io::BufRead;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        match wire::parse_line(&line) {
            Ok(Inbound::ControlResponse { request_id, outcome }) => peer.answer(&request_id, outcome),
            Ok(Inbound::Ignored) => {}
            Ok(message) => {
                if inbound.blocking_send(message).is_err() {
                    break;
                }
            }
            Err(problem) => eprintln!("warning: ignored a line on stdin: {problem}"),
        }
    }
    peer.close();
}
