//! Markdown to HTML with pulldown-cmark, rewriting the event stream:
//! links to source files become links to their pages, headings get unique
//! ids, GitHub callouts become notes, glossary terms become abbreviations.

use crate::content::{join_path, relative_url};
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// Where links can go: source paths and output paths, both relative to
/// the handbook folder / site root, mapped to the output URL.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// `content/a/b.md` -> `a/b.html`, `forms/x.toml` -> `forms/x.html`,
    /// `content/a` (a folder) -> `a/index.html`, `content/img/x.png` -> `img/x.png`.
    pub by_source: HashMap<String, String>,
    /// Every file the site will contain.
    pub outputs: HashSet<String>,
}

/// Glossary terms to mark, by the exact word that is looked for.
#[derive(Debug, Default)]
pub struct Terms {
    pub by_word: HashMap<String, Term>,
    /// Site-relative URL of the glossary page.
    pub page: String,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub expansion: String,
    pub anchor: String,
}

/// What a piece of Markdown needs to know about where it sits.
pub struct Source<'a> {
    /// File it was written in, relative to the handbook folder.
    pub path: &'a str,
    /// The whole file's text and the offset where the Markdown starts,
    /// so that problems point at the right line of the real file.
    pub file_text: &'a str,
    pub offset: usize,
    /// Site-relative URL of the page it will appear in.
    pub url: &'a str,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to a heading, checked once every page's headings are known.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    pub target: String,
    pub fragment: String,
    pub at: Location,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub anchors: Vec<AnchorLink>,
    pub diagnostics: Vec<Diagnostic>,
    /// Plain text of the body, for the search index.
    pub text: String,
    /// Where each heading's section starts in `text` (parallel to `headings`).
    pub heading_at: Vec<usize>,
}

/// How a body is placed into another document (a course pack): headings
/// move down, ids get a prefix, and links to pages inside the document
/// become in-document anchors. The default renders a page as itself.
#[derive(Debug, Default)]
pub struct RenderOptions<'a> {
    /// Added to every heading level (capped at 6).
    pub heading_shift: u8,
    /// Put before every heading and footnote id, with `--`.
    pub id_prefix: Option<&'a str>,
    /// Site URL of a page in the same document -> the anchor of its start.
    pub inside: Option<&'a HashMap<String, String>>,
}

impl RenderOptions<'_> {
    fn id(&self, id: &str) -> String {
        match self.id_prefix {
            Some(p) => format!("{p}--{id}"),
            None => id.to_string(),
        }
    }
}

/// Ids the default templates give their own elements: a heading in the
/// Markdown gets `-1` added rather than a duplicate id in the page.
pub const RESERVED_IDS: &[&str] = &["main", "site-nav", "search-input", "toc-heading", "search-results"];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `markdown` (found in `src`), reporting broken links, raw script
/// and misplaced headings as diagnostics.
pub fn render(markdown: &str, src: &Source, targets: &LinkTargets, terms: Option<&Terms>) -> Rendered {
    render_with(markdown, src, targets, terms, &RenderOptions::default())
}

