//! What a source document becomes before it is split into pages: headings
//! and blocks of Markdown, with placeholders for the things that depend on
//! where each page ends up (internal links, images, footnotes). Also the
//! Markdown writer the Word reader uses for text, lists and tables.

use std::fmt::Write as _;
use time::Date;

/// Where something is in the source, for the report.
#[derive(Debug, Clone, Default)]
pub struct At {
    /// 1-based paragraph number in a Word document (every paragraph counts,
    /// empty ones and those in tables too).
    pub para: Option<usize>,
    /// 1-based line in a saved web page's source: where its element starts.
    pub line: Option<usize>,
    /// The text of the nearest heading above it.
    pub heading: Option<String>,
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = match (self.para, self.line) {
            (Some(p), _) => Some(format!("paragraph {p}")),
            (None, Some(l)) => Some(format!("line {l}")),
            (None, None) => None,
        };
        match (place, &self.heading) {
            (Some(p), Some(h)) => write!(f, "{p} (under \"{h}\")"),
            (Some(p), None) => write!(f, "{p}"),
            (None, Some(h)) => write!(f, "under \"{h}\""),
            (None, None) => write!(f, "before the first heading"),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Block {
    Heading {
        /// 1 for the document's top headings (Heading 1; `<h2>` under a page's `<h1>`).
        level: u8,
        /// The heading text as Markdown, with its "1.2" numbering removed.
        text: String,
        /// The same as plain text: what the page's heading id is made from.
        plain: String,
        /// Bookmarks and ids that point at this heading.
        anchors: Vec<String>,
        at: At,
    },
    Body {
        markdown: String,
        /// Bookmarks and ids inside this block.
        anchors: Vec<String>,
        at: At,
    },
}

/// Where an internal link goes, resolved once the pages are known.
#[derive(Debug, Clone)]
pub enum LinkRef {
    /// A bookmark or id in the same document.
    Anchor(String),
    /// Another document imported in the same run, by its file name.
    File(String),
}

#[derive(Debug, Clone)]
pub struct Image {
    pub bytes: Vec<u8>,
    /// Lower-case file extension: png, jpg, gif, svg, webp.
    pub ext: String,
}

/// Something a person should look at, found while reading.
#[derive(Debug, Clone)]
pub struct Note {
    /// Index of the block it belongs to (the report names that block's page).
    pub block: usize,
    pub at: At,
    pub message: String,
}

/// How the review date was found.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    pub reviewed: Option<Date>,
    /// Where `reviewed` came from, for the report ("the line `Date of review: ...`").
    pub reviewed_from: Option<String>,
    /// True when only the file's own "last saved" date was found.
    pub reviewed_is_saved_date: bool,
    pub next_review: Option<Date>,
}

/// A source file, read.
#[derive(Debug, Default)]
pub struct Doc {
    /// The file name as given, for the report.
    pub file: String,
    pub title: Option<String>,
    /// Bookmarks and ids on the title: links to them go to the section page.
    pub title_anchors: Vec<String>,
    pub description: Option<String>,
    /// Who the document says owns it.
    pub owner: Option<String>,
    pub dates: Dates,
    pub blocks: Vec<Block>,
    /// Targets of `#hbimport-N` placeholders.
    pub links: Vec<LinkRef>,
    /// Targets of `#hbimage-N` placeholders.
    pub images: Vec<Image>,
    /// Texts of `[^hbnote-N]` footnotes, as Markdown.
    pub footnotes: Vec<String>,
    pub notes: Vec<Note>,
    pub tables: usize,
}

impl Doc {
    pub fn note(&mut self, at: &At, message: impl Into<String>) {
        self.notes.push(Note { block: self.blocks.len(), at: at.clone(), message: message.into() });
    }

    /// A placeholder destination for an internal link.
    pub fn link(&mut self, target: LinkRef) -> String {
        self.links.push(target);
        format!("#hbimport-{}", self.links.len() - 1)
    }

