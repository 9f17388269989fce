//! The theme stays in the binary: `handbook new` writes no templates, a
//! handbook's templates/ holds only what it changes, `handbook theme`
//! lists and copies the defaults, overrides can extend them, and copies of
//! an older default are warned about. The real binary on temp folders.

mod common;

use common::{build, default_handbook, files, read, repo, run, snapshot, stderr, write};
use std::collections::BTreeMap;
use std::path::Path;

const TODAY: &str = "2026-06-01";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file of a built site but the build's own manifest.
fn site_files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = snapshot(site);
    all.remove(".handbook-build");
    all
}

/// The repository's templates/, copied into `root/templates` the way
/// `handbook new` did before the theme stayed in the binary.
fn copy_every_default(root: &Path) {
    for rel in files(&repo().join("templates")) {
        if rel != "README.md" {
            let dest = root.join("templates").join(&rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(repo().join("templates").join(&rel), dest).unwrap();
        }
    }
}

#[test]
fn new_writes_only_a_readme_in_templates_and_builds_the_same_site() {
    let hb = default_handbook("theme-new");
    assert_eq!(files(&hb.join("templates")), ["README.md"]);
    let readme = read(&hb, "templates/README.md");
    assert!(readme.contains("handbook theme copy"), "{readme}");
    let site = build(&hb, TODAY);
    assert!(!site.join("README.md").exists() && !site.join("assets/README.md").exists());
    let ours = site_files(&site);
    assert!(ours.contains_key("index.html") && ours.contains_key("assets/style.css"));

    // A handbook made by the old `new` (every template copied) builds the
    // very same site.
    let old = default_handbook("theme-old-new");
    std::fs::remove_file(old.join("templates/README.md")).unwrap();
    copy_every_default(&old);
    let o = run(&["check", "--root", s(&old)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("templates/"), "no warnings about the copied templates:\n{}", stderr(&o));
    let theirs = site_files(&build(&old, TODAY));
    let differ: Vec<&String> = ours.keys().filter(|k| ours.get(*k) != theirs.get(*k)).collect();
    assert!(differ.is_empty() && ours.len() == theirs.len(), "these files differ: {differ:?}");
}

#[test]
fn a_readme_or_notes_in_templates_are_neither_published_nor_errors() {
    let hb = default_handbook("theme-notes");
    write(&hb, "templates/notes.txt", "Ask the web team before changing the footer.\n");
    write(&hb, "templates/assets/README.md", "# Our assets\n");
    write(&hb, "templates/partials/README", "\u{0}\u{ff} not text");
    let o = run(&["check", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("templates/"), "{}", stderr(&o));
    let site = build(&hb, TODAY);
    let published = files(&site);
    for name in ["README.md", "notes.txt", "assets/README.md", "partials/README", "README"] {
        assert!(!published.iter().any(|f| f == name), "{name} was published");
    }
}
