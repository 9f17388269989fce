//! The theme stays in the binary: `handbook new` writes no templates, a
//! handbook's templates/ holds only what it changes, `handbook theme`
//! lists and copies the defaults, overrides can extend them, and copies of
//! an older default are warned about. The real binary on temp folders.

mod common;

use common::{build, default_handbook, files, read, repo, run, s, snapshot, stderr, write};
use std::collections::BTreeMap;
use std::path::Path;

const TODAY: &str = "2026-06-01";

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
fn new_writes_only_a_readme_in_templates_and_builds() {
    let hb = default_handbook("theme-new");
    assert_eq!(files(&hb.join("templates")), ["README.md"]);
    let readme = read(&hb, "templates/README.md");
    assert!(readme.contains("handbook theme copy"), "{readme}");
    assert!(readme.contains("{% extends \"default/page.html\" %}"), "{readme}");
    let site = build(&hb, TODAY);
    assert!(!site.join("README.md").exists() && !site.join("assets/README.md").exists());
    let ours = site_files(&site);
    assert!(ours.contains_key("index.html") && ours.contains_key("assets/style.css"));
    // The built-in theme in full: every page kind, every asset.
    for rel in ["early-help/index.html", "glossary.html", "search.html", "404.html", "assets/nav.js", "assets/forms.css"] {
        assert!(ours.contains_key(rel), "{rel}");
    }
}

#[test]
fn a_handbook_made_by_the_old_new_still_builds_the_same_site() {
    let hb = default_handbook("theme-new-again");
    let ours = site_files(&build(&hb, TODAY));
    // The old `new` copied every template: each overrides its default.
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

/// The status column `theme list` gives `name`.
fn listed<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.strip_prefix(name).filter(|rest| rest.starts_with(' ')).map(str::trim))
        .unwrap_or_else(|| panic!("{name} is not listed:\n{out}"))
}