/// [`render`], placing the body as `opts` says.
pub fn render_with(markdown: &str, src: &Source, targets: &LinkTargets, terms: Option<&Terms>, opts: &RenderOptions) -> Rendered {
    // Made only when something is reported: a glossary or a tree renders
    // thousands of snippets of one file, and indexing the whole file for
    // each would be quadratic.
    let index = std::cell::OnceCell::new();
    let at = |offset: usize| index.get_or_init(|| LineIndex::new(src.file_text)).location(src.path, src.offset + offset);
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids = UniqueIds::new(RESERVED_IDS.iter().copied());
    // Raw HTML, cleaned once the whole body is known; `Event::InlineHtml(n)`
    // holds the place of `raw[n]` (the generator's own markup is `Event::Html`).
    let mut raw: Vec<crate::sanitize::RawPiece> = Vec::new();
    // Table alignments and where the current cell is, so aligned cells get a class, not a style.
    let mut table_aligns: Vec<pulldown_cmark::Alignment> = Vec::new();
    let mut table_head = false;
    let mut table_cell = 0usize;
    let mut used_terms: HashSet<String> = HashSet::new();
    // Heading being collected: level, explicit id, events, plain text.
    let mut heading: Option<(u8, Option<String>, Vec<Event>, String)> = None;
    let mut link_depth = 0usize;
    let mut image_depth = 0usize;
    let mut code_depth = 0usize;
    // Inside raw inline HTML that must not hold a glossary mark (<a>, <code>...).
    let mut raw_depth = 0usize;
    let mut last_level = 1u8;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let mut emit: Vec<Event> = Vec::new();
        // Blocks end a line of the plain text; words inside a block run on as written.
        if let Event::End(
            TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::TableRow
            | TagEnd::TableHead
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition,
        ) = event
            && heading.is_none()
            && !out.text.ends_with('\n')
        {
            out.text.push('\n');
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let mut level = heading_number(level);
                if level == 1 {
                    out.diagnostics.push(at(range.start).warning(
                        "the page title is the page's only level 1 heading; start sections with `##` (shown as a level 2 heading)",
                    ));
                    level = 2;
                }
                if level > last_level + 1 {
                    out.diagnostics.push(
                        at(range.start).warning(format!(
                            "heading level {level} follows level {last_level}; headings should not skip a level"
                        )),
                    );
                }
                last_level = level;
                heading = Some((level, id.map(|i| i.to_string()), Vec::new(), String::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, inner, text)) = heading.take() {
                    let base = explicit.unwrap_or_else(|| slug(&text));
                    let id = opts.id(&used_ids.make(&base));
                    let shown = (level + opts.heading_shift).min(6);
                    events.push(Event::Html(format!("<h{shown} id=\"{}\">", escape(&id)).into()));
                    events.extend(inner);
                    events.push(Event::Html(format!("</h{shown}>\n").into()));
                    out.heading_at.push(out.text.len());
                    out.text.push_str(&text);
                    out.text.push('\n');
                    out.headings.push(Heading { level, id, text: text.trim().to_string() });
                }
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                link_depth += 1;
                let dest = match link_type {
                    LinkType::Email | LinkType::Autolink => dest_url,
                    _ => rewrite_link(&dest_url, src, targets, range.start, &at, &mut out, false, opts),
                };
                emit.push(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }));
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                emit.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                image_depth += 1;
                let dest = rewrite_link(&dest_url, src, targets, range.start, &at, &mut out, true, opts);
                emit.push(Event::Start(Tag::Image { link_type, dest_url: dest, title, id }));
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                emit.push(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code_depth += 1;
                emit.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                code_depth = code_depth.saturating_sub(1);
                emit.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, name) = callout(kind);
                emit.push(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{name}\">\n<p class=\"callout-title\">{name}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                emit.push(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(done) => {
                let (label, mark) = if done { ("Done", "\u{2611}") } else { ("Not done", "\u{2610}") };
                emit.push(Event::Html(
                    format!("<span class=\"task-marker\" role=\"img\" aria-label=\"{label}\">{mark}</span> ").into(),
                ));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                if matches!(event, Event::InlineHtml(_)) {
                    match unmarkable_tag(html) {
                        Some(true) => raw_depth = raw_depth.saturating_sub(1),
                        Some(false) => raw_depth += 1,
                        None => {}
                    }
                }
                // Raw parts that touch (the lines of one HTML block) are one piece.
                let target = match heading.as_mut() {
                    Some((_, _, inner, _)) => inner,
                    None => &mut events,
                };
                match target.last() {
                    Some(Event::InlineHtml(n)) => raw[n.parse::<usize>().unwrap_or(0)].push(html, range.start),
                    _ => {
                        let mut piece = crate::sanitize::RawPiece::default();
                        piece.push(html, range.start);
                        target.push(Event::InlineHtml(raw.len().to_string().into()));
                        raw.push(piece);
                    }
                }
                continue;
            }
            // They write nothing; dropped so the lines of an HTML block stay together.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => continue,
            Event::Start(Tag::Table(aligns)) => {
                table_aligns = aligns.clone();
                table_head = false;
                emit.push(Event::Start(Tag::Table(aligns)));
            }
            Event::Start(Tag::TableHead) => {
                table_head = true;
                table_cell = 0;
                emit.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                table_head = false;
                emit.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                table_cell = 0;
                emit.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                use pulldown_cmark::Alignment;
                // pulldown-cmark would write `style="text-align: ..."`, which the page's security policy blocks.
                let align = match table_aligns.get(table_cell) {
                    Some(Alignment::Left) => Some("left"),
                    Some(Alignment::Center) => Some("center"),
                    Some(Alignment::Right) => Some("right"),
                    _ => None,
                };
                table_cell += 1;
                match align {
                    Some(a) => {
                        let cell = if table_head { "th" } else { "td" };
                        emit.push(Event::Html(format!("<{cell} class=\"align-{a}\">").into()));
                    }
                    None => emit.push(Event::Start(Tag::TableCell)),
                }
            }
            Event::FootnoteReference(name) if opts.id_prefix.is_some() => {
                emit.push(Event::FootnoteReference(opts.id(&name).into()));
            }
            Event::Start(Tag::FootnoteDefinition(name)) if opts.id_prefix.is_some() => {
                emit.push(Event::Start(Tag::FootnoteDefinition(opts.id(&name).into())));
            }
            Event::Text(text) => {
                if heading.is_none() {
                    out.text.push_str(&text);
                }
                if let Some((_, _, _, plain)) = heading.as_mut() {
                    plain.push_str(&text);
                }
                let markable = heading.is_none() && link_depth == 0 && image_depth == 0 && code_depth == 0 && raw_depth == 0;
                match terms {
                    Some(terms) if markable && !terms.by_word.is_empty() => {
                        mark_terms(text, terms, src.url, &mut used_terms, &mut emit);
                    }
                    _ => emit.push(Event::Text(text)),
                }
            }
            Event::Code(code) => {
                if let Some((_, _, _, plain)) = heading.as_mut() {
                    plain.push_str(&code);
                } else {
                    out.text.push_str(&code);
                }
                emit.push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                out.text.push(' ');
                emit.push(event);
            }
            other => emit.push(other),
        }
        match heading.as_mut() {
            Some((_, _, inner, _)) => inner.extend(emit),
            None => events.extend(emit),
        }
    }
    if !raw.is_empty() {
        clean_raw_html(&raw, src, targets, &at, &mut out, opts, &mut events);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html;
    out
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Does the link name a scheme (`https:`, `mailto:`)? Such links are left alone.
fn is_external(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => dest.starts_with("//"),
    }
}