    /// A placeholder destination for an image.
    pub fn image(&mut self, image: Image) -> String {
        self.images.push(image);
        format!("#hbimage-{}", self.images.len() - 1)
    }
}

/// Character formatting that Markdown can show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub sup: bool,
    pub sub: bool,
}

#[derive(Debug, Clone)]
pub enum Inline {
    Text(String, Style),
    /// A link: its Markdown destination and its text.
    Link(String, Vec<Inline>),
    /// An image: its Markdown destination and alt text.
    Image(String, String),
    Break,
    /// A footnote reference by index into `Doc::footnotes`.
    Note(usize),
}

/// Plain text of inlines (link texts included, images left out).
pub fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t, _) => s.push_str(t),
            Inline::Link(_, inner) => s.push_str(&plain(inner)),
            Inline::Break => s.push(' '),
            Inline::Image(..) | Inline::Note(_) => {}
        }
    }
    collapse_spaces(&s)
}

/// Runs of white space (tabs, no-break spaces, new lines) as one space, trimmed.
pub fn collapse_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Joins adjacent text of the same style, makes white space single spaces,
/// and drops breaks and spaces at the start and end: the "Word cruft" of
/// runs split mid-word, double spaces and line breaks used as spacing.
pub fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in inlines {
        match i {
            Inline::Text(t, style) => {
                let t: String = t.chars().map(|c| if c.is_whitespace() || c == '\u{a0}' { ' ' } else { c }).collect::<String>();
                if t.is_empty() {
                    continue;
                }
                // Spaces carry no style: joining them to either side keeps runs whole.
                let style = if t.trim().is_empty() { None } else { Some(style) };
                match (out.last_mut(), style) {
                    (Some(Inline::Text(prev, _)), None) => prev.push_str(&t),
                    (Some(Inline::Text(prev, s)), Some(style)) if *s == style || prev.trim().is_empty() => {
                        prev.push_str(&t);
                        *s = style;
                    }
                    (_, style) => out.push(Inline::Text(t, style.unwrap_or_default())),
                }
            }
            Inline::Link(dest, inner) => {
                let inner = tidy(inner);
                if inner.is_empty() {
                    continue;
                }
                // Word splits one link into several runs' worth of hyperlinks.
                if let Some(Inline::Link(prev_dest, prev_inner)) = out.last_mut()
                    && *prev_dest == dest
                {
                    prev_inner.extend(inner);
                    let merged = tidy(std::mem::take(prev_inner));
                    *prev_inner = merged;
                    continue;
                }
                out.push(Inline::Link(dest, inner));
            }
            other => out.push(other),
        }
    }
    // Collapse inner runs of spaces.
    for i in out.iter_mut() {
        if let Inline::Text(t, _) = i {
            let mut s = String::with_capacity(t.len());
            let mut last_space = false;
            for c in t.chars() {
                if c == ' ' {
                    if !last_space {
                        s.push(' ');
                    }
                    last_space = true;
                } else {
                    s.push(c);
                    last_space = false;
                }
            }
            *t = s;
        }
    }
    // Trim the ends: leading and trailing breaks and spaces.
    while matches!(out.first(), Some(Inline::Break)) {
        out.remove(0);
    }
    while matches!(out.last(), Some(Inline::Break)) {
        out.pop();
    }
    if let Some(Inline::Text(t, _)) = out.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t, _)) = out.last_mut() {
        *t = t.trim_end().to_string();
    }
    out.retain(|i| !matches!(i, Inline::Text(t, _) if t.is_empty()));
    // A space before or after a break is spacing, not text.
    for k in 0..out.len() {
        let next_is_break = matches!(out.get(k + 1), Some(Inline::Break));
        let prev_is_break = k > 0 && matches!(out.get(k - 1), Some(Inline::Break));
        if let Inline::Text(t, _) = &mut out[k] {
            if next_is_break {
                *t = t.trim_end().to_string();
            }
            if prev_is_break {
                *t = t.trim_start().to_string();
            }
        }
    }
    out.retain(|i| !matches!(i, Inline::Text(t, _) if t.is_empty()));
    out
}

