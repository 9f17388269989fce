//! Located errors and warnings. Every stage reports problems as values so
//! that one run can list all of them, sorted by file and line.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at a place in a source file (path relative to the handbook folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {kind}: {}", self.path, self.line, self.col, self.message)
    }
}

/// A place in a file: enough to build a diagnostic later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub col: usize,
}

impl Location {
    pub fn new(path: &str, line: usize, col: usize) -> Self {
        Location { path: path.to_string(), line, col }
    }

    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, message)
    }

    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, message)
    }

    fn diagnostic(&self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity, path: self.path.clone(), line: self.line.max(1), col: self.col.max(1), message: message.into() }
    }
}

/// The problems found by one run: the one sink every stage reports into,
/// passed down by `&mut`. Nothing stops at the first problem: each stage
/// keeps what it could read and goes on, so one run lists everything.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Moves every problem out of `other` (a file's own list) into the sink.
    pub fn append(&mut self, other: &mut Vec<Diagnostic>) {
        self.items.append(other);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// Prints every problem to stderr, one `path:line:col: kind: message` a line.
    pub fn print(&self) {
        for d in &self.items {
            eprintln!("{d}");
        }
    }

    /// "2 errors, 1 warning".
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!("{}, {}", plural(self.errors().count(), "error"), plural(self.warnings().count(), "warning"))
    }

    /// Sorted by file, then line, errors before warnings; exact repeats dropped.
    pub fn sorted(mut self) -> Self {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message).cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        self.items.dedup();
        self
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, other: I) {
        self.items.extend(other);
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Turns byte offsets into 1-based line and column (in characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    pub fn location(&self, path: &str, offset: usize) -> Location {
        let (line, col) = self.position(offset);
        Location::new(path, line, col)
    }
}

/// Reads a file's bytes as UTF-8, or says where the first bad byte is.
pub fn decode_utf8(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let good = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let (line, col) = LineIndex::new(prefix).position(good);
            Err(Location::new(path, line, col).error(format!(
                "this file is not UTF-8 text (byte 0x{:02x} at byte offset {good}); save it as UTF-8",
                bytes[good]
            )))
        }
    }
}

/// Parses TOML into `T`, reporting every unknown key and syntax error with
/// its line. `base` is the offset of `src` inside `full` (front matter sits
/// inside a Markdown file), so positions point into the real file.
///
/// serde stops at the first unknown key; to report all of them we blank
/// the offending key out (keeping line breaks) and parse again.
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &str, full: &str, base: usize, src: &str) -> Result<T, Vec<Diagnostic>> {
    match parse_toml_lenient(path, full, base, src) {
        (Some(value), found) if found.is_empty() => Ok(value),
        (_, found) => Err(found),
    }
}

/// Like `parse_toml`, but when the only problems are unknown keys it also
/// gives the value read without them, so the file's other checks still run
/// and every problem in it is reported in one go.
pub fn parse_toml_lenient<T: serde::de::DeserializeOwned>(
    path: &str,
    full: &str,
    base: usize,
    src: &str,
) -> (Option<T>, Vec<Diagnostic>) {
    let index = LineIndex::new(full);
    let mut text = src.to_string();
    let mut found: Vec<Diagnostic> = Vec::new();
    let done = |mut found: Vec<Diagnostic>| {
        found.sort_by_key(|d| (d.line, d.col));
        (None, found)
    };
    // Keys whose wrong values were blanked out: their "missing" errors are echoes.
    let mut blanked_keys: Vec<String> = Vec::new();
    for _ in 0..100 {
        match toml::from_str::<T>(&text) {
            Ok(value) => {
                let only_unknown_keys = found.iter().all(|d| d.message.starts_with("unknown key"));
                let mut found = found;
                found.sort_by_key(|d| (d.line, d.col));
                return (only_unknown_keys.then_some(value), found);
            }
            Err(err) => {
                let span = err.span().unwrap_or(0..0);
                let message = tidy_toml_message(err.message());
                if message.starts_with("missing field") && blanked_keys.iter().any(|k| message.contains(&format!("`{k}`"))) {
                    return done(found);
                }
                found.push(index.location(path, base + span.start).error(message.clone()));
                let blanked = if message.starts_with("unknown key") {
                    blank_entry(&mut text, span.clone(), false)
                } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
                    // Put a value of the expected type in its place, or failing that drop the entry.
                    match stand_in(err.message()) {
                        Some(value) if replace_keeping_lines(&mut text, span.clone(), value) => Some(String::new()),
                        _ => blank_entry(&mut text, span.clone(), true).inspect(|k| blanked_keys.push(k.clone())),
                    }
                } else {
                    None
                };
                if blanked.is_none() {
                    return done(found);
                }
            }
        }
    }
    done(found)
}

