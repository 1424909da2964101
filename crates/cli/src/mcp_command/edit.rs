//! `claurst mcp add`, `add-json` and `remove`: edits of `~/.claurst/config.toml`, `.mcp.json` and
//! `.claurst.toml`, each checked before it is written and written atomically.

use super::{AddArgs, AddJsonArgs, Place, Scope, Transport};
use anyhow::{Context, Result, bail};
use claurst_config::{McpScope, McpServerConfig, McpTransport, TrustChoice};
use std::collections::BTreeMap;
use std::path::Path;

pub(super) fn add(args: AddArgs, place: &Place) -> Result<()> {
    check_name(&args.name)?;
    let looks_like_url = args.target.starts_with("http://") || args.target.starts_with("https://");
    let transport = match args.transport {
        Some(transport) => transport,
        None if looks_like_url => Transport::Http,
        None => Transport::Stdio,
    };
    let transport = match transport {
        Transport::Stdio => {
            if !args.headers.is_empty() {
                bail!("-H/--header is for http and sse servers; a stdio server takes -e KEY=VALUE");
            }
            McpTransport::Stdio {
                command: args.target,
                args: args.args,
                env: env_pairs(&args.env)?,
                cwd: None,
            }
        }
        Transport::Http | Transport::Sse => {
            if !args.env.is_empty() {
                bail!("-e/--env is for stdio servers; an {transport:?} server takes -H \"Name: value\"");
            }
            if !args.args.is_empty() {
                bail!(
                    "a URL takes no arguments, found {:?}; for a command, use --transport stdio",
                    args.args
                );
            }
            let (url, headers) = (args.target, header_pairs(&args.headers)?);
            if transport == Transport::Sse {
                McpTransport::Sse { url, headers }
            } else {
                McpTransport::Http { url, headers }
            }
        }
    };
    write_definition(&args.name, &transport, args.scope, place)
}

pub(super) fn add_json(args: AddJsonArgs, place: &Place) -> Result<()> {
    check_name(&args.name)?;
    let mut warnings = Vec::new();
    let scope = if args.scope == Scope::User { McpScope::User } else { McpScope::ProjectJson };
    let server = claurst_config::read_mcp_json_entry(&args.name, &args.json, scope, &mut warnings)?;
    for warning in warnings {
        eprintln!("Warning: {warning}");
    }
    if server.transport == McpTransport::Sdk {
        // Such a server lives inside the program that drives a session; no file can start one.
        bail!(
            "`{}` is an in-process SDK server (\"type\": \"sdk\"), served by the program driving Claurst: it \
             cannot be added to a configuration file\n  pass it in that program's MCP servers instead",
            args.name
        );
    }
    write_definition(&args.name, &server.transport, args.scope, place)
}

fn write_definition(name: &str, transport: &McpTransport, scope: Scope, place: &Place) -> Result<()> {
    let file = match scope {
        Scope::User => {
            let file = place.paths.global_config();
            let text = read(&file)?.unwrap_or_default();
            let edited = claurst_config::add_server_to_toml(&text, &file, name, transport, "user")?;
            claurst_config::write_config_file(&file, &edited)?;
            file
        }
        Scope::Project => {
            let file = place.project_root.join(".mcp.json");
            let text = read(&file)?;
            let edited = claurst_config::add_server_to_json(text.as_deref(), &file, name, transport)?;
            claurst_config::write_config_file(&file, &edited)?;
            file
        }
    };
    println!(
        "Added MCP server `{name}` ({}) to {}: {}",
        transport.kind(),
        file.display(),
        transport.target()
    );
    if scope == Scope::Project {
        approve_own_definition(name, place);
    }
    Ok(())
}

/// A definition the user just typed needs no question: approve it for this project, as read back from the
/// file (so the fingerprint is the one a session will see).
fn approve_own_definition(name: &str, place: &Place) {
    let approved = (|| -> Result<()> {
        let loaded = claurst_config::load(&place.cwd, &place.env, &claurst_config::Overrides::default())?;
        let flags = claurst_config::McpFlags { cwd: place.cwd.clone(), ..Default::default() };
        let set = claurst_config::mcp_servers(&loaded, &flags, &place.env)?;
        let server =
            set.get(name).filter(|server| server.scope.needs_trust()).context("not in force here")?;
        let mut trust = claurst_config::McpTrust::load(&place.paths)?;
        trust.record(&place.project_root, server, TrustChoice::Approve)?;
        Ok(())
    })();
    match approved {
        Ok(()) => {
            println!("Approved it for this project (you wrote it); others who clone the project are asked.")
        }
        Err(error) => eprintln!("Warning: could not approve `{name}` for this project: {error:#}"),
    }
}

pub(super) fn remove(name: &str, scope: Option<Scope>, place: &Place) -> Result<()> {
    let user = place.paths.global_config();
    let candidates = [
        (Scope::User, user.clone(), Format::Toml),
        (Scope::Project, place.project_root.join(".mcp.json"), Format::Json),
        (Scope::Project, place.project_root.join(".claurst.toml"), Format::Toml),
    ];
    let mut found = Vec::new();
    for (file_scope, file, format) in candidates {
        if scope.is_some_and(|wanted| wanted != file_scope) {
            continue;
        }
        let Some(text) = read(&file)? else { continue };
        let edited = match format {
            Format::Toml => claurst_config::remove_server_from_toml(&text, &file, name)?,
            Format::Json => claurst_config::remove_server_from_json(&text, &file, name)?,
        };
        if let Some(edited) = edited {
            found.push((file_scope, file, edited));
        }
    }
    if found.is_empty() {
        let scope_note = match scope {
            Some(Scope::User) => format!(" in {}", user.display()),
            Some(Scope::Project) => {
                format!(" in {}'s .mcp.json or .claurst.toml", place.project_root.display())
            }
            None => String::new(),
        };
        bail!(
            "no MCP server named `{name}`{scope_note}; `claurst mcp list` shows the servers and where they are defined"
        );
    }
    let in_user = found.iter().any(|(file_scope, ..)| *file_scope == Scope::User);
    let in_project = found.iter().any(|(file_scope, ..)| *file_scope == Scope::Project);
    if scope.is_none() && in_user && in_project {
        let files: Vec<String> = found.iter().map(|(_, file, _)| file.display().to_string()).collect();
        bail!(
            "`{name}` is defined in several scopes ({}); say which to remove: \
             claurst mcp remove {name} --scope user|project",
            files.join(", ")
        );
    }
    for (_, file, edited) in found {
        claurst_config::write_config_file(&file, &edited)?;
        println!("Removed MCP server `{name}` from {}", file.display());
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Json,
}

fn read(file: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", file.display())),
    }
}

fn check_name(name: &str) -> Result<()> {
    if !claurst_config::is_valid_server_name(name) {
        bail!(
            "`{name}` cannot name an MCP server: use letters, digits, `-` and `_` only (its tools become mcp__{name}__TOOL)"
        );
    }
    Ok(())
}

fn env_pairs(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            _ => bail!("-e takes KEY=VALUE, found {pair:?}"),
        })
        .collect()
}

fn header_pairs(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    pairs
        .iter()
        .map(|pair| match pair.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.trim().to_string()))
            }
            _ => bail!("-H takes \"Name: value\", found {pair:?}"),
        })
        .collect()
}

/// The file that defined `server`, for messages.
pub(super) fn source(server: &McpServerConfig) -> String {
    match &server.source {
        Some(file) => file.display().to_string(),
        None => "--mcp-config".into(),
    }
}
