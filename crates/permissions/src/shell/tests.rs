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
    assert_eq!(words("echo $'it\\'s' ; rm x"), [vec!["echo", "it's"], vec!["rm", "x"]]);
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
    assert_eq!(words("echo ${HOME}/x $1"), [vec!["echo", "${HOME}/x", "$1"]]);
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
    // An unquoted delimiter lets the body expand: its substitutions run, so they are parts.
    assert_eq!(texts("cat <<EOF\n$(rm -rf /)\nEOF"), ["cat <<EOF", "rm -rf /"]);
}

#[test]
fn brace_expansion_and_ansi_c_are_decoded() {
    assert_eq!(words("x {rm,-rf,x}"), [vec!["x", "rm", "-rf", "x"]]);
    assert_eq!(words("cat src/{a,b}.rs"), [vec!["cat", "src/a.rs", "src/b.rs"]]);
    assert_eq!(words("echo '{a,b}'"), [vec!["echo", "{a,b}"]]);
    assert_eq!(words("$'\\x72m' -rf x"), [vec!["rm", "-rf", "x"]]);
    assert_eq!(targets("ls > {a,b}"), ["a", "b"]);
}

#[test]
fn directory_changes_follow_the_shell() {
    let changes = |command: &str| -> Vec<Vec<DirectoryChange>> {
        split_shell_command(command).unwrap().iter().map(|p| p.directory_changes().to_vec()).collect()
    };
    let to = |dir: &str| DirectoryChange::To(dir.into());
    assert_eq!(changes("cd /tmp && cat x"), [vec![], vec![to("/tmp")]]);
    assert_eq!(changes("cd; ls"), [vec![], vec![DirectoryChange::Home]]);
    assert_eq!(changes("cd - && ls"), [vec![], vec![DirectoryChange::Unknown]]);
    assert_eq!(changes("(cd /tmp) && ls"), [vec![], vec![]]);
    assert_eq!(changes("cd a && (cd b; ls)"), [vec![], vec![to("a")], vec![to("a"), to("b")]]);
}

#[test]
fn input_redirections_are_reads() {
    let inputs = |command: &str| -> Vec<String> {
        split_shell_command(command).unwrap().iter().flat_map(|p| p.input_files().to_vec()).collect()
    };
    assert_eq!(inputs("cat < /etc/passwd"), ["/etc/passwd"]);
    assert_eq!(inputs("wc -l 0< a <&3"), ["a"]);
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
    for command in
        ["echo 'unclosed", "echo \"unclosed", "echo $(ls", "(ls", "echo `ls", "ls )", "ls >", "ls > | cat"]
    {
        assert_eq!(err(command), ShellSplitError::Syntax, "{command}");
    }
    for command in [
        "echo `echo \\`rm x\\``",
        "echo ${x:-$(rm y)}",
        "if true; then rm x; fi",
        "for f in *; do rm $f; done",
        "while true; do ls; done",
        "case x in x) rm y;; esac",
        "f() { rm x; }; f",
        "echo $((1+2))",
        "[[ -f x ]]",
        "export PATH=/tmp",
        "echo ${x@P}",
        "a=(1 2)",
        "echo {1..100000}",
    ] {
        assert!(split_shell_command(command).is_err(), "{command}");
    }
    let deep = format!("{}ls{}", "$(".repeat(40), ")".repeat(40));
    assert!(split_shell_command(&deep).is_err());
}

#[test]
fn empty_input_has_no_parts() {
    assert!(texts("").is_empty());
    assert!(texts(" \n # only a comment\n").is_empty());
}

#[test]
fn nesting_past_the_limit_is_an_error() {
    let nested = |levels: usize| format!("{}x{}", "echo $(".repeat(levels), ")".repeat(levels));
    assert!(split_shell_command(&nested(MAX_DEPTH / 2)).is_ok());
    for line in
        [nested(MAX_DEPTH + 1), format!("{}ls{}", "( ".repeat(MAX_DEPTH + 1), " )".repeat(MAX_DEPTH + 1))]
    {
        assert!(matches!(split_shell_command(&line), Err(ShellSplitError::TooDeep(MAX_DEPTH))), "{line}");
    }
}
