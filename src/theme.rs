//! The theme built into the binary, and a handbook's own templates/ laid
//! over it. A handbook holds only the files it changes, so every later fix
//! to the other defaults reaches it with the next version of handbook.
//!
//! Every default template is reachable as `default/NAME` too, so an
//! override can extend the default and change one block instead of copying
//! the whole file. `handbook theme copy` stamps a copy with a hash of the
//! default it came from; `load` warns when that default has since changed.

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::files::{self, Depth};
use crate::site::defaults::DEFAULT_FILES;
use std::collections::BTreeMap;
use std::path::Path;

/// The handbook folder's templates folder.
pub const DIR: &str = "templates";

/// The prefix under which every default template is also registered in
/// Tera: `{% extends "default/page.html" %}`.
pub const DEFAULT_PREFIX: &str = "default/";

/// What a file in templates/ is to the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A Tera template (`.html`, `.xml`, and `.css` made per document such
    /// as print.css), anywhere but assets/.
    Template,
    /// A file under assets/, copied into the site as it is.
    Asset,
    /// The interface's words in one language, `lang/cy.toml` (see
    /// `crate::strings`): a handbook's own is laid over the built-in one
    /// key by key.
    Strings,
    /// Anything else (a README, notes): neither published nor an error.
    Ignored,
}

/// What `name` (a path under templates/, `/`-separated) is to the theme.
pub fn role(name: &str) -> Role {
    let file = name.rsplit('/').next().unwrap_or(name);
    if file.to_ascii_lowercase().starts_with("readme") {
        Role::Ignored
    } else if name.starts_with("assets/") {
        Role::Asset
    } else if name.strip_prefix("lang/").is_some_and(|f| f.ends_with(".toml") && !f.contains('/')) {
        Role::Strings
    } else if [".html", ".xml", ".css"].iter().any(|ext| name.ends_with(ext)) {
        Role::Template
    } else {
        Role::Ignored
    }
}

/// Every default template and asset, by name under templates/, sorted.
pub fn defaults() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    DEFAULT_FILES
        .iter()
        .filter_map(|(path, bytes)| path.strip_prefix("templates/").map(|name| (name, *bytes)))
        .filter(|(name, _)| role(name) != Role::Ignored)
}

/// The default file called `name`, if there is one.
pub fn default(name: &str) -> Option<&'static [u8]> {
    defaults().find(|(n, _)| *n == name).map(|(_, b)| b)
}

/// Every default template, by name, with its source.
pub fn default_templates() -> Vec<(&'static str, &'static str)> {
    defaults()
        .filter(|(name, _)| role(name) == Role::Template)
        // The defaults are this repository's own templates, checked by its tests.
        .map(|(name, bytes)| (name, std::str::from_utf8(bytes).expect("default templates are UTF-8")))
        .collect()
}

/// The README.md `handbook new` writes into templates/.
pub fn readme() -> &'static [u8] {
    DEFAULT_FILES.iter().find(|(p, _)| *p == "templates/README.md").map(|(_, b)| *b).unwrap_or_default()
}

/// The version of a default: a hash of its bytes.
pub fn version(bytes: &[u8]) -> String {
    format!("xxh3:{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The comment `theme copy` puts on the first line of a copy of the
/// default `name`, or `None` for files that cannot hold one (images).
/// Templates get a Tera comment that trims the line break after it, so
/// the copy renders byte for byte like the default.
pub fn stamp(name: &str, bytes: &[u8]) -> Option<String> {
    let words = format!("handbook theme: {name} {}", version(bytes));
    match role(name) {
        Role::Template => Some(format!("{{# {words} -#}}\n")),
        Role::Asset if name.ends_with(".css") || name.ends_with(".js") => Some(format!("/* {words} */\n")),
        Role::Strings => Some(format!("# {words}\n")),
        _ => None,
    }
}

/// What a stamp says: the default a file was copied from, and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub name: String,
    pub version: String,
}

/// The stamp on the first line of `bytes`, if it has one.
pub fn read_stamp(bytes: &[u8]) -> Option<Stamp> {
    let line = bytes.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim();
    let inner = line
        .strip_prefix("{#")
        .and_then(|l| l.strip_suffix("#}"))
        .or_else(|| line.strip_prefix("/*").and_then(|l| l.strip_suffix("*/")))
        .or_else(|| line.strip_prefix('#').filter(|l| l.trim_start().starts_with("handbook theme:")))?;
    let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
    let mut words = inner.strip_prefix("handbook theme:")?.split_whitespace();
    let (name, version) = (words.next()?, words.next()?);
    if words.next().is_some() || !version.contains(':') {
        return None;
    }
    Some(Stamp { name: name.to_string(), version: version.to_string() })
}

/// `bytes` without its stamp line, if it has one.
pub fn without_stamp(bytes: &[u8]) -> &[u8] {
    if read_stamp(bytes).is_none() {
        return bytes;
    }
    match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => &bytes[i + 1..],
        None => &[],
    }
}