#[test]
fn list_shows_every_default_and_the_overrides() {
    let hb = default_handbook("theme-list");
    let o = run(&["theme", "list", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // Every file of the repository's templates/ but its README is a default.
    for rel in files(&repo().join("templates")).into_iter().filter(|r| r != "README.md") {
        assert_eq!(listed(&out, &rel), "built in", "{rel}");
    }
    assert!(out.contains("0 of "), "{out}");

    write(&hb, "templates/page.html", "{% extends \"base.html\" %}{% block content %}mine{% endblock content %}\n");
    write(&hb, "templates/assets/style.css", "body { color: #000; }\n");
    write(&hb, "templates/assets/extra.js", "/* ours */\n");
    write(&hb, "templates/pgae.html", "<p>a typo</p>\n");
    let o = run(&["theme", "list", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(listed(&out, "page.html"), "overridden by templates/page.html");
    assert_eq!(listed(&out, "assets/style.css"), "overridden by templates/assets/style.css");
    assert_eq!(listed(&out, "base.html"), "built in");
    assert!(listed(&out, "assets/extra.js").starts_with("added"), "{out}");
    assert!(listed(&out, "pgae.html").starts_with("added"), "{out}");
    assert!(!out.contains("README"), "the README is not listed:\n{out}");
    assert!(out.contains("2 of "), "{out}");
    // A template that replaces nothing is likely a typo: a located warning.
    let err = stderr(&o);
    assert!(
        err.lines().any(|l| l.starts_with("templates/pgae.html:1:1: warning:") && l.contains("did you mean page.html?")),
        "{err}"
    );
    assert!(!err.contains("extra.js"), "an added script of the council's own is not a typo:\n{err}");
}

#[test]
fn a_copy_is_edited_and_used() {
    let hb = default_handbook("theme-copy");
    let o = run(&["theme", "copy", "page.html", "templates/assets/style.css", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    let copy = read(&hb, "templates/page.html");
    let default = std::fs::read_to_string(repo().join("templates/page.html")).unwrap();
    assert!(copy.ends_with(&default), "the copy holds the default:\n{copy}");
    assert!(hb.join("templates/assets/style.css").exists());
    // An unedited copy builds the default site.
    let site = build(&hb, TODAY);
    assert!(read(&site, "lead-professional/index.html").contains("class=\"pager\""));

    let edited =
        copy.replace("<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1>\n<p class=\"edition\">Northshire edition</p>");
    assert_ne!(edited, copy);
    write(&hb, "templates/page.html", &edited);
    let site = build(&hb, TODAY);
    let page = read(&site, "early-help/index.html");
    assert!(page.contains("<p class=\"edition\">Northshire edition</p>"), "{page}");
    assert!(page.contains("class=\"site-footer\""), "the rest of the default layout stays");
    let o = run(&["theme", "list", "--root", s(&hb)], TODAY);
    assert_eq!(listed(&String::from_utf8_lossy(&o.stdout), "page.html"), "overridden by templates/page.html");
}

#[test]
fn copy_refuses_to_overwrite_without_force() {
    let hb = default_handbook("theme-force");
    write(&hb, "templates/page.html", "{% extends \"default/page.html\" %}\n");
    let o = run(&["theme", "copy", "base.html", "page.html", "--root", s(&hb)], TODAY);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("templates/page.html already exists"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(read(&hb, "templates/page.html"), "{% extends \"default/page.html\" %}\n", "the council's file is kept");
    assert!(!hb.join("templates/base.html").exists(), "nothing is copied when one name is refused");

    let o = run(&["theme", "copy", "--force", "page.html", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&hb, "templates/page.html").contains("{% block content %}"));
}

#[test]
fn copy_of_an_unknown_name_lists_close_names() {
    let hb = default_handbook("theme-unknown");
    let o = run(&["theme", "copy", "page.html", "pgae.html", "style.css", "--root", s(&hb)], TODAY);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("`pgae.html`") && err.contains("did you mean `page.html`"), "{err}");
    assert!(err.contains("`style.css`") && err.contains("`assets/style.css`"), "{err}");
    assert_eq!(files(&hb.join("templates")), ["README.md"], "nothing was copied");
    // Usage errors: no name, a --root that is not a folder.
    assert_eq!(run(&["theme", "copy", "--root", s(&hb)], TODAY).status.code(), Some(2));
    assert_eq!(run(&["theme"], TODAY).status.code(), Some(2));
    let help = run(&["theme", "--help"], TODAY);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(help.contains("list") && help.contains("copy") && help.contains("diff"), "{help}");
    let missing = hb.join("no-such-folder");
    assert_eq!(run(&["theme", "list", "--root", s(&missing)], TODAY).status.code(), Some(2));
}

/// The example `page.html` of the templates/README.md `new` writes.
fn readme_example(hb: &Path) -> String {
    let readme = read(hb, "templates/README.md");
    let part = readme.split("## Changing one part").nth(1).unwrap();
    part.split("```\n").nth(1).expect("an example in a code block").to_string()
}

#[test]
fn an_override_extends_the_default_and_changes_one_block() {
    let plain = default_handbook("theme-plain");
    let before = build(&plain, TODAY);

    let hb = default_handbook("theme-extend");
    let example = readme_example(&hb);
    assert!(example.starts_with("{% extends \"default/page.html\" %}\n"), "{example}");
    write(&hb, "templates/page.html", &example);
    let after = build(&hb, TODAY);
    let added = "\n<p class=\"edition\">Northshire edition: check local contacts with the Early Help Hub.</p>\n";
    // A guidance page and a section page (section.html extends page.html,
    // so it reaches the override): the default around the one block changed.
    for rel in ["assessment/consent-and-sharing.html", "early-help/index.html"] {
        let (old, new) = (read(&before, rel), read(&after, rel));
        assert_eq!(new.matches(added).count(), 1, "{rel}:\n{new}");
        assert_eq!(new.replacen(added, "", 1), old, "{rel}: only the block changed");
        assert!(new.contains("class=\"pager\"") && new.contains("class=\"site-footer\""), "{rel}");
    }
    // A page with its own template keeps the default.
    assert_eq!(read(&after, "glossary.html"), read(&before, "glossary.html"));

    // A base.html that extends the default and replaces the footer changes
    // every page, whatever template it has.
    write(
        &hb,
        "templates/base.html",
        "{% extends \"default/base.html\" %}\n{% block footer %}<footer class=\"site-footer\"><p>Northshire Children's Services</p></footer>{% endblock footer %}\n",
    );
    let after = build(&hb, TODAY);
    for rel in ["index.html", "glossary.html", "assessment/consent-and-sharing.html", "forms/index.html"] {
        let page = read(&after, rel);
        assert!(page.contains("<p>Northshire Children's Services</p></footer>"), "{rel}");
        assert!(!page.contains("Printed copies may be out of date"), "{rel}: the default footer is gone");
        assert!(page.contains("class=\"site-header\""), "{rel}: the default header stays");
    }
    assert!(read(&after, "assessment/consent-and-sharing.html").contains("Northshire edition"), "page.html still applies");
}

#[test]
fn mistakes_in_extending_are_located_errors() {
    let hb = default_handbook("theme-extend-errors");
    // Extending itself instead of the default.
    write(&hb, "templates/page.html", "{% extends \"page.html\" %}\n{% block body %}x{% endblock body %}\n");
    let o = run(&["check", "--root", s(&hb)], TODAY);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("templates/page.html:1:1: error:") && l.contains("`{% extends \"default/page.html\" %}`")),
        "{err}"
    );
    // A block the default does not have.
    write(&hb, "templates/page.html", "{% extends \"default/page.html\" %}\n{% block sidebar %}x{% endblock sidebar %}\n");
    let err = stderr(&run(&["check", "--root", s(&hb)], TODAY));
    assert!(err.lines().any(|l| l.starts_with("templates/page.html:2:") && l.contains("sidebar")), "{err}");
    // templates/default/ is kept for the built-in templates.
    std::fs::remove_file(hb.join("templates/page.html")).unwrap();
    write(&hb, "templates/default/page.html", "<p>mine</p>\n");
    let o = run(&["check", "--root", s(&hb)], TODAY);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("templates/default/page.html:1:1: error: templates/default/ is kept"), "{}", stderr(&o));
}

#[test]
fn copies_are_stamped_and_a_stale_stamp_warns() {
    let plain = default_handbook("theme-stamp-plain");
    let before = build(&plain, TODAY);
    let hb = default_handbook("theme-stamp");
    let o = run(&["theme", "copy", "page.html", "nav.html", "assets/style.css", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&hb, "templates/page.html");
    let first = page.lines().next().unwrap();
    assert!(first.starts_with("{# handbook theme: page.html xxh3:") && first.ends_with(" -#}"), "{first}");
    let css = read(&hb, "templates/assets/style.css");
    assert!(css.lines().next().unwrap().starts_with("/* handbook theme: assets/style.css xxh3:"), "{css}");

    // A current stamp: no warning, and the stamp shows in no page.
    let o = run(&["check", "--root", s(&hb)], TODAY);
    assert!(o.status.success() && !stderr(&o).contains("warning"), "{}", stderr(&o));
    let after = build(&hb, TODAY);
    for rel in files(&before).into_iter().filter(|r| r.ends_with(".html")) {
        assert_eq!(read(&after, &rel), read(&before, &rel), "{rel}");
    }

    // A copy of an older default: the stamp's version is not the built-in one.
    let (stamp, rest) = page.split_once('\n').unwrap();
    let version = stamp.split_whitespace().find(|w| w.starts_with("xxh3:")).unwrap();
    let old = format!("{}\n{rest}", stamp.replace(version, "xxh3:0123456789abcdef"));
    write(&hb, "templates/page.html", &old.replace("<h1>{{ page.title }}</h1>", "<h1 class=\"ours\">{{ page.title }}</h1>"));
    let warning = "templates/page.html:1:1: warning: templates/page.html was copied from an older default page.html; \
                   compare with `handbook theme diff page.html` or copy again";
    for cmd in ["check", "build"] {
        let o = run(&[cmd, "--root", s(&hb)], TODAY);
        assert!(o.status.success(), "{cmd}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.lines().any(|l| l.starts_with(warning)), "{cmd}:\n{err}");
        assert_eq!(err.matches("copied from an older default").count(), 1, "only page.html is old:\n{err}");
    }
    assert!(
        read(&hb.join("site"), "assessment/consent-and-sharing.html").contains("<h1 class=\"ours\">"),
        "a stale copy is still used"
    );
    let o = run(&["theme", "list", "--root", s(&hb)], TODAY);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(listed(&out, "page.html").contains("older built-in file"), "{out}");
    assert!(listed(&out, "nav.html").contains("the same as the built-in file"), "{out}");
    assert!(stderr(&o).lines().any(|l| l.starts_with(warning)), "{}", stderr(&o));

    // `theme diff` shows what the copy changes, without the stamp line.
    let o = run(&["theme", "diff", "page.html", "--root", s(&hb)], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("--- built-in page.html") && out.contains("+++ templates/page.html"), "{out}");
    assert!(out.contains("\n-{% block page_heading %}<h1>{{ page.title }}</h1>\n"), "{out}");
    assert!(out.contains("\n+{% block page_heading %}<h1 class=\"ours\">{{ page.title }}</h1>\n"), "{out}");
    assert!(!out.contains("handbook theme:"), "{out}");
    let o = run(&["theme", "diff", "nav.html", "--root", s(&hb)], TODAY);
    assert!(String::from_utf8_lossy(&o.stdout).contains("the same as the built-in nav.html"));
    assert_eq!(run(&["theme", "diff", "base.html", "--root", s(&hb)], TODAY).status.code(), Some(2));

    // Without a stamp the file is the council's own business: no warning.
    write(&hb, "templates/page.html", rest);
    let o = run(&["check", "--root", s(&hb)], TODAY);
    assert!(o.status.success() && !stderr(&o).contains("warning"), "{}", stderr(&o));
}
