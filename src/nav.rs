//! The navigation tree, built once per build. Each page shows only the
//! top level and the branch it sits in, so page size stays linear in the
//! number of pages.

use crate::content::Page;
use crate::paths;
use crate::site::Site;
use crate::sitemap::SiteMap;
use serde::Serialize;
use std::collections::HashMap;

/// How many siblings a page's sidebar lists before it shows a window
/// around the current page and a link to the whole section.
pub const MAX_SIBLINGS: usize = 40;

#[derive(Debug, Clone)]
pub struct Node {
    pub title: String,
    pub url: String,
    pub children: Vec<Node>,
}

/// The tree plus, for each URL, the chain of child indexes that reaches it.
pub struct Nav {
    pub top: Vec<Node>,
    trails: HashMap<String, Vec<usize>>,
    /// Content pages in reading order (site-relative URLs).
    pub reading_order: Vec<String>,
    /// Where each URL sits in `reading_order`, so finding neighbours stays O(1).
    positions: HashMap<String, usize>,
    /// The words of the last item when there are too many sections to
    /// list (`nav.all_sections`), with `{count}` to fill.
    all_sections: crate::strings::Strings,
}

#[derive(Debug, Serialize)]
pub struct ShownItem {
    pub title: String,
    pub url: String,
    /// This is the page being shown.
    pub current: bool,
    /// The page being shown is inside this item.
    pub open: bool,
    pub children: Vec<ShownItem>,
    /// Set when the children are a window onto a longer list.
    pub more: Option<ShownMore>,
}

#[derive(Debug, Serialize)]
pub struct ShownMore {
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

impl Nav {
    pub fn new(site: &Site, map: &SiteMap) -> Nav {
        let mut sections: HashMap<&str, Vec<&Page>> = HashMap::new();
        for page in &site.pages {
            if page.is_index {
                if !page.section.is_empty() {
                    sections.entry(parent_of(&page.section)).or_default().push(page);
                }
            } else {
                sections.entry(page.section.as_str()).or_default().push(page);
            }
        }
        for list in sections.values_mut() {
            list.sort_by(|a, b| (a.weight, &a.title, &a.url).cmp(&(b.weight, &b.title, &b.url)));
        }
        fn build(section: &str, sections: &HashMap<&str, Vec<&Page>>, order: &mut Vec<String>) -> Vec<Node> {
            let mut nodes = Vec::new();
            for page in sections.get(section).map(|v| v.as_slice()).unwrap_or(&[]) {
                order.push(page.url.clone());
                let children = if page.is_index { build(&page.section, sections, order) } else { Vec::new() };
                nodes.push(Node { title: page.title.clone(), url: page.url.clone(), children });
            }
            nodes
        }
        let mut reading_order = vec![paths::HOME.to_string()];
        let mut top = build("", &sections, &mut reading_order);
        top.extend(generated_sections(map));
        let mut trails = HashMap::new();
        fn index(nodes: &[Node], trail: &mut Vec<usize>, trails: &mut HashMap<String, Vec<usize>>) {
            for (i, node) in nodes.iter().enumerate() {
                trail.push(i);
                trails.entry(node.url.clone()).or_insert_with(|| trail.clone());
                index(&node.children, trail, trails);
                trail.pop();
            }
        }
        index(&top, &mut Vec::new(), &mut trails);
        let mut positions = HashMap::with_capacity(reading_order.len());
        for (i, url) in reading_order.iter().enumerate() {
            positions.entry(url.clone()).or_insert(i);
        }
        Nav { top, trails, reading_order, positions, all_sections: site.strings.clone() }
    }

    /// The chain of nodes from the top to `url` (empty for pages outside the tree).
    fn trail(&self, url: &str) -> Vec<&Node> {
        let mut nodes = Vec::new();
        let Some(path) = self.trails.get(url) else {
            return nodes;
        };
        let mut level = &self.top;
        for &i in path {
            nodes.push(&level[i]);
            level = &level[i].children;
        }
        nodes
    }

    /// The node of the page at `url` (its children are a section's pages, in order).
    pub fn node(&self, url: &str) -> Option<&Node> {
        self.trails.get(url)?;
        self.trail(url).pop()
    }

