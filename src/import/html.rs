//! Web pages saved from a council's site (.html), read into a [`Doc`].
//!
//! html5ever parses the page the way a browser does (through
//! markup5ever_rcdom, the same DOM htmd uses, so there is one HTML parser in
//! the binary rather than the second copy scraper would bring). This module
//! picks the main content (`<main>`, `role="main"`, `#content`...), leaves
//! out the site's navigation, header, footer, cookie banner, scripts and
//! forms, rewrites links and images, and writes each block again as plain
//! HTML (no classes, styles or spans) that htmd, a maintained HTML-to-Markdown
//! converter, turns into Markdown. Tables go through the same table writer
//! as Word's, so merged cells are handled alike. The report names each item
//! at the line of its element in the saved file, which the parser gives.

use super::dates::{self, DateLine};
use super::model::{self, At, Block, Cell, Doc, Image, Inline, LinkRef, Style, Table, TableKind};
use base64::Engine as _;
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::borrow::Cow;
use std::cell::{Cell as StdCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Deeper than this, an element's text is kept but not its structure.
const MAX_DEPTH: usize = 200;

/// Reads a saved page. `path` finds its images; `inputs` are the file names
/// of everything imported in this run, so links between them can be kept.
pub fn read(bytes: Vec<u8>, path: &Path, file: &str, inputs: &[String]) -> Result<Doc, String> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => windows_1252(e.as_bytes()),
    };
    if !text.contains('<') {
        return Err("this is not a web page: it has no HTML in it".into());
    }
    let parsed = html5ever::parse_document(LineDom::default(), Default::default()).one(text.as_str());
    let lines = parsed.lines.into_inner();
    let dom = parsed.dom;
    let html = child_element(&dom.document, "html").ok_or("this web page has no <html> element")?;
    let head = child_element(&html, "head");
    let body = child_element(&html, "body").ok_or("this web page has no <body>")?;
    let page_url = page_url(&text, head.as_ref());
    let main = find_main(&body).unwrap_or_else(|| body.clone());

    let mut ids = HashSet::new();
    collect_ids(&main, &mut ids, 0);
    let headings = count_headings(&main);
    let mut r = Reader {
        doc: Doc { file: file.to_string(), ..Default::default() },
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        page_url,
        inputs: inputs.to_vec(),
        ids,
        // One <h1> at the top is the page's title; the headings under it are the sections.
        title_h1: headings.first() == Some(&1) && headings.iter().filter(|&&l| l == 1).count() == 1,
        shift: 0,
        heading: None,
        seen_heading: false,
        anchors: Vec::new(),
        inline: String::new(),
        skip_list: false,
        noted: HashSet::new(),
        lines,
        line: None,
    };
    r.shift = if r.title_h1 { 1 } else { headings.iter().copied().min().unwrap_or(1) - 1 };
    if let Some(head) = &head {
        r.head(head);
    }
    r.walk(&main, 0);
    r.flush_inline();
    let mut doc = r.doc;
    if doc.title.is_none()
        && let Some(head) = &head
    {
        doc.title = child_element(head, "title").map(|t| site_suffix_removed(&text_of(&t)));
    }
    Ok(doc)
}

/// Text that is not UTF-8 is taken to be Windows-1252, as older saved pages are.
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“',
        '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    bytes.iter().map(|&b| if (0x80..0xa0).contains(&b) { HIGH[(b - 0x80) as usize] } else { b as char }).collect()
}

fn tag(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs.borrow().iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string()),
        _ => None,
    }
}

fn child_element(node: &Handle, name: &str) -> Option<Handle> {
    node.children.borrow().iter().find(|c| tag(c).as_deref() == Some(name)).cloned()
}

fn text_of(node: &Handle) -> String {
    let mut s = String::new();
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        match &n.data {
            NodeData::Text { contents } => s.push_str(&contents.borrow()),
            NodeData::Element { .. } if matches!(tag(&n).as_deref(), Some("script" | "style" | "template")) => {}
            _ => stack.extend(n.children.borrow().iter().rev().cloned()),
        }
    }
    model::collapse_spaces(&s)
}

