//! Images through the real binary: `view_image`, and images pasted into the prompt.

use crate::{claurst, run, tool_results};
use base64::Engine;
use claurst_test_support::{MockApi, Reply, TempProject, Turn, describe};
use serde_json::{Value, json};

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05,
    0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
    0x60, 0x82,
];

pub fn png_base64() -> String {
    base64::engine::general_purpose::STANDARD.encode(PNG)
}

/// The image blocks of a tool_result in the last message of a request.
fn result_images(body: &Value) -> Vec<Value> {
    let last = body["messages"].as_array().unwrap().last().unwrap();
    let mut images = Vec::new();
    for block in last["content"].as_array().unwrap() {
        for part in block["content"].as_array().into_iter().flatten() {
            if part["type"] == "image" {
                images.push(part["source"].clone());
            }
        }
    }
    images
}

#[test]
fn view_image_sends_the_image_to_the_model() {
    let project = TempProject::new();
    project.write("shots/screen.png", PNG);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "view_image", json!({"path": "shots/screen.png"}))));
    api.push(Reply::stream(Turn::text_only("a red pixel")));
    let output = run(claurst(&project, &api).args(["-p", "look"]));
    assert!(output.status.success(), "{}", describe(&output));
    let body = &api.requests()[1].body;
    let (text, is_error) = &tool_results(body)[0];
    assert!(!is_error && text.contains("image/png, 70 bytes"), "{text}");
    let images = result_images(body);
    assert_eq!(images, [json!({"type": "base64", "media_type": "image/png", "data": png_base64()})]);
    let tools = api.requests()[0].body["tools"].to_string();
    assert!(tools.contains("\"view_image\""), "offered: {tools}");
}

#[test]
fn view_image_refuses_text_and_missing_files() {
    let project = TempProject::new();
    project.write("notes.png", "just text");
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "view_image", json!({"path": "notes.png"})).tool_use(
        "t2",
        "view_image",
        json!({"path": "missing.png"}),
    )));
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "look"]));
    assert!(output.status.success(), "{}", describe(&output));
    let body = &api.requests()[1].body;
    let results = tool_results(body);
    assert!(results[0].1 && results[0].0.contains("is not a PNG, JPEG, GIF or WebP image"), "{results:?}");
    assert!(results[1].1 && results[1].0.contains("File not found"), "{results:?}");
    assert!(result_images(body).is_empty());
}

/// The image blocks of the first user message of a request.
fn prompt_images(body: &Value) -> Vec<Value> {
    let first = &body["messages"][0]["content"];
    first
        .as_array()
        .unwrap()
        .iter()
        .filter(|block| block["type"] == "image")
        .map(|b| b["source"].clone())
        .collect()
}

fn start_tui(
    project: &TempProject,
    api: &MockApi,
    env: &[(&str, String)],
) -> claurst_test_support::PtySession {
    let mut command =
        claurst_test_support::claurst_pty_command(std::path::Path::new(crate::BIN), project, Some(api));
    for (name, value) in env {
        command.env(name, value);
    }
    let session = claurst_test_support::PtySession::spawn(command, 24, 100);
    session.wait_for("ctx 0%", WAIT);
    session
}

const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[test]
fn a_pasted_image_path_is_sent_as_an_image_block() {
    use claurst_test_support::keys;
    let project = TempProject::new();
    let path = project.write("my shots/red dot.png", PNG);
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("a red dot")));
    let mut session = start_tui(&project, &api, &[]);
    session.type_text("what is this ");
    // As a terminal pastes a dropped file: bracketed, with the spaces escaped.
    let dropped = path.display().to_string().replace(' ', "\\ ");
    session.send(&format!("\x1b[200~{dropped}\x1b[201~"));
    session.wait_for("what is this [Image #1]", WAIT);
    session.send(keys::ENTER);
    let screen = session.wait_for("a red dot", WAIT);
    assert!(screen.contains("› what is this [Image #1]"), "the transcript shows the chip: {screen}");
    let body = &api.requests()[0].body;
    assert_eq!(
        prompt_images(body),
        [json!({"type": "base64", "media_type": "image/png", "data": png_base64()})]
    );
    assert!(body["messages"][0].to_string().contains("what is this [Image #1]"), "{body}");
}

#[test]
fn ctrl_v_pastes_the_clipboard_image_or_says_what_to_install() {
    use claurst_test_support::keys;
    let project = TempProject::new();
    let api = MockApi::start();
    // No display: no clipboard program applies.
    let mut session = start_tui(&project, &api, &[]);
    session.send("\x16");
    session.wait_for("Cannot read the clipboard: install wl-clipboard", WAIT);
    drop(session);

    // An X11 session whose `xclip` gives a PNG.
    let image = project.write("clip.png", PNG);
    let bin = project.root().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("xclip");
    std::fs::write(&script, format!("#!/bin/sh\nexec cat '{}'\n", image.display())).unwrap();
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    api.push(Reply::stream(Turn::text_only("seen")));
    let mut session = start_tui(&project, &api, &[("PATH", path), ("DISPLAY", ":99".into())]);
    session.type_text("from the clipboard ");
    session.send("\x16");
    session.wait_for("from the clipboard [Image #1]", WAIT);
    session.send(keys::ENTER);
    session.wait_for("seen", WAIT);
    let body = &api.requests()[0].body;
    assert_eq!(
        prompt_images(body),
        [json!({"type": "base64", "media_type": "image/png", "data": png_base64()})]
    );
}

#[test]
fn system_init_lists_view_image() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("ok")));
    let output = run(claurst(&project, &api).args(["-p", "hi", "--output-format", "stream-json"]));
    assert!(output.status.success(), "{}", describe(&output));
    let first: Value = serde_json::from_str(crate::stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["subtype"], "init");
    assert!(first["tools"].as_array().unwrap().contains(&json!("view_image")), "{first}");
}

#[test]
fn a_model_known_not_to_take_images_is_told_instead_of_sent_one() {
    let project = TempProject::new();
    project.write("shot.png", PNG);
    let api = MockApi::start();
    project.write(
        ".claurst.toml",
        format!(
            "[providers.local]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n\n[providers.local.models.\"textonly\"]\n\
             images = false\n",
            api.openai_url()
        ),
    );
    api.push(Reply::stream(Turn::new().tool_use("c1", "view_image", json!({"path": "shot.png"}))));
    api.push(Reply::stream(Turn::text_only("I cannot see it.")));
    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").args(["-p", "--model", "local/textonly", "look"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    let body = api.requests()[1].body.to_string();
    assert!(body.contains("does not take image input, so the image was not sent"), "{body}");
    assert!(!body.contains("image_url") && !body.contains(&png_base64()), "{body}");
}