    /// The sidebar for the page at `url`: top level, and the open branch.
    /// Pages not in the tree (a decision question, say) pass the URL of
    /// the node they belong to as `within`.
    pub fn shown(&self, url: &str, within: Option<&str>) -> Vec<ShownItem> {
        let key = if self.trails.contains_key(url) { url } else { within.unwrap_or(url) };
        let path = self.trails.get(key).cloned().unwrap_or_default();
        fn show(nodes: &[Node], path: &[usize], url: &str) -> (Vec<ShownItem>, Option<ShownMore>) {
            let open_index = path.first().copied();
            let range = window(nodes.len(), open_index);
            let items = nodes[range.clone()]
                .iter()
                .enumerate()
                .map(|(offset, node)| {
                    let i = range.start + offset;
                    let open = open_index == Some(i);
                    let (children, more) = if open && !node.children.is_empty() {
                        show(&node.children, &path[1..], url)
                    } else {
                        (Vec::new(), None)
                    };
                    let more = more.map(|mut m| {
                        m.url = node.url.clone();
                        m
                    });
                    ShownItem { title: node.title.clone(), url: node.url.clone(), current: node.url == url, open, children, more }
                })
                .collect();
            let more = (range.len() < nodes.len()).then(|| ShownMore { url: String::new(), count: nodes.len() });
            (items, more)
        }
        let (mut items, more) = show(&self.top, &path, url);
        // Too many top-level sections to list: the A to Z lists every page.
        if let Some(more) = more {
            items.push(ShownItem {
                title: self.all_sections.count("nav.all_sections", more.count as i64, &[]),
                url: paths::A_TO_Z.into(),
                current: url == paths::A_TO_Z,
                open: false,
                children: Vec::new(),
                more: None,
            });
        }
        items
    }

    /// Home, then each section above the page (the page itself is not a crumb).
    pub fn breadcrumbs(&self, url: &str, within: Option<&str>, home_title: &str) -> Vec<Crumb> {
        if url == paths::HOME {
            return Vec::new();
        }
        let mut crumbs = vec![Crumb { title: home_title.to_string(), url: paths::HOME.into() }];
        let key = if self.trails.contains_key(url) { url } else { within.unwrap_or(url) };
        for node in self.trail(key) {
            if node.url != url {
                crumbs.push(Crumb { title: node.title.clone(), url: node.url.clone() });
            }
        }
        crumbs
    }

    /// Previous and next pages in reading order.
    pub fn neighbours(&self, url: &str) -> (Option<&str>, Option<&str>) {
        match self.positions.get(url).copied() {
            None => (None, None),
            Some(i) => {
                (i.checked_sub(1).map(|j| self.reading_order[j].as_str()), self.reading_order.get(i + 1).map(|s| s.as_str()))
            }
        }
    }
}

/// A window of at most MAX_SIBLINGS items around the open one.
fn window(len: usize, open: Option<usize>) -> std::ops::Range<usize> {
    if len <= MAX_SIBLINGS {
        return 0..len;
    }
    let centre = open.unwrap_or(0);
    let start = centre.saturating_sub(MAX_SIBLINGS / 2).min(len - MAX_SIBLINGS);
    start..start + MAX_SIBLINGS
}

fn parent_of(section: &str) -> &str {
    section.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

/// Sections the generator makes itself (forms, decision guides, glossary...),
/// listed after the content sections, from the site map.
fn generated_sections(map: &SiteMap) -> Vec<Node> {
    let node = |title: &str, url: &str, children: Vec<Node>| Node { title: title.to_string(), url: url.to_string(), children };
    map.nav_sections()
        .into_iter()
        .map(|s| {
            let children = s.children.iter().map(|c| node(&c.title, &c.url, Vec::new())).collect();
            node(&s.entry.title, &s.entry.url, children)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_stay_bounded() {
        assert_eq!(window(10, Some(3)), 0..10);
        assert_eq!(window(1000, Some(500)), 480..520);
        assert_eq!(window(1000, Some(990)), 960..1000);
        assert_eq!(window(1000, None), 0..40);
    }
}
