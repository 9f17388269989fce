//! The site map: every file the site will hold, built once from the model,
//! with its title and the source it is made from. Link targets, the
//! navigation, the A to Z, the check for clashing outputs and rendering all
//! read it, so a new kind of page is one [`Kind`] and one entry here (and
//! its renderer in `crate::render`).

use crate::markdown::LinkTargets;
use crate::paths;
use crate::site::Site;
use std::collections::HashMap;

/// Titles of the pages the generator makes itself, in English: the
/// site's own come from its words (`titles.*` in `crate::strings`).
pub const FORMS_TITLE: &str = "Forms";
pub const SAVED_DRAFTS_TITLE: &str = "Saved on this device";
pub const DECISIONS_TITLE: &str = "Decision guides";
pub const PACKS_TITLE: &str = "Course packs";
pub const AMENDMENTS_TITLE: &str = "Amendments";
pub const A_TO_Z_TITLE: &str = "A to Z";
pub const NOT_FOUND_TITLE: &str = "Page not found";

/// What an output file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A guidance page or a section's page, from content/.
    Page,
    Form,
    FormSchema,
    /// The stylesheet a form or course pack prints with.
    PrintCss,
    Framework,
    FormsIndex,
    /// Saved on this device: a frame the browser fills with its drafts.
    SavedDrafts,
    Glossary,
    AToZ,
    NotFound,
    Amendments,
    /// The Atom feed of the amendments.
    AmendmentsFeed,
    /// A decision tree's first question: the page links to the tree go to.
    TreeStart,
    TreeQuestion,
    TreeOutcome,
    TreeOverview,
    TreeLevels,
    TreeDot,
    TreesIndex,
    Pack,
    PacksIndex,
    ThemeCss,
    ThemeAsset,
    Logo,
    /// A file under content/ copied as it is.
    Asset,
    /// The page a form or tree file that could not be read would make:
    /// never written, but links to it resolve, so its own errors are not
    /// repeated as broken links.
    Unreadable,
}

impl Kind {
    /// Can a link in the handbook point at it?
    pub fn linkable(self) -> bool {
        !matches!(self, Kind::NotFound | Kind::TreeDot | Kind::PrintCss | Kind::ThemeCss | Kind::ThemeAsset | Kind::Logo)
    }

    /// Is a file written for it?
    pub fn written(self) -> bool {
        self != Kind::Unreadable
    }

    /// Its place among the generated sections at the foot of the navigation.
    fn nav_rank(self) -> Option<u8> {
        match self {
            Kind::FormsIndex => Some(0),
            Kind::TreesIndex => Some(1),
            Kind::Glossary => Some(2),
            Kind::PacksIndex => Some(3),
            Kind::Amendments => Some(4),
            Kind::AToZ => Some(5),
            _ => None,
        }
    }

    /// The generated section it is listed under in the navigation.
    fn nav_parent(self) -> Option<&'static str> {
        match self {
            Kind::Form | Kind::Framework => Some(paths::FORMS_INDEX),
            Kind::TreeStart => Some(paths::DECISIONS_INDEX),
            Kind::Pack => Some(paths::PACKS_INDEX),
            _ => None,
        }
    }

    /// Listed on the A to Z; pages with the same title come in this order.
    fn a_to_z_rank(self) -> Option<u8> {
        match self {
            Kind::Page => Some(0),
            Kind::Glossary => Some(1),
            Kind::Amendments => Some(2),
            Kind::PacksIndex => Some(3),
            Kind::Pack => Some(4),
            Kind::Form => Some(5),
            Kind::TreeStart => Some(6),
            _ => None,
        }
    }
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Site-relative path.
    pub url: String,
    /// What it is called in the navigation, the A to Z and lists.
    pub title: String,
    /// The file it is made from, relative to the handbook folder: links to
    /// that file go to this entry.
    pub source: Option<String>,
    /// Shown under the title in the A to Z.
    pub description: Option<String>,
    pub kind: Kind,
}

/// Every file of the site, in a fixed order (pages, forms, the glossary and
/// other generated pages, decision trees, packs, then the theme and copied
/// files).
#[derive(Debug, Default)]
pub struct SiteMap {
    pub entries: Vec<Entry>,
    by_url: HashMap<String, usize>,
}

/// A generated section in the navigation and its children, in order.
pub struct NavSection<'a> {
    pub entry: &'a Entry,
    pub children: Vec<&'a Entry>,
}

