//! Running a custom command or a skill the user typed (`/name args`): its prompt is built here, with `@file`
//! contents read through the permission engine's read rules and `` !`cmd` `` run as a shell tool call (so
//! the engine, the sandbox and approvals apply exactly as to the model's own calls).

use crate::agent::{Agent, Current, RunStats};
use crate::conversation::Conversation;
use crate::events::EventSink;
use claurst_extensions::commands::{Piece, pieces, substitute_arguments};
use claurst_permissions::{Access, RuleSet, Verdict};
use claurst_protocol::{AgentEvent, ContentBlock, Message, ToolFamily, ToolResultContent};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio_util::sync::CancellationToken;

/// Included file contents past this many bytes are cut.
const MAX_INCLUDED_BYTES: usize = 100_000;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// What `/name` runs: the text to expand and what the run may use.
struct CommandPlan {
    /// Text put before the prompt as it is (a skill's instructions are never expanded).
    preamble: String,
    body: String,
    allowed_tools: Vec<String>,
    model: Option<String>,
}

/// What a command run changed that must be put back when it ends.
struct RunScope {
    /// The model before the command's own, and the label of the command's model.
    previous_model: Option<(Current, String)>,
}

impl Agent {
    /// Whether `/name` is a custom command or a skill of this session.
    pub fn has_command(&self, name: &str) -> bool {
        // Not `plan(name).is_some()`: a skill's plan lists its folder on disk.
        let catalog = &self.config.extensions;
        catalog.commands.iter().any(|command| command.name == name)
            || catalog.skills.iter().any(|skill| skill.name == name)
    }

    fn plan(&self, name: &str) -> Option<CommandPlan> {
        let catalog = &self.config.extensions;
        if let Some(command) = catalog.commands.iter().find(|command| command.name == name) {
            return Some(CommandPlan {
                preamble: String::new(),
                body: command.body.clone(),
                allowed_tools: command.allowed_tools.clone(),
                model: command.model.clone(),
            });
        }
        // A skill typed by the user: its instructions, then what the user asked. Its `allowed-tools`
        // grants nothing (see spec/extensions.md).
        catalog.skills.iter().find(|skill| skill.name == name).map(|skill| CommandPlan {
            preamble: format!("{}\n\n", skill.instructions()),
            body: "$ARGUMENTS".into(),
            allowed_tools: Vec::new(),
            model: None,
        })
    }

    /// Run `/name arguments` as the user's prompt. The command's `allowed-tools` and `model` hold for this
    /// run only.
    pub(crate) async fn run_command(
        &self,
        name: &str,
        arguments: &str,
        conversation: &mut Conversation,
        sink: &EventSink,
        cancel: &CancellationToken,
    ) {
        let Some(plan) = self.plan(name) else {
            let text = format!("There is no command /{name}. Type / to see the commands.");
            sink.emit(AgentEvent::Notice { text }).await;
            return;
        };
        let shown = format!("/{name} {arguments}").trim_end().to_string();
        sink.emit(AgentEvent::RunStarted { prompt: shown }).await;
        let scope = self.begin_run(&plan, sink).await;
        let prompt = self.expand(&substitute_arguments(&plan.body, arguments), sink, cancel).await;
        conversation.push(Message::user(format!("{}{prompt}", plan.preamble)));
        // The outcome reaches the front-end as `RunFinished`.
        let _ = self.run_conversation(conversation, sink, cancel).await;
        self.end_run(scope);
    }

    async fn begin_run(&self, plan: &CommandPlan, sink: &EventSink) -> RunScope {
        if !plan.allowed_tools.is_empty() {
            let widened = RuleSet::parse(&plan.allowed_tools, &[], &[])
                .map_err(|error| error.to_string())
                .and_then(|extra| match self.permissions.lock() {
                    Ok(engine) => engine.with_allowed(extra).map_err(|error| error.to_string()),
                    Err(_) => Err("the permission engine failed".to_string()),
                });
            match widened {
                Ok(engine) => {
                    if let Ok(mut run) = self.run_permissions.lock() {
                        *run = Some(engine);
                    }
                }
                Err(error) => {
                    let text = format!("The command's allowed-tools are ignored: {error}");
                    sink.emit(AgentEvent::Notice { text }).await;
                }
            }
        }
        let mut previous_model = None;
        if let Some(model) = &plan.model {
            let before = self.current.lock().ok().map(|current| Current {
                selection: current.selection.clone(),
                client: current.client.clone(),
            });
            match self.set_model(model) {
                Ok(label) => previous_model = before.map(|before| (before, label)),
                Err(error) => {
                    let text =
                        format!("The command's model {model} is unavailable ({error}); using the session's");
                    sink.emit(AgentEvent::Notice { text }).await;
                }
            }
        }
        RunScope { previous_model }
    }

