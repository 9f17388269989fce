//! The render stage: the site's files, in memory, from the model, the site
//! map and the compiled Markdown. It only fills templates (Tera) with
//! values worked out here; it reads no files and compiles no Markdown, and
//! its only problems are template errors.

mod decisions;
pub mod forms;
pub mod packs;
mod pages;

use crate::compile::Compiled;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::nav::{Crumb, Nav, ShownItem};
use crate::paths;
use crate::site::{Site, Theme};
use crate::sitemap::SiteMap;
use serde::Serialize;
use std::path::PathBuf;

/// Allows only the site's own files and no connections: nothing the page
/// does can send a practitioner's answers anywhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// Kept for serve/http.rs (owned by the `serve` branch this wave): use `crate::paths::NOT_FOUND`.
pub const NOT_FOUND_URL: &str = paths::NOT_FOUND;

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

/// Site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub authority: String,
    pub description: Option<String>,
    pub language: String,
    pub footer: Option<String>,
    /// The first contact the footer shows (older templates read only this).
    pub contact: ContactInfo,
    /// Every contact by its name in handbook.toml: `site.contacts.front_door.phone`.
    pub contacts: std::collections::BTreeMap<String, ContactInfo>,
    /// The contacts the footer shows, in order.
    pub footer_contacts: Vec<ContactInfo>,
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct ContactInfo {
    /// Its name in handbook.toml (`front_door`).
    pub key: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    /// `tel:` and the digits.
    pub phone_href: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
    pub hours: Option<String>,
}

impl From<&crate::locals::Contact> for ContactInfo {
    fn from(c: &crate::locals::Contact) -> Self {
        ContactInfo {
            key: Some(c.key.clone()),
            name: Some(c.name.clone()),
            phone: c.phone.clone(),
            phone_href: c.phone_href(),
            email: c.email.clone(),
            web: c.web.clone(),
            hours: c.hours.clone(),
        }
    }
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

/// What rendering reads: the model, the site map and navigation, the
/// compiled Markdown and the templates.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub map: &'a SiteMap,
    pub nav: &'a Nav,
    pub compiled: &'a Compiled,
    pub tera: &'a tera::Tera,
    pub info: SiteInfo,
    /// The interface's words as every template sees them, `t`.
    pub t: tera::Value,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, map: &'a SiteMap, nav: &'a Nav, compiled: &'a Compiled, tera: &'a tera::Tera) -> Self {
        Renderer { site, map, nav, compiled, tera, info: site_info(site), t: site.strings.template_value() }
    }

    /// The common part of a page's context.
    pub fn chrome(&'a self, url: &'a str, title: &'a str, within: Option<&str>) -> Chrome<'a> {
        Chrome {
            site: &self.info,
            root: paths::root_prefix(url),
            url,
            title,
            description: None,
            nav: self.nav.shown(url, within),
            breadcrumbs: self.nav.breadcrumbs(url, within, self.site.strings.get("titles.home")),
            csp: CSP,
            reviewed: None,
        }
    }

    /// Renders `template` with the chrome and `data` (seen as `page`).
    pub fn page(&self, template: &str, chrome: &Chrome, data: &impl Serialize) -> Result<OutputFile, Diagnostic> {
        let mut ctx = tera::Context::from_serialize(chrome).map_err(|e| template_error(template, &e))?;
        ctx.insert("page", data);
        ctx.insert_value("t", self.t.clone());
        let html = self.tera.render(template, &ctx).map_err(|e| template_error(template, &e))?;
        Ok(OutputFile::bytes(chrome.url, html))
    }

    /// The title of a generated page, from the site map.
    pub fn title(&self, url: &str) -> &str {
        self.map.get(url).map(|e| e.title.as_str()).unwrap_or_default()
    }
}

/// Renders every file of the site but the search index (made from the
/// compiled Markdown before rendering). Template errors go to `sink`.
pub fn render(r: &Renderer, sink: &mut Diagnostics) -> Vec<OutputFile> {
    let site = r.site;
    let mut files = Vec::new();
    let mut push = |result: Result<OutputFile, Diagnostic>| match result {
        Ok(f) => files.push(f),
        Err(d) => sink.push(d),
    };
    pages::render_pages(r).into_iter().for_each(&mut push);
    forms::render_all(r).into_iter().for_each(&mut push);
    if let Some(g) = pages::render_glossary(r) {
        push(g);
    }
    push(pages::render_az(r));
    push(pages::render_not_found(r));
    push(pages::render_amendments(r));
    push(pages::render_amendments_feed(r));
    decisions::render(r).into_iter().for_each(&mut push);
    packs::render_packs(r, &r.compiled.packs).into_iter().for_each(&mut push);
    files.push(OutputFile::bytes(paths::THEME_CSS, theme_css(site)));
    for (name, bytes) in &site.theme.assets {
        files.push(OutputFile::bytes(name.clone(), bytes.clone()));
    }
    if let Some((url, path)) = &site.logo {
        files.push(OutputFile { path: url.clone(), contents: Contents::Copy(path.clone()) });
    }
    for asset in &site.assets {
        files.push(OutputFile { path: asset.url.clone(), contents: Contents::Copy(site.root.join(&asset.source)) });
    }
    files
}

