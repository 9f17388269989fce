//! Paths and URLs: where every generated page is written, and the helpers
//! that join, relativise and decode `/`-separated paths. Site URLs are
//! relative to the site root and never start with `/`, so a built site
//! works from disk and under any folder.

use std::path::Path;

/// The home page.
pub const HOME: &str = "index.html";
/// The glossary page (from glossary.toml).
pub const GLOSSARY: &str = "glossary.html";
/// Every page by title: where the search box leads without JavaScript.
pub const A_TO_Z: &str = "search.html";
pub const AMENDMENTS: &str = "amendments.html";
/// The Atom feed of amendments (linked from the Amendments page).
pub const AMENDMENTS_FEED: &str = "amendments.xml";
pub const NOT_FOUND: &str = "404.html";
/// The list of every form and outcomes framework.
pub const FORMS_INDEX: &str = "forms/index.html";
/// Saved on this device: the drafts the forms keep in the browser.
pub const SAVED_DRAFTS: &str = "forms/saved.html";
/// The list of every decision tree.
pub const DECISIONS_INDEX: &str = "decisions/index.html";
/// The list of every course pack.
pub const PACKS_INDEX: &str = "packs/index.html";
/// The colours from handbook.toml, as CSS custom properties.
pub const THEME_CSS: &str = "assets/theme.css";
/// The file a page loads first when someone searches (from `assets/search.js`).
pub const SEARCH_INDEX: &str = "assets/search-index.js";
/// The folder of search index shards and document files.
pub const SEARCH_DIR: &str = "assets/search";

/// A form's or outcomes framework's page.
pub fn form(id: &str) -> String {
    format!("forms/{id}.html")
}

/// The JSON Schema of a form's answers file.
pub fn form_schema(id: &str) -> String {
    format!("forms/{id}.schema.json")
}

/// The folder every page of a decision tree sits in.
pub fn tree_folder(id: &str) -> String {
    format!("decisions/{id}/")
}

/// A decision tree's start question: the page links to the tree go to.
pub fn tree(id: &str) -> String {
    format!("decisions/{id}/index.html")
}

/// A course pack.
pub fn pack(id: &str) -> String {
    format!("packs/{id}.html")
}

/// Where a printed document's stylesheet (`print.css`: running header and
/// footer) is written: beside the document.
pub fn print_css(url: &str) -> String {
    format!("{}.print.css", url.trim_end_matches(".html"))
}

/// The logo, copied with its own extension.
pub fn logo(ext: &str) -> String {
    format!("assets/logo.{}", ext.to_lowercase())
}

/// `root`-relative path with forward slashes.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Joins a relative link onto the folder of `from` (both `/`-separated,
/// relative to the same root) and removes `.` and `..`; `None` if it climbs
/// above the root.
pub fn join_path(from_file: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%xx` escapes in a URL path; `None` when an escape is broken or
/// the bytes are not UTF-8 (a server must refuse such a path). Written by
/// hand: the percent-encoding crate passes a broken escape through as it is,
/// and a server must refuse it instead.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The relative URL from the page at `from` to `to` (both site-relative).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts[..to_parts.len() - 1]).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// `../` once per folder level of `url`: prefix to reach the site root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Does the link name a scheme (`https:`, `mailto:`)? Such links are left alone.
pub fn is_external(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => dest.starts_with("//"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(join_path("content/a/b.md", "../c/d.md").as_deref(), Some("content/c/d.md"));
        assert_eq!(join_path("content/b.md", "../../x"), None);
        assert_eq!(relative_url("a/b/c.html", "x/y.html"), "../../x/y.html");
        assert_eq!(relative_url("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_url("index.html", "a/c.html"), "a/c.html");
        assert_eq!(relative_url("a/b/c.html", "a/d.html"), "../d.html");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("a%2"), None);
    }
}
