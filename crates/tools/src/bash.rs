//! `bash`: run a shell command in the project, with a timeout, keeping the working directory between calls;
//! or start it in the background and return at once (see [`background`]).

mod background;
mod capture;

pub use background::{BackgroundShell, BackgroundShells, ShellRead, ShellStatus, StartError};
pub(crate) use capture::present as capture_present;

use crate::context::ToolContext;
use crate::input;
use crate::shell_sandbox::{Confinement, SandboxRefusal, find_refusal};
use crate::tool::{Tool, ToolOutcome, ToolResult};
use async_trait::async_trait;
use capture::{Capture, ProcessGroup};
use claurst_permissions::{Access, Grant, is_read_only, split_shell_command};
use claurst_protocol::ApprovalDetail;
use serde::Deserialize;
use serde_json::{Value, json};
use std::ffi::OsStr;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The longest a single call may ask for.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// Output longer than this is saved to a file and previewed.
pub const MAX_OUTPUT_CHARS: usize = 30_000;

/// Runs the model's command with `bash -c`. The command is evaluated by a small wrapper that records the
/// shell's final directory, so `cd` carries over to the next call like in a terminal.
const WRAPPER: &str = r#"__claurst_command=$1; __claurst_cwd_file=$2; shift 2
eval "$__claurst_command"
__claurst_status=$?
pwd -P > "$__claurst_cwd_file" 2>/dev/null
exit $__claurst_status"#;

pub struct BashTool {
    context: Arc<ToolContext>,
}

impl BashTool {
    pub fn new(context: Arc<ToolContext>) -> Self {
        Self { context }
    }
}

#[derive(Deserialize)]
struct BashInput {
    command: String,
    /// Milliseconds.
    timeout: Option<u64>,
    #[allow(dead_code)] // The model's own summary of the command; shown by front-ends from the raw input.
    description: Option<String>,
    #[serde(default)]
    run_in_background: bool,
}

#[async_trait]
impl Tool for BashTool {
    fn name(&self) -> &str {
        "bash"
    }

    fn family(&self) -> claurst_protocol::ToolFamily {
        claurst_protocol::ToolFamily::Shell
    }

    fn summary(&self, input: &Value, result: &crate::tool::ToolResult) -> Option<String> {
        crate::summary::ran(input, result)
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        crate::tool::first_line_of(input, "command")
    }

    fn description(&self) -> &str {
        "Run a shell command with bash in the project directory and return its combined stdout and stderr and \
         its exit code. The working directory persists between calls (cd works); environment variables do not. \
         Commands are killed, with everything they started, after the timeout (default from configuration, \
         usually 30 s; pass `timeout` in milliseconds, up to 600000). Output over 30000 characters is saved to \
         a file whose path is returned with a preview. Prefer the read_file, grep and search_files tools to \
         cat, grep and find. Never run interactive commands (editors, pagers, prompts): there is no input. \
         For long-running commands (servers, watchers, long builds) pass `run_in_background: true`: the call \
         returns at once with a shell id (bash_1, …); read its new output with bash_output and stop it with \
         kill_shell. Background commands have no timeout, start in the current working directory, and do not \
         change it."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "command": {"type": "string", "description": "The command to run"},
                "timeout": {"type": "integer", "minimum": 1, "maximum": 600000, "description": "Timeout in milliseconds (at most 600000)"},
                "description": {"type": "string", "description": "What the command does, in five to ten words"},
                "run_in_background": {"type": "boolean", "description": "Start the command in the background and return its shell id at once; read its output with bash_output"}
            },
            "required": ["command"],
            "additionalProperties": false
        })
    }

    /// Without a grant the call counts as approved (workspace-write under the sandbox).
    async fn execute(&self, input: Value) -> ToolResult {
        self.run_granted(input, Grant::Approved).await.result
    }

    async fn run(&self, input: Value) -> ToolOutcome {
        self.run_granted(input, Grant::Approved).await
    }

    async fn run_granted(&self, input: Value, grant: Grant) -> ToolOutcome {
        let confinement = self.context.shell_sandbox().confinement(grant);
        self.run_confined(input, confinement).await
    }

    async fn run_outside_sandbox(&self, input: Value) -> ToolOutcome {
        self.run_confined(input, Confinement::Unconfined).await
    }

    async fn run_for_user(&self, input: Value) -> ToolOutcome {
        self.run_confined(input, Confinement::AsUser).await
    }

    /// Read-only when every part of the command line is a known read-only command (`ls`, `git status`, …).
    fn is_read_only(&self, input: &Value) -> bool {
        let command = input.get("command").and_then(Value::as_str).unwrap_or_default();
        split_shell_command(command).is_ok_and(|parts| !parts.is_empty() && parts.iter().all(is_read_only))
    }

    fn access(&self, input: &Value) -> Access {
        let command = input.get("command").and_then(Value::as_str).unwrap_or_default();
        Access::Shell { command: command.to_string(), cwd: self.working_dir() }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        let command = input.get("command").and_then(Value::as_str).unwrap_or_default();
        ApprovalDetail::Command { command: command.to_string() }
    }
}

