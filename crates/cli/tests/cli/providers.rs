//! Providers through the binary: an OpenAI-compatible server without any Anthropic key, the key check per
//! provider, thinking, effort and header variables reaching the request, and unknown prices.

use crate::{claurst, run, stderr, stdout};
use claurst_test_support::litellm::LiteLlmProxy;
use claurst_test_support::{MockApi, Reply, TempProject, Turn, WireFormat, describe};
use serde_json::{Value, json};

/// `[providers.NAME]` pointing at the mock's Chat Completions mode, keyless unless `key_env` is given: in
/// the project's file, or the user's when it names a key (a project may not say where a key goes).
fn provider_config(project: &TempProject, api: &MockApi, name: &str, key_env: Option<&str>) {
    let key = key_env.map(|var| format!("api_key_env = \"{var}\"\n")).unwrap_or_default();
    let text =
        format!("[providers.{name}]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n{key}", api.openai_url());
    if key_env.is_some() {
        project.write_home(".claurst/config.toml", text);
    } else {
        project.write(".claurst.toml", text);
    }
}

/// The text of every `tool` message of a Chat Completions request.
fn chat_tool_results(body: &Value) -> Vec<String> {
    body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|message| message["role"] == "tool")
        .map(|message| match &message["content"] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn a_keyless_openai_compatible_provider_runs_a_tool_session_without_an_anthropic_key() {
    let project = TempProject::new();
    project.write("notes.txt", "the word is plover\n");
    let api = MockApi::start();
    provider_config(&project, &api, "local", None);
    api.push(Reply::stream(Turn::new().text("Looking.").tool_use("c1", "bash", json!({"command": "ls"}))));
    api.push(
        Reply::stream(Turn::new().tool_use("c2", "read_file", json!({"path": "notes.txt"})))
            .tool_arguments_every(4),
    );
    api.push(Reply::stream(Turn::text_only("The word is plover.")));
    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").args(["-p", "--model", "local/qwen3", "what is the word?"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(stdout(&output), "The word is plover.\n");
    let requests = api.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.wire_format() == Some(WireFormat::ChatCompletions)));
    assert_eq!(requests[0].body["model"], "qwen3");
    assert!(chat_tool_results(&requests[1].body)[0].contains("notes.txt"));
    assert!(chat_tool_results(&requests[2].body)[1].contains("plover"));
}

#[test]
fn a_provider_without_its_key_names_the_variable() {
    let project = TempProject::new();
    let api = MockApi::start();
    provider_config(&project, &api, "hosted", Some("HOSTED_TEST_KEY"));
    let mut command = claurst(&project, &api);
    command.env_remove("HOSTED_TEST_KEY").args(["-p", "--provider", "hosted", "--model", "m", "hi"]);
    let output = run(&mut command);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains("`hosted`") && error.contains("HOSTED_TEST_KEY"), "{error}");
    assert!(api.requests().is_empty());

    api.push(Reply::stream(Turn::text_only("keyed")));
    let mut command = claurst(&project, &api);
    command.env("HOSTED_TEST_KEY", "sk-hosted").args(["-p", "--model", "hosted/m", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(api.requests()[0].header("authorization"), Some("Bearer sk-hosted"));
}

#[test]
fn max_thinking_tokens_reaches_the_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().thinking("hmm", "sig").text("thought about it")));
    let output = run(claurst(&project, &api).args(["-p", "--max-thinking-tokens", "4096", "think"]));
    assert!(output.status.success(), "{}", describe(&output));
    let body = &api.requests()[0].body;
    assert_eq!(body["thinking"], json!({"type": "enabled", "budget_tokens": 4096}));
    assert!(body["max_tokens"].as_u64().unwrap() > 4096, "{body}");
}

