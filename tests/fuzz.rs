//! Property-based fuzzing (proptest, stable Rust) of everything a handbook
//! author writes: front matter and Markdown pages, handbook.toml,
//! glossary.toml, forms, the outcomes framework and decision trees. Each
//! case takes a real file of the default handbook, mutates it (bytes
//! flipped, text cut, repeated, or spliced with pieces of TOML, Markdown
//! and HTML that tend to break things) and checks a whole handbook holding
//! it, in process. Whatever the input, the result must be a clean check or
//! located diagnostics (a file that exists, line and column from 1, within
//! the file): never a panic, never a hang, never an error without a file.
//!
//! `cargo test` runs a few dozen cases per kind of file, each kind within
//! a few seconds. A nightly run asks for more:
//!
//! ```sh
//! HANDBOOK_FUZZ_CASES=100000 HANDBOOK_FUZZ_SECONDS=3600 cargo test --release --test fuzz
//! ```
//!
//! The input of the case being run is kept in `target/fuzz-last-case/`, so
//! one that kills the process outright (a stack overflow) can be found.

mod common;

use handbook::diagnostics::Diagnostic;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One case taking longer than this is a hang.
const HANG_LIMIT: Duration = Duration::from_secs(30);

fn cases() -> u32 {
    std::env::var("HANDBOOK_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(40)
}

/// Wall time for the cases of one kind of file; cases past it are skipped.
fn budget() -> Duration {
    Duration::from_secs(std::env::var("HANDBOOK_FUZZ_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(4))
}

/// Pieces that tend to break parsers, spliced into the files.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\t",
    " ",
    "+++\n",
    "+++",
    "[[",
    "]]",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "\"\"\"",
    "'''",
    "'",
    "=",
    "#",
    ",",
    ".",
    "\\",
    "\\u0000",
    "\u{0}",
    "\u{feff}",
    "é",
    "👪",
    "\u{2028}",
    "99999999999999999999",
    "-1",
    "0",
    "true",
    "1979-05-27T07:32:00Z",
    "2026-02-30",
    "## a\n",
    "# Title\n",
    "> [!NOTE]\n> ",
    "| a | b |\n|:-|-:|\n| 1 | 2 |\n",
    "[^1]",
    "[^1]: note\n",
    "```\n",
    "[x](../../../etc/passwd)",
    "![i](nope.png)",
    "[y](#)",
    "[z](other.md#nowhere)",
    "<script src=\"x.js\"></script>",
    "<span style=\"color:red\">",
    "</span>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<!--",
    "-->",
    "<textarea>",
    "<o:p>",
    "<img src=\"../x.png\">",
    "<meta http-equiv=refresh content=0>",
    "<a href=\"javascript:x()\">",
    "&#0;",
    "&amp",
    "review_every = \"357913942 years\"\n",
    "reviewed = 2026-01-01\n",
    "title = \"\"\n",
    "id = \"x\"\n",
    "id = \"index\"\n",
    "next = \"q1\"\n",
    "start = \"nowhere\"\n",
    "kind = \"repeat\"\n",
    "kind = \"outcomes\"\n",
    "[[section.field.field]]\n",
    "[[question]]\n",
    "[[question.answer]]\n",
    "[[outcome]]\n",
    "[[term]]\n",
    "[[pack]]\n",
    "logo = \"/etc/passwd\"\n",
    "contents = [\"../x.md\"]\n",
    "show_if = { field = \"x\", value = \"y\" }\n",
    "min = 9\nmax = 1\n",
    "draft = true\n",
];

/// One change to a file.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, &'static str),
    InsertRandom(Index, String),
    Delete(Index, usize),
    Repeat(Index, usize, u8),
    SetByte(Index, u8),
    Truncate(Index),
    /// The whole file replaced.
    Replace(String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Mutation::Insert(i, t)),
        1 => (any::<Index>(), ".{0,12}").prop_map(|(i, s)| Mutation::InsertRandom(i, s)),
        2 => (any::<Index>(), 1usize..200).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1usize..80, 2u8..50).prop_map(|(i, n, k)| Mutation::Repeat(i, n, k)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(seed: &[u8], changes: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in changes {
        let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
        match m {
            Mutation::Insert(i, t) => {
                let p = at(i, b.len());
                b.splice(p..p, t.bytes());
            }
            Mutation::InsertRandom(i, s) => {
                let p = at(i, b.len());
                b.splice(p..p, s.bytes());
            }
            Mutation::Delete(i, n) => {
                let p = at(i, b.len());
                let end = (p + n).min(b.len());
                b.drain(p..end);
            }
            Mutation::Repeat(i, n, k) => {
                let p = at(i, b.len());
                let end = (p + n).min(b.len());
                let part = b[p..end].to_vec();
                for _ in 1..*k {
                    b.splice(end..end, part.iter().copied());
                }
            }
            Mutation::SetByte(i, v) => {
                if !b.is_empty() {
                    let p = i.index(b.len());
                    b[p] = *v;
                }
            }
            Mutation::Truncate(i) => {
                let p = at(i, b.len());
                b.truncate(p);
            }
            Mutation::Replace(s) => b = s.clone().into_bytes(),
        }
    }
    b
}

/// A copy of the default handbook, made once per kind of file.
fn handbook(name: &str) -> PathBuf {
    let dir = common::temp(&format!("fuzz-{name}")).join("hb");
    handbook::scaffold::new_handbook(&dir).unwrap();
    // The page a pasted script names, so raw HTML can point at a real file.
    std::fs::write(dir.join("content/x.js"), "// not to be run\n").unwrap();
    dir
}

/// Every diagnostic names a file or folder of the handbook and a place in it.
fn located(root: &Path, diagnostics: &[Diagnostic]) -> Result<(), String> {
    for d in diagnostics {
        if d.path.is_empty() || d.path.starts_with('/') {
            return Err(format!("no file name: {d}"));
        }
        let path = root.join(&d.path);
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(format!("names a file that does not exist: {d}"));
        }
        if d.line == 0 || d.col == 0 {
            return Err(format!("line or column 0: {d}"));
        }
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap_or_default();
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            if d.line > lines {
                return Err(format!("line {} of a file of {lines} lines: {d}", d.line));
            }
        }
    }
    Ok(())
}