/// A warning for the handbook's file `name` (under templates/) when its
/// stamp names an older version of a default than the one built in. A
/// file without a stamp is the handbook's own business: no warning.
pub fn stale(name: &str, bytes: &[u8]) -> Option<Diagnostic> {
    let stamp = read_stamp(bytes)?;
    let at = Location::new(&format!("{DIR}/{name}"), 1, 1);
    match default(&stamp.name) {
        None => Some(at.warning(format!(
            "{DIR}/{name} was copied from the default {}, which this version of handbook no longer has; \
             see `handbook theme list` for the defaults there are now",
            stamp.name
        ))),
        Some(now) if version(now) != stamp.version => Some(at.warning(format!(
            "{DIR}/{name} was copied from an older default {0}; compare with `handbook theme diff {0}` \
             or copy again (`handbook theme copy --force {0}`)",
            stamp.name
        ))),
        Some(_) => None,
    }
}

/// The names of the blocks `source` defines, in order. Written by hand
/// because Tera keeps a template's blocks to itself; it only needs to find
/// `{% block NAME %}` tags, which cannot nest inside anything else.
pub fn blocks(source: &str) -> Vec<String> {
    tags(source, "block")
}

/// The template `source` extends, if any.
pub fn extends(source: &str) -> Option<String> {
    tags(source, "extends").into_iter().next().map(|s| s.trim_matches(['"', '\'']).to_string())
}

/// The first word after `keyword` in every `{% keyword ... %}` tag.
fn tags(source: &str, keyword: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(i) = rest.find("{%") {
        rest = &rest[i + 2..];
        let tag = rest.trim_start_matches('-').trim_start();
        if let Some(after) = tag.strip_prefix(keyword)
            && after.starts_with(char::is_whitespace)
            && let Some(word) = after.split_whitespace().next()
        {
            out.push(word.to_string());
        }
    }
    out
}

