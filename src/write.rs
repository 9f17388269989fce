//! Writing the built site into its output folder: all or nothing, only the
//! files whose bytes changed, and never over anything handbook did not write.
//!
//! `Target::open` resolves `--out` (through `..` and symlinks) before any
//! check, refuses an output that is, holds or lies inside the sources, the
//! home folder or `/`, or that holds anything the last build did not write
//! (its manifest, `.handbook-build`, lists every file with its hash, size,
//! time and inode), finishes or removes whatever a killed build left, and
//! takes a lock so two builds cannot write one folder at once.
//!
//! `Target::write_all` then writes in one of two ways:
//!
//! - **Swap** (an ordinary folder): the new site is made whole in one
//!   fixed-name hidden folder beside the output, `.NAME.handbook-new`, with
//!   unchanged files hard-linked from the old site (same inode, bytes and
//!   time) and changed ones written; then one `renameat2(RENAME_EXCHANGE)`
//!   swaps the two folders, and the old site, now in the hidden folder, is
//!   removed. The output path names the old site up to the exchange and
//!   the new one from it: there is no moment without a whole site.
//!   A build killed before the exchange leaves the old site and a staging
//!   folder marked `.handbook-staging`; one killed after it leaves the new
//!   site and the old one (with its manifest) in the staging folder. The
//!   next build removes either, having checked it holds only handbook's
//!   files.
//! - **In place** (a mount point, whose folder cannot be renamed, or an
//!   output whose parent is read-only; also where the system has no
//!   exchange): changed files are written into `.handbook-new/` inside the
//!   output, then a journal listing every rename and removal is committed
//!   with one rename, then applied. Killed before the commit, the output is
//!   the old site (and the next build drops the staging folder); after it,
//!   the next build, even one that fails, replays the journal to the end.
//!
//! What a streaming render needs from this: only each file's path and
//! bytes once, in any order (the hash and the write happen per file), and
//! the full list of paths before the commit (for the manifest and the
//! removals). Nothing here keeps the bytes after a file is written.

mod inplace;
mod inputs;
mod manifest;
pub mod paths;

pub use manifest::MANIFEST;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::render::{Contents, OutputFile};
use manifest::{Manifest, Record};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Marks a staging folder as handbook's own while it is being filled.
const STAGING_MARK: &str = ".handbook-staging";
/// The manifest being replaced when nothing else changed.
const MANIFEST_TMP: &str = ".handbook-build.tmp";

/// An output folder that has passed every check and is locked for this build.
pub struct Target {
    /// The resolved output folder.
    out: PathBuf,
    /// How the user named it, for messages.
    shown: String,
    /// The last build's manifest; None for a new or empty folder.
    old: Option<Manifest>,
    /// Listed files found on disk, with a record of them as they are now
    /// when they hold the bytes they were written with (None: a version 1
    /// manifest, which has no hashes).
    present: HashMap<String, Option<Record>>,
    /// Every listed file is on disk exactly as recorded (size, time, inode).
    intact: bool,
    inputs: Option<String>,
    swap: bool,
    /// This build made the (empty) output folder: removed again on failure.
    created: bool,
    done: bool,
    _locks: Vec<fs::File>,
}

/// What a build did to the output folder.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Files in the site.
    pub files: usize,
    /// Files written because their bytes are new or changed.
    pub written: usize,
    /// Files of the previous site that are gone from this one.
    pub removed: usize,
    /// Nothing changed since the last build: nothing was written.
    pub up_to_date: bool,
    /// Things worth telling the user that did not stop the build.
    pub notes: Vec<String>,
}

struct NewFile<'a> {
    path: &'a str,
    hash: String,
    contents: &'a Contents,
    /// The old file holds these bytes already: its record.
    keep: Option<Record>,
}