impl SiteMap {
    pub fn new(site: &Site) -> SiteMap {
        let mut map = SiteMap::default();
        let t = |key: &str| site.strings.get(key).to_string();
        for page in &site.pages {
            map.add(Kind::Page, &page.url, &page.title, Some(&page.source), page.description.as_deref());
        }
        let forms = &site.forms;
        for form in &forms.forms {
            map.add(Kind::Form, &form.url(), &form.title, Some(&form.source), None);
            map.add(Kind::FormSchema, &form.schema_url(), &form.title, None, None);
            map.add(Kind::PrintCss, &paths::print_css(&form.url()), &form.title, None, None);
        }
        for fw in &forms.frameworks {
            map.add(Kind::Framework, &fw.url(), &fw.title, Some(&fw.source), None);
        }
        if !forms.forms.is_empty() || !forms.frameworks.is_empty() {
            map.add(Kind::FormsIndex, paths::FORMS_INDEX, &t("titles.forms"), None, None);
        }
        if !forms.forms.is_empty() {
            map.add(Kind::SavedDrafts, paths::SAVED_DRAFTS, &t("titles.saved_drafts"), None, None);
        }
        if let Some(g) = &site.glossary {
            map.add(Kind::Glossary, paths::GLOSSARY, &g.title, Some(crate::glossary::FILE), None);
        }
        map.add(Kind::AToZ, paths::A_TO_Z, &t("titles.a_to_z"), None, None);
        map.add(Kind::NotFound, paths::NOT_FOUND, &t("titles.not_found"), None, None);
        map.add(Kind::Amendments, paths::AMENDMENTS, &t("titles.amendments"), None, Some(&t("titles.amendments_description")));
        map.add(Kind::AmendmentsFeed, paths::AMENDMENTS_FEED, &t("titles.amendments"), None, None);
        for tree in &site.trees.trees {
            for q in &tree.questions {
                if q.id == tree.start {
                    map.add(Kind::TreeStart, &tree.url(), &tree.title, Some(&tree.source), None);
                } else {
                    map.add(Kind::TreeQuestion, &tree.node_url(&q.id), &q.text, None, None);
                }
            }
            for o in &tree.outcomes {
                map.add(Kind::TreeOutcome, &tree.node_url(&o.id), &o.title, None, None);
            }
            map.add(Kind::TreeOverview, &tree.overview_url(), &tree.title, None, None);
            if let Some(url) = tree.levels_url() {
                map.add(Kind::TreeLevels, &url, &tree.title, None, None);
            }
            map.add(Kind::TreeDot, &tree.dot_url(), &tree.title, None, None);
        }
        if !site.trees.trees.is_empty() {
            map.add(Kind::TreesIndex, paths::DECISIONS_INDEX, &t("titles.decisions"), None, None);
        }
        for pack in &site.config.pack {
            let url = paths::pack(pack.id.get_ref());
            map.add(Kind::Pack, &url, &pack.title, None, Some(&t("titles.pack_description")));
            map.add(Kind::PrintCss, &paths::print_css(&url), &pack.title, None, None);
        }
        if !site.config.pack.is_empty() {
            map.add(Kind::PacksIndex, paths::PACKS_INDEX, &t("titles.packs"), None, None);
        }
        map.add(Kind::ThemeCss, paths::THEME_CSS, "", None, None);
        for (name, _) in &site.theme.assets {
            map.add(Kind::ThemeAsset, name, "", None, None);
        }
        if let Some((url, _)) = &site.logo {
            map.add(Kind::Logo, url, "", None, None);
        }
        for asset in &site.assets {
            map.add(Kind::Asset, &asset.url, "", Some(&asset.source), None);
        }
        for (source, url) in site.forms.unreadable.iter().chain(&site.trees.unreadable) {
            map.add(Kind::Unreadable, url, "", Some(source), None);
        }
        map
    }

    fn add(&mut self, kind: Kind, url: &str, title: &str, source: Option<&str>, description: Option<&str>) {
        self.by_url.entry(url.to_string()).or_insert(self.entries.len());
        self.entries.push(Entry {
            url: url.to_string(),
            title: title.to_string(),
            source: source.map(str::to_string),
            description: description.map(str::to_string),
            kind,
        });
    }

    /// The (first) entry written to `url`.
    pub fn get(&self, url: &str) -> Option<&Entry> {
        self.by_url.get(url).map(|&i| &self.entries[i])
    }

