//! The compile stage: every piece of Markdown in the handbook, compiled
//! once into a [`Body`] (HTML, heading ids, links, plain text): pages, the
//! glossary, forms and outcomes frameworks, decision trees, and course
//! packs. Problems inside a piece of Markdown go to the sink here; the
//! links it makes are checked against the whole site by `crate::check`.
//! Templates never see Markdown: they get the HTML compiled here.

use crate::content::Page;
use crate::decisions::OutcomeLink;
use crate::diagnostics::{Diagnostics, Location};
use crate::forms::{Field, FieldKind};
use crate::locals::Locals;
use crate::markdown::{self, AnchorLink, BadLink, Body, LinkProblem, LinkTargets, Placement, Snippet, Terms};
use crate::paths;
use crate::site::{PackItem, Site};
use rayon::prelude::*;
use std::collections::HashMap;

/// Every compiled piece of Markdown of the site.
#[derive(Debug, Default)]
pub struct Compiled {
    /// Each page's body, in the order of `Site::pages`.
    pub pages: Vec<Body>,
    /// Markdown inside TOML files (glossary, forms, frameworks, trees), by where it starts.
    snippets: HashMap<Location, Body>,
    /// Each tree's one-paragraph summary for the list of trees (parallel to `Site::trees`).
    pub tree_summaries: Vec<Option<Body>>,
    /// Each tree's outcome links, resolved (parallel to `Site::trees`).
    pub tree_links: Vec<TreeLinks>,
    /// Each course pack's compiled Markdown (parallel to `Config::pack`).
    pub packs: Vec<PackBodies>,
}

/// The outcome links of one tree.
#[derive(Debug, Default)]
pub struct TreeLinks {
    /// For each outcome, each link's site URL (with any `#anchor`), or `None` if it is broken.
    pub urls: Vec<Vec<Option<String>>>,
    /// The links' problems and anchors, for `crate::check`.
    pub checked: Body,
}

/// A course pack's cover text and the pages it prints, placed in the pack.
#[derive(Debug, Default)]
pub struct PackBodies {
    pub intro: Option<Body>,
    /// When every line of the pack's contents names a page or form: for
    /// each, the page's body placed in the pack (`None` for a form).
    pub items: Option<Vec<Option<Body>>>,
}

impl Compiled {
    /// The compiled Markdown of a snippet from a TOML file.
    pub fn snippet(&self, md: &Snippet) -> &Body {
        static EMPTY: std::sync::OnceLock<Body> = std::sync::OnceLock::new();
        self.snippets.get(&md.at).unwrap_or_else(|| EMPTY.get_or_init(Body::default))
    }

    /// The HTML of a snippet from a TOML file.
    pub fn html(&self, md: &Snippet) -> String {
        self.snippet(md).html.clone()
    }

    /// Every body whose links are checked: pages, TOML Markdown, tree
    /// summaries and links, pack covers.
    pub fn checked_bodies(&self) -> impl Iterator<Item = &Body> {
        self.pages
            .iter()
            .chain(self.snippets.values())
            .chain(self.tree_summaries.iter().flatten())
            .chain(self.tree_links.iter().map(|t| &t.checked))
            .chain(self.packs.iter().filter_map(|p| p.intro.as_ref()))
    }
}