#[test]
fn claurst_provider_effort_and_header_variables_reach_the_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    // Headers read from the environment are the user's to configure (a project's file may not).
    project.write_home(
        ".claurst/config.toml",
        format!(
            "[api]\neffort = \"low\"\n\n[providers.local]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n\
             headers = {{ \"X-Team\" = \"$TEAM_TEST_TOKEN\", \"X-Braced\" = \"${{TEAM_TEST_TOKEN}}\", \
             \"X-Title\" = \"claurst\" }}\n\n[providers.local.models.\"qwen3\"]\nthinking = true\n",
            api.openai_url()
        ),
    );
    api.push(Reply::stream(Turn::text_only("one")));
    api.push(Reply::stream(Turn::text_only("two")));
    // CLAURST_PROVIDER picks the provider for a bare model id; `[api] effort` reaches the body.
    let mut command = claurst(&project, &api);
    command
        .env("CLAURST_PROVIDER", "local")
        .env("TEAM_TEST_TOKEN", "t-42")
        .args(["-p", "--model", "qwen3", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    // `--effort` overrides `[api] effort`.
    let mut command = claurst(&project, &api);
    command
        .env("CLAURST_PROVIDER", "local")
        .env("TEAM_TEST_TOKEN", "t-42")
        .args(["-p", "--model", "qwen3", "--effort", "high", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    let requests = api.requests();
    assert!(requests.iter().all(|r| r.wire_format() == Some(WireFormat::ChatCompletions)));
    assert_eq!(requests[0].body["model"], "qwen3");
    assert_eq!(requests[0].body["reasoning_effort"], "low");
    assert_eq!(requests[1].body["reasoning_effort"], "high");
    assert_eq!(requests[0].header("x-team"), Some("t-42"));
    assert_eq!(requests[0].header("x-braced"), Some("t-42"));
    assert_eq!(requests[0].header("x-title"), Some("claurst"));

    // An unset variable leaves the header out, with a warning naming it.
    api.push(Reply::stream(Turn::text_only("three")));
    let mut command = claurst(&project, &api);
    command.env("CLAURST_PROVIDER", "local").args(["-p", "--model", "qwen3", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    assert!(stderr(&output).contains("TEAM_TEST_TOKEN"), "{}", describe(&output));
    assert_eq!(api.requests()[2].header("x-team"), None);
    assert_eq!(api.requests()[2].header("x-title"), Some("claurst"));
}

#[test]
fn an_unknown_price_is_shown_as_unknown_not_zero() {
    let project = TempProject::new();
    let api = MockApi::start();
    provider_config(&project, &api, "local", None);
    api.push(Reply::stream(Turn::text_only("hello").usage(1200, 30)));
    let mut command = claurst(&project, &api);
    command.args(["-p", "--verbose", "--model", "local/qwen3", "hi"]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}", describe(&output));
    let error = stderr(&output);
    assert!(error.contains("cost: price unknown (1200 input, 30 output tokens)"), "{error}");

    // A known price (from the model's metadata) is shown in dollars.
    project.write(
        ".claurst.toml",
        format!(
            "[providers.local]\nkind = \"openai-chat\"\nbase_url = \"{}\"\n\n[providers.local.models.\"qwen3\"]\n\
             input_price = 1.0\noutput_price = 2.0\n",
            api.openai_url()
        ),
    );
    api.push(Reply::stream(Turn::text_only("hello").usage(1_000_000, 0)));
    let output = run(claurst(&project, &api).args(["-p", "--verbose", "--model", "local/qwen3", "hi"]));
    let error = stderr(&output);
    assert!(error.contains("cost: $1.0000"), "{error}");
}

#[test]
fn a_chat_completions_server_that_fails_is_retried_and_json_names_the_model() {
    let project = TempProject::new();
    let api = MockApi::start();
    provider_config(&project, &api, "local", None);
    api.push(Reply::overloaded());
    api.push(Reply::stream(Turn::text_only("done").usage(10, 2)));
    let output =
        run(claurst(&project, &api).args(["-p", "--model", "local/qwen3", "--output-format", "json", "hi"]));
    assert!(output.status.success(), "{}", describe(&output));
    let result: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(result["result"], "done");
    assert_eq!(result["total_cost_usd"], 0.0, "the known part: nothing is priced");
    assert!(result["modelUsage"].get("local/qwen3").is_some(), "{result}");
    assert_eq!(api.requests().len(), 2);
}

/// An independent OpenAI-compatible server (the LiteLLM proxy from PyPI) between Claurst and the scripted
/// Messages API: Claurst speaks Chat Completions to LiteLLM, LiteLLM translates to the Messages API. The agent
/// completes a multi-turn tool session through it, and each tool result reaches the upstream paired with its
/// call.
#[test]
fn a_multi_turn_tool_session_through_the_litellm_proxy() {
    let project = TempProject::new();
    project.write("notes.txt", "the word is plover\n");
    let api = MockApi::start();
    let proxy = LiteLlmProxy::start(&api);
    project.write_home(
        ".claurst/config.toml",
        format!(
            "[providers.litellm]\nkind = \"openai-chat\"\nbase_url = \"{}\"\napi_key_env = \"LITELLM_TEST_KEY\"\n",
            proxy.url()
        ),
    );
    api.push(Reply::stream(Turn::new().text("Looking.").tool_use(
        "toolu_1",
        "bash",
        json!({"command": "ls"}),
    )));
    api.push(Reply::stream(Turn::new().tool_use("toolu_2", "read_file", json!({"path": "notes.txt"}))));
    api.push(Reply::stream(Turn::text_only("The word is plover.")));
    let mut command = claurst(&project, &api);
    command.env_remove("ANTHROPIC_API_KEY").env("LITELLM_TEST_KEY", proxy.api_key()).args([
        "-p",
        "--model",
        &format!("litellm/{}", proxy.model()),
        "what is the word?",
    ]);
    let output = run(&mut command);
    assert!(output.status.success(), "{}\nproxy log:\n{}", describe(&output), proxy.log());
    assert_eq!(stdout(&output), "The word is plover.\n");
    let requests = api.requests();
    assert_eq!(requests.len(), 3, "one upstream request per turn");
    assert!(
        requests.iter().all(|r| r.wire_format() == Some(WireFormat::Messages)),
        "LiteLLM translated them"
    );
    // LiteLLM forwards a tool message's text as a tool_result whose content is a plain string.
    let result_of = |index: usize, id: &str| -> String {
        let last = requests[index].body["messages"].as_array().unwrap().last().unwrap().clone();
        let block = last["content"].as_array().unwrap().iter().find(|b| b["tool_use_id"] == id).cloned();
        let block = block.unwrap_or_else(|| panic!("no tool_result for {id} in {last}"));
        match &block["content"] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    };
    assert!(result_of(1, "toolu_1").contains("notes.txt"));
    assert!(result_of(2, "toolu_2").contains("plover"));
}
