//! Course packs: built in order with working links inside the document,
//! and a pack naming something that is not there stops the build at its line.

mod common;
use common::*;
use std::collections::HashSet;

const TODAY: &str = "2026-12-01";

fn ids(html: &str) -> Vec<&str> {
    between(html, " id=\"", "\"")
}

/// Every in-document link has a target and no id is used twice.
fn assert_links_inside_work(html: &str) {
    let ids = ids(html);
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique within the pack");
    for target in between(html, "href=\"#", "\"") {
        assert!(unique.contains(target), "#{target} has no element with that id");
    }
}

#[test]
fn the_default_packs_hold_their_pages_and_forms_in_order() {
    let site = build(&test_handbook(), TODAY);
    let html = read(&site, "packs/chairing-taf.html");
    let expected = [
        "pack-team-around-the-family-index",
        "pack-team-around-the-family-before-the-meeting",
        "pack-team-around-the-family-the-meeting",
        "pack-team-around-the-family-chairing",
        "pack-team-around-the-family-minutes",
        "pack-forms-early-help-assessment",
        "pack-forms-early-help-review",
    ];
    let sections: Vec<&str> = between(&html, "<section class=\"pack-item", ">")
        .iter()
        .map(|attrs| attrs.split("id=\"").nth(1).unwrap().trim_end_matches('"'))
        .collect();
    assert_eq!(sections, expected);
    let contents = between(&html, "<nav class=\"pack-contents\"", "</nav>")[0];
    let listed: Vec<&str> = between(contents, "href=\"#", "\"");
    assert_eq!(listed, expected, "the contents list follows the same order");
    // The cover: title, audience, authority and the date built.
    assert!(html.contains("<h1>Chairing a Team Around the Family meeting</h1>"));
    assert!(html.contains("<dt>For</dt><dd>Lead Professionals and practitioners who chair or take minutes at TAF meetings</dd>"));
    assert!(html.contains("Anytown Council, Lead Professional handbook"));
    assert!(html.contains("<dt>Built on</dt><dd>1 December 2026</dd>"));
    // Blank forms are the forms themselves, printable, without buttons, under the item heading.
    assert!(html.contains("<h2 class=\"pack-item-title\">Early Help Assessment</h2>"), "form title heading");
    assert!(html.contains("<h3 class=\"form-section-title\">Family members</h3>"), "form sections sit under it");
    assert!(html.contains("id=\"early-help-review--attendees-title\""), "review fields are there, ids prefixed by form");
    assert!(html.contains("assets/forms.css"), "the pack loads the form styles");
    assert!(!html.contains("Download answers"), "no form buttons in a printed pack");
    // Page headings sit below the page's own h2 and carry the item's prefix.
    assert!(html.contains("<h3 id=\"pack-team-around-the-family-the-meeting--"), "headings shifted and prefixed");
    // A link from one page in the pack to another stays inside the document.
    assert!(html.contains("href=\"#pack-team-around-the-family-before-the-meeting--agree-a-chair-and-minute-taker\""));
    assert!(!html.contains("href=\"../team-around-the-family/before-the-meeting.html#"), "in-pack links do not leave the pack");
    // A page outside the pack is linked relatively.
    assert!(html.contains("href=\"../early-help/assessment.html\""));
    assert_links_inside_work(&html);
    assert_links_inside_work(&read(&site, "packs/lead-professional-induction.html"));

    let index = read(&site, "packs/index.html");
    assert!(index.contains("href=\"../packs/lead-professional-induction.html\">Induction for new Lead Professionals</a>"));
    assert!(index.contains("href=\"../packs/chairing-taf.html\">Chairing a Team Around the Family meeting</a>"));
    assert!(index.contains("5 pages and 2 blank forms"));
    // The nav has a Course packs node on every page.
    assert!(read(&site, "index.html").contains(">Course packs</a>"));
}

