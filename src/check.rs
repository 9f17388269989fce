//! The check stage: every check that spans files, run on the model and the
//! compiled Markdown before any template runs. Links and their anchors,
//! course pack contents, the outcomes frameworks forms name, form ids,
//! outputs that would clash, and pages past their review date. A new check
//! across files goes here.

use crate::compile::Compiled;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::forms::Forms;
use crate::markdown::{AnchorLink, BadLink, Body, LinkProblem};
use crate::site::{PackEntry, Site};
use crate::sitemap::{Entry, Kind, SiteMap};
use crate::text::format_date;
use std::collections::{HashMap, HashSet};

/// Runs every check. `search` are the search index's files, which are
/// written beside the site map's.
pub fn run(site: &Site, map: &SiteMap, compiled: &Compiled, search: &[String], sink: &mut Diagnostics) {
    let anchors = anchors(site, compiled);
    for body in compiled.checked_bodies() {
        links(body, sink);
        check_anchors(&body.anchors, &anchors, sink);
    }
    packs(site, sink);
    outcome_frameworks(&site.forms, sink);
    continued_forms(&site.forms, sink);
    collisions(map, search, sink);
    reviews(site, sink);
}

/// What is wrong with a link, said to the person who wrote it.
pub fn link_diagnostic(bad: &BadLink) -> Diagnostic {
    let at = &bad.at;
    match &bad.problem {
        LinkProblem::Empty => at.error("this link has no destination"),
        LinkProblem::Placeholder => {
            at.warning("placeholder link `#`: it goes nowhere; link to the page it means, or remove the link")
        }
        LinkProblem::Absolute { raw } => at.error(format!(
            "link `{raw}` starts with `/`; write it relative to this file (such as `../folder/page.md`) so the site works from disk and under any folder"
        )),
        LinkProblem::Climbs { raw, image } => {
            let what = if *image { "image" } else { "link" };
            at.error(format!("broken {what} `{raw}`: it climbs out of the handbook folder; link only to pages and files inside it"))
        }
        LinkProblem::Missing { raw, looked, image, html } => {
            let what = if *image { "image" } else { "link" };
            let hint = if *html && !image { "; link to the source file (`.md`) instead" } else { "" };
            at.error(format!("broken {what} `{raw}`: there is no `{looked}`{hint}"))
        }
        LinkProblem::NotFromRoot { href } => at.error(format!(
            "link `{href}`: write the path of a page or form relative to the handbook folder, such as `content/thresholds/index.md` or `forms/early-help-assessment.toml`"
        )),
        LinkProblem::NoSource { href, path } => {
            let hint = if path.ends_with(".html") { "; link to the source file (`.md` or `.toml`) instead" } else { "" };
            at.error(format!("broken link `{href}`: there is no `{path}` in this handbook{hint}"))
        }
    }
}

/// Every link in `body` that goes nowhere.
pub fn links(body: &Body, sink: &mut Diagnostics) {
    sink.extend(body.bad_links.iter().map(link_diagnostic));
}

/// The ids each page offers as link targets: headings of pages, glossary
/// terms, form sections, framework outcomes and areas.
pub fn anchors(site: &Site, compiled: &Compiled) -> HashMap<String, HashSet<String>> {
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for (page, body) in site.pages.iter().zip(&compiled.pages) {
        anchors.entry(page.url.clone()).or_default().extend(body.headings.iter().map(|h| h.id.clone()));
    }
    if let Some(g) = &site.glossary {
        anchors.entry(crate::paths::GLOSSARY.into()).or_default().extend(g.terms.iter().map(|t| t.anchor.clone()));
    }
    for form in &site.forms.forms {
        let questions = form.fields().filter(|f| !matches!(f.kind, crate::forms::FieldKind::Guidance { .. }));
        anchors
            .entry(form.url())
            .or_default()
            .extend(form.sections.iter().map(|s| s.id.clone()).chain(questions.map(|f| f.id.clone())));
    }
    for fw in &site.forms.frameworks {
        let ids = fw.outcomes.iter().map(|o| o.id.clone()).chain(fw.areas.iter().map(|a| format!("area-{}", a.id)));
        anchors.entry(fw.url()).or_default().extend(ids);
    }
    anchors
}

