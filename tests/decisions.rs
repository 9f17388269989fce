//! The real binary on real handbook folders: decision trees build into
//! linked pages, and a bad tree stops the build with every problem at its
//! line while the previous site stays as it was.

mod common;

use common::{new_handbook, snapshot};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Output;

fn handbook(args: &[&str]) -> Output {
    common::run(args, "2026-11-01")
}

fn build(root: &Path) -> Output {
    handbook(&["build", "--root", root.to_str().unwrap()])
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `href`s of answer links on a page.
fn answer_links(html: &str) -> Vec<String> {
    html.split("<a class=\"decision-answer\" href=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_string()).collect()
}

/// A tree with one problem of every kind the checks know; the comments
/// give the line each error must point at.
const BAD_TREE: &str = r#"title = "A broken tree"
start = "first"

[[question]]
id = "first"
text = "First?"

[[question.answer]]
label = "Yes"
next = "secnd"
# line 10 above: `secnd` does not exist

[[question.answer]]
label = "No"
next = "second"

[[question]]
id = "second"
text = "Second?"

[[question.answer]]
label = "Round again"
next = "first"
# line 23 above: loops back to `first`

[[question.answer]]
label = "Stop"
next = "done"

[[question]]
id = "stuck"
text = "Nothing leads here and it has no answers"
# line 31 above: unreachable, and a dead end

[[outcome]]
id = "done"
title = "Done"

[[outcome]]
id = "done"
title = "Done twice"
# line 40 above: a second `done`
"#;

#[test]
fn a_bad_tree_reports_every_problem_and_the_previous_site_is_untouched() {
    let root = new_handbook("bad");
    let first = build(&root);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let site = root.join("site");
    let before = snapshot(&site);
    assert!(before.contains_key("decisions/level-of-need/index.html"));

    fs::write(root.join("forms/decisions/broken.toml"), BAD_TREE).unwrap();
    // And a second tree with no start, to show problems in two files come together.
    fs::write(root.join("forms/decisions/no-start.toml"), "title = \"No start\"\n\n[[outcome]]\nid = \"x\"\ntitle = \"X\"\n")
        .unwrap();

    let out = build(&root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (at, says) in [
        (
            "forms/decisions/broken.toml:10:8: error:",
            "leads to `secnd`, but no question or outcome has that id (did you mean `second`?)",
        ),
        ("forms/decisions/broken.toml:23:8: error:", "leads back to `first`, so this path loops (first -> second -> first)"),
        ("forms/decisions/broken.toml:31:6: error:", "the question `stuck` has no answers, so it is a dead end"),
        ("forms/decisions/broken.toml:31:6: error:", "the question `stuck` cannot be reached"),
        ("forms/decisions/broken.toml:40:6: error:", "the id `done` is already used at line 36"),
        ("forms/decisions/no-start.toml:1:1: error:", "this decision tree has no `start`"),
    ] {
        assert!(stderr.lines().any(|l| l.starts_with(at) && l.contains(says)), "expected `{at} ... {says}` in:\n{stderr}");
    }
    assert!(stderr.contains("nothing was written, the previous site is unchanged"), "{stderr}");
    assert_eq!(snapshot(&site), before, "the previous site must be left exactly as it was");

    // `check` finds the same problems without writing.
    let check = handbook(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let check_err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check_err.lines().filter(|l| l.contains(": error: ")).count(), 6, "{check_err}");
}

#[test]
fn outcome_links_to_missing_pages_and_headings_are_errors_at_their_lines() {
    let root = new_handbook("links");
    let path = root.join("forms/decisions/level-of-need.toml");
    let text = read(&path);
    let missing = "href = \"content/early-help/assessment.md\"";
    let anchored = "href = \"content/thresholds/who-leads.md\"";
    assert!(text.contains(missing) && text.contains(anchored));
    let text = text.replacen(missing, "href = \"content/early-help/no-such-page.md\"", 1).replacen(
        anchored,
        "href = \"content/thresholds/who-leads.md#no-such-heading\"",
        1,
    );
    // And a broken link inside a question's Markdown help.
    let help = "Universal services are open to every family";
    assert!(text.contains(help));
    let text = text.replacen(help, "Universal services ([see](../../content/nowhere.md)) are open to every family", 1);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let help_line = line_of("content/nowhere.md");
    let missing_line = line_of("no-such-page.md");
    let anchor_line = line_of("#no-such-heading");
    fs::write(&path, &text).unwrap();

    let out = build(&root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expect_missing = format!("forms/decisions/level-of-need.toml:{missing_line}:");
    assert!(
        stderr.lines().any(|l| l.starts_with(&expect_missing) && l.contains("broken link `content/early-help/no-such-page.md`")),
        "expected {expect_missing} in:\n{stderr}"
    );
    let expect_anchor = format!("forms/decisions/level-of-need.toml:{anchor_line}:");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&expect_anchor) && l.contains("no heading `#no-such-heading` in thresholds/who-leads.html")),
        "expected {expect_anchor} in:\n{stderr}"
    );
    let expect_help = format!("forms/decisions/level-of-need.toml:{help_line}:21: error: broken link `../../content/nowhere.md`");
    assert!(stderr.lines().any(|l| l.starts_with(&expect_help)), "expected {expect_help} in:\n{stderr}");
    assert!(!root.join("site").exists(), "a failed first build writes nothing");
}

#[test]
fn the_default_trees_build_into_linked_pages() {
    let root = new_handbook("good");
    let out = build(&root);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = root.join("site");

    for (tree, questions, outcomes, has_levels) in [("lead-professional", 14, 18, false), ("level-of-need", 5, 5, true)] {
        let dir = site.join("decisions").join(tree);
        // Follow every answer link from the start page, as a reader with no JavaScript can.
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut queue = vec!["index.html".to_string()];
        let (mut q_pages, mut o_pages) = (0, 0);
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let html = read(&dir.join(&name));
            if html.contains("data-node=\"question\"") {
                q_pages += 1;
                let links = answer_links(&html);
                assert!(!links.is_empty(), "{tree}/{name} has answers");
                for href in links {
                    let file = href.rsplit('/').next().unwrap().to_string();
                    assert_eq!(href, format!("../../decisions/{tree}/{file}"), "answers stay in the tree");
                    queue.push(file);
                }
            } else {
                assert!(html.contains("data-node=\"outcome\""), "{tree}/{name} is a question or an outcome");
                o_pages += 1;
            }
            // Every page of the tree: the sidebar shows the tree, the breadcrumbs lead back to it.
            assert!(html.contains("Decision guides</a>"), "{tree}/{name}: nav");
            assert!(html.contains("assets/decisions.js"), "{tree}/{name}: script");
        }
        assert_eq!((q_pages, o_pages), (questions, outcomes), "{tree}: every question and outcome reached by links");

        let overview = read(&dir.join("overview.html"));
        assert_eq!(overview.matches("class=\"tree-question\"").count(), questions, "{tree}: overview lists every question");
        assert_eq!(dir.join("levels.html").exists(), has_levels, "{tree}: levels page only where the tree has levels");
        let dot = read(&dir.join("tree.dot"));
        assert!(dot.contains(&format!("digraph \"{tree}\"")), "{dot}");
    }

    let levels = read(&site.join("decisions/level-of-need/levels.html"));
    assert_eq!(levels.matches("<tr id=\"level-").count(), 4);
    assert!(levels.contains("<th scope=\"col\">Parenting capacity</th>"));

    let index = read(&site.join("decisions/index.html"));
    assert!(
        index.contains("href=\"../decisions/lead-professional/index.html\">Who should be the Lead Professional?</a>"),
        "{index}"
    );
    assert!(index.contains("href=\"../decisions/level-of-need/index.html\">What level of need?</a>"));

    // The home page links to both trees; the notice is on every page of its tree.
    let home = read(&site.join("index.html"));
    assert!(home.contains("href=\"decisions/lead-professional/index.html\""));
    assert!(home.contains("href=\"decisions/level-of-need/index.html\""));
    for name in ["index.html", "plan-tried.html", "level-2-early-help.html", "overview.html", "levels.html"] {
        let html = read(&site.join("decisions/level-of-need").join(name));
        assert!(html.contains("class=\"warning-text\""), "{name}: notice");
    }
}

/// A tree or form with its own errors is still a place pages may link to:
/// the build reports what is wrong in that file, not a broken link in every
/// page that mentions it.
#[test]
fn a_broken_tree_or_form_is_not_also_a_broken_link_everywhere() {
    let root = new_handbook("no-cascade");
    let tree = root.join("forms/decisions/lead-professional.toml");
    fs::write(&tree, read(&tree).replacen("next = \"", "next = \"zz-", 1)).unwrap();
    let form = root.join("forms/early-help-assessment.toml");
    fs::write(
        &form,
        read(&form).replacen("version = ", "colour = \"red\"\nversion = ", 1).replacen("kind = \"text\"", "kind = \"txt\"", 1),
    )
    .unwrap();
    let out = build(&root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("broken link"), "no echoes in pages that link to them:\n{stderr}");
    assert!(!stderr.contains("there is no page or form"), "no echoes in course packs:\n{stderr}");
    assert!(stderr.contains("forms/decisions/lead-professional.toml:") && stderr.contains("leads to `zz-"), "{stderr}");
    // The unknown key and the unknown kind in one form are both reported in this one run.
    assert!(stderr.contains("unknown key `colour`") && stderr.contains("unknown field kind `txt`"), "{stderr}");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}
