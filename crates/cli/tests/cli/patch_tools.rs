//! `apply_patch` and `notebook_edit` through the real binary: patches apply all or nothing, every path of a
//! patch goes through the permission engine (escapes refused whole), `apply_patch` is offered to OpenAI
//! models and by config, and notebook edits keep every byte outside the edited cell.

use crate::{claurst, run, stdout, tool_results};
use claurst_test_support::{MockApi, NOTEBOOK_FIXTURE, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

const ACCEPT_EDITS: [&str; 2] = ["--permission-mode", "acceptEdits"];

/// The names of the tools a request offered, in either wire format.
fn offered_tools(body: &Value) -> Vec<String> {
    body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().or_else(|| tool["function"]["name"].as_str()).unwrap().to_string())
        .collect()
}

fn patch_call(id: &str, patch: &str) -> Reply {
    Reply::stream(Turn::new().tool_use(id, "apply_patch", json!({ "input": patch })))
}

/// A project offering `apply_patch` to the (Anthropic) mock model.
fn patching_project() -> TempProject {
    let project = TempProject::new();
    project.write(".claurst.toml", "[tools]\napply_patch = true\n");
    project
}

#[test]
fn openai_models_are_offered_apply_patch_beside_the_edit_tools_and_use_it() {
    let project = TempProject::new();
    project.write("src/app.py", "def greet():\n    return 'hi'  \n\nprint(greet())\n");
    let api = MockApi::start();
    project.write(
        ".claurst.toml",
        format!("[providers.local]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n", api.openai_url()),
    );
    let patch = "*** Begin Patch\n*** Update File: src/app.py\n@@ def greet():\n-    return 'hi'\n+    return 'hello'\n\
                 *** Add File: src/util.py\n+VALUE = 1\n*** End Patch";
    api.push(patch_call("p1", patch));
    api.push(Reply::stream(Turn::text_only("Patched.")));
    let mut command = claurst(&project, &api);
    command
        .env_remove("ANTHROPIC_API_KEY")
        .args(["-p", "--model", "local/gpt-5", "patch it"])
        .args(ACCEPT_EDITS);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    let tools = offered_tools(&requests[0].body);
    for name in ["apply_patch", "edit_file", "multi_edit", "notebook_edit"] {
        assert!(tools.iter().any(|tool| tool == name), "{name} in {tools:?}");
    }
    assert_eq!(
        project.read("src/app.py"),
        "def greet():\n    return 'hello'\n\nprint(greet())\n",
        "trailing spaces forgiven"
    );
    assert_eq!(project.read("src/util.py"), "VALUE = 1\n");

    // The same binary with a Claude model: not offered, unless the config says so.
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let plain = TempProject::new();
    assert!(run(claurst(&plain, &api).args(["-p", "hi"])).status.success());
    let tools = offered_tools(&api.requests()[0].body);
    assert!(
        !tools.iter().any(|tool| tool == "apply_patch") && tools.iter().any(|tool| tool == "notebook_edit")
    );
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    assert!(run(claurst(&patching_project(), &api).args(["-p", "hi"])).status.success());
    assert!(offered_tools(&api.requests()[0].body).iter().any(|tool| tool == "apply_patch"));
}

#[test]
fn a_patch_failing_in_its_second_file_leaves_every_file_untouched() {
    let project = patching_project();
    project.write("a.txt", "alpha\nbeta\n");
    project.write("b.txt", "gamma\r\ndelta\r\n");
    project.write("gone.txt", "keep me\n");
    let before: Vec<Vec<u8>> = ["a.txt", "b.txt", "gone.txt"]
        .iter()
        .map(|name| std::fs::read(project.path(name)).unwrap())
        .collect();
    let api = MockApi::start();
    let patch = "*** Begin Patch\n*** Update File: a.txt\n-alpha\n+ALPHA\n*** Delete File: gone.txt\n\
                 *** Update File: b.txt\n-epsilon\n+EPSILON\n*** Add File: new.txt\n+new\n*** End Patch";
    api.push(patch_call("p1", patch));
    api.push(Reply::stream(Turn::text_only("It failed.")));
    let output = run(claurst(&project, &api).args(["-p", "patch"]).args(ACCEPT_EDITS));
    assert!(output.status.success(), "{}", describe(&output));
    let results = tool_results(&api.requests()[1].body);
    assert!(results[0].1, "{results:?}");
    assert!(
        results[0].0.contains("b.txt: hunk 1 does not apply") && results[0].0.contains("No file was changed")
    );
    let after: Vec<Vec<u8>> = ["a.txt", "b.txt", "gone.txt"]
        .iter()
        .map(|name| std::fs::read(project.path(name)).unwrap())
        .collect();
    assert_eq!(after, before);
    assert!(!project.path("new.txt").exists());
}