/// Up to three default names close to `wrong`, closest first, for the
/// error about a name that is not a default.
pub fn close_names(wrong: &str) -> Vec<&'static str> {
    let wrong = wrong.to_ascii_lowercase();
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_string();
    let mut scored: Vec<(usize, &'static str)> = defaults()
        .map(|(name, _)| {
            let lower = name.to_ascii_lowercase();
            let d = strsim::levenshtein(&wrong, &lower).min(strsim::levenshtein(&base(&wrong), &base(&lower)));
            let d = if lower.contains(&wrong) || base(&lower) == base(&wrong) { 0 } else { d };
            (d, name)
        })
        .filter(|(d, _)| *d <= 2.max(wrong.len() / 4))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// The handbook's own files in templates/, by name under templates/.
fn own_files(root: &Path) -> (Vec<(String, Vec<u8>)>, Diagnostics) {
    let mut sink = Diagnostics::default();
    let files = files::read(root, DIR, Depth::All, None, &mut sink)
        .into_iter()
        .map(|f| (f.path.strip_prefix("templates/").unwrap_or(&f.path).to_string(), f.bytes))
        .collect();
    (files, sink)
}

/// `handbook theme list`: every default, which of them the handbook
/// replaces, and the handbook's files that replace nothing (a misspelt
/// name is a warning). Returns the exit status.
pub fn list(root: &Path) -> i32 {
    let (own, mut sink) = own_files(root);
    let mine: BTreeMap<&str, &[u8]> = own.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let width = defaults().map(|(n, _)| n.len()).chain(mine.keys().map(|n| n.len())).max().unwrap_or(20) + 2;
    let mut overridden = 0;
    println!("{:width$}in this handbook", "built-in file");
    for (name, default) in defaults() {
        let Some(&bytes) = mine.get(name) else {
            println!("{name:width$}built in");
            continue;
        };
        overridden += 1;
        let mut note = String::new();
        if without_stamp(bytes) == default {
            note = " (the same as the built-in file: delete it to follow later fixes)".to_string();
        } else if let Some(d) = stale(name, bytes) {
            note = format!(" (copied from an older built-in file: `handbook theme diff {name}`)");
            sink.push(d);
        }
        println!("{name:width$}overridden by {DIR}/{name}{note}");
    }
    let mut added = 0;
    for (&name, _) in mine.iter().filter(|(n, _)| default(n).is_none()) {
        let role = role(name);
        if role == Role::Ignored {
            if !name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase().starts_with("readme") {
                println!(
                    "{name:width$}ignored: {DIR}/{name} is not a template (.html, .xml, .css), not in assets/ and not a language's words (lang/NAME.toml)"
                );
            }
            continue;
        }
        added += 1;
        println!("{name:width$}added: {DIR}/{name} (no built-in file has this name)");
        let near = close_names(name);
        let at = Location::new(&format!("{DIR}/{name}"), 1, 1);
        let hint = match near.first() {
            Some(n) => format!(" (did you mean {n}?)"),
            None => String::new(),
        };
        if role == Role::Template {
            sink.push(at.warning(format!(
                "no built-in template is called {name}{hint}; it is used only where another template extends or includes it"
            )));
        } else if role == Role::Strings {
            println!(
                "{:width$}(the interface's words for a language with none built in: used when handbook.toml's language is it)",
                ""
            );
        } else if !near.is_empty() {
            sink.push(
                at.warning(format!(
                    "no built-in asset is called {name}{hint}; it is published as it is, beside the built-in one"
                )),
            );
        }
    }
    println!();
    println!(
        "{overridden} of {} built-in files overridden, {added} added. `handbook theme copy NAME` copies one into {DIR}/ to edit.",
        defaults().count()
    );
    sink.sorted().print();
    0
}

/// A name as a user may type it: `page.html`, `templates/page.html`,
/// `./templates/assets/style.css`.
fn normalise(name: &str) -> &str {
    let name = name.trim_start_matches("./");
    name.strip_prefix("templates/").unwrap_or(name)
}

/// `handbook theme copy NAME...`: writes defaults into templates/ to edit.
/// Nothing is written unless every name is a default and, without
/// `force`, none is there already. Returns the exit status.
pub fn copy(root: &Path, names: &[String], force: bool) -> i32 {
    let mut wanted: Vec<(&str, &'static [u8])> = Vec::new();
    let mut bad = false;
    for raw in names {
        let name = normalise(raw);
        match default(name) {
            Some(bytes) => {
                if !wanted.iter().any(|(n, _)| *n == name) {
                    wanted.push((name, bytes));
                }
            }
            None => {
                bad = true;
                eprintln!("error: {}", unknown(raw));
            }
        }
    }
    if bad {
        eprintln!("nothing was copied");
        return 2;
    }
    let existing: Vec<&str> = wanted.iter().map(|(n, _)| *n).filter(|n| root.join(DIR).join(n).exists()).collect();
    if !existing.is_empty() && !force {
        for name in &existing {
            eprintln!("error: {DIR}/{name} already exists, and theme copy does not overwrite it without --force");
        }
        eprintln!(
            "nothing was copied; run again with --force to replace your copies with the built-in files (your changes in them are lost)"
        );
        return 2;
    }
    for (name, bytes) in &wanted {
        let dest = root.join(DIR).join(name);
        let written =
            dest.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&dest, copy_of(name, bytes)));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", dest.display());
            return 1;
        }
        println!("Copied {name} to {DIR}/{name}");
    }
    println!(
        "Edit your copy there: it replaces the built-in file. To change one block of a template and keep the rest built in, extend the default instead (see {DIR}/README.md)."
    );
    0
}

/// The bytes `theme copy` writes for the default `name`: the default with
/// its stamp on the first line, when it can hold one.
pub fn copy_of(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = stamp(name, bytes).map(String::into_bytes).unwrap_or_default();
    out.extend_from_slice(bytes);
    out
}

