//! Where an output path really is, and whether it may be written.
//!
//! Every check is made on the path the kernel will write to: absolute,
//! `.` and `..` taken away, every symlink in the part that exists
//! followed (like `realpath -m`). The same resolved path is then the only
//! one used for writing, so a check can never pass for one folder and the
//! write land in another.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The absolute path `p` names, with `..` resolved after the symlinks
/// before it, and components that do not exist yet taken as written.
pub fn resolve(p: &Path) -> io::Result<PathBuf> {
    let start = if p.is_absolute() { PathBuf::new() } else { fs::canonicalize(std::env::current_dir()?)? };
    resolve_from(start, p, 0)
}

fn resolve_from(mut out: PathBuf, p: &Path, depth: usize) -> io::Result<PathBuf> {
    if depth > 40 {
        return Err(io::Error::other("too many levels of symbolic links"));
    }
    // True while `out` is an existing, fully resolved folder.
    let mut real = true;
    for c in p.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                out = PathBuf::from(c.as_os_str());
                real = true;
            }
            Component::CurDir => {}
            Component::ParentDir => {
                // `out` has no symlinks in it, so its parent is the real `..`.
                out.pop();
                real = fs::symlink_metadata(&out).is_ok();
            }
            Component::Normal(name) => {
                out.push(name);
                if !real {
                    continue;
                }
                match fs::symlink_metadata(&out) {
                    Ok(m) if m.file_type().is_symlink() => {
                        let target = fs::read_link(&out)?;
                        out.pop();
                        out = resolve_from(out, &target, depth + 1)?;
                        real = fs::symlink_metadata(&out).is_ok();
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => real = false,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(out)
}

/// `a` is `b` or lies inside it (both resolved).
pub fn within(a: &Path, b: &Path) -> bool {
    a.starts_with(b)
}

/// The home folder, resolved, when there is one.
pub fn home() -> Option<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    let home = std::env::var_os(var).filter(|h| !h.is_empty())?;
    resolve(Path::new(&home)).ok()
}

/// Whether this process may create and remove entries in `dir`: false on
/// a read-only file system or a folder without write permission for us.
pub fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        fs::metadata(dir).map(|m| !m.permissions().readonly()).unwrap_or(false)
    }
}

/// Whether `dir` is the top of a mounted file system (a tmpfs, a bind
/// mount, a container volume): such a folder cannot be renamed.
pub fn is_mount_point(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
        if let Ok(s) = statx(CWD, dir, AtFlags::SYMLINK_NOFOLLOW, StatxFlags::BASIC_STATS | StatxFlags::MNT_ID) {
            if s.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT) {
                return s.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
            }
            if let Some(parent) = dir.parent()
                && let Ok(p) = statx(CWD, parent, AtFlags::empty(), StatxFlags::BASIC_STATS | StatxFlags::MNT_ID)
                && StatxFlags::from_bits_retain(s.stx_mask).contains(StatxFlags::MNT_ID)
            {
                return p.stx_mnt_id != s.stx_mnt_id;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = dir.parent().unwrap_or(Path::new("/"));
        match (fs::symlink_metadata(dir), fs::metadata(parent)) {
            (Ok(d), Ok(p)) => d.dev() != p.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_after_a_missing_folder_is_taken_lexically() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(base.join("mydocs")).unwrap();
        assert_eq!(resolve(&base.join("nothere/../mydocs")).unwrap(), base.join("mydocs"));
        assert_eq!(resolve(&base.join("a/./b/../../mydocs/x")).unwrap(), base.join("mydocs/x"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_before_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(base.join("real/inner")).unwrap();
        std::os::unix::fs::symlink(base.join("real/inner"), base.join("link")).unwrap();
        // link/.. is real/, not base/.
        assert_eq!(resolve(&base.join("link/../out")).unwrap(), base.join("real/out"));
        // A relative link, and one that points at a folder not made yet.
        std::os::unix::fs::symlink("real/later", base.join("dangling")).unwrap();
        assert_eq!(resolve(&base.join("dangling/site")).unwrap(), base.join("real/later/site"));
    }
}
