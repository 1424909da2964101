//! Web search through the binary: the API's server-side search on Anthropic models (declared with the domain
//! lists, its blocks kept and sent back unchanged, shown in headless output, never executed by the agent),
//! turned off by config or a deny, and the SearXNG-backed client tool on an OpenAI-compatible provider.

use crate::{claurst, run, stdout, tool_results};
use claurst_test_support::{MockApi, MockWeb, Reply, TempProject, Turn, WebResponse, WireFormat, describe};
use serde_json::{Value, json};

/// A reply that searches, cites what it found, then reads a file (so the loop sends a second request).
fn searching_turn() -> Turn {
    Turn::new()
        .text("Let me look that up.")
        .web_search("srvtoolu_01", "rust 2024 edition")
        .web_search_results(
            "srvtoolu_01",
            &[
                ("https://blog.rust-lang.org/2025/02/20/Rust-1.85.0.html", "Announcing Rust 1.85.0"),
                ("https://doc.rust-lang.org/edition-guide/", "The Rust Edition Guide"),
            ],
        )
        .cited_text(
            "Rust 2024 shipped with Rust 1.85.",
            &[(
                "https://blog.rust-lang.org/2025/02/20/Rust-1.85.0.html",
                "Announcing Rust 1.85.0",
                "The Rust 2024 edition is now stable",
            )],
        )
        .tool_use("toolu_1", "read_file", json!({"path": "notes.txt"}))
        .web_search_requests(1)
}

/// The declared tool named `name`, without its cache marker.
fn declared<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body["tools"].as_array()?.iter().find(|tool| tool["name"] == name)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

#[test]
fn a_server_search_is_declared_kept_sent_back_unchanged_and_printed() {
    let project = TempProject::new();
    project.write("notes.txt", "edition notes\n");
    project
        .write(".claurst.toml", "[tools.web_search]\nmax_uses = 2\nallowed_domains = [\"rust-lang.org\"]\n");
    let api = MockApi::start();
    api.push(Reply::stream(searching_turn()));
    api.push(Reply::stream(Turn::text_only("Done: Rust 2024 is stable.")));
    let output = run(claurst(&project, &api).args([
        "-p",
        "--output-format",
        "stream-json",
        "--verbose",
        "what is new in rust 2024?",
    ]));
    assert!(output.status.success(), "{}", describe(&output));

    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    let mut search = declared(&requests[0].body, "web_search").expect("web_search declared").clone();
    search.as_object_mut().unwrap().remove("cache_control");
    assert_eq!(
        search,
        json!({"type": "web_search_20250305", "name": "web_search", "max_uses": 2, "allowed_domains": ["rust-lang.org"]})
    );
    // The second request carries the search exactly as the API sent it, and no result for it: the agent
    // never runs a server tool.
    let sent_back = &requests[1].body["messages"][1]["content"];
    assert_eq!(
        sent_back[1],
        json!({"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {"query": "rust 2024 edition"}})
    );
    assert_eq!(sent_back[2]["type"], "web_search_tool_result");
    assert_eq!(sent_back[2]["tool_use_id"], "srvtoolu_01");
    assert_eq!(sent_back[2]["content"][0]["encrypted_content"], "EncContent0==");
    assert_eq!(sent_back[2]["content"][1]["title"], "The Rust Edition Guide");
    assert_eq!(sent_back[2]["content"][1]["page_age"], "April 1, 2025");
    assert_eq!(sent_back[3]["citations"][0]["encrypted_index"], "EncIndex0=");
    assert_eq!(sent_back[3]["citations"][0]["cited_text"], "The Rust 2024 edition is now stable");
    let results = tool_results(&requests[1].body);
    assert_eq!(results.len(), 1, "only the client tool's result: {results:?}");
    assert!(results[0].0.contains("edition notes"));

    let lines = json_lines(&stdout(&output));
    let init = lines.iter().find(|line| line["subtype"] == "init").unwrap();
    assert!(init["tools"].as_array().unwrap().iter().any(|tool| tool == "web_search"), "{init}");
    let assistant = lines
        .iter()
        .find(|line| {
            line["type"] == "assistant" && line["message"]["content"].to_string().contains("srvtoolu_01")
        })
        .expect("an assistant line with the search");
    let kinds: Vec<&str> = assistant["message"]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "server_tool_use", "web_search_tool_result", "text", "tool_use"]);
    assert_eq!(assistant["message"]["usage"]["server_tool_use"]["web_search_requests"], 1);
    let result = lines.last().unwrap();
    assert_eq!(result["type"], "result");
    assert_eq!(result["usage"]["server_tool_use"]["web_search_requests"], 1);
    let model_usage = result["modelUsage"].as_object().unwrap().values().next().unwrap();
    assert_eq!(model_usage["webSearchRequests"], 1);
}