/// `handbook theme diff NAME`: the handbook's copy against the built-in
/// file it replaces (the one its stamp names, or the one of its name), as
/// a unified diff: `-` lines are the built-in file's, `+` lines the copy's.
pub fn diff(root: &Path, raw: &str) -> i32 {
    let name = normalise(raw);
    let path = root.join(DIR).join(name);
    let Ok(mine) = std::fs::read(&path) else {
        let known = if default(name).is_some() { format!("the built-in {name} is used as it is") } else { unknown(raw) };
        eprintln!("error: {DIR}/{name} is not in this handbook, so there is nothing to compare; {known}");
        return 2;
    };
    let of = read_stamp(&mine).map(|s| s.name).filter(|n| default(n).is_some()).unwrap_or_else(|| name.to_string());
    let Some(builtin) = default(&of) else {
        eprintln!("error: {DIR}/{name} replaces no built-in file; {}", unknown(raw));
        return 2;
    };
    let body = without_stamp(&mine);
    if body == builtin {
        println!("{DIR}/{name} is the same as the built-in {of} (delete it to follow later fixes)");
        return 0;
    }
    let (Ok(old), Ok(new)) = (std::str::from_utf8(builtin), std::str::from_utf8(body)) else {
        println!("{DIR}/{name} differs from the built-in {of} (not text, so no lines to show)");
        return 0;
    };
    let diff = similar::TextDiff::from_lines(old, new);
    print!("{}", diff.unified_diff().header(&format!("built-in {of}"), &format!("{DIR}/{name}")));
    0
}

