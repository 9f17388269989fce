//! Guidance pages, section pages, the glossary, the A to Z, the 404 page,
//! and the Amendments page with its feed.

use super::{OutputFile, Renderer};
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Body, Heading};
use crate::paths;
use crate::site::Site;
use crate::text::iso_date;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    description: Option<&'a str>,
    content: &'a str,
    toc: Vec<&'a Heading>,
    reviewed: Option<String>,
    review_due: Option<String>,
    overdue: bool,
    owner: Option<&'a str>,
    changes: Option<&'a str>,
    is_section: bool,
    children: Vec<Link<'a>>,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
}

#[derive(Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
}

pub fn render_pages(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let by_url = pages_by_url(r.site);
    r.site.pages.par_iter().zip(&r.compiled.pages).map(|(page, body)| render_page(r, &by_url, page, body)).collect()
}

/// Every page by its output URL: what `render_page` looks neighbours up in.
pub fn pages_by_url(site: &Site) -> HashMap<&str, &Page> {
    site.pages.iter().map(|p| (p.url.as_str(), p)).collect()
}

/// One page's HTML from its rendered Markdown.
pub fn render_page(r: &Renderer, by_url: &HashMap<&str, &Page>, page: &Page, body: &Body) -> Result<OutputFile, Diagnostic> {
    let link = |url: &str| by_url.get(url).map(|p| Link { title: &p.title, url: &p.url, description: p.description.as_deref() });
    let mut chrome = r.chrome(&page.url, &page.title, None);
    chrome.description = page.description.as_deref();
    chrome.reviewed = page.reviewed.map(|d| r.site.strings.date(d));
    let (prev, next) = r.nav.neighbours(&page.url);
    // A section page whose author wrote their own "In this section"
    // gets no generated list (and no second heading with that id).
    let own_list = body.headings.iter().any(|h| h.id == "in-this-section");
    let children: Vec<Link> = if page.url == paths::HOME {
        // The home page lists every section, the generated ones (forms,
        // decision guides, glossary) too.
        r.nav
            .top
            .iter()
            .map(|n| {
                let description = r.map.get(&n.url).and_then(|e| e.description.as_deref());
                Link { title: &n.title, url: &n.url, description }
            })
            .collect()
    } else if page.is_index && !own_list {
        r.nav.node(&page.url).map(|n| &n.children[..]).unwrap_or(&[]).iter().filter_map(|n| link(&n.url)).collect()
    } else {
        Vec::new()
    };
    let due = page.review_due();
    let data = PageData {
        title: &page.title,
        description: page.description.as_deref(),
        content: &body.html,
        toc: body.headings.iter().filter(|h| h.level <= 3).collect(),
        reviewed: page.reviewed.map(|d| r.site.strings.date(d)),
        review_due: due.map(|d| r.site.strings.date(d)),
        overdue: due.is_some_and(|d| d < r.site.today),
        owner: page.owner.as_deref(),
        changes: page.changes.as_deref(),
        is_section: page.is_index,
        children,
        prev: prev.and_then(link),
        next: next.and_then(link),
    };
    let template = match () {
        _ if page.url == paths::HOME => "home.html",
        _ if page.is_index => "section.html",
        _ => "page.html",
    };
    r.page(template, &chrome, &data)
}

#[derive(Serialize)]
struct GlossaryData<'a> {
    title: &'a str,
    intro: Option<String>,
    terms: Vec<TermData<'a>>,
}

#[derive(Serialize)]
struct TermData<'a> {
    term: &'a str,
    anchor: &'a str,
    expansion: Option<&'a str>,
    definition: String,
}

/// The glossary page.
pub fn render_glossary(r: &Renderer) -> Option<Result<OutputFile, Diagnostic>> {
    let g = r.site.glossary.as_ref()?;
    let intro = g.intro.as_ref().map(|md| r.compiled.html(md));
    let terms = g
        .terms
        .iter()
        .map(|t| TermData {
            term: &t.term,
            anchor: &t.anchor,
            expansion: t.expansion.as_deref(),
            definition: r.compiled.html(&t.definition),
        })
        .collect();
    let chrome = r.chrome(paths::GLOSSARY, &g.title, None);
    Some(r.page("glossary.html", &chrome, &GlossaryData { title: &g.title, intro, terms }))
}

#[derive(Serialize)]
struct AzData<'a> {
    title: &'a str,
    letters: Vec<Letter<'a>>,
}

#[derive(Serialize)]
struct Letter<'a> {
    letter: String,
    anchor: String,
    entries: Vec<Link<'a>>,
}

/// Every page by title, A to Z: what the search box leads to without JavaScript.
pub fn render_az(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let mut letters: Vec<Letter> = Vec::new();
    for e in r.map.a_to_z() {
        let e = Link { title: &e.title, url: &e.url, description: e.description.as_deref() };
        let first = e.title.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
        let letter = if first.chars().all(|c| c.is_alphabetic()) { first } else { "#".into() };
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.entries.push(e),
            _ => {
                let anchor = if letter == "#" { "other".to_string() } else { letter.to_lowercase() };
                letters.push(Letter { letter, anchor, entries: vec![e] })
            }
        }
    }
    let title = r.title(paths::A_TO_Z);
    let chrome = r.chrome(paths::A_TO_Z, title, None);
    r.page("search.html", &chrome, &AzData { title, letters })
}

