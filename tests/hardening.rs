//! Hostile input, the way a user meets it (issue #9): the real binary on
//! real folders. Nothing outside the handbook folder is read or published,
//! no input hangs or crashes `check` or `build`, and raw HTML pasted from
//! Word is cleaned. The big inputs are sized so that the old quadratic or
//! recursive code takes minutes or aborts; these tests assert what comes
//! out (ids, exit codes, messages), and a run that does not finish within
//! HANG_LIMIT counts as a hang. Timings are in tests/bench/hostile.sh.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longer than any of these runs takes on a slow, shared debug build.
const HANG_LIMIT: Duration = Duration::from_secs(300);
const TODAY: &str = "2026-12-01";

/// Runs the binary; a run still going after HANG_LIMIT is killed and fails the test.
fn run_limited(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("HANDBOOK_TODAY", TODAY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run handbook");
    // Drain the pipes while waiting, so a chatty run cannot block on them.
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let (out, err) = (read(Box::new(out)), read(Box::new(err)));
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() };
        }
        if started.elapsed() > HANG_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`handbook {}` hung: still running after {HANG_LIMIT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn check(root: &Path) -> Output {
    run_limited(&["check", "--root", root.to_str().unwrap()])
}

fn build_into(root: &Path) -> (Output, std::path::PathBuf) {
    let out = temp("site").join("site");
    let o = run_limited(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    (o, out)
}

/// Asserts the run ended normally (not killed by a signal) with `code`.
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "exit status {:?}\n{}", o.status, stderr(o));
}

fn set_in_config(root: &Path, find: &str, replace: &str) {
    let path = root.join("handbook.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "handbook.toml has no `{find}`");
    std::fs::write(path, text.replacen(find, replace, 1)).unwrap();
}

fn line_of(root: &Path, rel: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).unwrap_or_else(|| panic!("{rel} has no `{needle}`"))
}

// ---------------------------------------------------------------- files that must never be read

#[test]
fn a_logo_outside_the_handbook_folder_is_an_error_at_its_line_and_never_copied() {
    let root = new_handbook("logo-outside");
    for (logo, says) in [
        ("/etc/passwd", "`/etc/passwd` is an absolute path, outside the handbook folder"),
        ("../../../../../../etc/passwd", "`../../../../../../etc/passwd` climbs out of the handbook folder"),
    ] {
        let text = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
        let text = text.lines().filter(|l| !l.starts_with("logo =")).collect::<Vec<_>>().join("\n");
        std::fs::write(root.join("handbook.toml"), text.replacen("# logo =", &format!("logo = \"{logo}\"\n# logo ="), 1))
            .unwrap();
        let line = line_of(&root, "handbook.toml", "logo = \"");
        let o = check(&root);
        assert_exit(&o, 1);
        let err = stderr(&o);
        assert!(err.contains(&format!("handbook.toml:{line}:8: error: logo: {says}")), "{err}");
        let (o, out) = build_into(&root);
        assert_exit(&o, 1);
        assert!(!out.join("assets").exists(), "nothing is written when the logo is refused");
    }
}

