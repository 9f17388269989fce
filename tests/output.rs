//! The output folder: what `build` refuses, what it guarantees when killed,
//! mount points and read-only folders, and rebuilds that write only what
//! changed. Every test runs the real binary on real folders.

mod common;

use common::{BIN, Run, new_handbook, s, snapshot, temp, write};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-12-01";
const MANIFEST: &str = ".handbook-build";

/// Runs the binary in `cwd` with the clock fixed.
fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    common::run_at(Some(cwd), args, env, TODAY)
}

fn build(root: &Path, out: &Path) -> Run {
    run_in(Path::new("/"), &["build", "--root", s(root), "--out", s(out)], &[])
}

fn build_ok(root: &Path, out: &Path) -> Run {
    let r = build(root, out);
    assert_eq!(r.code, 0, "{r:?}");
    r
}

fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Names in a folder (not recursive), to show nothing was left beside a site.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Every entry under `dir` with its inode, modification time and bytes
/// (folders too, without bytes): equal snapshots mean nothing was written.
/// Inode, modification seconds and nanoseconds, and bytes (None for a folder).
type Entry = (u64, i64, i64, Option<Vec<u8>>);

fn stat_snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let m = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
            let bytes = if m.is_file() { Some(fs::read(&p).unwrap()) } else { None };
            out.insert(rel, (m.ino(), m.mtime(), m.mtime_nsec(), bytes));
            if m.is_dir() {
                walk(base, &p, out);
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// The site's files and bytes, leaving out the manifest (whose records
/// hold inodes and times) and a staging folder an interrupted in-place
/// update may have left inside.
fn site_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(out).into_iter().filter(|(p, _)| p != MANIFEST && !p.starts_with(".handbook-new/")).collect()
}

/// Waits out file-time granularity so the next build can trust what it sees
/// (a source changed in the same instant as a build starts is treated as
/// possibly changing again, and the build after it runs in full).
fn settle() {
    std::thread::sleep(Duration::from_millis(120));
}

// ------------------------------------------------------------ refusals

#[test]
fn out_with_dot_dot_is_resolved_before_any_check() {
    let hb = new_handbook("dotdot");
    let dir = hb.parent().unwrap().to_path_buf();
    let mydocs = dir.join("mydocs");
    write(&mydocs, "letters/2026.docx", "precious");
    let before = snapshot(&dir);
    for (cwd, out) in [
        (&dir, "nothere/../mydocs"),
        (&dir, "hb/x/../content"),
        (&hb, "x/../content"),
        (&hb, "site/../forms"),
        (&hb, "content/../templates/../content/deep/../"),
        (&hb, "./site/.."),
        (&hb, "nothere/../.."),
    ] {
        let r = run_in(cwd, &["build", "--root", s(&hb), "--out", out], &[]);
        assert_eq!(r.code, 2, "--out {out} from {}: {r:?}", cwd.display());
        assert!(r.stderr.contains("choose another --out") || r.stderr.contains("was not made by handbook"), "{r:?}");
        assert!(snapshot(&dir) == before, "--out {out} changed files");
        assert!(!dir.join("nothere").exists() && !hb.join("nothere").exists() && !hb.join("x").exists());
    }
    assert_eq!(names(&dir), ["hb", "mydocs"]);
}

