//! What a tool call does, as the tool describes it to the engine.

use std::path::PathBuf;

/// What a tool call would do. Tools describe each call with one of these; the engine never looks at tool
/// inputs itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Run a shell command line in `cwd`, the shell's current directory (relative paths in the command
    /// and its `cd`s are read from there).
    Shell { command: String, cwd: PathBuf },
    /// Read a file or list or search a directory. Relative paths are relative to the project root.
    Read { path: PathBuf },
    /// Create, overwrite or modify a file. Relative paths are relative to the project root.
    Edit { path: PathBuf },
    /// Create, change or delete several files in one call (a patch). Judged as one `Edit` per path: any
    /// path denied denies the call, any path that asks makes the call ask. The tool must touch no file
    /// outside `paths`; an empty list (input the tool cannot read) touches nothing.
    Edits { paths: Vec<PathBuf> },
    /// Fetch a URL.
    Fetch { url: String },
    /// A tool another program provides (an MCP server's): never allowed without a rule or the user's
    /// approval. `read_only_hint` is what the server claims; it lets the call run in plan mode and beside
    /// other read-only calls, but never grants it.
    External { read_only_hint: bool },
    /// Anything else (task lists, background shell output, …).
    Other { effect: Effect },
}

/// Whether a call of the `Other` kind changes anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Only reads or reports state; allowed in plan mode and without asking.
    ReadOnly,
    /// Changes state (kills a process, writes something); refused in plan mode.
    Mutating,
}

/// The host of a URL, lower-cased, or `None` when it cannot be read with certainty (then no domain rule
/// allows the call, and every domain rule of a deny or ask list applies to it).
pub(crate) fn url_host(url: &str) -> Option<String> {
    let url = url.trim();
    let after_scheme = url.find("://").map_or(url, |at| &url[at + 3..]);
    // A backslash ends the authority too: browsers and most URL parsers read it as `/`.
    let authority = after_scheme.split(['/', '\\', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.strip_prefix('[') {
        Some(ipv6) => ipv6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let valid =
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    valid.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let host = |url: &str| url_host(url);
        assert_eq!(host("https://Docs.RS/globset"), Some("docs.rs".into()));
        assert_eq!(host("http://user:pw@example.com:8080/x?y#z"), Some("example.com".into()));
        assert_eq!(host("example.com/path"), Some("example.com".into()));
        assert_eq!(host("https://example.com./"), Some("example.com".into()));
        assert_eq!(host("http://[::1]:80/"), Some("::1".into()));
        assert_eq!(host(r"http://evil.com\@good.com/"), Some("evil.com".into()));
        assert_eq!(host("http://a/b@evil.com"), Some("a".into()));
        assert_eq!(host("http://ex%61mple.com/"), None);
        assert_eq!(host("https:///nohost"), None);
    }
}