#[allow(clippy::too_many_arguments)]
fn rewrite_link<'a>(
    dest: &CowStr<'a>,
    src: &Source,
    targets: &LinkTargets,
    offset: usize,
    at: &dyn Fn(usize) -> Location,
    out: &mut Rendered,
    image: bool,
    opts: &RenderOptions,
) -> CowStr<'a> {
    let raw: &str = dest;
    if raw.is_empty() {
        out.diagnostics.push(at(offset).error("this link has no destination"));
        return dest.clone();
    }
    if is_external(raw) {
        return dest.clone();
    }
    if raw == "#" {
        out.diagnostics
            .push(at(offset).warning("placeholder link `#`: it goes nowhere; link to the page it means, or remove the link"));
        return dest.clone();
    }
    let (path, fragment) = match raw.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (raw, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let path = crate::content::percent_decode(path).unwrap_or_else(|| path.to_string());
    if path.is_empty() {
        let fragment = fragment.unwrap_or("");
        out.anchors.push(AnchorLink { target: src.url.to_string(), fragment: fragment.to_string(), at: at(offset) });
        if opts.id_prefix.is_some() && !fragment.is_empty() {
            return format!("#{}", opts.id(fragment)).into();
        }
        return dest.clone();
    }
    if path.starts_with('/') {
        out.diagnostics.push(at(offset).error(format!(
            "link `{raw}` starts with `/`; write it relative to this file (such as `../folder/page.md`) so the site works from disk and under any folder"
        )));
        return dest.clone();
    }
    let resolved = join_path(src.path, &path)
        .and_then(|p| targets.by_source.get(p.trim_end_matches('/')).cloned())
        .or_else(|| join_path(src.url, &path).filter(|p| targets.outputs.contains(p.as_str())))
        .or_else(|| {
            join_path(src.url, &path)
                .map(|p| format!("{}/index.html", p.trim_end_matches('/')))
                .filter(|p| targets.outputs.contains(p.as_str()))
        });
    match resolved {
        None if join_path(src.path, &path).is_none() => {
            let what = if image { "image" } else { "link" };
            out.diagnostics.push(at(offset).error(format!(
                "broken {what} `{raw}`: it climbs out of the handbook folder; link only to pages and files inside it"
            )));
            dest.clone()
        }
        None => {
            let looked = join_path(src.path, &path).unwrap_or_else(|| path.to_string());
            let what = if image { "image" } else { "link" };
            let hint = if path.ends_with(".html") && !image { "; link to the source file (`.md`) instead" } else { "" };
            out.diagnostics.push(at(offset).error(format!("broken {what} `{raw}`: there is no `{looked}`{hint}")));
            dest.clone()
        }
        Some(url) if !image && opts.inside.is_some_and(|m| m.contains_key(&url)) => {
            let start = &opts.inside.unwrap()[&url];
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                out.anchors.push(AnchorLink { target: url.clone(), fragment: f.to_string(), at: at(offset) });
                format!("#{start}--{f}").into()
            } else {
                format!("#{start}").into()
            }
        }
        Some(url) => {
            let mut href = relative_url(src.url, &url);
            if let Some(f) = fragment {
                if !f.is_empty() {
                    out.anchors.push(AnchorLink { target: url.clone(), fragment: f.to_string(), at: at(offset) });
                }
                href.push('#');
                href.push_str(f);
            }
            href.into()
        }
    }
}

