//! Custom commands, skills and output styles through the real binary: what reaches the model.

use crate::{claurst, run, stderr, stdout, tool_result_text, tool_results};
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

/// The text of the first user message of a captured request.
fn first_prompt(body: &Value) -> String {
    body["messages"][0]["content"][0]["text"].as_str().unwrap_or_default().to_string()
}

fn system(body: &Value) -> String {
    body["system"].to_string()
}

#[test]
fn a_custom_command_substitutes_arguments_and_includes_files_the_read_rules_allow() {
    let project = TempProject::new();
    project.write(
        ".claurst/commands/review.md",
        "---\ndescription: Review an area\nargument-hint: <area> [focus]\n---\n\
         Review the $1 code, focusing on: $ARGUMENTS. Notes: @notes.txt and @secret.txt",
    );
    project.write("notes.txt", "parser notes: keep it fast\n");
    project.write("secret.txt", "TOP SECRET VALUE\n");
    project.write(".claurst.toml", "[tools]\ndeny = [\"read_file(secret.txt)\"]\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("reviewed")));

    let output = run(claurst(&project, &api).args(["-p", "/review parser speed"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "reviewed\n");
    let prompt = first_prompt(&api.requests()[0].body);
    assert!(prompt.starts_with("Review the parser code, focusing on: parser speed."), "{prompt}");
    assert!(prompt.contains("<file path=\"notes.txt\">\nparser notes: keep it fast\n"), "{prompt}");
    assert!(prompt.contains("[@secret.txt was not included:"), "{prompt}");
    assert!(!prompt.contains("TOP SECRET VALUE"), "a denied file never reaches the model: {prompt}");
}

#[test]
fn claude_code_command_folders_are_namespaces() {
    let project = TempProject::new();
    project.write(
        ".claude/commands/frontend/test.md",
        "---\ndescripton: typo\n---\nRun the frontend test $1 with coverage",
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "/frontend:test App.tsx"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(first_prompt(&api.requests()[0].body), "Run the frontend test App.tsx with coverage");
    let warnings = stderr(&output);
    assert!(
        warnings.contains("frontend/test.md: unknown frontmatter key `descripton`"),
        "a mistake names the file and the key, and the command still runs: {warnings}"
    );
}

#[test]
fn command_output_is_included_and_a_command_needing_approval_is_refused_headless() {
    let project = TempProject::new();
    project.git_init();
    project.write("tracked.txt", "x\n");
    project.write("x", "marker: must survive\n");
    project.write(
        ".claurst/commands/state.md",
        "---\nallowed-tools: bash(git status:*)\n---\nState: !`git status --short` Cleanup: !`rm x`",
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("seen")));

    let output = run(claurst(&project, &api).args(["-p", "/state"]));
    assert!(output.status.success(), "{}", describe(&output));
    let prompt = first_prompt(&api.requests()[0].body);
    assert!(prompt.contains("<command-output command=\"git status --short\">"), "{prompt}");
    assert!(prompt.contains("tracked.txt"), "git status ran and its output is in the prompt: {prompt}");
    assert!(prompt.contains("<command-output command=\"rm x\" status=\"not run\">"), "{prompt}");
    assert!(prompt.contains("needs the user's approval"), "{prompt}");
    assert_eq!(project.read("x"), "marker: must survive\n", "the refused command never ran");
}

#[test]
fn a_skill_is_listed_in_the_system_prompt_and_loaded_through_the_tool() {
    let project = TempProject::new();
    project.write(
        ".claude/skills/changelog/SKILL.md",
        "---\nname: changelog\ndescription: Write changelog entries in our format\n---\n\
         STEP ONE: read CHANGES.md first.",
    );
    project.write(".claude/skills/changelog/template.md", "## vX.Y\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("s1", "skill", json!({"name": "changelog"}))));
    api.push(Reply::stream(Turn::text_only("following the skill")));

    let output = run(claurst(&project, &api).args(["-p", "add a changelog entry"]));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    let first_system = system(&requests[0].body);
    assert!(first_system.contains("- changelog: Write changelog entries in our format"), "{first_system}");
    assert!(!first_system.contains("STEP ONE"), "only names and descriptions are in the system prompt");
    let result = tool_result_text(&requests[1].body);
    assert!(result.contains("STEP ONE: read CHANGES.md first."), "{result}");
    assert!(result.contains("template.md"), "the bundled files are named: {result}");
}

#[test]
fn a_skill_s_bundled_files_are_readable_without_asking_and_nothing_else_is() {
    let project = TempProject::new();
    project.write_home(
        ".claude/skills/release/SKILL.md",
        "---\ndescription: Cut a release\n---\nUse the checklist.",
    );
    let checklist = project.write_home(".claude/skills/release/checklist.md", "1. bump the version\n");
    let private = project.write_home("private.txt", "NOT FOR THE MODEL\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("s1", "skill", json!({"name": "release"}))));
    api.push(Reply::stream(
        Turn::new().tool_use("r1", "read_file", json!({"path": checklist.display().to_string()})).tool_use(
            "r2",
            "read_file",
            json!({"path": private.display().to_string()}),
        ),
    ));
    api.push(Reply::stream(Turn::text_only("released")));

    let output = run(claurst(&project, &api).args(["-p", "cut a release"]));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[2].body);
    assert!(
        !results[0].1 && results[0].0.contains("bump the version"),
        "the skill's file is read: {results:?}"
    );
    assert!(
        results[1].1 && !results[1].0.contains("NOT FOR THE MODEL"),
        "nothing else is granted: {results:?}"
    );
}

#[test]
fn a_loaded_skill_s_allowed_tools_narrow_what_runs_unasked_and_never_widen_it() {
    let project = TempProject::new();
    project.write("notes.txt", "the notes\n");
    project.write(
        ".claude/skills/reader/SKILL.md",
        "---\nname: reader\ndescription: Read notes\nallowed-tools: Read, Write\n---\nRead.",
    );
    let api = MockApi::start();
    // Before the skill: `ls` runs unasked (read-only).
    api.push(Reply::stream(Turn::new().tool_use("b0", "bash", json!({"command": "ls"}))));
    api.push(Reply::stream(Turn::new().tool_use("s1", "skill", json!({"name": "reader"}))));
    // With the skill loaded: read_file is listed and runs; bash is not listed, so even `ls` is asked about
    // (refused headless); write_file needed approval anyway and still does, although the skill lists it.
    api.push(Reply::stream(
        Turn::new()
            .tool_use("r1", "read_file", json!({"path": "notes.txt"}))
            .tool_use("b1", "bash", json!({"command": "ls"}))
            .tool_use("t1", "write_file", json!({"path": "out.txt", "content": "x"})),
    ));
    api.push(Reply::stream(Turn::text_only("done")));

    let output = run(claurst(&project, &api).args(["-p", "read the notes", "--sandbox", "off"]));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    assert!(!tool_results(&requests[1].body)[0].1, "before the skill, ls runs unasked");
    let results = tool_results(&requests[3].body);
    assert!(!results[0].1 && results[0].0.contains("the notes"), "a listed tool runs: {results:?}");
    assert!(results[1].1, "an unlisted tool is asked about (refused headless): {results:?}");
    assert!(results[2].1, "the skill grants nothing: {results:?}");
    assert!(!project.path("out.txt").exists());
}

#[test]
fn the_configured_output_style_replaces_the_default_style_section() {
    let project = TempProject::new();
    project.write(".claurst/output-styles/terse.md", "---\ndescription: One line\n---\nANSWER IN ONE LINE.");
    project.write(".claurst.toml", "[ui]\noutput_style = \"terse\"\n");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    let system = system(&api.requests()[0].body);
    assert!(system.contains("ANSWER IN ONE LINE."), "{system}");
    assert!(!system.contains("Lead with the result"), "the default style section is replaced: {system}");
}

#[test]
fn allowed_tools_and_model_hold_for_the_command_run_only() {
    let project = TempProject::new();
    project.write(
        ".claurst/commands/make.md",
        "---\nallowed-tools: bash(touch made.txt)\nmodel: claude-haiku-4-5\n---\nMake it: !`touch made.txt`",
    );
    project.write(".claurst/commands/plain.md", "Make it too: !`touch made.txt`");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("made")));
    api.push(Reply::stream(Turn::text_only("refused")));

    let output = run(claurst(&project, &api).args(["-p", "/plain"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(!project.path("made.txt").exists(), "without allowed-tools the command needs approval");
    let output = run(claurst(&project, &api).args(["-p", "/make"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert!(project.path("made.txt").exists(), "allowed-tools pre-approved the command");

    let requests = api.requests();
    assert!(first_prompt(&requests[0].body).contains("status=\"not run\""));
    assert_ne!(requests[0].body["model"], "claude-haiku-4-5");
    assert_eq!(requests[1].body["model"], "claude-haiku-4-5");
    assert!(first_prompt(&requests[1].body).contains("<command-output command=\"touch made.txt\">"));
}

#[test]
fn allowed_tools_let_the_command_include_a_file_that_would_need_approval() {
    let project = TempProject::new();
    let outside = project.write_home("notes/outside.txt", "OUTSIDE NOTES\n");
    let outside = outside.display();
    project.write(
        ".claurst/commands/notes.md",
        format!("---\nallowed-tools: read_file(~/notes/**)\n---\nNotes: @{outside}"),
    );
    project.write(".claurst/commands/plain-notes.md", format!("Notes: @{outside}"));
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("refused")));
    api.push(Reply::stream(Turn::text_only("included")));

    for command in ["/plain-notes", "/notes"] {
        let output = run(claurst(&project, &api).args(["-p", command]));
        assert!(output.status.success(), "{}", describe(&output));
    }
    let requests = api.requests();
    let plain = first_prompt(&requests[0].body);
    assert!(plain.contains("was not included: reading it needs the user's approval"), "{plain}");
    assert!(!plain.contains("OUTSIDE NOTES"), "{plain}");
    let allowed = first_prompt(&requests[1].body);
    assert!(allowed.contains("OUTSIDE NOTES"), "the command's allowed-tools apply to its @file: {allowed}");
}

#[test]
fn a_bad_agent_file_is_a_warning_naming_it_and_the_run_goes_on() {
    let project = TempProject::new();
    let file =
        project.write(".claude/agents/reviewer.md", "---\nname: Reviewer\ndescription: d\n---\nReview.");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("fine")));
    let output = run(claurst(&project, &api).args(["-p", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains(&format!("{}: the name `Reviewer`", file.display())), "{error}");
}
