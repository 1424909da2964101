//! The control requests a driving program sends, and Claurst's answers.

use super::Turns;
use claurst_assistant::Agent;
use claurst_protocol::{HookCallbackRegistration, HookEvent, Op, PermissionMode};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// What `initialize` reports, read before the session starts (the program asks at once, before the
/// session has told anything).
#[derive(Debug, Clone, Default)]
pub struct SessionFacts {
    /// Custom commands and skills, as `/name` a user message may start with.
    pub command_names: Vec<String>,
    commands: Vec<Value>,
    output_style: String,
    output_styles: Vec<String>,
    /// The model the session started on: `set_model` without a model goes back to it.
    model: String,
    /// The session was set up with the first message's `initialize` settings (see [`apply_launch_settings`]).
    pub launched_by_initialize: bool,
    /// How registering the first `initialize`'s hooks went, before the session started; its answer reports
    /// it instead of registering them again. Taken by that answer.
    pub first_hooks: Option<Result<(), String>>,
}

impl SessionFacts {
    pub fn of(agent: &Agent) -> Self {
        let views = agent.config().extensions.command_views();
        Self {
            command_names: views.iter().map(|view| view.name.clone()).collect(),
            commands: views
                .iter()
                .map(|view| json!({"name": view.name, "description": view.description, "argumentHint": view.arguments}))
                .collect(),
            output_style: agent.output_style(),
            output_styles: agent.config().extensions.style_views().into_iter().map(|view| view.name).collect(),
            model: agent.model(),
            launched_by_initialize: false,
            first_hooks: None,
        }
    }
}

/// Answer one request; an error is sent back as the request's error response, never dropped.
pub async fn answer(request: &Value, turns: &mut Turns, ops: &mpsc::Sender<Op>) -> Result<Value, String> {
    let subtype = request.get("subtype").and_then(Value::as_str).unwrap_or_default();
    let send = |op: Op| async move { ops.send(op).await.map_err(|_| "the session has ended".to_string()) };
    match subtype {
        "initialize" => {
            let first_hooks = turns.facts.first_hooks.take();
            if let Some(Err(error)) = first_hooks {
                return Err(error);
            }
            for op in initialize_ops(request, first_hooks.is_none())? {
                send(op).await?;
            }
            Ok(initialize_answer(&turns.facts, request))
        }
        "interrupt" => {
            turns.interrupt_requested = true;
            send(Op::Interrupt).await.map(|()| json!({}))
        }
        "set_permission_mode" => {
            let mode = request.get("mode").and_then(Value::as_str).ok_or("`mode` is missing")?;
            let mode: PermissionMode = mode.parse().map_err(|error| format!("{error}"))?;
            send(Op::SetPermissionMode(mode)).await.map(|()| json!({}))
        }
        "set_model" => {
            let model = match request.get("model") {
                Some(Value::String(model)) if !model.is_empty() => model.clone(),
                // No model: back to the one the session started with.
                _ => turns.facts.model.clone(),
            };
            send(Op::SetModel(model)).await.map(|()| json!({}))
        }
        "set_max_thinking_tokens" => {
            let budget = request.get("max_thinking_tokens").and_then(Value::as_u64);
            let budget =
                budget.filter(|tokens| *tokens > 0).map(|tokens| tokens.min(u64::from(u32::MAX)) as u32);
            send(Op::SetThinking(budget)).await.map(|()| json!({}))
        }
        "mcp_status" => Ok(json!({
            "mcpServers": turns
                .mcp_servers
                .iter()
                .map(|server| json!({"name": server.name, "status": server.status.label()}))
                .collect::<Vec<_>>(),
        })),
        "" => Err("a control request without `subtype`".into()),
        other => Err(format!("Claurst does not support the control request `{other}`")),
    }
}

/// The ops `initialize` asks for: the program's sub-agents and (unless they were registered before the
/// session started) its hook callbacks.
fn initialize_ops(request: &Value, with_hooks: bool) -> Result<Vec<Op>, String> {
    let mut ops = Vec::new();
    if let Some(agents) = request.get("agents").filter(|agents| !agents.is_null()) {
        let json = agents.to_string();
        // Checked here so that a mistake is the request's error, which the program reports.
        claurst_extensions::agents::parse_command_line(&json).map_err(|error| format!("agents: {error}"))?;
        ops.push(Op::AddAgents { json });
    }
    if let Some(hooks) = request.get("hooks").filter(|hooks| !hooks.is_null() && with_hooks) {
        ops.push(Op::RegisterHookCallbacks(hook_registrations(hooks)?));
    }
    Ok(ops)
}