#[test]
fn links_headings_and_footnotes_inside_a_pack_of_your_own() {
    let root = new_handbook("packs-own");
    write(
        &root,
        "content/one.md",
        "+++\ntitle = \"One\"\n+++\n\n## Notes\n\nSee [two](two.md), [its notes](two.md#notes), [mine](#notes), [the index](index.md) and [outside](early-help/assessment.md).[^a]\n\n[^a]: A footnote.\n",
    );
    write(
        &root,
        "content/two.md",
        "+++\ntitle = \"Two\"\n+++\n\n## Notes\n\nBack to [one](one.md#notes).[^a]\n\n[^a]: Another footnote.\n",
    );
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let config =
        format!("{config}\n[[pack]]\nid = \"mine\"\ntitle = \"My pack\"\ncontents = [\"content/two.md\", \"content/one.md\"]\n");
    std::fs::write(root.join("handbook.toml"), config).unwrap();
    let site = build(&root, TODAY);
    let html = read(&site, "packs/mine.html");
    let two = html.find("id=\"pack-two\"").unwrap();
    let one = html.find("id=\"pack-one\"").unwrap();
    assert!(two < one, "the order of contents is kept");
    assert!(html.contains("<h3 id=\"pack-one--notes\">Notes</h3>"));
    assert!(html.contains("<h3 id=\"pack-two--notes\">Notes</h3>"));
    assert!(html.contains("href=\"#pack-two\">two</a>"));
    assert!(html.contains("href=\"#pack-two--notes\">its notes</a>"));
    assert!(html.contains("href=\"#pack-one--notes\">mine</a>"));
    assert!(html.contains("href=\"#pack-one--notes\">one</a>"));
    assert!(html.contains("href=\"../index.html\">the index</a>"));
    assert!(html.contains("href=\"../early-help/assessment.html\">outside</a>"));
    assert_links_inside_work(&html);
    assert!(html.contains("id=\"pack-one--a\"") && html.contains("id=\"pack-two--a\""), "footnotes are unique too");
}

#[test]
fn a_pack_naming_a_missing_page_or_form_is_an_error_at_its_line() {
    let root = new_handbook("packs-missing");
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let base = config.lines().count();
    let config = format!(
        "{config}\n[[pack]]\nid = \"broken\"\ntitle = \"Broken\"\ncontents = [\n  \"content/index.md\",\n  \"content/team-around-the-family/chairs.md\",\n  \"forms/early-help-plan.toml\",\n  \"content/index.md\",\n]\n"
    );
    std::fs::write(root.join("handbook.toml"), config).unwrap();
    let out = temp("packs-missing-site").join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], TODAY);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let line = |n: usize| format!("handbook.toml:{}:3: error: pack `broken`", base + n);
    assert!(err.contains(&format!("{}: there is no page or form `content/team-around-the-family/chairs.md`", line(7))), "{err}");
    assert!(err.contains(&format!("{}: there is no page or form `forms/early-help-plan.toml`", line(8))), "{err}");
    assert!(err.contains(&format!("{}: `content/index.md` is already in this pack (line {})", line(9), base + 6)), "{err}");
    assert!(!out.exists(), "nothing is written");

    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("there is no page or form `content/team-around-the-family/chairs.md`"));
}

#[test]
fn a_pack_with_the_wrong_folder_gets_a_suggestion() {
    let root = new_handbook("packs-hint");
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let config = format!("{config}\n[[pack]]\nid = \"hint\"\ntitle = \"Hint\"\ncontents = [\"content/chairing.md\"]\n");
    std::fs::write(root.join("handbook.toml"), config).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("did you mean `content/team-around-the-family/chairing.md`?"), "{}", stderr(&o));
}

#[test]
fn links_in_a_pack_intro_are_checked_like_any_other() {
    let root = new_handbook("packs-intro");
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let base = config.lines().count();
    let config = format!(
        "{config}\n[[pack]]\nid = \"intro\"\ntitle = \"Intro\"\nintro = \"\"\"\nRead [the functions](content/lead-professional/what-it-is.md#the-main-functions) first.\n\nThen [this](content/lead-professional/what-it-is.md#no-such-heading) and [that](content/lead-professional/why-needed.md#nor-this).\n\"\"\"\ncontents = [\"content/lead-professional/what-it-is.md\"]\n"
    );
    std::fs::write(root.join("handbook.toml"), config).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let problems: Vec<&str> = err.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(problems.len(), 2, "{err}");
    // After a blank line, [[pack]] is at base + 2, the intro's text at base + 6; the
    // good anchor there passes, the two two lines below do not.
    let at = format!("handbook.toml:{}:", base + 8);
    assert!(
        problems[0].starts_with(&format!("{at}6: error: no heading `#no-such-heading` in lead-professional/what-it-is.html")),
        "{err}"
    );
    assert!(
        problems[1].starts_with(&at) && problems[1].contains("no heading `#nor-this` in lead-professional/why-needed.html"),
        "{err}"
    );
}
