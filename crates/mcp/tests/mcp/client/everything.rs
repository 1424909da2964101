//! server-everything and server-filesystem, the reference servers, over every transport.

use super::*;
use claurst_permissions::Access;
use claurst_protocol::{ToolFamily, ToolResultContent};
use claurst_test_support::mcp_servers::{self, EverythingHttp, McpServers};
use serde_json::json;

fn servers() -> McpServers {
    mcp_servers::install().unwrap_or_else(|error| panic!("{error}"))
}

fn everything_stdio() -> McpServerConfig {
    let (command, mut args) = servers().everything();
    args.push("stdio".to_string());
    config("everything", stdio(&command, &args))
}

fn text(outcome: &ToolOutcome) -> &str {
    &outcome.result.output
}

#[tokio::test(flavor = "multi_thread")]
async fn stdio_tools_calls_images_progress_resources_and_prompts() {
    let mut definition = everything_stdio();
    definition.disabled_tools = vec!["get-env".to_string()];
    let servers = Servers::start(vec![definition]).await;
    servers.assert_ready("everything");
    let view = servers.view("everything");
    assert!(view.tools.contains(&"mcp__everything__echo".to_string()), "{:?}", view.tools);
    assert!(!view.tools.iter().any(|name| name.contains("get-env")), "disabled_tools: {:?}", view.tools);
    assert!(view.target.ends_with("index.js stdio"), "{}", view.target);

    let echo = servers.tool("mcp__everything__echo");
    assert_eq!(echo.input_schema()["type"], "object");
    assert!(echo.input_schema()["properties"]["message"].is_object());
    assert_eq!(echo.family(), ToolFamily::Network);
    assert_eq!(echo.title(), "everything · Echo Tool (MCP)");
    assert_eq!(echo.key_argument(&json!({"message": "hi"})), Some("hi".to_string()));
    assert!(matches!(echo.access(&json!({})), Access::External { .. }));

    let echoed = echo.run(json!({"message": "hello over stdio"})).await;
    assert!(!echoed.result.is_error && text(&echoed).contains("hello over stdio"), "{echoed:?}");
    let sum = servers.call("mcp__everything__get-sum", json!({"a": 2, "b": 40})).await;
    assert!(text(&sum).contains("42"), "{sum:?}");

    let image = servers.call("mcp__everything__get-tiny-image", json!({})).await;
    let images: Vec<_> =
        image.extra_content.iter().filter(|block| matches!(block, ToolResultContent::Image { .. })).collect();
    assert_eq!(images.len(), 1, "{:?}", image.result);
    let ToolResultContent::Image { source } = images[0] else { unreachable!() };
    assert_eq!((source.kind.as_str(), source.media_type.as_str()), ("base64", "image/png"));

    let long = servers
        .call("mcp__everything__trigger-long-running-operation", json!({"duration": 1, "steps": 3}))
        .await;
    assert!(!long.result.is_error && text(&long).contains("completed"), "{long:?}");

    // What composer completion offers: the resources in the server's view.
    let mentions = servers.view("everything").resources;
    let (uri, _) = mentions.iter().find(|(uri, _)| uri.ends_with("features.md")).expect("a docs resource");
    let read = servers.manager.read_resource("everything", uri).await.unwrap();
    assert!(text(&read).contains(uri.as_str()) && text(&read).len() > 100, "{read:?}");
    let tools = servers.manager.tools();
    let list = tools.iter().find(|tool| tool.name() == "list_mcp_resources").expect("resource tools offered");
    let listed = list.run(json!({"server": "everything"})).await;
    assert!(text(&listed).contains(uri.as_str()), "{listed:?}");
    let read_tool = servers.tool("read_mcp_resource");
    assert!(read_tool.is_read_only(&json!({})));
    let read = read_tool.run(json!({"server": "everything", "uri": uri})).await;
    assert!(!read.result.is_error, "{read:?}");

    assert!(view.prompts.iter().any(|prompt| prompt.name == "args-prompt"), "{:?}", view.prompts);
    let simple = servers.manager.prompt_text("everything", "simple-prompt", Vec::new()).await.unwrap();
    assert_eq!(simple, "This is a simple prompt without arguments.");
    let args = vec![("city".to_string(), "Lisbon".to_string())];
    let weather = servers.manager.prompt_text("everything", "args-prompt", args).await.unwrap();
    assert!(weather.contains("Lisbon"), "{weather}");
}

#[tokio::test(flavor = "multi_thread")]
async fn streamable_http_calls_a_tool() {
    let server = EverythingHttp::start("streamableHttp");
    let url = format!("http://127.0.0.1:{}/mcp", server.port);
    let headers = BTreeMap::from([("Authorization".to_string(), "Bearer test-token".to_string())]);
    let servers = Servers::start(vec![config("web", McpTransport::Http { url: url.clone(), headers })]).await;
    servers.assert_ready("web");
    assert_eq!(servers.view("web").target, url);
    let echoed = servers.call("mcp__web__echo", json!({"message": "hello over http"})).await;
    assert!(text(&echoed).contains("hello over http"), "{echoed:?}");
    let sum = servers.call("mcp__web__get-sum", json!({"a": 1, "b": 2})).await;
    assert!(text(&sum).contains('3'), "{sum:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_sse_calls_a_tool() {
    let server = EverythingHttp::start("sse");
    let url = format!("http://127.0.0.1:{}/sse", server.port);
    let servers =
        Servers::start(vec![config("old", McpTransport::Sse { url, headers: BTreeMap::new() })]).await;
    servers.assert_ready("old");
    let echoed = servers.call("mcp__old__echo", json!({"message": "hello over sse"})).await;
    assert!(text(&echoed).contains("hello over sse"), "{echoed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn filesystem_server_reads_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "the filesystem server read this").unwrap();
    let (command, mut args) = servers().filesystem();
    args.push(dir.path().display().to_string());
    let servers = Servers::start(vec![config("fs", stdio(&command, &args))]).await;
    servers.assert_ready("fs");
    let read = servers.call("mcp__fs__read_text_file", json!({"path": file.display().to_string()})).await;
    assert!(!read.result.is_error && text(&read).contains("the filesystem server read this"), "{read:?}");
}
