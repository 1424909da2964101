//! The starting context: facts about where the session runs (platform, shell, date) and the state of its git
//! repository (branch, main branch, a short status, recent commits), gathered once when the session starts.
//!
//! Git is asked with several `git` processes at once, each bounded by [`GIT_TIMEOUT`], so gathering never takes
//! much longer than the slowest of them; outside a repository, or without git, there is simply no git part.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// How long one `git` process may take before its answer is given up (a huge repository, a slow disk).
pub(crate) const GIT_TIMEOUT: Duration = Duration::from_secs(2);
/// Lines of `git status` shown; more are counted, not listed.
const STATUS_LINES: usize = 40;
/// Commit subjects shown.
const RECENT_COMMITS: usize = 5;
/// Characters of one status line or commit subject shown.
const LINE_CHARS: usize = 200;

/// Where the session runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub project_root: PathBuf,
    /// `linux (x86_64)`.
    pub platform: String,
    /// The user's login shell (`$SHELL`), when known.
    pub shell: Option<String>,
    /// Today's date, without the time, so the section stays the same (and cacheable) all day.
    pub date: time::Date,
    /// `None` outside a git repository or when git cannot answer.
    pub git: Option<GitContext>,
}

/// The repository's state when the session started.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GitContext {
    /// The checked-out branch; `HEAD` when detached.
    pub branch: String,
    /// The branch changes usually merge into (`origin/HEAD`, else `main` or `master`), when one is found.
    pub main_branch: Option<String>,
    /// `git status --short` lines, at most 40.
    pub status: Vec<String>,
    /// Status lines left out.
    pub status_omitted: usize,
    /// The subjects of the last commits, newest first.
    pub recent_commits: Vec<String>,
    /// Why the status and the commits were not read, when they were not.
    pub unread: Option<String>,
}

/// Why a repository's status was not read.
const CONFIGURED_PROGRAMS: &str = "its git configuration names programs to run (an fsmonitor, a filter, a \
signature check…), so the status and the commits were not read";

impl Environment {
    /// The environment of `project_root` without asking git: platform, shell and today's date.
    pub fn basic(project_root: &Path) -> Self {
        Self {
            project_root: project_root.to_path_buf(),
            platform: format!("{} ({})", std::env::consts::OS, std::env::consts::ARCH),
            shell: std::env::var("SHELL").ok().filter(|shell| !shell.trim().is_empty()),
            date: time::OffsetDateTime::now_utc().date(),
            git: None,
        }
    }

    /// The environment of `project_root`, with its git state when it is in a repository.
    pub async fn gather(project_root: &Path) -> Self {
        Self { git: GitContext::gather(project_root).await, ..Self::basic(project_root) }
    }

    /// The `# Environment` section of the system prompt.
    pub fn section(&self) -> String {
        let mut text = format!(
            "# Environment\n- Working directory (project root): {}\n- Platform: {}\n",
            self.project_root.display(),
            self.platform
        );
        if let Some(shell) = &self.shell {
            text.push_str(&format!("- Shell: {shell}\n"));
        }
        text.push_str(&format!("- Today's date: {}\n", self.date));
        match &self.git {
            Some(git) => text.push_str(&git.describe()),
            None => text.push_str("- Git repository: no\n"),
        }
        text.trim_end().to_string()
    }
}

impl GitContext {
    /// The repository's state, or `None` outside a repository or when git is missing or too slow.
    pub async fn gather(project_root: &Path) -> Option<Self> {
        // The repository is not trusted yet: a configured fsmonitor, filter or signature check would run its
        // program during `status` or `log`. Those two are skipped when the configuration names any program, and
        // every command runs with the common ones (pager, fsmonitor, hooks) switched off (the bash tool's read-only git does the same).
        let safe = !configured_programs(project_root);
        let maybe = |args: &'static [&'static str]| async move {
            if safe { git(project_root, args).await } else { None }
        };
        let (branch, origin_head, local_main, status, log) = tokio::join!(
            git(project_root, &["rev-parse", "--abbrev-ref", "HEAD"]),
            git(project_root, &["rev-parse", "--abbrev-ref", "origin/HEAD"]),
            git(project_root, &["branch", "--list", "main", "master", "--format=%(refname:short)"]),
            maybe(&["status", "--short"]),
            maybe(&["log", "-n", "5", "--format=%s"]),
        );
        // A repository without commits has no HEAD to name yet, but git still knows the branch.
        let branch = match branch {
            Some(branch) => branch.trim().to_string(),
            None => git(project_root, &["symbolic-ref", "--short", "HEAD"]).await?.trim().to_string(),
        };
        let main_branch = origin_head
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty() && name != "origin/HEAD")
            .or_else(|| local_main.and_then(|names| names.lines().next().map(|name| name.trim().to_string())))
            .filter(|name| !name.is_empty());
        let status_lines: Vec<String> =
            status.unwrap_or_default().lines().filter(|line| !line.trim().is_empty()).map(clip).collect();
        let status_omitted = status_lines.len().saturating_sub(STATUS_LINES);
        Some(Self {
            unread: (!safe).then(|| CONFIGURED_PROGRAMS.to_string()),
            branch,
            main_branch,
            status: status_lines.into_iter().take(STATUS_LINES).collect(),
            status_omitted,
            recent_commits: log.unwrap_or_default().lines().take(RECENT_COMMITS).map(clip).collect(),
        })
    }

    /// The git lines of the environment section.
    fn describe(&self) -> String {
        let mut text = format!("- Git repository: yes, on branch {}\n", self.branch);
        if let Some(main) = &self.main_branch {
            text.push_str(&format!("- Main branch (usually the base of pull requests): {main}\n"));
        }
        if let Some(reason) = &self.unread {
            text.push_str(&format!("- Not read: {reason}.\n"));
            return text;
        }
        text.push_str("\nGit status when the session started (it may have changed since):\n");
        if self.status.is_empty() {
            text.push_str("(clean)\n");
        }
        for line in &self.status {
            text.push_str(line);
            text.push('\n');
        }
        if self.status_omitted > 0 {
            text.push_str(&format!("… {} more\n", self.status_omitted));
        }
        if !self.recent_commits.is_empty() {
            text.push_str("\nRecent commits:\n");
            for subject in &self.recent_commits {
                text.push_str(&format!("- {subject}\n"));
            }
        }
        text
    }
}

/// What `git ARGS` prints in `dir`, or `None` when it fails, is missing or takes longer than [`GIT_TIMEOUT`].
pub(crate) async fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let mut command = tokio::process::Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(args)
        // Reading the status must not take the index lock from the user's own git commands.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env_remove("GIT_EXTERNAL_DIFF")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let settings = [("core.pager", "cat"), ("core.fsmonitor", "false"), ("core.hooksPath", "/dev/null")];
    command.env("GIT_CONFIG_COUNT", settings.len().to_string());
    for (index, (key, value)) in settings.iter().enumerate() {
        command.env(format!("GIT_CONFIG_KEY_{index}"), key).env(format!("GIT_CONFIG_VALUE_{index}"), value);
    }
    let output = tokio::time::timeout(GIT_TIMEOUT, command.output()).await.ok()?.ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether the repository's own git configuration names a program to run. The user's configuration is theirs
/// and trusted (it often names git-lfs filters); a cloned repository's is not.
pub(crate) fn configured_programs(project_root: &Path) -> bool {
    claurst_permissions::git_config_runs_programs(&[project_root.to_path_buf()], None, None)
}

fn clip(line: &str) -> String {
    match line.char_indices().nth(LINE_CHARS) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_string(),
    }
}
