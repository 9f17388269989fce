//! Raw HTML in Markdown, cleaned at build time. Councils paste tables from
//! Word: inline styles, `mso-` classes, `<o:p>`, `<font>`, and now and then
//! a script, a frame or a `<meta http-equiv="refresh">`. The page's
//! security policy blocks inline styles and scripts, so each one left in
//! would be an error in the browser's console (and a script from content/
//! would run); a refresh would send the reader to another site.
//!
//! ammonia does the cleaning: it parses the HTML the way a browser does and
//! keeps only the elements and attributes allowed below. Only the raw parts
//! of a page go through it: the generator's own markup (heading ids,
//! glossary marks, callouts, tables) is never re-serialised, so it comes out
//! byte for byte as before. Raw parts are cleaned together, one page at a
//! time, with a comment standing in for each stretch of generated markup
//! between them, so `<span lang="cy">` in one place and its `</span>` in
//! another are still one element.
//!
//! Before cleaning, the raw parts are read once with html5ever's tokenizer
//! to say what will be removed, so `check` can report it once per page and
//! kind, at the line of the first occurrence.

use ammonia::{Builder, UrlRelative};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Elements kept: structure (tables with header rows, lists, sections),
/// emphasis, links and images. Landmarks (header, nav, main...) are left
/// out: the page has its own, and a second one confuses screen readers.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with everything inside them.
pub const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed", "noframes", "template",
    "xml", "title", "textarea", "select", "svg", "math",
];

/// Attributes any kept element may have.
pub const GENERIC_ATTRIBUTES: &[&str] = &["lang", "dir", "title", "id", "class"];

/// Attributes particular elements may have.
pub const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("bdo", &["dir"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("img", &["src", "alt", "width", "height"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("details", &["open"]),
];

/// Link schemes kept (any other, `javascript:` first of all, is removed).
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "data"];

/// What was removed, one warning each per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Styles,
    WordClasses,
    OfficeTags,
    Font,
    EmptySpans,
    Handlers,
    Scripts,
    StyleSheets,
    Frames,
    Refresh,
    UnsafeLinks,
    ExternalImages,
    OtherTags,
    OtherAttributes,
}

impl Kind {
    const ALL: [Kind; 14] = [
        Kind::Styles,
        Kind::WordClasses,
        Kind::OfficeTags,
        Kind::Font,
        Kind::EmptySpans,
        Kind::Handlers,
        Kind::Scripts,
        Kind::StyleSheets,
        Kind::Frames,
        Kind::Refresh,
        Kind::UnsafeLinks,
        Kind::ExternalImages,
        Kind::OtherTags,
        Kind::OtherAttributes,
    ];

    /// What the warning calls it, and why it had to go.
    fn words(self) -> (&'static str, &'static str) {
        const CSP: &str = "the page's security policy would block them and the browser would report an error";
        match self {
            Kind::Styles => (
                "inline styles (`style=\"...\"`)",
                "the page's security policy would block them and the browser would report an error; the theme already styles tables, lists and text",
            ),
            Kind::WordClasses => ("Word's `mso-` classes", "they mean something only inside Word"),
            Kind::OfficeTags => ("Word's Office tags (`<o:p>`)", "they mean something only inside Word; their text is kept"),
            Kind::Font => ("`<font>` tags", "their text is kept; the theme sets the fonts"),
            Kind::EmptySpans => ("empty `<span>` tags", "with their styles gone they did nothing; their text is kept"),
            Kind::Handlers => ("inline event handlers (`onclick=`...)", CSP),
            Kind::Scripts => (
                "`<script>` elements",
                "a script in a page would either be blocked by its security policy or run with the whole site's rights; scripts belong in templates/assets/",
            ),
            Kind::StyleSheets => ("`<style>` blocks", CSP),
            Kind::Frames => (
                "embedded frames and objects (`<iframe>`, `<object>`, `<embed>`)",
                "nothing from another site may load inside the handbook",
            ),
            Kind::Refresh => (
                "`<meta http-equiv=\"refresh\">`",
                "it would send the reader, and any course pack printing this page, off to another page without warning",
            ),
            Kind::UnsafeLinks => ("`javascript:` and other unsafe link addresses", "the link text is kept"),
            Kind::ExternalImages => (
                "images from outside the handbook",
                "a page may show only images inside the handbook (a `file:` image from Word is on one computer only, and the security policy blocks other sites): copy the image into content/ and use its path there",
            ),
            Kind::OtherTags => {
                ("other tags the handbook does not allow", "their text is kept, except inside svg, math, select and textarea")
            }
            Kind::OtherAttributes => ("other attributes the handbook does not allow", "the theme sets the layout"),
        }
    }
}

/// One kind of thing removed from a page: how many, where the first was
/// (offset in the Markdown), and for the "other" kinds, which names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub count: usize,
    pub offset: usize,
    pub names: BTreeSet<String>,
}