impl Target {
    /// Resolves and checks `out` for a build of `root`, finishing or removing
    /// what an interrupted build left there. Refusals name what is wrong and
    /// change nothing.
    pub fn open(root: &Path, out: &Path) -> Result<Target, Diagnostic> {
        let shown = out.display().to_string();
        let refuse = |msg: String| Location::new(&shown, 1, 1).error(msg);
        // Taken before anything is read, so an edit made during the build
        // makes the next build run.
        let inputs = inputs::inputs(root);
        let root = paths::resolve(root).map_err(|e| refuse(format!("cannot find the handbook folder: {e}")))?;
        let out = paths::resolve(out).map_err(|e| refuse(format!("cannot resolve the output path: {e}")))?;
        let at = out.display();

        if root.starts_with(&out) {
            return Err(refuse(format!(
                "the output folder {at} holds the handbook's sources (handbook.toml is in {}); choose another --out (the default is site/ inside the handbook folder)",
                root.display()
            )));
        }
        let mut sources: Vec<(String, PathBuf)> = Vec::new();
        for dir in inputs::SOURCE_DIRS {
            let real = paths::resolve(&root.join(dir)).unwrap_or_else(|_| root.join(dir));
            sources.push((format!("{dir}/"), real));
        }
        for dir in &inputs.linked_dirs {
            sources.push((format!("{} (linked from the sources)", dir.display()), dir.clone()));
        }
        for (name, dir) in &sources {
            if out.starts_with(dir) {
                return Err(refuse(format!(
                    "the output folder {at} is inside {name}, which holds sources; choose another --out"
                )));
            }
            if dir.starts_with(&out) {
                return Err(refuse(format!("the output folder {at} holds {name}, which holds sources; choose another --out")));
            }
        }
        for file in inputs::SOURCE_FILES {
            if out == root.join(file) {
                return Err(refuse(format!("the output path {at} is the handbook's {file}; choose another --out")));
            }
        }
        if let Some(home) = paths::home()
            && home.starts_with(&out)
        {
            return Err(refuse(format!("the output folder {at} is or holds your home folder; choose another --out")));
        }
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(refuse(format!("the output folder {at} is the top of the file system; choose another --out")));
        };
        let name = name.to_string_lossy().into_owned();
        let parent = parent.to_path_buf();

