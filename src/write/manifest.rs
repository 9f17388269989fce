//! The record a build leaves in its output folder: every file it wrote,
//! with what it held, so a later build knows what it may replace, what is
//! unchanged, and whether anything has been touched since.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

/// Name of the file that lists what handbook wrote into an output folder.
pub const MANIFEST: &str = ".handbook-build";

/// One file as handbook wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// xxh3-128 of the bytes, in hex.
    pub hash: String,
    pub size: u64,
    /// Modification time in nanoseconds since 1970, and the inode number:
    /// when both still match, the file is as written without reading it.
    pub mtime: i128,
    pub ino: u64,
}

/// A warning of the build that wrote the folder, shown again when a later
/// build finds nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version (2). Version 1 was a bare list of paths.
    pub handbook_build: u32,
    /// Fingerprint of every input of the build (see `inputs`); None when
    /// it could not be taken, so the next build never skips.
    #[serde(default)]
    pub inputs: Option<String>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Site path -> record. None for a version 1 manifest (paths only).
    pub files: BTreeMap<String, Option<Record>>,
}

impl Manifest {
    pub fn new() -> Self {
        Manifest { handbook_build: 2, ..Default::default() }
    }

    /// Reads a manifest of either version. A file that is neither is an error.
    pub fn read(dir: &Path) -> io::Result<Manifest> {
        let text = fs::read_to_string(dir.join(MANIFEST))?;
        Self::parse(&text).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not a handbook manifest"))
    }

    pub fn parse(text: &str) -> Option<Manifest> {
        if text.trim_start().starts_with('{') {
            return serde_json::from_str(text).ok();
        }
        // Version 1: one site path a line.
        let files = text.lines().filter(|l| !l.is_empty()).map(|l| (l.to_string(), None)).collect();
        Some(Manifest { handbook_build: 1, inputs: None, warnings: Vec::new(), files })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        // One file a line, so a diff of two manifests reads well.
        let mut s = String::from("{\"handbook_build\":2,\"inputs\":");
        s += &serde_json::to_string(&self.inputs).unwrap_or_else(|_| "null".into());
        s += ",\"warnings\":";
        s += &serde_json::to_string(&self.warnings).unwrap_or_else(|_| "[]".into());
        s += ",\"files\":{";
        for (i, (path, rec)) in self.files.iter().enumerate() {
            s += if i == 0 { "\n" } else { ",\n" };
            s += &serde_json::to_string(path).unwrap_or_default();
            s.push(':');
            s += &serde_json::to_string(rec).unwrap_or_else(|_| "null".into());
        }
        s += "\n}}\n";
        s.into_bytes()
    }

    /// Every folder that holds a listed file, at any depth ("a", "a/b").
    pub fn folders(&self) -> BTreeSet<String> {
        folders_of(self.files.keys().map(String::as_str))
    }
}

pub fn folders_of<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in paths {
        let mut rest = p;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if !out.insert(dir.to_string()) {
                break;
            }
            rest = dir;
        }
    }
    out
}

pub fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// The hash of a file's bytes, read in pieces.
pub fn hash_file(path: &Path) -> io::Result<String> {
    use std::io::Read;
    let mut f = fs::File::open(path)?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("{:032x}", h.digest128()))
}

/// Size, modification time and inode of a file as it is now.
pub fn stat(m: &fs::Metadata) -> (u64, i128, u64) {
    (m.len(), mtime(m), ino(m))
}

pub fn mtime(m: &fs::Metadata) -> i128 {
    match m.modified().ok().map(|t| t.duration_since(std::time::UNIX_EPOCH)) {
        Some(Ok(d)) => d.as_nanos() as i128,
        Some(Err(e)) => -(e.duration().as_nanos() as i128),
        None => 0,
    }
}

#[cfg(unix)]
pub fn ino(m: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
pub fn ino(_: &fs::Metadata) -> u64 {
    0
}

impl Record {
    pub fn of(hash: String, m: &fs::Metadata) -> Record {
        let (size, mtime, ino) = stat(m);
        Record { hash, size, mtime, ino }
    }

    /// The file on disk has the size, time and inode this record was made with.
    pub fn matches(&self, m: &fs::Metadata) -> bool {
        m.file_type().is_file() && stat(m) == (self.size, self.mtime, self.ino)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_versions_read_and_the_new_one_round_trips() {
        let v1 = Manifest::parse("index.html\nsearch/i0.js\n").unwrap();
        assert_eq!(v1.handbook_build, 1);
        assert_eq!(v1.files.len(), 2);
        let mut m = Manifest::new();
        m.inputs = Some("ab".into());
        m.files.insert("a b/\"c\".html".into(), Some(Record { hash: hash(b"x"), size: 1, mtime: -5, ino: 7 }));
        m.files.insert("index.html".into(), None);
        let back = Manifest::parse(std::str::from_utf8(&m.to_bytes()).unwrap()).unwrap();
        assert_eq!(back.files, m.files);
        assert_eq!(back.inputs, m.inputs);
        assert_eq!(m.folders(), BTreeSet::from(["a b".to_string()]));
        assert!(Manifest::parse("{ not json").is_none());
    }
}
