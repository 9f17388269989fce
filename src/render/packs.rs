//! Course packs for trainers: each `[[pack]]` in handbook.toml becomes one
//! printable document (`packs/<id>.html`) with a cover, a contents list, and
//! every page and blank form in order, each starting on a new printed page.
//! Links between pages in the pack become links inside the document.

use super::{OutputFile, Renderer};
use crate::compile::{PackBodies, pack_anchor};
use crate::diagnostics::Diagnostic;
use crate::paths;
use crate::site::PackItem;
use serde::Serialize;

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

/// Every pack whose contents are all there, and the packs index. (Missing
/// pages are reported by `crate::check`; the packs that are fine are
/// still rendered for `check`.)
pub fn render_packs(r: &Renderer, compiled: &[PackBodies]) -> Vec<Result<OutputFile, Diagnostic>> {
    let mut files = Vec::new();
    let packs = &r.site.config.pack;
    if packs.is_empty() {
        return files;
    }
    let mut summaries = Vec::new();
    for (pack, compiled) in packs.iter().zip(compiled) {
        let (Some(items), Some(bodies)) = (r.site.pack_items(pack), compiled.items.as_ref()) else {
            continue;
        };
        let pack_url = paths::pack(pack.id.get_ref());
        let intro = compiled.intro.as_ref().map(|b| b.html.clone());
        let mut data = Vec::new();
        for (item, body) in items.iter().zip(bodies) {
            let item_url = item.url();
            let anchor = pack_anchor(&item_url);
            match (item, body) {
                (PackItem::Page(page), Some(body)) => data.push(ItemData {
                    title: &page.title,
                    is_form: false,
                    description: page.description.as_deref(),
                    reviewed: page.reviewed.map(|d| r.site.strings.date(d)),
                    url: item_url,
                    html: body.html.clone(),
                    anchor,
                }),
                (PackItem::Form(form), _) => match super::forms::printable_form(r, form) {
                    Ok(html) => data.push(ItemData {
                        title: &form.title,
                        is_form: true,
                        description: None,
                        reviewed: None,
                        url: item_url,
                        html,
                        anchor,
                    }),
                    Err(d) => files.push(Err(d)),
                },
                (PackItem::Page(_), None) => {}
            }
        }
        let forms = items.iter().filter(|i| matches!(i, PackItem::Form(_))).count();
        summaries.push(PackSummary {
            title: &pack.title,
            url: pack_url.clone(),
            audience: pack.audience.as_deref(),
            intro: intro.clone(),
            pages: items.len() - forms,
            forms,
        });
        let print_css = paths::print_css(&pack_url);
        let mut print = super::forms::PrintView::new(r, &pack.title, None);
        for item in &data {
            print.part(&item.anchor, item.title);
        }
        files.push(super::forms::print_css(r, &print_css, &print));
        let chrome = r.chrome(&pack_url, &pack.title, None);
        let page = PackData {
            id: pack.id.get_ref(),
            title: &pack.title,
            audience: pack.audience.as_deref(),
            intro,
            items: data,
            print_css,
        };
        files.push(r.page("pack.html", &chrome, &page));
    }
    #[derive(Serialize)]
    struct IndexData<'a> {
        title: &'a str,
        packs: Vec<PackSummary<'a>>,
    }
    let title = r.title(paths::PACKS_INDEX);
    let chrome = r.chrome(paths::PACKS_INDEX, title, None);
    files.push(r.page("packs-index.html", &chrome, &IndexData { title, packs: summaries }));
    files
}