        let mut created = false;
        match fs::symlink_metadata(&out) {
            Ok(m) if !m.is_dir() => {
                return Err(refuse(format!("the output path {at} is a file, not a folder; choose another --out")));
            }
            Ok(_) => {
                if !paths::writable(&out) {
                    return Err(refuse(format!(
                        "the output folder {at} is read-only; make it writable or choose another --out (nothing was changed)"
                    )));
                }
            }
            Err(_) => {
                fs::create_dir_all(&parent).map_err(|e| refuse(format!("cannot make the folder {}: {e}", parent.display())))?;
                if !paths::writable(&parent) {
                    return Err(refuse(format!(
                        "cannot make the output folder {at}: {} is read-only; choose another --out",
                        parent.display()
                    )));
                }
                fs::create_dir(&out).map_err(|e| refuse(format!("cannot make the output folder {at}: {e}")))?;
                created = true;
            }
        }
        let mut target = Target {
            out,
            shown: shown.clone(),
            old: None,
            present: HashMap::new(),
            intact: true,
            inputs: inputs.fingerprint,
            swap: false,
            created,
            done: false,
            _locks: Vec::new(),
        };
        // From here on, a refusal drops `target`, which removes a folder it made.
        let out = target.out.clone();
        let at = out.display();
        if let Ok(f) = fs::File::open(&out) {
            match f.try_lock() {
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(refuse(format!("another handbook build is writing to {at}; wait for it to finish")));
                }
                _ => target._locks.push(f),
            }
        }

        // What interrupted builds left: finish it or remove it.
        let staging = swap_staging(&parent, &name);
        if staging.exists() {
            remove_staging(&staging).map_err(refuse)?;
        }
        remove_legacy_leftovers(&parent, &name);
        inplace::recover(&out).map_err(refuse)?;
        let _ = fs::remove_file(out.join(MANIFEST_TMP));

        target.check_contents().map_err(refuse)?;
        target.swap = cfg!(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios"))
            && !paths::is_mount_point(&out)
            && paths::writable(&parent);
        Ok(target)
    }

    /// The output folder as the user named it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Every entry in the output folder must be the manifest, a listed file
    /// holding the bytes it was written with, or a folder of listed files.
    fn check_contents(&mut self) -> Result<(), String> {
        let out = &self.out;
        let mut entries = fs::read_dir(out).map_err(|e| format!("cannot read the output folder {}: {e}", out.display()))?;
        if entries.next().is_none() {
            return Ok(());
        }
        let manifest = Manifest::read(out).map_err(|_| {
            format!(
                "the output folder {} is not empty and was not made by handbook; it will not be overwritten: choose an empty or new --out",
                out.display()
            )
        })?;
        let folders = manifest.folders();
        let dev = device(out);
        let mut present = HashMap::new();
        let mut intact = manifest.handbook_build >= 2;
        for entry in walkdir::WalkDir::new(out).min_depth(1) {
            let entry = entry.map_err(|e| format!("cannot read the output folder: {e}"))?;
            let rel = crate::paths::rel_path(out, entry.path());
            if rel == MANIFEST {
                continue;
            }
            let m = entry.metadata().map_err(|e| format!("cannot read `{rel}` in the output folder: {e}"))?;
            if m.is_dir() {
                if !folders.contains(&rel) {
                    return Err(format!(
                        "the output folder holds the folder `{rel}/`, which handbook did not make; move it away or choose another --out (nothing was changed)"
                    ));
                }
                if device(entry.path()) != dev {
                    return Err(format!(
                        "the output folder holds a mounted file system at `{rel}/`; unmount it or choose another --out (nothing was changed)"
                    ));
                }
                if !paths::writable(entry.path()) {
                    return Err(format!(
                        "`{rel}/` in the output folder is read-only; make it writable or choose another --out (nothing was changed)"
                    ));
                }
                continue;
            }
            let Some(listed) = manifest.files.get(&rel) else {
                return Err(format!(
                    "the output folder holds `{rel}`, which handbook did not write; move it away or choose another --out (nothing was changed)"
                ));
            };
            let Some(rec) = listed else {
                // A version 1 manifest: paths only, nothing to compare.
                present.insert(rel, None);
                continue;
            };
            if rec.matches(&m) {
                present.insert(rel, Some(rec.clone()));
                continue;
            }
            intact = false;
            let changed = || {
                format!(
                    "`{rel}` in the output folder was changed after handbook wrote it; a build would replace it: move it away or delete it (nothing was changed)"
                )
            };
            if !m.is_file() {
                return Err(changed());
            }
            match manifest::hash_file(entry.path()) {
                Ok(h) if h == rec.hash => {
                    present.insert(rel, Some(Record::of(h, &m)));
                }
                Ok(_) => return Err(changed()),
                Err(e) => return Err(format!("cannot read `{rel}` in the output folder: {e}")),
            }
        }
        if present.len() != manifest.files.len() {
            intact = false;
        }
        self.present = present;
        self.intact = intact;
        self.old = Some(manifest);
        Ok(())
    }

    /// When no input changed since the last build and its output is as it
    /// left it: what that build reported, with its warnings.
    pub fn up_to_date(&mut self) -> Option<(Report, Diagnostics)> {
        let old = self.old.as_ref()?;
        if !self.intact || self.inputs.is_none() || old.inputs != self.inputs {
            return None;
        }
        let mut diagnostics = Diagnostics::default();
        for w in &old.warnings {
            diagnostics.push(Location::new(&w.path, w.line, w.col).warning(w.message.clone()));
        }
        self.done = true;
        Some((Report { files: old.files.len(), up_to_date: true, ..Default::default() }, diagnostics))
    }

    /// Puts `files` in the output folder, all or nothing, writing only the
    /// files whose bytes changed. `diagnostics` are the build's warnings,
    /// kept to show again when a later build has nothing to do.
    pub fn write_all(mut self, files: &[OutputFile], diagnostics: &Diagnostics) -> io::Result<Report> {
        let mut seen = HashSet::new();
        for f in files {
            if !safe_site_path(&f.path) || !seen.insert(f.path.as_str()) {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("bad or repeated site path `{}`", f.path)));
            }
        }
        let mut new: Vec<NewFile> = files
            .par_iter()
            .map(|f| {
                let hash = match &f.contents {
                    Contents::Bytes(b) => manifest::hash(b),
                    Contents::Copy(src) => manifest::hash_file(src)
                        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", src.display())))?,
                };
                let keep = self.present.get(&f.path).and_then(Option::as_ref).filter(|r| r.hash == hash).cloned();
                Ok(NewFile { path: &f.path, hash, contents: &f.contents, keep })
            })
            .collect::<io::Result<_>>()?;
        new.sort_by(|a, b| a.path.cmp(b.path));

        let mut manifest = Manifest::new();
        manifest.inputs = self.inputs.clone();
        manifest.warnings = diagnostics
            .warnings()
            .map(|d| manifest::Warning { path: d.path.clone(), line: d.line, col: d.col, message: d.message.clone() })
            .collect();
        let removed = self.present.keys().filter(|p| !seen.contains(p.as_str())).count();
        let mut report =
            Report { files: new.len(), written: new.iter().filter(|f| f.keep.is_none()).count(), removed, ..Default::default() };

        let old_folders = self.old.as_ref().map(Manifest::folders).unwrap_or_default();
        let new_folders = manifest::folders_of(new.iter().map(|f| f.path));
        let stray_old = self.old.as_ref().is_some_and(|m| m.files.len() != self.present.len());
        if report.written == 0 && removed == 0 && old_folders == new_folders && !stray_old {
            // Same files, same bytes: at most the manifest changes.
            manifest.files = new.iter().map(|f| (f.path.to_string(), f.keep.clone())).collect();
            let tmp = self.out.join(MANIFEST_TMP);
            fs::write(&tmp, manifest.to_bytes())?;
            fs::rename(&tmp, self.out.join(MANIFEST))?;
            self.done = true;
            return Ok(report);
        }

        if self.swap {
            match self.swap_in(&new, &mut manifest) {
                Ok(notes) => {
                    report.notes = notes;
                    self.done = true;
                    return Ok(report);
                }
                Err(Swap::Failed(e)) => return Err(e),
                Err(Swap::Unsupported) => {}
            }
        }
        inplace::write(&self.out, &new, &self.present, &mut manifest)?;
        self.done = true;
        Ok(report)
    }

    /// Makes the new site whole beside the old one, then exchanges them.
    fn swap_in(&mut self, new: &[NewFile], manifest: &mut Manifest) -> Result<Vec<String>, Swap> {
        let parent = self.out.parent().unwrap_or(Path::new("/"));
        let name = self.out.file_name().unwrap_or_default().to_string_lossy();
        let staging = swap_staging(parent, &name);
        fs::create_dir(&staging)?;
        if let Ok(f) = fs::File::open(&staging) {
            // Held through the exchange, when this folder becomes the output.
            let _ = f.try_lock();
            self._locks.push(f);
        }
        let made = (|| -> io::Result<()> {
            fs::write(staging.join(STAGING_MARK), "A handbook build is writing here; the next build removes this folder.\n")?;
            for dir in manifest::folders_of(new.iter().map(|f| f.path)) {
                fs::create_dir_all(staging.join(dir))?;
            }
            let records: Vec<Record> = new.par_iter().map(|f| self.place(f, &staging)).collect::<io::Result<_>>()?;
            manifest.files = new.iter().zip(records).map(|(f, r)| (f.path.to_string(), Some(r))).collect();
            fs::write(staging.join(MANIFEST), manifest.to_bytes())?;
            fs::remove_file(staging.join(STAGING_MARK))
        })();
        if let Err(e) = made {
            let _ = remove_staging(&staging);
            return Err(Swap::Failed(e));
        }
        if let Err(e) = exchange(&staging, &self.out) {
            let _ = remove_staging(&staging);
            return Err(if exchange_unsupported(&e) { Swap::Unsupported } else { Swap::Failed(e) });
        }
        Ok(self.remove_old_site(&staging))
    }

    /// One file of the new site in `staging`: a hard link to the old file
    /// when its bytes are the same, else written.
    fn place(&self, f: &NewFile, staging: &Path) -> io::Result<Record> {
        let dest = staging.join(f.path);
        if let Some(rec) = &f.keep
            && fs::hard_link(self.out.join(f.path), &dest).is_ok()
        {
            // Still the file that was checked (not edited since)?
            if fs::symlink_metadata(&dest).is_ok_and(|m| rec.matches(&m)) {
                return Ok(rec.clone());
            }
            fs::remove_file(&dest)?;
        }
        let m = write_file(&dest, f.contents)?;
        Ok(Record::of(f.hash.clone(), &m))
    }

    /// After the exchange `staging` holds the previous site: remove what it
    /// listed. Anything else (put there during the build) goes back into
    /// the output folder where it was, or stays, with a note.
    fn remove_old_site(&self, staging: &Path) -> Vec<String> {
        let listed = self.old.as_ref().map(|m| &m.files);
        let mut kept = Vec::new();
        let mut notes = Vec::new();
        let walk = walkdir::WalkDir::new(staging).min_depth(1).contents_first(true);
        for entry in walk.into_iter().flatten() {
            let rel = crate::paths::rel_path(staging, entry.path());
            if rel == MANIFEST {
                continue;
            }
            let result = if entry.file_type().is_dir() {
                fs::remove_dir(entry.path())
                    .or_else(|e| if kept.iter().any(|k: &String| k.starts_with(&format!("{rel}/"))) { Ok(()) } else { Err(e) })
            } else if listed.is_some_and(|l| l.contains_key(&rel)) {
                fs::remove_file(entry.path())
            } else {
                let back = self.out.join(&rel);
                if fs::symlink_metadata(&back).is_err()
                    && back.parent().is_some_and(|p| fs::create_dir_all(p).is_ok())
                    && fs::rename(entry.path(), &back).is_ok()
                {
                    notes.push(format!("`{rel}` was put in the output folder during the build; it was kept"));
                } else {
                    kept.push(rel.clone());
                }
                Ok(())
            };
            if let Err(e) = result {
                notes.push(format!(
                    "could not remove the previous site from {}: {e}; the next build removes it",
                    staging.display()
                ));
                return notes;
            }
        }
        if kept.is_empty() {
            let _ = fs::remove_file(staging.join(MANIFEST));
            let _ = fs::remove_dir(staging);
        } else {
            notes.push(format!(
                "{} holds files put in the output folder during the build ({}); they were kept there",
                staging.display(),
                kept.join(", ")
            ));
        }
        notes
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if self.created && !self.done {
            // Only if still empty: never more than this build made.
            let _ = fs::remove_dir(&self.out);
        }
    }
}