#[test]
fn out_may_not_be_or_hold_the_home_folder_or_the_top_of_the_file_system() {
    let hb = new_handbook("home");
    // A new user's home folder may well be empty.
    let home = temp("home-folder");
    let home_s = s(&home).to_string();
    let above = home.parent().unwrap().to_string_lossy().into_owned();
    for notes in [false, true] {
        if notes {
            fs::write(home.join("notes.txt"), "mine").unwrap();
        }
        for out in [home_s.as_str(), &format!("{home_s}/."), &format!("{home_s}/x/.."), &above, "/", "/tmp/.."] {
            let r = run_in(Path::new("/"), &["build", "--root", s(&hb), "--out", out], &[("HOME", &home_s)]);
            assert_eq!(r.code, 2, "--out {out}: {r:?}");
            assert!(r.stderr.contains("choose another --out") || r.stderr.contains("was not made by handbook"), "{r:?}");
        }
        assert_eq!(names(&home).len(), notes as usize);
    }
    // A folder inside the home folder is fine.
    let r = run_in(Path::new("/"), &["build", "--root", s(&hb), "--out", &format!("{home_s}/site")], &[("HOME", &home_s)]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn out_inside_a_symlinked_content_folder_is_refused() {
    let hb = new_handbook("linked");
    let dir = hb.parent().unwrap().to_path_buf();
    // content/ is a link to a folder of another name (a link out of the
    // handbook folder is refused: tests/hardening.rs).
    fs::rename(hb.join("content"), hb.join("shared-content")).unwrap();
    std::os::unix::fs::symlink(hb.join("shared-content"), hb.join("content")).unwrap();
    // So is a folder inside forms/.
    fs::create_dir(hb.join("more")).unwrap();
    std::os::unix::fs::symlink(hb.join("more"), hb.join("forms/more")).unwrap();
    let before = snapshot(&dir);
    for out in [
        hb.join("shared-content/site"),
        hb.join("shared-content"),
        hb.join("content/site"),
        hb.join("more/out"),
        dir.join("hb/forms/more/x/../y"),
    ] {
        let r = build(&hb, &out);
        assert_eq!(r.code, 2, "--out {}: {r:?}", out.display());
        assert!(r.stderr.contains("holds sources"), "{r:?}");
        assert!(snapshot(&dir) == before, "--out {} changed files", out.display());
    }
    // The default site/ beside the link is fine, and rebuilding does not
    // copy the site into itself.
    build_ok(&hb, &hb.join("site"));
    build_ok(&hb, &hb.join("site"));
    assert!(!hb.join("site/site").exists());
    assert!(!hb.join("shared-content/site").exists());
}

#[test]
fn an_out_that_is_a_symlink_writes_into_the_folder_it_points_at() {
    let hb = new_handbook("outlink");
    let dir = hb.parent().unwrap().to_path_buf();
    fs::create_dir(dir.join("www")).unwrap();
    std::os::unix::fs::symlink(dir.join("www"), dir.join("public")).unwrap();
    build_ok(&hb, &dir.join("public"));
    build_ok(&hb, &dir.join("public/"));
    assert!(fs::symlink_metadata(dir.join("public")).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(dir.join("www/index.html").is_file());
    assert_eq!(names(&dir), ["hb", "public", "www"], "nothing left beside");
}

#[test]
fn what_the_last_build_did_not_write_is_never_replaced() {
    let hb = new_handbook("theirs");
    let out = hb.parent().unwrap().join("site");
    build_ok(&hb, &out);
    // A page edited by hand after the build.
    let page = out.join("index.html");
    let mine = fs::read_to_string(&page).unwrap().replace("</main>", "<p>My note</p></main>");
    fs::write(&page, &mine).unwrap();
    let before = snapshot(&out);
    let r = build(&hb, &out);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("`index.html` in the output folder was changed after handbook wrote it"), "{r:?}");
    assert!(snapshot(&out) == before);
    fs::remove_file(&page).unwrap();
    // A folder of one's own, even an empty one, and a link.
    fs::create_dir(out.join("drafts")).unwrap();
    let r = build(&hb, &out);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("`drafts/`, which handbook did not make"), "{r:?}");
    fs::remove_dir(out.join("drafts")).unwrap();
    std::os::unix::fs::symlink("/etc", out.join("etc")).unwrap();
    let r = build(&hb, &out);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("`etc`, which handbook did not write"), "{r:?}");
    fs::remove_file(out.join("etc")).unwrap();
    // Touching a file (same bytes) is not a change; a deleted page comes back.
    assert!(Command::new("touch").arg(out.join("404.html")).status().unwrap().success());
    let r = build_ok(&hb, &out);
    assert!(out.join("index.html").is_file(), "{r:?}");
}

// ------------------------------------------------------------ --root