/// Escapes text so Markdown shows it as written. `line_start`: the text
/// begins a line, where `#`, `-` and `1.` would start a block.
fn escape_into(out: &mut String, text: &str, line_start: bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut list_mark = None;
    if line_start {
        let n = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 0 && matches!(chars.get(n), Some('.' | ')')) && chars.get(n + 1).is_none_or(|c| *c == ' ') {
            list_mark = Some(n);
        }
    }
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        match c {
            _ if list_mark == Some(i) => {
                out.push('\\');
                out.push(c);
            }
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `_` inside a word (file_name) is not emphasis.
            '_' if !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)) => {
                out.push_str("\\_");
            }
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => out.push_str("&amp;"),
            '#' | '+' | '-' | '=' if line_start && i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

/// An emphasis marker and whether a style asks for it.
type Marker = (&'static str, fn(&Style) -> bool);

const MARKERS: [Marker; 3] = [("**", |s| s.bold), ("*", |s| s.italic), ("~~", |s| s.strike)];

/// Renders inline content as Markdown. Double breaks become paragraph
/// breaks (`\n\n`), single ones hard breaks.
pub fn render(inlines: &[Inline]) -> String {
    let mut out = String::new();
    let mut open: Vec<usize> = Vec::new();
    let mut pending_ws = String::new();
    let mut k = 0;
    while k < inlines.len() {
        match &inlines[k] {
            Inline::Text(t, style) => {
                if t.trim().is_empty() {
                    pending_ws.push_str(t);
                    k += 1;
                    continue;
                }
                let lead = &t[..t.len() - t.trim_start().len()];
                let core = t.trim();
                let trail = &t[t.trim_end().len()..];
                let wanted: Vec<usize> = (0..MARKERS.len()).filter(|&m| (MARKERS[m].1)(style)).collect();
                // Close what is no longer wanted (and what was opened after it).
                if let Some(pos) = open.iter().position(|m| !wanted.contains(m)) {
                    while open.len() > pos {
                        out.push_str(MARKERS[open.pop().unwrap()].0);
                    }
                }
                out.push_str(&pending_ws);
                pending_ws.clear();
                out.push_str(lead);
                for m in wanted {
                    if !open.contains(&m) {
                        out.push_str(MARKERS[m].0);
                        open.push(m);
                    }
                }
                let line_start = out.is_empty() || out.ends_with('\n');
                let mut text = String::new();
                escape_into(&mut text, core, line_start);
                if style.sup {
                    text = format!("<sup>{text}</sup>");
                } else if style.sub {
                    text = format!("<sub>{text}</sub>");
                }
                out.push_str(&text);
                pending_ws.push_str(trail);
            }
            other => {
                while let Some(m) = open.pop() {
                    out.push_str(MARKERS[m].0);
                }
                match other {
                    Inline::Break => {
                        pending_ws.clear();
                        if matches!(inlines.get(k + 1), Some(Inline::Break)) {
                            while matches!(inlines.get(k + 1), Some(Inline::Break)) {
                                k += 1;
                            }
                            out.push_str("\n\n");
                        } else {
                            out.push_str("\\\n");
                        }
                    }
                    Inline::Link(dest, inner) => {
                        out.push_str(&pending_ws);
                        pending_ws.clear();
                        let text = render(inner).replace("\n\n", " ");
                        let dest = if dest.contains([' ', '(', ')', '<', '>']) {
                            format!("<{}>", dest.replace(' ', "%20").replace('<', "%3C").replace('>', "%3E"))
                        } else {
                            dest.clone()
                        };
                        let _ = write!(out, "[{text}]({dest})");
                    }
                    Inline::Image(dest, alt) => {
                        out.push_str(&pending_ws);
                        pending_ws.clear();
                        let mut a = String::new();
                        escape_into(&mut a, alt, false);
                        let _ = write!(out, "![{a}]({dest})");
                    }
                    Inline::Note(n) => {
                        // A footnote mark sits right after the word it belongs to.
                        pending_ws.clear();
                        let _ = write!(out, "[^hbnote-{n}]");
                    }
                    Inline::Text(..) => unreachable!(),
                }
            }
        }
        k += 1;
    }
    while let Some(m) = open.pop() {
        out.push_str(MARKERS[m].0);
    }
    out.trim().to_string()
}

/// One paragraph of a list.
#[derive(Debug, Clone)]
pub struct Item {
    pub ordered: bool,
    /// 0 for the outermost level.
    pub depth: usize,
    pub markdown: String,
    /// For a list Word numbers with letters or roman numerals, the HTML
    /// `type` that shows them: `a`, `A`, `i` or `I`.
    pub letters: Option<char>,
}

/// The label each lettered or roman item shows ("b", "iii"), `None` for
/// the others: what text that refers to an item would name.
pub fn list_labels(items: &[Item]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    // For each open level: whether it is ordered, its letters, the next number.
    let mut levels: Vec<(bool, Option<char>, usize)> = Vec::new();
    for item in items {
        let depth = item.depth.min(levels.len());
        levels.truncate(depth + 1);
        if levels.len() == depth + 1 && (levels[depth].0, levels[depth].1) != (item.ordered, item.letters) {
            levels.truncate(depth);
        }
        if levels.len() == depth {
            levels.push((item.ordered, item.letters, 1));
        }
        let n = levels[depth].2;
        levels[depth].2 += 1;
        out.push(item.letters.filter(|_| item.ordered).map(|t| label(t, n)));
    }
    out
}

/// Item `n` (from 1) of a list of type `t`: `b` for 2 of `a`, `iv` for 4 of `i`.
fn label(t: char, n: usize) -> String {
    match t {
        'a' | 'A' => {
            // a..z, then aa, bb.. as Word does.
            let letter = (b'a' + ((n - 1) % 26) as u8) as char;
            let s = letter.to_string().repeat((n - 1) / 26 + 1);
            if t == 'A' { s.to_uppercase() } else { s }
        }
        _ => {
            let mut n = n;
            let mut s = String::new();
            for (v, r) in [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ] {
                while n >= v {
                    s.push_str(r);
                    n -= v;
                }
            }
            if t == 'I' { s.to_uppercase() } else { s }
        }
    }
}

/// Whether `text` refers to a list item by its label: "(b)", "4(b)", "b)"
/// after a space, or "point b" / "item (ii)" and the like.
pub fn refers_to(text: &str, label: &str) -> bool {
    let bracketed = format!("({label})");
    if text.match_indices(&bracketed).any(|(i, _)| {
        let after = text[i + bracketed.len()..].chars().next();
        !after.is_some_and(char::is_alphanumeric)
    }) {
        return true;
    }
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    words.windows(2).any(|w| {
        let noun = w[0].to_lowercase();
        let named = w[1].trim_end_matches([',', '.', ';', ':']);
        matches!(
            noun.as_str(),
            "point"
                | "points"
                | "item"
                | "items"
                | "step"
                | "steps"
                | "option"
                | "options"
                | "paragraph"
                | "criterion"
                | "condition"
                | "part"
        ) && (named == label || named == bracketed || named == format!("{label})"))
    })
}

/// Renders list items as HTML lists (`<ol type="a">` for lettered levels)
/// with each item's Markdown between blank lines, so it is still Markdown:
/// for a list whose letters the text refers to, which Markdown's `1.` would lose.
pub fn render_list_html(items: &[Item]) -> String {
    let mut out = String::new();
    // For each open level: whether it is ordered and its letters.
    let mut levels: Vec<(bool, Option<char>)> = Vec::new();
    let close = |out: &mut String, level: (bool, Option<char>)| {
        out.push_str(if level.0 { "</li>\n</ol>\n" } else { "</li>\n</ul>\n" });
    };
    for item in items {
        let depth = item.depth.min(levels.len());
        while levels.len() > depth + 1 {
            close(&mut out, levels.pop().unwrap());
        }
        if levels.len() == depth + 1 && levels[depth] != (item.ordered, item.letters) {
            close(&mut out, levels.pop().unwrap());
        }
        if levels.len() == depth + 1 {
            out.push_str("</li>\n");
        } else {
            match (item.ordered, item.letters) {
                (true, Some(t)) => {
                    let _ = writeln!(out, "<ol type=\"{t}\">");
                }
                (true, None) => out.push_str("<ol>\n"),
                (false, _) => out.push_str("<ul>\n"),
            }
            levels.push((item.ordered, item.letters));
        }
        let _ = write!(out, "<li>\n\n{}\n\n", item.markdown);
    }
    while let Some(level) = levels.pop() {
        close(&mut out, level);
    }
    out.trim_end().to_string()
}

/// Renders list items as a (nested) Markdown list. Depths that jump by more
/// than one level are brought into line, since Markdown cannot skip a level.
pub fn render_list(items: &[Item]) -> String {
    let mut out = String::new();
    // For each open level: its indent, and the next number.
    let mut levels: Vec<(usize, usize, bool)> = Vec::new();
    for item in items {
        let depth = item.depth.min(levels.len());
        levels.truncate(depth + 1);
        if levels.len() == depth + 1 && levels[depth].2 != item.ordered {
            levels.truncate(depth);
        }
        if levels.len() == depth {
            let indent = levels.last().map(|&(ind, n, ord)| ind + marker(ord, n.saturating_sub(1)).len() + 1).unwrap_or(0);
            levels.push((indent, 1, item.ordered));
        }
        let (indent, n, ordered) = levels[depth];
        let mark = marker(ordered, n);
        levels[depth].1 += 1;
        let pad = " ".repeat(indent + mark.len() + 1);
        let _ = write!(out, "{}{} ", " ".repeat(indent), mark);
        for (i, line) in item.markdown.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&pad);
                }
            }
            out.push_str(line);
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}