/// Runs `f` on a thread with a main thread's stack; a case that has not
/// finished within HANG_LIMIT is a hang, and a panic is reported as one.
fn guarded<T: Send + 'static>(what: String, f: impl FnOnce() -> T + Send + 'static) -> Result<T, TestCaseError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            let _ = tx.send(result);
        })
        .unwrap();
    match rx.recv_timeout(HANG_LIMIT) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(panic)) => {
            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            Err(TestCaseError::fail(format!("{what}: panicked: {}", message.unwrap_or_default())))
        }
        Err(_) => Err(TestCaseError::fail(format!("{what}: hung for more than {HANG_LIMIT:?}"))),
    }
}

/// Keeps the input being tried where it survives the process being killed.
fn keep_case(name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-last-case");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(name.replace('/', "__")), bytes);
}

/// Fuzzes the handbook file `rel`: mutated copies of the default one are
/// loaded on their own by `load` (fast, many cases) and checked as part of
/// a whole handbook (every case within the time budget).
fn fuzz_file(rel: &'static str, load: fn(&str, Vec<u8>) -> Vec<Diagnostic>) {
    let root = handbook(&rel.replace('/', "-"));
    let seed = std::fs::read(root.join(rel)).unwrap();
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        max_shrink_iters: 200,
        max_shrink_time: 20_000,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = prop_oneof![
        8 => prop::collection::vec(mutation(), 1..8),
        // Now and then, nothing of the real file at all.
        1 => ".{0,400}".prop_map(|s| vec![Mutation::Replace(s)]),
    ];
    let result = runner.run(&strategy, |changes| {
        if started.elapsed() > budget() {
            return Ok(());
        }
        let bytes = mutate(&seed, &changes);
        keep_case(rel, &bytes);
        let alone = guarded(format!("loading {rel}"), {
            let bytes = bytes.clone();
            move || load(rel, bytes)
        })?;
        // Checked alone, the file's own problems are in that file.
        for d in &alone {
            prop_assert!(d.path == rel && d.line >= 1 && d.col >= 1, "{}", d);
        }
        std::fs::write(root.join(rel), &bytes).unwrap();
        let whole = guarded(format!("checking a handbook with this {rel}"), {
            let root = root.clone();
            move || handbook::pipeline::check(&root).items
        })?;
        // Lines are counted in the mutated file the diagnostics are about.
        let problem = located(&root, &whole);
        std::fs::write(root.join(rel), &seed).unwrap();
        prop_assert!(problem.is_ok(), "{}", problem.unwrap_err());
        Ok(())
    });
    std::fs::write(root.join(rel), &seed).unwrap();
    if let Err(e) = result {
        panic!("{rel}: {e}");
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn fuzz_pages() {
    fuzz_file("content/team-around-the-family/the-meeting.md", |rel, bytes| {
        let mut sink = handbook::diagnostics::Diagnostics::default();
        let content = handbook::content::load(vec![handbook::files::SourceFile { path: rel.into(), bytes }], &mut sink);
        let targets = handbook::markdown::LinkTargets::default();
        for page in &content.pages {
            // The body knows where it starts in the file: its lines are the file's.
            let mut body = handbook::compile::page(page, &targets, None, &handbook::locals::Locals::default());
            sink.items.append(&mut body.problems);
            sink.items.extend(body.bad_links.iter().map(handbook::check::link_diagnostic));
        }
        sink.items
    });
}

#[test]
fn fuzz_handbook_toml() {
    fuzz_file("handbook.toml", |_, bytes| {
        let mut sink = handbook::diagnostics::Diagnostics::default();
        handbook::config::parse(&text(bytes), &mut sink);
        sink.items
    });
}

#[test]
fn fuzz_glossary() {
    fuzz_file("glossary.toml", |_, bytes| handbook::glossary::parse(text(bytes)).err().unwrap_or_default());
}

#[test]
fn fuzz_forms() {
    fuzz_file("forms/early-help-assessment.toml", |rel, bytes| handbook::forms::parse_files(vec![(rel.into(), text(bytes))]).1);
}

#[test]
fn fuzz_outcomes_framework() {
    fuzz_file("forms/outcomes.toml", |rel, bytes| handbook::forms::parse_files(vec![(rel.into(), text(bytes))]).1);
}

#[test]
fn fuzz_decision_trees() {
    fuzz_file("forms/decisions/level-of-need.toml", |rel, bytes| {
        handbook::decisions::parse(rel, "level-of-need", text(bytes)).err().unwrap_or_default()
    });
}

/// A few mutated handbooks through the real binary: it exits 0 or 1 (never
/// a crash or a panic), and every line it prints about the handbook is a
/// located diagnostic.
#[test]
fn fuzzed_handbooks_through_the_binary() {
    let root = handbook("binary");
    let files: &'static [&str] = &[
        "content/team-around-the-family/the-meeting.md",
        "handbook.toml",
        "glossary.toml",
        "forms/early-help-assessment.toml",
        "forms/outcomes.toml",
        "forms/decisions/level-of-need.toml",
    ];
    let mut runner = TestRunner::new(Config { cases: 6, failure_persistence: None, ..Config::default() });
    let strategy = (prop::sample::select(files), prop::collection::vec(mutation(), 1..10));
    let result = runner.run(&strategy, |(rel, changes)| {
        let seed = std::fs::read(root.join(rel)).unwrap();
        std::fs::write(root.join(rel), mutate(&seed, &changes)).unwrap();
        let out = common::temp("fuzz-site").join("site");
        let o = common::run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], "2026-12-01");
        std::fs::write(root.join(rel), &seed).unwrap();
        let err = common::stderr(&o);
        prop_assert!(matches!(o.status.code(), Some(0 | 1)), "{rel}: exit {:?}\n{err}", o.status);
        for line in err.lines() {
            let summary = line.contains(" error") && line.contains("warning") && line.contains("nothing was written");
            let located = line.split(':').nth(1).and_then(|l| l.parse::<usize>().ok()).is_some_and(|l| l >= 1)
                && (line.contains(": error: ") || line.contains(": warning: "));
            prop_assert!(summary || located, "{rel}: not a located diagnostic: {line}");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
