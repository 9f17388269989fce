//! Glossary terms in built pages: the first use on each page becomes an
//! abbreviation linked to its entry; never inside headings, links or code.

mod common;
use common::*;

const TODAY: &str = "2026-12-01";

#[test]
fn first_use_only_and_never_in_headings_links_or_code() {
    let root = new_handbook("glossary");
    write(
        &root,
        "content/terms.md",
        "+++\ntitle = \"TAF terms\"\n+++\n\n## Before a TAF\n\nRead [the TAF page](team-around-the-family/index.md) and `TAF` first.\n\n```\nTAF in a code block\n```\n\nA TAF meets monthly. Every TAF has a chair. The CIN plan and the TAF plan differ.\n",
    );
    write(&root, "content/other.md", "+++\ntitle = \"Other\"\n+++\n\nThe TAF again, on another page.\n");
    let site = build(&root, TODAY);
    let html = read(&site, "terms.html");
    let main = between(&html, "<main", "</main>")[0];

    let abbrs = between(main, "<abbr title=\"", "</abbr>");
    assert_eq!(abbrs, ["Team Around the Family\">TAF", "Child in Need\">CIN"], "one mark per term, in reading order");
    assert!(main.contains("A <a class=\"term\" href=\"glossary.html#taf\"><abbr title=\"Team Around the Family\">TAF</abbr></a> meets monthly. Every TAF has a chair."));
    assert!(main.contains("<h2 id=\"before-a-taf\">Before a TAF</h2>"), "headings are left alone");
    assert!(main.contains(">the TAF page</a>"), "link text is left alone");
    assert!(main.contains("<code>TAF</code>"));
    assert!(main.contains("<pre><code>TAF in a code block"));
    assert!(html.contains("<title>TAF terms - "), "the title is left alone");

    // Every page starts again.
    let other = read(&site, "other.html");
    assert_eq!(between(&other, "<abbr title=\"", "</abbr>"), ["Team Around the Family\">TAF"]);

    // The link leads to the term's entry on the glossary page.
    let glossary = read(&site, "glossary.html");
    assert!(glossary.contains("<dt id=\"taf\">TAF <span class=\"expansion\">(Team Around the Family)</span></dt>"));
}

#[test]
fn default_pages_mark_each_term_at_most_once_and_never_inside_headings_or_links() {
    let site = build(&repo(), TODAY);
    let mut marked = 0;
    for rel in files(&site).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&site, rel);
        let main = between(&html, "<main", "</main>").first().copied().unwrap_or("");
        let mut terms: Vec<&str> = between(main, "<abbr title=\"", "\"");
        marked += terms.len();
        if rel.starts_with("packs/") {
            continue; // a pack holds many pages: once per page in it
        }
        let n = terms.len();
        terms.sort();
        terms.dedup();
        assert_eq!(terms.len(), n, "{rel}: a term is marked twice");
        for level in 1..=6 {
            for heading in between(main, &format!("<h{level}"), &format!("</h{level}>")) {
                assert!(!heading.contains("<abbr"), "{rel}: a mark in a heading: {heading}");
            }
        }
        for code in between(main, "<code>", "</code>") {
            assert!(!code.contains("<abbr"), "{rel}: a mark in code");
        }
        // A mark is a link of its own, never inside another link.
        for link in between(main, "<a ", "</a>") {
            if link.contains("<abbr") {
                assert!(link.starts_with("class=\"term\""), "{rel}: a mark inside a link: {link}");
            }
        }
    }
    assert!(marked > 20, "the default pages use glossary terms: {marked}");
}
