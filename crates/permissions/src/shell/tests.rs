use super::*;

fn texts(command: &str) -> Vec<String> {
    split_shell_command(command)
        .unwrap_or_else(|e| panic!("{command}: {e}"))
        .iter()
        .map(|part| part.text().to_string())
        .collect()
}

fn words(command: &str) -> Vec<Vec<String>> {
    split_shell_command(command).unwrap().iter().map(|part| part.words().to_vec()).collect()
}

fn targets(command: &str) -> Vec<String> {
    split_shell_command(command).unwrap().iter().flat_map(|part| part.output_targets().to_vec()).collect()
}

#[test]
fn splits_on_every_separator() {
    assert_eq!(
        texts("git status && cargo test || echo fail; ls | head -n 3 & sleep 1 |& cat\npwd"),
        ["git status", "cargo test", "echo fail", "ls", "head -n 3", "sleep 1", "cat", "pwd"]
    );
}

#[test]
fn collapses_unquoted_whitespace_only() {
    assert_eq!(texts("  git   status\t--short  "), ["git status --short"]);
    assert_eq!(texts("echo 'a   b'"), ["echo 'a   b'"]);
}

#[test]
fn quotes_protect_separators() {
    assert_eq!(texts(r#"echo "a && b" 'c; d' e"#), [r#"echo "a && b" 'c; d' e"#]);
    assert_eq!(words(r#"echo "a && b" 'c; d'"#), [vec!["echo", "a && b", "c; d"]]);
    assert_eq!(words(r#"echo ""x"#), [vec!["echo", "x"]]);
    assert_eq!(words("echo ''"), [vec!["echo", ""]]);
}

#[test]
fn backslash_escapes() {
    assert_eq!(words(r"echo a\;b \&\& c"), [vec!["echo", "a;b", "&&", "c"]]);
    assert_eq!(words(r#"echo "say \"hi\" \$HOME \d""#), [vec!["echo", r#"say "hi" $HOME \d"#]]);
    assert_eq!(texts("cargo test \\\n  --all"), ["cargo test --all"]);
    assert_eq!(words("echo $'it\\'s' ; rm x"), [vec!["echo", "it\\'s"], vec!["rm", "x"]]);
}

#[test]
fn nested_subshells_are_split() {
    assert_eq!(texts("(cd src && (ls; pwd)) && make"), ["cd src", "ls", "pwd", "make"]);
    assert_eq!(texts("( rm -rf build )"), ["rm -rf build"]);
}

#[test]
fn substitutions_are_parts_of_their_own() {
    assert_eq!(
        texts("echo $(git rev-parse $(echo HEAD))"),
        ["echo $(git rev-parse $(echo HEAD))", "git rev-parse $(echo HEAD)", "echo HEAD"]
    );
    assert_eq!(texts("echo `date`"), ["echo `date`", "date"]);
    assert_eq!(texts(r#"echo "today: $(date +%F)""#), [r#"echo "today: $(date +%F)""#, "date +%F"]);
    assert_eq!(texts("diff <(ls a) <(ls b)"), ["diff <(ls a) <(ls b)", "ls a", "ls b"]);
    assert_eq!(texts("tee >(rm x)"), ["tee >(rm x)", "rm x"]);
    assert_eq!(words("echo ${HOME:-/tmp}/x"), [vec!["echo", "${HOME:-/tmp}/x"]]);
}

#[test]
fn output_redirections_are_recorded() {
    assert_eq!(targets("ls > out.txt"), ["out.txt"]);
    assert_eq!(targets("ls >>log.txt"), ["log.txt"]);
    assert_eq!(targets("echo x>out"), ["out"]);
    assert_eq!(targets("make &> all.log"), ["all.log"]);
    assert_eq!(targets("make 2> err.log"), ["err.log"]);
    assert_eq!(targets("ls >| forced"), ["forced"]);
    assert_eq!(targets("ls >& both"), ["both"]);
    assert_eq!(targets("cat <> rw"), ["rw"]);
    assert_eq!(targets("ls \"> not a redirect\""), Vec::<String>::new());
}

#[test]
fn harmless_redirections_are_not_writes() {
    for command in ["cargo test 2>&1", "ls > /dev/null 2>&1", "cat < in.txt", "grep x 2>/dev/null", "ls 1>&2"]
    {
        assert!(targets(command).is_empty(), "{command}");
    }
    assert_eq!(words("cargo test 2>&1 | tail"), [vec!["cargo", "test"], vec!["tail"]]);
    assert_eq!(texts("cargo test 2>&1"), ["cargo test 2>&1"]);
}

#[test]
fn here_documents_are_data() {
    assert_eq!(texts("cat <<'EOF'\n$(rm -rf /) ; rm x\nEOF\necho done"), ["cat <<'EOF'", "echo done"]);
    assert_eq!(texts("cat <<-EOF\n\thello; rm x\n\tEOF\n"), ["cat <<-EOF"]);
    assert_eq!(targets("cat <<EOF > notes.md\nhello\nEOF"), ["notes.md"]);
    assert_eq!(
        split_shell_command("cat <<EOF\n$(rm -rf /)\nEOF"),
        Err(ShellSplitError::Unsupported("substitution inside a here-document"))
    );
    assert_eq!(
        split_shell_command("cat <<EOF\nnever ends"),
        Err(ShellSplitError::UnterminatedHeredoc("EOF".into()))
    );
}

#[test]
fn comments_are_dropped() {
    assert_eq!(texts("ls # && rm -rf /"), ["ls"]);
    assert_eq!(texts("# just a comment\npwd"), ["pwd"]);
    assert_eq!(words("echo a#b"), [vec!["echo", "a#b"]]);
}

#[test]
fn unreadable_commands_are_errors() {
    let err = |command: &str| split_shell_command(command).unwrap_err();
    assert_eq!(err("echo 'unclosed"), ShellSplitError::UnclosedQuote('\''));
    assert_eq!(err("echo \"unclosed"), ShellSplitError::UnclosedQuote('"'));
    assert_eq!(err("echo $(ls"), ShellSplitError::Unclosed(Construct::Substitution));
    assert_eq!(err("(ls"), ShellSplitError::Unclosed(Construct::Subshell));
    assert_eq!(err("echo `ls"), ShellSplitError::Unclosed(Construct::Backticks));
    assert_eq!(err("ls )"), ShellSplitError::UnexpectedToken(')'));
    assert_eq!(err("echo a(b)"), ShellSplitError::UnexpectedToken('('));
    assert_eq!(err("ls >"), ShellSplitError::MissingRedirectTarget(">".into()));
    assert_eq!(err("ls > | cat"), ShellSplitError::MissingRedirectTarget(">".into()));
    assert!(matches!(err("echo `echo \\`rm x\\``"), ShellSplitError::Unsupported(_)));
    assert!(matches!(err("echo `echo 'a`'`"), ShellSplitError::Unsupported(_)));
    assert!(matches!(err("echo ${x:-$(rm y)}"), ShellSplitError::Unsupported(_)));
    let deep = format!("{}ls{}", "$(".repeat(40), ")".repeat(40));
    assert_eq!(err(&deep), ShellSplitError::TooDeep(MAX_DEPTH));
}

#[test]
fn empty_input_has_no_parts() {
    assert!(texts("").is_empty());
    assert!(texts(" ; ;; \n").is_empty());
}
