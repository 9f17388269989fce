//! Paper: every form and course pack gets its own print stylesheet (the
//! running header and footer, made from templates/print.css), titles are
//! escaped into CSS strings, and the default forms print enough blank rows
//! for a meeting. How the sheets look is tested in tests/browser/print.test.js.

mod common;
use common::*;

const TODAY: &str = "2026-12-01";

#[test]
fn each_form_and_pack_links_its_own_print_stylesheet() {
    let site = build(&repo(), TODAY);
    let css = read(&site, "forms/early-help-assessment.print.css");
    assert!(css.contains("@top-left { content: \"Early Help Assessment\"; }"), "{css}");
    assert!(css.contains("\"Page \" counter(page) \" of \" counter(pages)"), "page numbers");
    assert!(css.contains("\"Anytown Council\" \" \\00B7  Version \" \"1.2\""), "the footer: authority and version");
    let html = read(&site, "forms/early-help-assessment.html");
    assert!(html.contains("<link rel=\"stylesheet\" href=\"../forms/early-help-assessment.print.css\">"));
    assert!(html.contains("<script src=\"../assets/print.js\" defer></script>"));
    let words = between(&html, "class=\"hb-text\" data-for=\"print\">", "</script>");
    let words: serde_json::Value = serde_json::from_str(words.first().expect("print.js's words are in the page")).unwrap();
    assert_eq!(words["family"], "Family: {label}", "print.js's words are in the page");
    assert!(read(&site, "assets/print.js").contains("data-family-label"));

    let pack = read(&site, "packs/chairing-taf.print.css");
    assert!(pack.contains("@top-left { content: \"Chairing a Team Around the Family meeting\"; }"));
    assert!(pack.contains("[id=\"pack-team-around-the-family-index\"] { page: hb-part-1; }"));
    assert!(
        pack.contains(
            "@page hb-part-7 { @top-left { content: \"7. \" \"Early Help Review (Team Around the Family meeting)\"; } }"
        )
    );
    assert!(!pack.contains("hb-part-8"), "one part per item");
    let html = read(&site, "packs/chairing-taf.html");
    assert!(html.contains("href=\"../packs/chairing-taf.print.css\""));
    assert_eq!(html.matches("assets/print.js").count(), 1, "one script however many forms the pack holds");
}

#[test]
fn the_default_forms_print_blank_rows_for_a_meeting() {
    let site = build(&repo(), TODAY);
    let rows = |html: &str, repeat: &str| {
        let real = html.matches(&format!("id=\"{repeat}-0-")).count() > 0;
        let blank = (1..=50).take_while(|i| html.contains(&format!("id=\"{repeat}-p{i}-"))).count();
        usize::from(real) + blank
    };
    let eha = read(&site, "forms/early-help-assessment.html");
    assert_eq!(rows(&eha, "early-help-assessment--household_members"), 8, "people: 8");
    assert_eq!(rows(&eha, "early-help-assessment--agencies_involved"), 6);
    assert_eq!(rows(&eha, "early-help-assessment--actions"), 6, "actions: 6");
    let review = read(&site, "forms/early-help-review.html");
    assert_eq!(rows(&review, "early-help-review--attendees"), 8);
    assert_eq!(rows(&review, "early-help-review--previous_actions_list"), 6);
    assert_eq!(rows(&review, "early-help-review--new_actions_list"), 6);
    // The table's column headings, printed once above the rows.
    assert!(review.contains("<span class=\"repeat-head-label\">Attendance</span>"));
}

#[test]
fn titles_are_css_strings_and_the_words_come_from_the_strings_file() {
    let root = new_handbook("print-css");
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let config = config.replacen("authority = \"Anytown Council\"", "authority = 'Anytown \"North\" Council'", 1);
    let config = format!(
        "{config}\n[[pack]]\nid = \"mine\"\ntitle = \"Back\\\\slash\"\ncontents = [\"content/index.md\", \"forms/odd.toml\"]\n"
    );
    write(&root, "handbook.toml", &config);
    write(
        &root,
        "forms/odd.toml",
        "id = \"odd\"\ntitle = \"Jo's \\\"plan\\\" \\\\ end\"\nversion = \"2\"\n\n[[section]]\nid = \"s\"\ntitle = \"S\"\n\n[[section.field]]\nid = \"t\"\nkind = \"text\"\nlabel = \"T\"\n",
    );
    // The words can be changed (or translated) in the handbook's own words file.
    write(&root, "templates/lang/en.toml", "[print]\npage_of = \"Tudalen {page} o {pages}\"\n");
    let site = build(&root, TODAY);
    let css = read(&site, "forms/odd.print.css");
    assert!(css.contains(r#"@top-left { content: "Jo's \"plan\" \\ end"; }"#), "{css}");
    assert!(css.contains(r#""Anytown \"North\" Council" " \00B7  Version " "2""#), "{css}");
    assert!(css.contains("\"Tudalen \" counter(page)"), "the handbook's own words are used");
    let pack = read(&site, "packs/mine.print.css");
    assert!(pack.contains(r#"@top-left { content: "Back\\slash"; }"#), "{pack}");
    assert!(pack.contains(r#"@page hb-part-2 { @top-left { content: "2. " "Jo's \"plan\" \\ end"; } }"#), "{pack}");
}
