//! A fingerprint of everything a build reads, taken before it reads any of
//! it: when the next build finds the same fingerprint and the output as it
//! was left, there is nothing to do.
//!
//! Like git's index and make, it looks at each file's size, times and
//! inode rather than its bytes: the change time (ctime) moves on every
//! write and cannot be set back by a tool, so an edit is always seen,
//! and a no-change rebuild of 10,000 pages reads no file. The walk
//! follows symlinks (more than the loader reads is harmless: it can only
//! cause a build that was not needed).
//!
//! File times tick in steps of a few milliseconds, so a file changed in the
//! same tick as the fingerprint was taken could change again unseen; as in
//! git ("racy git"), such a fingerprint is not kept and the next build runs.

use std::fs;
use std::path::{Path, PathBuf};

/// The folders and files under the handbook folder that a build reads.
pub const SOURCE_DIRS: [&str; 3] = ["content", "forms", "templates"];
pub const SOURCE_FILES: [&str; 2] = ["handbook.toml", "glossary.toml"];

pub struct Inputs {
    /// None when some input could not be looked at: never skip then.
    pub fingerprint: Option<String>,
    /// Where symlinked folders inside the sources really are: sources too.
    pub linked_dirs: Vec<PathBuf>,
}

pub fn inputs(root: &Path) -> Inputs {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut ok = true;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
    let mut linked_dirs = Vec::new();
    let add = |h: &mut xxhash_rust::xxh3::Xxh3, s: &str| {
        h.update(s.as_bytes());
        h.update(b"\0");
    };
    add(&mut h, "handbook inputs 1");
    add(&mut h, env!("CARGO_PKG_VERSION"));
    // The binary itself: a new build of handbook may render differently.
    match std::env::current_exe().and_then(fs::metadata) {
        Ok(m) => add(&mut h, &stamp(&m)),
        Err(_) => ok = false,
    }
    // Review notices depend on the date.
    add(&mut h, &crate::site::today().to_string());

    let mut file = |h: &mut xxhash_rust::xxh3::Xxh3, rel: &str| match fs::metadata(root.join(rel)) {
        Ok(m) => {
            ok &= settled(&m, now);
            add(h, &format!("{rel}\0{}", stamp(&m)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => add(h, &format!("{rel}\0missing")),
        Err(_) => ok = false,
    };
    for rel in SOURCE_FILES {
        file(&mut h, rel);
    }
    // The logo may be anywhere handbook.toml says.
    if let Ok(text) = fs::read_to_string(root.join("handbook.toml"))
        && let Ok(table) = text.parse::<toml::Table>()
        && let Some(logo) = table.get("logo").and_then(|v| v.as_str())
    {
        file(&mut h, logo);
    }
    for dir in SOURCE_DIRS {
        let base = root.join(dir);
        if !base.exists() {
            add(&mut h, &format!("{dir}/\0missing"));
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(_) => {
                    ok = false;
                    continue;
                }
            };
            let rel = crate::paths::rel_path(root, entry.path());
            if entry.file_type().is_dir() {
                if entry.path_is_symlink()
                    && let Ok(real) = fs::canonicalize(entry.path())
                {
                    linked_dirs.push(real);
                }
                add(&mut h, &format!("{rel}/"));
                continue;
            }
            match entry.metadata() {
                Ok(m) => {
                    ok &= settled(&m, now);
                    add(&mut h, &format!("{rel}\0{}", stamp(&m)))
                }
                Err(_) => ok = false,
            }
        }
    }
    Inputs { fingerprint: ok.then(|| format!("{:032x}", h.digest128())), linked_dirs }
}

/// Last changed well before `now`: a later change gets a later time.
fn settled(m: &fs::Metadata, now: i128) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ctime = m.ctime() as i128 * 1_000_000_000 + m.ctime_nsec() as i128;
        ctime < now - 50_000_000
    }
    #[cfg(not(unix))]
    {
        super::manifest::mtime(m) < now - 50_000_000
    }
}

fn stamp(m: &fs::Metadata) -> String {
    let (size, mtime, ino) = super::manifest::stat(m);
    #[cfg(unix)]
    let change = {
        use std::os::unix::fs::MetadataExt;
        format!("{}.{}/{}", m.ctime(), m.ctime_nsec(), m.dev())
    };
    #[cfg(not(unix))]
    let change = String::new();
    format!("{size}/{mtime}/{ino}/{change}")
}
