//! Markdown to HTML with pulldown-cmark, rewriting the event stream:
//! links to source files become links to their pages, headings get unique
//! ids, GitHub callouts become notes, glossary terms become abbreviations.
//! Each piece of Markdown is compiled once (by `crate::compile`) into a
//! [`Body`]: its HTML, headings, plain text and the links it makes, which
//! `crate::check` then checks against the whole site.

use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::locals::{self, Locals, Value};
use crate::paths::{is_external, join_path, relative_url};
use crate::text::{RESERVED_IDS, UniqueIds, slug};
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// Kept for serve.rs and serve/http.rs (owned by the `serve` branch this wave): use `crate::text::escape`.
pub use crate::text::escape;

/// Where links can go: source paths and output paths, both relative to
/// the handbook folder / site root, mapped to the output URL. Made from the
/// site map (`crate::sitemap`).
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// `content/a/b.md` -> `a/b.html`, `forms/x.toml` -> `forms/x.html`,
    /// `content/a` (a folder) -> `a/index.html`, `content/img/x.png` -> `img/x.png`.
    pub by_source: HashMap<String, String>,
    /// Every file the site will contain that a link may point at.
    pub outputs: HashSet<String>,
    /// Each page's title by URL: the words of a link written with none,
    /// `[](../forms/early-help-review.toml)`, so they cannot drift.
    pub titles: HashMap<String, String>,
    /// Named places inside generated pages by URL, then by the fragment a
    /// link writes: a form's questions (`#next_review`), a framework's
    /// outcomes, glossary terms.
    pub places: HashMap<String, HashMap<String, LinkPlace>>,
    /// The words Markdown adds to a page (callout names, task markers) in
    /// the site's language; English when empty (unit tests).
    pub words: MarkdownWords,
}

/// What Markdown itself writes into a page, from the site's words
/// (`markdown.*` in `crate::strings`).
#[derive(Debug, Default)]
pub struct MarkdownWords {
    /// By callout kind: `note`, `tip`, `important`, `warning`, `caution`.
    pub callouts: HashMap<String, String>,
    pub done: Option<String>,
    pub not_done: Option<String>,
}

/// A place a link's fragment names: the id it has in the page, and what it
/// is called (a question's label, an outcome's title).
#[derive(Debug, Clone)]
pub struct LinkPlace {
    pub id: String,
    pub title: String,
    /// Its id where a course pack prints the page, when that is not the
    /// pack's usual `START--ID`.
    pub pack_id: Option<String>,
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

/// Markdown at a place in a file: a page's body, a glossary definition, a
/// form's intro, a decision's help, a pack's intro. The one type every
/// loader gives Markdown in, so every problem in it is reported at its
/// line and column in the real file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Where `text` starts in its file.
    pub at: Location,
}

impl Snippet {
    /// The Markdown in a TOML string value (`value`'s span covers the quotes).
    pub fn from_toml(path: &str, index: &LineIndex, file_text: &str, value: toml::Spanned<String>) -> Snippet {
        let offset = crate::diagnostics::string_start(file_text, value.span());
        Snippet { at: index.location(path, offset), text: value.into_inner() }
    }

    /// The part of this Markdown from byte `start` on that is `text` (such as
    /// its first paragraph), located in the file.
    pub fn part(&self, start: usize, text: &str) -> Snippet {
        Snippet { text: text.to_string(), at: self.location(&LineIndex::new(&self.text), start) }
    }

