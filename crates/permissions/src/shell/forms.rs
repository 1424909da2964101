//! Other spellings of a command part, so that deny and ask rules are not dodged by quoting, by wrapper
//! commands (`sudo rm`, `env X=1 rm`), by naming the program by path (`/bin/rm`, `./rm`) or by handing
//! a script to `sh -c` or `eval`.

use super::{CommandPart, split_shell_command};
use crate::rule::collapse_whitespace;

/// Wrapper commands that run the command after their options, and their short options that take a value.
const WRAPPERS: &[(&str, &str)] = &[
    ("sudo", "ugCDhprtU"),
    ("doas", "uC"),
    ("command", ""),
    ("builtin", ""),
    ("exec", "a"),
    ("nohup", ""),
    ("time", "fo"),
    ("env", "uCS"),
    ("nice", "n"),
    ("xargs", "IinPLdaEs"),
    ("timeout", "sk"),
    ("stdbuf", "ioe"),
    ("ionice", "cnp"),
    ("setsid", ""),
];
/// Shells whose `-c SCRIPT` is split in turn.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh"];
const MAX_NESTING: usize = 3;

/// The forms of `part` that deny and ask rules are matched against: as written, with quotes removed,
/// without leading wrappers and assignments, and the parts of a script passed to `sh -c` or `eval`.
pub(crate) fn match_forms(part: &CommandPart) -> Vec<String> {
    let mut forms = Vec::new();
    collect(part, &mut forms, 0);
    forms.dedup();
    forms
}

fn collect(part: &CommandPart, forms: &mut Vec<String>, depth: usize) {
    forms.push(part.text().to_string());
    forms.push(collapse_whitespace(&part.words().join(" ")));
    let command = strip_wrappers(part.words());
    forms.push(collapse_whitespace(&command.join(" ")));
    if let Some((program, args)) = command.split_first()
        && program_name(program) != program
    {
        let by_name: Vec<&str> =
            std::iter::once(program_name(program)).chain(args.iter().map(String::as_str)).collect();
        forms.push(collapse_whitespace(&by_name.join(" ")));
    }
    let script = match command.split_first() {
        Some((shell, args)) if SHELLS.contains(&program_name(shell)) => args
            .iter()
            .position(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('c'))
            .and_then(|at| args.get(at + 1))
            .cloned(),
        Some((eval, args)) if program_name(eval) == "eval" => Some(args.join(" ")),
        _ => None,
    };
    let Some(script) = script.filter(|_| depth < MAX_NESTING) else {
        return;
    };
    match split_shell_command(&script) {
        Ok(parts) => parts.iter().for_each(|inner| collect(inner, forms, depth + 1)),
        Err(_) => forms.push(collapse_whitespace(&script)),
    }
}

/// Rough spellings of a command line the parser could not read, for deny and ask rules only (the line
/// asks anyway): the pieces between separators, with quotes, backslashes and brace punctuation removed,
/// so that `{rm,-rf,x}` or `if x; then 'rm' y; fi` still meet a rule about `rm`.
pub(crate) fn fallback_forms(line: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for piece in line.split([';', '&', '|', '\n', '(', ')', '`', '<', '>']) {
        let cleaned: String = piece.chars().filter(|c| !matches!(c, '\'' | '"' | '\\' | '$')).collect();
        let spaced = cleaned.replace(['{', '}', ','], " ");
        for text in [cleaned, spaced] {
            let text = collapse_whitespace(&text);
            let words: Vec<&str> = text.split(' ').collect();
            // Also without leading keywords and wrappers (`then rm`, `sudo rm`).
            for start in 0..words.len().min(4) {
                let form = words[start..].join(" ");
                if !form.is_empty() {
                    forms.push(form);
                }
            }
        }
    }
    forms
}

/// The words from the wrapped command on: skips variable assignments, wrapper names with their options
/// (and option values), and `timeout`'s duration.
fn strip_wrappers(words: &[String]) -> &[String] {
    let mut index = 0;
    while let Some(word) = words.get(index) {
        if is_assignment(word) {
            index += 1;
            continue;
        }
        let Some((name, valued)) = WRAPPERS.iter().find(|(name, _)| *name == program_name(word)) else {
            break;
        };
        index += 1;
        while let Some(option) = words.get(index).filter(|w| w.starts_with('-') && w.len() > 1) {
            index += 1;
            let takes_value =
                !option.starts_with("--") && option.chars().last().is_some_and(|c| valued.contains(c));
            if takes_value {
                index += 1;
            }
        }
        if *name == "timeout" {
            index += 1;
        }
    }
    words.get(index..).unwrap_or_default()
}

/// The name a program is found by: the last component of a path (`/usr/bin/rm`, `./rm` → `rm`).
pub(crate) fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(command: &str) -> Vec<String> {
        split_shell_command(command).unwrap().iter().flat_map(match_forms).collect()
    }

    #[test]
    fn quoting_and_wrappers_are_seen_through() {
        assert!(forms(r"\rm -rf x").contains(&"rm -rf x".to_string()));
        assert!(forms("'r'm -rf x").contains(&"rm -rf x".to_string()));
        assert!(forms("sudo -u bob rm -rf x").contains(&"rm -rf x".to_string()));
        assert!(forms("LANG=C env -u HOME nice -n 5 timeout -s KILL 10 rm x").contains(&"rm x".to_string()));
        assert!(forms("xargs -I {} rm {}").contains(&"rm {}".to_string()));
        assert!(forms("/bin/rm -rf x").contains(&"rm -rf x".to_string()));
        assert!(forms("/usr/bin/env ./rm x").contains(&"rm x".to_string()));
        assert!(forms("sudo {rm,-rf,x}").contains(&"rm -rf x".to_string()));
        assert!(forms("$'\\x72m' x").contains(&"rm x".to_string()));
    }

    #[test]
    fn scripts_for_shells_and_eval_are_split() {
        let found = forms(r#"bash -lc "cd x && git push --force""#);
        assert!(found.contains(&"git push --force".to_string()), "{found:?}");
        assert!(forms("eval 'rm -rf /'").contains(&"rm -rf /".to_string()));
        assert!(forms("sh -c 'sh -c \"rm y\"'").contains(&"rm y".to_string()));
    }

    #[test]
    fn unreadable_lines_still_meet_rules() {
        let forms = fallback_forms("{rm,-rf,x}; if true; then 'r'm y; fi");
        assert!(forms.contains(&"rm -rf x".to_string()), "{forms:?}");
        assert!(forms.contains(&"rm y".to_string()), "{forms:?}");
    }

    #[test]
    fn arguments_are_not_mistaken_for_commands() {
        let found = forms(r#"git commit -m "rm stuff""#);
        assert!(!found.iter().any(|form| form.starts_with("rm")), "{found:?}");
    }
}
