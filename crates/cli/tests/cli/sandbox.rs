//! The kernel sandbox, through the real binary: `claurst sandbox` runs a command as the model's commands
//! run, and a headless session shows that a command auto-approved as read-only cannot write.
//!
//! Every attempt below is followed by more commands and an `END` marker, so a missing "it worked" line means
//! the attempt ran and failed, not that it never ran. The projects live under the target directory, not
//! `/tmp`, because approved commands may write `/tmp`.

use crate::{BIN, claurst, run, stdout, tool_result_text};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, claurst_command, describe};
use serde_json::json;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::Output;

fn project() -> TempProject {
    let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let project = TempProject::new_in(&parent);
    // The target directory is inside a git checkout: anchor the project root here, not at the checkout.
    project.write(".claurst.toml", "");
    project.write("src/lib.rs", "pub fn project_code() {}\n");
    project.write_home(".ssh/id", "PRIVATE KEY MATERIAL\n");
    project
}

/// `claurst sandbox ARGS -- bash -c SCRIPT` in `project`.
fn sandboxed(project: &TempProject, args: &[&str], script: &str) -> Output {
    let mut command = claurst_command(Path::new(BIN), project, None);
    command.arg("sandbox").args(args).args(["--", "bash", "-c", script]);
    run(&mut command)
}

/// A file in `/tmp` no other test uses, removed when dropped.
struct TmpFile(PathBuf);

impl TmpFile {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("claurst-sandbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Self(path)
    }
}

impl Drop for TmpFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn assert_ran_to_the_end(output: &Output) {
    assert!(stdout(output).contains("END"), "the script did not finish:\n{}", describe(output));
}