/// Compiles everything. `targets` come from the site map.
pub fn compile(site: &Site, targets: &LinkTargets, sink: &mut Diagnostics) -> Compiled {
    let terms = site.glossary.as_ref().map(|g| g.terms_to_mark());
    let locals = &site.config.locals;
    let mut pages: Vec<Body> = site.pages.par_iter().map(|page| self::page(page, targets, terms.as_ref(), locals)).collect();
    for body in &mut pages {
        sink.append(&mut body.problems);
    }
    let mut out = Compiled { pages, ..Default::default() };
    let mut add = |md: &Snippet, url: &str, sink: &mut Diagnostics| {
        let mut body = markdown::compile(md, &Placement::page(url), targets, None, locals);
        sink.append(&mut body.problems);
        out.snippets.insert(md.at.clone(), body);
    };
    if let Some(g) = &site.glossary {
        for md in g.intro.iter().chain(g.terms.iter().map(|t| &t.definition)) {
            add(md, paths::GLOSSARY, sink);
        }
    }
    for form in &site.forms.forms {
        let url = form.url();
        let mut texts: Vec<&Snippet> = form.intro.iter().collect();
        for section in &form.sections {
            texts.extend(&section.intro);
            guidance(&section.fields, &mut texts);
        }
        for md in texts {
            add(md, &url, sink);
        }
    }
    for fw in &site.forms.frameworks {
        if let Some(md) = &fw.intro {
            add(md, &fw.url(), sink);
        }
    }
    for tree in &site.trees.trees {
        // Every page of a tree sits in one folder, so each piece of Markdown is
        // compiled once, relative to the start page, and used on any of them.
        let start = tree.url();
        let texts = tree
            .intro
            .iter()
            .chain(tree.questions.iter().filter_map(|q| q.help.as_ref()))
            .chain(tree.outcomes.iter().filter_map(|o| o.body.as_ref()))
            .chain(tree.levels.iter().filter_map(|l| l.description.as_ref()));
        for md in texts {
            add(md, &start, sink);
        }
    }
    for tree in &site.trees.trees {
        let summary = tree.intro.as_ref().map(|m| {
            let first = m.text.trim_start().split("\n\n").next().unwrap_or("");
            let skipped = m.text.len() - m.text.trim_start().len();
            let place = Placement::page(paths::DECISIONS_INDEX);
            let mut body = markdown::compile(&m.part(skipped, first), &place, targets, None, locals);
            sink.append(&mut body.problems);
            body
        });
        out.tree_summaries.push(summary);
        let mut links = TreeLinks::default();
        for o in &tree.outcomes {
            let urls = o.links.iter().map(|l| resolve_link(l, targets, &mut links.checked)).collect();
            links.urls.push(urls);
        }
        out.tree_links.push(links);
    }
    out.packs = packs(site, targets, terms.as_ref(), sink);
    out
}

/// The guidance texts among `fields`, repeat rows included.
fn guidance<'a>(fields: &'a [Field], out: &mut Vec<&'a Snippet>) {
    for f in fields {
        match &f.kind {
            FieldKind::Guidance { text: Some(text) } => out.push(text),
            FieldKind::Repeat { fields, .. } => guidance(fields, out),
            _ => {}
        }
    }
}

/// One page's body, on its own page (`serve` compiles only the pages that
/// changed). `locals` are the site's `config.locals`.
pub fn page(page: &Page, targets: &LinkTargets, terms: Option<&Terms>, locals: &Locals) -> Body {
    markdown::compile(&page.body, &Placement::page(&page.url), targets, terms, locals)
}

/// Every course pack's cover and pages, placed in the pack. A page's own
/// problems were reported when it was compiled on its own page; only the
/// cover's are reported here.
pub fn packs(site: &Site, targets: &LinkTargets, terms: Option<&Terms>, sink: &mut Diagnostics) -> Vec<PackBodies> {
    let mut out = Vec::new();
    for pack in &site.config.pack {
        let pack_url = paths::pack(pack.id.get_ref());
        let items = site.pack_items(pack);
        let inside: HashMap<String, String> = items.iter().flatten().map(|item| (item.url(), pack_anchor(&item.url()))).collect();
        let intro = pack.intro.as_ref().map(|md| {
            let place = Placement { url: &pack_url, heading_shift: 1, id_prefix: Some("pack-intro"), inside: Some(&inside) };
            let mut body = markdown::compile(md, &place, targets, None, &site.config.locals);
            sink.append(&mut body.problems);
            body
        });
        let items = items.map(|items| {
            items
                .iter()
                .map(|item| match item {
                    PackItem::Page(page) => {
                        let anchor = pack_anchor(&page.url);
                        let place =
                            Placement { url: &pack_url, heading_shift: 1, id_prefix: Some(&anchor), inside: Some(&inside) };
                        Some(markdown::compile(&page.body, &place, targets, terms, &site.config.locals))
                    }
                    PackItem::Form(_) => None,
                })
                .collect()
        });
        out.push(PackBodies { intro, items });
    }
    out
}

