//! The driving program's own hooks and MCP servers (an Agent SDK's hook callbacks and in-process servers),
//! reached through `hook_callback` and `mcp_message` requests Claurst sends on stdout.

use crate::stream_input::{answer, control, start};
use crate::tool_result_text;
use claurst_test_support::{JsonLinesSession, MockApi, Reply, TempProject, Turn};
use serde_json::{Value, json};

fn is_request(line: &Value, subtype: &str) -> bool {
    line["type"] == "control_request" && line["request"]["subtype"] == subtype
}

#[test]
fn a_program_hook_denies_one_command_and_lets_the_next_run() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "bash", json!({"command": "touch first"}))));
    api.push(Reply::stream(Turn::text_only("refused")));
    api.push(Reply::stream(Turn::new().tool_use("t2", "bash", json!({"command": "touch second"}))));
    api.push(Reply::stream(Turn::text_only("ran")));
    // Nothing else would stop the command: only the hook can.
    let mut session = start(&project, &api, &["--permission-mode", "bypassPermissions"]);
    let hooks = json!({"PreToolUse": [{"matcher": "Bash", "hookCallbackIds": ["hook_0"], "timeout": 30}]});
    session.send(&control("init", json!({"subtype": "initialize", "hooks": hooks})));
    let reply = session.wait_for_response("init");
    assert_eq!(reply["response"]["subtype"], "success", "{reply}");

    session.send_prompt("make the first file");
    let call = session.wait_for(|line| is_request(line, "hook_callback"));
    let request = &call["request"];
    assert_eq!(request["callback_id"], "hook_0");
    assert_eq!(request["tool_use_id"], "t1");
    assert_eq!(request["input"]["hook_event_name"], "PreToolUse");
    assert_eq!(request["input"]["tool_name"], "bash");
    assert_eq!(request["input"]["tool_input"]["command"], "touch first");
    let deny = json!({"hookSpecificOutput": {
        "hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": "not that file",
    }});
    answer(&mut session, &call, deny);
    let result = session.wait_for_type("result", None);
    assert_eq!(result["result"], "refused", "{}", session.transcript());
    // `touch` finishes at once: had the call run, the file would be there when the turn ended.
    assert!(!project.path("first").exists(), "the denied command ran");
    assert!(tool_result_text(&api.requests()[1].body).contains("not that file"));

    session.send_prompt("make the second file");
    let call = session.wait_for(|line| is_request(line, "hook_callback"));
    assert_eq!(call["request"]["tool_use_id"], "t2");
    answer(&mut session, &call, json!({}));
    let result = session.wait_for_type("result", None);
    assert_eq!(result["result"], "ran", "{}", session.transcript());
    assert!(project.path("second").exists(), "an empty answer lets the command run");
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "{stderr}");
}

#[test]
fn hooks_of_the_first_initialize_hear_the_session_start() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::text_only("hello")));
    let mut session = start(&project, &api, &[]);
    let hooks = json!({"SessionStart": [{"matcher": null, "hookCallbackIds": ["hook_start"]}]});
    session.send(&control("init", json!({"subtype": "initialize", "hooks": hooks})));
    let call = session.wait_for(|line| is_request(line, "hook_callback"));
    assert_eq!(call["request"]["callback_id"], "hook_start");
    assert_eq!(call["request"]["input"]["hook_event_name"], "SessionStart");
    assert_eq!(call["request"]["input"]["source"], "startup");
    let context = json!({"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": "deploys freeze on Friday"}});
    answer(&mut session, &call, context);
    session.send_prompt("hi");
    let result = session.wait_for_type("result", None);
    assert_eq!(result["result"], "hello", "{}", session.transcript());
    let first = api.requests()[0].body["messages"][0].to_string();
    assert!(first.contains("deploys freeze on Friday"), "{first}");
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "{stderr}");
}

