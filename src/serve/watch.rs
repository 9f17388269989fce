//! Watching the handbook's sources: handbook.toml, glossary.toml, content/,
//! forms/ and templates/ (never site/ or other output), with notify and
//! notify-debouncer-full. Native events where the system gives them;
//! polling (`notify::PollWatcher`) when it does not, or when
//! `HANDBOOK_POLL=1` asks for it (network drives, some containers and VMs
//! do not deliver native events).

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// Quiet time after the last event before a batch is handed on: long enough
/// to see a "write a temp file, rename it over the original" save as one.
const DEBOUNCE: Duration = Duration::from_millis(40);
/// How often the polling watcher looks at every file.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

/// The folders and files at the top of a handbook that are watched.
pub const WATCHED_DIRS: [&str; 3] = ["content", "forms", "templates"];
pub const WATCHED_FILES: [&str; 2] = ["handbook.toml", "glossary.toml"];

/// Changed paths (relative to the handbook folder, `/`-separated) and when
/// the first of them changed.
#[derive(Debug)]
pub struct Batch {
    pub paths: Vec<String>,
    pub first: Instant,
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

/// The running watcher; dropping it stops watching.
pub struct Watcher {
    inner: Inner,
    root: PathBuf,
    watched: HashSet<String>,
}

impl Watcher {
    /// Starts watching `root` (canonical). Says how in the second value.
    pub fn start(root: &Path, tx: Sender<Batch>) -> Result<(Watcher, String), String> {
        let poll = std::env::var("HANDBOOK_POLL").is_ok_and(|v| !v.is_empty() && v != "0");
        let mut note = String::new();
        if !poll {
            match new_debouncer(DEBOUNCE, None, handler(root, tx.clone())) {
                Ok(d) => {
                    let mut w = Watcher { inner: Inner::Native(d), root: root.to_path_buf(), watched: HashSet::new() };
                    match w.watch_all() {
                        Ok(()) => return Ok((w, "native file events".into())),
                        Err(e) => note = format!("native file events failed ({e}); "),
                    }
                }
                Err(e) => note = format!("native file events are not available ({e}); "),
            }
        }
        // Modification times are compared in whole seconds: hashing the
        // contents too catches a second save within the same second.
        let config = notify::Config::default().with_poll_interval(POLL_EVERY).with_compare_contents(true);
        let d = new_debouncer_opt::<_, PollWatcher, NoCache>(DEBOUNCE, None, handler(root, tx), NoCache, config)
            .map_err(|e| format!("cannot watch the handbook folder: {e}"))?;
        let mut w = Watcher { inner: Inner::Polling(d), root: root.to_path_buf(), watched: HashSet::new() };
        w.watch_all().map_err(|e| format!("cannot watch the handbook folder: {e}"))?;
        Ok((w, format!("{note}polling every {} ms", POLL_EVERY.as_millis())))
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Polling(d) => d.watch(path, mode),
        }
    }

    /// Watches the folder itself (for handbook.toml, glossary.toml and
    /// folders made later) and each source folder that exists. Called again
    /// after every change, so a templates/ made while serving is watched.
    pub fn watch_all(&mut self) -> notify::Result<()> {
        if self.watched.insert(String::new()) {
            let root = self.root.clone();
            if let Err(e) = self.watch(&root, RecursiveMode::NonRecursive) {
                self.watched.remove("");
                return Err(e);
            }
        }
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watched.contains(dir) {
                self.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(dir.to_string());
            } else if !path.is_dir() {
                // Gone: watch it again if it comes back.
                self.watched.remove(dir);
            }
        }
        Ok(())
    }
}

fn handler(root: &Path, tx: Sender<Batch>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    let root = root.to_path_buf();
    move |result: DebounceEventResult| match result {
        Ok(events) => {
            let mut paths: Vec<String> = Vec::new();
            let mut first: Option<Instant> = None;
            for event in events {
                if ignored_kind(&event.kind) {
                    continue;
                }
                for path in &event.paths {
                    if let Some(rel) = relevant(&root, path) {
                        first = Some(first.map_or(event.time, |f: Instant| f.min(event.time)));
                        paths.push(rel);
                    }
                }
            }
            paths.sort();
            paths.dedup();
            if let (false, Some(first)) = (paths.is_empty(), first) {
                let _ = tx.send(Batch { paths, first });
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching for changes: {e}");
            }
        }
    }
}

/// Opening or reading a file changes nothing (and rebuilding reads every
/// file: counting those would rebuild for ever).
fn ignored_kind(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(a) if !matches!(a, AccessKind::Close(AccessMode::Write)))
}

/// The path relative to the handbook folder when it is one of the sources,
/// leaving out editors' swap, backup and lock files.
pub fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let first = parts.first()?;
    let wanted = if parts.len() == 1 {
        WATCHED_FILES.contains(&first.as_str()) || WATCHED_DIRS.contains(&first.as_str())
    } else {
        WATCHED_DIRS.contains(&first.as_str())
    };
    if !wanted || parts.iter().any(|p| editor_file(p)) {
        return None;
    }
    Some(parts.join("/"))
}

/// Swap, backup, lock and "safe write" temp files of common editors: the
/// one rule the build reads folders by.
fn editor_file(name: &str) -> bool {
    crate::files::is_ignored(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/h");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(rel("/h/content/a/b.md").as_deref(), Some("content/a/b.md"));
        assert_eq!(rel("/h/handbook.toml").as_deref(), Some("handbook.toml"));
        assert_eq!(rel("/h/templates").as_deref(), Some("templates"));
        assert_eq!(rel("/h/forms/x.toml").as_deref(), Some("forms/x.toml"));
        for ignored in [
            "/h/site/index.html",
            "/h/README.md",
            "/h/content/.b.md.swp",
            "/h/content/b.md~",
            "/h/content/.#b.md",
            "/h/content/#b.md#",
            "/h/content/b.md___jb_tmp___",
            "/h/content/.git/x",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn reading_is_not_a_change() {
        assert!(ignored_kind(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(ignored_kind(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(!ignored_kind(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(!ignored_kind(&EventKind::Modify(notify::event::ModifyKind::Any)));
    }
}
