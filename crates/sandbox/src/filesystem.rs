//! Landlock: which trees a command may read, execute and change.

use crate::error::SandboxError;
use crate::policy::{Level, SandboxPolicy};
use landlock::{
    ABI, Access, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus,
    Scope, path_beneath_rules,
};

/// The Landlock ABI whose rights we ask for: file rights up to device ioctls (Linux 6.10). Older kernels
/// lose the newest rights (best effort); a kernel without Landlock makes [`confine`] fail.
pub(crate) const TARGET_ABI: ABI = ABI::V5;
/// The ABI whose scopes (signals, abstract UNIX sockets) read-only commands get.
const SCOPE_ABI: ABI = ABI::V6;

/// Restrict the calling thread (and what it executes) to the policy's file-system rights.
pub(crate) fn confine(policy: &SandboxPolicy) -> Result<(), SandboxError> {
    let all = AccessFs::from_all(TARGET_ABI);
    let handled = match policy.level {
        Level::ReadOnly => all,
        // Reads stay unrestricted: only the rights that change something are handled.
        Level::WorkspaceWrite => AccessFs::from_write(TARGET_ABI),
    };
    let error = |error: landlock::RulesetError| SandboxError::Landlock(error.to_string());
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(handled)
        .map_err(error)?;
    if policy.level == Level::ReadOnly {
        // Unapproved commands may not signal processes outside the sandbox (Claurst itself, the user's
        // programs) nor reach abstract UNIX sockets (session buses, X11). Linux 6.12+; dropped before.
        ruleset = ruleset.scope(Scope::from_all(SCOPE_ABI)).map_err(error)?;
    }
    let mut ruleset = ruleset.create().map_err(error)?;
    if policy.level == Level::ReadOnly {
        ruleset = ruleset
            .add_rules(path_beneath_rules(&policy.read_roots, AccessFs::from_read(TARGET_ABI)))
            .map_err(error)?;
    }
    // Missing paths are skipped by `path_beneath_rules`; single files get only the rights files can have.
    let status = ruleset.add_rules(path_beneath_rules(&policy.write_roots, handled)).map_err(error)?;
    let status = status.restrict_self().map_err(error)?;
    match status.ruleset {
        RulesetStatus::FullyEnforced | RulesetStatus::PartiallyEnforced => Ok(()),
        RulesetStatus::NotEnforced => Err(SandboxError::NotEnforced(format!("{:?}", status.landlock))),
    }
}