/// Cleans a body's raw HTML (see `sanitize`): reports what is removed, once
/// per kind; checks and rewrites images like Markdown images; and puts the
/// cleaned pieces in place of their stand-ins in `events`.
fn clean_raw_html(
    raw: &[crate::sanitize::RawPiece],
    src: &Source,
    targets: &LinkTargets,
    at: &dyn Fn(usize) -> Location,
    out: &mut Rendered,
    opts: &RenderOptions,
    events: &mut [Event],
) {
    let scan = crate::sanitize::scan(raw);
    let mut rewrites: HashMap<String, String> = HashMap::new();
    for image in &scan.images {
        if !rewrites.contains_key(&image.src) {
            let dest: CowStr = image.src.clone().into();
            let new = rewrite_link(&dest, src, targets, image.offset, at, out, true, opts);
            rewrites.insert(image.src.clone(), new.to_string());
        }
    }
    for f in &scan.findings {
        out.diagnostics.push(at(f.offset).warning(crate::sanitize::message(f.kind, f.count, &f.names)));
    }
    let cleaned = crate::sanitize::clean(raw, &rewrites);
    for event in events.iter_mut() {
        if let Event::InlineHtml(n) = event {
            let html = n.parse::<usize>().ok().and_then(|n| cleaned.get(n)).cloned().unwrap_or_default();
            *event = Event::Html(html.into());
        }
    }
}

/// Raw inline HTML that opens (`Some(false)`) or closes (`Some(true)`) an
/// element whose text must not get a glossary mark: links, code, headings.
fn unmarkable_tag(html: &str) -> Option<bool> {
    let tag = html.trim().strip_prefix('<')?;
    let (closing, tag) = match tag.strip_prefix('/') {
        Some(t) => (true, t),
        None => (false, tag),
    };
    let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let rest = &tag[name.len()..];
    if tag.trim_end().ends_with("/>") {
        return None;
    }
    const NAMES: [&str; 14] = ["a", "abbr", "code", "kbd", "samp", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label"];
    (NAMES.contains(&name.as_str()) && rest.starts_with(|c: char| c == '>' || c.is_whitespace())).then_some(closing)
}

/// The GitHub heading id: lower case, letters, digits, `-` and `_` kept,
/// spaces become `-`, everything else dropped.
pub fn slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            s.extend(c.to_lowercase());
        } else if c == ' ' {
            s.push('-');
        }
    }
    if s.is_empty() { "section".to_string() } else { s }
}

