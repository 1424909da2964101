//! Quiet ticks measured from outside the crate (`cargo xtask bench kairos`): the very code a session runs
//! when a tick comes due and nothing changed, with its events discarded.

use super::Watches;
use super::runtime::Kairos;
use crate::config::KairosSettings;
use crate::events::EventSink;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Run `ticks` due ticks on the unchanged project at `root`, calling `each(tick, work)` after each with the
/// time its work took. Fails (with the tick's number) if a tick found a change and would have called the model.
pub async fn quiet_ticks(
    settings: KairosSettings,
    root: PathBuf,
    ticks: usize,
    mut each: impl FnMut(usize, Duration),
) -> Result<(), usize> {
    let (mut kairos, _) = Kairos::start(settings, root, Watches::default());
    let sink = EventSink::discard();
    for tick in 0..ticks {
        let started = Instant::now();
        let run = kairos.on_due(&sink, 0.0).await;
        each(tick, started.elapsed());
        if run.is_some() {
            return Err(tick);
        }
    }
    Ok(())
}