#[test]
fn relative_absolute_dot_and_dot_dot_roots_all_copy_files_beside_pages() {
    let hb = new_handbook("roots");
    let dir = hb.parent().unwrap().to_path_buf();
    let png: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    write_bytes(&hb, "content/early-help/images/plan.png", &png);
    write_bytes(&hb, "content/early-help/leaflet.pdf", b"%PDF-1.4 a leaflet");
    let abs = s(&hb).to_string();
    for (cwd, root, out) in [
        (dir.clone(), "hb", "out1"),
        (hb.clone(), ".", "../out2"),
        (hb.join("content"), "..", "../../out3"),
        (dir.clone(), "./hb/../hb/", "out4"),
        (dir.clone(), abs.as_str(), "out5"),
    ] {
        let r = run_in(&cwd, &["build", "--root", root, "--out", out], &[]);
        assert_eq!(r.code, 0, "--root {root} from {}: {r:?}", cwd.display());
        let site = cwd.join(out);
        assert_eq!(fs::read(site.join("early-help/images/plan.png")).unwrap(), png, "--root {root}");
        assert_eq!(fs::read(site.join("early-help/leaflet.pdf")).unwrap(), b"%PDF-1.4 a leaflet");
    }
    // And the default output, ROOT/site, with a relative root.
    let r = run_in(&dir, &["build", "--root", "hb"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(hb.join("site/early-help/images/plan.png").is_file());
}

// ------------------------------------------------------------ rebuilds

#[test]
fn a_rebuild_with_no_change_writes_nothing() {
    let hb = new_handbook("nochange");
    settle();
    let out = hb.parent().unwrap().join("site");
    build_ok(&hb, &out);
    let before = stat_snapshot(&out);
    let manifest = fs::read(out.join(MANIFEST)).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let r = build_ok(&hb, &out);
    assert!(r.stdout.contains("Nothing changed since the last build"), "{r:?}");
    assert!(stat_snapshot(&out) == before, "no file or folder was written, moved or touched");
    assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
    assert_eq!(names(hb.parent().unwrap()), ["hb", "site"]);

    // Saving a page without changing it renders again, and still writes no file.
    let page = hb.join("content/index.md");
    let text = fs::read(&page).unwrap();
    fs::write(&page, &text).unwrap();
    settle();
    let r = build_ok(&hb, &out);
    assert!(r.stdout.contains("(0 written, 0 removed"), "{r:?}");
    let after = stat_snapshot(&out);
    for (path, was) in &before {
        if path != MANIFEST {
            assert_eq!(after.get(path), Some(was), "{path}");
        }
    }
    // Warnings of the build that did the work are shown again.
    write(&hb, "content/placeholder.md", "+++\ntitle = \"Placeholder\"\n+++\n\nSee [later](#).\n");
    settle();
    let first = build_ok(&hb, &out);
    let again = build_ok(&hb, &out);
    assert!(again.stdout.contains("Nothing changed"), "{again:?}");
    assert!(first.stderr.contains("content/placeholder.md:") && first.stderr.contains("warning"), "{first:?}");
    assert_eq!(again.stderr, first.stderr);
}

#[test]
fn a_one_page_edit_rewrites_only_the_files_whose_bytes_changed() {
    let hb = new_handbook("onepage");
    settle();
    let out = hb.parent().unwrap().join("site");
    build_ok(&hb, &out);
    let before = stat_snapshot(&out);
    let page = hb.join("content/early-help/index.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\nA zebracrossing sentence only this page has.\n")).unwrap();
    settle();
    let r = build_ok(&hb, &out);
    let after = stat_snapshot(&out);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let mut changed = Vec::new();
    for (path, (ino, sec, nsec, bytes)) in &after {
        let (ino0, sec0, nsec0, bytes0) = &before[path];
        if bytes.is_none() || path == MANIFEST {
            continue;
        }
        if bytes == bytes0 {
            assert_eq!((ino, sec, nsec), (ino0, sec0, nsec0), "{path}: same bytes, so the same file with the same time");
        } else {
            assert_ne!(ino, ino0, "{path}: a changed file is a new file (never rewritten in place)");
            changed.push(path.clone());
        }
    }
    assert!(changed.contains(&"early-help/index.html".to_string()), "{changed:?}");
    for path in &changed {
        if path == "assets/search-index.js" {
            continue; // the search index's table of contents: it carries a version of every search file
        }
        let text = String::from_utf8_lossy(after[path].3.as_ref().unwrap()).to_lowercase();
        // The page itself, its text for search, and the index shard holding its new word.
        assert!(text.contains("zebracrossing"), "{path} changed but does not hold the edit ({changed:?})");
    }
    assert!(changed.len() <= 5, "{changed:?}");
    assert!(r.stdout.contains(&format!("({} written, 0 removed", changed.len())), "{r:?}");
    assert_ne!(before[MANIFEST].3, after[MANIFEST].3);
}

#[test]
fn a_failed_build_changes_nothing_and_leaves_nothing() {
    let hb = new_handbook("failed");
    let out = hb.parent().unwrap().join("site");
    build_ok(&hb, &out);
    let before = stat_snapshot(&out);
    write(&hb, "content/broken.md", "+++\ntitle = \"Broken\"\n+++\n\nSee [this](nowhere.md).\n");
    let r = build(&hb, &out);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(stat_snapshot(&out) == before);
    assert_eq!(names(hb.parent().unwrap()), ["hb", "site"]);
    // A first build that fails leaves no output folder at all.
    let fresh = hb.parent().unwrap().join("fresh");
    let r = build(&hb, &fresh);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!fresh.exists());
}

