//! Guidance pages, section pages, the glossary, the A to Z and the 404 page.

use super::{OutputFile, Renderer};
use crate::build::Site;
use crate::content::{Page, format_date};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Heading, Rendered, Source};
use crate::search::{SearchDoc, SearchHeading};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Markdown of every page, in parallel.
pub fn render_bodies(r: &Renderer) -> Vec<Rendered> {
    let terms = r.site.glossary.as_ref().map(|g| g.terms_to_mark());
    r.site.pages.par_iter().map(|page| render_body(r, page, terms.as_ref())).collect()
}

/// Markdown of one page (`serve` re-renders only the pages that changed).
pub fn render_body(r: &Renderer, page: &Page, terms: Option<&markdown::Terms>) -> Rendered {
    let src = Source { path: &page.source, file_text: &page.body, offset: 0, url: &page.url };
    let mut out = markdown::render(&page.body, &src, &r.targets, terms);
    // Body positions are counted from the front matter's end.
    for d in &mut out.diagnostics {
        d.line += page.body_line - 1;
    }
    for a in &mut out.anchors {
        a.at.line += page.body_line - 1;
    }
    out
}

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

pub fn render_pages(r: &Renderer, bodies: &[Rendered]) -> Vec<Result<OutputFile, Diagnostic>> {
    let by_url = pages_by_url(r.site);
    r.site.pages.par_iter().zip(bodies).map(|(page, body)| render_page(r, &by_url, page, body)).collect()
}

/// Every page by its output URL: what `render_page` looks neighbours up in.
pub fn pages_by_url(site: &Site) -> HashMap<&str, &Page> {
    site.pages.iter().map(|p| (p.url.as_str(), p)).collect()
}

/// One page's HTML from its rendered Markdown.
pub fn render_page(r: &Renderer, by_url: &HashMap<&str, &Page>, page: &Page, body: &Rendered) -> Result<OutputFile, Diagnostic> {
    let link = |url: &str| by_url.get(url).map(|p| Link { title: &p.title, url: &p.url, description: p.description.as_deref() });
    let mut chrome = r.chrome(&page.url, &page.title, None);
    chrome.description = page.description.as_deref();
    chrome.reviewed = page.reviewed.map(format_date);
    let (prev, next) = r.nav.neighbours(&page.url);
    // A section page whose author wrote their own "In this section"
    // gets no generated list (and no second heading with that id).
    let own_list = body.headings.iter().any(|h| h.id == "in-this-section");
    let children: Vec<Link> = if page.is_index && !own_list {
        let nodes =
            if page.url == "index.html" { &r.nav.top[..] } else { r.nav.node(&page.url).map(|n| &n.children[..]).unwrap_or(&[]) };
        nodes.iter().filter_map(|n| link(&n.url)).collect()
    } else {
        Vec::new()
    };
    let due = page.review_due();
    let data = PageData {
        title: &page.title,
        description: page.description.as_deref(),
        content: &body.html,
        toc: body.headings.iter().filter(|h| h.level <= 3).collect(),
        reviewed: page.reviewed.map(format_date),
        review_due: due.map(format_date),
        overdue: due.is_some_and(|d| d < r.site.today),
        owner: page.owner.as_deref(),
        changes: page.changes.as_deref(),
        is_section: page.is_index,
        children,
        prev: prev.and_then(link),
        next: next.and_then(link),
    };
    let template = if page.is_index && page.url != "index.html" { "section.html" } else { "page.html" };
    r.page(template, &chrome, &data)
}