enum Swap {
    /// The folders cannot be exchanged here: write in place instead.
    Unsupported,
    Failed(io::Error),
}

impl From<io::Error> for Swap {
    fn from(e: io::Error) -> Self {
        Swap::Failed(e)
    }
}

fn swap_staging(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.handbook-new"))
}

fn device(p: &Path) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(p).map(|m| m.dev()).unwrap_or(0)
    }
    #[cfg(not(unix))]
    {
        let _ = p;
        0
    }
}

/// A site path handbook may write: relative, `/`-separated, no `.` or `..`
/// parts, and none of handbook's own names.
fn safe_site_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains('\0')
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
        && p != MANIFEST
        && p != MANIFEST_TMP
        && p.split('/').next() != Some(inplace::DIR)
}

fn write_file(dest: &Path, contents: &Contents) -> io::Result<fs::Metadata> {
    use std::io::Write;
    let mut file = fs::File::create(dest)?;
    match contents {
        Contents::Bytes(b) => file.write_all(b)?,
        // The path is the one render gave: already joined to the handbook folder.
        Contents::Copy(src) => {
            let mut from =
                fs::File::open(src).map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", src.display())))?;
            io::copy(&mut from, &mut file)?;
        }
    }
    file.metadata()
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The exchange failed because of where the folder is, not what is in it.
fn exchange_unsupported(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let errno = Errno::from_io_error(e);
        return matches!(
            errno,
            Some(Errno::BUSY) | Some(Errno::XDEV) | Some(Errno::INVAL) | Some(Errno::NOSYS) | Some(Errno::OPNOTSUPP)
        );
    }
    #[allow(unreachable_code)]
    false
}