/// The API runs its searches without asking anyone, so a user who wants to be asked (an ask rule) or who
/// runs in `dontAsk` mode without allowing it does not get it offered; an allow rule brings it back.
#[test]
fn an_ask_rule_or_dont_ask_mode_keeps_the_server_search_out() {
    let project = TempProject::new();
    let api = MockApi::start();
    for _ in 0..4 {
        api.push(Reply::stream(Turn::text_only("ok")));
    }
    let ask = |extra: &[&str]| {
        let output = run(claurst(&project, &api).arg("-p").args(extra).arg("hi"));
        assert!(output.status.success(), "{}", describe(&output));
    };
    project.write(".claurst.toml", "[tools]\nask = [\"WebSearch\"]\n");
    ask(&[]);
    std::fs::remove_file(project.path(".claurst.toml")).unwrap();
    ask(&["--permission-mode", "dontAsk"]);
    ask(&["--permission-mode", "dontAsk", "--allowedTools", "web_search"]);
    ask(&["--permission-mode", "default"]);
    let requests = api.requests();
    assert!(
        declared(&requests[0].body, "web_search").is_none(),
        "an ask rule: {}",
        requests[0].body["tools"]
    );
    assert!(declared(&requests[1].body, "web_search").is_none(), "dontAsk without an allow rule");
    assert!(declared(&requests[2].body, "web_search").is_some(), "dontAsk with an allow rule");
    assert!(declared(&requests[3].body, "web_search").is_some(), "default mode, no rule");
}

#[test]
fn print_mode_answers_after_a_search_and_a_failed_search_is_no_error() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new()
            .web_search("srvtoolu_02", "claurst")
            .web_search_error("srvtoolu_02", "max_uses_exceeded")
            .text("I could not search, but here is what I know."),
    ));
    let output = run(claurst(&project, &api).args(["-p", "tell me about claurst"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "I could not search, but here is what I know.\n");
    assert_eq!(api.requests().len(), 1, "a failed server search asks nothing of the agent");
}

#[test]
fn a_deny_or_the_config_switch_keeps_the_search_out_of_the_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    for _ in 0..5 {
        api.push(Reply::stream(Turn::text_only("ok")));
    }
    let ask = |extra: &[&str]| {
        let mut command = claurst(&project, &api);
        command.args(["-p"]).args(extra).arg("hi");
        let output = run(&mut command);
        assert!(output.status.success(), "{}", describe(&output));
    };
    ask(&[]);
    ask(&["--disallowedTools", "web_search"]);
    // Claude Code's name for it works as well.
    ask(&["--disallowedTools", "WebSearch"]);
    project.write(".claurst.toml", "[tools]\ndeny = [\"web_search\"]\n");
    ask(&[]);
    project.write(".claurst.toml", "[tools.web_search]\nenabled = false\n");
    ask(&[]);
    let requests = api.requests();
    assert!(declared(&requests[0].body, "web_search").is_some(), "offered by default on Anthropic models");
    for (request, how) in requests[1..].iter().zip([
        "--disallowedTools",
        "--disallowedTools WebSearch",
        "a deny rule",
        "enabled = false",
    ]) {
        assert!(declared(&request.body, "web_search").is_none(), "{how}: {}", request.body["tools"]);
        assert!(declared(&request.body, "read_file").is_some(), "{how}: other tools stay");
    }
}

