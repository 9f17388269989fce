//! The real binary on real folders: bad forms are all reported in one run
//! at file:line, the exit status is 1 and the previous site is untouched;
//! a form using every kind of field builds.

mod common;

use common::snapshot;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn handbook(args: &[&str]) -> Output {
    common::run(args, "2025-06-01")
}

/// A copy of the default handbook, and where to build it.
fn new_handbook(name: &str) -> (PathBuf, PathBuf) {
    let root = common::new_handbook(name);
    let site = root.parent().unwrap().join("site");
    (root, site)
}

fn build(root: &Path, site: &Path) -> Output {
    handbook(&["build", "--root", root.to_str().unwrap(), "--out", site.to_str().unwrap()])
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no `{needle}`")) + 1
}

const BAD_FORM: &str = r#"title = "A form with mistakes"
version = "1"

[[section]]
id = "about"
title = "About"

[[section.field]]
id = "agree"
kind = "yesno"
label = "Do you agree?"

[[section.field]]
id = "when"
kind = "calendar"
label = "When?"

[[section.field]]
id = "agree"
kind = "text"
label = "Agree again"

[[section.field]]
id = "reason"
kind = "textarea"
label = "Why?"
show_if = { field = "agreed", value = "no" }

[[section.field]]
id = "reason_two"
kind = "textarea"
label = "Why not?"
show_if = { field = "agree", value = "maybe" }

[[section.field]]
id = "goals"
kind = "outcomes"
label = "Outcomes"
framework = "national-outcomes"

[[section.field]]
id = "people"
kind = "repeat"
label = "People"
min = 5
max = 2

[[section.field.field]]
id = "person"
kind = "text"
label = "Name"

[[section]]
id = "empty"
title = "Nothing here"
"#;

#[test]
fn bad_forms_are_all_reported_at_their_lines_and_the_site_is_untouched() {
    let (root, site) = new_handbook("bad");
    let first = build(&root, &site);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(site.join("forms/early-help-assessment.html").is_file());
    let before = snapshot(&site);

    fs::write(root.join("forms/mistakes.toml"), BAD_FORM).unwrap();
    // A second bad file: its problems come in the same run.
    fs::write(root.join("forms/second.toml"), "title = \"Second\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n").unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let f = "forms/mistakes.toml";
    let expected = [
        (line_of(BAD_FORM, "kind = \"calendar\""), "unknown field kind `calendar`; expected one of: text, textarea, date"),
        (line_of(BAD_FORM, "label = \"Agree again\"") - 2, "duplicate field id `agree`: line 9 already uses it"),
        (line_of(BAD_FORM, "field = \"agreed\""), "`show_if` names the field `agreed`, but there is no such field"),
        (
            line_of(BAD_FORM, "value = \"maybe\""),
            "`show_if` value \"maybe\" is not an answer of `agree`; expected one of: \"yes\", \"no\"",
        ),
        (
            line_of(BAD_FORM, "national-outcomes"),
            "uses the outcomes framework \"national-outcomes\", which does not exist; expected one of: \"outcomes\" (forms/outcomes.toml)",
        ),
        (line_of(BAD_FORM, "min = 5"), "has `min` = 5, more than `max` = 2; expected min to be at most max"),
        (
            line_of(BAD_FORM, "id = \"empty\"") - 1,
            "section `empty` has no fields; expected at least one [[section.field]] after it",
        ),
    ];
    for (line, message) in expected {
        let prefix = format!("{f}:{line}:");
        assert!(
            stderr.lines().any(|l| l.starts_with(&prefix) && l.contains(": error: ") && l.contains(message)),
            "expected `{prefix} ... {message}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("forms/second.toml:2:1: error: section `s` has no fields"), "{stderr}");
    assert!(stderr.contains("nothing was written, the previous site is unchanged"), "{stderr}");
    assert_eq!(snapshot(&site), before, "the previous site is byte for byte as it was");

    // `check` reports the same problems.
    let check = handbook(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let check_err = String::from_utf8_lossy(&check.stderr);
    for needle in ["unknown field kind `calendar`", "duplicate field id `agree`", "section `empty` has no fields"] {
        assert!(check_err.contains(needle), "check: {check_err}");
    }
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

#[test]
fn a_broken_link_in_a_form_intro_is_reported_at_its_line() {
    let (root, site) = new_handbook("link");
    let path = root.join("forms/early-help-review.toml");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "Use this form to record",
        "See [the missing page](../content/missing.md) and [the meeting](../content/team-around-the-family/the-meeting.md#no-such-heading).\nUse this form to record",
        1,
    );
    fs::write(&path, &text).unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = line_of(&text, "the missing page");
    assert!(stderr.contains(&format!("forms/early-help-review.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("broken link `../content/missing.md`"), "{stderr}");
    assert!(stderr.contains("no heading `#no-such-heading`"), "{stderr}");
    assert!(!site.exists(), "nothing written");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

/// The form with every kind of field, shared with the browser tests.
fn every_kind() -> String {
    fs::read_to_string(common::fixture_path("forms/every-kind.toml")).unwrap()
}

#[test]
fn a_form_with_every_kind_of_field_builds() {
    let (root, site) = new_handbook("kinds");
    fs::write(root.join("forms/every-kind.toml"), every_kind()).unwrap();
    let out = build(&root, &site);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = fs::read_to_string(site.join("forms/every-kind.html")).unwrap();
    for needle in [
        "type=\"text\"",
        "<textarea",
        "type=\"date\"",
        "type=\"number\"",
        "type=\"email\"",
        "type=\"tel\"",
        "type=\"radio\" value=\"b\"",
        "type=\"checkbox\" value=\"Green\"",
        "<select class=\"select\" id=\"every-kind--s\"",
        "<option value=\"y\">Why</option>",
        "<span class=\"scale-end\">High</span>",
        "value=\"secure-housing\"",
        "id=\"every-kind--sig-date\"",
        "Just <strong>read</strong> this.",
        ">Add another thing</button>",
        "class=\"print-answer lines-7\"",
        "href=\"outcomes.html#secure-housing\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("repeat-print-rows"), "print_rows = 0 prints no blank rows");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("forms/every-kind.schema.json")).unwrap()).unwrap();
    let answers = &schema["properties"]["answers"]["properties"];
    assert_eq!(answers["n"]["type"], serde_json::json!(["number", "null"]));
    assert_eq!(answers["sig"]["required"], serde_json::json!(["name", "date"]));
    assert_eq!(answers["r"]["items"]["properties"]["r_s"]["oneOf"][2]["const"], "Two");
    assert!(answers.get("g").is_none(), "guidance has no answer");
    let index = fs::read_to_string(site.join("forms/index.html")).unwrap();
    assert!(index.contains("Every kind of field"));
    assert!(
        index.contains("href=\"../forms/every-kind.html\" aria-current")
            || index.matches("../forms/every-kind.html").count() >= 2,
        "the form is in the Forms navigation"
    );
    let home = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("href=\"forms/index.html\">Forms</a>"), "Forms is a top-level section");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}