#[test]
fn the_kernel_supports_the_sandbox_here() {
    let project = project();
    let mut command = claurst_command(Path::new(BIN), &project, None);
    let output = run(command.args(["sandbox", "--status"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stdout(&output).contains("sandbox: available"), "{}", describe(&output));
    assert!(stdout(&output).contains("protected paths are read-only mounts"), "{}", describe(&output));
}

#[test]
fn a_read_only_command_reads_the_project_but_cannot_write_connect_or_read_the_home() {
    let project = project();
    let tmp = TmpFile::new("read-only");
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    tcp.set_nonblocking(true).unwrap();
    let port = tcp.local_addr().unwrap().port();
    let socket_path = project.path("agent.sock");
    let unix = UnixListener::bind(&socket_path).unwrap();
    let script = format!(
        r#"echo x > written.txt && echo WROTE-PROJECT
        echo x > {tmp} && echo WROTE-TMP
        echo x > "$HOME/written.txt" && echo WROTE-HOME
        cat "$HOME/.ssh/id" && echo READ-SSH
        grep -q project_code src/lib.rs && echo READ-PROJECT
        (exec 3<>/dev/tcp/127.0.0.1/{port}) && echo CONNECTED-TCP
        /usr/bin/perl -MIO::Socket::UNIX -e 'print IO::Socket::UNIX->new(Peer => $ARGV[0]) ? "CONNECTED-UNIX\n" : "unix: $!\n"' {socket}
        kill -0 $PPID && echo SIGNALLED-CLAURST
        kill -0 $$ && echo SIGNALLED-ITSELF
        echo END"#,
        tmp = tmp.0.display(),
        socket = socket_path.display(),
    );
    let output = sandboxed(&project, &["--read-only"], &script);
    assert_ran_to_the_end(&output);
    let text = stdout(&output);
    for refused in [
        "WROTE-PROJECT",
        "WROTE-TMP",
        "WROTE-HOME",
        "READ-SSH",
        "PRIVATE KEY",
        "CONNECTED-TCP",
        "SIGNALLED-CLAURST",
    ] {
        assert!(!text.contains(refused), "{refused}:\n{}", describe(&output));
    }
    assert!(text.contains("READ-PROJECT"), "the project must stay readable:\n{}", describe(&output));
    assert!(text.contains("CONNECTED-UNIX"), "AF_UNIX sockets stay allowed:\n{}", describe(&output));
    assert!(
        text.contains("SIGNALLED-ITSELF"),
        "signals inside the sandbox stay allowed:\n{}",
        describe(&output)
    );
    assert!(
        !project.path("written.txt").exists()
            && !tmp.0.exists()
            && !project.home().join("written.txt").exists()
    );
    // The command has ended: a connection it made would be waiting in the backlog.
    assert_eq!(tcp.accept().map(|_| ()).unwrap_err().kind(), ErrorKind::WouldBlock);
    drop(unix);
}

#[test]
fn a_workspace_write_command_writes_the_project_and_tmp_but_not_protected_paths_or_the_home() {
    let project = project();
    project.git_init();
    project.write(".claurst.toml", "[tools]\n");
    let config_before = project.read(".git/config");
    let tmp = TmpFile::new("workspace-write");
    let script = format!(
        r#"echo x > written.txt && echo WROTE-PROJECT
        echo x > {tmp} && echo WROTE-TMP
        echo x > .git/hooks/x && echo WROTE-HOOK
        echo '[core]' >> .git/config && echo WROTE-GIT-CONFIG
        echo 'allow = ["bash"]' >> .claurst.toml && echo WROTE-SETTINGS
        mv .git .git-moved && echo MOVED-GIT
        echo x > "$HOME/written.txt" && echo WROTE-HOME
        echo END"#,
        tmp = tmp.0.display(),
    );
    let output = sandboxed(&project, &["--workspace-write"], &script);
    assert_ran_to_the_end(&output);
    let text = stdout(&output);
    assert!(text.contains("WROTE-PROJECT") && text.contains("WROTE-TMP"), "{}", describe(&output));
    for refused in ["WROTE-HOOK", "WROTE-GIT-CONFIG", "WROTE-SETTINGS", "MOVED-GIT", "WROTE-HOME"] {
        assert!(!text.contains(refused), "{refused}:\n{}", describe(&output));
    }
    assert!(project.path("written.txt").exists() && tmp.0.exists());
    assert!(!project.path(".git/hooks/x").exists() && !project.home().join("written.txt").exists());
    assert_eq!(project.read(".git/config"), config_before);
    assert_eq!(project.read(".claurst.toml"), "[tools]\n");
}

#[test]
fn approved_commands_lose_the_network_with_no_network_or_the_network_key_off() {
    let project = project();
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = tcp.local_addr().unwrap().port();
    let script = format!("(exec 3<>/dev/tcp/127.0.0.1/{port}) && echo CONNECTED-TCP\necho END");
    // The default for approved commands: the network is there, so the refusals below are the sandbox's.
    let output = sandboxed(&project, &["--workspace-write"], &script);
    assert_ran_to_the_end(&output);
    assert!(stdout(&output).contains("CONNECTED-TCP"), "{}", describe(&output));

    let output = sandboxed(&project, &["--workspace-write", "--no-network"], &script);
    assert_ran_to_the_end(&output);
    assert!(!stdout(&output).contains("CONNECTED-TCP"), "--no-network:\n{}", describe(&output));

    project.write(".claurst.toml", "[sandbox]\nnetwork = false\n");
    let output = sandboxed(&project, &["--workspace-write"], &script);
    assert_ran_to_the_end(&output);
    assert!(!stdout(&output).contains("CONNECTED-TCP"), "network = false:\n{}", describe(&output));
    drop(tcp);
}

#[test]
fn read_paths_replace_the_home_folders_read_only_commands_may_read() {
    let project = project();
    project.write_home(".toolchain/VERSION", "1.2.3\n");
    let script = r#"cat "$HOME/.toolchain/VERSION" && echo READ-TOOLCHAIN
        cat "$HOME/.ssh/id" && echo READ-SSH
        echo END"#;
    let output = sandboxed(&project, &["--read-only"], script);
    assert_ran_to_the_end(&output);
    assert!(!stdout(&output).contains("READ-TOOLCHAIN"), "not listed by default:\n{}", describe(&output));

    project.write(".claurst.toml", "[sandbox]\nread_paths = [\"~/.toolchain\"]\n");
    let output = sandboxed(&project, &["--read-only"], script);
    assert_ran_to_the_end(&output);
    let text = stdout(&output);
    assert!(text.contains("1.2.3") && text.contains("READ-TOOLCHAIN"), "{}", describe(&output));
    assert!(!text.contains("READ-SSH"), "the rest of the home stays closed:\n{}", describe(&output));
}

#[test]
fn commands_do_not_inherit_credentials() {
    let project = project();
    project.write(".claurst.toml", "[tools]\nenv_passthrough = [\"GH_TOKEN\"]\n");
    let mut command = claurst_command(Path::new(BIN), &project, None);
    command
        .env("ANTHROPIC_API_KEY", "sk-ant-secret")
        .env("AWS_SECRET_ACCESS_KEY", "aws-secret")
        .env("db_password", "hunter2")
        .env("GH_TOKEN", "kept-on-purpose")
        .args(["sandbox", "--", "env"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    let text = stdout(&output);
    for secret in ["sk-ant-secret", "aws-secret", "hunter2", "ANTHROPIC_API_KEY"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    assert!(text.contains("GH_TOKEN=kept-on-purpose") && text.contains("HOME="), "{text}");
}

#[test]
fn a_command_auto_approved_as_read_only_cannot_write_through_a_fake_program() {
    let project = project();
    // `ls` is read-only to the classifier, but this `ls` (first in PATH) writes a marker.
    let marker = project.path("marker");
    project.write(
        "bin/ls",
        format!("#!/bin/sh\necho fake-ls-ran\necho pwned > {}\necho fake-ls-done\n", marker.display()),
    );
    std::fs::set_permissions(project.path("bin/ls"), std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .unwrap();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "ls"}))));
    api.push(Reply::stream(Turn::new().tool_use("t2", "bash", json!({"command": "printenv"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", project.path("bin").display());
    let mut command = claurst(&project, &api);
    let output = run(command.env("PATH", path).args(["-p", "list the files"]));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    assert_eq!(requests.len(), 3, "{}", describe(&output));
    let listed = tool_result_text(&requests[1].body);
    assert!(
        listed.contains("fake-ls-ran") && listed.contains("fake-ls-done"),
        "the fake ls must have run: {listed}"
    );
    assert!(!listed.contains("not run") && !listed.contains("approval"), "it was auto-approved: {listed}");
    assert!(!marker.exists(), "the sandbox must stop the write: {listed}");
    let environment = tool_result_text(&requests[2].body);
    assert!(environment.contains("PATH=") && !environment.contains("sk-ant-test"), "{environment}");
}

#[test]
fn headless_an_approved_command_refused_by_the_sandbox_tells_the_model_what_would_allow_it() {
    let project = project();
    let target = project.home().join("outside.txt");
    let api = MockApi::start();
    let command = format!("touch {}", target.display());
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({ "command": command }))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output =
        run(claurst(&project, &api).args(["--permission-mode", "bypassPermissions", "-p", "touch it"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result = tool_result_text(&api.requests()[1].body);
    assert!(!target.exists(), "{result}");
    assert!(
        result.contains(&format!("The sandbox refused to let this command change {}", target.display())),
        "{result}"
    );
    assert!(
        result.contains("[tools] additional_directories") && result.contains("[sandbox] mode = \"off\""),
        "{result}"
    );
}

#[test]
fn headless_sandbox_read_only_confines_approved_commands_too() {
    let project = project();
    let api = MockApi::start();
    let script = "echo x > written.txt && echo WROTE-PROJECT; echo END";
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({ "command": script }))));
    api.push(Reply::stream(Turn::text_only("done")));
    let args = ["--sandbox", "read-only", "--permission-mode", "bypassPermissions", "-p", "write it"];
    let output = run(claurst(&project, &api).args(args));
    assert!(output.status.success(), "{}", describe(&output));
    let result = tool_result_text(&api.requests()[1].body);
    assert!(result.contains("END") && !result.contains("WROTE-PROJECT"), "{result}");
    assert!(!project.path("written.txt").exists(), "{result}");
}

#[test]
fn background_commands_are_sandboxed_too() {
    let project = project();
    let outside = project.home().join("background.txt");
    let api = MockApi::start();
    let background = format!("echo x > {}; touch finished", outside.display());
    api.push(Reply::stream(Turn::new().tool_use(
        "t1",
        "bash",
        json!({ "command": background, "run_in_background": true }),
    )));
    // Waits for the background command's last step, so its write attempt is over when the run ends.
    let wait = "for i in $(seq 1000); do [ -e finished ] && break; sleep 0.01; done; ls finished";
    api.push(Reply::stream(Turn::new().tool_use("t2", "bash", json!({ "command": wait }))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["--permission-mode", "bypassPermissions", "-p", "go"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(project.path("finished").exists(), "the background command must have run to its end");
    assert!(!outside.exists(), "the background command wrote outside the project");
}

#[test]
fn interactive_the_user_can_let_a_refused_command_run_once_outside_the_sandbox() {
    use claurst_test_support::{PtySession, claurst_pty_command, keys};
    let wait = std::time::Duration::from_secs(10);
    let project = project();
    let outside = project.home().join("outside.txt");
    let api = MockApi::start();
    let command = format!("touch {} && echo touched-it", outside.display());
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({ "command": command }))));
    api.push(Reply::stream(Turn::text_only("All done.")));
    let mut session = PtySession::spawn(claurst_pty_command(Path::new(BIN), &project, Some(&api)), 40, 110);
    session.wait_for("ctx 0%", wait);
    session.type_text("touch it");
    session.send(keys::ENTER);
    session.wait_for("Allow bash?", wait);
    session.send("1");
    let modal = session.wait_for("outside the sandbox, with your own permissions?", wait);
    assert!(modal.contains("2. Yes, this once"), "{modal}");
    assert!(!outside.exists(), "the sandboxed run must have been refused");
    session.send("y");
    session.wait_for("All done.", wait);
    assert!(outside.exists(), "the second run is outside the sandbox");
    let result = tool_result_text(&api.requests()[1].body);
    assert!(result.contains("touched-it") && !result.contains("sandbox refused"), "{result}");
}

#[test]
fn a_directory_added_with_add_dir_is_writable_for_sandboxed_commands() {
    use claurst_test_support::{PtySession, claurst_pty_command, keys};
    let wait = std::time::Duration::from_secs(10);
    let project = project();
    let shared = project.write_home("shared/README", "shared\n").parent().unwrap().to_path_buf();
    let marker = shared.join("written-by-the-model");
    let api = MockApi::start();
    let command = format!("touch {} && echo touched-it", marker.display());
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({ "command": command }))));
    api.push(Reply::stream(Turn::text_only("All done.")));
    let mut pty = claurst_pty_command(Path::new(BIN), &project, Some(&api));
    pty.args(["--permission-mode", "bypassPermissions"]);
    let mut session = PtySession::spawn(pty, 40, 110);
    session.wait_for("ctx 0%", wait);
    session.type_text(&format!("/add-dir {}", shared.display()));
    session.send(keys::ENTER);
    session.wait_for("sandboxed shell commands may write there too", wait);
    session.type_text("touch it");
    session.send(keys::ENTER);
    // Without the sandbox knowing the directory, the write would be refused and the user asked to run the
    // command outside the sandbox.
    let screen = session.wait_for("All done.", wait);
    assert!(!screen.contains("outside the sandbox"), "{screen}");
    assert!(marker.exists(), "the sandboxed command could not write in the added directory");
}

#[test]
fn read_only_git_runs_without_configured_programs_and_still_diffs() {
    let project = project();
    project.git_init();
    project.write("notes.txt", "old line\n");
    project.git(&["add", "notes.txt"]);
    project.git(&["commit", "-qm", "start"]);
    project.write("notes.txt", "new line\n");
    // Git can be told to run programs from places the classifier does not read (here a global config named
    // by GIT_CONFIG_GLOBAL): the second layer, the environment of read-only commands, must still disarm them.
    let hook = project.write("bin/fsmonitor", "#!/bin/sh\necho FSMONITOR-RAN >&2\nexit 1\n");
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let global = project.write("global.gitconfig", format!("[core]\n\tfsmonitor = {}\n", hook.display()));
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "git status && git diff"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).env("GIT_CONFIG_GLOBAL", &global).args(["-p", "what changed?"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result = tool_result_text(&api.requests()[1].body);
    assert!(result.contains("+new line") && result.contains("-old line"), "git diff must work: {result}");
    assert!(!result.contains("FSMONITOR-RAN"), "the configured fsmonitor ran: {result}");
}

#[test]
fn git_configured_by_the_repository_to_run_programs_asks() {
    let project = project();
    project.git_init();
    let marker = project.path("FSMONITOR-MARKER");
    let hook = project.write("bin/fsmonitor", format!("#!/bin/sh\ntouch {}\n", marker.display()));
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    project.git(&["config", "core.fsmonitor", hook.to_str().unwrap()]);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "git status"}))));
    api.push(Reply::stream(Turn::text_only("done")));
    let output = run(claurst(&project, &api).args(["-p", "status?"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result = tool_result_text(&api.requests()[1].body);
    assert!(result.contains("needs the user's approval"), "{result}");
    assert!(!marker.exists(), "the repository's fsmonitor ran");
}

/// `claurst sandbox --read-only` runs a command as the model's unapproved commands run, git's configured
/// programs disarmed included; `--workspace-write` (an approved command) leaves git's configuration alone.
#[test]
fn claurst_sandbox_read_only_disarms_git_like_the_model_s_commands() {
    let project = project();
    project.git_init();
    let hook = project.write("bin/fsmonitor", "#!/bin/sh\necho FSMONITOR-RAN >&2\nexit 1\n");
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let global = project.write("global.gitconfig", format!("[core]\n\tfsmonitor = {}\n", hook.display()));
    let run_git = |level: &str| {
        let mut command = claurst_command(Path::new(BIN), &project, None);
        command.env("GIT_CONFIG_GLOBAL", &global).args(["sandbox", level, "--", "git", "status"]);
        let output = run(&mut command);
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(!run_git("--read-only").contains("FSMONITOR-RAN"), "read-only git ran the configured fsmonitor");
    assert!(
        run_git("--workspace-write").contains("FSMONITOR-RAN"),
        "the control run must reach the fsmonitor"
    );
}
