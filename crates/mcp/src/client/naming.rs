//! The names the model sees for MCP tools: `mcp__<server>__<tool>`, within what the Messages API accepts.

use std::collections::HashSet;

/// The longest tool name the Anthropic Messages API accepts.
pub(crate) const MAX_TOOL_NAME_LEN: usize = 64;

/// `name` with every character outside `[A-Za-z0-9_-]` replaced by `_`.
pub(crate) fn sanitise(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

/// The model's name for `tool` of `server`: sanitised, and when too long cut and suffixed with a digest of
/// the full name so that the same tool always gets the same name and two long names stay apart.
pub(crate) fn tool_name(server: &str, tool: &str) -> String {
    let full = format!("mcp__{}__{}", sanitise(server), sanitise(tool));
    if full.len() <= MAX_TOOL_NAME_LEN {
        return full;
    }
    with_digest(&full, &format!("{server}\u{0}{tool}"))
}

/// `name` cut to leave room for `_` and eight hex digits of a digest of `key`.
fn with_digest(name: &str, key: &str) -> String {
    let suffix = format!("_{:08x}", digest(key));
    let keep = MAX_TOOL_NAME_LEN - suffix.len();
    // Sanitised names are ASCII, so any byte index is a character boundary.
    format!("{}{suffix}", &name[..keep.min(name.len())])
}

/// Model names for one server's tools, in order, unique among themselves: two tools whose names sanitise
/// alike are told apart by a digest of their original names.
pub(crate) fn tool_names(server: &str, tools: &[&str]) -> Vec<String> {
    let mut taken = HashSet::new();
    tools
        .iter()
        .map(|tool| {
            let mut name = tool_name(server, tool);
            if !taken.insert(name.clone()) {
                let base = &name[..name.len().min(MAX_TOOL_NAME_LEN - 9)];
                name = with_digest(base, &format!("{server}\u{0}{tool}\u{0}dup"));
                taken.insert(name.clone());
            }
            name
        })
        .collect()
}

/// FNV-1a, 32 bits: stable across builds and platforms, which is all a name suffix needs.
fn digest(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_sanitises() {
        assert_eq!(tool_name("db", "query"), "mcp__db__query");
        assert_eq!(tool_name("my.server", "get item/1"), "mcp__my_server__get_item_1");
    }

    #[test]
    fn long_names_are_cut_deterministically_and_stay_distinct() {
        let long_a = "a".repeat(80);
        let long_b = format!("{}b", "a".repeat(79));
        let a = tool_name("server", &long_a);
        let b = tool_name("server", &long_b);
        assert_eq!(a.len(), MAX_TOOL_NAME_LEN);
        assert_eq!(a, tool_name("server", &long_a));
        assert_ne!(a, b);
        assert!(a.starts_with("mcp__server__aaa"));
    }

    #[test]
    fn names_that_sanitise_alike_stay_distinct() {
        let names = tool_names("s", &["a.b", "a_b", "c"]);
        assert_eq!(names[0], "mcp__s__a_b");
        assert_ne!(names[0], names[1]);
        assert!(names[1].len() <= MAX_TOOL_NAME_LEN);
        assert_eq!(names[2], "mcp__s__c");
    }
}