/// "Stepping down | Northshire Procedures Manual" is "Stepping down".
fn site_suffix_removed(title: &str) -> String {
    for sep in [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: "] {
        if let Some((first, _)) = title.split_once(sep)
            && first.trim().len() >= 3
        {
            return first.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// Where the page was saved from: the "saved from url" comment browsers
/// write, the canonical link, or `<base href>`.
fn page_url(text: &str, head: Option<&Handle>) -> Option<String> {
    if let Some(i) = text[..text.len().min(4096)].find("saved from url=(") {
        let rest = &text[i + "saved from url=(".len()..];
        if let Some(j) = rest.find(')') {
            let url: String = rest[j + 1..].chars().take_while(|c| !c.is_whitespace() && *c != '-').collect();
            if url.starts_with("http") {
                return Some(url);
            }
        }
    }
    let head = head?;
    for child in head.children.borrow().iter() {
        match tag(child).as_deref() {
            Some("link") if attr(child, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) => {
                if let Some(h) = attr(child, "href").filter(|h| h.starts_with("http")) {
                    return Some(h);
                }
            }
            Some("base") => {
                if let Some(h) = attr(child, "href").filter(|h| h.starts_with("http")) {
                    return Some(h);
                }
            }
            _ => {}
        }
    }
    None
}

/// The main content: `<main>`, `role="main"`, a lone `<article>`, or an
/// element whose id says so.
fn find_main(body: &Handle) -> Option<Handle> {
    let mut by_tag = None;
    let mut by_role = None;
    let mut by_id = None;
    let mut articles = Vec::new();
    let mut stack = vec![(body.clone(), 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        if let Some(t) = tag(&n) {
            if t == "main" && by_tag.is_none() {
                by_tag = Some(n.clone());
            }
            if attr(&n, "role").is_some_and(|r| r == "main") && by_role.is_none() {
                by_role = Some(n.clone());
            }
            if t == "article" {
                articles.push(n.clone());
            }
            if by_id.is_none()
                && attr(&n, "id").is_some_and(|id| {
                    matches!(
                        id.to_lowercase().as_str(),
                        "content" | "main-content" | "maincontent" | "main" | "page-content" | "primary"
                    )
                })
            {
                by_id = Some(n.clone());
            }
        }
        stack.extend(n.children.borrow().iter().rev().map(|c| (c.clone(), depth + 1)));
    }
    by_tag.or(by_role).or(if articles.len() == 1 { articles.pop() } else { None }).or(by_id)
}

fn collect_ids(node: &Handle, ids: &mut HashSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for key in ["id", "name"] {
        if let Some(v) = attr(node, key) {
            ids.insert(v);
        }
    }
    for c in node.children.borrow().iter() {
        collect_ids(c, ids, depth + 1);
    }
}

fn heading_level(t: &str) -> Option<u8> {
    match t {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The levels of the headings that will be imported, in order.
fn count_headings(node: &Handle) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![(node.clone(), 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > MAX_DEPTH || is_chrome(&n) {
            continue;
        }
        if let Some(l) = tag(&n).as_deref().and_then(heading_level) {
            out.push(l);
            continue;
        }
        stack.extend(n.children.borrow().iter().rev().map(|c| (c.clone(), depth + 1)));
    }
    out
}

/// The site around the content: left out.
fn is_chrome(n: &Handle) -> bool {
    let Some(t) = tag(n) else { return false };
    if matches!(
        t.as_str(),
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "aside"
            | "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "label"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "canvas"
            | "dialog"
            | "footer"
            | "link"
            | "meta"
            | "head"
    ) {
        return true;
    }
    if t == "header" && !contains_tag(n, "h1") {
        return true;
    }
    if attr(n, "hidden").is_some() || attr(n, "aria-hidden").is_some_and(|v| v == "true") {
        return true;
    }
    if attr(n, "role")
        .is_some_and(|r| matches!(r.as_str(), "navigation" | "banner" | "contentinfo" | "search" | "dialog" | "alertdialog"))
    {
        return true;
    }
    let words = format!("{} {}", attr(n, "class").unwrap_or_default(), attr(n, "id").unwrap_or_default()).to_lowercase();
    [
        "cookie",
        "breadcrumb",
        "skip-link",
        "skiplink",
        "share",
        "feedback",
        "visually-hidden",
        "sr-only",
        "print-link",
        "back-to-top",
    ]
    .iter()
    .any(|w| words.contains(w))
}

fn contains_tag(n: &Handle, name: &str) -> bool {
    let mut stack = vec![(n.clone(), 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        if tag(&n).as_deref() == Some(name) {
            return true;
        }
        stack.extend(n.children.borrow().iter().map(|c| (c.clone(), depth + 1)));
    }
    false
}

const BLOCKS: [&str; 16] = [
    "p",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "figure",
    "hr",
    "address",
    "table",
    "div",
    "section",
    "article",
    "main",
    "header",
    "details",
];

struct Reader {
    doc: Doc,
    dir: PathBuf,
    page_url: Option<String>,
    inputs: Vec<String>,
    ids: HashSet<String>,
    title_h1: bool,
    shift: u8,
    heading: Option<String>,
    seen_heading: bool,
    anchors: Vec<String>,
    /// Inline content met between blocks, kept until the next block.
    inline: String,
    /// Skipping the list after a "Contents" heading.
    skip_list: bool,
    /// Links already reported.
    noted: HashSet<String>,
    /// The source line of each element (by its node's address).
    lines: HashMap<usize, usize>,
    /// The line of the element being read, for the report.
    line: Option<usize>,
}

impl Reader {
    fn at(&self) -> At {
        At { para: None, line: self.line, heading: self.heading.clone() }
    }

    /// Reading `node` now: report items name its line.
    fn mark(&mut self, node: &Handle) {
        if let Some(&l) = self.lines.get(&node_key(node)) {
            self.line = Some(l);
        }
    }

    fn note(&mut self, message: impl Into<String>) {
        let at = self.at();
        self.doc.note(&at, message);
    }

    fn head(&mut self, head: &Handle) {
        for child in head.children.borrow().iter() {
            if tag(child).as_deref() != Some("meta") {
                continue;
            }
            let name = attr(child, "name").or_else(|| attr(child, "property")).unwrap_or_default().to_lowercase();
            if matches!(
                name.as_str(),
                "dcterms.modified" | "dc.date.modified" | "article:modified_time" | "last-modified" | "dc.date" | "dcterms.date"
            ) && self.doc.dates.reviewed.is_none()
                && let Some(d) = attr(child, "content").and_then(|c| dates::parse_date(&c))
            {
                self.doc.dates.reviewed = Some(d);
                self.doc.dates.reviewed_is_saved_date = true;
                self.doc.dates.reviewed_from = Some(format!("the page's `{name}` date"));
            }
        }
    }

    fn push(&mut self, markdown: String) {
        let markdown = tidy_markdown(&markdown);
        if markdown.is_empty() {
            return;
        }
        let anchors = std::mem::take(&mut self.anchors);
        let at = self.at();
        self.doc.blocks.push(Block::Body { markdown, anchors, at });
    }

    fn flush_inline(&mut self) {
        if self.inline.trim().is_empty() {
            self.inline.clear();
            return;
        }
        let html = format!("<p>{}</p>", std::mem::take(&mut self.inline));
        self.push(to_markdown(&html));
    }

    /// Content at block level: headings and tables become their own blocks,
    /// containers that hold them are walked into, other blocks are converted.
    fn walk(&mut self, node: &Handle, depth: usize) {
        let children: Vec<Handle> = node.children.borrow().clone();
        for child in children {
            match &child.data {
                NodeData::Text { contents } => {
                    let t = contents.borrow().to_string();
                    if !t.trim().is_empty() {
                        self.inline.push_str(&escape_html(&t));
                    }
                }
                NodeData::Element { .. } => {
                    self.mark(&child);
                    if is_chrome(&child) {
                        if matches!(tag(&child).as_deref(), Some("iframe" | "object" | "embed")) {
                            self.note("an embedded frame (a video, map or form from another site) cannot be imported: link to it instead");
                        }
                        if matches!(tag(&child).as_deref(), Some("form" | "input" | "select" | "textarea")) {
                            self.note("the page has a form: a form belongs in a TOML form in forms/, which practitioners can fill in online (see \"Forms\" in the README)");
                        }
                        continue;
                    }
                    let t = tag(&child).unwrap_or_default();
                    if let Some(level) = heading_level(&t) {
                        self.heading_block(&child, level);
                    } else if t == "table" {
                        self.flush_inline();
                        self.table(&child);
                    } else if BLOCKS.contains(&t.as_str()) || t == "li" {
                        self.flush_inline();
                        let holds_structure =
                            contains_tag(&child, "table") || (1..=6).any(|l| contains_tag(&child, &format!("h{l}")));
                        if matches!(t.as_str(), "div" | "section" | "article" | "main" | "header")
                            && holds_structure
                            && depth < MAX_DEPTH
                        {
                            if let Some(id) = attr(&child, "id") {
                                self.anchors.push(id);
                            }
                            self.walk(&child, depth + 1);
                            self.flush_inline();
                        } else {
                            self.block(&child, &t);
                        }
                    } else {
                        let mut s = String::new();
                        self.clean(&child, &mut s, depth);
                        self.inline.push_str(&s);
                    }
                }
                _ => {}
            }
        }
    }

    fn heading_block(&mut self, h: &Handle, level: u8) {
        self.flush_inline();
        self.skip_list = false;
        let text = text_of(h);
        let mut anchors = std::mem::take(&mut self.anchors);
        anchors.extend(attr(h, "id"));
        let mut stack = vec![h.clone()];
        while let Some(n) = stack.pop() {
            if tag(&n).as_deref() == Some("a") {
                anchors.extend(attr(&n, "id"));
                anchors.extend(attr(&n, "name"));
            }
            stack.extend(n.children.borrow().iter().cloned());
        }
        if text.is_empty() {
            self.anchors = anchors;
            return;
        }
        if level == 1 && self.title_h1 && self.doc.title.is_none() {
            self.doc.title = Some(text);
            self.doc.title_anchors.extend(anchors);
            return;
        }
        let lower = text.to_lowercase();
        if matches!(
            lower.as_str(),
            "contents"
                | "on this page"
                | "in this chapter"
                | "contents of this chapter"
                | "table of contents"
                | "in this section"
        ) {
            self.skip_list = true;
            return;
        }
        self.seen_heading = true;
        self.heading = Some(text.clone());
        let shown = model::strip_numbering(&text).to_string();
        let md = model::render(&[Inline::Text(shown.clone(), Style::default())]);
        let at = self.at();
        self.doc.blocks.push(Block::Heading {
            level: level.saturating_sub(self.shift).max(1),
            text: md,
            plain: shown,
            anchors,
            at,
        });
    }

    fn block(&mut self, node: &Handle, t: &str) {
        // A list of links to places on this page is the page's own Contents.
        if matches!(t, "ul" | "ol") && (self.skip_list || is_contents_list(node)) {
            self.skip_list = false;
            return;
        }
        self.skip_list = false;
        let text = text_of(node);
        if t == "p" {
            if !self.seen_heading {
                match dates::date_line(&text) {
                    Some(DateLine::Reviewed(d)) => {
                        if self.doc.dates.reviewed.is_none() || self.doc.dates.reviewed_is_saved_date {
                            self.doc.dates.reviewed = Some(d);
                            self.doc.dates.reviewed_is_saved_date = false;
                            self.doc.dates.reviewed_from = Some(format!("the line \"{text}\""));
                        }
                        return;
                    }
                    Some(DateLine::NextReview(d)) => {
                        self.doc.dates.next_review.get_or_insert(d);
                        return;
                    }
                    None => {}
                }
            }
            let lower = text.to_lowercase();
            if lower == "back to top" || lower == "top of page" || lower == "print this page" {
                return;
            }
        }
        // Bold lines that look like headings, in this block or its paragraphs.
        let mut paras = vec![node.clone()];
        if t != "p" {
            paras = node.children.borrow().iter().filter(|c| tag(c).as_deref() == Some("p")).cloned().collect();
        }
        for p in paras {
            let text = text_of(&p);
            self.mark(&p);
            if is_bold_line(&p) && text.chars().count() < 80 && !text.ends_with(['.', ':', ';', ',', '?']) {
                self.note(format!(
                    "\"{text}\" is bold text on its own line, which looks like a heading that is not marked as one: if it is a heading, change `**...**` to `## ...`"
                ));
            }
        }
        let mut html = String::new();
        self.clean(node, &mut html, 0);
        self.push(to_markdown(&html));
    }

    /// Writes `node` again as plain HTML: only the elements Markdown has,
    /// links and images rewritten, everything else unwrapped or left out.
    fn clean(&mut self, node: &Handle, out: &mut String, depth: usize) {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&escape_html(&contents.borrow())),
            NodeData::Element { .. } => {
                if is_chrome(node) {
                    return;
                }
                self.mark(node);
                let t = tag(node).unwrap_or_default();
                if let Some(id) = attr(node, "id").or_else(|| if t == "a" { attr(node, "name") } else { None }) {
                    self.anchors.push(id);
                }
                if depth > MAX_DEPTH {
                    out.push_str(&escape_html(&text_of(node)));
                    return;
                }
                let kept = match t.as_str() {
                    "p" | "ul" | "ol" | "li" | "blockquote" | "pre" | "code" | "hr" | "sup" | "sub" | "dl" | "dt" | "dd"
                    | "em" | "strong" | "br" | "table" | "thead" | "tbody" | "tfoot" | "tr" => Some(t.clone()),
                    "b" => Some("strong".into()),
                    "i" | "cite" | "dfn" => Some("em".into()),
                    "s" | "strike" | "del" => Some("del".into()),
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some("strong".into()),
                    "div" | "section" | "article" | "figure" | "address" | "header" | "details" | "summary" | "figcaption" => {
                        Some("div".into())
                    }
                    "th" | "td" => Some(t.clone()),
                    _ => None,
                };
                match t.as_str() {
                    "a" => {
                        let dest = attr(node, "href").and_then(|h| self.link_dest(&h, &text_of(node)));
                        let mut inner = String::new();
                        self.children(node, &mut inner, depth);
                        match dest {
                            Some(d) if !inner.trim().is_empty() => {
                                out.push_str(&format!("<a href=\"{}\">{inner}</a>", escape_html(&d)));
                            }
                            _ => out.push_str(&inner),
                        }
                    }
                    "img" => self.img(node, out),
                    "ins" | "u" | "span" | "font" | "small" | "big" | "abbr" | "acronym" | "mark" | "time" | "q" | "bdi"
                    | "bdo" | "center" | "nobr" | "wbr" | "label" | "main" | "picture" => self.children(node, out, depth),
                    _ => match kept {
                        Some(k) => {
                            let mut attrs = String::new();
                            if k == "td" || k == "th" {
                                for a in ["colspan", "rowspan"] {
                                    if let Some(v) = attr(node, a).filter(|v| v.chars().all(|c| c.is_ascii_digit())) {
                                        attrs.push_str(&format!(" {a}=\"{v}\""));
                                    }
                                }
                            }
                            if k == "ol"
                                && let Some(s) = attr(node, "start").filter(|v| v.chars().all(|c| c.is_ascii_digit()))
                            {
                                attrs.push_str(&format!(" start=\"{s}\""));
                            }
                            if k == "br" || k == "hr" {
                                out.push_str(&format!("<{k}>"));
                                return;
                            }
                            out.push_str(&format!("<{k}{attrs}>"));
                            self.children(node, out, depth);
                            out.push_str(&format!("</{k}>"));
                        }
                        // Unknown elements (Word's <o:p>, custom tags): their content only.
                        None => self.children(node, out, depth),
                    },
                }
            }
            _ => {}
        }
    }

    fn children(&mut self, node: &Handle, out: &mut String, depth: usize) {
        let children: Vec<Handle> = node.children.borrow().clone();
        for c in children {
            self.clean(&c, out, depth + 1);
        }
    }

    fn img(&mut self, node: &Handle, out: &mut String) {
        let src = attr(node, "src").unwrap_or_default();
        let alt = attr(node, "alt");
        let shown_alt = alt.clone().map(|a| model::collapse_spaces(&a)).unwrap_or_default();
        match self.image_bytes(&src) {
            Ok(image) => {
                if alt.is_none() {
                    self.note("an image has no alt text: write a short description of what it shows between the `![` and `]`, or leave it empty if the image is only decoration");
                }
                let dest = self.doc.image(image);
                out.push_str(&format!("<img src=\"{}\" alt=\"{}\">", escape_html(&dest), escape_html(&shown_alt)));
            }
            Err(why) => {
                let what = if shown_alt.is_empty() { String::new() } else { format!(" (\"{shown_alt}\")") };
                self.note(format!("an image{what} was left out: {why}"));
            }
        }
    }

    fn image_bytes(&self, src: &str) -> Result<Image, String> {
        if let Some(data) = src.strip_prefix("data:") {
            let (meta, payload) = data.split_once(',').ok_or("its data: address is broken")?;
            let ext = match meta.split(';').next().unwrap_or("") {
                "image/png" => "png",
                "image/jpeg" => "jpg",
                "image/gif" => "gif",
                "image/svg+xml" => "svg",
                "image/webp" => "webp",
                other => return Err(format!("it is of type `{other}`, which the import does not copy")),
            };
            if !meta.ends_with(";base64") {
                return Err("its data: address is not base64".into());
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(payload.trim())
                .map_err(|_| "its data: address is not valid base64".to_string())?;
            return Ok(Image { bytes, ext: ext.into() });
        }
        let lower = src.to_lowercase();
        if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//") {
            return Err(format!(
                "it is on the web (`{src}`), and a handbook page may only show its own images: save the image beside the page and add it with `![description](file.png)`"
            ));
        }
        let rel = src.split(['?', '#']).next().unwrap_or("");
        let rel = crate::paths::percent_decode(rel).unwrap_or_else(|| rel.to_string());
        let ext = rel.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
        let ext = if ext == "jpeg" { "jpg".to_string() } else { ext };
        if !matches!(ext.as_str(), "png" | "jpg" | "gif" | "svg" | "webp" | "bmp") {
            return Err(format!("`{src}` is not an image file a browser can show"));
        }
        let path = self.dir.join(&rel);
        // Only the page's own folder (and its `_files` folder): a saved page's images.
        let (Ok(dir), Ok(real)) = (self.dir.canonicalize(), path.canonicalize()) else {
            return Err(format!(
                "`{src}` was not saved with the page; save the page again as \"Web Page, complete\", or add the image by hand"
            ));
        };
        if !real.starts_with(&dir) {
            return Err(format!("`{src}` is outside the folder the page was saved in"));
        }
        let bytes = std::fs::read(&real).map_err(|e| format!("`{src}` cannot be read: {e}"))?;
        Ok(Image { bytes, ext })
    }

    /// Where a link goes in the handbook, or `None` (with a note) when it goes nowhere.
    fn link_dest(&mut self, href: &str, text: &str) -> Option<String> {
        let href = href.trim();
        let lower = href.to_lowercase();
        if lower.starts_with("javascript:") || href.is_empty() {
            return None;
        }
        if lower.starts_with("mailto:") || lower.starts_with("tel:") {
            return Some(href.to_string());
        }
        if let Some(frag) = href.strip_prefix('#') {
            return self.anchor(frag, text);
        }
        let absolute = if lower.starts_with("http:") || lower.starts_with("https:") {
            Some(href.to_string())
        } else {
            self.page_url.as_deref().and_then(|base| join_url(base, href))
        };
        // The same page, by its full address.
        if let (Some(abs), Some(page)) = (&absolute, &self.page_url)
            && let Some((before, frag)) = abs.split_once('#')
            && before == page.split('#').next().unwrap_or(page)
        {
            return self.anchor(frag, text);
        }
        // Another page imported in the same run.
        let path_part = href.split(['?', '#']).next().unwrap_or("");
        let name = path_part.rsplit('/').next().unwrap_or("");
        let name = crate::paths::percent_decode(name).unwrap_or_else(|| name.to_string());
        if !name.is_empty()
            && let Some(input) = self.inputs.iter().find(|i| i.eq_ignore_ascii_case(&name))
        {
            let input = input.clone();
            return Some(self.doc.link(LinkRef::File(input)));
        }
        match absolute {
            Some(abs) => {
                let same_site = self.page_url.as_deref().is_some_and(|p| host(p) == host(&abs));
                if same_site && self.noted.insert(abs.clone()) {
                    self.note(format!(
                        "the link \"{text}\" goes to `{abs}`, a page of the site that was not imported: it was kept as a link to the site; import that page too to keep readers in the handbook"
                    ));
                }
                Some(abs)
            }
            None => {
                self.note(format!(
                    "the link \"{text}\" points to `{href}`, which did not come across, so it was left out (its text is kept): import that page too, or link to where it is published"
                ));
                None
            }
        }
    }

    fn anchor(&mut self, frag: &str, text: &str) -> Option<String> {
        let frag = crate::paths::percent_decode(frag).unwrap_or_else(|| frag.to_string());
        if frag.is_empty() || frag == "top" {
            return None;
        }
        if self.ids.contains(&frag) {
            return Some(self.doc.link(LinkRef::Anchor(frag)));
        }
        self.note(format!(
            "the link \"{text}\" points to `#{frag}`, which is not on the page, so it was left out (its text is kept)"
        ));
        None
    }

    fn table(&mut self, node: &Handle) {
        let at = self.at();
        let (table, caption, nested) = self.read_table(node);
        if let Some(text) = caption {
            self.push(format!("**{}**", model::render(&[Inline::Text(text, Style::default())])));
        }
        if table.rows.iter().flatten().all(Cell::is_empty) {
            return;
        }
        self.doc.tables += 1;
        let n = self.doc.tables;
        let cells: Vec<&Cell> = table.rows.iter().flatten().collect();
        let empty = cells.iter().filter(|c| c.is_empty()).count();
        if empty >= 2 && empty * 3 >= cells.len() {
            self.note(format!(
                "table {n} looks like a form to fill in ({empty} empty boxes): make it a TOML form in forms/ so practitioners can fill it in online and print it (see \"Forms\" in the README)"
            ));
        }
        let (markdown, kind) = model::render_table(&table);
        if let Some(line) = nested {
            let at = At { line: Some(line), ..self.at() };
            self.doc.note(&at, format!(
                "table {n} has a table inside a cell, which was kept as an HTML table inside that cell (so the outer table is HTML too): check that it reads in order, or make the inner table a list"
            ));
        } else if let TableKind::Html(why) = kind {
            self.note(format!("table {n} was kept as an HTML table because {why}: check that it reads in order"));
        }
        let anchors = std::mem::take(&mut self.anchors);
        self.doc.blocks.push(Block::Body { markdown, anchors, at });
    }

    /// A table's rows and cells, its caption, and the line of the first
    /// table inside one of its cells. An inner table is kept in its cell as
    /// HTML (Markdown has no tables in tables), so its text stays in order.
    fn read_table(&mut self, node: &Handle) -> (Table, Option<String>, Option<usize>) {
        let mut caption = None;
        let mut nested = None;
        let mut rows: Vec<(Handle, bool)> = Vec::new();
        for child in node.children.borrow().iter() {
            match tag(child).as_deref() {
                Some("tr") => rows.push((child.clone(), false)),
                Some(section @ ("thead" | "tbody" | "tfoot")) => {
                    for tr in child.children.borrow().iter().filter(|c| tag(c).as_deref() == Some("tr")) {
                        rows.push((tr.clone(), section == "thead"));
                    }
                }
                Some("caption") => {
                    let text = text_of(child);
                    if !text.is_empty() {
                        caption = Some(text);
                    }
                }
                _ => {}
            }
        }
        let mut table = Table::default();
        let mut header_run = true;
        for (ri, (tr, in_head)) in rows.iter().enumerate() {
            let cells: Vec<Handle> =
                tr.children.borrow().iter().filter(|c| matches!(tag(c).as_deref(), Some("td" | "th"))).cloned().collect();
            let all_th = !cells.is_empty() && cells.iter().all(|c| tag(c).as_deref() == Some("th"));
            if header_run && (*in_head || (all_th && ri == table.header_rows)) {
                table.header_rows += 1;
            } else {
                header_run = false;
            }
            let mut row = Vec::new();
            for c in cells {
                let span = |a: &str| attr(&c, a).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, 64);
                if contains_tag(&c, "table") {
                    let mut cell = Cell { colspan: span("colspan"), rowspan: span("rowspan"), block: true, ..Default::default() };
                    self.nested_cell(&c, &mut cell, &mut nested);
                    row.push(cell);
                    continue;
                }
                let mut html = String::new();
                self.children(&c, &mut html, 1);
                let md = tidy_markdown(&to_markdown(&html));
                let block = md.lines().any(|l| {
                    let l = l.trim_start();
                    l.starts_with("- ")
                        || l.starts_with("* ")
                        || l.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                });
                let mut cell = Cell { colspan: span("colspan"), rowspan: span("rowspan"), block, ..Default::default() };
                if !md.is_empty() {
                    cell.paras.push(md);
                }
                row.push(cell);
            }
            table.rows.push(row);
        }
        (table, caption, nested)
    }

    /// A cell with a table inside: the text around the inner table as
    /// Markdown, the inner table as HTML, in their order.
    fn nested_cell(&mut self, c: &Handle, cell: &mut Cell, nested: &mut Option<usize>) {
        let mut html = String::new();
        let children: Vec<Handle> = c.children.borrow().clone();
        for child in children {
            if tag(&child).as_deref() == Some("table") {
                let md = tidy_markdown(&to_markdown(&std::mem::take(&mut html)));
                if !md.is_empty() {
                    cell.paras.push(md);
                }
                self.mark(&child);
                nested.get_or_insert(self.line.unwrap_or(0));
                let (inner, caption, _) = self.read_table(&child);
                if let Some(text) = caption {
                    cell.paras.push(format!("**{}**", model::render(&[Inline::Text(text, Style::default())])));
                }
                if !inner.rows.iter().flatten().all(Cell::is_empty) {
                    cell.paras.push(model::render_table_html(&inner));
                }
            } else if contains_tag(&child, "table") {
                // A table further down (in a div): its text as the cell's, in order.
                let md = tidy_markdown(&to_markdown(&std::mem::take(&mut html)));
                if !md.is_empty() {
                    cell.paras.push(md);
                }
                self.nested_cell(&child, cell, nested);
            } else {
                self.clean(&child, &mut html, 1);
            }
        }
        let md = tidy_markdown(&to_markdown(&html));
        if !md.is_empty() {
            cell.paras.push(md);
        }
    }
}

fn node_key(node: &Handle) -> usize {
    Rc::as_ptr(node) as usize
}

/// The DOM htmd and this module read (RcDom), and the source line of every
/// element in it. html5ever tells its tree sink the line of each token
/// before handing it over (`set_current_line`), so an element's line is
/// the line its start tag ends on: the parser's own position, where a text
/// search would find the wrong one of two identical headings.
#[derive(Default)]
struct LineDom {
    dom: RcDom,
    line: StdCell<u64>,
    lines: RefCell<HashMap<usize, usize>>,
}

impl TreeSink for LineDom {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Self {
        self
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.dom.parse_error(msg)
    }
    fn get_document(&self) -> Handle {
        self.dom.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        self.dom.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let node = self.dom.create_element(name, attrs, flags);
        self.lines.borrow_mut().insert(node_key(&node), self.line.get().max(1) as usize);
        node
    }
    fn create_comment(&self, text: html5ever::tendril::StrTendril) -> Handle {
        self.dom.create_comment(text)
    }
    fn create_pi(&self, target: html5ever::tendril::StrTendril, data: html5ever::tendril::StrTendril) -> Handle {
        self.dom.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.dom.append(parent, child)
    }
    fn append_based_on_parent_node(&self, element: &Handle, prev_element: &Handle, child: NodeOrText<Handle>) {
        self.dom.append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: html5ever::tendril::StrTendril,
        public_id: html5ever::tendril::StrTendril,
        system_id: html5ever::tendril::StrTendril,
    ) {
        self.dom.append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &Handle) {
        self.dom.mark_script_already_started(node)
    }
    fn pop(&self, node: &Handle) {
        self.dom.pop(node)
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.dom.get_template_contents(target)
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.dom.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.dom.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.dom.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.dom.add_attrs_if_missing(target, attrs)
    }
    fn associate_with_form(&self, target: &Handle, form: &Handle, nodes: (&Handle, Option<&Handle>)) {
        self.dom.associate_with_form(target, form, nodes)
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.dom.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.dom.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.dom.is_mathml_annotation_xml_integration_point(handle)
    }
    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
    fn allow_declarative_shadow_roots(&self, intended_parent: &Handle) -> bool {
        self.dom.allow_declarative_shadow_roots(intended_parent)
    }
    fn attach_declarative_shadow(&self, location: &Handle, template: &Handle, attrs: &[Attribute]) -> bool {
        self.dom.attach_declarative_shadow(location, template, attrs)
    }
    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Handle) {
        self.dom.maybe_clone_an_option_into_selectedcontent(option)
    }
}

/// A paragraph that is nothing but bold text.
fn is_bold_line(p: &Handle) -> bool {
    let kids = p.children.borrow();
    let mut bold = false;
    for k in kids.iter() {
        match &k.data {
            NodeData::Text { contents } if contents.borrow().trim().is_empty() => {}
            NodeData::Element { .. } if matches!(tag(k).as_deref(), Some("strong" | "b")) => bold = true,
            _ => return false,
        }
    }
    bold
}

/// A list whose every item is only a link to a place on this page.
fn is_contents_list(list: &Handle) -> bool {
    let items: Vec<Handle> = list.children.borrow().iter().filter(|c| tag(c).as_deref() == Some("li")).cloned().collect();
    items.len() >= 2
        && items.iter().all(|li| {
            let links: Vec<Handle> = li.children.borrow().iter().filter(|c| tag(c).as_deref() == Some("a")).cloned().collect();
            links.len() == 1 && attr(&links[0], "href").is_some_and(|h| h.starts_with('#')) && text_of(&links[0]) == text_of(li)
        })
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn to_markdown(html: &str) -> String {
    let converter = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            br_style: htmd::options::BrStyle::Backslash,
            ..Default::default()
        })
        .build();
    converter.convert(html).unwrap_or_default()
}

/// The spacing a web page makes with `<br><br>` and `&nbsp;` is not text.
fn tidy_markdown(md: &str) -> String {
    let md = md.replace('\u{a0}', " ");
    let mut lines: Vec<String> = Vec::new();
    for line in md.lines() {
        let trimmed = line.trim_end();
        if trimmed == "\\" {
            // A line that is only a hard break: spacing.
            lines.push(String::new());
            continue;
        }
        lines.push(trimmed.to_string());
    }
    // A hard break before a blank line or at the end breaks nothing.
    for k in 0..lines.len() {
        let next_blank = lines.get(k + 1).is_none_or(|l| l.trim().is_empty());
        if next_blank {
            while lines[k].ends_with('\\') {
                lines[k].pop();
                let t = lines[k].trim_end().to_string();
                lines[k] = t;
            }
        }
    }
    let mut out = String::new();
    let mut blank = 0;
    for line in lines {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out.trim().to_string()
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Resolves `href` against the page's address (RFC 3986 section 5.2, for
/// http and https only). Written here because the `url` crate would bring
/// the whole of ICU for international domain names, which this never needs.
fn join_url(base: &str, href: &str) -> Option<String> {
    let (scheme, rest) = base.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let path = &rest[authority.len()..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    if href.starts_with("//") {
        return Some(format!("{scheme}:{href}"));
    }
    if href.contains("://")
        || href.contains(':')
            && !href.starts_with(['.', '/'])
            && href.split(':').next().is_some_and(|s| s.chars().all(char::is_alphanumeric))
    {
        return None;
    }
    let (href_path, suffix) = match href.find(['?', '#']) {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    let merged = if href_path.is_empty() {
        path.to_string()
    } else if href_path.starts_with('/') {
        href_path.to_string()
    } else {
        let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        format!("{dir}/{href_path}")
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = merged.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            s => {
                if i == 0 || !s.is_empty() || i == segments.len() - 1 {
                    out.push(s);
                }
            }
        }
    }
    let mut p = out.join("/");
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    Some(format!("{scheme}://{authority}{p}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        let base = "https://example.org/chapters/p_step_down.html";
        assert_eq!(join_url(base, "p_lead.html").as_deref(), Some("https://example.org/chapters/p_lead.html"));
        assert_eq!(join_url(base, "../chapters/p_taf.html#x").as_deref(), Some("https://example.org/chapters/p_taf.html#x"));
        assert_eq!(join_url(base, "/index.html").as_deref(), Some("https://example.org/index.html"));
        assert_eq!(join_url(base, "//cdn.example.org/a.png").as_deref(), Some("https://cdn.example.org/a.png"));
    }

    #[test]
    fn spacing_breaks_go() {
        assert_eq!(tidy_markdown("One\\\n\\\n\nTwo\\\n"), "One\n\nTwo");
        assert_eq!(tidy_markdown("A\\\nB"), "A\\\nB");
    }

    #[test]
    fn site_names_come_off_titles() {
        assert_eq!(site_suffix_removed("Step-down | Northshire Procedures"), "Step-down");
        assert_eq!(site_suffix_removed("Step-down"), "Step-down");
    }
}
