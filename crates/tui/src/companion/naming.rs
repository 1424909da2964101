//! Handing the model-written name from the CLI to the interface.
//!
//! The CLI asks the model for a name only after the interface says the session is quiet (no run in
//! progress, nothing typed for a few seconds), so the naming request never competes with the user's
//! own requests. The answer is the updated profile, already saved by the CLI.

use claurst_buddy::BuddyProfile;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::oneshot;

/// The interface's ends: it says "go" once, then waits for the named profile.
#[derive(Debug)]
pub(super) struct Ends {
    go: oneshot::Sender<()>,
    named: oneshot::Receiver<BuddyProfile>,
}

/// The interface's end of the naming hand-off, carried in the options. Cloning the options shares it:
/// the first interface built from them takes it.
#[derive(Debug, Clone)]
pub struct NamingHandoff {
    ends: Arc<Mutex<Option<Ends>>>,
}

/// The CLI's end: wait for [`NamingRequest::quiet`], ask the model, then [`NamingRequest::deliver`].
#[derive(Debug)]
pub struct NamingRequest {
    go: oneshot::Receiver<()>,
    named: oneshot::Sender<BuddyProfile>,
}

/// A connected pair of ends.
pub fn naming_channel() -> (NamingHandoff, NamingRequest) {
    let (go_sender, go_receiver) = oneshot::channel();
    let (named_sender, named_receiver) = oneshot::channel();
    let ends = Ends { go: go_sender, named: named_receiver };
    (
        NamingHandoff { ends: Arc::new(Mutex::new(Some(ends))) },
        NamingRequest { go: go_receiver, named: named_sender },
    )
}

impl NamingHandoff {
    fn take(&self) -> Option<Ends> {
        self.ends.lock().ok().and_then(|mut ends| ends.take())
    }
}

impl NamingRequest {
    /// Resolves when the interface says the session is quiet: `true` to go ahead, `false` when the
    /// interface ended (or never took its end) first.
    pub async fn quiet(&mut self) -> bool {
        (&mut self.go).await.is_ok()
    }

    /// Hands the saved profile, with its new name, to the interface.
    pub fn deliver(self, profile: BuddyProfile) {
        // The interface may be gone already; the profile is saved either way.
        let _ = self.named.send(profile);
    }
}

/// Where the interface is in the hand-off.
#[derive(Debug)]
pub(super) enum Naming {
    /// Waiting for a quiet moment to say "go".
    Waiting(Ends),
    /// The CLI is asking the model.
    Asked(oneshot::Receiver<BuddyProfile>),
    /// Named, offline, or nothing to do: the name in the profile (or the fallback) stays.
    Settled,
}

impl Naming {
    pub(super) fn from_handoff(handoff: Option<&NamingHandoff>) -> Naming {
        match handoff.and_then(NamingHandoff::take) {
            Some(ends) => Naming::Waiting(ends),
            None => Naming::Settled,
        }
    }

    /// When the "go" is due, while it has not been given.
    pub(super) fn due(&self, quiet_at: Option<Instant>) -> Option<Instant> {
        match self {
            Naming::Waiting(_) => quiet_at,
            Naming::Asked(_) | Naming::Settled => None,
        }
    }

    /// Moves the hand-off along; returns the named profile when it has arrived.
    pub(super) fn poll(&mut self, now: Instant, quiet_at: Option<Instant>) -> Option<BuddyProfile> {
        match std::mem::replace(self, Naming::Settled) {
            Naming::Waiting(ends) if quiet_at.is_some_and(|at| at <= now) => {
                // A failed send means the CLI gave up on naming; there is nothing to wait for then.
                if ends.go.send(()).is_ok() {
                    *self = Naming::Asked(ends.named);
                }
                None
            }
            Naming::Waiting(ends) => {
                *self = Naming::Waiting(ends);
                None
            }
            Naming::Asked(mut named) => match named.try_recv() {
                Ok(profile) => Some(profile),
                Err(oneshot::error::TryRecvError::Empty) => {
                    *self = Naming::Asked(named);
                    None
                }
                // Offline or refused: the CLI logged why, the fallback name stays.
                Err(oneshot::error::TryRecvError::Closed) => None,
            },
            Naming::Settled => None,
        }
    }
}
