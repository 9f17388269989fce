//! Turns a loaded Site into the files of the website, in memory. Nothing
//! here reads the disk: templates and sources come in through the Site.

mod decisions;
pub mod forms;
pub mod nav;
pub mod packs;
mod pages;

use crate::build::Site;
use crate::diagnostics::{Diagnostic, Location};
use crate::markdown::{AnchorLink, LinkTargets, Rendered};
use nav::{Crumb, Nav, ShownItem};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Allows only the site's own files and no connections: nothing the page
/// does can send a practitioner's answers anywhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

pub const AZ_URL: &str = "search.html";
pub const AMENDMENTS_URL: &str = "amendments.html";
pub const NOT_FOUND_URL: &str = "404.html";
pub const THEME_CSS: &str = "assets/theme.css";

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Site-relative path with `/` separators.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file copied as it is (images beside pages): copied when written.
    Copy(PathBuf),
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Bytes(bytes.into()) }
    }
}

/// The theme: Tera templates and static assets, defaults overridden by the
/// handbook's own templates/ file by file.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (path under templates/) and source.
    pub templates: Vec<(String, String)>,
    /// Path under templates/ (e.g. `assets/style.css`) and bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub authority: String,
    pub description: Option<String>,
    pub language: String,
    pub footer: Option<String>,
    pub contact: ContactInfo,
    pub logo: Option<String>,
    pub built: String,
    pub glossary: Option<String>,
    /// The handbook's identity in the browser's storage (`handbook.toml` `id`).
    pub id: String,
    /// Days a draft is kept without a change (`[drafts] expire_days`).
    pub drafts_expire_days: u32,
    /// The Saved on this device page, which lists the drafts.
    pub saved_drafts: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ContactInfo {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub phone_href: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
}

/// What every page template receives besides its own data.
#[derive(Serialize)]
pub struct Chrome<'a> {
    pub site: &'a SiteInfo,
    /// `../` prefix from this page to the site root.
    pub root: String,
    pub url: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub nav: Vec<ShownItem>,
    pub breadcrumbs: Vec<Crumb>,
    pub csp: &'static str,
    /// Shown in the printed footer line.
    pub reviewed: Option<String>,
}

/// Shared state while rendering: templates, navigation, link targets.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub tera: tera::Tera,
    pub nav: Nav,
    pub info: SiteInfo,
    pub targets: LinkTargets,
}

impl<'a> Renderer<'a> {
    /// The common part of a page's context.
    pub fn chrome(&'a self, url: &'a str, title: &'a str, within: Option<&str>) -> Chrome<'a> {
        Chrome {
            site: &self.info,
            root: crate::content::root_prefix(url),
            url,
            title,
            description: None,
            nav: self.nav.shown(url, within),
            breadcrumbs: self.nav.breadcrumbs(url, within, "Home"),
            csp: CSP,
            reviewed: None,
        }
    }

    /// Renders `template` with the chrome and `data` (seen as `page`).
    pub fn page(&self, template: &str, chrome: &Chrome, data: &impl Serialize) -> Result<OutputFile, Diagnostic> {
        let mut ctx = tera::Context::from_serialize(chrome).map_err(|e| template_error(template, &e))?;
        ctx.insert("page", data);
        let html = self.tera.render(template, &ctx).map_err(|e| template_error(template, &e))?;
        Ok(OutputFile::bytes(chrome.url, html))
    }
}

/// Renders everything. Returns the files (empty if there were errors) and
/// every problem found, so `check` and `build` report the same things.
pub fn render(site: &Site) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let (files, diagnostics, _) = render_with_bodies(site);
    (files, diagnostics)
}