#[test]
fn hooks_for_an_event_claurst_lacks_fail_the_initialize_request() {
    let project = TempProject::new();
    let api = MockApi::start();
    let mut session = start(&project, &api, &[]);
    let hooks = json!({"PermissionRequest": [{"matcher": null, "hookCallbackIds": ["hook_0"]}]});
    session.send(&control("init", json!({"subtype": "initialize", "hooks": hooks})));
    let reply = session.wait_for_response("init");
    assert_eq!(reply["response"]["subtype"], "error", "{reply}");
    assert!(reply["response"]["error"].as_str().unwrap().contains("PermissionRequest"), "{reply}");
}

/// The in-process server `calc` as an SDK serves it: one tool, `add`.
fn calc_reply(message: &Value) -> Value {
    let id = message["id"].clone();
    let result = match message["method"].as_str().unwrap_or_default() {
        "initialize" => json!({
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "calc", "version": "1.0.0"},
        }),
        "tools/list" => json!({"tools": [{
            "name": "add",
            "description": "Add two numbers",
            "inputSchema": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                            "required": ["a", "b"]},
        }]}),
        "tools/call" => {
            let arguments = &message["params"]["arguments"];
            let sum = arguments["a"].as_f64().unwrap() + arguments["b"].as_f64().unwrap();
            json!({"content": [{"type": "text", "text": format!("{sum}")}]})
        }
        // Notifications: the SDKs acknowledge them with an empty result.
        method if id.is_null() && method.starts_with("notifications/") => {
            return json!({"jsonrpc": "2.0", "result": {}});
        }
        method => {
            return json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": method}});
        }
    };
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// Read lines, serving `calc`'s messages, until one satisfies `wanted`; the methods served, in order.
fn serve_calc_until(session: &mut JsonLinesSession, wanted: impl Fn(&Value) -> bool) -> (Value, Vec<String>) {
    let mut methods = Vec::new();
    loop {
        let line = session.next_line();
        if is_request(&line, "mcp_message") {
            assert_eq!(line["request"]["server_name"], "calc", "{line}");
            let message = &line["request"]["message"];
            methods.push(message["method"].as_str().unwrap_or_default().to_string());
            let reply = calc_reply(message);
            answer(session, &line, json!({"mcp_response": reply}));
        } else if wanted(&line) {
            return (line, methods);
        }
    }
}

#[test]
fn an_in_process_server_serves_its_tool_over_mcp_message() {
    let project = TempProject::new();
    let api = MockApi::start();
    api.push(Reply::stream(Turn::new().tool_use("t1", "mcp__calc__add", json!({"a": 2, "b": 3}))));
    api.push(Reply::stream(Turn::text_only("five")));
    let servers = json!({"mcpServers": {"calc": {"type": "sdk", "name": "calc"}}}).to_string();
    let mut session =
        start(&project, &api, &["--mcp-config", &servers, "--permission-mode", "bypassPermissions"]);
    session.send(&control("init", json!({"subtype": "initialize", "hooks": null})));
    let (reply, methods) = serve_calc_until(&mut session, |line| {
        line["type"] == "control_response" && line["response"]["request_id"] == "init"
    });
    assert_eq!(reply["response"]["subtype"], "success", "{reply}");
    session.send_prompt("add 2 and 3");
    let (result, more) = serve_calc_until(&mut session, |line| line["type"] == "result");
    assert_eq!(result["result"], "five", "{}", session.transcript());
    let methods: Vec<String> = methods.into_iter().chain(more).collect();
    assert_eq!(methods[0], "initialize", "{methods:?}");
    assert!(methods.contains(&"tools/list".to_string()), "{methods:?}");
    assert!(methods.contains(&"tools/call".to_string()), "{methods:?}");

    let requests = api.requests();
    let offered: Vec<&str> = requests[0].body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|tool| tool["name"].as_str())
        .collect();
    assert!(offered.contains(&"mcp__calc__add"), "{offered:?}");
    assert_eq!(tool_result_text(&requests[1].body), "5");
    let (status, _, stderr) = session.finish();
    assert!(status.success(), "{stderr}");
}
