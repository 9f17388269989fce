//! The one rule every path a handbook names obeys: it stays inside the
//! handbook folder. A logo, a pack entry, a page, a form, a template or an
//! image beside a page is read only after this says where it really is, so
//! `logo = "/etc/passwd"`, `../../secret.txt` or a symbolic link in content/
//! pointing elsewhere on the disk is an error, never something published.

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Written as an absolute path (`/etc/passwd`, `C:\x`).
    Absolute(String),
    /// Climbs out with `..` (`../../secret.txt`).
    Climbs(String),
    /// Inside as written, but a symbolic link on the way leads to `target`.
    Link { path: String, target: PathBuf },
    /// Inside, but nothing is there (or it cannot be looked at).
    Missing(String),
}

impl PathError {
    /// True when the path leaves the handbook folder (as opposed to being missing).
    pub fn is_outside(&self) -> bool {
        !matches!(self, PathError::Missing(_))
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const RULE: &str = "a handbook may only use files inside its own folder";
        match self {
            PathError::Absolute(p) => {
                write!(f, "`{p}` is an absolute path, outside the handbook folder; {RULE}, so give a path relative to it")
            }
            PathError::Climbs(p) => write!(f, "`{p}` climbs out of the handbook folder with `..`; {RULE}"),
            PathError::Link { path, target } => write!(
                f,
                "`{path}` is a symbolic link to `{}`, outside the handbook folder; {RULE}: copy the file into the folder instead",
                target.display()
            ),
            PathError::Missing(p) => write!(f, "`{p}` does not exist in the handbook folder"),
        }
    }
}

/// Where `path` (relative to `root`, as a handbook names it) really is,
/// symbolic links followed, provided that is inside `root`. Every file the
/// build reads goes through here, and so can `serve`.
pub fn inside_root(root: &Path, path: impl AsRef<Path>) -> Result<PathBuf, PathError> {
    let path = path.as_ref();
    // As written: no absolute paths, no climbing above the folder.
    let relative = match path.strip_prefix(root) {
        Ok(rest) => rest,
        Err(_) => path,
    };
    lexical(relative)?;
    // Named as the handbook names it: relative to its folder.
    let shown = relative.to_string_lossy().replace('\\', "/");
    // As it is on disk: every link on the way resolved.
    let real_root = root.canonicalize().map_err(|_| PathError::Missing(".".into()))?;
    match root.join(relative).canonicalize() {
        Ok(real) if real.starts_with(&real_root) => Ok(real),
        Ok(real) => Err(PathError::Link { path: shown, target: real }),
        Err(_) => {
            // A link whose target does not exist still says where it points.
            match std::fs::read_link(root.join(relative)) {
                Ok(target) => {
                    let beside = real_root.join(relative);
                    let target = if target.is_absolute() { target } else { beside.parent().unwrap_or(&real_root).join(target) };
                    let inside = normalise(&target).is_some_and(|t| t.starts_with(&real_root));
                    if inside { Err(PathError::Missing(shown)) } else { Err(PathError::Link { path: shown, target }) }
                }
                Err(_) => Err(PathError::Missing(shown)),
            }
        }
    }
}

/// The check that needs no disk: `path`, as a handbook writes it (relative
/// to the handbook folder), is not absolute and does not climb above it.
pub fn lexical(path: impl AsRef<Path>) -> Result<(), PathError> {
    let path = path.as_ref();
    let shown = path.to_string_lossy().replace('\\', "/");
    if path.is_absolute() || path.has_root() {
        return Err(PathError::Absolute(shown));
    }
    let mut depth = 0usize;
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return Err(PathError::Absolute(shown)),
            Component::CurDir => {}
            Component::ParentDir => {
                depth = depth.checked_sub(1).ok_or_else(|| PathError::Climbs(shown.clone()))?;
            }
            Component::Normal(_) => depth += 1,
        }
    }
    Ok(())
}

/// `a/./b/../c` as `a/c`, without touching the disk; `None` if it climbs above its start.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        std::fs::create_dir_all(root.join("content/images")).unwrap();
        std::fs::write(root.join("content/images/logo.svg"), "<svg/>").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, root)
    }

    #[test]
    fn paths_inside_are_resolved() {
        let (_dir, root) = folder();
        let found = inside_root(&root, "content/images/logo.svg").unwrap();
        assert!(found.ends_with("content/images/logo.svg"));
        assert!(inside_root(&root, "content/./images/../images/logo.svg").is_ok());
        assert_eq!(inside_root(&root, "content/nope.png"), Err(PathError::Missing("content/nope.png".into())));
    }

    #[test]
    fn absolute_and_climbing_paths_are_refused() {
        let (_dir, root) = folder();
        assert!(matches!(inside_root(&root, "/etc/passwd"), Err(PathError::Absolute(_))));
        assert!(matches!(inside_root(&root, "../secret.txt"), Err(PathError::Climbs(_))));
        assert!(matches!(inside_root(&root, "content/../../secret.txt"), Err(PathError::Climbs(_))));
        let e = inside_root(&root, "/etc/passwd").unwrap_err().to_string();
        assert!(e.contains("`/etc/passwd`") && e.contains("outside the handbook folder"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn links_that_lead_outside_are_refused_and_links_inside_followed() {
        let (dir, root) = folder();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("content/images/x.png")).unwrap();
        std::os::unix::fs::symlink("logo.svg", root.join("content/images/y.svg")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("content/up")).unwrap();
        std::os::unix::fs::symlink("/nowhere/at/all", root.join("content/dangling")).unwrap();
        match inside_root(&root, "content/images/x.png") {
            Err(PathError::Link { path, target }) => {
                assert_eq!(path, "content/images/x.png");
                assert!(target.ends_with("secret.txt"));
            }
            other => panic!("{other:?}"),
        }
        assert!(inside_root(&root, "content/images/y.svg").unwrap().ends_with("logo.svg"));
        assert!(matches!(inside_root(&root, "content/up/secret.txt"), Err(PathError::Link { .. })));
        assert!(matches!(inside_root(&root, "content/dangling"), Err(PathError::Link { .. })));
        // An absolute path that spells out the folder itself is fine.
        assert!(inside_root(&root, root.join("content/images/logo.svg")).is_ok());
    }
}
