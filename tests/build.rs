//! The real `handbook` binary on real folders in temp directories: what a
//! council editor meets when they build, check or start a handbook.

mod common;

use common::{Run, files as walk_files, s, snapshot};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
/// Before every default page's review date, so a good build has no warnings.
const TODAY: &str = "2026-06-01";

fn run_in(dir: Option<&Path>, args: &[&str], env: &[(&str, &str)]) -> Run {
    common::run_at(dir, args, env, TODAY)
}

fn run(args: &[&str]) -> Run {
    run_in(None, args, &[])
}

/// A handbook folder in a temp directory that is removed afterwards.
struct Handbook {
    _tmp: tempfile::TempDir,
    /// The temp directory itself (room for --out folders beside the handbook).
    dir: PathBuf,
    root: PathBuf,
}

impl Handbook {
    /// A copy of the test handbook (tests/fixtures/handbook: the default
    /// handbook's words, owned by the tests).
    fn new() -> Handbook {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let root = dir.join("hb");
        common::copy_dir(&common::test_handbook(), &root);
        Handbook { _tmp: tmp, dir, root }
    }

    /// The default handbook, as `handbook new` writes it.
    fn as_new() -> Handbook {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let root = dir.join("hb");
        let r = run(&["new", s(&root)]);
        assert_eq!(r.code, 0, "{r:?}");
        Handbook { _tmp: tmp, dir, root }
    }

    /// A handbook with only a handbook.toml and the given pages.
    fn bare(pages: &[(&str, &str)]) -> Handbook {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let root = dir.join("hb");
        fs::create_dir_all(root.join("content")).unwrap();
        let hb = Handbook { _tmp: tmp, dir, root };
        hb.write("handbook.toml", "title = \"Test handbook\"\nauthority = \"Testshire Council\"\n");
        for (path, text) in pages {
            hb.write(path, text);
        }
        hb
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap()
    }

    fn site(&self) -> PathBuf {
        self.root.join("site")
    }

    fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.site().join(rel)).unwrap_or_else(|e| panic!("site/{rel}: {e}"))
    }

    fn build(&self) -> Run {
        run(&["build", "--root", s(&self.root)])
    }

    fn build_env(&self, env: &[(&str, &str)]) -> Run {
        run_in(None, &["build", "--root", s(&self.root)], env)
    }

    fn check(&self) -> Run {
        run(&["check", "--root", s(&self.root)])
    }

    fn build_ok(&self) -> Run {
        let r = self.build();
        assert_eq!(r.code, 0, "{r:?}");
        r
    }
}

fn html_files(site: &Path) -> Vec<String> {
    snapshot(site).into_keys().filter(|p| p.ends_with(".html")).collect()
}

/// Names in `dir` (to see that no temp folders were left behind).
fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