#[test]
fn a_patch_touching_anything_outside_the_project_or_denied_is_refused_whole() {
    let project = patching_project();
    let outside = project.root().join("outside.txt");
    std::fs::write(&outside, "marker\n").unwrap();
    std::os::unix::fs::symlink(&outside, project.path("link.txt")).unwrap();
    project.write("inside.txt", "inside\n");
    project.write("other.txt", "other\n");
    project.write("secret/key.txt", "key\n");
    project.write(".claurst.toml", "[tools]\napply_patch = true\ndeny = [\"edit_file(secret/**)\"]\n");
    let escapes = [
        "*** Update File: ../outside.txt\n-marker\n+owned\n".to_string(),
        format!("*** Update File: {}\n-marker\n+owned\n", outside.display()),
        "*** Update File: link.txt\n-marker\n+owned\n".to_string(),
        format!("*** Add File: {}\n+owned\n", project.root().join("planted.txt").display()),
        "*** Update File: secret/key.txt\n-key\n+owned\n".to_string(),
        "*** Delete File: secret/key.txt\n".to_string(),
        "*** Update File: other.txt\n*** Move to: ../moved.txt\n-other\n+owned\n".to_string(),
    ];
    for escape in escapes {
        let api = MockApi::start();
        let patch =
            format!("*** Begin Patch\n*** Update File: inside.txt\n-inside\n+changed\n{escape}*** End Patch");
        api.push(patch_call("p1", &patch));
        api.push(Reply::stream(Turn::text_only("Refused.")));
        let output = run(claurst(&project, &api).args(["-p", "patch"]).args(ACCEPT_EDITS));
        assert!(output.status.success(), "{}", describe(&output));
        let results = tool_results(&api.requests()[1].body);
        assert!(results[0].1, "{escape}: {results:?}");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "marker\n", "{escape}");
        assert_eq!(project.read("inside.txt"), "inside\n", "{escape}");
        assert_eq!(project.read("secret/key.txt"), "key\n", "{escape}");
        assert_eq!(project.read("other.txt"), "other\n", "{escape}");
        assert!(!project.root().join("planted.txt").exists() && !project.root().join("moved.txt").exists());
    }
}

