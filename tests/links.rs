//! Guidance and forms agree, and the build proves it: a Markdown link may
//! name a form's question or an outcome, a missing one is a broken link at
//! file:line, and a link written with no text takes its target's own name.
//! The real binary on the default handbook, in a temp folder.

mod common;

use common::{default_handbook, read, run, stderr, temp, write};
use std::path::Path;

const TODAY: &str = "2026-12-01";

fn build(root: &Path) -> (std::process::Output, std::path::PathBuf) {
    let out = temp("links-site").join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], TODAY);
    (o, out)
}

const PAGE: &str = "+++
title = \"Links to questions\"
+++

Write the date in [](../../forms/early-help-review.toml#next_meeting_date).
Choose [good health](../../forms/outcomes.toml#good-physical-health) or [](../../forms/outcomes.toml#school-development).
Start with [](../../forms/early-help-review.toml). Ask the [](../../glossary.toml#dsl).
";

#[test]
fn links_name_questions_and_outcomes_and_empty_links_take_their_names() {
    let root = default_handbook("links-ok");
    write(&root, "content/early-help/links.md", PAGE);
    let (o, site) = build(&root);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&site, "early-help/links.html");
    // The question's own label, and the id of the question in the form's page.
    assert!(
        html.contains(
            "<a href=\"../forms/early-help-review.html#early-help-review--next_meeting_date-question\">Date of next review</a>"
        ),
        "{html}"
    );
    assert!(html.contains("<a href=\"../forms/outcomes.html#good-physical-health\">good health</a>"), "{html}");
    assert!(html.contains("<a href=\"../forms/outcomes.html#school-development\">"), "{html}");
    assert!(!html.contains("#school-development\"></a>"), "an empty link takes the outcome's title: {html}");
    assert!(
        html.contains("<a href=\"../forms/early-help-review.html\">Early Help Review (Team Around the Family meeting)</a>"),
        "an empty link to a form takes the form's title: {html}"
    );
    assert!(html.contains("<a href=\"../glossary.html#dsl\">DSL</a>"), "a glossary term's name: {html}");
    // The place it names is in the form's page.
    let form = read(&site, "forms/early-help-review.html");
    assert!(form.contains("id=\"early-help-review--next_meeting_date-question\""));
    // The words are searchable like any others.
    let search: String =
        common::files(&site.join("assets/search")).iter().map(|f| read(&site, &format!("assets/search/{f}"))).collect();
    assert!(search.contains("Date of next review"), "the inserted words are in the page's text");
}

#[test]
fn a_missing_question_or_outcome_and_a_link_with_no_name_are_errors_at_their_lines() {
    let root = default_handbook("links-bad");
    write(
        &root,
        "content/early-help/links.md",
        "+++\ntitle = \"Bad links\"\n+++\n\nSee [the date](../../forms/early-help-review.toml#next_review_date).\n\
         And [](../../forms/outcomes.toml#no-such-outcome).\nAnd [](https://example.org/).\n",
    );
    let (o, site) = build(&root);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("content/early-help/links.md:5:"), "{err}");
    assert!(err.contains("`#next_review_date`"), "{err}");
    assert!(err.contains("content/early-help/links.md:6:"), "{err}");
    assert!(err.contains("`#no-such-outcome`"), "{err}");
    assert!(err.contains("content/early-help/links.md:7:"), "{err}");
    assert!(err.contains("has no text"), "{err}");
    assert!(!site.exists(), "nothing was written");
}
