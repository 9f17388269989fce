//! Course packs for trainers: each `[[pack]]` in handbook.toml becomes one
//! printable document (`packs/<id>.html`) with a cover, a contents list, and
//! every page and blank form in order, each starting on a new printed page.
//! Links between pages in the pack become links inside the document.

use super::{OutputFile, Renderer};
use crate::config::{self, Pack};
use crate::content::{Page, format_date};
use crate::diagnostics::{Diagnostic, Location};
use crate::forms::Form;
use crate::markdown::{self, RenderOptions, Source};
use serde::Serialize;
use std::collections::HashMap;

pub const INDEX_URL: &str = "packs/index.html";

/// Where a pack is built.
pub fn url(pack: &Pack) -> String {
    format!("packs/{}.html", pack.id.get_ref())
}

/// One thing in a pack, found from its source path.
enum Item<'a> {
    Page(&'a Page),
    Form(&'a Form),
}

impl Item<'_> {
    fn url(&self) -> String {
        match self {
            Item::Page(p) => p.url.clone(),
            Item::Form(f) => f.url(),
        }
    }
}

/// The anchor an item starts at inside the pack: from its URL, so it is
/// unique and stays the same when the pack's order changes.
fn anchor(url: &str) -> String {
    format!("pack-{}", url.trim_end_matches(".html").replace('/', "-"))
}

/// Finds every page and form a pack names; each one that is missing is an
/// error at its line in handbook.toml.
fn resolve<'a>(r: &'a Renderer, pack: &Pack) -> Result<Vec<Item<'a>>, Vec<Diagnostic>> {
    let site = r.site;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, &Location> = HashMap::new();
    let id = pack.id.get_ref();
    for (entry, at) in pack.contents.iter().zip(&pack.contents_at) {
        let raw = entry.get_ref().trim();
        if raw.contains('#') {
            errors.push(at.error(format!(
                "pack `{id}`: `{raw}` names a heading; a pack holds whole pages and forms, so give the file without `#...`"
            )));
            continue;
        }
        let path = raw.trim_start_matches("./").trim_end_matches('/');
        let page = site.pages.iter().find(|p| {
            p.source == path
                || (p.is_index && p.source.strip_suffix("/index.md").or(p.source.strip_suffix("index.md")) == Some(path))
        });
        let item = match page {
            Some(p) => Item::Page(p),
            None => match site.forms.forms.iter().find(|f| f.source == path) {
                Some(f) => Item::Form(f),
                None => {
                    errors.push(at.error(missing_message(r, id, path)));
                    continue;
                }
            },
        };
        let url = item.url();
        if let Some(first) = seen.get(&url) {
            errors.push(at.error(format!("pack `{id}`: `{raw}` is already in this pack (line {}); list it once", first.line)));
            continue;
        }
        seen.insert(url, at);
        items.push(item);
    }
    if errors.is_empty() { Ok(items) } else { Err(errors) }
}

fn missing_message(r: &Renderer, id: &str, path: &str) -> String {
    let site = r.site;
    if site.trees.trees.iter().any(|t| t.source == path) {
        return format!(
            "pack `{id}`: `{path}` is a decision tree; a pack holds pages (`content/...md`) and forms (`forms/...toml`), so add a page that links to it instead"
        );
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let similar: Vec<&str> = site
        .pages
        .iter()
        .map(|p| p.source.as_str())
        .chain(site.forms.forms.iter().map(|f| f.source.as_str()))
        .filter(|s| s.rsplit('/').next() == Some(name))
        .take(3)
        .collect();
    let hint = if similar.is_empty() {
        "give pages as `content/...md` and forms as `forms/...toml`, from the handbook folder".to_string()
    } else {
        format!("did you mean {}?", similar.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or "))
    };
    let draft = if path.ends_with(".md") && site.root.join(path).is_file() { " (is it a draft?)" } else { "" };
    format!("pack `{id}`: there is no page or form `{path}`{draft}; {hint}")
}

/// A blank form in a pack: the form's own printable body, fields unfilled.
fn blank_form(r: &Renderer, form: &Form) -> Result<String, Diagnostic> {
    super::forms::printable_form(r, form)
}

#[derive(Serialize)]
struct ItemData<'a> {
    anchor: String,
    title: &'a str,
    is_form: bool,
    description: Option<&'a str>,
    reviewed: Option<String>,
    /// The item's own page on the site, relative to the site root.
    url: String,
    html: String,
}

#[derive(Serialize)]
struct PackData<'a> {
    id: &'a str,
    title: &'a str,
    audience: Option<&'a str>,
    intro: Option<String>,
    items: Vec<ItemData<'a>>,
    /// The pack's print stylesheet (running header and footer), from the site root.
    print_css: String,
}