#[test]
fn patched_files_are_saved_for_rewind_first() {
    let project = patching_project();
    project.write("a.txt", "one\n");
    let api = MockApi::start();
    api.push(patch_call(
        "p1",
        "*** Begin Patch\n*** Update File: a.txt\n-one\n+two\n*** Add File: b.txt\n+new\n*** End Patch",
    ));
    api.push(Reply::stream(Turn::text_only("Done.")));
    let output = run(claurst(&project, &api).args(["-p", "patch"]).args(ACCEPT_EDITS));
    assert!(output.status.success(), "{}", describe(&output));
    let log = walk(&project.home().join(".claurst/projects"))
        .into_iter()
        .find(|path| path.ends_with("checkpoints/turns.jsonl"))
        .expect("a checkpoint log");
    let befores: Vec<String> = std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|record| record["kind"] == "before")
        .map(|record| record["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(befores, ["a.txt", "b.txt"]);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The notebook's bytes before and after the span of cell `id` (found in the original).
fn around_cell(text: &str, id: &str) -> (String, String) {
    let marker = format!("\"id\": \"{id}\"");
    let at = text.find(&marker).unwrap();
    let start = text[..at].rfind("\n  {").unwrap();
    let end = at + text[at..].find("\n  }").unwrap() + 4;
    (text[..start].to_string(), text[end..].to_string())
}

#[test]
fn notebooks_are_read_with_outputs_and_edited_byte_identically_outside_the_cell() {
    let project = TempProject::new();
    project.write("analysis.ipynb", NOTEBOOK_FIXTURE);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("r1", "read_file", json!({"path": "analysis.ipynb"}))));
    api.push(Reply::stream(Turn::new().tool_use(
        "e1",
        "notebook_edit",
        json!({"notebook_path": "analysis.ipynb", "cell_id": "nope", "new_source": "x"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use(
        "e2",
        "notebook_edit",
        json!({"notebook_path": "analysis.ipynb", "cell_id": "c0ffee12", "new_source": "totals.describe()"}),
    )));
    api.push(Reply::stream(Turn::text_only("Edited.")));
    let output = run(claurst(&project, &api)
        .args(["-p", "edit the notebook", "--output-format", "json"])
        .args(ACCEPT_EDITS));
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    let read = &requests[1].body["messages"].as_array().unwrap().last().unwrap()["content"][0];
    let text = read["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("<cell index=\"2\" id=\"c0ffee12\" type=\"code\" execution_count=\"2\">"),
        "{text}"
    );
    assert!(text.contains("loaded 4 rows") && text.contains("ZeroDivisionError: division by zero"), "{text}");
    assert!(read["content"].as_array().unwrap().iter().any(|block| block["type"] == "image"), "{read}");
    let missing = tool_results(&requests[2].body);
    assert!(missing[0].1 && missing[0].0.contains("no cell has the id `nope`"), "{missing:?}");
    let edited = tool_results(&requests[3].body);
    assert!(!edited[0].1, "{edited:?}");
    let after = project.read("analysis.ipynb");
    assert_eq!(around_cell(&after, "c0ffee12"), around_cell(NOTEBOOK_FIXTURE, "c0ffee12"));
    let notebook: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(notebook["cells"][2]["source"], json!(["totals.describe()"]));
    assert_eq!(notebook["cells"][2]["outputs"], json!([]));
    assert!(stdout(&output).contains("Edited."));
}

#[test]
fn system_init_lists_the_new_tools_by_model() {
    let init_tools = |project: &TempProject, api: &MockApi, model: &[&str]| -> Vec<String> {
        api.push(Reply::stream(Turn::text_only("ok")));
        let mut command = claurst(project, api);
        command.env_remove("ANTHROPIC_API_KEY").args([
            "-p",
            "hi",
            "--output-format",
            "stream-json",
            "--verbose",
        ]);
        let output = run(command.args(model));
        assert!(output.status.success(), "{}", describe(&output));
        let init: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
        assert_eq!(init["subtype"], "init");
        init["tools"].as_array().unwrap().iter().map(|tool| tool.as_str().unwrap().to_string()).collect()
    };
    let api = MockApi::start();
    let project = TempProject::new();
    project.write(
        ".claurst.toml",
        format!("[providers.local]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n", api.openai_url()),
    );
    let openai = init_tools(&project, &api, &["--model", "local/gpt-5-codex"]);
    assert!(openai.contains(&"apply_patch".into()) && openai.contains(&"notebook_edit".into()), "{openai:?}");
    let local = init_tools(&project, &api, &["--model", "local/qwen3"]);
    assert!(!local.contains(&"apply_patch".into()) && local.contains(&"notebook_edit".into()), "{local:?}");
}

#[test]
fn a_patch_approval_in_the_terminal_shows_every_file_and_applies_once_approved() {
    use claurst_test_support::{PtySession, claurst_pty_command, keys};
    let project = patching_project();
    project.write("src/app.py", "def greet():\n    return 'hi'\n");
    let api = MockApi::start();
    let patch = "*** Begin Patch\n*** Update File: src/app.py\n-    return 'hi'\n+    return 'hello'\n\
                 *** Add File: src/util.py\n+VALUE = 1\n*** End Patch";
    api.push(patch_call("p1", patch));
    api.push(Reply::stream(Turn::text_only("Patched both.")));
    let wait = std::time::Duration::from_secs(10);
    let mut session = PtySession::spawn(
        claurst_pty_command(std::path::Path::new(crate::BIN), &project, Some(&api)),
        30,
        100,
    );
    session.wait_for("ctx 0%", wait);
    session.type_text("patch it");
    session.send(keys::ENTER);
    let screen = session.wait_until("the patch's approval", wait, |screen| {
        screen.contains("Allow apply_patch?") && screen.contains("src/util.py (new)")
    });
    assert!(screen.contains("2 files · Added 2 lines, removed 1 line"), "{screen}");
    assert_eq!(
        project.read("src/app.py"),
        "def greet():\n    return 'hi'\n",
        "nothing written before approval"
    );
    session.send("1");
    session.wait_for("Patched both.", wait);
    assert_eq!(project.read("src/app.py"), "def greet():\n    return 'hello'\n");
    assert_eq!(project.read("src/util.py"), "VALUE = 1\n");
}