/// Register the hooks of the program's first message, an `initialize`, before the session starts, so that
/// they hear its start (SessionStart) too. A mistake is for the answer to that `initialize` to report.
pub fn register_first_hooks(agent: &Agent, first: &Value) -> Result<(), String> {
    match first.get("hooks").filter(|hooks| !hooks.is_null()) {
        Some(hooks) => agent.register_hook_callbacks(hook_registrations(hooks)?),
        None => Ok(()),
    }
}

/// `hooks`: `{EVENT: [{matcher, hookCallbackIds: [ID, …], timeout?}, …]}`, one registration per id.
/// An event Claurst has no hooks for is an error: the program would wait for calls that never come.
fn hook_registrations(hooks: &Value) -> Result<Vec<HookCallbackRegistration>, String> {
    let events = hooks.as_object().ok_or("hooks: must be an object of event names")?;
    let mut registrations = Vec::new();
    for (name, matchers) in events {
        let event = HookEvent::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = HookEvent::ALL.iter().map(|event| event.name()).collect();
            format!("hooks: Claurst has no hook event `{name}` (it has {})", known.join(", "))
        })?;
        let matchers = matchers.as_array().ok_or_else(|| format!("hooks.{name}: must be a list"))?;
        for entry in matchers {
            let matcher = entry.get("matcher").and_then(Value::as_str).unwrap_or_default();
            claurst_extensions::hooks::HookMatcher::parse(matcher).map_err(|error| {
                format!("hooks.{name}: the matcher `{matcher}` is not a valid pattern: {error}")
            })?;
            // Seconds, possibly fractional; a call gets at least one.
            let timeout_secs =
                entry.get("timeout").and_then(Value::as_f64).map(|secs| secs.ceil().max(1.0) as u64);
            let ids = entry
                .get("hookCallbackIds")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("hooks.{name}: each entry needs `hookCallbackIds`, a list"))?;
            for id in ids {
                let callback_id =
                    id.as_str().ok_or_else(|| format!("hooks.{name}: callback ids are strings"))?;
                registrations.push(HookCallbackRegistration {
                    event,
                    matcher: matcher.to_string(),
                    callback_id: callback_id.to_string(),
                    timeout_secs,
                });
            }
        }
    }
    Ok(registrations)
}

fn initialize_answer(facts: &SessionFacts, request: &Value) -> Value {
    let mut answer = json!({
        "commands": facts.commands,
        "output_style": facts.output_style,
        "available_output_styles": facts.output_styles,
        "models": [],
        "claurst_version": env!("CARGO_PKG_VERSION"),
    });
    // The TypeScript SDK ends the session unless a reply to servers it sent says whether they were used.
    if request.get("mcpServers").is_some() {
        answer["mcp_servers_applied"] = json!(facts.launched_by_initialize);
    }
    answer
}

