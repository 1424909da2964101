//! `claurst mcp list`, `get`, `approve`, `deny` and `reset-project-choices`: what is defined, and the trust
//! decisions about it. Nothing here connects to a server.

use super::Place;
use super::edit::source;
use anyhow::{Result, bail};
use claurst_config::{McpServerConfig, McpServerSet, McpTransport, McpTrust, TrustChoice, TrustDecision};

fn servers(place: &Place) -> Result<McpServerSet> {
    let loaded = claurst_config::load(&place.cwd, &place.env, &claurst_config::Overrides::default())?;
    let flags = claurst_config::McpFlags { cwd: place.cwd.clone(), ..Default::default() };
    let set = claurst_config::mcp_servers(&loaded, &flags, &place.env)?;
    for warning in loaded.warnings.iter().chain(&set.warnings) {
        eprintln!("Warning: {warning}");
    }
    Ok(set)
}

/// The trust column: only project-defined servers need a decision.
fn trust_state(trust: &McpTrust, place: &Place, server: &McpServerConfig) -> &'static str {
    if !server.scope.needs_trust() {
        return "yours";
    }
    match trust.decision(&place.project_root, server) {
        TrustDecision::Approved => "approved",
        TrustDecision::Denied => "denied",
        TrustDecision::Unknown => "needs approval",
    }
}

pub(super) fn list(place: &Place) -> Result<()> {
    let set = servers(place)?;
    if set.as_written.is_empty() && set.overridden.is_empty() {
        println!("No MCP servers are configured. Add one with: claurst mcp add NAME -- COMMAND [ARGS...]");
        return Ok(());
    }
    let trust = McpTrust::load(&place.paths)?;
    let mut rows =
        vec![["NAME", "SCOPE", "TYPE", "COMMAND OR URL", "ENABLED", "TRUST", "STATUS"].map(String::from)];
    for server in &set.as_written {
        rows.push([
            server.name.clone(),
            server.scope.label().into(),
            server.transport.kind().into(),
            server.transport.target(),
            if server.enabled { "yes" } else { "no" }.into(),
            trust_state(&trust, place, server).into(),
            "not checked".into(),
        ]);
    }
    for server in &set.overridden {
        rows.push([
            server.name.clone(),
            server.scope.label().into(),
            server.transport.kind().into(),
            server.transport.target(),
            "overridden".into(),
            "-".into(),
            "not used".into(),
        ]);
    }
    print_table(&rows);
    if set.as_written.iter().any(|server| trust_state(&trust, place, server) == "needs approval") {
        println!(
            "\nProject servers start only once approved: claurst mcp approve NAME (or answer in the interface)."
        );
    }
    Ok(())
}

fn print_table(rows: &[[String; 7]]) {
    let mut widths = [0; 7];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in rows {
        let cells: Vec<String> =
            row.iter().zip(widths).map(|(cell, width)| format!("{cell:width$}")).collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

pub(super) fn get(name: &str, place: &Place) -> Result<()> {
    let set = servers(place)?;
    let Some(server) = set.as_written.iter().find(|server| server.name == name) else {
        bail!("no MCP server named `{name}` in force here; `claurst mcp list` shows them");
    };
    let trust = McpTrust::load(&place.paths)?;
    println!("{name}:");
    field("Scope", server.scope.label());
    field("Defined in", &source(server));
    field("Type", server.transport.kind());
    match &server.transport {
        McpTransport::Stdio { command, args, env, cwd } => {
            field("Command", command);
            field("Args", &args.iter().map(|arg| format!("{arg:?}")).collect::<Vec<_>>().join(" "));
            for (key, value) in env {
                field("Env", &format!("{key}={}", masked(value)));
            }
            let cwd = cwd.as_ref().map(|dir| dir.display().to_string());
            field("Working directory", cwd.as_deref().unwrap_or("the project root"));
        }
        McpTransport::Http { url, headers } | McpTransport::Sse { url, headers } => {
            field("URL", url);
            for (header, value) in headers {
                field("Header", &format!("{header}: {}", masked(value)));
            }
        }
        McpTransport::Sdk => field("Served by", "the program driving Claurst (Agent SDK)"),
    }
    field("Enabled", if server.enabled { "yes" } else { "no" });
    field("Startup timeout", &format!("{}s", server.startup_timeout.as_secs()));
    field("Tool timeout", &format!("{}s", server.tool_timeout.as_secs()));
    let allowed = server.allowed_tools.as_ref().map(|tools| tools.join(", "));
    field("Allowed tools", allowed.as_deref().unwrap_or("all"));
    if !server.disabled_tools.is_empty() {
        field("Disabled tools", &server.disabled_tools.join(", "));
    }
    field("Trust", trust_state(&trust, place, server));
    field("Status", "not checked (claurst mcp get does not connect)");
    for other in set.overridden.iter().filter(|other| other.name == name) {
        field("Overrides", &format!("the definition in {} ({})", source(other), other.scope.label()));
    }
    Ok(())
}

fn field(label: &str, value: &str) {
    println!("  {:<18} {value}", format!("{label}:"));
}

/// A value to show: environment references (`${TOKEN}`) are not secrets, literal values may be.
fn masked(value: &str) -> String {
    if value.contains('$') { value.to_string() } else { "****".into() }
}

pub(super) fn decide(name: &str, choice: TrustChoice, place: &Place) -> Result<()> {
    let set = servers(place)?;
    let Some(server) = set.as_written.iter().find(|server| server.name == name) else {
        bail!("no MCP server named `{name}` in force here; `claurst mcp list` shows them");
    };
    if !server.scope.needs_trust() {
        bail!("`{name}` is defined by you ({}), not by the project: it needs no approval", source(server));
    }
    let mut trust = McpTrust::load(&place.paths)?;
    trust.record(&place.project_root, server, choice)?;
    let verb = match choice {
        TrustChoice::Approve => "Approved",
        TrustChoice::Deny => "Denied",
    };
    println!(
        "{verb} `{name}` ({}) for {}: {}\nA change to its definition asks again.",
        source(server),
        place.project_root.display(),
        server.transport.target()
    );
    Ok(())
}

pub(super) fn reset_project_choices(place: &Place) -> Result<()> {
    let mut trust = McpTrust::load(&place.paths)?;
    let forgotten = trust.reset_project(&place.project_root)?;
    println!(
        "Forgot {forgotten} decision(s) about MCP servers of {}; Claurst asks again before starting them.",
        place.project_root.display()
    );
    Ok(())
}
