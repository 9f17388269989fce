//! A Welsh handbook: `language = "cy"` in handbook.toml gives every word
//! of the interface in Welsh (templates/lang/cy.toml), dates with Welsh
//! month names, and the scripts' words in Welsh; the content stays as
//! written. A handbook's own templates/lang/cy.toml changes single words.

mod common;
use common::*;

/// The default handbook with `language` set to `lang`, and the
/// glossary's own title taken out so the generated one shows.
fn default_in(lang: &str, name: &str) -> std::path::PathBuf {
    let root = default_handbook(name);
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let config: String = config
        .lines()
        .map(|l| if l.starts_with("language") { format!("language = \"{lang}\"") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(config.contains(&format!("language = \"{lang}\"")), "the default handbook.toml names a language");
    write(&root, "handbook.toml", &config);
    let glossary = std::fs::read_to_string(root.join("glossary.toml")).unwrap();
    let glossary: Vec<&str> = glossary.lines().filter(|l| !l.starts_with("title")).collect();
    write(&root, "glossary.toml", &glossary.join("\n"));
    root
}

#[test]
fn a_welsh_handbook_has_a_welsh_interface() {
    let root = default_in("cy-GB", "welsh");
    write(&root, "content/index.md", &{
        let home = std::fs::read_to_string(root.join("content/index.md")).unwrap();
        let home: Vec<String> = home
            .lines()
            .map(|l| if l.starts_with("reviewed") { "reviewed = 2026-12-02".into() } else { l.to_string() })
            .collect();
        home.join("\n")
    });
    let site = build(&root, "2026-12-10");

    let page = read(&site, "index.html");
    assert!(page.contains("<html lang=\"cy-GB\""), "the page's language");
    let text = visible_text(&page);
    for words in
        ["Neidio i'r prif gynnwys", "Chwilio'r llawlyfr", "Dewislen", "Adrannau'r llawlyfr", "Ffurflenni", "Geirfa", "A i Y"]
    {
        assert!(text.contains(words), "home page: {words}\n{text}");
    }
    // Dates in Welsh, the day's numeral leaving the month unmutated.
    assert!(text.contains("Adolygwyd ddiwethaf: 2 Rhagfyr 2026"), "{text}");
    for english in ["Skip to main content", "Search the handbook", "Sections of the handbook", "Last reviewed", "December"] {
        assert!(!text.contains(english), "home page still says {english}");
    }

    let guidance = visible_text(&read(&site, "assessment/index.html"));
    assert!(guidance.contains("Yn yr adran hon"), "{guidance}");
    let form = read(&site, "forms/early-help-assessment.html");
    let form_text = visible_text(&form);
    for words in ["Mae problem", "Gwirio atebion", "Lawrlwytho atebion", "Argraffu", "(dewisol)"] {
        assert!(form_text.contains(words), "form: {words}");
    }
    assert!(form.contains("data-error-required=\"Rhowch ateb ar gyfer"), "error messages in Welsh");
    // The scripts' words are Welsh JSON, with Welsh month names.
    let block = between(&form, "data-for=\"forms\">", "</script>")[0];
    let words: serde_json::Value = serde_json::from_str(block).unwrap();
    assert_eq!(words["months"][11], "Rhagfyr");
    assert_eq!(words["check_ok"], "Nid oes problemau gyda'r atebion. Gallwch lawrlwytho'r atebion neu argraffu'r ffurflen.");
    // The genogram: its key, empty state and printed space from [genogram],
    // the drawing's words from [script.genogram], all Welsh.
    let genogram =
        between(&form, "<div class=\"genogram\" data-genogram-for=\"household_members\"", "<div class=\"genogram-words\">")[0];
    let genogram_text = visible_text(genogram);
    for words in [
        "Allwedd",
        "Gwryw",
        "Benyw",
        "Rhyw heb ei wybod",
        "Babi heb ei eni",
        "wedi marw",
        "Cwpl gyda'i gilydd",
        "Cwpl wedi gwahanu",
        "Cwpl wedi ysgaru",
        "Plant, yr hynaf ar y chwith",
        "yn byw ar yr aelwyd",
        "Agos",
        "Pell",
        "Gwrthdaro",
        "Wedi torri cysylltiad",
        "Lluniwch y teulu yma",
    ] {
        assert!(genogram_text.contains(words), "genogram: {words}\n{genogram_text}");
    }
    for english in [
        "Key",
        "Male",
        "Female",
        "Sex not known",
        "Unborn",
        "Double outline",
        "has died",
        "Couple",
        "Children",
        "household",
        "Close",
        "Distant",
        "Conflict",
        "Cut off",
        "Draw the family",
        "The diagram is drawn",
    ] {
        assert!(!genogram_text.contains(english), "the genogram still says {english}\n{genogram_text}");
    }
    let block = between(&form, "data-for=\"genogram\">", "</script>")[0];
    let words: serde_json::Value = serde_json::from_str(block).unwrap();
    assert_eq!(words["words_heading"], "Y teulu mewn geiriau");
    assert_eq!(words["people"]["two"], "{count} berson");
    assert_eq!(words["months"][4], "Mai");
    assert!(!block.contains("mother of") && !block.contains("lives in the household"), "{block}");
    let css = read(&site, "forms/early-help-assessment.print.css");
    assert!(css.contains("\"Tudalen \" counter(page) \" o \" counter(pages)"), "{css}");

    let search = read(&site, "search.html");
    assert!(visible_text(&search).contains("Pob tudalen yn y llawlyfr hwn"), "the A to Z");
    assert!(between(&search, "data-for=\"search\">", "</script>")[0].contains("Canlyniadau chwilio"));
    assert!(between(&search, "data-for=\"search-box\">", "</script>")[0].contains("Canlyniadau chwilio"));
    let not_found = visible_text(&read(&site, "404.html"));
    assert!(not_found.contains("Heb ddod o hyd i'r dudalen") && not_found.contains("hafan"), "{not_found}");
    let decisions = visible_text(&read(&site, "decisions/index.html"));
    assert!(decisions.contains("Canllawiau penderfynu") && decisions.contains("Pob cwestiwn ar un dudalen"), "{decisions}");
}

#[test]
fn a_handbook_changes_one_welsh_word_and_hears_of_a_misspelt_key() {
    let root = default_in("cy", "welsh-own");
    write(&root, "templates/lang/cy.toml", "[base]\nmenu = \"Y ddewislen\"\nmenuu = \"x\"\n");
    let out = temp("site").join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], "2026-12-10");
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("templates/lang/cy.toml:3:1: warning:") && err.contains("did you mean `base.menu`"), "{err}");
    let text = visible_text(&read(&out, "index.html"));
    assert!(text.contains("Y ddewislen") && text.contains("Chwilio'r llawlyfr"), "{text}");

    // theme list knows the words files; theme copy gives one to edit.
    let o = run(&["theme", "list", "--root", root.to_str().unwrap()], "2026-12-10");
    let listed = String::from_utf8_lossy(&o.stdout);
    assert!(listed.contains("lang/en.toml") && listed.contains("overridden by templates/lang/cy.toml"), "{listed}");
}

#[test]
fn a_language_with_no_words_is_an_error_at_its_line() {
    let root = default_in("fr", "french");
    let out = temp("site").join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], "2026-12-10");
    assert!(!o.status.success());
    let err = stderr(&o);
    let line =
        std::fs::read_to_string(root.join("handbook.toml")).unwrap().lines().position(|l| l.starts_with("language")).unwrap() + 1;
    assert!(err.contains(&format!("handbook.toml:{line}:")) && err.contains("templates/lang/fr.toml"), "{err}");
    // With its own words file, the build goes ahead.
    write(&root, "templates/lang/fr.toml", "[base]\nsearch_button = \"Rechercher\"\n");
    let site = build(&root, "2026-12-10");
    assert!(read(&site, "index.html").contains(">Rechercher<"));
}