/// Each link to `page#id` must name an id that page has.
pub fn check_anchors(links: &[AnchorLink], anchors: &HashMap<String, HashSet<String>>, sink: &mut Diagnostics) {
    for AnchorLink { target, fragment, at } in links {
        if let Some(ids) = anchors.get(target)
            && !ids.contains(fragment)
        {
            let mut known: Vec<&String> = ids.iter().collect();
            known.sort();
            let list = known.iter().take(12).map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ");
            sink.push(at.error(format!(
                "no heading `#{fragment}` in {target}; its headings are: {}",
                if list.is_empty() { "none".to_string() } else { list }
            )));
        }
    }
}

/// Every line of a pack's contents names a page or form, once.
pub fn packs(site: &Site, sink: &mut Diagnostics) {
    for pack in &site.config.pack {
        let id = pack.id.get_ref();
        for ((raw, entry), at) in site.pack_entries(pack).into_iter().zip(&pack.contents_at) {
            match entry {
                PackEntry::Item(_) => {}
                PackEntry::Heading => sink.push(at.error(format!(
                    "pack `{id}`: `{raw}` names a heading; a pack holds whole pages and forms, so give the file without `#...`"
                ))),
                PackEntry::Missing => {
                    let path = raw.trim_start_matches("./").trim_end_matches('/');
                    sink.push(at.error(missing_from_pack(site, id, path)));
                }
                PackEntry::Repeated(line) => {
                    sink.push(at.error(format!("pack `{id}`: `{raw}` is already in this pack (line {line}); list it once")))
                }
            }
        }
    }
}

fn missing_from_pack(site: &Site, id: &str, path: &str) -> String {
    if let Err(e) = crate::confine::lexical(path) {
        return format!("pack `{id}`: {e}");
    }
    if site.tree_at(path).is_some() {
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
    let draft = if site.drafts.iter().any(|d| d == path) { " (is it a draft?)" } else { "" };
    format!("pack `{id}`: there is no page or form `{path}`{draft}; {hint}")
}

/// Every `outcomes` field names an outcomes framework that exists.
pub fn outcome_frameworks(forms: &Forms, errors: &mut Diagnostics) {
    let known = || {
        if forms.frameworks.is_empty() {
            "there is no outcomes framework in forms/; add one (a file with [[outcome]] tables, such as forms/outcomes.toml)"
                .to_string()
        } else {
            let list: Vec<String> = forms.frameworks.iter().map(|f| format!("\"{}\" ({})", f.id, f.source)).collect();
            format!("expected one of: {}", list.join(", "))
        }
    };
    for form in &forms.forms {
        for field in form.fields().flat_map(|f| std::iter::once(f).chain(f.sub_fields())) {
            if let crate::forms::FieldKind::Outcomes { framework: id, at } = &field.kind
                && forms.framework(id).is_none()
            {
                errors.push(at.error(format!(
                    "`outcomes` field `{}` uses the outcomes framework \"{id}\", which does not exist; {}",
                    field.id,
                    known()
                )));
            }
        }
    }
}

/// Every form a form `continues` exists, and every line of its field map
/// names a field of each form, at the same level (top level, or columns of
/// repeats that carry into each other), whose kinds fit.
pub fn continued_forms(forms: &Forms, errors: &mut Diagnostics) {
    use crate::forms::{Field, Form};
    fn find<'a>(form: &'a Form, id: &str) -> Option<(&'a Field, Option<&'a Field>)> {
        form.fields().find_map(|f| {
            if f.id == id { Some((f, None)) } else { f.sub_fields().iter().find(|s| s.id == id).map(|s| (s, Some(f))) }
        })
    }
    fn ids(form: &Form) -> Vec<&str> {
        form.fields()
            .flat_map(|f| std::iter::once(f).chain(f.sub_fields()))
            .filter(|f| f.kind.tag().has_answer())
            .map(|f| f.id.as_str())
            .collect()
    }
    fn unknown(id: &str, form: &Form, role: &str) -> String {
        let hint = crate::text::closest(id, ids(form)).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
        format!("`{id}` is not a field of {role} `{}` ({}){hint}", form.id, form.source)
    }
    for form in &forms.forms {
        for c in &form.continues {
            let Some(earlier) = forms.forms.iter().find(|f| f.id == c.form) else {
                let list: Vec<String> = forms.forms.iter().filter(|f| f.id != form.id).map(|f| format!("\"{}\"", f.id)).collect();
                let hint = crate::text::closest(&c.form, forms.forms.iter().map(|f| f.id.as_str()))
                    .map(|x| format!("did you mean \"{x}\"? "))
                    .unwrap_or_default();
                errors.push(c.at.error(format!(
                    "`continues` names the form \"{}\", which does not exist; {hint}expected one of: {}",
                    c.form,
                    if list.is_empty() { "(no other forms)".to_string() } else { list.join(", ") }
                )));
                continue;
            };
            for m in &c.map {
                let Some((from, from_repeat)) = find(earlier, &m.from) else {
                    errors.push(m.from_at.error(unknown(&m.from, earlier, "the earlier form")));
                    continue;
                };
                if m.to.is_empty() {
                    continue;
                }
                let Some((to, to_repeat)) = find(form, &m.to) else {
                    errors.push(m.to_at.error(unknown(&m.to, form, "this form")));
                    continue;
                };
                let level = match (from_repeat, to_repeat) {
                    (None, None) => None,
                    (Some(a), Some(b)) if c.target(&a.id) == Some(b.id.as_str()) => None,
                    (Some(a), Some(b)) => Some(format!(
                        "`{}` is a column of `{}`, which carries into `{}`, not into `{}` where `{}` is; map `{}` = \"{}\" too",
                        m.from,
                        a.id,
                        c.target(&a.id).unwrap_or("nowhere"),
                        b.id,
                        m.to,
                        a.id,
                        b.id
                    )),
                    (Some(a), None) => {
                        Some(format!("`{}` is a column of the repeat `{}`, but `{}` is not in a repeat", m.from, a.id, m.to))
                    }
                    (None, Some(b)) => {
                        Some(format!("`{}` is not in a repeat, but `{}` is a column of the repeat `{}`", m.from, m.to, b.id))
                    }
                };
                if let Some(why) = level {
                    errors.push(m.to_at.error(format!("`{}` cannot carry into `{}`: {why}", m.from, m.to)));
                } else if let Some(why) = crate::forms::misfit(from, to) {
                    errors.push(
                        m.to_at.error(format!(
                            "`{}` ({}:{}) cannot carry into `{}`: {why}",
                            m.from, from.at.path, from.at.line, m.to
                        )),
                    );
                }
            }
        }
    }
}