impl BashTool {
    async fn run_confined(&self, input: Value, confinement: Confinement) -> ToolOutcome {
        let request: BashInput = match input::parse(self.name(), input) {
            Ok(request) => request,
            Err(error) => return error.into(),
        };
        if request.command.trim().is_empty() {
            return ToolResult::error("bash: the command is empty. Pass the command to run in `command`.")
                .into();
        }
        if let Confinement::Refused(reason) = &confinement {
            return ToolResult::error(format!("bash: {reason}")).into();
        }
        if request.run_in_background {
            return self.start_in_background(&request.command, &confinement).into();
        }
        let timeout = request
            .timeout
            .map(Duration::from_millis)
            .unwrap_or(self.context.bash_timeout())
            .min(MAX_TIMEOUT);
        match self.run_command(&request.command, timeout, confinement).await {
            Ok(outcome) => outcome,
            Err(error) => ToolResult::error(format!("bash: could not start the command: {error}")).into(),
        }
    }

    fn start_in_background(&self, command: &str, confinement: &Confinement) -> ToolResult {
        let sandbox = self.context.shell_sandbox();
        match self.context.shells().start(command, &self.working_dir(), sandbox, confinement) {
            Ok(shell) => ToolResult::ok(format!(
                "Started in the background with id {id}. Read its output with bash_output {{\"bash_id\": \"{id}\"}} \
                 and stop it with kill_shell {{\"shell_id\": \"{id}\"}}.",
                id = shell.id()
            )),
            Err(error) => ToolResult::error(format!("bash: {error}")),
        }
    }

    /// The shell's working directory, or the project root when that directory has been deleted.
    fn working_dir(&self) -> PathBuf {
        let cwd = self.context.cwd();
        if cwd.is_dir() { cwd } else { self.context.project_root().to_path_buf() }
    }