/// One page again, from a new body (`serve` after an edit to it).
pub fn page(r: &Renderer, index: usize, body: &crate::markdown::Body) -> Result<OutputFile, Diagnostic> {
    let by_url = pages::pages_by_url(r.site);
    pages::render_page(r, &by_url, &r.site.pages[index], body)
}

/// Every course pack again, from newly placed bodies (`serve` after an
/// edit to a page one prints).
pub fn packs(r: &Renderer, compiled: &[crate::compile::PackBodies], sink: &mut Diagnostics) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for result in packs::render_packs(r, compiled) {
        match result {
            Ok(f) => files.push(f),
            Err(d) => sink.push(d),
        }
    }
    files
}

/// Loads the theme into Tera (with the `fill` filter and the `words`
/// function of `crate::strings`), reporting template syntax errors with their
/// place; `None` when there are any (nothing can be rendered then).
///
/// Every default is registered as `default/NAME` and found by its bare
/// NAME too (a Tera fallback prefix) unless the handbook has its own
/// NAME: so `{% extends "base.html" %}` reaches the handbook's base.html
/// when there is one, and an override can `{% extends "default/NAME" %}`.
pub fn templates(theme: &Theme, strings: &crate::strings::Strings, sink: &mut Diagnostics) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    strings.register(&mut tera);
    tera.set_fallback_prefixes([crate::theme::DEFAULT_PREFIX]).expect("set before any template is added");
    tera.autoescape_on([".html", ".xml", ".svg"]);
    // An overridden default is left out unless an override names it: Tera
    // checks every template it holds, and an unused default checked against
    // the handbook's other overrides could fail for nothing.
    let prefix = crate::theme::DEFAULT_PREFIX;
    let overridden = |name: &str| theme.templates.iter().any(|(n, _)| n == name);
    let named = |name: &str| theme.templates.iter().any(|(_, s)| s.contains(&format!("{prefix}{name}")));
    let defaults = theme.defaults.iter().filter(|(n, _)| !overridden(n) || named(n)).map(|(n, s)| (format!("{prefix}{n}"), *s));
    let own = theme.templates.iter().map(|(n, s)| (n.clone(), s.as_str()));
    match tera.add_raw_templates(defaults.chain(own)) {
        Ok(()) => Some(tera),
        Err(e) => {
            sink.extend(template_errors(&e));
            None
        }
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
        found.push(located(&file, line, col, message));
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
        tera::ErrorKind::CircularExtend { tpl, inheritance_chain } => {
            // The template whose `extends` leads back: the last before the repeat.
            let n = inheritance_chain.len();
            let culprit = if n >= 2 { &inheritance_chain[n - 2] } else { tpl };
            let target = inheritance_chain.last().unwrap_or(tpl);
            let base = culprit.strip_prefix(crate::theme::DEFAULT_PREFIX).unwrap_or(culprit);
            let what = if target == culprit {
                "it extends itself".to_string()
            } else {
                format!("it extends `{target}`, which leads back to it")
            };
            let hint = format!("to extend the built-in {base}, write `{{% extends \"default/{base}\" %}}`");
            (culprit.clone(), 1, 1, format!("{what}; {hint}"))
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
    located(&file, line, col, &message)
}

/// A template problem at `name` (as Tera knows it). A problem in a
/// built-in template (`default/NAME`, often set off by an override it
/// extends or includes) is placed at templates/NAME and says so.
fn located(name: &str, line: usize, col: usize, message: &str) -> Diagnostic {
    match name.strip_prefix(crate::theme::DEFAULT_PREFIX) {
        Some(base) => {
            Location::new(&format!("templates/{base}"), line, col).error(format!("template (the built-in {base}): {message}"))
        }
        None => Location::new(&format!("templates/{name}"), line, col).error(format!("template: {message}")),
    }
}

fn site_info(site: &Site) -> SiteInfo {
    let c = &site.config;
    let footer: Vec<ContactInfo> = c.footer_contacts().into_iter().map(ContactInfo::from).collect();
    SiteInfo {
        title: c.title.clone(),
        authority: c.authority.clone(),
        description: c.description.clone(),
        language: c.language().to_string(),
        footer: c.footer.clone(),
        contact: footer.first().cloned().unwrap_or_default(),
        contacts: c.locals.contacts.iter().map(|k| (k.key.clone(), ContactInfo::from(k))).collect(),
        footer_contacts: footer,
        logo: site.logo.as_ref().map(|(url, _)| url.clone()),
        built: site.strings.date(site.today),
        glossary: site.glossary.as_ref().map(|_| paths::GLOSSARY.to_string()),
        id: c.handbook_id(),
        drafts_expire_days: c.drafts_expire_days(),
        saved_drafts: paths::SAVED_DRAFTS,
    }
}

fn theme_css(site: &Site) -> String {
    format!(
        "/* Made from handbook.toml [colours]. */\n:root {{\n  --primary: {};\n  --accent: {};\n}}\n",
        site.config.primary(),
        site.config.accent()
    )
}
