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