/// A tiny tag scanner for the HTML handbook writes: (tag name, attributes).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('!') || rest.starts_with('/') {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let inside = &rest[..end];
        let name_end = inside.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut a = &inside[name_end..];
        while let Some(eq) = a.find("=\"") {
            let attr = a[..eq].split_whitespace().last().unwrap_or("").to_ascii_lowercase();
            let value_end = a[eq + 2..].find('"').unwrap();
            attrs.push((attr, unescape(&a[eq + 2..eq + 2 + value_end])));
            a = &a[eq + 2 + value_end + 1..];
        }
        out.push((name, attrs));
        rest = &rest[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Joins a relative URL onto the folder of the page at `from`.
fn resolve(from: &str, url: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in url.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

// ---------------------------------------------------------------- good build

#[test]
fn the_default_handbook_builds_into_a_complete_self_contained_site() {
    // The default handbook as `handbook new` writes it, whatever its words.
    assert_complete_site(&Handbook::as_new());
    let hb = Handbook::new();
    let files = assert_complete_site(&hb);
    // Contact details and footer text from handbook.toml are on every page.
    let page = std::str::from_utf8(&files["early-help/assessment.html"]).unwrap();
    for bit in [
        "href=\"tel:01632960000\">01632 960000</a>",
        "href=\"mailto:earlyhelp@example.org\"",
        "This handbook is for practitioners in every agency",
    ] {
        assert!(page.contains(bit), "no {bit} in the footer");
    }
}

/// Builds `hb` and checks the site is complete and self-contained: every
/// page, one h1 each, the security policy, every link and anchor resolving.
fn assert_complete_site(hb: &Handbook) -> BTreeMap<String, Vec<u8>> {
    let r = hb.build_ok();
    assert!(r.stdout.contains("Built "), "{r:?}");
    assert_eq!(r.diagnostics(), Vec::<&str>::new(), "a good build is quiet");
    let site = hb.site();
    let files = snapshot(&site);

    // Every page of content/ is in the site, at the path FORMATS.md promises.
    let mut expected: Vec<String> = walk_files(&hb.root.join("content"))
        .into_iter()
        .map(|p| p.strip_suffix(".md").map(|stem| format!("{stem}.html")).unwrap_or(p))
        .collect();
    assert!(expected.len() >= 15, "the default handbook has at least 15 pages");
    expected.extend(
        ["index.html", "404.html", "search.html", "glossary.html", "assets/style.css", "assets/nav.js", "assets/theme.css"]
            .map(String::from),
    );
    for f in &expected {
        assert!(files.contains_key(f), "site/{f} is missing; site has {:?}", files.keys().collect::<Vec<_>>());
    }

    let pages = html_files(&site);
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|p| {
            let html = std::str::from_utf8(&files[p]).unwrap();
            let ids = tags(html).into_iter().flat_map(|(_, a)| a).filter(|(k, _)| k == "id").map(|(_, v)| v).collect();
            (p.as_str(), ids)
        })
        .collect();
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::str::from_utf8(&files[page]).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
        assert_eq!(html.matches("<h1").count(), 1, "{page} has one h1");
        let tags = tags(html);
        // The Content-Security-Policy allows only the site's own files and no connections.
        let csp: Vec<&String> = tags
            .iter()
            .filter(|(n, a)| n == "meta" && a.iter().any(|(k, v)| k == "http-equiv" && v == "Content-Security-Policy"))
            .flat_map(|(_, a)| a.iter().filter(|(k, _)| k == "content").map(|(_, v)| v))
            .collect();
        assert_eq!(csp.len(), 1, "{page} has one CSP meta tag");
        for rule in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'none'"] {
            assert!(csp[0].contains(rule), "{page}: CSP lacks {rule}: {}", csp[0]);
        }
        assert!(!csp[0].contains("unsafe") && !csp[0].contains("http"), "{page}: {}", csp[0]);

        for (tag, attrs) in &tags {
            for (attr, value) in attrs {
                if !["href", "src", "action"].contains(&attr.as_str()) {
                    continue;
                }
                if value.starts_with('/') {
                    problems.push(format!("{page}: <{tag} {attr}=\"{value}\"> is not relative"));
                    continue;
                }
                let external = value.contains(':');
                if external {
                    // Only a reader's own click may leave the site: never an asset.
                    if tag != "a" {
                        problems.push(format!("{page}: <{tag} {attr}=\"{value}\"> loads from elsewhere"));
                    }
                    continue;
                }
                let (path, fragment) = value.split_once('#').unwrap_or((value, ""));
                let path = path.split('?').next().unwrap();
                let target = if path.is_empty() { page.clone() } else { resolve(page, path).unwrap() };
                if !files.contains_key(&target) {
                    problems.push(format!("{page}: {attr}=\"{value}\" points at missing site/{target}"));
                } else if !fragment.is_empty() && !ids.get(target.as_str()).is_some_and(|ids| ids.contains(fragment)) {
                    problems.push(format!("{page}: {attr}=\"{value}\": no id `{fragment}` in {target}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The home page's own text links to every section.
    let home = std::str::from_utf8(&files["index.html"]).unwrap();
    let main = &home[home.find("<main").unwrap()..home.find("</main>").unwrap()];
    for section in fs::read_dir(hb.root.join("content")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        let name = section.file_name().unwrap().to_string_lossy().into_owned();
        assert!(main.contains(&format!("href=\"{name}/index.html")), "the home page does not link to the {name} section");
    }
    // Nothing but the site was written, and no temp folders were left.
    assert_eq!(names(&hb.dir), BTreeSet::from(["hb".to_string()]));
    assert!(files.contains_key(".handbook-build"));
    files
}

#[test]
fn rebuilding_replaces_what_handbook_wrote_and_drops_removed_pages() {
    let hb = Handbook::new();
    hb.write("content/early-help/extra.md", "+++\ntitle = \"Extra\"\n+++\n\nFor now.\n");
    hb.build_ok();
    assert!(hb.site().join("early-help/extra.html").exists());
    let beside = names(&hb.root);
    fs::remove_file(hb.root.join("content/early-help/extra.md")).unwrap();
    hb.build_ok();
    assert!(!hb.site().join("early-help/extra.html").exists(), "a removed page leaves the site");
    assert!(!hb.page("early-help/index.html").contains("Extra"));
    assert_eq!(names(&hb.root), beside, "no temp folders left beside the site");

    // Removing a page that others link to is refused, naming the links.
    let before = snapshot(&hb.site());
    fs::remove_file(hb.root.join("content/lead-professional/myths-and-truths.md")).unwrap();
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("content/", "myths-and-truths");
    assert!(snapshot(&hb.site()) == before);
}

// ------------------------------------------------------------ bad input

/// One bad input: files to write and the diagnostic it must give.
struct Bad {
    files: Vec<(&'static str, Vec<u8>)>,
    prefix: String,
    words: &'static str,
}

fn bad_inputs(hb: &Handbook) -> Vec<Bad> {
    let toml = hb.read("handbook.toml");
    // An unknown key on a line of its own, after `authority`.
    let line = toml.lines().position(|l| l.starts_with("authority")).unwrap() + 2;
    let mut lines: Vec<&str> = toml.lines().collect();
    lines.insert(line - 1, "subtitle = \"Anytown edition\"");
    let bad_toml = lines.join("\n") + "\n";
    let page = |t: &str| t.as_bytes().to_vec();
    vec![
        Bad {
            files: vec![(
                "content/early-help/bad-link.md",
                page("+++\ntitle = \"Bad link\"\n+++\n\nSome text.\n\nSee [nowhere](../nowhere.md) for more.\n"),
            )],
            prefix: "content/early-help/bad-link.md:7:5: error:".into(),
            words: "broken link `../nowhere.md`",
        },
        Bad {
            files: vec![(
                "content/early-help/bad-anchor.md",
                page("+++\ntitle = \"Bad anchor\"\n+++\n\nRead [the assessment](assessment.md#no-such-heading).\n"),
            )],
            prefix: "content/early-help/bad-anchor.md:5:6: error:".into(),
            words: "no heading `#no-such-heading`",
        },
        Bad {
            files: vec![("content/early-help/bad-syntax.md", page("+++\ntitle = \"Bad syntax\"\nweight = \n+++\n\nText.\n"))],
            prefix: "content/early-help/bad-syntax.md:3:".into(),
            words: "error:",
        },
        Bad {
            files: vec![(
                "content/early-help/bad-key.md",
                page("+++\ntitle = \"Bad key\"\nweight = 5\ncolour = \"red\"\n+++\n\nText.\n"),
            )],
            prefix: "content/early-help/bad-key.md:4:1: error:".into(),
            words: "unknown key `colour`",
        },
        Bad {
            files: vec![(
                "content/early-help/bad-type.md",
                page("+++\ntitle = \"Bad type\"\n\nweight = \"ten\"\n+++\n\nText.\n"),
            )],
            prefix: "content/early-help/bad-type.md:4:".into(),
            words: "integer",
        },
        Bad {
            files: vec![("handbook.toml", bad_toml.into_bytes())],
            prefix: format!("handbook.toml:{line}:1: error:"),
            words: "unknown key `subtitle`",
        },
        Bad {
            files: vec![("content/early-help/no-title.md", page("Just some words and no heading.\n"))],
            prefix: "content/early-help/no-title.md:1:1: error:".into(),
            words: "no title",
        },
        Bad {
            files: vec![
                ("content/early-help/twice.md", page("+++\ntitle = \"Twice\"\n+++\n\nText.\n")),
                ("content/early-help/twice.html", page("<p>Pasted from elsewhere.</p>\n")),
            ],
            prefix: "content/early-help/twice.md:1:1: error:".into(),
            words: "would both be written to site/early-help/twice.html",
        },
        Bad {
            files: vec![
                ("content/early-help/Case.md", page("+++\ntitle = \"Upper\"\n+++\n\nText.\n")),
                ("content/early-help/case.md", page("+++\ntitle = \"Lower\"\n+++\n\nText.\n")),
            ],
            prefix: "content/early-help/case.md:1:1: error:".into(),
            words: "differ only in upper and lower case",
        },
        Bad {
            files: vec![("content/early-help/latin1.md", b"+++\ntitle = \"Menu\"\n+++\n\nCaf\xe9 menu.\n".to_vec())],
            prefix: "content/early-help/latin1.md:5:4: error:".into(),
            words: "not UTF-8",
        },
    ]
}

/// Builds the good handbook, breaks it, builds again: exit 1, the error
/// where it belongs, and the previous site exactly as it was.
fn assert_refused_and_site_kept(hb: &Handbook, bads: &[&Bad]) -> Run {
    let before = snapshot(&hb.site());
    let beside = names(&hb.root);
    assert!(before.len() > 20);
    for bad in bads {
        for (path, bytes) in &bad.files {
            hb.write(path, bytes);
        }
    }
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    for bad in bads {
        r.assert_reports(&bad.prefix, bad.words);
    }
    assert!(r.stderr.contains("the previous site is unchanged"), "{r:?}");
    assert!(snapshot(&hb.site()) == before, "the previous site changed");
    assert_eq!(names(&hb.root), beside, "no temp folders left beside the site");
    r
}

#[test]
fn each_bad_input_is_located_and_keeps_the_previous_site() {
    let template = Handbook::new();
    for bad in bad_inputs(&template) {
        let hb = Handbook::new();
        hb.build_ok();
        let r = assert_refused_and_site_kept(&hb, &[&bad]);
        assert_eq!(r.errors(), 1, "one bad input gives one error:\n{r:?}");
    }
}

#[test]
fn every_bad_input_at_once_is_reported_in_one_run() {
    let hb = Handbook::new();
    hb.build_ok();
    let bads = bad_inputs(&hb);
    let r = assert_refused_and_site_kept(&hb, &bads.iter().collect::<Vec<_>>());
    assert_eq!(r.errors(), bads.len(), "{r:?}");
    assert!(r.stderr.contains(&format!("{} errors", bads.len())), "{r:?}");
    // Sorted by file then line, so an editor can work down the list.
    let paths: Vec<&str> = r.diagnostics().iter().map(|l| l.split(':').next().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);

    // check finds exactly the same problems and writes nothing.
    let site_before = snapshot(&hb.site());
    let root_before = names(&hb.root);
    let c = hb.check();
    assert_eq!(c.code, 1, "{c:?}");
    assert_eq!(c.diagnostics(), r.diagnostics());
    assert!(snapshot(&hb.site()) == site_before);
    assert_eq!(names(&hb.root), root_before);
}

#[test]
fn a_bad_page_does_not_hide_problems_elsewhere_or_break_links_to_it() {
    // A page whose front matter is wrong still exists: links to it are fine,
    // and a broken link inside it is still found.
    let hb = Handbook::bare(&[
        ("content/index.md", "+++\ntitle = \"Home\"\n+++\n\nSee [the other page](other.md#details).\n"),
        ("content/other.md", "+++\ntitle = \"Other\"\nweigth = 2\n+++\n\n## Details\n\nSee [gone](gone.md).\n"),
        ("content/types.md", "+++\ntitle = 7\nweight = \"ten\"\ndraft = \"no\"\nreviewed = \"last week\"\n+++\n\nText.\n"),
    ]);
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("content/other.md:3:1: error:", "unknown key `weigth`");
    r.assert_reports("content/other.md:8:5: error:", "broken link `gone.md`");
    // Every wrong value in one front matter, each saying what was expected.
    r.assert_reports("content/types.md:2:9: error:", "expected text in quotes");
    r.assert_reports("content/types.md:3:10: error:", "expected a whole number");
    r.assert_reports("content/types.md:4:9: error:", "expected true or false");
    r.assert_reports("content/types.md:5:12: error:", "invalid type");
    assert_eq!(r.errors(), 6, "{r:?}");
    assert!(!hb.site().exists(), "nothing written");
}

#[test]
fn a_missing_handbook_toml_or_content_folder_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(&["build", "--root", s(tmp.path())]);
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("handbook.toml:1:1: error:", "handbook new");
    r.assert_reports("content:1:1: error:", "content/ folder is missing");
    assert!(fs::read_dir(tmp.path()).unwrap().next().is_none(), "nothing written");
}

// -------------------------------------------------------------- check

#[test]
fn check_writes_nothing() {
    let hb = Handbook::new();
    let before = snapshot(&hb.dir);
    let r = hb.check();
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("No errors"), "{r:?}");
    assert!(snapshot(&hb.dir) == before, "check changed files");
    assert!(!hb.site().exists());
}

#[test]
fn overdue_reviews_are_warnings_on_the_reviewed_line() {
    let hb = Handbook::new();
    let r = run_in(None, &["check", "--root", s(&hb.root)], &[("HANDBOOK_TODAY", "2030-01-01")]);
    assert_eq!(r.code, 0, "overdue reviews warn, they do not fail: {r:?}");
    r.assert_reports("content/index.md:5:12: warning:", "review overdue");
    r.assert_reports("content/index.md:5:12: warning:", "due for review on 1 October 2027");
    let pages = walk_files(&hb.root.join("content")).len();
    assert_eq!(r.diagnostics().len(), pages, "every default page is reviewed yearly: {r:?}");
    // On the due date itself the page is not yet overdue; the day after it is.
    let r = run_in(None, &["check", "--root", s(&hb.root)], &[("HANDBOOK_TODAY", "2027-06-01")]);
    assert!(r.diagnostics().is_empty(), "{r:?}");
    let r = run_in(None, &["check", "--root", s(&hb.root)], &[("HANDBOOK_TODAY", "2027-06-02")]);
    assert_eq!(r.diagnostics().len(), 1, "{r:?}");
    r.assert_reports(
        "content/about/privacy.md:5:12: warning:",
        "last reviewed on 1 June 2026 and was due for review on 1 June 2027",
    );
    // The built page carries a notice.
    let r = hb.build_env(&[("HANDBOOK_TODAY", "2030-01-01")]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(hb.page("early-help/assessment.html").contains("This page is due for review"));
    hb.build_ok();
    assert!(!hb.page("early-help/assessment.html").contains("This page is due for review"));
}

#[test]
fn placeholder_links_script_and_inline_handlers_are_warnings() {
    let hb = Handbook::new();
    hb.write(
        "content/early-help/rough.md",
        "+++\ntitle = \"Rough notes\"\n+++\n\nMore on this [later](#).\n\n<script>alert(1)</script>\n\n<p>A <button onclick=\"go()\">button</button>.</p>\n",
    );
    let r = hb.check();
    assert_eq!(r.code, 0, "{r:?}");
    r.assert_reports("content/early-help/rough.md:5:14: warning:", "placeholder link");
    r.assert_reports("content/early-help/rough.md:7:1: warning:", "<script>");
    // Raw HTML findings are placed at the start of the line that holds them.
    r.assert_reports("content/early-help/rough.md:9:1: warning:", "onclick=");
    r.assert_reports("content/early-help/rough.md:9:1: warning:", "<button>");
    assert_eq!(r.diagnostics().len(), 4, "{r:?}");
    let b = hb.build_ok();
    assert_eq!(b.diagnostics(), r.diagnostics(), "build warns about the same things");
    // Raw HTML is cleaned: the script, the handler and the button go, their text stays.
    let page = hb.page("early-help/rough.html");
    assert!(page.contains("<p>A button.</p>"), "{page}");
    assert!(!page.contains("alert(1)") && !page.contains("onclick"), "{page}");
}

#[test]
fn a_colour_failing_contrast_names_the_pair_and_ratio() {
    let hb = Handbook::new();
    hb.build_ok();
    let toml = hb.read("handbook.toml");
    let toml =
        toml.replace("primary = \"#1d4f91\"", "primary = \"#777777\"").replace("accent = \"#ffdd00\"", "accent = \"#444444\"");
    hb.write("handbook.toml", &toml);
    let line = |key: &str| toml.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    let before = snapshot(&hb.site());
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    // #777777 on white is the classic near miss: 4.48:1, below AA's 4.5:1.
    r.assert_reports(
        &format!("handbook.toml:{}:11: error:", line("primary")),
        "`#777777` with white text has a contrast ratio of 4.48:1",
    );
    r.assert_reports(
        &format!("handbook.toml:{}:10: error:", line("accent")),
        "`#444444` with near-black text (#0b0c0c) has a contrast ratio of 2.01:1",
    );
    assert!(r.stderr.contains("4.5:1"));
    assert!(snapshot(&hb.site()) == before);
    // A dark enough colour is accepted and reaches the theme.
    hb.write("handbook.toml", toml.replace("#777777", "#00594f").replace("#444444", "#ffbf47"));
    hb.build_ok();
    let theme = hb.page("assets/theme.css");
    assert!(theme.contains("--primary: #00594f") && theme.contains("--accent: #ffbf47"), "{theme}");
}

#[test]
fn branding_from_handbook_toml_reaches_every_page() {
    let hb = Handbook::new();
    let toml = hb
        .read("handbook.toml")
        .replace("authority = \"Anytown Council\"", "authority = \"Northshire County Council\"")
        .replace("language = \"en-GB\"", "language = \"cy\"")
        .replace("# logo = \"content/images/logo.svg\"", "logo = \"branding/logo.svg\"");
    hb.write("handbook.toml", toml);
    let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    hb.write("branding/logo.svg", logo);
    hb.build_ok();
    let page = hb.page("team-around-the-family/minutes.html");
    assert!(page.contains("<html lang=\"cy\""));
    assert!(page.contains("Northshire County Council"));
    assert!(page.contains("src=\"../assets/logo.svg\""), "{page}");
    assert_eq!(hb.page("assets/logo.svg"), logo);
    // A logo that is not there, and a bad language tag, are located errors.
    let toml = hb.read("handbook.toml");
    hb.write("handbook.toml", toml.replace("branding/logo.svg", "branding/missing.svg").replace("\"cy\"", "\"Welsh\""));
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("handbook.toml:", "logo `branding/missing.svg` not found");
    r.assert_reports("handbook.toml:", "not a BCP 47 language tag");
    let logo_line = hb.read("handbook.toml").lines().position(|l| l.starts_with("logo")).unwrap() + 1;
    r.assert_reports(&format!("handbook.toml:{logo_line}:"), "logo");
}

// ------------------------------------------------------------ new

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let r = run(&["new", s(tmp.path())]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("not empty"), "{r:?}");
    assert_eq!(names(tmp.path()), BTreeSet::from(["notes.txt".to_string()]));
    assert_eq!(fs::read_to_string(tmp.path().join("notes.txt")).unwrap(), "mine");
    // An empty folder is fine, and what it writes builds at once.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let r = run(&["new", s(&empty)]);
    assert_eq!(r.code, 0, "{r:?}");
    for f in ["handbook.toml", "glossary.toml", "content/index.md", "forms", "templates/README.md"] {
        assert!(empty.join(f).exists(), "new wrote no {f}");
    }
    // The theme stays built in: templates/ holds only its README.
    assert_eq!(names(&empty.join("templates")), BTreeSet::from(["README.md".to_string()]));
    let r = run(&["build", "--root", s(&empty)]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(empty.join("site/index.html").exists());
}

// ------------------------------------------------------------ --out

#[test]
fn out_may_not_hold_the_sources() {
    let hb = Handbook::new();
    let before = snapshot(&hb.dir);
    for out in
        [hb.root.clone(), hb.dir.clone(), hb.root.join("content/site"), hb.root.join("templates/out"), hb.root.join("forms")]
    {
        let r = run(&["build", "--root", s(&hb.root), "--out", s(&out)]);
        assert_eq!(r.code, 2, "--out {}: {r:?}", out.display());
        assert!(r.stderr.contains("choose another --out"), "{r:?}");
        assert!(snapshot(&hb.dir) == before, "--out {} changed files", out.display());
    }
}

#[test]
fn out_never_touches_files_handbook_did_not_write() {
    let hb = Handbook::new();
    // A folder of the user's own.
    let theirs = hb.dir.join("theirs");
    fs::create_dir_all(theirs.join("sub")).unwrap();
    fs::write(theirs.join("sub/report.docx"), "precious").unwrap();
    let r = run(&["build", "--root", s(&hb.root), "--out", s(&theirs)]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("not empty and was not made by handbook"), "{r:?}");
    assert_eq!(snapshot(&theirs).len(), 1);
    assert_eq!(fs::read_to_string(theirs.join("sub/report.docx")).unwrap(), "precious");
    // A file path is refused too.
    let file = hb.dir.join("file.txt");
    fs::write(&file, "x").unwrap();
    let r = run(&["build", "--root", s(&hb.root), "--out", s(&file)]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");

    // An empty folder is fine; so is rebuilding into it.
    let out = hb.dir.join("out");
    fs::create_dir(&out).unwrap();
    let r = run(&["build", "--root", s(&hb.root), "--out", s(&out)]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = run(&["build", "--root", s(&hb.root), "--out", s(&out)]);
    assert_eq!(r.code, 0, "{r:?}");
    // Once the user drops a file of their own into it, it is refused, and kept.
    fs::write(out.join("minutes.txt"), "notes").unwrap();
    let before = snapshot(&out);
    let r = run(&["build", "--root", s(&hb.root), "--out", s(&out)]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("`minutes.txt`, which handbook did not write"), "{r:?}");
    assert!(snapshot(&out) == before);
}

#[test]
fn out_relative_to_the_working_folder() {
    let hb = Handbook::new();
    let r = run_in(Some(&hb.dir), &["build", "--root", "hb", "--out", "public"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(hb.dir.join("public/index.html").exists());
    let r = run_in(Some(&hb.root), &["build"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(hb.site().join("index.html").exists());
}

// ------------------------------------------------------------ usage

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let missing = std::env::temp_dir().join("handbook-no-such-folder-9f8e7d");
    for args in [
        vec!["build", "--bogus"],
        vec!["build", "--root", s(&missing)],
        vec!["check", "--root", s(&missing)],
        vec!["frobnicate"],
        vec![],
        vec!["new"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(!r.stderr.is_empty());
    }
    for cmd in ["build", "check", "new"] {
        let r = run(&[cmd, "--help"]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(r.stdout.contains("Usage: handbook"), "{r:?}");
    }
    assert_eq!(run(&["--version"]).code, 0);
}

// ------------------------------------------------------------ templates

#[test]
fn a_handbook_template_replaces_the_default_of_the_same_name() {
    let hb = Handbook::new();
    hb.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p class=\"edition\">Northshire edition</p>\n{{ page.content | safe }}\n{% block after_content %}{% endblock after_content %}\n{% endblock content %}\n",
    );
    hb.write("templates/assets/style.css", "body { color: #000; }\n");
    hb.write("templates/assets/extra.js", "/* a council's own script */\n");
    hb.build_ok();
    let page = hb.page("lead-professional/support.html");
    assert!(page.contains("<p class=\"edition\">Northshire edition</p>"), "{page}");
    assert!(!page.contains("class=\"pager\""), "the default page.html is gone");
    // section.html extends page.html, so section pages get it too; the
    // glossary has its own template and keeps the default.
    assert!(hb.page("lead-professional/index.html").contains("Northshire edition"));
    assert!(hb.page("lead-professional/index.html").contains("In this section"));
    assert!(!hb.page("glossary.html").contains("Northshire edition"));
    assert_eq!(hb.page("assets/style.css"), "body { color: #000; }\n");
    assert!(hb.site().join("assets/extra.js").exists());
    assert!(hb.site().join("assets/nav.js").exists(), "other defaults stay");
}

#[test]
fn a_broken_template_override_is_a_located_error() {
    let hb = Handbook::new();
    hb.build_ok();
    let before = snapshot(&hb.site());
    hb.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n",
    );
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("templates/page.html:3:", "error: template");
    assert!(snapshot(&hb.site()) == before);
    // A template that refers to something that is not there fails when rendered, located too.
    hb.write("templates/section.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{{ page.nonsense.deeper }}\n{% endblock content %}\n");
    hb.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1>{{ page.title }}</h1>{% endblock content %}\n",
    );
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("templates/section.html:4:", "error: template");
    assert!(snapshot(&hb.site()) == before);
    // An override that drops a block other templates fill, or extends nothing, is named.
    fs::remove_file(hb.root.join("templates/section.html")).unwrap();
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("templates/section.html:2:10: error:", "Block `after_content` is not defined");
    hb.write("templates/page.html", "{% extends \"layout.html\" %}\n{% block content %}{% endblock content %}\n");
    let r = hb.build();
    r.assert_reports("templates/page.html:1:1: error:", "extends `layout.html`");
    assert!(snapshot(&hb.site()) == before);
}

// ------------------------------------------------------------ content

#[test]
fn editor_lock_backup_and_hidden_files_are_ignored_in_every_folder() {
    let hb = Handbook::new();
    let junk = "not a page, not TOML {{{";
    for rel in [
        // Emacs lock and auto-save files, Vim swap files, backups, Word and LibreOffice locks.
        "content/early-help/.#assessment.md",
        "content/early-help/#assessment.md#",
        "content/early-help/assessment.md~",
        "content/early-help/.assessment.md.swp",
        "content/early-help/~$leaflet.docx",
        "content/.~lock.notes.odt#",
        "forms/.#early-help-review.toml",
        "forms/early-help-review.toml.swp",
        "forms/decisions/.#level-of-need.toml",
        "forms/decisions/#level-of-need.toml#",
        "templates/.#page.html",
        "templates/page.html~",
        // JetBrains editors' "safe write" copies.
        "content/early-help/assessment.md___jb_tmp___",
        "forms/decisions/level-of-need.toml___jb_old___",
    ] {
        hb.write(rel, junk);
    }
    let r = hb.build_ok();
    assert_eq!(r.diagnostics(), Vec::<&str>::new(), "{r:?}");
    let site = names_deep(&hb.site());
    for name in ["#assessment.md#", "~$leaflet.docx", ".~lock.notes.odt#", "assessment.md~", "assessment.md___jb_tmp___"] {
        assert!(!site.iter().any(|f| f.ends_with(name)), "{name} was copied into the site");
    }
    assert!(!hb.page("early-help/assessment.html").contains(junk), "the real page is the one built");
}

/// Every file under `dir`, relative.
fn names_deep(dir: &Path) -> Vec<String> {
    walk_files(dir)
}

#[test]
fn files_beside_pages_are_copied_as_they_are() {
    let hb = Handbook::new();
    let png: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    hb.write("content/early-help/diagram.png", &png);
    hb.write("content/early-help/files/leaflet.pdf", b"%PDF-1.4 leaflet");
    hb.write(
        "content/early-help/pictures.md",
        "+++\ntitle = \"Pictures\"\n+++\n\n![How early help works](diagram.png)\n\nThe [leaflet](files/leaflet.pdf).\n",
    );
    hb.build_ok();
    assert_eq!(fs::read(hb.site().join("early-help/diagram.png")).unwrap(), png);
    assert_eq!(fs::read(hb.site().join("early-help/files/leaflet.pdf")).unwrap(), b"%PDF-1.4 leaflet");
    let page = hb.page("early-help/pictures.html");
    assert!(page.contains("<img src=\"diagram.png\" alt=\"How early help works\""), "{page}");
    assert!(page.contains("<a href=\"files/leaflet.pdf\">leaflet</a>"), "{page}");
    // A missing image is a located error.
    hb.write("content/early-help/pictures.md", "+++\ntitle = \"Pictures\"\n+++\n\n![Gone](gone.png)\n");
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("content/early-help/pictures.md:5:1: error:", "broken image `gone.png`");
}

#[test]
fn drafts_are_left_out() {
    let hb = Handbook::new();
    hb.write("content/early-help/unfinished.md", "+++\ntitle = \"Unfinished thoughts\"\ndraft = true\n+++\n\nNot yet.\n");
    hb.build_ok();
    assert!(!hb.site().join("early-help/unfinished.html").exists());
    for page in html_files(&hb.site()) {
        assert!(!hb.page(&page).contains("Unfinished thoughts"), "{page} mentions the draft");
    }
    // Linking to a draft would leave a dead link in the site, so it is an error.
    hb.write("content/early-help/linker.md", "+++\ntitle = \"Linker\"\n+++\n\nSee [it](unfinished.md).\n");
    let r = hb.build();
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_reports("content/early-help/linker.md:5:5: error:", "broken link `unfinished.md`");
}

#[test]
fn a_folder_without_index_md_gets_a_section_page() {
    let hb = Handbook::new();
    hb.write("content/local-offer/health-visiting.md", "+++\ntitle = \"Health visiting\"\nweight = 2\n+++\n\nText.\n");
    hb.write("content/local-offer/youth-clubs.md", "+++\ntitle = \"Youth clubs\"\nweight = 1\n+++\n\nText.\n");
    hb.build_ok();
    let section = hb.page("local-offer/index.html");
    assert!(section.contains("<h1>Local offer</h1>"), "{section}");
    let youth = section.find("href=\"../local-offer/youth-clubs.html\">Youth clubs").expect("lists youth clubs");
    let health = section.find("href=\"../local-offer/health-visiting.html\">Health visiting").expect("lists health visiting");
    assert!(youth < health, "ordered by weight");
    assert!(hb.page("index.html").contains("href=\"local-offer/index.html\""), "the sidebar shows the new section");
    // Breadcrumbs lead back up through it.
    let page = hb.page("local-offer/youth-clubs.html");
    let crumbs = &page[page.find("class=\"breadcrumbs\"").unwrap()..page.find("</ol>").unwrap()];
    assert!(
        crumbs.contains("href=\"../index.html\">Home") && crumbs.contains("href=\"../local-offer/index.html\">Local offer"),
        "{crumbs}"
    );
}

#[test]
fn navigation_orders_by_weight_then_title_and_links_neighbours() {
    let hb = Handbook::bare(&[
        ("content/index.md", "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n"),
        ("content/guide/index.md", "+++\ntitle = \"Guide\"\n+++\n\nThe guide.\n"),
        ("content/guide/zebra.md", "+++\ntitle = \"Zebra\"\nweight = 1\n+++\n\nZ.\n"),
        (
            "content/guide/apple.md",
            "+++\ntitle = \"Apple\"\nweight = 2\ndescription = \"All about apples.\"\nowner = \"Orchard team\"\nreviewed = 2026-03-01\nreview_every = \"6 months\"\n+++\n\n## Kinds\n\n### Eating\n\n#### Red ones\n\n## Storage\n",
        ),
        ("content/guide/banana.md", "# Banana\n\nTitle from the heading.\n"),
    ]);
    hb.build_ok();
    let page = hb.page("guide/apple.html");
    let nav = &page[page.find("id=\"site-nav\"").unwrap()..page.find("</nav>").unwrap()];
    // banana (weight 0) < zebra (1) < apple (2)
    let pos = |t: &str| nav.find(&format!(">{t}</a>")).unwrap_or_else(|| panic!("{t} not in {nav}"));
    assert!(pos("Banana") < pos("Zebra") && pos("Zebra") < pos("Apple"), "{nav}");
    assert!(nav.contains("href=\"../guide/apple.html\" aria-current=\"page\">Apple"), "{nav}");
    assert!(page.contains("href=\"../guide/zebra.html\" rel=\"prev\""), "previous in reading order");
    assert!(!page.contains("rel=\"next\""), "last page has no next");
    let home = hb.page("index.html");
    assert!(home.contains("href=\"guide/index.html\" rel=\"next\""), "{home}");
    assert_eq!(hb.page("guide/banana.html").matches("<h1>Banana</h1>").count(), 1);
    // Language defaults to en-GB; front matter shows on the page.
    assert!(page.contains("<html lang=\"en-GB\""));
    assert!(page.contains("<p class=\"lede\">All about apples.</p>"));
    assert!(page.contains("<meta name=\"description\" content=\"All about apples.\">"));
    assert!(page.contains("Last reviewed 1 March 2026. Next review due 1 September 2026. Owner: Orchard team."), "{page}");
    // The contents list has the h2 and h3 headings, not h4.
    let toc = &page[page.find("class=\"toc\"").unwrap()..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    for (id, shown) in [("kinds", true), ("eating", true), ("red-ones", false), ("storage", true)] {
        assert_eq!(toc.contains(&format!("href=\"#{id}\"")), shown, "{id} in {toc}");
    }
    // The section page lists its pages with their descriptions, in order.
    let section = hb.page("guide/index.html");
    assert!(section.contains("All about apples."));
    assert!(section.find(">Banana</a>").unwrap() < section.find(">Zebra</a>").unwrap());
}

#[test]
fn sidebar_size_stays_bounded_in_a_huge_section() {
    fn build_with(n: usize) -> (usize, usize) {
        let mut pages = vec![("content/index.md".to_string(), "# Home\n\nWelcome.\n".to_string())];
        for s in 0..5 {
            pages.push((format!("content/other-{s}/index.md"), format!("# Other section {s}\n\nText.\n")));
        }
        for i in 0..n {
            pages.push((format!("content/big/page-{i:04}.md"), format!("# Page number {i}\n\n## Part\n\nSome words.\n")));
        }
        let refs: Vec<(&str, &str)> = pages.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let hb = Handbook::bare(&refs);
        hb.build_ok();
        let site = hb.site();
        let sizes: Vec<usize> =
            (0..n).map(|i| fs::metadata(site.join(format!("big/page-{i:04}.html"))).unwrap().len() as usize).collect();
        (*sizes.iter().max().unwrap(), sizes.iter().sum())
    }
    let (max_100, total_100) = build_with(100);
    let (max_300, total_300) = build_with(300);
    // Each page shows a window onto its section, not the whole section.
    assert!(max_300 as f64 <= max_100 as f64 * 1.05, "page size grew with the section: {max_100} -> {max_300}");
    let ratio = total_300 as f64 / total_100 as f64;
    assert!(ratio < 3.2, "three times the pages should be about three times the bytes, got {ratio:.2}");
}

#[test]
fn sidebar_shows_a_window_of_top_level_sections_and_a_way_to_the_rest() {
    let mut pages = vec![("content/index.md".to_string(), "# Home\n\nWelcome.\n".to_string())];
    for s in 0..120 {
        pages.push((
            format!("content/s{s:03}/index.md"),
            format!("+++\ntitle = \"Section {s:03}\"\nweight = {s}\n+++\n\nText.\n"),
        ));
        pages.push((format!("content/s{s:03}/page.md"), format!("# Page in {s:03}\n\nText.\n")));
    }
    let refs: Vec<(&str, &str)> = pages.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let hb = Handbook::bare(&refs);
    hb.build_ok();
    let page = hb.page("s100/page.html");
    let nav = &page[page.find("id=\"site-nav\"").unwrap()..page.find("</nav>").unwrap()];
    let shown = nav.matches(">Section ").count();
    assert!((30..=41).contains(&shown), "{shown} top-level sections shown");
    assert!(nav.contains(">Section 100</a>") && nav.contains("aria-current=\"page\">Page in 100"), "{nav}");
    // 120 sections plus the generated pages (A to Z, Amendments...).
    let more = nav.split("href=\"../search.html\">All ").nth(1).expect("a link to the A to Z ends the sidebar");
    let count: usize = more.split(' ').next().unwrap().parse().unwrap();
    assert!(count > 120 && more.contains(" sections and pages: A to Z</a>"), "{nav}");
    let az = hb.page("search.html");
    assert!(az.contains(">Section 000</a>") && az.contains(">Page in 119</a>"), "the A to Z lists everything");
}

#[test]
fn markdown_features_render() {
    let hb = Handbook::bare(&[
        ("content/index.md", "# Home\n\nWelcome.\n"),
        (
            "content/features.md",
            r#"+++
title = "Features"
+++

## Callouts

> [!NOTE]
> A note.

> [!IMPORTANT]
> Something important.

> [!WARNING]
> A warning.

## Tables

| Level | Who leads |
| ----- | --------- |
| 2     | Any practitioner |

## Lists

- [x] Assessment done
- [ ] Meeting booked

Some text with a footnote.[^1] It was ~~wrong~~ right, and "quoted" -- it's smart.

[^1]: The footnote itself.

## Lists

A second heading with the same text.
"#,
        ),
    ]);
    hb.build_ok();
    let page = hb.page("features.html");
    for (class, label) in [("note", "Note"), ("important", "Important"), ("warning", "Warning")] {
        assert!(
            page.contains(&format!("<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\">")),
            "{class} callout: {page}"
        );
    }
    assert!(!page.contains("[!NOTE]"));
    assert!(
        page.contains("<table>") && page.contains("<th>Who leads</th>") && page.contains("<td>Any practitioner</td>"),
        "{page}"
    );
    assert!(page.contains("aria-label=\"Done\">\u{2611}</span> Assessment done"), "{page}");
    assert!(page.contains("aria-label=\"Not done\">\u{2610}</span> Meeting booked"), "{page}");
    assert!(page.contains("class=\"footnote-reference\""), "{page}");
    assert!(page.contains("The footnote itself."));
    assert!(page.contains("<del>wrong</del>"));
    assert!(page.contains("\u{201c}quoted\u{201d} \u{2013} it\u{2019}s smart"), "{page}");
    assert!(page.contains("<h2 id=\"lists\">") && page.contains("<h2 id=\"lists-1\">"), "unique heading ids");
    assert!(page.contains("<a href=\"#tables\">Tables</a>"), "contents list from the headings");
}
