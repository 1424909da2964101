//! `bash_output` and `kill_shell`: reading and stopping the shells `bash` started in the background.

use crate::bash::{BackgroundShell, ShellStatus, capture_present};
use crate::context::ToolContext;
use crate::input;
use crate::tool::{Tool, ToolResult};
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Output longer than this is saved to a file and previewed, as for foreground commands.
const MAX_OUTPUT_CHARS: usize = 30_000;
/// How long `kill_shell` waits to see the shell end before reporting.
const KILL_SETTLE: Duration = Duration::from_secs(2);

pub struct BashOutputTool {
    context: Arc<ToolContext>,
}

impl BashOutputTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct BashOutputInput {
    bash_id: String,
}

#[async_trait]
impl Tool for BashOutputTool {
    fn name(&self) -> &str {
        "bash_output"
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "bash_id")
    }

    fn description(&self) -> &str {
        "Read what a background shell (started by bash with run_in_background) has printed since you last \
         read it, with its status: running, exited with code N, or killed. Each call returns only new output, \
         so call it again later to follow a long-running command."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "bash_id": {"type": "string", "description": "The id bash returned when it started the shell (bash_1, …)"}
            },
            "required": ["bash_id"],
            "additionalProperties": false
        })
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: BashOutputInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let shell = match find_shell(&self.context, self.name(), &request.bash_id) {
            Ok(shell) => shell,
            Err(error) => return error,
        };
        let read = shell.read_new_output();
        let mut text = format!("{}: {}.\nCommand: {}\n\n", shell.id(), read.status, shell.command());
        if read.dropped_bytes > 0 {
            text.push_str(&format!(
                "[{} bytes of earlier output were discarded because they were not read in time]\n",
                read.dropped_bytes
            ));
        }
        let output = read.output.trim_end_matches('\n');
        if output.is_empty() {
            text.push_str("(no new output since the last read)");
        } else {
            text.push_str(&capture_present(output, self.context.session_dir(), MAX_OUTPUT_CHARS).await);
        }
        ToolResult::ok(text)
    }
}

pub struct KillShellTool {
    context: Arc<ToolContext>,
}

impl KillShellTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct KillShellInput {
    shell_id: String,
}

#[async_trait]
impl Tool for KillShellTool {
    fn name(&self) -> &str {
        "kill_shell"
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "shell_id")
    }

    fn description(&self) -> &str {
        "Stop a background shell started by bash with run_in_background, killing the command and every process \
         it started. Its remaining output can still be read with bash_output."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "shell_id": {"type": "string", "description": "The id of the background shell to kill (bash_1, …)"}
            },
            "required": ["shell_id"],
            "additionalProperties": false
        })
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: KillShellInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error,
        };
        let shell = match find_shell(&self.context, self.name(), &request.shell_id) {
            Ok(shell) => shell,
            Err(error) => return error,
        };
        let before = shell.status();
        // Killed even when the shell itself has ended: processes it left in its group die too.
        shell.kill();
        let id = shell.id();
        let message = match before {
            ShellStatus::Exited(code) => {
                format!("{id} had already exited with code {code}; nothing was left to kill.")
            }
            ShellStatus::Signaled(signal) => {
                format!("{id} had already been killed by signal {signal}; nothing was left to kill.")
            }
            ShellStatus::Killed => format!("{id} had already been killed."),
            ShellStatus::Running => match shell.settle(KILL_SETTLE).await {
                ShellStatus::Killed => {
                    format!("Killed {id} (`{}`) and every process it started.", shell.command())
                }
                ShellStatus::Exited(code) => {
                    format!("{id} exited with code {code} before it could be killed.")
                }
                ShellStatus::Signaled(signal) => format!("{id} was killed by signal {signal}."),
                ShellStatus::Running => {
                    return ToolResult::error(format!(
                        "{id} was sent SIGKILL but has not ended yet. Check it with bash_output."
                    ));
                }
            },
        };
        ToolResult::ok(message)
    }
}

fn find_shell(context: &ToolContext, tool: &str, id: &str) -> Result<Arc<BackgroundShell>, ToolResult> {
    context.shells().get(id.trim()).ok_or_else(|| {
        let known = context.shells().ids();
        let known = if known.is_empty() {
            "no background shells have been started in this session".to_string()
        } else {
            format!("the background shells of this session are: {}", known.join(", "))
        };
        ToolResult::error(format!("{tool}: there is no background shell `{id}`; {known}."))
    })
}