/// The text of the warning for a finding.
pub fn message(kind: Kind, count: usize, names: &BTreeSet<String>) -> String {
    let (label, why) = kind.words();
    let names = if names.is_empty() {
        String::new()
    } else {
        let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
        let more = if names.len() > shown.len() { ", ..." } else { "" };
        format!(": {}{more}", shown.join(", "))
    };
    format!("{PREFIX}{label} ({count}{names}); {why}")
}

const PREFIX: &str = "raw HTML: removed ";

/// Warnings about raw HTML from several pieces of Markdown in one file (the
/// snippets of a form, a tree or the glossary) become one per kind, at the
/// first place, with the counts added up.
pub fn merge_warnings(diagnostics: &mut Vec<crate::diagnostics::Diagnostic>) {
    let parse = |m: &str| -> Option<(Kind, usize)> {
        let rest = m.strip_prefix(PREFIX)?;
        let kind = Kind::ALL.into_iter().find(|k| rest.starts_with(k.words().0))?;
        let after = rest[kind.words().0.len()..].strip_prefix(" (")?;
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        Some((kind, digits.parse().ok()?))
    };
    let mut groups: BTreeMap<(String, Kind), Vec<(usize, usize)>> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if let Some((kind, count)) = parse(&d.message) {
            groups.entry((d.path.clone(), kind)).or_default().push((i, count));
        }
    }
    let mut drop = vec![false; diagnostics.len()];
    for ((_, kind), members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        // A snippet shown twice (a tree's intro is also its summary) is counted once.
        let mut by_place: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (i, count) in &members {
            let place = by_place.entry((diagnostics[*i].line, diagnostics[*i].col)).or_insert(0);
            *place = (*place).max(*count);
        }
        let total: usize = by_place.values().sum();
        let &(first, count) = members.iter().min_by_key(|(i, _)| (diagnostics[*i].line, diagnostics[*i].col)).unwrap();
        for (i, _) in &members {
            drop[*i] = *i != first;
        }
        let d = &mut diagnostics[first];
        let label_end = PREFIX.len() + kind.words().0.len();
        d.message = format!(
            "{}{}",
            &d.message[..label_end],
            d.message[label_end..].replacen(&format!("({count}"), &format!("({total}"), 1)
        );
    }
    let mut i = 0;
    diagnostics.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// Raw HTML from one piece of Markdown, in order: each stretch of raw
/// parts that touch, with where each part starts (offset in `text`, offset
/// in the Markdown), so a finding can be put on its line.
#[derive(Debug, Default, Clone)]
pub struct RawPiece {
    pub text: String,
    pub starts: Vec<(usize, usize)>,
}

impl RawPiece {
    pub fn push(&mut self, html: &str, markdown_offset: usize) {
        self.starts.push((self.text.len(), markdown_offset));
        self.text.push_str(html);
    }

    /// The Markdown offset of byte `at` of `text`.
    fn markdown_offset(&self, at: usize) -> usize {
        let i = self.starts.partition_point(|(start, _)| *start <= at).saturating_sub(1);
        self.starts.get(i).map(|(start, md)| md + (at - start)).unwrap_or(0)
    }
}