    fn end_run(&self, scope: RunScope) {
        if let Ok(mut run) = self.run_permissions.lock() {
            *run = None;
        }
        // Put the session's model back unless the user switched models during the run.
        if let Some((before, label)) = scope.previous_model
            && self.model() == label
            && let Ok(mut current) = self.current.lock()
        {
            *current = before;
        }
    }

    /// Resolve `@file` and `` !`cmd` `` in `text`.
    async fn expand(&self, text: &str, sink: &EventSink, cancel: &CancellationToken) -> String {
        let mut prompt = String::new();
        let mut files = String::new();
        for piece in pieces(text) {
            match piece {
                Piece::Text(text) => prompt.push_str(&text),
                Piece::File(path) => files.push_str(&self.include_file(&path)),
                Piece::Shell(command) => prompt.push_str(&self.command_output(&command, sink, cancel).await),
            }
        }
        prompt.push_str(&files);
        prompt
    }

    /// The contents of `path` (relative to the project) when the read rules allow reading it without asking.
    fn include_file(&self, path: &str) -> String {
        let full = self.project_root.join(path);
        // The engine in force, as for `!cmd`: the command's `allowed-tools` apply to its own `@file`s too.
        let refusal = match self.evaluate("read_file", &Access::Read { path: full.clone() }) {
            Verdict::Allow(_) => None,
            Verdict::Deny { reason } => Some(reason),
            Verdict::Ask { .. } => Some("reading it needs the user's approval".to_string()),
        };
        if let Some(reason) = refusal {
            return format!("\n\n[@{path} was not included: {reason}]");
        }
        match std::fs::read(&full) {
            Ok(bytes) => {
                let cut = bytes.len() > MAX_INCLUDED_BYTES;
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_INCLUDED_BYTES)]);
                let note = if cut { "\n[… cut: the file is longer]" } else { "" };
                format!("\n\n<file path=\"{path}\">\n{text}{note}\n</file>")
            }
            Err(error) => format!("\n\n[@{path} was not included: cannot read it: {error}]"),
        }
    }

    /// Run `command` as a shell tool call and give its output, or why it did not run.
    async fn command_output(&self, command: &str, sink: &EventSink, cancel: &CancellationToken) -> String {
        let tools = self.tools.snapshot();
        let Some(shell) = tools.iter().find(|tool| tool.family() == ToolFamily::Shell).cloned() else {
            return format!("[`{command}` was not run: this session has no shell tool]");
        };
        let id = format!("command-shell-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
        let call = tools.describe(&id, shell.name(), &json!({ "command": command }));
        let mut stats = RunStats::default();
        let results = self
            .run_tool_calls(&crate::run_scope::RunScope::main(), &tools, vec![call], sink, cancel, &mut stats)
            .await;
        let (text, failed) = match results.into_iter().next() {
            Some(ContentBlock::ToolResult { content, is_error, .. }) => {
                let text: Vec<String> = content
                    .into_iter()
                    .filter_map(|part| match part {
                        ToolResultContent::Text { text } => Some(text),
                        _ => None,
                    })
                    .collect();
                (text.join("\n"), is_error)
            }
            _ => ("no result".to_string(), true),
        };
        let status = if !stats.denials.is_empty() {
            " status=\"not run\""
        } else if failed {
            " status=\"failed\""
        } else {
            ""
        };
        format!("<command-output command=\"{command}\"{status}>\n{}\n</command-output>", text.trim_end())
    }
}