#[cfg(unix)]
#[test]
fn a_logo_that_is_a_symbolic_link_out_of_the_folder_is_refused() {
    let root = new_handbook("logo-link");
    let secret = root.parent().unwrap().join("secret.svg");
    std::fs::write(&secret, "<svg>secret</svg>").unwrap();
    std::fs::create_dir_all(root.join("content/images")).unwrap();
    std::os::unix::fs::symlink(&secret, root.join("content/images/logo.svg")).unwrap();
    set_in_config(&root, "# logo = \"content/images/logo.svg\"", "logo = \"content/images/logo.svg\"");
    let o = check(&root);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("error: logo: `content/images/logo.svg` is a symbolic link to"), "{err}");
    assert!(err.contains("secret.svg"), "names where the link leads: {err}");
    // The link itself is also refused as a file of content/.
    assert!(err.contains("content/images/logo.svg:1:1: error: `content/images/logo.svg` is a symbolic link"), "{err}");

    // A link that stays inside the folder is followed.
    std::fs::remove_file(root.join("content/images/logo.svg")).unwrap();
    std::fs::write(root.join("content/images/real-logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::os::unix::fs::symlink("real-logo.svg", root.join("content/images/logo.svg")).unwrap();
    let (o, site) = build_into(&root);
    assert_exit(&o, 0);
    assert_eq!(read(&site, "assets/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    assert_eq!(read(&site, "images/logo.svg"), read(&site, "images/real-logo.svg"));
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_content_forms_and_templates_that_lead_out_are_errors_and_nothing_is_published() {
    let root = new_handbook("links-out");
    let outside = root.parent().unwrap().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("passwords.txt"), "hunter2").unwrap();
    std::fs::write(outside.join("page.md"), "# Outside\n\nNot part of the handbook.\n").unwrap();
    std::fs::write(outside.join("form.toml"), "title = \"Outside\"\n").unwrap();
    let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
    link(&outside.join("passwords.txt"), "content/passwords.txt");
    link(&outside, "content/elsewhere");
    link(&outside.join("form.toml"), "forms/outside.toml");
    std::fs::create_dir_all(root.join("templates/assets")).unwrap();
    link(&outside.join("passwords.txt"), "templates/assets/extra.css");
    let o = check(&root);
    assert_exit(&o, 1);
    let err = stderr(&o);
    for path in ["content/passwords.txt", "content/elsewhere", "forms/outside.toml", "templates/assets/extra.css"] {
        assert!(err.contains(&format!("{path}:1:1: error: `{path}` is a symbolic link to")), "{path}: {err}");
    }
    assert!(!err.contains("hunter2"));
    let (o, out) = build_into(&root);
    assert_exit(&o, 1);
    assert!(!out.exists() || !out.join("passwords.txt").exists());
}

#[test]
fn pack_contents_and_links_that_climb_out_are_errors_at_their_line() {
    let root = new_handbook("climb-out");
    set_in_config(&root, "contents = [\n", "contents = [\n  \"../../etc/passwd\",\n  \"/etc/hostname\",\n");
    let first = line_of(&root, "handbook.toml", "\"../../etc/passwd\"");
    write(
        &root,
        "content/climb.md",
        "+++\ntitle = \"Climb\"\n+++\n\nSee [the file](../../../../etc/passwd).\n\n![A picture](../../secret.png)\n",
    );
    let o = check(&root);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains(&format!("handbook.toml:{first}:3: error: pack `")), "{err}");
    assert!(err.contains("`../../etc/passwd` climbs out of the handbook folder"), "{err}");
    assert!(err.contains(&format!("handbook.toml:{}:3: error: pack `", first + 1)), "{err}");
    assert!(err.contains("`/etc/hostname` is an absolute path, outside the handbook folder"), "{err}");
    assert!(
        err.contains("content/climb.md:5:5: error: broken link `../../../../etc/passwd`: it climbs out of the handbook folder"),
        "{err}"
    );
    assert!(err.contains("content/climb.md:7:1: error: broken image `../../secret.png`: it climbs out"), "{err}");
}

// ---------------------------------------------------------------- input that must never hang or crash

#[test]
fn thirty_thousand_headings_get_unique_ids_in_a_page_and_in_a_form() {
    let root = new_handbook("headings");
    let n = 30_000;
    write(&root, "content/many.md", &format!("+++\ntitle = \"Many\"\n+++\n{}", "## a\n\n".repeat(n)));
    write(
        &root,
        "forms/many.toml",
        &format!(
            "title = \"Many\"\nintro = \"\"\"\n{}\"\"\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.field]]\nid = \"f\"\nkind = \"text\"\nlabel = \"F\"\n",
            "## a\n\n".repeat(n)
        ),
    );
    let (o, site) = build_into(&root);
    assert_exit(&o, 0);
    let page = read(&site, "many.html");
    // The page's own headings (the theme may add one of its own).
    let ids: Vec<&str> = between(&page, "<h2 id=\"", "\"").into_iter().filter(|id| *id == "a" || id.starts_with("a-")).collect();
    assert_eq!(ids.len(), n);
    assert_eq!(&ids[..3], ["a", "a-1", "a-2"]);
    assert_eq!(ids[n - 1], format!("a-{}", n - 1));
    let form = read(&site, "forms/many.html");
    assert!(form.contains("id=\"a-29999\""), "the form's intro has every heading");
}

#[test]
fn twenty_thousand_glossary_terms_build_with_every_term_and_its_mark() {
    let root = new_handbook("glossary");
    let n = 20_000;
    let mut g = String::from("title = \"Glossary\"\n");
    for i in 0..n {
        g.push_str(&format!(
            "[[term]]\nterm = \"T{i}\"\nexpansion = \"Term number {i}\"\ndefinition = \"What term {i} means.\"\n"
        ));
    }
    write(&root, "glossary.toml", &g);
    write(&root, "content/terms.md", "+++\ntitle = \"Terms\"\n+++\n\nT5 and T19999 and T5 again.\n");
    let (o, site) = build_into(&root);
    assert_exit(&o, 0);
    let glossary = read(&site, "glossary.html");
    assert_eq!(glossary.matches("What term ").count(), n);
    assert!(glossary.contains("id=\"t19999\""), "each term has its anchor");
    let page = read(&site, "terms.html");
    assert!(page.contains("<abbr title=\"Term number 5\">T5</abbr>"), "{page}");
    assert!(page.contains("<abbr title=\"Term number 19999\">T19999</abbr>"));
    assert_eq!(page.matches("<abbr title=\"Term number 5\">").count(), 1, "only the first use is marked");
}

/// A tree whose questions form one chain: q1 -> q2 -> ... -> qN -> the end.
fn chain_tree(n: usize) -> String {
    let mut s = String::from("title = \"A long chain\"\nstart = \"q1\"\n");
    for i in 1..=n {
        let next = if i == n { "end".to_string() } else { format!("q{}", i + 1) };
        s.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\ntext = \"Question {i}?\"\n[[question.answer]]\nlabel = \"Yes\"\nnext = \"{next}\"\n[[question.answer]]\nlabel = \"No\"\nnext = \"end\"\n"
        ));
    }
    s.push_str("[[outcome]]\nid = \"end\"\ntitle = \"The end\"\n");
    s
}