    /// Every place a link may point: pages (by source and output), folders,
    /// copied files and generated pages, with their titles; and the named
    /// places inside forms, frameworks and the glossary.
    pub fn link_targets(&self, site: &Site) -> LinkTargets {
        let mut t = LinkTargets::default();
        for e in self.entries.iter().filter(|e| e.kind.linkable()) {
            t.outputs.insert(e.url.clone());
            if !e.title.is_empty() {
                t.titles.entry(e.url.clone()).or_insert_with(|| e.title.clone());
            }
            if let Some(source) = &e.source {
                t.by_source.insert(source.clone(), e.url.clone());
                // A section's folder stands for its index.md.
                if e.kind == Kind::Page
                    && let Some(dir) = source.strip_suffix("/index.md")
                {
                    t.by_source.insert(dir.to_string(), e.url.clone());
                }
            }
        }
        link_places(site, &mut t);
        let w = |key: &str| crate::text::escape(site.strings.get(key));
        t.words.callouts = ["note", "tip", "important", "warning", "caution"]
            .iter()
            .map(|k| (k.to_string(), w(&format!("markdown.{k}"))))
            .collect();
        t.words.done = Some(w("markdown.done"));
        t.words.not_done = Some(w("markdown.not_done"));
        t
    }

    /// The generated sections listed after the content in the navigation,
    /// each with its pages.
    pub fn nav_sections(&self) -> Vec<NavSection<'_>> {
        let mut sections: Vec<(u8, &Entry)> =
            self.entries.iter().filter_map(|e| e.kind.nav_rank().map(|rank| (rank, e))).collect();
        sections.sort_by_key(|(rank, _)| *rank);
        sections
            .into_iter()
            .map(|(_, entry)| NavSection {
                entry,
                children: self.entries.iter().filter(|e| e.kind.nav_parent() == Some(entry.url.as_str())).collect(),
            })
            .collect()
    }

    /// Every entry of the A to Z, sorted by title.
    pub fn a_to_z(&self) -> Vec<&Entry> {
        let mut entries: Vec<(u8, &Entry)> =
            self.entries.iter().filter_map(|e| e.kind.a_to_z_rank().map(|rank| (rank, e))).collect();
        // Stable: equal titles keep their kind's order, then the map's.
        entries.sort_by_key(|(rank, _)| *rank);
        entries.sort_by_key(|(_, e)| e.title.to_lowercase());
        entries.into_iter().map(|(_, e)| e).collect()
    }

    /// The files that are written, in order.
    pub fn written(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind.written())
    }
}

/// The places inside generated pages a link's fragment may name: a form's
/// sections and questions (`early-help-review.toml#next_review`, whose id in
/// the page is `early-help-review--next_review-question`), a framework's
/// outcomes and glossary terms.
fn link_places(site: &Site, t: &mut LinkTargets) {
    use crate::markdown::LinkPlace;
    let place = |id: String, title: &str| LinkPlace { id, title: title.to_string(), pack_id: None };
    for form in &site.forms.forms {
        // A pack prints a form's sections and questions with the form's id before them.
        let in_pack = |id: &str| Some(format!("{}--{id}", form.id));
        let places = t.places.entry(form.url()).or_default();
        for s in &form.sections {
            places.insert(s.id.clone(), LinkPlace { pack_id: in_pack(&s.id), ..place(s.id.clone(), &s.title) });
        }
        for f in form.fields().filter(|f| !matches!(f.kind, crate::forms::FieldKind::Guidance { .. })) {
            let id = format!("{}--{}-question", form.id, f.id);
            places.insert(f.id.clone(), LinkPlace { pack_id: Some(id.clone()), ..place(id, &f.label) });
        }
    }
    for fw in &site.forms.frameworks {
        let places = t.places.entry(fw.url()).or_default();
        for o in &fw.outcomes {
            places.insert(o.id.clone(), place(o.id.clone(), &o.title));
        }
        for a in &fw.areas {
            let id = format!("area-{}", a.id);
            places.insert(id.clone(), place(id, &a.title));
        }
    }
    if let Some(g) = &site.glossary {
        let places = t.places.entry(paths::GLOSSARY.to_string()).or_default();
        for term in &g.terms {
            places.insert(term.anchor.clone(), place(term.anchor.clone(), &term.term));
        }
    }
}