/// `render`, also giving every page's rendered Markdown, which `serve`
/// keeps so that a later one-page edit need not render the others again.
pub fn render_with_bodies(site: &Site) -> (Vec<OutputFile>, Vec<Diagnostic>, Vec<Rendered>) {
    let mut diagnostics = Vec::new();
    // A broken template stops the pages being rendered, not the Markdown
    // being checked: its errors are reported alongside everything else.
    let (tera, template_errors) = match templates(&site.theme) {
        Ok(t) => (t, Vec::new()),
        Err(errs) => (tera::Tera::new(), errs),
    };
    let targets = link_targets(site);
    let renderer = Renderer { site, tera, nav: Nav::new(site), info: site_info(site), targets };

    let mut files = Vec::new();
    let mut rendered: Vec<(&str, Rendered)> = Vec::new();
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();

    let page_bodies = pages::render_bodies(&renderer);
    for (page, body) in site.pages.iter().zip(&page_bodies) {
        anchors.entry(page.url.clone()).or_default().extend(body.headings.iter().map(|h| h.id.clone()));
    }
    if let Some(g) = &site.glossary {
        anchors.entry(crate::glossary::URL.into()).or_default().extend(g.terms.iter().map(|t| t.anchor.clone()));
    }
    let glossary = pages::render_glossary(&renderer, &mut rendered);
    let decision_pages = decisions::render(&renderer, &mut rendered);
    let form_output = forms::render_all(&renderer);
    for (url, ids) in &form_output.anchors {
        anchors.entry(url.clone()).or_default().extend(ids.iter().cloned());
    }
    let bodies = || page_bodies.iter().chain(rendered.iter().map(|(_, r)| r)).chain(&form_output.markdown);
    check_anchors(bodies(), &anchors, &mut diagnostics);
    for body in bodies() {
        diagnostics.extend(body.diagnostics.iter().cloned());
    }
    diagnostics.extend(pages::review_warnings(site));
    if !template_errors.is_empty() {
        diagnostics.extend(template_errors);
        return (Vec::new(), diagnostics, page_bodies);
    }

    let results = pages::render_pages(&renderer, &page_bodies);
    let mut push = |r: Result<OutputFile, Diagnostic>| match r {
        Ok(f) => files.push(f),
        Err(d) => diagnostics.push(d),
    };
    results.into_iter().for_each(&mut push);
    form_output.files.into_iter().for_each(&mut push);
    if let Some(g) = glossary {
        push(g);
    }
    push(pages::render_az(&renderer));
    push(pages::render_not_found(&renderer));
    push(pages::render_amendments(&renderer));
    decision_pages.into_iter().for_each(&mut push);
    let (pack_files, pack_problems) = packs::render_packs(&renderer);
    files.extend(pack_files);
    diagnostics.extend(pack_problems);

    files.extend(search_files(&renderer, &page_bodies.iter().collect::<Vec<_>>()));

    files.push(OutputFile::bytes(THEME_CSS, theme_css(site)));
    for (name, bytes) in &site.theme.assets {
        files.push(OutputFile::bytes(name.clone(), bytes.clone()));
    }
    if let Some((url, path)) = &site.logo {
        files.push(OutputFile { path: url.clone(), contents: Contents::Copy(path.clone()) });
    }
    for asset in &site.assets {
        files.push(OutputFile { path: asset.url.clone(), contents: Contents::Copy(site.root.join(&asset.source)) });
    }
    diagnostics.extend(check_collisions(site, &files));
    (files, diagnostics, page_bodies)
}

/// The search index over pages, the glossary, forms and decision trees.
fn search_files(r: &Renderer, page_bodies: &[&Rendered]) -> Vec<OutputFile> {
    let mut docs = pages::search_docs(r, page_bodies);
    docs.extend(forms::search_docs(r));
    docs.extend(decisions::search_docs(r));
    crate::search::files(&docs)
}

/// Loads the theme into Tera, reporting template syntax errors with their place.
pub fn templates(theme: &Theme) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    let all = theme.templates.iter().map(|(n, s)| (n.as_str(), s.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(tera),
        Err(e) => Err(template_errors(&e)),
    }
}

/// Tera checks all templates together and joins its reports into one
/// message (`error: ...\n --> file:line:col ...`): split them back into
/// located diagnostics, one per problem.
fn template_errors(e: &tera::Error) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return vec![template_error("base.html", e)];
    };
    let mut found = Vec::new();
    for report in text.split("\n\n").filter(|r| r.starts_with("error: ")) {
        let message = report.lines().next().unwrap_or("").trim_start_matches("error: ");
        let place = report.lines().find_map(|l| l.trim_start().strip_prefix("--> "));
        let parsed = place.and_then(|p| {
            let mut parts = p.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), line, col))
        });
        let (file, line, col) = parsed.unwrap_or_else(|| ("base.html".to_string(), 1, 1));
        found.push(Location::new(&format!("templates/{file}"), line, col).error(format!("template: {message}")));
    }
    if found.is_empty() { vec![template_error("base.html", e)] } else { found }
}

fn template_error(name: &str, e: &tera::Error) -> Diagnostic {
    let (file, line, col, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = if r.filename().is_empty() { name } else { r.filename() };
            (file.to_string(), r.span().start_line, r.span().start_col + 1, r.message().to_string())
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            (current.clone(), 1, 1, format!("it extends `{parent}`, which is neither a default template nor in templates/"))
        }
        other => (name.to_string(), 1, 1, other.to_string()),
    };
    let mut message = message;
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Location::new(&format!("templates/{file}"), line, col).error(format!("template: {message}"))
}

