//! Walking the project the way `rg` does, for `list_dir`, `search_files` and `grep`: `.gitignore`,
//! `.ignore` and git's exclude files are honoured, hidden files skipped, symbolic links not followed.
//!
//! One difference from `rg`: a `.gitignore` applies even outside a git repository, because a project that
//! is not (yet) a repository still means what its `.gitignore` says.

use crate::context::ReadFilter;
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A walker over `root` with the tools' shared defaults; entries `skip` denies (a deny rule forbids
/// reading them) are left out, with everything below them.
pub(crate) fn walker(root: &Path, skip: Option<ReadFilter>) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder.require_git(false).follow_links(false);
    if let Some(skip) = skip {
        builder.filter_entry(move |entry| !skip.denies(entry.path()));
    }
    builder
}

/// Set when the call that started a blocking walk is dropped, so the walk stops early instead of running on
/// for nobody.
#[derive(Clone, Default)]
pub(crate) struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// A guard that sets the flag when dropped.
    pub fn on_drop(&self) -> StopOnDrop {
        StopOnDrop(self.clone())
    }
}

pub(crate) struct StopOnDrop(StopFlag);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.set();
    }
}

/// Walk in parallel, calling a fresh `visit` (made by `make_visitor`) on each thread for every entry, each
/// pushing its findings into a thread-local list; the lists are joined at the end. Unreadable entries are
/// skipped. Nothing is locked per entry: only once per thread, when it finishes.
pub(crate) fn collect_parallel<T, V, M>(builder: &WalkBuilder, stop: &StopFlag, make_visitor: M) -> Vec<T>
where
    T: Send,
    V: FnMut(DirEntry, &mut Vec<T>) -> WalkState + Send,
    M: Fn() -> V,
{
    let results = Mutex::new(Vec::new());
    let mut visitors = Visitors { make_visitor, stop, results: &results };
    builder.build_parallel().visit(&mut visitors);
    results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Visitors<'a, T, M> {
    make_visitor: M,
    stop: &'a StopFlag,
    results: &'a Mutex<Vec<T>>,
}

impl<'a, T, V, M> ParallelVisitorBuilder<'a> for Visitors<'a, T, M>
where
    T: Send + 'a,
    V: FnMut(DirEntry, &mut Vec<T>) -> WalkState + Send + 'a,
    M: Fn() -> V,
{
    fn build(&mut self) -> Box<dyn ParallelVisitor + 'a> {
        Box::new(Visitor {
            visit: (self.make_visitor)(),
            found: Vec::new(),
            stop: self.stop,
            results: self.results,
        })
    }
}

struct Visitor<'a, T, V> {
    visit: V,
    found: Vec<T>,
    stop: &'a StopFlag,
    results: &'a Mutex<Vec<T>>,
}

impl<T, V> ParallelVisitor for Visitor<'_, T, V>
where
    T: Send,
    V: FnMut(DirEntry, &mut Vec<T>) -> WalkState + Send,
{
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        if self.stop.is_set() {
            return WalkState::Quit;
        }
        match entry {
            Ok(entry) => (self.visit)(entry, &mut self.found),
            Err(_) => WalkState::Continue,
        }
    }
}

impl<T, V> Drop for Visitor<'_, T, V> {
    fn drop(&mut self) {
        let mut results = self.results.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        results.append(&mut self.found);
    }
}

/// The trailing note when a list was cut.
pub(crate) fn showing(shown: usize, total: impl std::fmt::Display, what: &str, hint: &str) -> String {
    format!("[showing {shown} of {total} {what}; {hint}]")
}