/// `base`, or `base-1`, `base-2`... if the page already has it.
pub fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    (1..).map(|n| format!("{base}-{n}")).find(|id| used.insert(id.clone())).unwrap()
}

/// The ids of one page, each made unique the way [`unique_id`] does, in
/// time linear in the number of ids: each base remembers the next suffix
/// to try (every smaller one is taken), so 30,000 headings called "Notes"
/// do not each count up from `notes-1`.
#[derive(Debug, Default)]
pub struct UniqueIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueIds {
    /// Starts with `taken` already in use.
    pub fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> UniqueIds {
        UniqueIds { used: taken.into_iter().map(str::to_string).collect(), next: HashMap::new() }
    }

    /// `base`, or `base-N` for the smallest N not yet used.
    pub fn make(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

fn mark_terms<'a>(text: CowStr<'a>, terms: &Terms, page_url: &str, used: &mut HashSet<String>, emit: &mut Vec<Event<'a>>) {
    let s: &str = &text;
    let mut last = 0;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    let mut word_start = None;
    let mut check = |start: usize, end: usize, pieces: &mut Vec<Event<'a>>, last: &mut usize| {
        let word = &s[start..end];
        if let Some(term) = terms.by_word.get(word)
            && !used.contains(word)
        {
            used.insert(word.to_string());
            if start > *last {
                pieces.push(Event::Text(s[*last..start].to_string().into()));
            }
            let href = relative_url(page_url, &terms.page);
            pieces.push(Event::Html(
                format!(
                    "<a class=\"term\" href=\"{}#{}\"><abbr title=\"{}\">{}</abbr></a>",
                    escape(&href),
                    escape(&term.anchor),
                    escape(&term.expansion),
                    escape(word)
                )
                .into(),
            ));
            *last = end;
        }
    };
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(i);
            }
        } else if let Some(start) = word_start.take() {
            check(start, i, &mut pieces, &mut last);
        }
    }
    if let Some(start) = word_start {
        check(start, s.len(), &mut pieces, &mut last);
    }
    if pieces.is_empty() {
        emit.push(Event::Text(text));
        return;
    }
    if last < s.len() {
        pieces.push(Event::Text(s[last..].to_string().into()));
    }
    emit.extend(pieces);
}

/// Markdown written inside a TOML string (a form's intro, a decision's
/// help), with the offset in the file where its text starts, so that a
/// problem in it is reported at its line.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub text: String,
    pub offset: usize,
}