/// `check` and `build` both warn about pages past their review date.
pub fn review_warnings(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter_map(|p| {
            let due = p.review_due()?;
            (due < site.today).then(|| {
                p.reviewed_at.warning(format!(
                    "review overdue: \"{}\" was last reviewed on {} and was due for review on {}",
                    p.title,
                    format_date(p.reviewed.unwrap()),
                    format_date(due)
                ))
            })
        })
        .collect()
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

/// The glossary page; its Markdown is added to `rendered` so its links are checked.
pub fn render_glossary<'a>(r: &Renderer, rendered: &mut Vec<(&'a str, Rendered)>) -> Option<Result<OutputFile, Diagnostic>> {
    let g = r.site.glossary.as_ref()?;
    let url = crate::glossary::URL;
    let path = crate::glossary::FILE;
    let md = |text: &str, offset: usize, rendered: &mut Vec<(&'a str, Rendered)>| {
        let out = markdown::render_snippet(text, path, &g.text, offset, url, &r.targets);
        let html = out.html.clone();
        rendered.push((url, out));
        html
    };
    let intro = g.intro.as_ref().map(|(text, at)| md(text, *at, rendered));
    let terms = g
        .terms
        .iter()
        .map(|t| TermData {
            term: &t.term,
            anchor: &t.anchor,
            expansion: t.expansion.as_deref(),
            definition: md(&t.definition, t.definition_at, rendered),
        })
        .collect();
    let chrome = r.chrome(url, &g.title, None);
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
    let mut entries: Vec<Link> =
        r.site.pages.iter().map(|p| Link { title: &p.title, url: &p.url, description: p.description.as_deref() }).collect();
    if let Some(g) = &r.site.glossary {
        entries.push(Link { title: &g.title, url: crate::glossary::URL, description: None });
    }
    entries.push(Link {
        title: "Amendments",
        url: super::AMENDMENTS_URL,
        description: Some("What changed at each page's last review."),
    });
    let packs: Vec<(String, &crate::config::Pack)> = r.site.config.pack.iter().map(|p| (super::packs::url(p), p)).collect();
    if !packs.is_empty() {
        entries.push(Link { title: "Course packs", url: super::packs::INDEX_URL, description: None });
    }
    for (url, p) in &packs {
        entries.push(Link { title: &p.title, url, description: Some("Course pack: printable pages and blank forms.") });
    }
    let forms: Vec<(String, &str)> = r.site.forms.forms.iter().map(|f| (f.url(), f.title.as_str())).collect();
    let trees: Vec<(String, &str)> = r.site.trees.trees.iter().map(|t| (t.url(), t.title.as_str())).collect();
    for (url, title) in forms.iter().chain(&trees) {
        entries.push(Link { title, url, description: None });
    }
    entries.sort_by_key(|e| e.title.to_lowercase());
    let mut letters: Vec<Letter> = Vec::new();
    for e in entries {
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
    let title = "A to Z";
    let chrome = r.chrome(super::AZ_URL, title, None);
    r.page("search.html", &chrome, &AzData { title, letters })
}

pub fn render_not_found(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    #[derive(Serialize)]
    struct NotFound<'a> {
        title: &'a str,
    }
    let title = "Page not found";
    let chrome = r.chrome(super::NOT_FOUND_URL, title, None);
    r.page("404.html", &chrome, &NotFound { title })
}

/// What search finds in each page and in the glossary.
pub fn search_docs(r: &Renderer, bodies: &[&Rendered]) -> Vec<SearchDoc> {
    let section = |url: &str| {
        let crumbs = r.nav.breadcrumbs(url, None, "");
        crumbs.iter().skip(1).map(|c| c.title.as_str()).collect::<Vec<_>>().join(" › ")
    };
    let mut docs: Vec<SearchDoc> = r
        .site
        .pages
        .iter()
        .zip(bodies)
        .map(|(page, body)| {
            let lead = page.description.as_deref().map(|d| format!("{d}\n")).unwrap_or_default();
            let headings = body
                .headings
                .iter()
                .zip(&body.heading_at)
                .map(|(h, at)| SearchHeading { id: h.id.clone(), text: h.text.clone(), at: at + lead.len() })
                .collect();
            SearchDoc {
                url: page.url.clone(),
                title: page.title.clone(),
                section: section(&page.url),
                headings,
                text: lead + &body.text,
            }
        })
        .collect();
    if let Some(g) = &r.site.glossary {
        let mut doc = SearchDoc { url: crate::glossary::URL.into(), title: g.title.clone(), ..Default::default() };
        if let Some((intro, at)) = &g.intro {
            doc.text = markdown::render_snippet(intro, crate::glossary::FILE, &g.text, *at, &doc.url, &r.targets).text;
        }
        for t in &g.terms {
            let text = match &t.expansion {
                Some(e) => format!("{} ({e})", t.term),
                None => t.term.clone(),
            };
            doc.text.push('\n');
            doc.headings.push(SearchHeading { id: t.anchor.clone(), text: text.clone(), at: doc.text.len() });
            doc.text.push_str(&text);
            doc.text.push('\n');
            let definition =
                markdown::render_snippet(&t.definition, crate::glossary::FILE, &g.text, t.definition_at, &doc.url, &r.targets);
            doc.text.push_str(definition.text.trim());
        }
        docs.push(doc);
    }
    docs
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

/// The Amendments page: every page with a `changes` note, newest review first.
pub fn render_amendments(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let mut pages: Vec<&Page> =
        r.site.pages.iter().filter(|p| p.changes.as_deref().is_some_and(|c| !c.trim().is_empty())).collect();
    pages.sort_by(|a, b| b.reviewed.cmp(&a.reviewed).then_with(|| a.title.cmp(&b.title)));
    let entries: Vec<Amendment> = pages
        .iter()
        .map(|p| Amendment {
            title: &p.title,
            url: &p.url,
            section: r.nav.breadcrumbs(&p.url, None, "").iter().skip(1).map(|c| c.title.as_str()).collect::<Vec<_>>().join(" › "),
            reviewed: p.reviewed.map(format_date),
            reviewed_iso: p.reviewed.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())),
            changes: p.changes.as_deref().unwrap_or("").trim(),
        })
        .collect();
    #[derive(Serialize)]
    struct Data<'a> {
        title: &'a str,
        entries: Vec<Amendment<'a>>,
    }
    let title = "Amendments";
    let chrome = r.chrome(super::AMENDMENTS_URL, title, None);
    r.page("amendments.html", &chrome, &Data { title, entries })
}