/// An image address found in raw HTML, so it can be checked and rewritten
/// like a Markdown image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub src: String,
    /// Offset in the Markdown of the line it is on.
    pub offset: usize,
}

/// What the raw parts of one page hold: what cleaning will remove, and the
/// images inside the handbook they show.
#[derive(Debug, Default)]
pub struct Scan {
    pub findings: Vec<Finding>,
    pub images: Vec<Image>,
}

/// The scheme of an address (`https`, `javascript`), if it has one; `//host` counts as one.
fn scheme(url: &str) -> Option<String> {
    // Browsers skip leading spaces and control characters, and tabs and newlines anywhere.
    let url: String = url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    if url.starts_with("//") {
        return Some("//".into());
    }
    let colon = url.find(':')?;
    let name = &url[..colon];
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    ok.then(|| name.to_ascii_lowercase())
}

fn is_word_class(class: &str) -> bool {
    let lower = class.to_ascii_lowercase();
    lower.starts_with("mso")
        || (lower.starts_with("xl") && lower.len() > 2 && lower[2..].bytes().all(|b| b.is_ascii_digit()))
        || lower.starts_with("apple-")
}

fn tag_allows(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr) || TAG_ATTRIBUTES.iter().any(|(t, attrs)| *t == tag && attrs.contains(&attr))
}

