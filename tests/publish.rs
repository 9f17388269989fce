//! Publishing: the 404 page's links with `publish_path` and `base_url`,
//! and their mistakes reported at their line. (publish.test.js serves a
//! site behind a real nginx.)

mod common;
use common::*;
use std::path::Path;

const TODAY: &str = "2027-01-15";

/// A copy of the test handbook with `lines` put at the top of handbook.toml
/// (after a `[table]` header they would belong to that table).
fn handbook_with(name: &str, lines: &str) -> std::path::PathBuf {
    let root = new_handbook(name);
    let toml = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    write(&root, "handbook.toml", &format!("{lines}{toml}"));
    root
}

fn hrefs(html: &str) -> Vec<&str> {
    between(html, "href=\"", "\"").into_iter().chain(between(html, "src=\"", "\"")).collect()
}

fn check(root: &Path) -> (bool, String) {
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    (o.status.success(), stderr(&o))
}

#[test]
fn publish_path_makes_every_link_and_asset_of_the_404_page_start_from_that_folder() {
    let site = build(&handbook_with("publish-path", "publish_path = \"/guides/early-help/\"\n"), TODAY);
    let page = read(&site, "404.html");
    let links: Vec<&str> = hrefs(&page).into_iter().filter(|h| !h.starts_with('#') && !h.contains(':')).collect();
    assert!(links.len() > 10, "{links:?}");
    for link in &links {
        assert!(link.starts_with("/guides/early-help/"), "{link} in 404.html");
    }
    assert!(links.contains(&"/guides/early-help/assets/style.css"));
    assert!(page.contains("action=\"/guides/early-help/search.html\""));
    // Only the 404 page: every other page stays relative.
    let other = read(&site, "early-help/index.html");
    assert!(other.contains("href=\"../assets/style.css\""));
    assert!(!other.contains("/guides/early-help/"));
}

#[test]
fn without_publish_path_the_404_page_takes_the_folder_of_base_url_else_stays_relative() {
    let site = build(&handbook_with("base-url", "base_url = \"https://www.example.gov.uk/handbook/\"\n"), TODAY);
    let page = read(&site, "404.html");
    assert!(page.contains("href=\"/handbook/assets/style.css\""), "{page}");
    assert!(page.contains("href=\"/handbook/index.html\""));

    let site = build(&handbook_with("base-url-root", "base_url = \"https://handbook.example.gov.uk\"\n"), TODAY);
    assert!(read(&site, "404.html").contains("href=\"/assets/style.css\""));

    let both = "base_url = \"https://www.example.gov.uk/handbook/\"\npublish_path = \"/preview/\"\n";
    let site = build(&handbook_with("both", both), TODAY);
    assert!(read(&site, "404.html").contains("href=\"/preview/assets/style.css\""));

    let site = build(&new_handbook("neither"), TODAY);
    let page = read(&site, "404.html");
    assert!(page.contains("href=\"assets/style.css\""));
    assert!(!hrefs(&page).iter().any(|h| h.starts_with('/')), "relative links only");
}

#[test]
fn a_bad_publish_path_or_base_url_is_reported_at_its_line() {
    let cases = [
        ("publish_path = \"handbook/\"\n", "must start and end with `/`"),
        ("publish_path = \"/handbook\"\n", "must start and end with `/`"),
        ("publish_path = \"/a//b/\"\n", "empty, `.` or `..` folder"),
        ("publish_path = \"/../b/\"\n", "empty, `.` or `..` folder"),
        ("publish_path = \"/my handbook/\"\n", "holds a space"),
        ("base_url = \"www.example.gov.uk/handbook/\"\n", "is not a web address"),
        ("base_url = \"https://www.example.gov.uk/handbook\"\n", "must end with `/`"),
        ("base_url = \"https:///handbook/\"\n", "is not a web address"),
    ];
    for (i, (line, expected)) in cases.iter().enumerate() {
        let root = handbook_with(&format!("bad-path-{i}"), &format!("# a comment\n{line}"));
        let (ok, err) = check(&root);
        assert!(!ok, "{line}");
        let at = err.lines().find(|l| l.contains(expected)).unwrap_or_else(|| panic!("{line}: {err}"));
        assert!(at.starts_with("handbook.toml:2:"), "{at}");
        assert!(at.contains("error:"), "{at}");
    }
    let (ok, err) = check(&handbook_with("publish-wrong-type", "publish_path = 3\n"));
    assert!(!ok);
    assert!(err.contains("handbook.toml:1:"), "{err}");
}