impl Snippet {
    pub fn from_toml(file_text: &str, value: toml::Spanned<String>) -> Snippet {
        let offset = crate::diagnostics::string_start(file_text, value.span());
        Snippet { text: value.into_inner(), offset }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders a short piece of Markdown from a TOML file (a form's intro, a
/// decision's help) where the text starts at `offset` in the file.
pub fn render_snippet(markdown: &str, path: &str, file_text: &str, offset: usize, url: &str, targets: &LinkTargets) -> Rendered {
    let src = Source { path, file_text, offset, url };
    render(markdown, &src, targets, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        for (s, u) in [
            ("content/a/b.md", "a/b.html"),
            ("content/c.md", "c.html"),
            ("content/a", "a/index.html"),
            ("forms/x.toml", "forms/x.html"),
        ] {
            t.by_source.insert(s.into(), u.into());
            t.outputs.insert(u.into());
        }
        t
    }

    fn md(text: &str) -> Rendered {
        let src = Source { path: "content/a/b.md", file_text: text, offset: 0, url: "a/b.html" };
        let mut terms = Terms { page: "glossary.html".into(), ..Default::default() };
        terms.by_word.insert("TAF".into(), Term { expansion: "Team Around the Family".into(), anchor: "taf".into() });
        render(text, &src, &targets(), Some(&terms))
    }

    #[test]
    fn links_to_sources_become_relative_page_links() {
        let r = md("[x](../c.md#top) [y](../../forms/x.toml) [z](b.md) [w](./) [e](https://example.org)");
        assert!(r.html.contains("href=\"../c.html#top\""), "{}", r.html);
        assert!(r.html.contains("href=\"../forms/x.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"b.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"index.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://example.org\""));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.anchors.len(), 1);
        assert_eq!(r.anchors[0].target, "c.html");
    }

    #[test]
    fn broken_links_are_errors_on_their_line_and_placeholders_warn() {
        let r = md("Intro\n\nSee [missing](nope.md) and [later](#).\n");
        assert_eq!(r.diagnostics.len(), 2);
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].col), (3, 5));
        assert!(r.diagnostics[0].message.contains("content/a/nope.md"));
        assert_eq!(r.diagnostics[1].severity, crate::diagnostics::Severity::Warning);
    }

    #[test]
    fn heading_ids_are_unique_github_style() {
        let r = md("## Before the meeting\n## Who can be a Lead Professional?\n## Notes\n## Notes\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["before-the-meeting", "who-can-be-a-lead-professional", "notes", "notes-1"]);
        assert!(r.html.contains("<h2 id=\"notes-1\">Notes</h2>"));
        let r = md("## Main\n## Site nav\n");
        assert_eq!(r.headings[0].id, "main-1", "the template's <main id=main> keeps its id");
        assert_eq!(r.headings[1].id, "site-nav-1");
    }

    #[test]
    fn callouts_become_notes() {
        let r = md("> [!WARNING]\n> Act now.\n");
        assert!(r.html.contains("class=\"callout callout-warning\" role=\"note\""), "{}", r.html);
        assert!(r.html.contains("Act now."));
        assert!(!r.html.contains("[!WARNING]"));
    }

    #[test]
    fn glossary_marks_first_use_only_outside_headings_links_and_code() {
        let r = md("## TAF meetings\n\nA `TAF` and [TAF](../c.md) then TAF, TAF again.\n");
        assert_eq!(r.html.matches("<abbr").count(), 1, "{}", r.html);
        assert!(r.html.contains("then <a class=\"term\" href=\"../glossary.html#taf\"><abbr title=\"Team Around the Family\">TAF</abbr></a>, TAF again"), "{}", r.html);
    }

    #[test]
    fn glossary_marks_skip_code_blocks_images_and_raw_links() {
        let r = md("```\nTAF\n```\n\n![TAF photo](../c.md) <a href=\"x\">TAF</a> <code>TAF</code> *TAF* here\n\nTAF later\n");
        assert_eq!(r.html.matches("<abbr").count(), 1, "{}", r.html);
        assert!(r.html.contains("<em><a class=\"term\""), "the first use outside code and links is marked: {}", r.html);
        assert!(r.html.contains("<pre><code>TAF\n</code></pre>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"x\">TAF</a>"), "{}", r.html);
        assert!(r.html.contains("TAF later"), "{}", r.html);
        // Each page starts afresh.
        assert_eq!(md("A TAF.").html.matches("<abbr").count(), 1);
    }

    #[test]
    fn glossary_does_not_mark_words_that_only_contain_a_term() {
        let r = md("TAFS and STAF and TAF-led work\n");
        assert_eq!(r.html.matches("<abbr").count(), 1, "{}", r.html);
        assert!(r.html.contains("STAF and <a class=\"term\""), "{}", r.html);
    }

    #[test]
    fn render_options_place_a_body_inside_another_document() {
        let text = "## Notes\n\nSee [c](../c.md#top), [c again](../c.md), [here](#notes), [form](../../forms/x.toml) and [out](b.md).\n\nA note.[^1]\n\n[^1]: The footnote.\n";
        let src = Source { path: "content/a/b.md", file_text: text, offset: 0, url: "packs/p.html" };
        let mut inside = HashMap::new();
        inside.insert("c.html".to_string(), "pack-c".to_string());
        let opts = RenderOptions { heading_shift: 1, id_prefix: Some("pack-a-b"), inside: Some(&inside) };
        let r = render_with(text, &src, &targets(), None, &opts);
        assert!(r.html.contains("<h3 id=\"pack-a-b--notes\">Notes</h3>"), "{}", r.html);
        assert!(r.html.contains("href=\"#pack-c--top\""), "{}", r.html);
        assert!(r.html.contains("href=\"#pack-c\""), "{}", r.html);
        assert!(r.html.contains("href=\"#pack-a-b--notes\""), "{}", r.html);
        assert!(r.html.contains("href=\"../forms/x.html\""), "links out of the pack stay relative: {}", r.html);
        assert!(r.html.contains("href=\"../a/b.html\""), "{}", r.html);
        assert!(r.html.contains("id=\"pack-a-b--1\""), "footnotes get the prefix too: {}", r.html);
    }

    #[test]
    fn plain_text_keeps_words_and_punctuation_together() {
        let r = md("## Title\n\nThe family's [plan](../c.md). A `code` word\nnext line.\n\n- one\n- two\n");
        assert_eq!(r.text, "Title\nThe family\u{2019}s plan. A code word next line.\none\ntwo\n");
        assert_eq!(r.heading_at, [0]);
    }

    #[test]
    fn raw_script_and_handlers_are_removed_with_a_warning_each() {
        let r = md("<div onclick=\"x()\">hi</div>\n\n<script>alert(1)</script>\n");
        assert_eq!(r.diagnostics.len(), 2, "{:?}", r.diagnostics);
        assert!(!r.html.contains("onclick") && !r.html.contains("script"), "{}", r.html);
        assert!(r.html.contains("<div>hi</div>"), "{}", r.html);
        assert_eq!(r.diagnostics[0].line, 1);
        assert_eq!(r.diagnostics[1].line, 3);
    }

    #[test]
    fn inline_html_split_across_events_is_cleaned_as_one_element() {
        let r = md("A <span lang=\"cy\" style=\"color:red\">croeso *TAF*</span> and <span style=\"x\">plain</span>.\n");
        assert_eq!(
            r.html,
            "<p>A <span lang=\"cy\">croeso <em><a class=\"term\" href=\"../glossary.html#taf\"><abbr title=\"Team Around the Family\">TAF</abbr></a></em></span> and plain.</p>\n"
        );
        let messages: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("raw HTML: removed inline styles (`style=\"...\"`) (2)"), "{messages:?}");
        assert!(messages[1].starts_with("raw HTML: removed empty `<span>` tags (1)"), "{messages:?}");
    }

    #[test]
    fn raw_images_are_checked_and_rewritten_like_markdown_images() {
        let mut t = targets();
        t.by_source.insert("content/img/x.png".into(), "img/x.png".into());
        t.outputs.insert("img/x.png".into());
        let text = "<p><img src=\"../img/x.png\" alt=\"x\"></p>\n\n<img src=\"../img/missing.png\" alt=\"y\">\n";
        // Placed in a page two folders down (as a course pack places a page), the address follows.
        let src = Source { path: "content/a/b.md", file_text: text, offset: 0, url: "x/y/p.html" };
        let r = render(text, &src, &t, None);
        assert!(r.html.contains("<img src=\"../../img/x.png\" alt=\"x\">"), "{}", r.html);
        let errors: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("content/a/b.md:3:1: error: broken image `../img/missing.png`"), "{errors:?}");
    }

    #[test]
    fn aligned_table_cells_get_classes_not_styles() {
        let r = md("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n");
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(
            r.html.contains("<thead><tr><th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th><th>d</th></tr></thead>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<td class=\"align-left\">1</td><td class=\"align-center\">2</td><td class=\"align-right\">3</td><td>4</td>"), "{}", r.html);
        let plain = md("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(plain.html.contains("<thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>"), "{}", plain.html);
    }

    #[test]
    fn unique_ids_match_the_counting_way_and_stay_linear() {
        let bases = ["a", "a", "a-1", "a", "a-2", "b", "a", "a-1"];
        let mut slow = HashSet::new();
        let mut fast = UniqueIds::default();
        for b in bases {
            assert_eq!(fast.make(b), unique_id(b, &mut slow), "{b}");
        }
        let mut ids = UniqueIds::default();
        let made: Vec<String> = (0..30_000).map(|_| ids.make("a")).collect();
        assert_eq!(made[0], "a");
        assert_eq!(made[29_999], "a-29999");
    }

    #[test]
    fn h1_in_body_warns_and_is_demoted() {
        let r = md("# Again\n");
        assert!(r.html.contains("<h2 id=\"again\">"));
        assert_eq!(r.diagnostics.len(), 1);
    }
}
