//! Where a path really is: lexical and physical (symlink-resolved) locations, containment in the project
//! and additional directories, and compiling the path globs of rules against those roots.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// A word of a command line, read as a possible path.
#[derive(Debug, Clone)]
pub(crate) enum ShellWord {
    Option,
    Unknown,
    Path(Location),
}

/// How many symlinks one resolution follows, nested, before giving up.
const MAX_SYMLINKS: usize = 40;

/// The physical place of a path whose links nest deeper than [`MAX_SYMLINKS`]. A writer that follows links
/// one hop at a time (`write_atomically`) gives each hop's lookup a budget of its own, so such a path can
/// still be written, somewhere this resolution did not reach: no workspace contains this place, so writing
/// there asks.
const UNRESOLVED: &str = "/(too many levels of symbolic links)";

/// The directories a session works in, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    /// The project root as given, made absolute.
    given_root: PathBuf,
    /// The project root with every symlink resolved.
    root: PathBuf,
    /// Roots the session worked in before moving to this one (a worktree it entered, or the checkout it
    /// left), as given and resolved. Relative rules keep covering them and their settings stay protected, so
    /// moving never lifts a deny or ask rule from the user's files; they are not part of the workspace.
    former_roots: Vec<PathBuf>,
    additional: Vec<PathBuf>,
    /// Directories readable without asking, never writable (the session's tool-output folder).
    readable: Vec<PathBuf>,
    home: Option<PathBuf>,
}

/// A path as the call names it (`lexical`, with `.` and `..` folded) and as the file system will reach it
/// (`physical`, with symlinks in existing components resolved).
#[derive(Debug, Clone)]
pub(crate) struct Location {
    pub(crate) lexical: PathBuf,
    pub(crate) physical: PathBuf,
}

impl Workspace {
    pub(crate) fn new(project_root: &Path, additional: &[PathBuf], home: Option<&Path>) -> Workspace {
        let given_root =
            normalize(&std::path::absolute(project_root).unwrap_or_else(|_| project_root.into()));
        let root = physical(&given_root);
        let additional = additional
            .iter()
            .map(|dir| physical(&given_root.join(dir)))
            .filter(|dir| is_resolved(dir))
            .collect();
        let home = home.map(|home| physical(&given_root.join(home)));
        Workspace { given_root, root, former_roots: Vec::new(), additional, readable: Vec::new(), home }
    }

    /// Adds directories that may be read without asking but not written.
    pub(crate) fn with_readable(mut self, dirs: &[PathBuf]) -> Workspace {
        self.readable = dirs
            .iter()
            .map(|dir| physical(&self.given_root.join(dir)))
            .filter(|dir| is_resolved(dir))
            .collect();
        self
    }

    /// The same workspace with `root` as the project root (a worktree the session moved to); the other
    /// directories stay as they were resolved.
    pub(crate) fn with_root(&self, root: &Path) -> Workspace {
        let given_root = normalize(&std::path::absolute(root).unwrap_or_else(|_| root.into()));
        let root = physical(&given_root);
        let mut former_roots = self.former_roots.clone();
        for old in [&self.given_root, &self.root] {
            if !former_roots.contains(old) {
                former_roots.push(old.clone());
            }
        }
        former_roots.retain(|former| *former != root && *former != given_root);
        Workspace { given_root, root, former_roots, ..self.clone() }
    }

    /// Adds a directory treated like the project (`/add-dir`); relative to the project root.
    pub(crate) fn add_directory(&mut self, dir: &Path) {
        let dir = physical(&self.given_root.join(dir));
        if is_resolved(&dir) && !self.additional.contains(&dir) {
            self.additional.push(dir);
        }
    }

    pub(crate) fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    /// Whether a physical path may be read without asking: the workspace or a readable directory.
    pub(crate) fn readable(&self, physical: &Path) -> bool {
        self.contains(physical) || self.readable.iter().any(|dir| physical.starts_with(dir))
    }

    /// Locates a path the tool will open: relative paths are relative to the project root.
    pub(crate) fn locate(&self, path: &Path) -> Location {
        let absolute = self.given_root.join(path);
        Location { lexical: normalize(&absolute), physical: physical(&absolute) }
    }

    /// Whether a physical path is inside the project root or an additional directory.
    pub(crate) fn contains(&self, physical: &Path) -> bool {
        physical.starts_with(&self.root) || self.additional.iter().any(|dir| physical.starts_with(dir))
    }