fn site_info(site: &Site) -> SiteInfo {
    let c = &site.config;
    let phone_href = c.contact.phone.as_ref().map(|p| {
        let digits: String = p.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect();
        format!("tel:{digits}")
    });
    SiteInfo {
        title: c.title.clone(),
        authority: c.authority.clone(),
        description: c.description.clone(),
        language: c.language().to_string(),
        footer: c.footer.clone(),
        contact: ContactInfo {
            name: c.contact.name.clone(),
            phone: c.contact.phone.clone(),
            phone_href,
            email: c.contact.email.clone(),
            web: c.contact.web.clone(),
        },
        logo: site.logo.as_ref().map(|(url, _)| url.clone()),
        built: crate::content::format_date(site.today),
        glossary: site.glossary.as_ref().map(|_| crate::glossary::URL.to_string()),
        id: c.handbook_id(),
        drafts_expire_days: c.drafts_expire_days(),
        saved_drafts: crate::forms::SAVED_URL,
    }
}

/// Every place a link may point: pages (by source and output), folders,
/// assets and generated pages.
fn link_targets(site: &Site) -> LinkTargets {
    let mut t = LinkTargets::default();
    for page in &site.pages {
        t.by_source.insert(page.source.clone(), page.url.clone());
        t.outputs.insert(page.url.clone());
        if page.is_index {
            let dir = page.source.trim_end_matches("/index.md").trim_end_matches("index.md").trim_end_matches('/');
            t.by_source.insert(dir.to_string(), page.url.clone());
        }
    }
    for asset in &site.assets {
        t.by_source.insert(asset.source.clone(), asset.url.clone());
        t.outputs.insert(asset.url.clone());
    }
    if site.glossary.is_some() {
        t.by_source.insert(crate::glossary::FILE.into(), crate::glossary::URL.into());
        t.outputs.insert(crate::glossary::URL.into());
    }
    for form in &site.forms.forms {
        t.by_source.insert(form.source.clone(), form.url());
        t.outputs.insert(form.url());
        t.outputs.insert(form.schema_url());
    }
    for fw in &site.forms.frameworks {
        t.by_source.insert(fw.source.clone(), fw.url());
        t.outputs.insert(fw.url());
    }
    if !site.forms.forms.is_empty() || !site.forms.frameworks.is_empty() {
        t.outputs.insert(crate::forms::INDEX_URL.into());
    }
    if !site.forms.forms.is_empty() {
        t.outputs.insert(crate::forms::SAVED_URL.into());
    }
    for tree in &site.trees.trees {
        t.by_source.insert(tree.source.clone(), tree.url());
        t.outputs.insert(tree.url());
        t.outputs.extend(
            tree.questions.iter().map(|q| tree.node_url(&q.id)).chain(tree.outcomes.iter().map(|o| tree.node_url(&o.id))),
        );
        t.outputs.extend([Some(tree.overview_url()), tree.levels_url()].into_iter().flatten());
    }
    for (source, url) in site.forms.unreadable.iter().chain(&site.trees.unreadable) {
        t.by_source.insert(source.clone(), url.clone());
        t.outputs.insert(url.clone());
    }
    if !site.trees.trees.is_empty() {
        t.outputs.insert(decisions::INDEX_URL.into());
    }
    t.outputs.insert(AZ_URL.into());
    t.outputs.insert(AMENDMENTS_URL.into());
    if !site.config.pack.is_empty() {
        t.outputs.insert(packs::INDEX_URL.into());
        t.outputs.extend(site.config.pack.iter().map(packs::url));
    }
    t
}

fn check_anchors<'r>(
    bodies: impl Iterator<Item = &'r Rendered>,
    anchors: &HashMap<String, HashSet<String>>,
    out: &mut Vec<Diagnostic>,
) {
    for body in bodies {
        for AnchorLink { target, fragment, at } in &body.anchors {
            if let Some(ids) = anchors.get(target)
                && !ids.contains(fragment)
            {
                let mut known: Vec<&String> = ids.iter().collect();
                known.sort();
                let list = known.iter().take(12).map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ");
                out.push(at.error(format!(
                    "no heading `#{fragment}` in {target}; its headings are: {}",
                    if list.is_empty() { "none".to_string() } else { list }
                )));
            }
        }
    }
}