#[test]
fn a_decision_tree_of_thirty_thousand_chained_questions_checks_and_builds() {
    let root = new_handbook("chain");
    let n = 30_000;
    write(&root, "forms/decisions/chain.toml", &chain_tree(n));
    let o = check(&root);
    assert_exit(&o, 0);
    let (o, site) = build_into(&root);
    assert_exit(&o, 0);
    let last = read(&site, &format!("decisions/chain/q{n}.html"));
    assert!(last.contains(&format!("Question {n}?")));
    assert!(read(&site, "decisions/chain/end.html").contains("The end"));
    let overview = read(&site, "decisions/chain/overview.html");
    assert!(overview.contains(&format!("id=\"q-q{n}\"")), "the overview lists every question");
    assert_eq!(read(&site, "decisions/chain/tree.dot").matches(" -> ").count(), 2 * n);

    // Closed into a loop at its far end: one error at the answer that closes it.
    let looped = chain_tree(n).replacen("label = \"Yes\"\nnext = \"end\"", "label = \"Yes\"\nnext = \"q1\"", 1);
    write(&root, "forms/decisions/chain.toml", &looped);
    let o = check(&root);
    assert_exit(&o, 1);
    let err = stderr(&o);
    let line = line_of(&root, "forms/decisions/chain.toml", "next = \"q1\"");
    assert!(err.contains(&format!("forms/decisions/chain.toml:{line}:8: error: the answer `Yes` leads back to `q1`")), "{err}");
    assert!(err.contains("1 error"), "{err}");
}

#[test]
fn review_periods_longer_than_a_century_are_refused_at_their_line() {
    let root = new_handbook("periods");
    for (every, ok) in
        [("357913942 years", false), ("101 years", false), ("1201 months", false), ("36501 days", false), ("100 years", true)]
    {
        write(
            &root,
            "content/old.md",
            &format!("+++\ntitle = \"Old\"\nreviewed = 2026-01-31\nreview_every = \"{every}\"\n+++\nText.\n"),
        );
        let o = check(&root);
        if ok {
            assert_exit(&o, 0);
            let site = build(&root, TODAY);
            assert!(read(&site, "old.html").contains("Next review due 31 January 2126"), "{every}");
        } else {
            assert_exit(&o, 1);
            let err = stderr(&o);
            assert!(err.contains(&format!("content/old.md:4:16: error: review_every `{every}` is too long")), "{err}");
            assert!(err.contains("the longest review period is 100 years"), "{err}");
        }
    }
}

#[test]
fn toml_nested_too_deep_and_folders_nested_too_deep_are_located_errors() {
    let root = new_handbook("deep");
    let n = 100_000;
    write(&root, "forms/deep.toml", &format!("title = \"x\"\nv = {}{}\n", "[".repeat(n), "]".repeat(n)));
    let mut s = String::from("title = \"x\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n");
    for i in 1..3000 {
        s.push_str(&format!("[[section{}]]\nid = \"f{i}\"\nkind = \"repeat\"\nlabel = \"L\"\n", ".field".repeat(i)));
    }
    write(&root, "forms/nested.toml", &s);
    let deep_folder = (0..40).map(|_| "a").collect::<Vec<_>>().join("/");
    write(&root, &format!("content/{deep_folder}/page.md"), "# Deep\n\nText.\n");
    let o = check(&root);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("forms/deep.toml:") && err.contains("nested too deeply"), "{err}");
    assert!(err.contains("forms/nested.toml:") && err.contains("nested too deeply"), "{err}");
    let too_deep = (0..17).map(|_| "a").collect::<Vec<_>>().join("/");
    assert!(err.contains(&format!("content/{too_deep}:1:1: error: `content/{too_deep}` is nested 17 folders deep")), "{err}");
}

// ---------------------------------------------------------------- raw HTML pasted from Word

fn word_handbook() -> std::path::PathBuf {
    let root = new_handbook("word");
    let fixtures = repo().join("tests/fixtures/word-paste");
    for f in ["who-to-contact.md", "x.js"] {
        std::fs::copy(fixtures.join(f), root.join("content").join(f)).unwrap();
    }
    root
}

