//! The journalled in-place update, for an output folder that cannot be
//! swapped whole (a mount point, or a folder whose parent is read-only).
//!
//! Changed files are written into `.handbook-new/` inside the output
//! folder, on the same file system, so each can be renamed into place.
//! Then the journal (every rename and removal, in order) is written and
//! committed by renaming `journal.tmp` to `journal`, and applied. Every
//! step of applying it can be done again, so a build that finds a journal
//! (after a kill) simply applies it to the end before anything else.
//! Without a journal nothing in the site was touched yet, and the staging
//! folder is removed.

use super::manifest::{MANIFEST, Manifest, Record};
use super::{NewFile, STAGING_MARK, write_file};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

/// The staging folder inside the output folder.
pub const DIR: &str = ".handbook-new";
const JOURNAL: &str = "journal";
const JOURNAL_TMP: &str = "journal.tmp";
const NEW_MANIFEST: &str = "manifest";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    /// Staged file number -> site path.
    puts: Vec<(usize, String)>,
    /// Files of the old site that are not in the new one.
    removes: Vec<String>,
    /// Folders of the old site not in the new one, deepest first.
    folders: Vec<String>,
}

pub(super) fn write(
    out: &Path,
    new: &[NewFile],
    present: &HashMap<String, Option<Record>>,
    manifest: &mut Manifest,
) -> io::Result<()> {
    let t = out.join(DIR);
    fs::create_dir(&t)?;
    let staged = (|| -> io::Result<Journal> {
        fs::write(t.join(STAGING_MARK), "A handbook build is writing here; the next build finishes or removes it.\n")?;
        let records: Vec<Record> = new
            .par_iter()
            .enumerate()
            .map(|(i, f)| match &f.keep {
                Some(r) => Ok(r.clone()),
                None => write_file(&t.join(i.to_string()), f.contents).map(|m| Record::of(f.hash.clone(), &m)),
            })
            .collect::<io::Result<_>>()?;
        manifest.files = new.iter().zip(records).map(|(f, r)| (f.path.to_string(), Some(r))).collect();
        let paths: HashSet<&str> = new.iter().map(|f| f.path).collect();
        let mut journal = Journal {
            puts: new.iter().enumerate().filter(|(_, f)| f.keep.is_none()).map(|(i, f)| (i, f.path.to_string())).collect(),
            ..Default::default()
        };
        journal.removes = present.keys().filter(|p| !paths.contains(p.as_str())).cloned().collect();
        journal.removes.sort();
        let new_folders = manifest.folders();
        let mut old_folders: Vec<String> = super::manifest::folders_of(present.keys().map(String::as_str))
            .into_iter()
            .filter(|d| !new_folders.contains(d))
            .collect();
        // "a/b" sorts after "a": reversed, the deepest come first.
        old_folders.reverse();
        journal.folders = old_folders;
        fs::write(t.join(NEW_MANIFEST), manifest.to_bytes())?;
        fs::write(t.join(JOURNAL_TMP), serde_json::to_vec(&journal).map_err(io::Error::other)?)?;
        Ok(journal)
    })();
    let journal = match staged {
        Ok(j) => j,
        Err(e) => {
            let _ = remove_staging(&t);
            return Err(e);
        }
    };
    // The commit: from here the change is finished, now or by the next build.
    fs::rename(t.join(JOURNAL_TMP), t.join(JOURNAL))?;
    apply(out, &t, &journal).map_err(|e| {
        io::Error::new(e.kind(), format!("{e} (the update was started; the next build finishes it before anything else)"))
    })
}

/// Finishes (journal committed) or removes (not committed) what an
/// interrupted in-place update left.
pub(super) fn recover(out: &Path) -> Result<(), String> {
    let t = out.join(DIR);
    if fs::symlink_metadata(&t).is_err() {
        return Ok(());
    }
    let entries = fs::read_dir(&t).map_err(|e| format!("cannot read {}: {e}", t.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = [STAGING_MARK, JOURNAL, JOURNAL_TMP, NEW_MANIFEST].contains(&name.as_str())
            || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()));
        if !ours || entry.file_type().map_or(true, |t| t.is_dir()) {
            return Err(format!(
                "{} (left by an interrupted build) holds `{name}`, which handbook did not write; move it away (nothing was changed)",
                t.display()
            ));
        }
    }
    match fs::read(t.join(JOURNAL)) {
        Ok(bytes) => {
            let journal: Journal = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: the journal of an interrupted build cannot be read ({e})", t.display()))?;
            apply(out, &t, &journal).map_err(|e| format!("cannot finish the interrupted build in {}: {e}", out.display()))
        }
        Err(_) => remove_staging(&t).map_err(|e| format!("cannot remove {}: {e}", t.display())),
    }
}

/// Carries out the journal; safe to run again from any point.
fn apply(out: &Path, t: &Path, journal: &Journal) -> io::Result<()> {
    let mut later = Vec::new();
    for (i, path) in &journal.puts {
        let from = t.join(i.to_string());
        if fs::symlink_metadata(&from).is_err() {
            continue; // done before
        }
        if blocked(out, path) {
            later.push((from, path));
            continue;
        }
        put(out, &from, path)?;
    }
    for path in &journal.removes {
        let p = out.join(path);
        if fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&p)?;
        }
    }
    for dir in &journal.folders {
        // Fails, harmlessly, for a folder that is not empty.
        let _ = fs::remove_dir(out.join(dir));
    }
    for (from, path) in later {
        let dest = out.join(path);
        if fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir(&dest)?;
        }
        put(out, &from, path)?;
    }
    let staged_manifest = t.join(NEW_MANIFEST);
    if fs::symlink_metadata(&staged_manifest).is_ok() {
        fs::rename(&staged_manifest, out.join(MANIFEST))?;
    }
    remove_staging(t)
}

fn put(out: &Path, from: &Path, path: &str) -> io::Result<()> {
    let dest = out.join(path);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::rename(from, dest)
}

/// A folder stands where the file goes, or a file where a folder must be.
fn blocked(out: &Path, path: &str) -> bool {
    if fs::symlink_metadata(out.join(path)).is_ok_and(|m| m.is_dir()) {
        return true;
    }
    let mut prefix = out.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        prefix.push(part);
        if fs::symlink_metadata(&prefix).is_ok_and(|m| !m.is_dir()) {
            return true;
        }
    }
    false
}

/// Removes the staging folder: the journal and mark last, so that a kill
/// part-way leaves a folder the next build still recognises.
fn remove_staging(t: &Path) -> io::Result<()> {
    for entry in fs::read_dir(t)?.flatten() {
        let name = entry.file_name();
        if name != JOURNAL && name != STAGING_MARK {
            fs::remove_file(entry.path())?;
        }
    }
    for last in [JOURNAL, STAGING_MARK] {
        match fs::remove_file(t.join(last)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    fs::remove_dir(t)
}