fn marker(ordered: bool, n: usize) -> String {
    if ordered { format!("{}.", n.max(1)) } else { "-".to_string() }
}

/// A table cell: its paragraphs as Markdown (list items among them marked).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub paras: Vec<String>,
    pub list: Vec<Item>,
    pub colspan: usize,
    pub rowspan: usize,
    /// Covered by a cell above that spans down into it.
    pub covered: bool,
    /// `paras` hold block Markdown (a list converted from HTML).
    pub block: bool,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        self.paras.iter().all(|p| p.trim().is_empty()) && self.list.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
    /// How many rows at the top are headings (0 when none is marked).
    pub header_rows: usize,
}

/// How a table came out.
pub enum TableKind {
    /// A Markdown (GFM) table.
    Markdown,
    /// Raw HTML, because of merged cells, lists in cells, more than one
    /// heading row, or no heading row.
    Html(&'static str),
}

/// Renders a table: a Markdown table when Markdown can express it, else
/// minimal HTML (table, thead, tbody, tr, th, td, colspan, rowspan) with the
/// cells' Markdown between blank lines, so links in them are still checked.
pub fn render_table(t: &Table) -> (String, TableKind) {
    let merged = t.rows.iter().flatten().any(|c| c.colspan > 1 || c.rowspan > 1);
    let lists = t.rows.iter().flatten().any(|c| !c.list.is_empty() || c.block);
    let nested = t.rows.iter().flatten().any(|c| c.paras.iter().any(|p| p.starts_with("<table>")));
    let why = if nested {
        Some("it has a table inside a cell")
    } else if merged {
        Some("it has merged cells")
    } else if lists {
        Some("it has lists inside cells")
    } else if t.header_rows == 0 {
        Some("it has no heading row")
    } else if t.header_rows > 1 {
        Some("it has more than one heading row")
    } else {
        None
    };
    match why {
        None => (markdown_table(t), TableKind::Markdown),
        Some(why) => (html_table(t), TableKind::Html(why)),
    }
}

fn cell_inline(c: &Cell) -> String {
    let text = c.paras.iter().filter(|p| !p.trim().is_empty()).cloned().collect::<Vec<_>>().join("<br>");
    let text = text.replace("\\\n", "<br>").replace("\n\n", "<br>").replace('\n', " ");
    // Every `|` must be escaped in a table, even in links and code.
    let mut out = String::with_capacity(text.len());
    let mut prev = ' ';
    for ch in text.chars() {
        if ch == '|' && prev != '\\' {
            out.push('\\');
        }
        out.push(ch);
        prev = ch;
    }
    out
}

fn markdown_table(t: &Table) -> String {
    let cols = t.rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (i, row) in t.rows.iter().enumerate() {
        out.push('|');
        for c in 0..cols {
            let text = row.get(c).map(cell_inline).unwrap_or_default();
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            for _ in 0..cols {
                out.push_str(" --- |");
            }
            out.push('\n');
        }
    }
    out.trim_end().to_string()
}

/// A table as HTML whatever it holds: for a table inside a table's cell.
pub fn render_table_html(t: &Table) -> String {
    html_table(t)
}

fn html_table(t: &Table) -> String {
    let mut out = String::from("<table>\n");
    for (i, row) in t.rows.iter().enumerate() {
        let head = i < t.header_rows;
        if i == 0 && head {
            out.push_str("<thead>\n");
        }
        if i == t.header_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>\n");
        for c in row.iter().filter(|c| !c.covered) {
            let tag = if head { "th" } else { "td" };
            let mut attrs = String::new();
            if c.colspan > 1 {
                let _ = write!(attrs, " colspan=\"{}\"", c.colspan);
            }
            if c.rowspan > 1 {
                let _ = write!(attrs, " rowspan=\"{}\"", c.rowspan);
            }
            let mut body: Vec<String> = c.paras.iter().filter(|p| !p.trim().is_empty()).cloned().collect();
            if !c.list.is_empty() {
                body.push(render_list(&c.list));
            }
            let plain = body.len() == 1 && !body[0].contains(['\\', '*', '[', '_', '<', '>', '&', '`', '\n', '!', '~']);
            if body.is_empty() {
                let _ = writeln!(out, "<{tag}{attrs}></{tag}>");
            } else if plain {
                let _ = writeln!(out, "<{tag}{attrs}>{}</{tag}>", body[0].replace('"', "&quot;"));
            } else {
                // Blank lines around the Markdown make it Markdown again inside HTML.
                let _ = writeln!(out, "<{tag}{attrs}>\n\n{}\n\n</{tag}>", body.join("\n\n"));
            }
        }
        out.push_str("</tr>\n");
        if head && i + 1 == t.header_rows {
            out.push_str("</thead>\n");
        }
    }
    if t.rows.len() > t.header_rows {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>");
    out
}

/// Heading numbering typed or generated into the text ("1.2 Consent",
/// "3. Handing over", "2.1.4\tNotes"), which pages do not need.
pub fn strip_numbering(text: &str) -> &str {
    let t = text.trim_start();
    let digits_and_dots = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let number = &t[..digits_and_dots];
    let rest = &t[digits_and_dots..];
    let is_number = !number.is_empty()
        && number.starts_with(|c: char| c.is_ascii_digit())
        && (number.contains('.') || rest.starts_with('\t'))
        && !number.contains("..");
    if is_number && rest.starts_with([' ', '\t', '\u{a0}']) && !rest.trim().is_empty() { rest.trim_start() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into(), Style::default())
    }
    fn b(s: &str) -> Inline {
        Inline::Text(s.into(), Style { bold: true, ..Default::default() })
    }
    fn i(s: &str) -> Inline {
        Inline::Text(s.into(), Style { italic: true, ..Default::default() })
    }

    #[test]
    fn runs_split_mid_word_join_and_spaces_go_outside_markers() {
        let md = render(&tidy(vec![t("The "), b("Lead "), b("Profess"), b("ional "), t("does "), i("not"), t("  lead.")]));
        assert_eq!(md, "The **Lead Professional** does *not* lead.");
    }

    #[test]
    fn breaks_used_as_spacing_go_and_double_breaks_split_paragraphs() {
        let md = render(&tidy(vec![
            Inline::Break,
            t("One"),
            Inline::Break,
            t("two"),
            Inline::Break,
            Inline::Break,
            t("three"),
            Inline::Break,
        ]));
        assert_eq!(md, "One\\\ntwo\n\nthree");
    }

    #[test]
    fn text_that_looks_like_markdown_is_escaped() {
        assert_eq!(
            render(&[t("1. not a list, a *star* and [brackets] <b>")]),
            "1\\. not a list, a \\*star\\* and \\[brackets\\] \\<b\\>"
        );
        assert_eq!(render(&[t("# not a heading and snake_case")]), "\\# not a heading and snake_case");
        assert_eq!(render(&[t("2026. A year")]), "2026\\. A year");
    }

    #[test]
    fn lists_nest_and_skipped_levels_are_brought_in_line() {
        let items = vec![
            Item { ordered: true, depth: 0, markdown: "One".into(), letters: None },
            Item { ordered: false, depth: 2, markdown: "Nested".into(), letters: None },
            Item { ordered: true, depth: 0, markdown: "Two".into(), letters: None },
        ];
        assert_eq!(render_list(&items), "1. One\n   - Nested\n2. Two");
    }

    #[test]
    fn lettered_lists_keep_their_letters_as_html() {
        let item = |depth, letters, md: &str| Item { ordered: true, depth, markdown: md.into(), letters };
        let items = vec![
            item(0, Some('a'), "One"),
            item(1, Some('i'), "Inner"),
            item(1, Some('i'), "Inner two"),
            item(0, Some('a'), "Two"),
        ];
        assert_eq!(list_labels(&items), vec![Some("a".into()), Some("i".into()), Some("ii".into()), Some("b".into())]);
        assert_eq!(
            render_list_html(&items),
            "<ol type=\"a\">\n<li>\n\nOne\n\n<ol type=\"i\">\n<li>\n\nInner\n\n</li>\n<li>\n\nInner two\n\n</li>\n</ol>\n</li>\n<li>\n\nTwo\n\n</li>\n</ol>"
        );
        assert_eq!(label('a', 27), "aa");
        assert_eq!(label('I', 14), "XIV");
    }

    #[test]
    fn references_to_list_items_are_found() {
        assert!(refers_to("Where (b) applies, tell the police.", "b"));
        assert!(refers_to("under section 4(b), or", "b"));
        assert!(refers_to("as in point ii, above", "ii"));
        assert!(!refers_to("a child (boy) at risk", "b"));
        assert!(!refers_to("ask a colleague", "a"));
    }

    #[test]
    fn numbering_is_stripped_from_headings_but_not_from_words() {
        assert_eq!(strip_numbering("1.2 Consent"), "Consent");
        assert_eq!(strip_numbering("3. Handing over"), "Handing over");
        assert_eq!(strip_numbering("2.1.4\tNotes"), "Notes");
        assert_eq!(strip_numbering("4\tSteps"), "Steps");
        assert_eq!(strip_numbering("5 things to know"), "5 things to know");
        assert_eq!(strip_numbering("2026"), "2026");
    }
}
