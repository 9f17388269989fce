//! The all-or-nothing write of a built site into its output folder, and
//! the checks that keep a build from replacing anything it did not write.

use crate::content;
use crate::diagnostics::{Diagnostic, Location};
use crate::render::{Contents, OutputFile};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Name of the file that lists what handbook wrote into an output folder,
/// so a later build knows what it may replace.
pub const MANIFEST: &str = ".handbook-build";

/// Refuses an output folder that holds the sources or files handbook did not write.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root_abs = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let out_abs = absolute(out);
    let name = out.display().to_string();
    let at = || Location::new(&name, 1, 1);
    if root_abs.starts_with(&out_abs) {
        return Err(at().error("the output folder holds the handbook's sources; choose another --out (the default is site/)"));
    }
    for src in ["content", "forms", "templates"] {
        if out_abs.starts_with(root_abs.join(src)) {
            return Err(at().error(format!("the output folder is inside {src}/, which holds sources; choose another --out")));
        }
    }
    if !out_abs.exists() {
        return Ok(());
    }
    if !out_abs.is_dir() {
        return Err(at().error("the output path is a file, not a folder; choose another --out"));
    }
    let mut entries = fs::read_dir(&out_abs).map_err(|e| at().error(format!("cannot read the output folder: {e}")))?;
    if entries.next().is_none() {
        return Ok(());
    }
    let manifest = fs::read_to_string(out_abs.join(MANIFEST)).map_err(|_| {
        at().error("the output folder is not empty and was not made by handbook; it will not be overwritten: choose an empty or new --out")
    })?;
    let ours: HashSet<&str> = manifest.lines().collect();
    for entry in walkdir::WalkDir::new(&out_abs).min_depth(1) {
        let entry = entry.map_err(|e| at().error(format!("cannot read the output folder: {e}")))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = content::rel_path(&out_abs, entry.path());
        if rel != MANIFEST && !ours.contains(rel.as_str()) {
            return Err(at().error(format!(
                "the output folder holds `{rel}`, which handbook did not write; move it away or choose another --out (nothing was changed)"
            )));
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(p) {
        return c;
    }
    // Not there yet: canonicalise the parent that exists.
    let parent = p.parent().filter(|x| !x.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let base = fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    base.join(p.file_name().unwrap_or_default())
}

/// Writes into a fresh folder beside `out`, then swaps it in with renames.
pub fn write_all(root: &Path, out: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    use rayon::prelude::*;
    let out = absolute(out);
    let parent = out.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = out.file_name().unwrap_or_default().to_string_lossy().to_string();
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.new-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(&tmp)?;
    let result = (|| {
        let dirs: std::collections::BTreeSet<PathBuf> =
            files.iter().filter_map(|f| Path::new(&f.path).parent().map(|p| tmp.join(p))).collect();
        for d in dirs {
            fs::create_dir_all(d)?;
        }
        files.par_iter().try_for_each(|f| -> std::io::Result<()> {
            let dest = tmp.join(&f.path);
            match &f.contents {
                Contents::Bytes(b) => fs::write(dest, b),
                Contents::Copy(src) => fs::copy(root.join(src), dest).map(|_| ()),
            }
        })?;
        let mut manifest: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        manifest.sort();
        fs::write(tmp.join(MANIFEST), manifest.join("\n") + "\n")
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let had_old = out.exists();
    if had_old {
        fs::rename(&out, &old)?;
    }
    if let Err(e) = fs::rename(&tmp, &out) {
        if had_old {
            let _ = fs::rename(&old, &out);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}