    /// The place in the file of byte `offset` of `text`; `index` is `text`'s.
    fn location(&self, index: &LineIndex, offset: usize) -> Location {
        let (line, col) = index.position(offset);
        if line == 1 {
            Location::new(&self.at.path, self.at.line, self.at.col + col - 1)
        } else {
            Location::new(&self.at.path, self.at.line + line - 1, col)
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
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

/// What is wrong with a link; `crate::check` says so.
#[derive(Debug, Clone)]
pub enum LinkProblem {
    /// `[x]()`
    Empty,
    /// `[x](#)`: goes nowhere (a warning).
    Placeholder,
    /// `/folder/page.md`
    Absolute { raw: String },
    /// `../../etc/passwd`: climbs out of the handbook folder.
    Climbs { raw: String, image: bool },
    /// Nothing in the handbook at `looked`; `html` when it names an output page.
    Missing { raw: String, looked: String, image: bool, html: bool },
    /// A decision outcome's `href` that is not a path from the handbook folder.
    NotFromRoot { href: String },
    /// A decision outcome's `href` naming no page or form.
    NoSource { href: String, path: String },
}

#[derive(Debug, Clone)]
pub struct BadLink {
    pub at: Location,
    pub problem: LinkProblem,
}

/// A piece of Markdown, compiled.
#[derive(Debug, Default, Clone)]
pub struct Body {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Links to headings (`page.md#id`), checked against every page's ids.
    pub anchors: Vec<AnchorLink>,
    /// Links that go nowhere.
    pub bad_links: Vec<BadLink>,
    /// Problems inside the Markdown itself (raw `<script>`, heading levels).
    pub problems: Vec<Diagnostic>,
    /// Plain text of the body, for the search index.
    pub text: String,
    /// Where each heading's section starts in `text` (parallel to `headings`).
    pub heading_at: Vec<usize>,
}

/// Where a body is placed: the page it appears in, and for a course pack
/// (one document made of several pages) how it fits in: headings move down,
/// ids get a prefix, and links to pages inside the document become
/// in-document anchors. [`Placement::page`] places a body as itself.
#[derive(Debug, Default)]
pub struct Placement<'a> {
    /// Site-relative URL of the page it will appear in.
    pub url: &'a str,
    /// Added to every heading level (capped at 6).
    pub heading_shift: u8,
    /// Put before every heading and footnote id, with `--`.
    pub id_prefix: Option<&'a str>,
    /// Site URL of a page in the same document -> the anchor of its start.
    pub inside: Option<&'a HashMap<String, String>>,
}

impl<'a> Placement<'a> {
    /// A body shown on its own page at `url`.
    pub fn page(url: &'a str) -> Self {
        Placement { url, ..Default::default() }
    }

    fn id(&self, id: &str) -> String {
        match self.id_prefix {
            Some(p) => format!("{p}--{id}"),
            None => id.to_string(),
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Compiles a piece of Markdown placed as `place` says. Links to missing
/// files and to headings are recorded in the result for `crate::check`;
/// problems inside the Markdown are in its `problems`. Placeholders of
/// local facts (`{{ contact.front_door.phone }}`) are expanded from
/// `locals` everywhere but in code.
pub fn compile(md: &Snippet, place: &Placement, targets: &LinkTargets, terms: Option<&Terms>, locals: &Locals) -> Body {
    let markdown = md.text.as_str();
    let index = LineIndex::new(markdown);
    let at = |offset: usize| md.location(&index, offset);
    let opts = place;
    let mut out = Body::default();
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

    // Text arrives in pieces (at `_`, quotes, entities); one event per run
    // of text lets a placeholder be found whole.
    let mut parser =
        pulldown_cmark::utils::TextMergeWithOffset::new(Parser::new_ext(markdown, options()).into_offset_iter()).peekable();
    while let Some((event, range)) = parser.next() {
        let source = &markdown[range.clone()];
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
                    out.problems.push(at(range.start).warning(
                        "the page title is the page's only level 1 heading; start sections with `##` (shown as a level 2 heading)",
                    ));
                    level = 2;
                }
                if level > last_level + 1 {
                    out.problems.push(
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
                let dest_url = expand_raw(dest_url, source, range.start, &at, locals, &mut out.problems, |v| v.in_url());
                let (dest, name) = match link_type {
                    LinkType::Email | LinkType::Autolink => (dest_url, None),
                    _ => rewrite_link(&dest_url, md, targets, range.start, &at, &mut out, false, opts),
                };
                let empty = matches!(parser.peek(), Some((Event::End(TagEnd::Link), _)));
                emit.push(Event::Start(Tag::Link { link_type, dest_url: dest.clone(), title, id }));
                if empty {
                    match name {
                        // `[](target)`: the target's own name, so the words cannot drift from it.
                        Some(name) => {
                            match heading.as_mut() {
                                Some((_, _, _, plain)) => plain.push_str(&name),
                                None => out.text.push_str(&name),
                            }
                            emit.push(Event::Text(name.into()));
                        }
                        None => out.problems.push(at(range.start).error(format!(
                            "the link to `{dest}` has no text: write the words to show between `[` and `]`, or link to a page, a form's question or an outcome, whose name is then shown"
                        ))),
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                emit.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                image_depth += 1;
                let dest_url = expand_raw(dest_url, source, range.start, &at, locals, &mut out.problems, |v| v.in_url());
                let (dest, _) = rewrite_link(&dest_url, md, targets, range.start, &at, &mut out, true, opts);
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
                let name = targets.words.callouts.get(class).map(String::as_str).unwrap_or(name);
                // A callout that starts with its own heading ("If you are
                // worried about a child") is named by it, not by its kind.
                let own_heading = matches!(parser.peek(), Some((Event::Start(Tag::Heading { .. }), _)));
                emit.push(Event::Html(if own_heading {
                    format!("<div class=\"callout callout-{class} callout-headed\" role=\"note\">\n").into()
                } else {
                    format!("<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{name}\">\n<p class=\"callout-title\">{name}</p>\n").into()
                }));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                emit.push(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(done) => {
                let (label, mark) = if done { ("Done", "\u{2611}") } else { ("Not done", "\u{2610}") };
                let own = if done { &targets.words.done } else { &targets.words.not_done };
                let label = own.as_deref().unwrap_or(label);
                emit.push(Event::Html(
                    format!("<span class=\"task-marker\" role=\"img\" aria-label=\"{label}\">{mark}</span> ").into(),
                ));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let inline = matches!(event, Event::InlineHtml(_));
                let (Event::Html(html) | Event::InlineHtml(html)) = event else { unreachable!() };
                let html = expand_raw(html, source, range.start, &at, locals, &mut out.problems, |v| escape(v.text()));
                let html: &str = &html;
                if inline {
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
                let pieces = if code_depth > 0 || !text.contains("{{") {
                    vec![Piece::Plain(text)]
                } else {
                    expand_text(&text, source, range.start, &at, locals, &mut out.problems)
                };
                for piece in pieces {
                    let (text, link) = match piece {
                        Piece::Plain(text) => (text, None),
                        Piece::Value(shown, href) => (CowStr::from(shown), href),
                    };
                    match heading.as_mut() {
                        Some((_, _, _, plain)) => plain.push_str(&text),
                        None => out.text.push_str(&text),
                    }
                    // A number or address becomes a link, unless it is already in one.
                    let linkable = heading.is_none() && link_depth == 0 && image_depth == 0 && raw_depth == 0;
                    if let Some(href) = link.filter(|_| linkable) {
                        emit.push(Event::Html(format!("<a href=\"{}\">{}</a>", escape(&href), escape(&text)).into()));
                        continue;
                    }
                    let markable = heading.is_none() && link_depth == 0 && image_depth == 0 && code_depth == 0 && raw_depth == 0;
                    match terms {
                        Some(terms) if markable && !terms.by_word.is_empty() => {
                            mark_terms(text, terms, place.url, &mut used_terms, &mut emit);
                        }
                        _ => emit.push(Event::Text(text)),
                    }
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
        clean_raw_html(&raw, md, targets, &at, &mut out, opts, &mut events);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html;
    out
}

/// A run of text with its placeholders expanded: text as written, and
/// values (their words, and where a link made of them goes).
enum Piece<'a> {
    Plain(CowStr<'a>),
    Value(String, Option<String>),
}

/// Where in the file each placeholder of `text` is: `text` is what the
/// parser made of `source` (escapes and entities decoded, quotes curled),
/// so the placeholders are matched up in order; when they cannot be, the
/// start of the run is used.
fn placeholder_offsets(found: &[locals::Found], source: &str, start: usize) -> Vec<usize> {
    let in_source = locals::find(source);
    if in_source.len() == found.len() { in_source.iter().map(|f| start + f.start).collect() } else { vec![start; found.len()] }
}

/// Splits a run of text at its placeholders. An unknown one is an error
/// at its place and stays as written.
fn expand_text<'a>(
    text: &str,
    source: &str,
    start: usize,
    at: &dyn Fn(usize) -> Location,
    locals: &Locals,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Piece<'a>> {
    let found = locals::find(text);
    let offsets = placeholder_offsets(&found, source, start);
    let mut pieces = Vec::new();
    let mut last = 0;
    for (f, offset) in found.iter().zip(offsets) {
        match locals.resolve(f.path) {
            Ok(value) => {
                if f.start > last {
                    pieces.push(Piece::Plain(text[last..f.start].to_string().into()));
                }
                pieces.push(Piece::Value(value.text().to_string(), value.href()));
            }
            Err(message) => {
                problems.push(at(offset).error(message));
                pieces.push(Piece::Plain(text[last..f.end].to_string().into()));
            }
        }
        last = f.end;
    }
    if last < text.len() || pieces.is_empty() {
        pieces.push(Piece::Plain(text[last..].to_string().into()));
    }
    pieces
}

/// Expands the placeholders in a link's destination or in raw HTML, each
/// value written as `write` says.
fn expand_raw<'a>(
    raw: CowStr<'a>,
    source: &str,
    start: usize,
    at: &dyn Fn(usize) -> Location,
    locals: &Locals,
    problems: &mut Vec<Diagnostic>,
    write: impl Fn(&Value<'_>) -> String,
) -> CowStr<'a> {
    if !raw.contains("{{") {
        return raw;
    }
    let found = locals::find(&raw);
    if found.is_empty() {
        return raw;
    }
    // The destination or tag is only part of `source` (a link's text comes
    // first), so each placeholder is looked for by what it says.
    let mut out = String::with_capacity(raw.len());
    let mut last = 0;
    for f in &found {
        out.push_str(&raw[last..f.start]);
        match locals.resolve(f.path) {
            Ok(value) => out.push_str(&write(&value)),
            Err(message) => {
                let offset = locals::find(source).iter().find(|s| s.path == f.path).map(|s| start + s.start).unwrap_or(start);
                problems.push(at(offset).error(message));
                out.push_str(&raw[f.start..f.end]);
            }
        }
        last = f.end;
    }
    out.push_str(&raw[last..]);
    out.into()
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

#[allow(clippy::too_many_arguments)]
fn rewrite_link<'a>(
    dest: &CowStr<'a>,
    md: &Snippet,
    targets: &LinkTargets,
    offset: usize,
    at: &dyn Fn(usize) -> Location,
    out: &mut Body,
    image: bool,
    opts: &Placement,
) -> (CowStr<'a>, Option<String>) {
    let raw: &str = dest;
    let mut bad = |problem: LinkProblem| out.bad_links.push(BadLink { at: at(offset), problem });
    if raw.is_empty() {
        bad(LinkProblem::Empty);
        return (dest.clone(), None);
    }
    if is_external(raw) {
        return (dest.clone(), None);
    }
    if raw == "#" {
        bad(LinkProblem::Placeholder);
        return (dest.clone(), None);
    }
    let (path, fragment) = match raw.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (raw, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let path = crate::paths::percent_decode(path).unwrap_or_else(|| path.to_string());
    if path.is_empty() {
        let fragment = fragment.unwrap_or("");
        out.anchors.push(AnchorLink { target: opts.url.to_string(), fragment: fragment.to_string(), at: at(offset) });
        if opts.id_prefix.is_some() && !fragment.is_empty() {
            return (format!("#{}", opts.id(fragment)).into(), None);
        }
        return (dest.clone(), None);
    }
    if path.starts_with('/') {
        bad(LinkProblem::Absolute { raw: raw.to_string() });
        return (dest.clone(), None);
    }
    let source = md.at.path.as_str();
    let resolved = join_path(source, &path)
        .and_then(|p| targets.by_source.get(p.trim_end_matches('/')).cloned())
        .or_else(|| join_path(opts.url, &path).filter(|p| targets.outputs.contains(p.as_str())))
        .or_else(|| {
            join_path(opts.url, &path)
                .map(|p| format!("{}/index.html", p.trim_end_matches('/')))
                .filter(|p| targets.outputs.contains(p.as_str()))
        });
    let Some(url) = resolved else {
        if join_path(source, &path).is_none() {
            bad(LinkProblem::Climbs { raw: raw.to_string(), image });
        } else {
            let looked = join_path(source, &path).unwrap_or_else(|| path.to_string());
            bad(LinkProblem::Missing { raw: raw.to_string(), looked, image, html: path.ends_with(".html") });
        }
        return (dest.clone(), None);
    };
    let fragment = fragment.filter(|f| !f.is_empty());
    if let Some(f) = fragment {
        out.anchors.push(AnchorLink { target: url.clone(), fragment: f.to_string(), at: at(offset) });
    }
    // A question or an outcome has its own id in the page, and a name.
    let place = fragment.and_then(|f| targets.places.get(&url)?.get(f));
    let name = match (fragment, place) {
        (None, _) => targets.titles.get(&url).cloned(),
        (Some(_), place) => place.map(|p| p.title.clone()),
    };
    let href = match (opts.inside.filter(|_| !image).and_then(|m| m.get(&url)), fragment) {
        // In a pack a page's ids are prefixed by its start, but a form's
        // sections and questions have ids of their own there.
        (Some(start), Some(f)) => match place.and_then(|p| p.pack_id.as_ref()) {
            Some(id) => format!("#{id}"),
            None => format!("#{start}--{f}"),
        },
        (Some(start), None) => format!("#{start}"),
        (None, f) => {
            let mut href = relative_url(opts.url, &url);
            if let Some(f) = f {
                href.push('#');
                href.push_str(place.map(|p| p.id.as_str()).unwrap_or(f));
            } else if raw.ends_with('#') {
                href.push('#');
            }
            href
        }
    };
    (href.into(), name)
}

/// Cleans a body's raw HTML (see `sanitize`): reports what is removed, once
/// per kind; checks and rewrites images like Markdown images; and puts the
/// cleaned pieces in place of their stand-ins in `events`.
fn clean_raw_html(
    raw: &[crate::sanitize::RawPiece],
    md: &Snippet,
    targets: &LinkTargets,
    at: &dyn Fn(usize) -> Location,
    out: &mut Body,
    opts: &Placement,
    events: &mut [Event],
) {
    let scan = crate::sanitize::scan(raw);
    let mut rewrites: HashMap<String, String> = HashMap::new();
    for image in &scan.images {
        if !rewrites.contains_key(&image.src) {
            let dest: CowStr = image.src.clone().into();
            let (new, _) = rewrite_link(&dest, md, targets, image.offset, at, out, true, opts);
            rewrites.insert(image.src.clone(), new.to_string());
        }
    }
    for f in &scan.findings {
        out.problems.push(at(f.offset).warning(crate::sanitize::message(f.kind, f.count, &f.names)));
    }
    let cleaned = crate::sanitize::clean(raw, &rewrites);
    for event in events.iter_mut() {
        if let Event::InlineHtml(n) = event {
            let html = n.parse::<usize>().ok().and_then(|n| cleaned.get(n)).cloned().unwrap_or_default();
            *event = Event::Html(html.into());
        }
    }
}

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

    /// A compiled body with every problem it shows as a diagnostic: its
    /// own, and its bad links as `crate::check` reports them.
    struct Compiled {
        body: Body,
        diagnostics: Vec<Diagnostic>,
    }

    impl std::ops::Deref for Compiled {
        type Target = Body;
        fn deref(&self) -> &Body {
            &self.body
        }
    }

    fn snippet(text: &str) -> Snippet {
        Snippet { text: text.to_string(), at: Location::new("content/a/b.md", 1, 1) }
    }

    fn placed(text: &str, place: &Placement, terms: Option<&Terms>) -> Compiled {
        let body = compile(&snippet(text), place, &targets(), terms, &Locals::default());
        let mut diagnostics = body.problems.clone();
        diagnostics.extend(body.bad_links.iter().map(crate::check::link_diagnostic));
        diagnostics.sort_by_key(|d| (d.line, d.col));
        Compiled { body, diagnostics }
    }

    fn md(text: &str) -> Compiled {
        let mut terms = Terms { page: "glossary.html".into(), ..Default::default() };
        terms.by_word.insert("TAF".into(), Term { expansion: "Team Around the Family".into(), anchor: "taf".into() });
        placed(text, &Placement::page("a/b.html"), Some(&terms))
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
    fn a_callout_with_its_own_heading_is_named_by_it() {
        let r = md("> [!WARNING]\n> ## If you are worried about a child\n>\n> Call now.\n");
        assert!(r.html.starts_with("<div class=\"callout callout-warning callout-headed\" role=\"note\">\n<h2 id=\"if-you-are-worried-about-a-child\">"), "{}", r.html);
        assert!(!r.html.contains("callout-title"), "{}", r.html);
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
    fn placements_put_a_body_inside_another_document() {
        let text = "## Notes\n\nSee [c](../c.md#top), [c again](../c.md), [here](#notes), [form](../../forms/x.toml) and [out](b.md).\n\nA note.[^1]\n\n[^1]: The footnote.\n";
        let mut inside = HashMap::new();
        inside.insert("c.html".to_string(), "pack-c".to_string());
        let place = Placement { url: "packs/p.html", heading_shift: 1, id_prefix: Some("pack-a-b"), inside: Some(&inside) };
        let r = placed(text, &place, None);
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
    fn a_fragment_naming_a_question_links_to_its_id_and_an_empty_link_takes_its_name() {
        let mut t = targets();
        t.titles.insert("forms/x.html".into(), "Form X".into());
        t.places
            .entry("forms/x.html".into())
            .or_default()
            .insert("when".into(), LinkPlace { id: "x--when-question".into(), title: "Date & time".into(), pack_id: None });
        let text = "[](../../forms/x.toml#when), [the date](../../forms/x.toml#when), [](../../forms/x.toml) and [](c.md#top).\n";
        let body = compile(&snippet(text), &Placement::page("a/b.html"), &t, None, &Locals::default());
        assert!(body.html.contains("<a href=\"../forms/x.html#x--when-question\">Date &amp; time</a>"), "{}", body.html);
        assert!(body.html.contains("<a href=\"../forms/x.html#x--when-question\">the date</a>"), "{}", body.html);
        assert!(body.html.contains("<a href=\"../forms/x.html\">Form X</a>"), "{}", body.html);
        assert!(body.text.contains("Date & time"), "the name is in the plain text: {}", body.text);
        // A heading of another page has no name known here: the link needs words.
        assert_eq!(body.problems.len(), 1, "{:?}", body.problems);
        assert!(body.problems[0].message.contains("has no text"), "{:?}", body.problems);
        assert_eq!((body.problems[0].line, body.problems[0].col), (1, 94), "{:?}", body.problems);
    }

    #[test]
    fn raw_images_are_checked_and_rewritten_like_markdown_images() {
        let mut t = targets();
        t.by_source.insert("content/img/x.png".into(), "img/x.png".into());
        t.outputs.insert("img/x.png".into());
        let text = "<p><img src=\"../img/x.png\" alt=\"x\"></p>\n\n<img src=\"../img/missing.png\" alt=\"y\">\n";
        // Placed in a page two folders down (as a course pack places a page), the address follows.
        let body = compile(&snippet(text), &Placement::page("x/y/p.html"), &t, None, &Locals::default());
        assert!(body.html.contains("<img src=\"../../img/x.png\" alt=\"x\">"), "{}", body.html);
        let errors: Vec<String> = body.bad_links.iter().map(|b| crate::check::link_diagnostic(b).to_string()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("content/a/b.md:3:1: error: broken image `../img/missing.png`"), "{errors:?}");
    }

    #[test]
    fn links_that_climb_out_of_the_handbook_are_errors() {
        let r = md("[x](../../../../etc/passwd)\n");
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert!(r.diagnostics[0].message.contains("climbs out of the handbook folder"), "{:?}", r.diagnostics);
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
        assert!(
            r.html.contains(
                "<td class=\"align-left\">1</td><td class=\"align-center\">2</td><td class=\"align-right\">3</td><td>4</td>"
            ),
            "{}",
            r.html
        );
        let plain = md("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            plain.html.contains("<thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>"),
            "{}",
            plain.html
        );
    }

    #[test]
    fn positions_count_from_where_the_snippet_starts() {
        let md = Snippet { text: "See [x](nope.md).\n\n[y](nope.md)".into(), at: Location::new("forms/f.toml", 4, 10) };
        let body = compile(&md, &Placement::page("forms/f.html"), &targets(), None, &Locals::default());
        let at: Vec<(usize, usize)> = body.bad_links.iter().map(|b| (b.at.line, b.at.col)).collect();
        assert_eq!(at, [(4, 14), (6, 1)]);
    }

    fn locals() -> Locals {
        Locals {
            authority: "Testshire Council".into(),
            contacts: vec![crate::locals::Contact {
                key: "front_door".into(),
                name: "Children's Front Door".into(),
                phone: Some("01632 960111".into()),
                email: Some("door@example.net".into()),
                web: Some("https://example.net/door".into()),
                hours: None,
            }],
        }
    }

    fn with_locals(text: &str) -> Body {
        let md = Snippet { text: text.into(), at: Location::new("content/a/b.md", 3, 1) };
        compile(&md, &Placement::page("a/b.html"), &targets(), None, &locals())
    }

    #[test]
    fn placeholders_expand_and_numbers_become_links() {
        let b = with_locals(
            "## Call {{ contact.front_door.name }}\n\n{{ authority }}: ring {{contact.front_door.phone}} or email {{ contact.front_door.email }}, see {{ contact.front_door.web }}.\n",
        );
        assert!(b.problems.is_empty(), "{:?}", b.problems);
        assert_eq!(b.headings[0].text, "Call Children\u{2019}s Front Door".replace('\u{2019}', "'"));
        assert!(b.html.contains("Testshire Council: ring <a href=\"tel:01632960111\">01632 960111</a>"), "{}", b.html);
        assert!(b.html.contains("<a href=\"mailto:door@example.net\">door@example.net</a>"), "{}", b.html);
        assert!(b.html.contains("<a href=\"https://example.net/door\">https://example.net/door</a>."), "{}", b.html);
        assert!(b.text.contains("Testshire Council: ring 01632 960111"), "{}", b.text);
    }

    #[test]
    fn placeholders_in_links_and_raw_html_are_not_linked_twice() {
        let b = with_locals(
            "[Phone {{ contact.front_door.phone }}](tel:{{contact.front_door.phone}}) and <a href=\"{{ contact.front_door.web }}\">site</a>\n",
        );
        assert!(b.problems.is_empty(), "{:?}", b.problems);
        assert!(b.html.contains("<a href=\"tel:01632960111\">Phone 01632 960111</a>"), "{}", b.html);
        assert!(b.html.contains("<a href=\"https://example.net/door\">site</a>"), "{}", b.html);
    }

    #[test]
    fn placeholders_in_code_stay_literal() {
        let b =
            with_locals("Write `{{ contact.front_door.phone }}` or `{{ contact.nobody.phone }}`.\n\n```\n{{ authority }}\n```\n");
        assert!(b.problems.is_empty(), "{:?}", b.problems);
        assert!(b.html.contains("<code>{{ contact.front_door.phone }}</code>"), "{}", b.html);
        assert!(b.html.contains("<pre><code>{{ authority }}\n</code></pre>"), "{}", b.html);
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_at_its_place() {
        let b = with_locals("Intro.\n\nThe **hub** on {{ contact.hub.phone }} or {{ contact.front_door.fax }}.\n");
        let at: Vec<(usize, usize)> = b.problems.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, [(5, 16), (5, 43)], "{:?}", b.problems);
        assert!(b.problems[0].message.contains("unknown contact `hub`") && b.problems[0].message.contains("`front_door`"));
        assert!(b.html.contains("{{ contact.hub.phone }}"), "{}", b.html);
    }

    #[test]
    fn h1_in_body_warns_and_is_demoted() {
        let r = md("# Again\n");
        assert!(r.html.contains("<h2 id=\"again\">"));
        assert_eq!(r.diagnostics.len(), 1);
    }
}
