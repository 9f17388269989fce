//! Helpers for the integration tests: run the real binary on real folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_handbook");

/// The repository itself: the default handbook. Tests that assert its
/// words use `fixture_path("handbook")` instead, a copy the tests own.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file or folder under tests/fixtures/.
pub fn fixture_path(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The test handbook (tests/fixtures/handbook: a copy of the default
/// handbook's words, so editing those never breaks a test), read in place.
pub fn test_handbook() -> PathBuf {
    fixture_path("handbook")
}

/// Copies `from` into `to`, folders and all.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dest) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dest);
        } else {
            std::fs::copy(&src, &dest).unwrap();
        }
    }
}

/// A copy of the fixture handbook tests/fixtures/`fixture` in a new temp folder.
pub fn fixture(fixture: &str, name: &str) -> PathBuf {
    let dir = temp(name).join("hb");
    copy_dir(&fixture_path(fixture), &dir);
    dir
}

/// A new, unique, empty folder under the system temp folder.
pub fn temp(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let dir = std::env::temp_dir().join(format!(
        "handbook-test-{name}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary with the clock fixed at `today`.
pub fn run(args: &[&str], today: &str) -> Output {
    Command::new(BIN).args(args).env("HANDBOOK_TODAY", today).output().expect("run handbook")
}

/// What a run of the binary said and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

#[allow(dead_code)] // each test binary uses its own share of the helpers
impl Run {
    /// The `path:line:col: severity: message` lines, in order.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.contains(": error: ") || l.contains(": warning: ")).collect()
    }

    /// Asserts a diagnostic that starts with `prefix` (`path:line:col: error:`) and mentions `words`.
    pub fn assert_reports(&self, prefix: &str, words: &str) {
        assert!(
            self.diagnostics().iter().any(|l| l.starts_with(prefix) && l.contains(words)),
            "expected a line starting `{prefix}` mentioning `{words}`:\n{self:?}"
        );
    }

    pub fn errors(&self) -> usize {
        self.diagnostics().iter().filter(|l| l.contains(": error: ")).count()
    }
}

/// Runs the binary in `cwd` (or here) with the clock fixed at `today` and `env` added.
pub fn run_at(cwd: Option<&Path>, args: &[&str], env: &[(&str, &str)], today: &str) -> Run {
    let mut c = Command::new(BIN);
    c.args(args).env("HANDBOOK_TODAY", today);
    for (k, v) in env {
        c.env(k, v);
    }
    if let Some(dir) = cwd {
        c.current_dir(dir);
    }
    c.output().expect("run handbook").into()
}

/// A path as the `&str` an argument list wants.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the test handbook (tests/fixtures/handbook), to change.
pub fn new_handbook(name: &str) -> PathBuf {
    fixture("handbook", name)
}

/// The default handbook as `handbook new` writes it.
pub fn default_handbook(name: &str) -> PathBuf {
    let dir = temp(name).join("hb");
    let o = run(&["new", dir.to_str().unwrap()], "2026-12-01");
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

/// Builds `root` into a temp folder and returns the site folder.
pub fn build(root: &Path, today: &str) -> PathBuf {
    let out = temp("site").join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], today);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    out
}

pub fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file under `dir`, relative, with `/`.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Text between `start` and the next `end`, for each occurrence.
pub fn between<'a>(s: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(start) {
        let after = &rest[i + start.len()..];
        let Some(j) = after.find(end) else { break };
        out.push(&after[..j]);
        rest = &after[j + end.len()..];
    }
    out
}

/// The text a reader sees: no head, scripts or styles, tags removed,
/// common entities decoded, runs of white space as one space.
pub fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [("<head>", "</head>"), ("<script", "</script>"), ("<style", "</style>")] {
        while let Some(i) = s.find(open) {
            let j = s[i..].find(close).map(|j| i + j + close.len()).unwrap_or(s.len());
            s.replace_range(i..j, " ");
        }
    }
    let mut text = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every file under `dir` with its bytes: to show a failed build left the
/// previous site exactly as it was.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    if !dir.exists() {
        return Default::default();
    }
    files(dir).into_iter().map(|rel| (rel.clone(), std::fs::read(dir.join(&rel)).unwrap())).collect()
}