/// Reads the raw parts with html5ever's tokenizer and lists what cleaning
/// will take out, and the images kept.
pub fn scan(pieces: &[RawPiece]) -> Scan {
    struct Sink {
        found: RefCell<BTreeMap<Kind, Finding>>,
        images: RefCell<Vec<(String, u64)>>,
        /// Inside an element removed with its content: its name and depth.
        skipping: RefCell<Option<(String, usize)>>,
        line: RefCell<u64>,
    }
    impl Sink {
        fn add(&self, kind: Kind, name: Option<&str>) {
            let line = *self.line.borrow();
            let mut found = self.found.borrow_mut();
            let f =
                found.entry(kind).or_insert_with(|| Finding { kind, count: 0, offset: line as usize, names: BTreeSet::new() });
            f.count += 1;
            if let Some(n) = name {
                f.names.insert(n.to_string());
            }
        }

        fn start_tag(&self, tag: &Tag) {
            let name = tag.name.to_string();
            let attr = |n: &str| tag.attrs.iter().find(|a| &*a.name.local == n).map(|a| a.value.to_string());
            match name.as_str() {
                "script" => self.add(Kind::Scripts, None),
                "style" => self.add(Kind::StyleSheets, None),
                "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" => self.add(Kind::Frames, None),
                "font" => self.add(Kind::Font, None),
                "meta" if attr("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh")) => {
                    self.add(Kind::Refresh, None)
                }
                n if n.contains(':') => self.add(Kind::OfficeTags, None),
                n if !ALLOWED_TAGS.contains(&n) => self.add(Kind::OtherTags, Some(&format!("<{n}>"))),
                _ => {}
            }
            if REMOVED_WITH_CONTENT.contains(&name.as_str()) {
                return;
            }
            let kept_tag = ALLOWED_TAGS.contains(&name.as_str());
            let mut kept_attrs = 0;
            for a in &tag.attrs {
                let a_name = a.name.local.to_string();
                let value = a.value.to_string();
                if a_name == "style" {
                    self.add(Kind::Styles, None);
                } else if a_name.starts_with("on") && a_name.len() > 2 {
                    self.add(Kind::Handlers, None);
                } else if a_name == "class" {
                    let (word, other): (Vec<&str>, Vec<&str>) = value.split_whitespace().partition(|c| is_word_class(c));
                    if !word.is_empty() {
                        self.add(Kind::WordClasses, None);
                    }
                    kept_attrs += usize::from(!other.is_empty());
                } else if kept_tag && tag_allows(&name, &a_name) {
                    match (a_name.as_str(), scheme(&value)) {
                        // `file:///C:/Users/...` from Word, or another site: the page could not show it.
                        ("src", Some(s)) if s != "data" => self.add(Kind::ExternalImages, None),
                        ("href", Some(s)) if !URL_SCHEMES.contains(&s.as_str()) || s == "data" => {
                            self.add(Kind::UnsafeLinks, None)
                        }
                        ("src", None) if name == "img" => {
                            kept_attrs += 1;
                            self.images.borrow_mut().push((value, *self.line.borrow()));
                        }
                        _ => kept_attrs += 1,
                    }
                } else if kept_tag {
                    self.add(Kind::OtherAttributes, Some(&a_name));
                }
            }
            if name == "span" && kept_attrs == 0 {
                self.add(Kind::EmptySpans, None);
            }
        }
    }
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
            *self.line.borrow_mut() = line;
            let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
            let name = tag.name.to_string();
            {
                let mut skipping = self.skipping.borrow_mut();
                if let Some((open, depth)) = skipping.clone() {
                    if open == name {
                        match tag.kind {
                            TagKind::StartTag if !tag.self_closing => *skipping = Some((open, depth + 1)),
                            TagKind::EndTag if depth <= 1 => *skipping = None,
                            TagKind::EndTag => *skipping = Some((open, depth - 1)),
                            _ => {}
                        }
                    }
                    return TokenSinkResult::Continue;
                }
            }
            if tag.kind != TagKind::StartTag {
                return TokenSinkResult::Continue;
            }
            self.start_tag(&tag);
            if REMOVED_WITH_CONTENT.contains(&name.as_str()) && !tag.self_closing {
                *self.skipping.borrow_mut() = Some((name.clone(), 1));
            }
            match name.as_str() {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "iframe" | "xmp" | "noembed" | "noframes" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
                "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => TokenSinkResult::Plaintext,
                _ => TokenSinkResult::Continue,
            }
        }
    }

    // One text for all the pieces, so an element opened in one and closed
    // in another is read as the browser would; line numbers map back.
    let mut joined = String::new();
    let mut piece_at = Vec::new();
    for p in pieces {
        piece_at.push(joined.len());
        joined.push_str(&p.text);
        joined.push('\n');
    }
    let line_starts: Vec<usize> = std::iter::once(0).chain(joined.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let to_markdown = |line: u64| -> usize {
        let at = line_starts.get((line as usize).saturating_sub(1)).copied().unwrap_or(0);
        let i = piece_at.partition_point(|s| *s <= at).saturating_sub(1);
        pieces.get(i).map(|p| p.markdown_offset(at.saturating_sub(piece_at[i]).min(p.text.len()))).unwrap_or(0)
    };
    let sink =
        Sink { found: Default::default(), images: Default::default(), skipping: Default::default(), line: RefCell::new(1) };
    let tokenizer = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&joined));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let sink = tokenizer.sink;
    let findings = sink
        .found
        .into_inner()
        .into_values()
        .map(|mut f| {
            f.offset = to_markdown(f.offset as u64);
            f
        })
        .collect();
    let images = sink.images.into_inner().into_iter().map(|(src, line)| Image { src, offset: to_markdown(line) }).collect();
    Scan { findings, images }
}

/// Relative addresses as written to what they are in the built page.
fn rewriter<'a>(rewrites: &'a HashMap<String, String>) -> impl for<'u> Fn(&'u str) -> Option<Cow<'u, str>> + Send + Sync + 'a {
    move |url| Some(rewrites.get(url).map(|u| Cow::Owned(u.clone())).unwrap_or(Cow::Borrowed(url)))
}