/// Two sources writing one output file (say `a.md` and a copied `a.html`),
/// or names that differ only in case, which clash on Windows and macOS.
fn check_collisions(site: &Site, files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut sources: HashMap<&str, String> = HashMap::new();
    for p in &site.pages {
        sources.insert(&p.url, p.source.clone());
    }
    for a in &site.assets {
        sources.entry(&a.url).or_insert_with(|| a.source.clone());
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
    for f in files {
        let key = f.path.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let this = sources.get(f.path.as_str()).cloned();
            let that = sources.get(first).cloned();
            let (path, other) = match (this, that) {
                (Some(a), Some(b)) if a != b => (a.clone().max(b.clone()), a.min(b)),
                (Some(a), _) | (None, Some(a)) => (a, "a page the generator makes".to_string()),
                (None, None) => ("handbook.toml".to_string(), "another generated page".to_string()),
            };
            let how = if *first == f.path { "" } else { " (the names differ only in upper and lower case)" };
            out.push(
                Location::new(&path, 1, 1).error(format!("{path} and {other} would both be written to site/{}{how}", f.path)),
            );
        } else {
            seen.insert(key, &f.path);
        }
    }
    out
}

fn theme_css(site: &Site) -> String {
    format!(
        "/* Made from handbook.toml [colours]. */\n:root {{\n  --primary: {};\n  --accent: {};\n}}\n",
        site.config.primary(),
        site.config.accent()
    )
}

// ---- One-page re-rendering for `serve` ----------------------------------
//
// After an edit that changes only the bodies of existing pages (same front
// matter, same headings), `serve` re-renders just those pages instead of the
// whole site. Anything else (a new or deleted file, a title, weight or draft
// change, templates, TOML) goes through `render` again. Files derived from
// every page's body are made again here: the search index, and the course
// packs that print an edited page.

/// The shared state a full render builds first (templates, navigation,
/// link targets), without rendering any page.
pub fn renderer(site: &Site) -> Result<Renderer<'_>, Vec<Diagnostic>> {
    let tera = templates(&site.theme)?;
    Ok(Renderer { site, tera, nav: Nav::new(site), info: site_info(site), targets: link_targets(site) })
}

/// What re-rendering some pages gives: their files and new bodies (in the
/// order asked for) and every problem found in them.
pub struct Rerendered {
    pub files: Vec<OutputFile>,
    pub bodies: Vec<Rendered>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Re-renders the pages at `changed` (indexes into `site.pages`, whose
/// bodies were replaced) given every page's body from the last good render.
/// `None` when that would not be safe and the whole site must be rendered:
/// a page's heading ids changed (links into it from anywhere need checking
/// again), or it gained a link to a heading of a page made elsewhere.
pub fn rerender_pages(r: &Renderer, old: &[Rendered], changed: &[usize]) -> Option<Rerendered> {
    use rayon::prelude::*;
    let site = r.site;
    let terms = site.glossary.as_ref().map(|g| g.terms_to_mark());
    let bodies: Vec<Rendered> = changed.par_iter().map(|&i| pages::render_body(r, &site.pages[i], terms.as_ref())).collect();
    let ids = |b: &Rendered| b.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    if changed.iter().zip(&bodies).any(|(&i, new)| old.get(i).is_none_or(|o| ids(o) != ids(new))) {
        return None;
    }
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for (page, body) in site.pages.iter().zip(old) {
        anchors.entry(page.url.clone()).or_default().extend(body.headings.iter().map(|h| h.id.clone()));
    }
    if let Some(g) = &site.glossary {
        anchors.entry(crate::glossary::URL.into()).or_default().extend(g.terms.iter().map(|t| t.anchor.clone()));
    }
    for (&i, body) in changed.iter().zip(&bodies) {
        let had = |a: &AnchorLink| old[i].anchors.iter().any(|o| o.target == a.target && o.fragment == a.fragment);
        if body.anchors.iter().any(|a| !anchors.contains_key(&a.target) && !had(a)) {
            return None;
        }
    }
    let mut diagnostics = Vec::new();
    check_anchors(bodies.iter(), &anchors, &mut diagnostics);
    for body in &bodies {
        diagnostics.extend(body.diagnostics.iter().cloned());
    }
    let by_url = pages::pages_by_url(site);
    let mut files = Vec::new();
    for (&i, body) in changed.iter().zip(&bodies) {
        match pages::render_page(r, &by_url, &site.pages[i], body) {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    let mut all: Vec<&Rendered> = old.iter().collect();
    for (&i, body) in changed.iter().zip(&bodies) {
        all[i] = body;
    }
    files.extend(search_files(r, &all));
    // Course packs print whole pages: an edit to one of those makes the packs again.
    let in_packs: HashSet<&str> = site.config.pack.iter().flat_map(|p| p.contents.iter().map(|c| c.get_ref().as_str())).collect();
    if changed.iter().any(|&i| in_packs.contains(site.pages[i].source.as_str())) {
        let (pack_files, pack_problems) = packs::render_packs(r);
        files.extend(pack_files);
        diagnostics.extend(pack_problems);
    }
    Some(Rerendered { files, bodies, diagnostics })
}