    /// Reads a word of a command line as the shell would, relative to `base` (`~` expanded): an option
    /// (the value of `--opt=VALUE` counts as a word), a path, or unknown (`$x`, backticks, `~user`).
    pub(crate) fn shell_word(&self, word: &str, base: &Path) -> ShellWord {
        let word = match word.strip_prefix('-') {
            Some(option) => match option.split_once('=') {
                Some((_, value)) => value,
                None => return ShellWord::Option,
            },
            None => word,
        };
        if word.contains(['$', '`']) {
            return ShellWord::Unknown;
        }
        let path = match word.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => match &self.home {
                Some(home) => home.join(rest.trim_start_matches('/')),
                None => return ShellWord::Unknown,
            },
            Some(_) => return ShellWord::Unknown,
            None => base.join(word),
        };
        ShellWord::Path(self.locate(&path))
    }

    /// Whether a write to `location` would change settings that grant permissions or run code: the
    /// project's `.git/`, `.claurst.toml`, `.claurst/`, `.claude/`, `.mcp.json`, and `~/.claurst/`.
    pub(crate) fn is_protected(&self, location: &Location) -> bool {
        let under_root = |path: &Path, root: &Path| {
            let Ok(relative) = path.strip_prefix(root) else { return false };
            let first =
                relative.components().next().map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase());
            matches!(first.as_deref(), Some(".git" | ".claurst" | ".claude" | ".claurst.toml" | ".mcp.json"))
        };
        let home_settings = self.home.as_ref().map(|home| home.join(".claurst"));
        [&location.lexical, &location.physical].iter().any(|path| {
            under_root(path, &self.root)
                || under_root(path, &self.given_root)
                // A worktree lies in its checkout's `.claurst/`: what is under the current root is judged
                // by the current root's names alone.
                || (!path.starts_with(&self.root)
                    && !path.starts_with(&self.given_root)
                    && self.former_roots.iter().any(|former| under_root(path, former)))
                || home_settings.as_ref().is_some_and(|dir| path.starts_with(dir))
        })
    }

    /// Compiles a rule's path glob. `None` when it names `~` and no home directory is known.
    ///
    /// `//abs/**` is absolute, `~/x/**` is under the home directory, and everything else is relative to the
    /// project root; a pattern with no `/` but a trailing one (`.env`, `*.pem`) matches at any depth, as
    /// in gitignore. A pattern covers what it names and everything below it (`dir`, `dir/` and `dir/**` alike).
    pub(crate) fn compile_glob(&self, pattern: &str) -> Result<Option<GlobSet>, globset::Error> {
        let project_roots = || {
            let mut roots = vec![self.root.clone()];
            if self.given_root != self.root {
                roots.push(self.given_root.clone());
            }
            roots.extend(self.former_roots.iter().cloned());
            roots
        };
        let (bases, rest) = if let Some(rest) = pattern.strip_prefix("//") {
            (vec![PathBuf::from("/")], rest.trim_start_matches('/').to_string())
        } else if pattern == "~" || pattern.starts_with("~/") {
            let Some(home) = &self.home else { return Ok(None) };
            (vec![home.clone()], pattern[1..].trim_start_matches('/').to_string())
        } else if let Some(rest) = pattern.strip_prefix("./").or_else(|| pattern.strip_prefix('/')) {
            (project_roots(), rest.to_string())
        } else if pattern.trim_end_matches('/').contains('/') {
            (project_roots(), pattern.to_string())
        } else {
            (project_roots(), format!("**/{pattern}"))
        };
        let mut set = GlobSetBuilder::new();
        for base in bases {
            for glob in anchored_globs(base, &rest) {
                set.add(GlobBuilder::new(&glob).literal_separator(true).build()?);
            }
        }
        set.build().map(Some)
    }

    /// The glob that a suggested rule uses for everything in `dir`: relative to the project when inside
    /// it, `~/…` under the home directory, `//…` otherwise.
    pub(crate) fn dir_pattern(&self, dir: &Path) -> String {
        let relative = |base: &Path| dir.strip_prefix(base).ok().map(|rel| globset::escape(&slashed(rel)));
        if let Some(rel) = relative(&self.root) {
            return if rel.is_empty() { "./**".to_string() } else { format!("{rel}/**") };
        }
        if let Some(rel) = self.home.as_deref().and_then(relative) {
            return if rel.is_empty() { "~/**".to_string() } else { format!("~/{rel}/**") };
        }
        let absolute = globset::escape(&slashed(dir));
        format!("/{}/**", absolute.trim_end_matches('/'))
    }
}

