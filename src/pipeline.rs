//! The pipeline, in five stages, each in its own module:
//!
//! ```text
//! load (site) -> compile (compile) -> check (check) -> render (render) -> write (write)
//! ```
//!
//! `load` reads the handbook into the model and the site map says what the
//! site will hold; `compile` turns every piece of Markdown into HTML once;
//! `check` runs every check that spans files; `render` fills the templates;
//! `write` puts the files in place all at once. `handbook check` runs
//! everything but the write; `serve` keeps the rendered files in memory.

use crate::compile::{self, Compiled};
use crate::content::Page;
use crate::diagnostics::{Diagnostics, Location};
use crate::markdown::{Body, LinkTargets};
use crate::nav::Nav;
use crate::paths;
use crate::render::{self, OutputFile, Renderer};
use crate::site::{self, Site};
use crate::sitemap::SiteMap;
use crate::{check, search};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// A handbook loaded, compiled and checked: everything rendering needs.
pub struct Built {
    pub site: Site,
    pub map: SiteMap,
    pub targets: LinkTargets,
    pub nav: Nav,
    pub compiled: Compiled,
    /// `None` when a template has a syntax error (already reported).
    pub tera: Option<tera::Tera>,
    /// The search index's files, made from the compiled Markdown.
    pub search: Vec<OutputFile>,
}

impl Built {
    /// Loads, compiles and checks the handbook at `root`, every problem into `sink`.
    pub fn new(root: &Path, sink: &mut Diagnostics) -> Built {
        let site = site::load(root, sink);
        let tera = render::templates(&site.theme, &site.strings, sink);
        let map = SiteMap::new(&site);
        let targets = map.link_targets(&site);
        let nav = Nav::new(&site, &map);
        let compiled = compile::compile(&site, &targets, sink);
        let bodies: Vec<&Body> = compiled.pages.iter().collect();
        let search = search::files(&search::docs(&site, &nav, &compiled, &bodies));
        let search_paths: Vec<String> = search.iter().map(|f| f.path.clone()).collect();
        check::run(&site, &map, &compiled, &search_paths, sink);
        Built { site, map, targets, nav, compiled, tera, search }
    }

    /// Every file of the site (none if a template could not be read).
    pub fn render(&self, sink: &mut Diagnostics) -> Vec<OutputFile> {
        let Some(tera) = &self.tera else { return Vec::new() };
        let r = Renderer::new(&self.site, &self.map, &self.nav, &self.compiled, tera);
        let mut files = render::render(&r, sink);
        let split = files.iter().position(|f| f.path == paths::THEME_CSS).unwrap_or(files.len());
        files.splice(split..split, self.search.iter().cloned());
        files
    }

    /// After an edit that changed only the bodies of existing pages (same
    /// front matter, same headings), renders just those pages, the search
    /// index and any course pack that prints one, instead of the whole site.
    /// `changed` are the pages' indexes and their newly loaded versions.
    ///
    /// `None` when that would not be safe and the whole site must be
    /// rendered: a page's heading ids changed (links into it from anywhere
    /// need checking again), or it gained a link to a heading of a page made
    /// elsewhere. With errors, the files are not to be used and `self` is as
    /// it was; without, `self` holds the new pages.
    pub fn rerender_pages(&mut self, changed: Vec<(usize, Page)>) -> Option<(Vec<OutputFile>, Diagnostics)> {
        self.tera.as_ref()?;
        let indexes: Vec<usize> = changed.iter().map(|(i, _)| *i).collect();
        let mut previous = Vec::new();
        for (i, page) in changed {
            previous.push(std::mem::replace(&mut self.site.pages[i], page));
        }
        let result = self.rerender(&indexes);
        let keep = result.as_ref().is_some_and(|(_, _, d)| !d.has_errors());
        if !keep {
            for (&i, page) in indexes.iter().zip(previous) {
                self.site.pages[i] = page;
            }
        }
        let (files, bodies, diagnostics) = result?;
        if keep {
            for (&i, body) in indexes.iter().zip(bodies) {
                self.compiled.pages[i] = body;
            }
        }
        Some((files, diagnostics))
    }

