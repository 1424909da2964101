//! `claurst hooks`: list the hooks configured for this project and where they come from, and approve or
//! deny the hooks the project defines (they run only once approved, and are asked about again when they
//! change).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use claurst_config::{
    Environment, HookSet, HookTrust, LoadedConfig, Overrides, TrustChoice, TrustDecision, hook_definitions,
};
use std::ffi::OsString;
use std::process::ExitCode;

/// See and approve the hooks Claurst runs.
#[derive(Debug, Parser)]
#[command(name = "claurst hooks")]
struct HooksArgs {
    #[command(subcommand)]
    command: HooksCommand,
}

#[derive(Debug, Subcommand)]
enum HooksCommand {
    /// List every hook for this project: event, matcher, command, where it is defined, whether it runs.
    List,
    /// Let the hooks this project defines (.claurst.toml, .claude/settings*.json) run, as they stand now.
    Approve,
    /// Never run the hooks this project defines, until they change.
    Deny,
}

/// `claurst hooks …` (the arguments after `hooks`).
pub fn run() -> ExitCode {
    let args = HooksArgs::parse_from(
        std::iter::once(OsString::from("claurst hooks")).chain(std::env::args_os().skip(2)),
    );
    match run_with(args.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error:#}");
            ExitCode::from(crate::headless::EXIT_ERROR)
        }
    }
}

fn run_with(command: HooksCommand) -> Result<()> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let loaded = claurst_config::load(&cwd, &Environment::from_process(), &Overrides::default())?;
    let set = hook_definitions(&loaded)?;
    for warning in &set.warnings {
        eprintln!("warning: {warning}");
    }
    match command {
        HooksCommand::List => list(&loaded, &set),
        HooksCommand::Approve => decide(&loaded, &set, TrustChoice::Approve),
        HooksCommand::Deny => decide(&loaded, &set, TrustChoice::Deny),
    }
}

fn project_decision(loaded: &LoadedConfig, set: &HookSet) -> Result<TrustDecision> {
    let Some(fingerprint) = set.project_fingerprint() else { return Ok(TrustDecision::Approved) };
    Ok(HookTrust::load(&loaded.paths)?.decision(&loaded.project_root, &fingerprint))
}

fn list(loaded: &LoadedConfig, set: &HookSet) -> Result<()> {
    if set.hooks.is_empty() {
        println!("No hooks are configured (see docs/extending.md, Hooks).");
        return Ok(());
    }
    let project = project_decision(loaded, set)?;
    for hook in &set.hooks {
        let status = match (hook.scope.needs_trust(), project) {
            (false, _) | (true, TrustDecision::Approved) => "runs",
            (true, TrustDecision::Denied) => "denied",
            (true, TrustDecision::Unknown) => "needs approval",
        };
        let matcher = if hook.matcher.is_empty() { "*" } else { hook.matcher.as_str() };
        println!(
            "{} [{matcher}] {}  (timeout {} s; {}; {status})",
            hook.event,
            hook.command,
            hook.timeout.as_secs_f64(),
            hook.scope.label()
        );
    }
    if project == TrustDecision::Unknown {
        println!(
            "\nThe project's hooks run only once approved: review them, then run `claurst hooks approve`."
        );
    }
    Ok(())
}

fn decide(loaded: &LoadedConfig, set: &HookSet, choice: TrustChoice) -> Result<()> {
    let Some(fingerprint) = set.project_fingerprint() else {
        bail!(
            "this project defines no hooks (only .claurst.toml and .claude/settings*.json hooks need approval)"
        );
    };
    let mut trust = HookTrust::load(&loaded.paths)?;
    trust.record(&loaded.project_root, &fingerprint, choice)?;
    let count = set.project_hooks().count();
    let verb = match choice {
        TrustChoice::Approve => "will run",
        TrustChoice::Deny => "will not run",
    };
    println!(
        "The {count} hook{} this project defines {verb} (until they change); recorded in {}.",
        if count == 1 { "" } else { "s" },
        trust.file().display()
    );
    Ok(())
}