#[test]
fn leftovers_of_killed_builds_of_earlier_versions_are_removed() {
    let hb = new_handbook("legacy");
    let dir = hb.parent().unwrap().to_path_buf();
    let out = dir.join("site");
    build_ok(&hb, &out);
    // What the previous design left when killed: a half-written new site
    // and a whole old one, named after process ids no longer running.
    write(&dir, ".site.new-4000001/index.html", "<p>half");
    let old = dir.join(".site.old-4000002");
    fs::create_dir(&old).unwrap();
    fs::write(old.join("index.html"), "<p>old").unwrap();
    fs::write(old.join(MANIFEST), "index.html\n").unwrap();
    // Something that only looks like one is left alone.
    write(&dir, ".site.old-notes/keep.txt", "mine");
    write(&hb, "content/extra.md", "+++\ntitle = \"Extra\"\n+++\n\nNew.\n");
    build_ok(&hb, &out);
    assert_eq!(names(&dir), [".site.old-notes", "hb", "site"]);
}

#[test]
fn two_builds_at_once_into_one_folder_do_not_mix() {
    let hb = temp("concurrent").join("hb");
    corpus(&hb, 150, 0, false);
    let out = hb.parent().unwrap().join("site");
    let first = Command::new(BIN)
        .args(["build", "--root", s(&hb), "--out", s(&out)])
        .env("HANDBOOK_TODAY", TODAY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first build holds its lock on the output folder.
    let started = Instant::now();
    let locked = loop {
        if let Ok(m) = fs::metadata(&out)
            && fs::read_to_string("/proc/locks").unwrap_or_default().contains(&format!(":{} ", m.ino()))
        {
            break true;
        }
        if started.elapsed() > Duration::from_secs(60) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let second = build(&hb, &out);
    let first = Run::from(first.wait_with_output().unwrap());
    assert_eq!(first.code, 0, "{first:?}");
    assert!(locked, "the first build was never seen holding a lock on the output folder");
    assert_eq!(second.code, 2, "{second:?}");
    assert!(second.stderr.contains("another handbook build is writing to"), "{second:?}");
    assert_eq!(names(hb.parent().unwrap()), ["hb", "site"]);
}

// ------------------------------------------------------------ kill -9

/// A handbook of `pages` pages in sections of 50, with an image. `version`
/// changes the text of every third page, so two versions share most files,
/// and with `title` the handbook's title too, which is on every page.
fn corpus(root: &Path, pages: usize, version: usize, title: bool) {
    let name = if title { format!("Kill test handbook {version}") } else { "Kill test handbook".into() };
    write(root, "handbook.toml", &format!("title = \"{name}\"\nauthority = \"Testshire Council\"\n"));
    write(root, "content/index.md", "+++\ntitle = \"Home\"\n+++\n\nThe front page.\n");
    let png: Vec<u8> = (0..=255u8).cycle().take(20_000).collect();
    write_bytes(root, "content/s0/chart.png", &png);
    for i in 0..pages {
        let section = i / 50;
        if i % 50 == 0 {
            write(root, &format!("content/s{section}/index.md"), &format!("+++\ntitle = \"Section {section}\"\n+++\n\nPages.\n"));
        }
        let extra = if i % 3 == 0 { format!("Edition {version} of this page. ") } else { String::new() };
        let body = format!(
            "+++\ntitle = \"Page {i} about family support\"\n+++\n\n{extra}A practitioner meets the family, agrees a plan and reviews it.\n\n\
             ## What to do\n\nListen, record and share with consent. Page {i} says so at length: {}\n\n## Who is involved\n\n- school\n- health visitor\n- housing\n",
            "the lead professional keeps the plan moving. ".repeat(20)
        );
        write(root, &format!("content/s{section}/p{i}.md"), &body);
    }
}

/// Checks continuously, from another thread, that the output folder and
/// its home page are there.
struct Watch {
    stop: Arc<AtomicBool>,
    misses: Arc<AtomicUsize>,
    looks: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watch {
    fn new(out: &Path) -> Watch {
        let (stop, misses, looks) =
            (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (st, mi, lo, index) = (stop.clone(), misses.clone(), looks.clone(), out.join("index.html"));
        let thread = std::thread::spawn(move || {
            while !st.load(Ordering::Relaxed) {
                if fs::File::open(&index).is_err() {
                    mi.fetch_add(1, Ordering::Relaxed);
                }
                lo.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(200));
            }
        });
        Watch { stop, misses, looks, thread: Some(thread) }
    }

    /// (times the site was missing, times looked)
    fn finish(mut self) -> (usize, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap();
        (self.misses.load(Ordering::Relaxed), self.looks.load(Ordering::Relaxed))
    }
}

/// When to kill a build.
#[derive(Debug, Clone)]
enum Kill {
    /// This long after it started.
    After(Duration),
    /// This long after a path appears (a staging folder, a journal).
    When(PathBuf, Duration),
}

/// A build of `root` into `out`, killed with SIGKILL at `when`.
fn killed_build(root: &Path, out: &Path, when: &Kill) {
    let mut child = Command::new(BIN)
        .args(["build", "--root", s(root), "--out", s(out)])
        .env("HANDBOOK_TODAY", TODAY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    match when {
        Kill::After(delay) => std::thread::sleep(*delay),
        Kill::When(path, delay) => {
            while fs::symlink_metadata(path).is_err() && child.try_wait().unwrap().is_none() {
                std::hint::spin_loop();
            }
            std::thread::sleep(*delay);
        }
    }
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap();
}

/// Kills builds that alternate between two versions of a handbook at many
/// moments, and checks after each kill that the output is one whole
/// version (or, for an in-place update, that a committed journal is there
/// to finish it), and that the next build, even one that fails, leaves a
/// whole site and nothing else.
fn kill_test(dir: &Path, out: &Path, kills: usize, in_place: bool) {
    let pages = 240;
    // Two versions of the handbook, inside the folder of the one that is
    // built (its content/ may only link inside its own folder).
    let hb = dir.join("hb");
    let roots = [hb.join("hb-a"), hb.join("hb-b")];
    corpus(&roots[0], pages, 1, in_place);
    corpus(&roots[1], pages, 2, in_place);
    let refs = [dir.join("ref-a"), dir.join("ref-b")];
    let mut full = Duration::ZERO;
    for (root, r) in roots.iter().zip(&refs) {
        let t = Instant::now();
        build_ok(root, r);
        full = full.max(t.elapsed());
    }
    let versions = [site_files(&refs[0]), site_files(&refs[1])];
    assert_ne!(versions[0], versions[1]);
    // The handbook that is built: its content/ is a link to one version.
    fs::copy(roots[0].join("handbook.toml"), hb.join("handbook.toml")).unwrap();
    let point = |v: usize| {
        fs::copy(roots[v].join("handbook.toml"), hb.join("handbook.toml")).unwrap();
        let _ = fs::remove_file(hb.join("content"));
        std::os::unix::fs::symlink(roots[v].join("content"), hb.join("content")).unwrap();
    };
    point(0);
    build_ok(&hb, out);
    let mut current = 0;
    let watch = Watch::new(out);
    // A quarter of the kills at moments spread over a whole build, a
    // quarter narrowing in on the moment the new site takes the old one's
    // place, and the rest just after the staging folder appears and just
    // after the last step before the swap (or, in place, the commit).
    let (mut lo, mut hi) = (Duration::ZERO, full.mul_f64(1.3));
    let triggers = if in_place {
        [out.join(".handbook-new"), out.join(".handbook-new/journal")]
    } else {
        let staging = dir.join(format!(".{}.handbook-new", out.file_name().unwrap().to_string_lossy()));
        [staging.clone(), staging.join(MANIFEST)]
    };
    let mut seen = [0usize; 3]; // old, new, journal to finish
    let mut recovered = 0;
    for k in 0..kills {
        let next = 1 - current;
        point(next);
        let extra = Duration::from_micros((k as u64 * 1597) % 4000);
        let when = match k % 4 {
            0 => Kill::After(full.mul_f64(1.2 * k as f64 / kills as f64)),
            1 => Kill::After((lo + hi) / 2),
            2 => Kill::When(triggers[0].clone(), extra * 10),
            _ => Kill::When(triggers[1].clone(), extra),
        };
        killed_build(&hb, out, &when);
        let delay = match &when {
            Kill::After(d) => *d,
            Kill::When(..) => Duration::ZERO,
        };
        let now = site_files(out);
        let journal = out.join(".handbook-new/journal").exists();
        let outcome = if now == versions[current] {
            0
        } else if now == versions[next] {
            1
        } else {
            assert!(in_place && journal, "kill {k} at {when:?}: the output is neither whole version and nothing can finish it");
            2
        };
        seen[outcome] += 1;
        if k % 4 == 1 {
            if outcome == 0 { lo = delay } else { hi = delay }
        }
        let expected = if outcome == 0 { current } else { next };
        let stray: Vec<String> = names(dir).into_iter().filter(|n| n.starts_with('.')).collect();
        assert!(stray.iter().all(|n| n.ends_with(".handbook-new")), "kill {k}: {stray:?}");
        assert!(in_place || !out.join(".handbook-new").exists());
        // The next build recovers, even one that fails.
        if !stray.is_empty() || out.join(".handbook-new").exists() {
            recovered += 1;
            write(&hb, "handbook.toml", "title = [broken\n");
            let r = build(&hb, out);
            assert_eq!(r.code, 1, "{r:?}");
            assert!(site_files(out) == versions[expected], "kill {k}: not whole after the next build");
            assert!(!out.join(".handbook-new").exists(), "kill {k}");
            assert!(names(dir).iter().all(|n| !n.starts_with('.')), "kill {k}: {:?}", names(dir));
        }
        current = expected;
    }
    let (misses, looks) = watch.finish();
    point(1 - current);
    build_ok(&hb, out);
    assert!(site_files(out) == versions[1 - current]);
    assert_eq!(misses, 0, "the site was missing {misses} times in {looks} looks");
    let mut left = names(dir);
    left.retain(|n| n.starts_with('.'));
    assert!(left.is_empty(), "{left:?}");
    assert!(!out.join(".handbook-new").exists());
    eprintln!(
        "{kills} kills (in place: {in_place}): old site {}, new site {}, half-applied and finished by the next build {}; leftovers removed by a failing build {recovered}",
        seen[0], seen[1], seen[2]
    );
    assert!(seen[0] > 0 && seen[1] + seen[2] > 0, "the kills did not span the moment of the swap: {seen:?}");
    assert!(recovered > 0, "no kill left anything for the next build to recover");
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let dir = temp("kill");
    let out = dir.join("site");
    kill_test(&dir, &out, 30, false);
}

// ------------------------------------------------------------ mount points

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// A mount made for a test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Runs `mount ARGS... AT`; None (with a note) when not root, since
    /// only root may mount. As root a failure is a test failure.
    fn new(args: &[&str], at: &Path) -> Option<Mount> {
        if !is_root() {
            eprintln!("skipped: mounting needs root");
            return None;
        }
        fs::create_dir_all(at).unwrap();
        let o = Command::new("mount").args(args).arg(at).output().unwrap();
        assert!(o.status.success(), "mount {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        Some(Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn an_output_that_is_a_tmpfs_mount_point_builds_and_rebuilds() {
    let hb = new_handbook("tmpfs");
    let dir = hb.parent().unwrap().to_path_buf();
    let out = dir.join("site");
    let Some(_m) = Mount::new(&["-t", "tmpfs", "-o", "size=64m", "tmpfs"], &out) else { return };
    write(&hb, "content/extra.md", "+++\ntitle = \"Extra\"\n+++\n\nFor now.\n");
    settle();
    let r = build_ok(&hb, &out);
    assert!(out.join("index.html").is_file(), "{r:?}");
    assert_eq!(names(&dir), ["hb", "site"], "no copy of the site beside the mount point");
    assert!(!out.join(".handbook-new").exists());
    let before = stat_snapshot(&out);
    let r = build_ok(&hb, &out);
    assert!(r.stdout.contains("Nothing changed"), "{r:?}");
    assert!(stat_snapshot(&out) == before);
    // One page edited, one removed: only they change.
    let page = hb.join("content/early-help/index.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\nOne more zebracrossing line.\n")).unwrap();
    fs::remove_file(hb.join("content/extra.md")).unwrap();
    settle();
    let r = build_ok(&hb, &out);
    let after = stat_snapshot(&out);
    assert!(before.contains_key("extra.html") && !after.contains_key("extra.html"), "{r:?}");
    for (path, was) in &before {
        if let Some(now) = after.get(path)
            && now.3 == was.3
            && now.3.is_some()
        {
            assert_eq!(now, was, "{path}: unchanged bytes keep their file");
        }
    }
    assert_eq!(names(&dir), ["hb", "site"]);
    assert!(!out.join(".handbook-new").exists());
    // The same through a bind mount.
    let src = dir.join("bound");
    fs::create_dir(&src).unwrap();
    let bound = dir.join("bound-site");
    let Some(_b) = Mount::new(&["--bind", s(&src)], &bound) else { return };
    build_ok(&hb, &bound);
    build_ok(&hb, &bound);
    assert!(src.join("index.html").is_file());
    assert_eq!(names(&dir), ["bound", "bound-site", "hb", "site"]);
}

#[test]
fn a_build_killed_at_any_moment_into_a_mount_point_is_finished_by_the_next() {
    let dir = temp("kill-mount");
    let out = dir.join("site");
    let Some(_m) = Mount::new(&["-t", "tmpfs", "-o", "size=256m", "tmpfs"], &out) else { return };
    kill_test(&dir, &out, 16, true);
}

#[test]
fn a_read_only_output_is_refused_and_nothing_is_left_behind() {
    let hb = new_handbook("readonly");
    let dir = hb.parent().unwrap().to_path_buf();
    let out = dir.join("site");
    build_ok(&hb, &out);
    write(&hb, "content/extra.md", "+++\ntitle = \"Extra\"\n+++\n\nNew.\n");
    // A read-only bind mount of the site over itself.
    let Some(_m) = Mount::new(&["--bind", s(&out)], &out) else { return };
    let o = Command::new("mount").args(["-o", "remount,ro,bind"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = stat_snapshot(&out);
    for _ in 0..3 {
        let r = build(&hb, &out);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("is read-only"), "{r:?}");
    }
    assert!(stat_snapshot(&out) == before);
    assert_eq!(names(&dir), ["hb", "site"]);
}

#[test]
fn a_read_only_output_folder_of_an_ordinary_user_is_refused() {
    // As root, permissions do not stop a write, so this runs the build as
    // `nobody` (setpriv), on a site `nobody` built and then made read-only.
    if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv");
        return;
    }
    let hb = new_handbook("readonly-user");
    let dir = hb.parent().unwrap().to_path_buf();
    let out = dir.join("site");
    let nobody = |args: &[&str]| {
        let mut all = vec!["--reuid=65534", "--regid=65534", "--clear-groups", BIN];
        all.extend_from_slice(args);
        Run::from(Command::new("setpriv").args(&all).env("HANDBOOK_TODAY", TODAY).current_dir("/").output().unwrap())
    };
    // The test binary must be reachable for nobody.
    if nobody(&["--version"]).code != 0 {
        eprintln!("skipped: nobody cannot run {BIN}");
        return;
    }
    Command::new("chown").args(["-R", "65534:65534"]).arg(&dir).status().unwrap();
    fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let r = nobody(&["build", "--root", s(&hb), "--out", s(&out)]);
    assert_eq!(r.code, 0, "{r:?}");
    Command::new("chmod").args(["-R", "a-w"]).arg(&out).status().unwrap();
    write(&hb, "content/extra.md", "+++\ntitle = \"Extra\"\n+++\n\nNew.\n");
    Command::new("chown").args(["-R", "65534:65534"]).arg(hb.join("content")).status().unwrap();
    let before = stat_snapshot(&out);
    let r = nobody(&["build", "--root", s(&hb), "--out", s(&out)]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("read-only"), "{r:?}");
    assert!(stat_snapshot(&out) == before);
    assert_eq!(names(&dir), ["hb", "site"]);
    Command::new("chmod").args(["-R", "u+w"]).arg(&out).status().unwrap();
}