/// The 404 page. A web server sends it for a missing page at any depth
/// (`/handbook/a/b/missing.html`), so links relative to it would point into
/// a folder that may not exist: they start from the site's folder on the
/// server instead (`publish_path`, or the path of `base_url`) when one is known.
pub fn render_not_found(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    #[derive(Serialize)]
    struct NotFound<'a> {
        title: &'a str,
    }
    let title = r.title(paths::NOT_FOUND);
    let mut chrome = r.chrome(paths::NOT_FOUND, title, None);
    if let Some(root) = r.site.config.not_found_root() {
        chrome.root = root;
    }
    r.page("404.html", &chrome, &NotFound { title })
}

#[derive(Serialize)]
struct Amendment<'a> {
    title: &'a str,
    url: &'a str,
    section: String,
    reviewed: Option<String>,
    /// `YYYY-MM-DD` for the `<time>` element.
    reviewed_iso: Option<String>,
    changes: &'a str,
}

/// Every page with a `changes` note, newest review first.
fn amended(site: &Site) -> Vec<&Page> {
    let mut pages: Vec<&Page> =
        site.pages.iter().filter(|p| p.changes.as_deref().is_some_and(|c| !c.trim().is_empty())).collect();
    pages.sort_by(|a, b| b.reviewed.cmp(&a.reviewed).then_with(|| a.title.cmp(&b.title)));
    pages
}

/// The Amendments page: every page with a `changes` note, newest review first.
pub fn render_amendments(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let entries: Vec<Amendment> = amended(r.site)
        .into_iter()
        .map(|p| Amendment {
            title: &p.title,
            url: &p.url,
            section: section_of(r, p),
            reviewed: p.reviewed.map(|d| r.site.strings.date(d)),
            reviewed_iso: p.reviewed.map(iso_date),
            changes: p.changes.as_deref().unwrap_or("").trim(),
        })
        .collect();
    #[derive(Serialize)]
    struct Data<'a> {
        title: &'a str,
        entries: Vec<Amendment<'a>>,
        feed: &'a str,
    }
    let title = r.title(paths::AMENDMENTS);
    let chrome = r.chrome(paths::AMENDMENTS, title, None);
    r.page("amendments.html", &chrome, &Data { title, entries, feed: paths::AMENDMENTS_FEED })
}

fn section_of(r: &Renderer, p: &Page) -> String {
    r.nav.breadcrumbs(&p.url, None, "").iter().skip(1).map(|c| c.title.as_str()).collect::<Vec<_>>().join(" › ")
}

/// One entry of the feed.
#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    id: String,
    /// Absolute with `base_url`, else relative to the feed (at the site's root).
    link: String,
    /// RFC 3339, as Atom's `updated` needs.
    updated: String,
    section: String,
    summary: &'a str,
}

/// The Atom feed (RFC 4287) of the Amendments page, newest first, so that
/// practitioners can follow changes in a feed reader or an email digest.
/// Atom needs a date on every entry: notes on pages without a `reviewed`
/// date are left out of the feed (the Amendments page still lists them).
///
/// Atom ids must be absolute IRIs that never change. With `base_url` they are
/// the pages' addresses; without one there is no address to use, so they are
/// `urn:uuid:`s made from a hash of the authority, the handbook's title and
/// the page (a name-based UUID, version 8 of RFC 9562). A new review of a page
/// is a new entry: the review date is part of its id.
pub fn render_amendments_feed(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let config = &r.site.config;
    let base = config.base_url();
    let link = |url: &str| match &base {
        Some(base) => format!("{base}{url}"),
        None => url.to_string(),
    };
    let id = |what: &str| match &base {
        Some(base) => format!("{base}{what}"),
        None => name_uuid(&[&config.authority, &config.title, what]),
    };
    let rfc3339 = |d: time::Date| format!("{}T00:00:00Z", iso_date(d));
    let pages: Vec<&Page> = amended(r.site).into_iter().filter(|p| p.reviewed.is_some()).collect();
    let entries: Vec<FeedEntry> = pages
        .iter()
        .filter_map(|p| {
            let reviewed = p.reviewed?;
            Some(FeedEntry {
                title: &p.title,
                id: id(&format!("{}#reviewed-{}", p.url, iso_date(reviewed))),
                link: link(&p.url),
                updated: rfc3339(reviewed),
                section: section_of(r, p),
                summary: p.changes.as_deref().unwrap_or("").trim(),
            })
        })
        .collect();
    // The newest review; with none, the day of the build.
    let updated = rfc3339(pages.first().and_then(|p| p.reviewed).unwrap_or(r.site.today));
    #[derive(Serialize)]
    struct Feed<'a> {
        title: &'a str,
        id: String,
        updated: String,
        self_link: String,
        page_link: String,
        entries: Vec<FeedEntry<'a>>,
    }
    let title = r.title(paths::AMENDMENTS_FEED);
    let data = Feed {
        title,
        id: id(paths::AMENDMENTS_FEED),
        updated,
        self_link: link(paths::AMENDMENTS_FEED),
        page_link: link(paths::AMENDMENTS),
        entries,
    };
    let chrome = r.chrome(paths::AMENDMENTS_FEED, title, None);
    r.page("amendments.xml", &chrome, &data)
}

/// `urn:uuid:` of the parts, stable from build to build: a name-based UUID
/// (RFC 9562 version 8, "custom") from the 128-bit xxh3 hash of the parts.
fn name_uuid(parts: &[&str]) -> String {
    let joined = parts.join("\u{1f}");
    let mut b = xxhash_rust::xxh3::xxh3_128(joined.as_bytes()).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x80; // version 8
    b[8] = (b[8] & 0x3f) | 0x80; // the RFC 9562 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