/// The glob strings for `rest` under `base`: leading `../` climbs from the base, and the pattern is
/// extended to what lies below it.
fn anchored_globs(mut base: PathBuf, rest: &str) -> Vec<String> {
    let mut rest = rest;
    while let Some(stripped) = rest.strip_prefix("../").or(if rest == ".." { Some("") } else { None }) {
        base.pop();
        rest = stripped;
    }
    let base = globset::escape(slashed(&base).trim_end_matches('/'));
    let glob = if rest.is_empty() { base.clone() } else { format!("{base}/{rest}") };
    // `dir/**` also covers `dir` itself, so that listing or searching the directory is covered too.
    let dir = glob.strip_suffix("/**").or(glob.strip_suffix('/')).unwrap_or(&glob);
    vec![format!("{dir}/**"), dir.to_string()]
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/")
}

/// Folds `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

/// Resolves an absolute path as the kernel would: each existing component that is a symlink is replaced
/// by its target (even a dangling one), so `..` after it climbs from the target. Components that do not
/// exist yet are appended as they are. Links nested too deep resolve to [`UNRESOLVED`].
pub(crate) fn physical(path: &Path) -> PathBuf {
    resolve(path, 0).unwrap_or_else(|| PathBuf::from(UNRESOLVED))
}

/// Whether `physical` found the place: an unresolved one must never become a directory that contains others.
pub(crate) fn is_resolved(physical: &Path) -> bool {
    physical != Path::new(UNRESOLVED)
}