fn tidy_toml_message(message: &str) -> String {
    let message = message.trim().trim_end_matches('\n');
    if message.contains("recursion limit") || message.contains("max recursion depth") {
        return "tables or lists are nested too deeply here; a handbook's TOML needs only a few levels (`[[section.field.field]]` at most)"
            .to_string();
    }
    let mut message = message.replace("unknown field", "unknown key").replace("\n", " ");
    // serde names Rust types; say what a person writes instead.
    for (rust, plain) in [
        ("expected i64", "expected a whole number (an integer)"),
        ("expected u32", "expected a whole number (an integer)"),
        ("expected u8", "expected a whole number (an integer)"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected a list in square brackets"),
        ("expected a string", "expected text in quotes"),
        ("expected a TOML datetime", "expected a date such as 2026-10-01 (no quotes)"),
    ] {
        if let Some(i) = message.find(rust)
            && message[i + rust.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
        {
            message.replace_range(i..i + rust.len(), plain);
        }
    }
    message
}

/// A TOML value of the type serde says it expected.
fn stand_in(message: &str) -> Option<&'static str> {
    let expected = &message[message.find("expected ")? + "expected ".len()..];
    let kinds = [
        ("a string", "\"\""),
        ("i64", "0"),
        ("u64", "0"),
        ("u32", "0"),
        ("u8", "0"),
        ("usize", "0"),
        ("i32", "0"),
        ("a boolean", "false"),
        ("a sequence", "[]"),
        ("f64", "0.0"),
    ];
    kinds.iter().find(|(name, _)| expected.starts_with(name)).map(|(_, v)| *v)
}

/// Replaces `span` with `value`, keeping every later byte where it was (so
/// positions of later errors still point into the real file): the line
/// breaks it held stay, and a longer value takes the spaces before it.
fn replace_keeping_lines(text: &mut String, span: std::ops::Range<usize>, value: &str) -> bool {
    if span.start >= span.end || span.end > text.len() || !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return false;
    }
    let old = &text[span.clone()];
    let breaks = old.matches('\n').count();
    let room = old.len() - breaks;
    let mut start = span.start;
    if value.len() > room {
        let needed = value.len() - room;
        let spaces = text[..start].bytes().rev().take_while(|b| *b == b' ' || *b == b'\t').count();
        if spaces < needed {
            return false;
        }
        start -= needed;
    }
    let width = span.end - start - breaks;
    let new = format!("{value}{}{}", " ".repeat(width - value.len()), "\n".repeat(breaks));
    text.replace_range(start..span.end, &new);
    true
}

/// Replaces a `key = value` entry with spaces, keeping newlines, so the
/// rest of the file keeps its positions. `span` is where the key starts,
/// or (with `by_value`) where the value starts. Returns the key.
fn blank_entry(text: &mut String, span: std::ops::Range<usize>, by_value: bool) -> Option<String> {
    let start = span.start;
    if start >= text.len() {
        return None;
    }
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut found = None;
    find_entry(table.get_ref(), start, by_value, &mut found);
    let (key, start, mut end) = found?;
    // swallow a following comma of an inline table
    let rest = &text[end..];
    if let Some(pos) = rest.find(|c: char| !c.is_whitespace() || c == '\n')
        && rest[pos..].starts_with(',')
    {
        end += pos + 1;
    }
    let replaced: String = text[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
    text.replace_range(start..end, &replaced);
    Some(key)
}

type Entry = (String, usize, usize);

/// The entry whose key (or value) starts at `at`: its key, start and end.
fn find_entry(table: &toml::de::DeTable<'_>, at: usize, by_value: bool, found: &mut Option<Entry>) {
    for (key, value) in table {
        let starts = if by_value { value.span().start } else { key.span().start };
        // A table header's value spans its whole body: only plain entries are blanked.
        let plain = key.span().start < value.span().start;
        if starts == at && plain {
            *found = Some((key.get_ref().to_string(), key.span().start, value.span().end));
            return;
        }
        find_in_value(value, at, by_value, found);
        if found.is_some() {
            return;
        }
    }
}

fn find_in_value(value: &toml::Spanned<toml::de::DeValue<'_>>, at: usize, by_value: bool, found: &mut Option<Entry>) {
    match value.get_ref() {
        toml::de::DeValue::Table(t) => find_entry(t, at, by_value, found),
        toml::de::DeValue::Array(a) => {
            for item in a.iter() {
                find_in_value(item, at, by_value, found);
                if found.is_some() {
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Where the text of a TOML string value starts, given the span of the
/// whole value (quotes included), so Markdown inside it can be located.
pub fn string_start(file_text: &str, span: std::ops::Range<usize>) -> usize {
    let raw = &file_text[span.start.min(file_text.len())..span.end.min(file_text.len())];
    let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") { 3 } else { 1 };
    let mut start = span.start + quotes.min(raw.len());
    if quotes == 3 && file_text[start..].starts_with('\n') {
        start += 1;
    } else if quotes == 3 && file_text[start..].starts_with("\r\n") {
        start += 2;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        a: i64,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        #[serde(default)]
        item: Vec<Inner>,
    }

    #[test]
    fn positions_are_one_based_characters() {
        let idx = LineIndex::new("ab\ncdé\nf");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(7), (2, 4));
        assert_eq!(idx.position(8), (3, 1));
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_line() {
        let src = "title = \"x\"\ntitel = 1\n[[item]]\na = 1\nb = { c = 2 }\n[[item]]\na = 2\nzz = \"q\"\n";
        let errs = parse_toml::<Outer>("f.toml", src, 0, src).unwrap_err();
        let lines: Vec<_> = errs.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 5, 8], "{errs:?}");
        assert!(errs[0].message.contains("unknown key `titel`"), "{}", errs[0].message);
    }

    #[test]
    fn every_wrong_type_is_reported_without_echoes() {
        let src = "title = 3\n[[item]]\na = \"x\"\nq = 1\n";
        let errs = parse_toml::<Outer>("f.toml", src, 0, src).unwrap_err();
        let found: Vec<_> = errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, 1);
        assert!(found[0].1.contains("expected text in quotes"), "{found:?}");
        assert_eq!(found[1].0, 3);
        assert!(found[1].1.contains("expected a whole number"), "{found:?}");
        assert_eq!(found[2].0, 4);
    }

    #[test]
    fn syntax_errors_point_into_the_whole_file() {
        let full = "+++\ntitle = \"x\"\nweight = \n+++\n";
        let src = &full[4..full.len() - 4];
        let errs = parse_toml::<Outer>("p.md", full, 4, src).unwrap_err();
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn not_utf8_is_located() {
        let err = decode_utf8("a.md", b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!((err.line, err.col), (2, 5));
    }
}
