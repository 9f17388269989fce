//! `handbook new`: a new handbook folder from the files embedded in the binary.

use crate::site::defaults;
use std::fs;
use std::path::Path;

/// Writes a new handbook folder with the default content and forms, and a
/// templates/ holding only a README on overriding: the theme itself stays
/// in the binary, so later fixes to it reach this handbook.
pub fn new_handbook(dir: &Path) -> Result<usize, String> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!("{} is not empty; `handbook new` only writes into a new or empty folder", dir.display()));
        }
    }
    let files: Vec<_> = defaults::DEFAULT_FILES
        .iter()
        .filter(|(path, _)| !path.starts_with("templates/") || *path == "templates/README.md")
        .collect();
    for (path, bytes) in &files {
        let dest = dir.join(path);
        if let Some(p) = dest.parent() {
            fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        fs::write(&dest, bytes).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    Ok(files.len())
}