#[test]
fn html_pasted_from_word_is_cleaned_and_reported_once_per_kind() {
    let root = word_handbook();
    let o = check(&root);
    assert_exit(&o, 0);
    let err = stderr(&o);
    let page = "content/who-to-contact.md";
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with(page)).collect();
    let at = |needle: &str| line_of(&root, page, needle);
    for (line, what) in [
        (at("Ring the service first"), "inline styles (`style=\"...\"`) ("),
        (at("Ring the service first"), "Word's `mso-` classes ("),
        (at("Ring the service first"), "Word's Office tags (`<o:p>`) ("),
        (at("Ring the service first"), "empty `<span>` tags ("),
        (at("<font face"), "`<font>` tags (1)"),
        (at("onmouseover"), "inline event handlers (`onclick=`...) (1)"),
        (at("javascript:openContacts"), "`javascript:` and other unsafe link addresses (1)"),
        (at("<script src"), "`<script>` elements (1)"),
        (at("<iframe"), "embedded frames and objects (`<iframe>`, `<object>`, `<embed>`) (1)"),
        (at("http-equiv"), "`<meta http-equiv=\"refresh\">` (1)"),
        (at("clip_image002"), "images from outside the handbook (1)"),
    ] {
        let want = format!("{page}:{line}:1: warning: raw HTML: removed {what}");
        assert_eq!(warnings.iter().filter(|w| w.starts_with(&want)).count(), 1, "{want}\n{}", warnings.join("\n"));
    }
    // Once per page and kind, not once per cell, with how many there were.
    assert_eq!(warnings.iter().filter(|w| w.contains("inline styles")).count(), 1);
    let styles = std::fs::read_to_string(root.join(page)).unwrap().matches(" style=").count();
    assert!(styles > 20);
    assert!(
        warnings.iter().any(|w| w.contains(&format!("inline styles (`style=\"...\"`) ({styles})"))),
        "{}",
        warnings.join("\n")
    );

    let (o, site) = build_into(&root);
    assert_exit(&o, 0);
    let html = read(&site, "who-to-contact.html");
    let body = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    for gone in [
        "style=",
        "Mso",
        "mso-",
        "o:p",
        "<font",
        "x.js",
        "<iframe",
        "http-equiv",
        "javascript:",
        "onmouseover",
        "file:",
        "<![",
        "supportLists",
    ] {
        assert!(!body.contains(gone), "`{gone}` is still in the page:\n{body}");
    }
    assert!(body.contains("<thead>"), "the header row stays a header row");
    let headers = between(body, "<th>", "</th>");
    assert_eq!(headers.len(), 3, "{body}");
    assert!(headers[0].contains("<b>Service</b>"), "{headers:?}");
    assert!(body.contains("<span lang=\"EN-GB\">Children's social care front door</span>"), "a span that says something stays");
    assert!(body.contains("<a>contacts sheet</a>"), "the link text stays");
    assert!(body.contains("<img width=\"120\" height=\"40\" alt=\"Anytown Council logo\">"), "{body}");
    assert!(body.contains("href=\"lead-professional/index.html\""), "Markdown after the HTML is as before");
    // The script file is still copied (it sits in content/), but no page loads it.
    assert!(site.join("x.js").exists());
}

#[test]
fn a_broken_image_in_raw_html_is_an_error_and_a_good_one_is_rewritten_for_a_pack() {
    let root = new_handbook("raw-img");
    std::fs::create_dir_all(root.join("content/images")).unwrap();
    std::fs::write(root.join("content/images/chart.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let page = "content/team-around-the-family/charts/chart.md";
    write(
        &root,
        page,
        "+++\ntitle = \"Chart\"\n+++\n\n<p><img src=\"../../images/chart.png\" alt=\"Chart\"></p>\n\n<img src=\"../../images/nope.png\" alt=\"Missing\">\n",
    );
    let o = check(&root);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains(&format!("{page}:7:1: error: broken image `../../images/nope.png`")), "{err}");

    write(&root, page, "+++\ntitle = \"Chart\"\n+++\n\n<p><img src=\"../../images/chart.png\" alt=\"Chart\"></p>\n");
    set_in_config(&root, "contents = [\n", &format!("contents = [\n  \"{page}\",\n"));
    let (o, site) = build_into(&root);
    assert_exit(&o, 0);
    assert!(
        read(&site, "team-around-the-family/charts/chart.html").contains("<img src=\"../../images/chart.png\" alt=\"Chart\">")
    );
    // The first pack of the default handbook prints the page from packs/, one folder down.
    let pack = read(&site, "packs/lead-professional-induction.html");
    assert!(pack.contains("<img src=\"../images/chart.png\" alt=\"Chart\">"), "the address is rewritten for the pack");
}
