//! The one directory reader: content/, forms/, forms/decisions/ and
//! templates/ are all listed here, with one rule for the files an editor
//! or office suite leaves beside the real ones.

use crate::diagnostics::{Diagnostics, Location};
use crate::paths::rel_path;
use std::path::Path;

/// A file read from disk: its path relative to the handbook folder and bytes.
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Files that are never part of a handbook, wherever they are: hidden
/// files and folders (`.git`, `.DS_Store`, Emacs and LibreOffice locks
/// `.#x.md`, `.~lock.x#`, Vim swap files `.x.md.swp`), backups (`x.md~`),
/// Emacs auto-saves (`#x.md#`), Word lock files (`~$x.docx`), swap files
/// and JetBrains' "safe write" copies (`x.md___jb_tmp___`).
pub fn is_ignored(name: &str) -> bool {
    (name.starts_with('.') && name != ".")
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with("~$")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx"].iter().any(|ext| name.ends_with(ext))
}

/// How far down a folder is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Only the files directly in it (forms/ does not read forms/decisions/).
    Top,
    /// Every file below it.
    All,
}

/// How many folders deep a handbook's files may sit under content/ or
/// templates/. Sections nest two or three deep in practice; a cap keeps
/// the navigation (which shows the open branch on every page) from growing
/// with the square of a runaway folder depth.
pub const MAX_FOLDER_DEPTH: usize = 16;

/// Reads every file under `root/dir` (a `/`-separated path from the
/// handbook folder) in a stable order, by path. Ignored files and folders
/// are skipped; with `ext`, only files with that extension are read. A
/// folder that is not there gives no files. Symbolic links are followed
/// only where they stay inside the handbook folder: one that leads out, a
/// loop of links, a folder nested deeper than [`MAX_FOLDER_DEPTH`] or a
/// file that cannot be read is an error at its path, and is left out.
pub fn read(root: &Path, dir: &str, depth: Depth, ext: Option<&str>, sink: &mut Diagnostics) -> Vec<SourceFile> {
    let base = root.join(dir);
    let mut files = Vec::new();
    if let Err(e) = crate::confine::inside_root(root, dir) {
        if e.is_outside() {
            sink.push(Location::new(dir, 1, 1).error(format!("the {dir}/ folder: {e}")));
        }
        return files;
    }
    if !base.is_dir() {
        return files;
    }
    let max_depth = if depth == Depth::Top { 1 } else { MAX_FOLDER_DEPTH + 1 };
    let mut refused = Vec::new();
    let walker =
        walkdir::WalkDir::new(&base).follow_links(true).max_depth(max_depth).sort_by_file_name().into_iter().filter_entry(|e| {
            if e.depth() > 0 && is_ignored(&e.file_name().to_string_lossy()) {
                return false;
            }
            if e.path_is_symlink()
                && let Err(err) = crate::confine::inside_root(root, e.path())
            {
                refused.push(Location::new(&rel_path(root, e.path()), 1, 1).error(err.to_string()));
                return false;
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if ext.is_some_and(|ext| entry.path().extension().is_none_or(|e| e != ext)) {
                    continue;
                }
                let rel = rel_path(root, entry.path());
                match std::fs::read(entry.path()) {
                    Ok(bytes) => files.push(SourceFile { path: rel, bytes }),
                    Err(e) => sink.push(Location::new(&rel, 1, 1).error(format!("cannot read this file: {e}"))),
                }
            }
            Ok(entry) if entry.file_type().is_dir() && depth == Depth::All && entry.depth() > MAX_FOLDER_DEPTH => {
                let rel = rel_path(root, entry.path());
                sink.push(Location::new(&rel, 1, 1).error(format!(
                    "`{rel}` is nested {} folders deep; files may sit at most {MAX_FOLDER_DEPTH} folders deep in {dir}/, so nothing in it is used",
                    entry.depth()
                )));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(|p| rel_path(root, p)).unwrap_or_else(|| dir.to_string());
                let what = if e.loop_ancestor().is_some() {
                    "symbolic links here loop back to a folder that holds them".to_string()
                } else {
                    e.to_string()
                };
                sink.push(Location::new(&path, 1, 1).error(format!("cannot read `{path}`: {what}")));
            }
        }
    }
    for d in refused {
        sink.push(d);
    }
    files
}

/// The `id` a TOML file gives itself, or its file name: where its page
/// would be, so links to a file that failed to load are not reported as
/// broken on top of its own errors.
pub fn declared_id(text: &str, path: &str) -> String {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml");
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_string))
        .unwrap_or_else(|| stem.to_string())
}

/// Decodes files read by [`read`] as UTF-8 text, reporting any that are not.
pub fn texts(files: Vec<SourceFile>, sink: &mut Diagnostics) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in files {
        match crate::diagnostics::decode_utf8(&file.path, file.bytes) {
            Ok(text) => out.push((file.path, text)),
            Err(d) => sink.push(d),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".git",
            ".DS_Store",
            ".#page.md",
            ".~lock.form.toml#",
            ".page.md.swp",
            "page.md~",
            "#page.md#",
            "~$notes.docx",
            "page.md___jb_tmp___",
            "logo.png___jb_old___",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["page.md", "form.toml", "a#b.md", "index.html", "#"] {
            assert!(!is_ignored(name), "{name}");
        }
    }
}