/// What an `initialize` that comes first may set for the whole session, as the flags of the same meaning
/// would: its system prompt (`systemPrompt`, a string or a list of strings joined by blank lines; empty
/// means none), `appendSystemPrompt`, its MCP servers (`mcpServers`, in `--mcp-config` shape) and its
/// in-process MCP servers (`sdkMcpServers`, names the program serves through `mcp_message`). Flags given
/// on the command line stay: these add to them, and a system prompt here replaces one there.
pub fn apply_launch_settings(request: &Value, args: &mut crate::args::Args) -> Result<(), String> {
    match request.get("systemPrompt") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => args.system = Some(text.clone()),
        Some(Value::Array(parts)) => {
            let parts: Option<Vec<&str>> = parts.iter().map(Value::as_str).collect();
            let parts = parts.ok_or("initialize: `systemPrompt` must be a string or a list of strings")?;
            args.system = Some(parts.join("\n\n"));
        }
        Some(_) => return Err("initialize: `systemPrompt` must be a string or a list of strings".into()),
    }
    if let Some(addition) = request.get("appendSystemPrompt").and_then(Value::as_str) {
        args.append_system_prompt = Some(match args.append_system_prompt.take() {
            Some(existing) => format!("{existing}\n\n{addition}"),
            None => addition.to_string(),
        });
    }
    if let Some(servers) = request.get("mcpServers").filter(|servers| !servers.is_null()) {
        args.mcp_config.push(json!({"mcpServers": servers}).to_string());
    }
    if let Some(names) = request.get("sdkMcpServers").and_then(Value::as_array) {
        let servers: serde_json::Map<String, Value> = names
            .iter()
            .filter_map(Value::as_str)
            .map(|name| (name.to_string(), json!({"type": "sdk", "name": name})))
            .collect();
        if !servers.is_empty() {
            args.mcp_config.push(json!({"mcpServers": servers}).to_string());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn a_first_initialize_sets_what_the_flags_would() {
        let mut args = crate::args::Args::try_parse_from(["claurst", "--append-system-prompt", "A"]).unwrap();
        let request = json!({
            "subtype": "initialize",
            "systemPrompt": ["one", "two"],
            "appendSystemPrompt": "B",
            "mcpServers": {"ext": {"type": "stdio", "command": "srv"}},
            "sdkMcpServers": ["calc"],
        });
        apply_launch_settings(&request, &mut args).unwrap();
        assert_eq!(args.system.as_deref(), Some("one\n\ntwo"));
        assert_eq!(args.append_system_prompt.as_deref(), Some("A\n\nB"));
        assert_eq!(args.mcp_config.len(), 2);
        assert!(args.mcp_config[0].contains("\"ext\""));
        assert!(args.mcp_config[1].contains("\"type\":\"sdk\""));
        let mut args = crate::args::Args::try_parse_from(["claurst"]).unwrap();
        apply_launch_settings(&json!({"systemPrompt": [""]}), &mut args).unwrap();
        assert_eq!(args.system.as_deref(), Some(""));
        assert!(apply_launch_settings(&json!({"systemPrompt": 3}), &mut args).is_err());
    }

    #[test]
    fn servers_sent_late_are_reported_as_not_applied() {
        let facts = SessionFacts::default();
        let answer = initialize_answer(&facts, &json!({"mcpServers": {}}));
        assert_eq!(answer["mcp_servers_applied"], false);
        let facts = SessionFacts { launched_by_initialize: true, ..SessionFacts::default() };
        assert_eq!(initialize_answer(&facts, &json!({"mcpServers": {}}))["mcp_servers_applied"], true);
        assert!(initialize_answer(&facts, &json!({})).get("mcp_servers_applied").is_none());
    }

    #[test]
    fn agents_in_initialize_are_checked_before_they_are_sent() {
        let request = json!({"subtype": "initialize", "agents": {"reviewer": {"description": "Reviews", "prompt": "Review."}}});
        let ops = initialize_ops(&request, true).unwrap();
        assert!(matches!(&ops[0], Op::AddAgents { json } if json.contains("reviewer")));
        let request = json!({"subtype": "initialize", "agents": {"broken": {}}});
        assert!(initialize_ops(&request, true).unwrap_err().contains("`description` is missing"));
        assert!(initialize_ops(&json!({"subtype": "initialize", "hooks": null}), true).unwrap().is_empty());
    }

    #[test]
    fn hooks_in_initialize_register_one_callback_per_id() {
        let request = json!({"subtype": "initialize", "hooks": {
            "PreToolUse": [{"matcher": "Bash", "hookCallbackIds": ["hook_0", "hook_1"], "timeout": 2.5}],
            "Stop": [{"matcher": null, "hookCallbackIds": ["hook_2"]}],
        }});
        let ops = initialize_ops(&request, true).unwrap();
        let [Op::RegisterHookCallbacks(registrations)] = ops.as_slice() else { panic!("{ops:?}") };
        let described: Vec<_> = registrations
            .iter()
            .map(|r| (r.event, r.matcher.as_str(), r.callback_id.as_str(), r.timeout_secs))
            .collect();
        assert_eq!(
            described,
            [
                (HookEvent::PreToolUse, "Bash", "hook_0", Some(3)),
                (HookEvent::PreToolUse, "Bash", "hook_1", Some(3)),
                (HookEvent::Stop, "", "hook_2", None),
            ]
        );
        let unknown = json!({"hooks": {"PostToolUseFailure": [{"hookCallbackIds": ["hook_0"]}]}});
        assert!(initialize_ops(&unknown, true).unwrap_err().contains("no hook event `PostToolUseFailure`"));
        let broken = json!({"hooks": {"Stop": [{"matcher": "(", "hookCallbackIds": ["hook_0"]}]}});
        assert!(initialize_ops(&broken, true).unwrap_err().contains("not a valid pattern"));
        // Hooks registered before the session started are not registered again.
        assert!(initialize_ops(&request, false).unwrap().is_empty());
    }
}