/// The rest of the error about a name that is not a default.
fn unknown(raw: &str) -> String {
    let near = close_names(normalise(raw));
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!("did you mean {}? ", near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "))
    };
    format!("there is no built-in template or asset called `{raw}`; {hint}(`handbook theme list` shows them all)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_files_in_templates() {
        assert_eq!(role("page.html"), Role::Template);
        assert_eq!(role("print.css"), Role::Template);
        assert_eq!(role("partials/card.html"), Role::Template);
        assert_eq!(role("assets/style.css"), Role::Asset);
        assert_eq!(role("assets/logo.png"), Role::Asset);
        assert_eq!(role("lang/cy.toml"), Role::Strings);
        assert_eq!(role("lang/x/cy.toml"), Role::Ignored);
        for name in ["README.md", "readme.txt", "assets/README.md", "notes.txt", "page.html.orig"] {
            assert_eq!(role(name), Role::Ignored, "{name}");
        }
    }

    #[test]
    fn the_defaults_are_the_repository_templates_without_the_readme() {
        let names: Vec<&str> = defaults().map(|(n, _)| n).collect();
        assert!(names.contains(&"base.html") && names.contains(&"page.html") && names.contains(&"assets/style.css"));
        assert!(!names.iter().any(|n| n.contains("README")));
        assert!(String::from_utf8_lossy(readme()).contains("{% extends \"default/page.html\" %}"));
        assert!(default("page.html").is_some() && default("pgae.html").is_none());
    }

    #[test]
    fn stamps_round_trip_and_change_nothing_rendered() {
        let bytes = default("page.html").unwrap();
        let line = stamp("page.html", bytes).unwrap();
        assert!(line.starts_with("{# handbook theme: page.html xxh3:") && line.ends_with(" -#}\n"), "{line}");
        let copy = [line.as_bytes(), bytes].concat();
        assert_eq!(read_stamp(&copy), Some(Stamp { name: "page.html".into(), version: version(bytes) }));
        assert_eq!(without_stamp(&copy), bytes);
        assert!(stale("page.html", &copy).is_none());

        let css = stamp("assets/style.css", b"body {}").unwrap();
        assert!(css.starts_with("/* handbook theme: assets/style.css xxh3:") && css.ends_with(" */\n"), "{css}");
        assert!(read_stamp(css.as_bytes()).is_some());
        assert_eq!(stamp("assets/logo.png", b"\x89PNG"), None);

        // Not stamps: an ordinary first comment, a stamp further down.
        assert_eq!(read_stamp(b"{#- The layout every page extends. -#}\n"), None);
        assert_eq!(read_stamp(b"<p>\n{# handbook theme: page.html xxh3:00 #}\n"), None);
        assert_eq!(without_stamp(b"<p>hi</p>\n"), b"<p>hi</p>\n");
    }

    #[test]
    fn an_older_stamp_is_stale() {
        let old = b"{# handbook theme: page.html xxh3:0000000000000000 -#}\n<p>mine</p>\n";
        let d = stale("page.html", old).unwrap();
        assert_eq!(d.to_string().split(": warning: ").next(), Some("templates/page.html:1:1"));
        assert!(d.message.contains("copied from an older default page.html"), "{d}");
        assert!(d.message.contains("handbook theme diff page.html"), "{d}");
        let gone = stale("mine.html", b"{# handbook theme: gone.html xxh3:00 -#}\n").unwrap();
        assert!(gone.message.contains("no longer has"), "{gone}");
        assert!(stale("page.html", b"<p>no stamp</p>").is_none());
    }

    #[test]
    fn blocks_and_extends_are_found() {
        let src = "{% extends \"base.html\" %}\n{%- block head %}x{% endblock head %}{% block content -%}\n{% block toc %}{% endblock %}{% endblock content %}";
        assert_eq!(blocks(src), ["head", "content", "toc"]);
        assert_eq!(extends(src).as_deref(), Some("base.html"));
        assert_eq!(extends("<p>{% if blockx %}{% endif %}</p>"), None);
        assert!(blocks("{% if blockx %}{% endif %}{% blocky %}").is_empty());
    }

    /// The `code` spans of a Markdown table cell.
    fn spans(cell: &str) -> Vec<&str> {
        cell.split('`').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_readme_lists_every_template_with_its_real_blocks() {
        let readme = String::from_utf8_lossy(readme()).into_owned();
        let table = readme.split("## Templates and their blocks").nth(1).expect("the blocks table");
        let mut rows = std::collections::BTreeMap::new();
        for line in table.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
            assert_eq!(cells.len(), 4, "{line}");
            rows.insert(spans(cells[0])[0].to_string(), (spans(cells[2]), spans(cells[3])));
        }
        let templates = default_templates();
        for (name, source) in &templates {
            let (extended, documented) = rows.get(*name).unwrap_or_else(|| panic!("templates/README.md has no row for {name}"));
            assert_eq!(*documented, blocks(source), "the blocks of {name} in templates/README.md");
            assert_eq!(extended.first().copied(), extends(source).as_deref(), "what {name} extends");
        }
        for name in rows.keys() {
            assert!(templates.iter().any(|(n, _)| n == name), "templates/README.md names {name}, which is not a template");
        }
        // Every block described under "### Blocks of NAME" is in NAME.
        for part in readme.split("### Blocks of ").skip(1) {
            let name = part.lines().next().unwrap().trim();
            let source = templates.iter().find(|(n, _)| *n == name).map(|(_, s)| *s).expect(name);
            let described: Vec<&str> =
                part.lines().filter_map(|l| l.strip_prefix("- `")).filter_map(|l| l.split('`').next()).collect();
            assert!(!described.is_empty(), "{name}");
            for block in described {
                assert!(blocks(source).iter().any(|b| b == block), "{name} has no block `{block}`");
            }
        }
    }

    #[test]
    fn the_blocks_the_project_readme_names_are_there() {
        let readme = include_str!("../README.md");
        let para = readme.split("The blocks to replace:").nth(1).expect("README.md names the blocks");
        let para = para.split("\n\n").next().unwrap();
        let templates = default_templates();
        let all: Vec<String> =
            ["base.html", "page.html"].iter().flat_map(|n| blocks(templates.iter().find(|(t, _)| t == n).unwrap().1)).collect();
        let named: Vec<&str> =
            spans(para).into_iter().filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '_')).collect();
        assert!(named.len() >= 10, "{named:?}");
        for block in named {
            assert!(all.iter().any(|b| b == block), "README.md names a block `{block}` that base.html and page.html lack");
        }
    }

    #[test]
    fn layouts_offer_the_blocks_to_override() {
        let base = default_templates().into_iter().find(|(n, _)| *n == "base.html").unwrap().1;
        for block in ["title", "head", "header", "nav", "breadcrumbs", "content", "footer"] {
            assert!(blocks(base).iter().any(|b| b == block), "base.html has no block {block}");
        }
        let page = default_templates().into_iter().find(|(n, _)| *n == "page.html").unwrap().1;
        for block in ["content", "page_heading", "toc", "body", "pager"] {
            assert!(blocks(page).iter().any(|b| b == block), "page.html has no block {block}");
        }
    }

    #[test]
    fn close_names_of_a_typo() {
        assert_eq!(close_names("pgae.html").first(), Some(&"page.html"));
        assert!(close_names("style.css").contains(&"assets/style.css"));
        assert!(close_names("entirely-unrelated-name.txt").is_empty());
    }
}