    async fn run_command(
        &self,
        command: &str,
        timeout: Duration,
        mut confinement: Confinement,
    ) -> std::io::Result<ToolOutcome> {
        let cwd = self.working_dir();
        let cwd_file = tempfile::NamedTempFile::new()?;
        if let Confinement::Sandboxed(policy) = &mut confinement {
            // The wrapper records the final directory here, even under a read-only sandbox.
            policy.allow_write(cwd_file.path());
        }
        let (reader, writer) = std::io::pipe()?;
        let args = [
            OsStr::new("-c"),
            OsStr::new(WRAPPER),
            OsStr::new("claurst-bash"),
            OsStr::new(command),
            cwd_file.path().as_os_str(),
        ];
        let sandbox = self.context.shell_sandbox();
        let mut shell = tokio::process::Command::from(capture::shell_command(
            &args,
            &cwd,
            writer,
            sandbox,
            &confinement,
        )?);
        let mut child = shell.kill_on_drop(true).spawn()?;
        // The command keeps the parent's copies of the pipe's write end: close them so the reader sees EOF.
        drop(shell);
        // Dropping the group (on return, or when the call is cancelled) kills everything the command started.
        let group = ProcessGroup::new(child.id());
        let capture = Capture::start(reader);

        let (status, timed_out) = match tokio::time::timeout(timeout, child.wait()).await {
            Ok(status) => (Some(status?), false),
            Err(_) => {
                group.kill();
                let _ = child.wait().await;
                (None, true)
            }
        };
        let output = capture.finish(&group).await;
        drop(group);

        if let Some(dir) = read_new_cwd(cwd_file.path()) {
            self.context.set_cwd(dir);
        }
        let refused = match &confinement {
            Confinement::Sandboxed(policy) if !status.is_some_and(|status| status.success()) => {
                find_refusal(&output, policy, &cwd).map(|path| {
                    let note = refusal_note(&path, policy);
                    (path, note)
                })
            }
            _ => None,
        };
        let shown = capture::present(&output, self.context.session_dir(), MAX_OUTPUT_CHARS).await;
        let mut result = format_result(shown, status, timed_out, timeout);
        let sandbox_refusal = refused.map(|(path, note)| {
            result.output.push_str(&note);
            SandboxRefusal { command: command.to_string(), path }
        });
        Ok(ToolOutcome { sandbox_refusal, ..result.into() })
    }
}

/// What the model learns when the sandbox refused a write, and the settings that would allow it.
fn refusal_note(path: &std::path::Path, policy: &claurst_sandbox::SandboxPolicy) -> String {
    let inside_write_roots = policy.write_roots.iter().any(|root| path.starts_with(root));
    let (why, remedy) = if inside_write_roots {
        (
            "it is protected (git hooks and configuration, Claurst's and Claude's settings stay read-only)",
            "the user can make this change themselves, or set [sandbox] mode = \"off\"",
        )
    } else if policy.level == claurst_sandbox::Level::ReadOnly {
        (
            "this command ran read-only, without the user's approval",
            "ask the user to approve a command that makes the change",
        )
    } else {
        (
            "commands may write only in the project, [tools] additional_directories and temporary folders",
            "the user can add the directory to [tools] additional_directories or set [sandbox] mode = \"off\"",
        )
    };
    format!(
        "\n\nThe sandbox refused to let this command change {}: {why}. Do not work around it; if the change is \
         needed, ask the user: {remedy}.",
        path.display()
    )
}

fn read_new_cwd(file: &std::path::Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    let dir = PathBuf::from(text.trim_end_matches('\n'));
    dir.is_dir().then_some(dir)
}

fn format_result(
    output: String,
    status: Option<std::process::ExitStatus>,
    timed_out: bool,
    timeout: Duration,
) -> ToolResult {
    let mut text = output.trim_end_matches('\n').to_string();
    if timed_out {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!(
            "ToolError: bash execution exceeded {} timeout; the command and every process it started were killed. \
             If it needs longer, pass a larger `timeout` (milliseconds, up to 600000).",
            describe_duration(timeout)
        ));
        return ToolResult::error(text);
    }
    let code = status.and_then(|s| s.code());
    let signal = status.and_then(|s| s.signal());
    match (code, signal) {
        (Some(0), _) => {
            if text.is_empty() {
                text = "(the command succeeded with no output)".into();
            }
            ToolResult::ok(text)
        }
        (Some(code), _) => {
            text.push_str(&format!("\n[exit code {code}]"));
            ToolResult::error(text.trim_start().to_string())
        }
        (None, Some(signal)) => {
            ToolResult::error(format!("{text}\n[killed by signal {signal}]").trim().to_string())
        }
        (None, None) => ToolResult::error(format!("{text}\n[ended without an exit code]").trim().to_string()),
    }
}

/// `30s` for whole seconds, `1500ms` otherwise: the same words the user configured.
fn describe_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

#[cfg(test)]
mod tests;
