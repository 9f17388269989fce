//! Review dates with a fixed clock: "Last reviewed", the overdue notice on
//! pages, `check` listing overdue pages, and the Amendments page.

mod common;
use common::*;

const NOTICE: &str = "This page is due for review.";

#[test]
fn pages_past_their_review_date_say_so_and_others_do_not() {
    // privacy.md: reviewed 2026-06-01, every 12 months: due 1 June 2027.
    let site = build(&test_handbook(), "2027-06-15");
    let privacy = read(&site, "about/privacy.html");
    assert!(privacy.contains(NOTICE), "overdue page shows the notice");
    assert!(privacy.contains("It was last reviewed on 1 June 2026 and was due for review on 1 June 2027."));
    assert!(privacy.contains("Last reviewed 1 June 2026. Next review due 1 June 2027."));
    let meeting = read(&site, "team-around-the-family/the-meeting.html");
    assert!(!meeting.contains(NOTICE), "a page within its review period has no notice");
    assert!(meeting.contains("Last reviewed 1 October 2026"));
    assert!(
        meeting.contains("Last reviewed 1 October 2026</p>") || meeting.contains("· Last reviewed 1 October 2026 ·"),
        "print footer"
    );

    // On its due date a page is not yet overdue; the day after it is.
    let site = build(&test_handbook(), "2027-06-01");
    assert!(!read(&site, "about/privacy.html").contains(NOTICE));
    let site = build(&test_handbook(), "2027-06-02");
    assert!(read(&site, "about/privacy.html").contains(NOTICE));
}

#[test]
fn check_lists_overdue_pages_with_their_file_and_line() {
    let o = run(&["check", "--root", test_handbook().to_str().unwrap()], "2027-06-15");
    assert_eq!(o.status.code(), Some(0), "overdue reviews are warnings");
    let err = stderr(&o);
    let overdue: Vec<&str> = err.lines().filter(|l| l.contains("review overdue")).collect();
    assert_eq!(
        overdue,
        [
            "content/about/privacy.md:5:12: warning: review overdue: \"Privacy notice\" was last reviewed on 1 June 2026 and was due for review on 1 June 2027"
        ],
        "{err}"
    );
    let o = run(&["check", "--root", test_handbook().to_str().unwrap()], "2027-10-02");
    let err = stderr(&o);
    let n = err.lines().filter(|l| l.contains("review overdue")).count();
    assert!(n > 20, "after October 2027 almost every page is overdue: {n}");
    assert!(err.contains("content/team-around-the-family/the-meeting.md:5:12: warning: review overdue: \"The meeting\""));
    let o = run(&["check", "--root", test_handbook().to_str().unwrap()], "2026-12-01");
    assert!(!stderr(&o).contains("review overdue"), "{}", stderr(&o));
}

#[test]
fn the_amendments_page_lists_change_notes_newest_first() {
    let site = build(&test_handbook(), "2026-12-01");
    let html = read(&site, "amendments.html");
    let titles: Vec<&str> =
        between(&html, "<h2><a href=\"", "</a></h2>").iter().map(|s| s.split("\">").nth(1).unwrap()).collect();
    assert_eq!(titles, ["Changing the Lead Professional", "The meeting", "Who leads at each status", "Privacy notice"]);
    assert!(html.contains("<time datetime=\"2026-11-01\">1 November 2026</time>"));
    assert!(html.contains("Added guidance on handing over after a step-down."));
    assert!(html.contains("href=\"lead-professional/changing.html\""));
    // Pages without a change note are not listed.
    assert!(!html.contains("Accessibility statement</a></h2>"));
    // In the navigation of every page.
    assert!(read(&site, "early-help/assessment.html").contains("href=\"../amendments.html\">Amendments</a>"));
}

#[test]
fn amendments_without_a_date_come_last_and_an_empty_list_says_so() {
    let root = new_handbook("amend");
    write(&root, "content/undated.md", "+++\ntitle = \"Undated\"\nchanges = \"Rewritten.\"\n+++\n\nText.\n");
    let site = build(&root, "2026-12-01");
    let html = read(&site, "amendments.html");
    let last = between(&html, "<h2><a href=\"", "</a></h2>").last().copied().unwrap();
    assert!(last.ends_with("Undated"), "{last}");
    assert!(html.contains("Date of review not recorded"));

    let root = temp("amend-empty");
    write(&root, "handbook.toml", "title = \"T\"\nauthority = \"A\"\n");
    write(&root, "content/index.md", "+++\ntitle = \"Home\"\n+++\n\nHello.\n");
    let site = build(&root, "2026-12-01");
    assert!(read(&site, "amendments.html").contains("No amendments have been recorded yet."));
}