    fn rerender(&self, changed: &[usize]) -> Option<(Vec<OutputFile>, Vec<Body>, Diagnostics)> {
        let site = &self.site;
        let old = &self.compiled.pages;
        let terms = site.glossary.as_ref().map(|g| g.terms_to_mark());
        let mut bodies: Vec<Body> = changed
            .par_iter()
            .map(|&i| compile::page(&site.pages[i], &self.targets, terms.as_ref(), &site.config.locals))
            .collect();
        let ids = |b: &Body| b.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        if changed.iter().zip(&bodies).any(|(&i, new)| old.get(i).is_none_or(|o| ids(o) != ids(new))) {
            return None;
        }
        let anchors = check::anchors(site, &self.compiled);
        for (&i, body) in changed.iter().zip(&bodies) {
            let had =
                |a: &crate::markdown::AnchorLink| old[i].anchors.iter().any(|o| o.target == a.target && o.fragment == a.fragment);
            if body.anchors.iter().any(|a| !anchors.contains_key(&a.target) && !had(a)) {
                return None;
            }
        }
        let mut sink = Diagnostics::default();
        for body in &mut bodies {
            sink.append(&mut body.problems);
            check::links(body, &mut sink);
            check::check_anchors(&body.anchors, &anchors, &mut sink);
        }
        let r = Renderer::new(site, &self.map, &self.nav, &self.compiled, self.tera.as_ref()?);
        let mut files = Vec::new();
        for (&i, body) in changed.iter().zip(&bodies) {
            match render::page(&r, i, body) {
                Ok(f) => files.push(f),
                Err(d) => sink.push(d),
            }
        }
        let mut all: Vec<&Body> = old.iter().collect();
        for (&i, body) in changed.iter().zip(&bodies) {
            all[i] = body;
        }
        files.extend(search::files(&search::docs(site, &self.nav, &self.compiled, &all)));
        // Course packs print whole pages: an edit to one of those makes the packs again.
        let in_packs: HashSet<&str> =
            site.config.pack.iter().flat_map(|p| p.contents.iter().map(|c| c.get_ref().as_str())).collect();
        if changed.iter().any(|&i| in_packs.contains(site.pages[i].source.as_str())) {
            let packs = compile::packs(site, &self.targets, terms.as_ref(), &mut sink);
            files.extend(render::packs(&r, &packs, &mut sink));
        }
        Some((files, bodies, finish(sink)))
    }
}

/// Everything but the write: what `check` reports.
pub fn check(root: &Path) -> Diagnostics {
    let mut sink = Diagnostics::default();
    let built = Built::new(root, &mut sink);
    built.render(&mut sink);
    finish(sink)
}

/// Loads, compiles, checks and renders; the files only if there were no errors.
pub fn render_all(root: &Path) -> (Option<Vec<OutputFile>>, Diagnostics) {
    let mut sink = Diagnostics::default();
    let built = Built::new(root, &mut sink);
    let files = built.render(&mut sink);
    let sink = finish(sink);
    if sink.has_errors() { (None, sink) } else { (Some(files), sink) }
}

/// Builds the site into the checked output folder. On any error it is left
/// exactly as it was; when no input changed since the last build, nothing
/// is rendered or written.
pub fn build(root: &Path, mut target: crate::write::Target) -> Result<(crate::write::Report, Diagnostics), Diagnostics> {
    if let Some(done) = target.up_to_date() {
        return Ok(done);
    }
    let (files, diagnostics) = render_all(root);
    let Some(files) = files else {
        return Err(diagnostics);
    };
    let shown = target.shown().to_string();
    match target.write_all(&files, &diagnostics) {
        Ok(report) => Ok((report, diagnostics)),
        Err(e) => {
            let mut d = diagnostics;
            d.push(Location::new(&shown, 1, 1).error(format!("could not write the site: {e}; the previous site is unchanged")));
            Err(d)
        }
    }
}

/// The diagnostics as reported: raw-HTML warnings from the many snippets of
/// one file (a form, a tree, the glossary) merged into one per kind, sorted.
fn finish(mut sink: Diagnostics) -> Diagnostics {
    crate::sanitize::merge_warnings(&mut sink.items);
    sink.sorted()
}