fn resolve(path: &Path, links_followed: usize) -> Option<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                let candidate = resolved.join(name);
                resolved = match fs::read_link(&candidate) {
                    // Taking the link itself for its target would place the path where it is not.
                    Ok(_) if links_followed >= MAX_SYMLINKS => return None,
                    Ok(target) => resolve(&resolved.join(target), links_followed + 1)?,
                    Err(_) => candidate,
                };
            }
        }
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(root: &Path) -> Workspace {
        Workspace::new(root, &[], Some(Path::new("/home/me")))
    }

    fn matches(ws: &Workspace, pattern: &str, path: &str) -> bool {
        ws.compile_glob(pattern).unwrap().unwrap().is_match(path)
    }

    #[test]
    fn globs_are_anchored_like_gitignore() {
        let ws = workspace(Path::new("/proj"));
        assert!(matches(&ws, "src/**", "/proj/src/a/b.rs"));
        assert!(!matches(&ws, "src/**", "/proj/lib/src/a.rs"));
        assert!(matches(&ws, "src/*.rs", "/proj/src/main.rs"));
        assert!(!matches(&ws, "src/*.rs", "/proj/src/bin/main.rs"));
        assert!(matches(&ws, ".env", "/proj/deep/down/.env"));
        assert!(matches(&ws, "*.pem", "/proj/keys/server.pem"));
        assert!(matches(&ws, "./.env", "/proj/.env"));
        assert!(!matches(&ws, "./.env", "/proj/sub/.env"));
        assert!(matches(&ws, "/secrets", "/proj/secrets/key"));
        assert!(matches(&ws, "build/", "/proj/build/out.o"));
        assert!(matches(&ws, "secrets/**", "/proj/secrets"));
        assert!(matches(&ws, "///etc/**", "/etc/passwd"));
        assert!(matches(&ws, "//etc/**", "/etc/passwd"));
        assert!(!matches(&ws, "//etc/**", "/proj/etc/passwd"));
        assert!(matches(&ws, "~/.ssh/**", "/home/me/.ssh/id_ed25519"));
        assert!(matches(&ws, "../shared/**", "/shared/x"));
        assert!(matches(&ws, "./**", "/proj/anything/here"));
    }

    #[test]
    fn root_with_glob_characters_is_escaped() {
        let ws = workspace(Path::new("/work/[proj]"));
        assert!(matches(&ws, "src/**", "/work/[proj]/src/x"));
        assert!(!matches(&ws, "src/**", "/work/p/src/x"));
    }

    #[test]
    fn home_patterns_need_a_home() {
        let ws = Workspace::new(Path::new("/proj"), &[], None);
        assert!(ws.compile_glob("~/x/**").unwrap().is_none());
    }

    #[test]
    fn lexical_folding_and_dir_patterns() {
        let ws = workspace(Path::new("/nonexistent-root"));
        let location = ws.locate(Path::new("src/../../etc/passwd"));
        assert_eq!(location.lexical, Path::new("/etc/passwd"));
        assert_eq!(location.physical, Path::new("/etc/passwd"));
        assert!(!ws.contains(&location.physical));
        assert_eq!(ws.dir_pattern(Path::new("/nonexistent-root/src/ui")), "src/ui/**");
        assert_eq!(ws.dir_pattern(Path::new("/nonexistent-root")), "./**");
        assert_eq!(ws.dir_pattern(Path::new("/home/me/notes")), "~/notes/**");
        assert_eq!(ws.dir_pattern(Path::new("/var/log")), "//var/log/**");
        assert_eq!(ws.dir_pattern(Path::new("/")), "//**");
    }

    #[cfg(unix)]
    #[test]
    fn links_nested_past_the_limit_resolve_nowhere_inside() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let (project, outside) = (dir.path().join("p"), dir.path().join("o"));
        fs::create_dir(&project).unwrap();
        fs::create_dir(&outside).unwrap();
        // `c0` -> `c1` -> … -> `c24` -> the outside directory, and `l0` -> `l1` -> … -> `l19` -> `c0/f`. A
        // writer that follows `l0` one hop at a time looks each hop up afresh: 25 links at most per lookup,
        // which the kernel follows, ending at `o/f`. Nested, the last hop's lookup is 45 links deep.
        for at in 0..25 {
            let target = if at == 24 { outside.clone() } else { PathBuf::from(format!("c{}", at + 1)) };
            symlink(target, project.join(format!("c{at}"))).unwrap();
        }
        for at in 0..20 {
            let target = if at == 19 { "c0/f".to_string() } else { format!("l{}", at + 1) };
            symlink(target, project.join(format!("l{at}"))).unwrap();
        }
        let ws = Workspace::new(&project, &[], None);
        let deep = ws.locate(Path::new("l0"));
        assert!(!ws.contains(&deep.physical), "{}", deep.physical.display());
        assert!(!is_resolved(&deep.physical));
        let outside = fs::canonicalize(&outside).unwrap();
        assert_eq!(ws.locate(Path::new("c0/f")).physical, outside.join("f"), "a shallower chain resolves");
        assert_eq!(ws.locate(Path::new("l15")).physical, outside.join("f"));
    }

    #[test]
    fn protected_settings() {
        let ws = workspace(Path::new("/nonexistent-root"));
        let protected = |path: &str| ws.is_protected(&ws.locate(Path::new(path)));
        for path in [
            ".git/config",
            ".git/hooks/pre-commit",
            ".claurst.toml",
            ".claurst/x",
            ".claude/settings.json",
            ".mcp.json",
            "src/../.git/HEAD",
            "/home/me/.claurst/config.toml",
            ".GIT/config",
        ] {
            assert!(protected(path), "{path}");
        }
        for path in
            ["src/.git", "src/main.rs", ".gitignore", ".github/workflows/ci.yml", "/home/me/.gitconfig"]
        {
            assert!(!protected(path), "{path}");
        }
    }

    #[test]
    fn shell_words() {
        let ws = workspace(Path::new("/nonexistent-root"));
        let base = Path::new("/nonexistent-root");
        let inside = |word: &str| match ws.shell_word(word, base) {
            ShellWord::Option => true,
            ShellWord::Unknown => false,
            ShellWord::Path(location) => ws.contains(&location.physical),
        };
        assert!(inside("src/main.rs"));
        assert!(inside("-n"));
        assert!(!inside("/etc/hosts"));
        assert!(!inside("../other"));
        assert!(!inside("~/.ssh/id_rsa"));
        assert!(!inside("~bob/x"));
        assert!(!inside("--file=/etc/x"));
        assert!(!inside("$HOME/x"));
        assert!(
            matches!(ws.shell_word("x", Path::new("/tmp")), ShellWord::Path(l) if l.physical == Path::new("/tmp/x"))
        );
    }
}