#[derive(Serialize)]
struct PackSummary<'a> {
    title: &'a str,
    url: String,
    audience: Option<&'a str>,
    intro: Option<String>,
    pages: usize,
    forms: usize,
}

/// Every pack and the packs index. Problems (missing pages) come back as
/// diagnostics; the packs that are fine are still rendered for `check`.
pub fn render_packs(r: &Renderer) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let packs = &r.site.config.pack;
    if packs.is_empty() {
        return (files, diagnostics);
    }
    let terms = r.site.glossary.as_ref().map(|g| g.terms_to_mark());
    let mut summaries = Vec::new();
    for pack in packs {
        let items = match resolve(r, pack) {
            Ok(items) => items,
            Err(mut e) => {
                diagnostics.append(&mut e);
                continue;
            }
        };
        let pack_url = url(pack);
        let inside: HashMap<String, String> = items.iter().map(|i| (i.url(), anchor(&i.url()))).collect();
        let intro = pack.intro.as_ref().map(|text| {
            let text = text.get_ref();
            let src = Source { path: config::FILE, file_text: text, offset: 0, url: &pack_url };
            let opts = RenderOptions { heading_shift: 1, id_prefix: Some("pack-intro"), inside: Some(&inside) };
            let mut out = markdown::render_with(text, &src, &r.targets, None, &opts);
            for d in &mut out.diagnostics {
                d.line += pack.intro_line.saturating_sub(1);
            }
            diagnostics.append(&mut out.diagnostics);
            out.html
        });
        let mut data = Vec::new();
        for item in &items {
            let item_url = item.url();
            let anchor = anchor(&item_url);
            match item {
                Item::Page(page) => {
                    let src = Source { path: &page.source, file_text: &page.body, offset: 0, url: &pack_url };
                    let opts = RenderOptions { heading_shift: 1, id_prefix: Some(&anchor), inside: Some(&inside) };
                    // The page's own problems were reported when the page was built.
                    let body = markdown::render_with(&page.body, &src, &r.targets, terms.as_ref(), &opts);
                    data.push(ItemData {
                        title: &page.title,
                        is_form: false,
                        description: page.description.as_deref(),
                        reviewed: page.reviewed.map(format_date),
                        url: item_url,
                        html: body.html,
                        anchor,
                    });
                }
                Item::Form(form) => match blank_form(r, form) {
                    Ok(html) => data.push(ItemData {
                        title: &form.title,
                        is_form: true,
                        description: None,
                        reviewed: None,
                        url: item_url,
                        html,
                        anchor,
                    }),
                    Err(d) => diagnostics.push(d),
                },
            }
        }
        let forms = items.iter().filter(|i| matches!(i, Item::Form(_))).count();
        summaries.push(PackSummary {
            title: &pack.title,
            url: pack_url.clone(),
            audience: pack.audience.as_deref(),
            intro: intro.clone(),
            pages: items.len() - forms,
            forms,
        });
        let print_css = super::forms::print_css_url(&pack_url);
        let mut print = super::forms::PrintView::new(r, &pack.title, None);
        for item in &data {
            print.part(&item.anchor, item.title);
        }
        match super::forms::print_css(r, &print_css, &print) {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
        let chrome = r.chrome(&pack_url, &pack.title, None);
        let page = PackData {
            id: pack.id.get_ref(),
            title: &pack.title,
            audience: pack.audience.as_deref(),
            intro,
            items: data,
            print_css,
        };
        match r.page("pack.html", &chrome, &page) {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    #[derive(Serialize)]
    struct IndexData<'a> {
        title: &'a str,
        packs: Vec<PackSummary<'a>>,
    }
    let title = "Course packs";
    let chrome = r.chrome(INDEX_URL, title, None);
    match r.page("packs-index.html", &chrome, &IndexData { title, packs: summaries }) {
        Ok(f) => files.push(f),
        Err(d) => diagnostics.push(d),
    }
    (files, diagnostics)
}