/// Two sources writing one output file (say `a.md` and a copied `a.html`),
/// or names that differ only in case, which clash on Windows and macOS.
pub fn collisions(map: &SiteMap, search: &[String], sink: &mut Diagnostics) {
    let mut sources: HashMap<&str, String> = HashMap::new();
    for e in map.entries.iter().filter(|e| matches!(e.kind, Kind::Page | Kind::Asset)) {
        if let Some(source) = &e.source {
            sources.entry(&e.url).or_insert_with(|| source.clone());
        }
    }
    // In the order the files are made: the search index after the packs.
    let written: Vec<&Entry> = map.written().collect();
    let split = written.iter().position(|e| e.kind == Kind::ThemeCss).unwrap_or(written.len());
    let paths = written[..split]
        .iter()
        .map(|e| e.url.as_str())
        .chain(search.iter().map(String::as_str))
        .chain(written[split..].iter().map(|e| e.url.as_str()));
    let mut seen: HashMap<String, &str> = HashMap::new();
    for path in paths {
        let key = path.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let this = sources.get(path).cloned();
            let that = sources.get(first).cloned();
            let (source, other) = match (this, that) {
                (Some(a), Some(b)) if a != b => (a.clone().max(b.clone()), a.min(b)),
                (Some(a), _) | (None, Some(a)) => (a, "a page the generator makes".to_string()),
                (None, None) => ("handbook.toml".to_string(), "another generated page".to_string()),
            };
            let how = if *first == path { "" } else { " (the names differ only in upper and lower case)" };
            sink.push(
                Location::new(&source, 1, 1).error(format!("{source} and {other} would both be written to site/{path}{how}")),
            );
        } else {
            seen.insert(key, path);
        }
    }
}

/// Pages past their review date: a warning in `check` and `build`.
pub fn reviews(site: &Site, sink: &mut Diagnostics) {
    for p in &site.pages {
        let Some(due) = p.review_due() else { continue };
        if due < site.today {
            sink.push(p.reviewed_at.warning(format!(
                "review overdue: \"{}\" was last reviewed on {} and was due for review on {}",
                p.title,
                format_date(p.reviewed.unwrap()),
                format_date(due)
            )));
        }
    }
}