/// Removes a staging folder an interrupted build left, after checking that
/// everything in it is handbook's: a folder still marked as being filled,
/// or an old site whose manifest lists all of it.
fn remove_staging(dir: &Path) -> Result<(), String> {
    let marked = fs::symlink_metadata(dir.join(STAGING_MARK)).is_ok();
    if !marked {
        let manifest = Manifest::read(dir).unwrap_or_default();
        let folders = manifest.folders();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let rel = crate::paths::rel_path(dir, entry.path());
            let ours = rel == MANIFEST
                || if entry.file_type().is_dir() { folders.contains(&rel) } else { manifest.files.contains_key(&rel) };
            if !ours {
                return Err(format!(
                    "{} (left by an interrupted build) holds `{rel}`, which handbook did not write; move it away (nothing was changed)",
                    dir.display()
                ));
            }
        }
    }
    // The mark and the manifest go last, so a kill part-way leaves a folder
    // that still passes the check above.
    let cannot = |e: io::Error| format!("cannot remove {} (left by an interrupted build): {e}", dir.display());
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|e| cannot(e.into()))?;
        let rel = crate::paths::rel_path(dir, entry.path());
        if rel == MANIFEST || rel == STAGING_MARK {
            continue;
        }
        if entry.file_type().is_dir() { fs::remove_dir(entry.path()) } else { fs::remove_file(entry.path()) }.map_err(cannot)?;
    }
    for last in [MANIFEST, STAGING_MARK] {
        match fs::remove_file(dir.join(last)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(cannot(e)),
            _ => {}
        }
    }
    fs::remove_dir(dir).map_err(cannot)
}

/// Earlier versions of handbook swapped through `.NAME.new-PID` and
/// `.NAME.old-PID` beside the output and left them when killed.
fn remove_legacy_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else { continue };
        let Some(pid) = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-")) else { continue };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if cfg!(target_os = "linux") && Path::new("/proc").join(pid).exists() {
            continue; // that build may still be running
        }
        let path = entry.path();
        if rest.starts_with("old-") {
            // A whole previous site: only if its manifest lists all of it.
            let _ = remove_staging(&path);
        } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}
