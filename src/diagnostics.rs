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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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

/// The problems found by one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
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

    /// Sorted by file, then line, errors before warnings; exact repeats dropped.
    pub fn sorted(mut self) -> Self {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message).cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        self.items.dedup();
        self
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
    let index = LineIndex::new(full);
    let mut text = src.to_string();
    let mut found: Vec<Diagnostic> = Vec::new();
    let done = |mut found: Vec<Diagnostic>| {
        found.sort_by_key(|d| (d.line, d.col));
        Err(found)
    };
    for _ in 0..100 {
        match toml::from_str::<T>(&text) {
            Ok(value) if found.is_empty() => return Ok(value),
            Ok(_) => return done(found),
            Err(err) => {
                let span = err.span().unwrap_or(0..0);
                let message = tidy_toml_message(err.message());
                found.push(index.location(path, base + span.start).error(message.clone()));
                let blanked = message.starts_with("unknown key") && blank_entry(&mut text, span.clone());
                if !blanked {
                    return done(found);
                }
            }
        }
    }
    done(found)
}

fn tidy_toml_message(message: &str) -> String {
    let message = message.trim().trim_end_matches('\n');
    let message = message.replace("unknown field", "unknown key");
    message.replace("\n", " ")
}

/// Replaces `key = value` starting at `span` with spaces, keeping newlines,
/// so the rest of the file keeps its positions.
fn blank_entry(text: &mut String, span: std::ops::Range<usize>) -> bool {
    let start = span.start;
    if start >= text.len() {
        return false;
    }
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return false;
    };
    let mut end = None;
    find_entry_end(table.get_ref(), start, &mut end);
    let Some(end) = end else {
        return false;
    };
    let mut end = end;
    // swallow a following comma of an inline table
    let rest = &text[end..];
    if let Some(pos) = rest.find(|c: char| !c.is_whitespace() || c == '\n')
        && rest[pos..].starts_with(',')
    {
        end += pos + 1;
    }
    let replaced: String = text[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
    text.replace_range(start..end, &replaced);
    true
}

fn find_entry_end(table: &toml::de::DeTable<'_>, key_start: usize, end: &mut Option<usize>) {
    for (key, value) in table {
        if key.span().start == key_start {
            *end = Some(value.span().end);
            return;
        }
        find_value(value, key_start, end);
        if end.is_some() {
            return;
        }
    }
}

fn find_value(value: &toml::Spanned<toml::de::DeValue<'_>>, key_start: usize, end: &mut Option<usize>) {
    match value.get_ref() {
        toml::de::DeValue::Table(t) => find_entry_end(t, key_start, end),
        toml::de::DeValue::Array(a) => {
            for item in a.iter() {
                find_value(item, key_start, end);
                if end.is_some() {
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