/// The ammonia policy. `rewrites` maps image addresses as written to the
/// addresses they have in the built page.
fn builder<'a>(rewrites: &'a HashMap<String, String>) -> Builder<'a> {
    let mut b = Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(TAG_ATTRIBUTES.iter().map(|(t, a)| (*t, a.iter().copied().collect::<HashSet<_>>())).collect())
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .link_rel(None)
        // Kept so the stand-ins for generated markup survive; the page's own comments go in `tidy`.
        .strip_comments(false)
        .url_relative(UrlRelative::Custom(Box::new(rewriter(rewrites))))
        .attribute_filter(|element, attribute, value| match attribute {
            "class" => {
                let kept: Vec<&str> = value.split_whitespace().filter(|c| !is_word_class(c)).collect();
                (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
            }
            "src" if element == "img" => match scheme(value) {
                Some(s) if s != "data" => None,
                _ => Some(Cow::Borrowed(value)),
            },
            "href" if scheme(value).as_deref() == Some("data") => None,
            _ => Some(Cow::Borrowed(value)),
        });
    b
}

/// Takes the page's own comments out of ammonia's output (keeping the
/// stand-ins that start with `keep`) and unwraps `<span>`s left with no
/// attributes. ammonia's output is well formed and regular (every element
/// closed, attribute values in double quotes, `<` in text escaped), which
/// is what makes a simple scan enough here.
fn tidy(html: &str, keep: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut spans: Vec<bool> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map(|e| e + 3).unwrap_or(body.len());
            if body.starts_with(keep) {
                out.push_str(&rest[..4 + end]);
            }
            rest = &body[end.min(body.len())..];
            continue;
        }
        // The end of the tag: the first `>` outside a quoted value.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map(|(i, _)| i + 1)
            .unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag == "<span>" {
            spans.push(false);
        } else if tag.starts_with("<span ") {
            spans.push(true);
            out.push_str(tag);
        } else if tag == "</span>" {
            if spans.pop().unwrap_or(true) {
                out.push_str(tag);
            }
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The raw parts cleaned, in order. Each piece comes back in its place;
/// should the parse move a stand-in (a script or a `<textarea>` left open
/// swallows what follows), each piece is cleaned on its own instead, which
/// is always safe but closes any element left open in a piece.
pub fn clean(pieces: &[RawPiece], rewrites: &HashMap<String, String>) -> Vec<String> {
    if pieces.is_empty() {
        return Vec::new();
    }
    let b = builder(rewrites);
    // A stand-in no piece contains.
    let mut nonce = 0u64;
    let stand_in = loop {
        let s = format!("hb-generated-{nonce}-");
        if !pieces.iter().any(|p| p.text.contains(&s)) {
            break s;
        }
        nonce += 1;
    };
    let mut joined = String::new();
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            joined.push_str(&format!("<!--{stand_in}{i}-->"));
        }
        joined.push_str(&p.text);
    }
    let cleaned = tidy(&b.clean(&joined).to_string(), &stand_in);
    let mut out = Vec::with_capacity(pieces.len());
    let mut rest = cleaned.as_str();
    for i in 1..pieces.len() {
        let mark = format!("<!--{stand_in}{i}-->");
        match rest.find(&mark) {
            Some(at) => {
                out.push(rest[..at].to_string());
                rest = &rest[at + mark.len()..];
            }
            None => break,
        }
    }
    if out.len() == pieces.len() - 1 && !rest.contains(&format!("<!--{stand_in}")) {
        out.push(rest.to_string());
        return out;
    }
    pieces.iter().map(|p| tidy(&b.clean(&p.text).to_string(), &stand_in)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str) -> RawPiece {
        let mut p = RawPiece::default();
        p.push(text, 0);
        p
    }

    fn clean_one(text: &str) -> String {
        clean(&[piece(text)], &HashMap::new()).remove(0)
    }

    #[test]
    fn word_markup_goes_and_structure_stays() {
        let word = "<table class=MsoTableGrid border=1 style='border-collapse:collapse'>\n<thead><tr><th scope=col style='width:50%'><p class=MsoNormal><b>Name<o:p></o:p></b></p></th></tr></thead>\n<tr><td class=xl65><span style='font-size:11pt'><font face=Arial>Jo</font></span></td></tr></table>";
        let out = clean_one(word);
        assert_eq!(
            out,
            "<table>\n<thead><tr><th scope=\"col\"><p><b>Name</b></p></th></tr></thead>\n<tbody><tr><td>Jo</td></tr></tbody></table>"
        );
    }

    #[test]
    fn dangerous_things_go() {
        let out = clean_one(
            "<script src=\"x.js\"></script><iframe src=\"https://example.org\"></iframe><meta http-equiv=\"refresh\" content=\"0;url=https://example.org\"><a href=\"javascript:alert(1)\" onclick=\"x()\">link</a><img src=\"https://example.org/x.png\" alt=\"x\">",
        );
        assert_eq!(out, "<a>link</a><img alt=\"x\">");
    }

    #[test]
    fn an_element_split_across_pieces_is_still_one_element() {
        let pieces =
            [piece("<span lang=\"cy\" style=\"color:red\">"), piece("</span>"), piece("<span style=\"x\">"), piece("</span>")];
        let out = clean(&pieces, &HashMap::new());
        assert_eq!(out, ["<span lang=\"cy\">", "</span>", "", ""]);
    }

    #[test]
    fn comments_go_and_a_swallowed_stand_in_falls_back_to_pieces() {
        assert_eq!(clean_one("<!--[if gte mso 9]><xml>x</xml><![endif]--><p>a</p>"), "<p>a</p>");
        let pieces = [piece("<textarea>"), piece("</textarea><b>bold</b>")];
        let out = clean(&pieces, &HashMap::new());
        assert_eq!(out, ["", "<b>bold</b>"]);
    }

    #[test]
    fn image_addresses_are_rewritten() {
        let mut rewrites = HashMap::new();
        rewrites.insert("img/a.png".to_string(), "../img/a.png".to_string());
        let out = clean(&[piece("<img src=\"img/a.png\" alt=\"A\">")], &rewrites);
        assert_eq!(out, ["<img src=\"../img/a.png\" alt=\"A\">"]);
    }

    #[test]
    fn the_scan_counts_each_kind_and_finds_its_first_line() {
        let mut p = RawPiece::default();
        p.push("<p>intro</p>\n", 0);
        p.push("<p style=\"a\"><span style=\"b\">x</span><o:p></o:p></p>\n", 20);
        p.push("<script>var a = '<b style=\"c\">';</script><img src=\"pic.png\" onclick=\"x\">\n", 100);
        let scan = scan(&[p]);
        let get = |k: Kind| scan.findings.iter().find(|f| f.kind == k).map(|f| (f.count, f.offset));
        assert_eq!(get(Kind::Styles), Some((2, 20)), "{:?}", scan.findings);
        assert_eq!(get(Kind::EmptySpans), Some((1, 20)));
        assert_eq!(get(Kind::OfficeTags), Some((1, 20)));
        assert_eq!(get(Kind::Scripts), Some((1, 100)));
        assert_eq!(get(Kind::Handlers), Some((1, 100)));
        assert_eq!(scan.images, [Image { src: "pic.png".into(), offset: 100 }]);
    }

    #[test]
    fn warnings_from_snippets_of_one_file_merge() {
        use crate::diagnostics::Location;
        let none = BTreeSet::new();
        let mut d = vec![
            Location::new("forms/a.toml", 9, 1).warning(message(Kind::Styles, 2, &none)),
            Location::new("forms/a.toml", 3, 1).warning(message(Kind::Styles, 5, &none)),
            Location::new("forms/a.toml", 4, 1).warning(message(Kind::Font, 1, &none)),
            Location::new("forms/a.toml", 9, 1).warning(message(Kind::Styles, 1, &none)),
            Location::new("forms/b.toml", 4, 1).warning(message(Kind::Styles, 1, &none)),
        ];
        merge_warnings(&mut d);
        let got: Vec<(String, usize, String)> = d.iter().map(|d| (d.path.clone(), d.line, d.message.clone())).collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert_eq!(got[0].1, 3);
        assert!(got[0].2.contains("(7)"), "{got:#?}");
    }
}