/// The anchor an item starts at inside a pack: from its URL, so it is
/// unique and stays the same when the pack's order changes.
pub fn pack_anchor(url: &str) -> String {
    format!("pack-{}", url.trim_end_matches(".html").replace('/', "-"))
}

/// The site-relative URL (with any `#anchor`) an outcome link goes to, or
/// `None` when it is broken (the problem is added to `out`). Anchors are
/// added to `out` to be checked against the target page's headings.
pub fn resolve_link(link: &OutcomeLink, targets: &LinkTargets, out: &mut Body) -> Option<String> {
    let href = link.href.as_str();
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    if path.is_empty() || path.contains("://") || path.starts_with("mailto:") || path.starts_with('/') || path.starts_with("..") {
        out.bad_links.push(BadLink { at: link.at.clone(), problem: LinkProblem::NotFromRoot { href: href.to_string() } });
        return None;
    }
    let path = path.trim_start_matches("./").trim_end_matches('/');
    let Some(url) = targets.by_source.get(path) else {
        out.bad_links.push(BadLink {
            at: link.at.clone(),
            problem: LinkProblem::NoSource { href: href.to_string(), path: path.to_string() },
        });
        return None;
    };
    let mut url = url.clone();
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.anchors.push(AnchorLink { target: url.clone(), fragment: f.to_string(), at: link.at.clone() });
        url.push('#');
        url.push_str(f);
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        for (s, u) in [
            ("content/thresholds/index.md", "thresholds/index.html"),
            ("forms/early-help-assessment.toml", "forms/early-help-assessment.html"),
        ] {
            t.by_source.insert(s.into(), u.into());
            t.outputs.insert(u.into());
        }
        t
    }

    fn link(href: &str, line: usize) -> OutcomeLink {
        OutcomeLink { text: "A page".into(), href: href.into(), at: Location::new("forms/decisions/t.toml", line, 12) }
    }

    fn diagnostics(out: &Body) -> Vec<Diagnostic> {
        out.bad_links.iter().map(crate::check::link_diagnostic).collect()
    }

    #[test]
    fn outcome_links_go_to_pages_and_forms() {
        let mut out = Body::default();
        assert_eq!(
            resolve_link(&link("content/thresholds/index.md", 4), &targets(), &mut out).as_deref(),
            Some("thresholds/index.html")
        );
        assert_eq!(
            resolve_link(&link("forms/early-help-assessment.toml", 5), &targets(), &mut out).as_deref(),
            Some("forms/early-help-assessment.html")
        );
        assert_eq!(
            resolve_link(&link("content/thresholds/index.md#levels", 6), &targets(), &mut out).as_deref(),
            Some("thresholds/index.html#levels")
        );
        assert!(diagnostics(&out).is_empty(), "{:?}", diagnostics(&out));
        assert_eq!(out.anchors.len(), 1);
        assert_eq!(
            (out.anchors[0].target.as_str(), out.anchors[0].fragment.as_str(), out.anchors[0].at.line),
            ("thresholds/index.html", "levels", 6)
        );
    }

    #[test]
    fn outcome_link_to_a_missing_page_is_an_error_at_its_line() {
        let mut out = Body::default();
        assert_eq!(resolve_link(&link("content/thresholds/missing.md", 42), &targets(), &mut out), None);
        assert_eq!(resolve_link(&link("../content/thresholds/index.md", 43), &targets(), &mut out), None);
        let found: Vec<String> = diagnostics(&out).iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 2);
        assert!(
            found[0].starts_with("forms/decisions/t.toml:42:12: error: broken link `content/thresholds/missing.md`"),
            "{found:?}"
        );
        assert!(found[1].starts_with("forms/decisions/t.toml:43:12: error: link `../content"), "{found:?}");
    }
}
