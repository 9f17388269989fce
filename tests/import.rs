//! `handbook import`, run as a council would: the real binary on .docx
//! files made by LibreOffice and pandoc and on a saved web page (all under
//! tests/fixtures/import/, made by make-fixtures.sh), into a new handbook.
//! The Markdown written is compared with tests/fixtures/import/expected/;
//! set HANDBOOK_UPDATE_EXPECTED=1 to write what the import now makes there
//! instead (then read the difference before committing it).

mod common;

use common::{BIN, between, new_handbook, read, snapshot, temp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-12-01";

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/import").join(name)
}

fn import(root: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("import")
        .args(args)
        .arg("--root")
        .arg(root)
        .env("HANDBOOK_TODAY", TODAY)
        .output()
        .expect("run handbook import")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Builds the handbook and returns the site and the warnings printed.
fn build(root: &Path) -> (PathBuf, String) {
    let out = temp("import-site").join("site");
    let o = Command::new(BIN)
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env("HANDBOOK_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(o.status.success(), "the imported handbook must build at once:\n{}", stderr(&o));
    assert!(!stderr(&o).contains(": error:"), "{}", stderr(&o));
    (out, stderr(&o))
}

/// The files of one imported section, relative to it.
fn section_files(root: &Path, section: &str) -> Vec<String> {
    common::files(&root.join("content").join(section))
}

/// Compares every Markdown file of the section with the expected copy.
fn assert_expected(root: &Path, section: &str, expected: &str) {
    let dir = fixture("expected").join(expected);
    let update = std::env::var("HANDBOOK_UPDATE_EXPECTED").is_ok();
    let written: Vec<String> = section_files(root, section).into_iter().filter(|f| f.ends_with(".md")).collect();
    if update {
        let _ = std::fs::remove_dir_all(&dir);
        for f in &written {
            common::write(&dir, f, &read(&root.join("content").join(section), f));
        }
    }
    let want: Vec<String> = common::files(&dir);
    assert_eq!(written, want, "the pages written differ from {}", dir.display());
    for f in &want {
        let got = read(&root.join("content").join(section), f);
        let exp = read(&dir, f);
        if got != exp {
            let line =
                got.lines().zip(exp.lines()).position(|(a, b)| a != b).unwrap_or(got.lines().count().min(exp.lines().count()));
            panic!(
                "{section}/{f} differs from expected/{expected}/{f} at line {}:\n  got:      {:?}\n  expected: {:?}\n--- got ---\n{got}",
                line + 1,
                got.lines().nth(line),
                exp.lines().nth(line)
            );
        }
    }
}

fn is_png(path: &Path) -> bool {
    std::fs::read(path).map(|b| b.starts_with(b"\x89PNG\r\n\x1a\n")).unwrap_or(false)
}

#[test]
fn libreoffice_word_document_becomes_a_section_that_builds() {
    let root = new_handbook("import-lo");
    let o = import(&root, &[fixture("lead-professional.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    let section = "lead-professional-guidance";
    assert_expected(&root, section, "lead-professional");
    assert_eq!(
        section_files(&root, section),
        [
            "choosing-the-lead-professional-1.png",
            "choosing-the-lead-professional.md",
            "handing-over-the-role-1.png",
            "handing-over-the-role.md",
            "index.md",
            "the-lead-professional-role.md",
        ]
    );
    for png in ["choosing-the-lead-professional-1.png", "handing-over-the-role-1.png"] {
        assert!(is_png(&root.join("content").join(section).join(png)), "{png}");
    }

    // The terminal report: counts, then each item at its paragraph and page.
    assert!(report.contains("4 pages, 2 images and 3 tables from 1 file"), "{report}");
    assert!(
        report.contains("reviewed = 2026-03-03 (from the line \"Date of review: 3 March 2026\"), review_every = \"12 months\""),
        "{report}"
    );
    for expected in [
        "lead-professional.docx: paragraph 57 (under \"2. Choosing the Lead Professional\"): table 2 was kept as an HTML table because it has merged cells",
        "paragraph 68 (under \"Who else can help\"): the heading \"Who else can help\" (level 3) comes straight after a level 1 heading",
        "paragraph 73 (under \"3. Handing over the role\"): a link points to a place in the document (`handover-checklist`) that no longer exists",
        "a link points to `../Forms/Handover form.docx`, a file that did not come across",
        "paragraph 74 (under \"3. Handing over the role\"): an image has no alt text",
        "paragraph 76 (under \"3. Handing over the role\"): table 3 looks like a form to fill in (3 empty boxes)",
        "now in content/lead-professional-guidance/handing-over-the-role.md",
    ] {
        assert!(report.contains(expected), "report lacks {expected:?}:\n{report}");
    }
    assert!(report.contains("The imported pages pass `handbook check`"), "{report}");

    // What survived into the site.
    let (site, warnings) = build(&root);
    assert!(!warnings.contains("lead-professional-guidance"), "no warnings about imported pages:\n{warnings}");
    let role = read(&site, "lead-professional-guidance/the-lead-professional-role.html");
    let lists = between(&role, "<ul>", "</ul>").join("");
    assert!(
        lists.contains("keeps the plan up to date, which means:\n<ul>\n<li>arranging the review meetings</li>"),
        "nested list: {role}"
    );
    assert!(role.contains("<li>and a date it will be done by</li>"), "third level");
    assert!(role.contains("<h2 id=\"consent\">Consent</h2>"), "numbering stripped from headings");
    assert!(role.contains("<h3 id=\"when-consent-is-withdrawn\">When consent is withdrawn</h3>"));
    assert!(role.contains("class=\"footnote-definition\""), "the footnote came across: {role}");
    let choosing = read(&site, "lead-professional-guidance/choosing-the-lead-professional.html");
    assert!(
        choosing.contains("<a href=\"the-lead-professional-role.html#consent\">Consent</a>"),
        "cross-reference to a heading on another page"
    );
    assert!(choosing.contains("<a href=\"the-lead-professional-role.html#when-consent-is-withdrawn\">"), "link to a bookmark");
    assert!(choosing.contains("<th>Who usually leads</th>"), "header row");
    assert!(choosing.contains("<td>A <strong>family worker</strong> from the early help team</td>"), "cells keep bold");
    assert!(choosing.contains("<td rowspan=\"2\">The Lead Professional</td>"), "merged cell kept as HTML");
    assert!(choosing.contains("<td colspan=\"3\">A family can ask for a meeting at any time.</td>"));
    assert!(
        choosing.contains("src=\"choosing-the-lead-professional-1.png\" alt=\"A family and three practitioners"),
        "image with alt"
    );
    assert!(site.join("lead-professional-guidance/choosing-the-lead-professional-1.png").is_file());
    let handing = read(&site, "lead-professional-guidance/handing-over-the-role.html");
    assert!(handing.contains("Back to <a href=\"the-lead-professional-role.html\">the Lead Professional role</a>"));
    assert!(handing.contains("Use the handover checklist and the handover form"), "dead links keep their text");
    let index = read(&site, "lead-professional-guidance/index.html");
    assert!(!index.contains("Contents"), "the Contents block is not imported");
    assert!(!common::visible_text(&index).contains("Date of review"), "the date line became front matter");
    assert!(index.contains("Last reviewed 3 March 2026. Next review due 3 March 2027."), "{index}");
}

#[test]
fn pandoc_word_document_keeps_title_date_lists_table_footnote_and_images() {
    let root = new_handbook("import-pandoc");
    let o = import(&root, &[fixture("levels-of-need.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    let section = "levels-of-need-and-who-leads";
    assert_expected(&root, section, "levels-of-need");
    assert!(report.contains("reviewed = 2026-01-15 (from the document's date, \"15 January 2026\")"), "{report}");
    assert!(report.contains("paragraph 47 (under \"3. Who leads at each level\"): an image has no alt text"), "{report}");
    let (site, _) = build(&root);
    let levels = read(&site, "levels-of-need-and-who-leads/the-four-levels.html");
    assert!(
        levels.contains("<li>early years settings and schools\n<ul>\n<li>including breakfast and after-school clubs</li>"),
        "{levels}"
    );
    assert!(
        levels.contains("<li>Offer support from your own service:\n<ul>\n<li>a parenting group</li>"),
        "bullets inside a numbered list"
    );
    let guide = read(&site, "levels-of-need-and-who-leads/using-this-guide.html");
    assert!(guide.contains("<a href=\"the-four-levels.html\">four levels</a>"), "a link to a heading that became a page");
    let who = read(&site, "levels-of-need-and-who-leads/who-leads-at-each-level.html");
    assert!(who.contains("<td>Agreed at the first <a class=\"term\""), "table cells (and glossary marks in them)");
    assert_eq!(who.matches("A ladder with four steps").count(), 1, "the caption that repeats the alt text is dropped");
    assert!(who.contains("The Early Help Hub<br />\nNorthshire County Council<br />"), "line breaks inside a paragraph stay");
    assert!(who.contains("<img src=\"who-leads-at-each-level-2.png\" alt=\"\" />"), "no alt text is invented");
}

#[test]
fn localized_heading_styles_are_headings_by_their_outline_level() {
    let root = new_handbook("import-welsh");
    let o = import(&root, &[fixture("taf-meetings.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_expected(&root, "team-around-the-family-meetings", "taf-meetings");
    let report = stdout(&o);
    assert!(report.contains("was taken from the date the file was last saved"), "{report}");
    let (site, _) = build(&root);
    let before = read(&site, "team-around-the-family-meetings/before-the-meeting.html");
    assert!(before.contains("<h2 id=\"who-to-invite\">Who to invite</h2>"), "{before}");
}

#[test]
fn saved_web_page_keeps_the_main_content_only() {
    let root = new_handbook("import-html");
    let o = import(&root, &[fixture("step-down.html").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let section = "stepping-down-from-childrens-social-care-to-early-help";
    assert_expected(&root, section, "step-down");
    assert!(is_png(&root.join("content").join(section).join("the-step-down-meeting-1.png")));
    let report = stdout(&o);
    assert!(report.contains("reviewed = 2025-09-12 (from the line \"Last reviewed: 12 September 2025\")"), "{report}");
    assert!(report.contains("(under \"3. After step-down\"): the link \"Front Door\" goes to `https://northshire.proceduresonline.example/chapters/p_front_door.html`, a page of the site that was not imported"), "{report}");
    assert!(
        report.contains("an image (\"Northshire Safeguarding Children Partnership\") was left out: it is on the web"),
        "{report}"
    );
    assert!(report.contains("\"SCOPE OF THIS CHAPTER\" is bold text on its own line"), "{report}");
    let (site, _) = build(&root);
    let all: String = ["index", "when-step-down-is-right", "the-step-down-meeting", "after-step-down"]
        .iter()
        .map(|p| common::visible_text(&read(&site, &format!("{section}/{p}.html"))))
        .collect();
    for chrome in
        ["cookies", "Accept", "Skip to main content\u{0}", "Accessibility |", "Updates", "Back to top", "In this chapter"]
    {
        assert!(!all.contains(chrome), "site chrome `{chrome}` was imported");
    }
    let meeting = read(&site, &format!("{section}/the-step-down-meeting.html"));
    assert!(meeting.contains("<th>Does what</th>") && meeting.contains("<td>Agrees the early help plan with the family</td>"));
    assert!(
        meeting.contains("<a href=\"after-step-down.html\">after step-down</a>"),
        "in-page link to a section that became a page"
    );
}

#[test]
fn split_at_two_makes_a_folder_for_each_top_heading() {
    let root = new_handbook("import-split2");
    let o = import(&root, &["--split-at", "2", fixture("lead-professional.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = section_files(&root, "lead-professional-guidance");
    for f in [
        "the-lead-professional-role/index.md",
        "the-lead-professional-role/what-the-role-involves.md",
        "the-lead-professional-role/consent.md",
        "choosing-the-lead-professional.md",
        "handing-over-the-role/index.md",
        "handing-over-the-role/closing-the-plan.md",
    ] {
        assert!(files.contains(&f.to_string()), "{f} in {files:?}");
    }
    let consent = read(&root.join("content/lead-professional-guidance/the-lead-professional-role"), "consent.md");
    assert!(consent.contains("weight = 20") && consent.contains("## When consent is withdrawn"), "{consent}");
    let choosing = read(&root.join("content/lead-professional-guidance"), "choosing-the-lead-professional.md");
    assert!(choosing.contains("[Consent](the-lead-professional-role/consent.md)"), "{choosing}");
    build(&root);
}

#[test]
fn into_a_section_and_links_between_imported_files() {
    let root = new_handbook("import-into");
    // Two pages of the same procedures site, one linking to the other by name.
    let dir = temp("import-pages");
    std::fs::copy(fixture("step-down.html"), dir.join("step-down.html")).unwrap();
    std::fs::create_dir_all(dir.join("step-down_files")).unwrap();
    std::fs::copy(fixture("step-down_files/flowchart.png"), dir.join("step-down_files/flowchart.png")).unwrap();
    let lead = "<html><head><title>The Lead Professional | Manual</title></head><body><main><h1>The Lead Professional</h1>\
        <p>Read about <a href=\"p_step_down.html\">stepping down</a>.</p><h2>Who it is</h2><p>One practitioner.</p></main></body></html>";
    std::fs::write(dir.join("p_lead_prof.html"), lead).unwrap();
    std::fs::rename(dir.join("step-down.html"), dir.join("p_step_down.html")).unwrap();
    let o = import(
        &root,
        &[
            "--into",
            "content/procedures",
            dir.join("p_step_down.html").to_str().unwrap(),
            dir.join("p_lead_prof.html").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lead = read(&root.join("content/procedures/the-lead-professional"), "index.md");
    assert!(lead.contains("[stepping down](../stepping-down-from-childrens-social-care-to-early-help/index.md)"), "{lead}");
    let step = read(&root.join("content/procedures/stepping-down-from-childrens-social-care-to-early-help"), "index.md");
    assert!(step.contains("[The Lead Professional](../the-lead-professional/index.md)"), "{step}");
    build(&root);

    // One file into a new folder: that folder is its section.
    let o = import(&root, &["--into", "content/early-help/taf", fixture("taf-meetings.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("content/early-help/taf/index.md").is_file());
    assert!(root.join("content/early-help/taf/before-the-meeting.md").is_file());
    build(&root);
}

#[test]
fn dry_run_writes_nothing_and_shows_what_it_would() {
    let root = new_handbook("import-dry");
    let before = snapshot(&root);
    let o = import(&root, &["--dry-run", fixture("lead-professional.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&root), before, "--dry-run changed the handbook");
    let out = stdout(&o);
    assert!(out.contains("would write content/lead-professional-guidance/index.md"), "{out}");
    assert!(out.contains("(dry run: nothing was written)"), "{out}");
    assert!(out.contains("Needs a look"), "the report is shown too");
}

#[test]
fn a_second_import_refuses_to_overwrite_without_force() {
    let root = new_handbook("import-again");
    let docx = fixture("levels-of-need.docx");
    let o = import(&root, &[docx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = root.join("content/levels-of-need-and-who-leads/using-this-guide.md");
    let edited = std::fs::read_to_string(&page).unwrap() + "\nA council's own edit.\n";
    std::fs::write(&page, &edited).unwrap();
    let before = snapshot(&root);

    let o = import(&root, &[docx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("content/levels-of-need-and-who-leads/using-this-guide.md"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(snapshot(&root), before, "a refused import changed files");

    let o = import(&root, &["--force", docx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(replacing the old one)"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(
            "using-this-guide.md  \"Using this guide\" (replacing the old one, which had been changed since it was imported)"
        ),
        "{}",
        stdout(&o)
    );
    assert!(!std::fs::read_to_string(&page).unwrap().contains("A council's own edit."));
    assert_expected(&root, "levels-of-need-and-who-leads", "levels-of-need");
}

#[test]
fn unreadable_files_are_clear_errors_at_the_file_and_nothing_is_written() {
    let root = new_handbook("import-bad");
    let dir = temp("import-bad-files");
    let corrupt = dir.join("corrupt.docx");
    std::fs::write(&corrupt, b"PK\x03\x04 this is not really a zip file").unwrap();
    let renamed = dir.join("notes.docx");
    std::fs::write(&renamed, b"Some notes typed in a text editor.").unwrap();
    let encrypted = dir.join("locked.docx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 512]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(&encrypted, &ole).unwrap();
    let spreadsheet = dir.join("budget.docx");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&spreadsheet).unwrap());
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        z.start_file("[Content_Types].xml", opts).unwrap();
        std::io::Write::write_all(&mut z, b"<Types><Override ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>").unwrap();
        z.finish().unwrap();
    }
    let before = snapshot(&root);
    for (file, says) in [
        (&corrupt, "damaged"),
        (&renamed, "not a Word document"),
        (&encrypted, "password-protected"),
        (&spreadsheet, "an Excel workbook, not a Word document"),
    ] {
        let o = import(&root, &[fixture("levels-of-need.docx").to_str().unwrap(), file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{}: error:", file.display())) && err.contains(says), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(snapshot(&root), before, "a failed import wrote something");
    }
}

#[test]
fn usage_errors_exit_2() {
    let root = new_handbook("import-usage");
    let docx = fixture("taf-meetings.docx");
    let docx = docx.to_str().unwrap();
    let pdf = temp("import-pdf").join("guidance.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![pdf.to_str().unwrap()], "cannot import a `.pdf` file"),
        (vec!["--into", "forms", docx], "not inside the handbook's content/ folder"),
        (vec!["--into", "content/../../elsewhere", docx], "not inside the handbook's content/ folder"),
        (vec!["--into", "content/outside/new", docx], "not inside the handbook's content/ folder"),
        (vec!["--into", "/tmp", docx], "not inside the handbook's content/ folder"),
        (vec!["--into", "content/.hidden", docx], "hidden folder"),
        (vec!["--split-at", "3", docx], "3"),
        (vec!["missing.docx"], "no such file"),
    ];
    // A symbolic link inside content/ that leads out of the handbook.
    #[cfg(unix)]
    std::os::unix::fs::symlink(temp("import-elsewhere"), root.join("content/outside")).unwrap();
    let before = snapshot(&root);
    for (args, says) in cases {
        let o = import(&root, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(snapshot(&root), before);
    // A folder that is not a handbook.
    let o = Command::new(BIN).args(["import", docx, "--root"]).arg(temp("import-nohb")).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a handbook folder"), "{}", stderr(&o));
}

/// The "Needs a look" items of a report that start with `prefix`.
fn items<'a>(report: &'a str, prefix: &str) -> Vec<&'a str> {
    report.lines().map(str::trim_start).filter(|l| l.starts_with(prefix)).collect()
}

/// The number after `line ` in a report item.
fn line_of(item: &str) -> usize {
    let rest = item.split_once(": line ").unwrap_or_else(|| panic!("no line in {item:?}")).1;
    rest.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}

#[test]
fn web_report_items_name_the_line_of_the_source() {
    let root = new_handbook("import-lines");
    let page = fixture("step-down.html");
    let o = import(&root, &[page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    let source: Vec<String> = std::fs::read_to_string(&page).unwrap().lines().map(str::to_string).collect();
    let found = items(&report, "step-down.html: ");
    assert!(!found.is_empty(), "{report}");
    // Every item names a line, and that line of the saved page holds what it is about.
    for (says, on_the_line) in [
        ("the link \"Front Door\" goes to", "p_front_door.html"),
        (
            "an image (\"Northshire Safeguarding Children Partnership\") was left out",
            "Northshire Safeguarding Children Partnership",
        ),
        ("\"SCOPE OF THIS CHAPTER\" is bold text", "SCOPE OF THIS CHAPTER"),
    ] {
        let item = found.iter().find(|i| i.contains(says)).unwrap_or_else(|| panic!("no item {says:?} in\n{report}"));
        let n = line_of(item);
        assert!(source[n - 1].contains(on_the_line), "{item}\nline {n} is {:?}", source[n - 1]);
    }
    assert!(report.contains("step-down.html: line "), "{report}");
    assert!(!report.contains("step-down.html: under "), "every item names its line: {report}");

    // Two links alike, on different lines, each reported at its own.
    let dir = temp("import-lines-page");
    let html = "<!DOCTYPE html>\n<html><head><title>Twice</title></head>\n<body><main>\n<h1>Twice</h1>\n<h2>One</h2>\n\
        <p>See <a href=\"#gone\">the list</a>.</p>\n<h2>Two</h2>\n<p>Text.</p>\n\n<p>See\n<a href=\"#gone\">the list</a>.</p>\n\
        <table><tr><th>A</th><th>B</th></tr>\n<tr><td>x</td><td><table><tr><td>inner</td></tr></table></td></tr></table>\n</main></body></html>\n";
    std::fs::write(dir.join("twice.html"), html).unwrap();
    let o = import(&root, &[dir.join("twice.html").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(report.contains("twice.html: line 6 (under \"One\"): the link \"the list\" points to `#gone`"), "{report}");
    assert!(report.contains("twice.html: line 11 (under \"Two\"): the link \"the list\" points to `#gone`"), "{report}");
    assert!(report.contains("twice.html: line 13 (under \"Two\"): table 1 has a table inside a cell"), "{report}");
    let two = read(&root.join("content/twice"), "two.md");
    assert!(two.contains("<td>\n\n<table>\n<tbody>\n<tr>\n<td>inner</td>"), "{two}");
    build(&root);
}

#[test]
fn word_lettered_lists_nested_tables_and_metafile_diagrams() {
    let root = new_handbook("import-lists");
    let o = import(&root, &[fixture("information-sharing.docx").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    let section = "sharing-information-in-early-help";
    assert_expected(&root, section, "information-sharing");
    // The diagram is not written as an image no browser can show.
    let files = section_files(&root, section);
    assert!(files.iter().all(|f| f.ends_with(".md")), "{files:?}");
    let flowchart = read(&root.join("content").join(section), "the-sharing-flowchart.md");
    assert!(
        flowchart
            .contains("*\\[Diagram: Flowchart: is there a risk of harm? If yes, share now; if not, ask for consent first\\]*"),
        "{flowchart}"
    );
    let metafile = items(&report, "information-sharing.docx: ")
        .into_iter()
        .find(|i| i.contains("Windows metafile (EMF)"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(metafile.contains(": paragraph ") && metafile.contains("(under \"3. The sharing flowchart\")"), "{metafile}");
    assert!(metafile.contains("PNG or SVG"), "{metafile}");
    assert!(!report.contains("an image has no alt text"), "{report}");

    // Letters the text refers to ("where (b) applies") are kept; roman numerals nothing refers to become 1. 2. 3.
    let when = read(&root.join("content").join(section), "when-to-share.md");
    assert!(when.contains("<ol type=\"a\">\n<li>\n\na child is at risk of significant harm;\n\n</li>"), "{when}");
    assert!(when.contains("1. that what you share is accurate and up to date;"), "{when}");
    assert!(when.contains("1. Read the request.\n   1. Who is asking?"), "{when}");

    // The table inside a cell keeps its text, as a table in that cell.
    assert!(report.contains("table 1 has a table inside a cell, which was kept as an HTML table"), "{report}");
    let tell = read(&root.join("content").join(section), "who-to-tell.md");
    assert!(tell.contains("Designated safeguarding lead") && tell.contains("Named nurse"), "{tell}");

    let (site, _) = build(&root);
    let when = read(&site, &format!("{section}/when-to-share.html"));
    assert!(when.contains("<ol type=\"a\">"), "the sanitizer keeps the list's letters: {when}");
    assert!(when.contains("a crime has been, or is about to be, committed;"), "{when}");
    let tell = read(&site, &format!("{section}/who-to-tell.html"));
    let outer = between(&tell, "<td>", "</td>").join("|");
    assert!(outer.contains("The Lead Professional, and:"), "{tell}");
    assert!(tell.contains("<table>") && tell.matches("<table").count() >= 2, "nested table in the site: {tell}");
    assert!(tell.contains("<th>Contact</th>") && tell.contains("<td>Named nurse</td>"), "{tell}");
    let chart = common::visible_text(&read(&site, &format!("{section}/the-sharing-flowchart.html")));
    assert!(chart.contains("[Diagram: Flowchart: is there a risk of harm?"), "{chart}");
}

/// A copy of a .docx with `from` replaced by `to` in its text, at `dir/name`.
fn docx_with(src: &Path, dir: &Path, name: &str, changes: &[(&str, &str)]) -> PathBuf {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let out = dir.join(name);
    let mut z = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" {
            let mut text = String::from_utf8(bytes).unwrap();
            for (from, to) in changes {
                assert!(text.contains(from), "{from} is not in the document");
                text = text.replace(from, to);
            }
            bytes = text.into_bytes();
        }
        z.start_file(name, opts).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
    out
}

#[test]
fn force_reimport_removes_pages_an_earlier_import_wrote_and_keeps_edited_ones() {
    let root = new_handbook("import-stale");
    let first = temp("import-stale-v1");
    let second = temp("import-stale-v2");
    let v1 = docx_with(&fixture("lead-professional.docx"), &first, "guidance.docx", &[]);
    let o = import(&root, &[v1.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let section = root.join("content/lead-professional-guidance");
    let choosing = read(&section, "choosing-the-lead-professional.md");
    assert!(choosing.contains("\n# import record: { source = \"guidance.docx\", sha256 = \""), "{choosing}");
    // A council edits one page, and writes one of its own in the section.
    let handing = read(&section, "handing-over-the-role.md") + "\nOur own note on handovers.\n";
    std::fs::write(section.join("handing-over-the-role.md"), &handing).unwrap();
    common::write(&section, "local-contacts.md", "+++\ntitle = \"Local contacts\"\nweight = 90\n+++\n\nThe duty desk.\n");
    // One page as an import made before pages carried a record.
    let role = read(&section, "the-lead-professional-role.md");
    let legacy: String = role.lines().filter(|l| !l.starts_with("# import record: ")).map(|l| format!("{l}\n")).collect();
    std::fs::write(section.join("the-lead-professional-role.md"), &legacy).unwrap();

    // The next version of the document renames two headings.
    let v2 = docx_with(
        &fixture("lead-professional.docx"),
        &second,
        "guidance.docx",
        &[
            ("Choosing the Lead Professional", "Agreeing the Lead Professional"),
            ("Handing over the role", "Passing on the role"),
            ("The Lead Professional role", "What the Lead Professional does"),
        ],
    );
    let before = snapshot(&root);
    let o = import(&root, &["--force", "--dry-run", v2.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("would remove content/lead-professional-guidance/choosing-the-lead-professional.md"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snapshot(&root), before, "--dry-run changed the handbook");

    let o = import(&root, &["--force", v2.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    let files = section_files(&root, "lead-professional-guidance");
    // The page of the renamed heading, and the image only it showed, are gone.
    assert!(
        report.contains("removed content/lead-professional-guidance/choosing-the-lead-professional.md  (an earlier import of guidance.docx wrote it"),
        "{report}"
    );
    assert!(report.contains("removed content/lead-professional-guidance/choosing-the-lead-professional-1.png"), "{report}");
    assert!(!files.contains(&"choosing-the-lead-professional.md".to_string()), "{files:?}");
    assert!(!files.contains(&"choosing-the-lead-professional-1.png".to_string()), "{files:?}");
    assert!(files.contains(&"agreeing-the-lead-professional.md".to_string()), "{files:?}");
    assert!(files.contains(&"agreeing-the-lead-professional-1.png".to_string()), "{files:?}");
    // The edited page is kept, as edited, and listed; the council's own page is not touched.
    assert_eq!(read(&section, "handing-over-the-role.md"), handing);
    assert!(
        report.contains("guidance.docx: content/lead-professional-guidance/handing-over-the-role.md was written by an earlier import of this file"),
        "{report}"
    );
    assert!(report.contains("it has been changed since, so it was kept"), "{report}");
    assert!(!report.contains("removed content/lead-professional-guidance/handing-over-the-role.md"), "{report}");
    assert!(files.contains(&"handing-over-the-role-1.png".to_string()), "the kept page's image stays: {files:?}");
    assert!(files.contains(&"what-the-lead-professional-does.md".to_string()), "{files:?}");
    assert!(files.contains(&"local-contacts.md".to_string()), "{files:?}");
    assert!(!report.contains("local-contacts"), "{report}");
    // The page without a record is kept too, and listed.
    assert_eq!(read(&section, "the-lead-professional-role.md"), legacy);
    assert!(
        report.contains("guidance.docx: content/lead-professional-guidance/the-lead-professional-role.md was written by an earlier import of this file, which had a heading this one does not, but it has no `# import record`"),
        "{report}"
    );
    assert!(report.contains("The imported pages pass `handbook check`"), "{report}");
    build(&root);

    // Importing another file into the same folder never removes this one's pages.
    let other = docx_with(
        &fixture("lead-professional.docx"),
        &first,
        "other.docx",
        &[("Choosing the Lead Professional", "Picking the Lead Professional")],
    );
    let o = import(&root, &["--force", "--into", "content/lead-professional-guidance", other.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("removed "), "{}", stdout(&o));
    assert!(section.join("agreeing-the-lead-professional.md").is_file());
}