#[test]
fn an_openai_compatible_model_searches_through_searxng_with_the_domain_lists() {
    let project = TempProject::new();
    let api = MockApi::start();
    let web = MockWeb::start();
    web.route(
        "/search",
        WebResponse::new(
            200,
            "application/json",
            json!({"results": [
                {"url": "https://doc.rust-lang.org/edition-guide/", "title": "Edition Guide", "content": "Editions explained"},
                {"url": "https://www.spam.example/rust", "title": "Buy Rust", "content": "cheap"},
            ]})
            .to_string(),
        ),
    );
    let provider =
        format!("[providers.local]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n", api.openai_url());
    // Without a backend, the model is offered no search at all.
    project.write(".claurst.toml", &provider);
    api.push(Reply::stream(Turn::text_only("no search here")));
    let output = run(claurst(&project, &api).args(["-p", "--model", "local/qwen3", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    let function_names = |body: &Value| -> Vec<String> {
        body["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["function"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!function_names(&api.requests()[0].body).contains(&"web_search".to_string()));

    project.write(
        ".claurst.toml",
        format!(
            "{provider}\n[tools]\nallow = [\"web_search\"]\n\n[tools.web_search]\nprovider = \"searxng\"\n\
             url = \"{}\"\nblocked_domains = [\"spam.example\"]\n",
            web.url()
        ),
    );
    api.push(Reply::stream(Turn::new().tool_use("c1", "web_search", json!({"query": "rust editions"}))));
    api.push(Reply::stream(Turn::text_only("Editions are explained in the guide.")));
    let output = run(claurst(&project, &api).args(["-p", "--model", "local/qwen3", "what are editions?"]));
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "Editions are explained in the guide.\n");
    let requests = api.requests();
    assert!(requests.iter().all(|r| r.wire_format() == Some(WireFormat::ChatCompletions)));
    assert!(function_names(&requests[1].body).contains(&"web_search".to_string()));
    let searched = web.requests();
    assert_eq!(searched.len(), 1);
    assert!(searched[0].path.starts_with("/search?q=rust+editions&format=json"), "{}", searched[0].path);
    let tool_message = requests[2].body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|message| message["role"] == "tool")
        .unwrap()["content"]
        .to_string();
    assert!(tool_message.contains("https://doc.rust-lang.org/edition-guide/"), "{tool_message}");
    assert!(tool_message.contains("Editions explained"), "{tool_message}");
    assert!(!tool_message.contains("spam.example"), "the blocked domain is filtered: {tool_message}");

    // A call's own allow-list narrows the configured lists further.
    let input = json!({"query": "rust editions", "allowed_domains": ["blog.rust-lang.org"]});
    api.push(Reply::stream(Turn::new().tool_use("c2", "web_search", input)));
    api.push(Reply::stream(Turn::text_only("Nothing from the blog.")));
    let output = run(claurst(&project, &api).args(["-p", "--model", "local/qwen3", "blog only"]));
    assert!(output.status.success(), "{}", describe(&output));
    let last = api.requests().last().unwrap().body["messages"].to_string();
    assert!(last.contains("No results for") && !last.contains("doc.rust-lang.org/edition-guide"), "{last}");
}

#[test]
fn the_interface_shows_a_search_its_results_and_the_cited_sources() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(
        Turn::new()
            .web_search("srvtoolu_03", "rust 2024 edition")
            .web_search_results(
                "srvtoolu_03",
                &[("https://doc.rust-lang.org/edition-guide/", "The Edition Guide")],
            )
            .cited_text(
                "Editions are described in the guide.",
                &[("https://doc.rust-lang.org/edition-guide/", "The Edition Guide", "What are editions?")],
            ),
    ));
    let mut session = crate::tui::start(&project, &api, 30, 100);
    session.type_text("what are editions?");
    session.send(claurst_test_support::keys::ENTER);
    let screen = session.wait_for("Sources:", std::time::Duration::from_secs(10));
    assert!(screen.contains("✓ Web search · rust 2024 edition"), "{screen}");
    assert!(screen.contains("1 result"), "{screen}");
    assert!(screen.contains("Editions are described in the guide."), "{screen}");
    assert_eq!(screen.matches("https://doc.rust-lang.org/edition-guide/").count(), 2, "{screen}");
}
