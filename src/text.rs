//! Small text helpers every stage uses: HTML escaping, heading slugs and
//! unique ids, the one id rule, dates in the GOV.UK style, and "did you
//! mean" suggestions.

use std::collections::HashSet;
use time::Date;

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

/// The GitHub heading id: lower case, letters, digits, `-` and `_` kept,
/// spaces become `-`, everything else dropped. Written by hand because
/// GitHub's rule (not a general slugifier's) is what authors expect.
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
    next: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    /// Starts with `taken` already in use.
    pub fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> UniqueIds {
        UniqueIds { used: taken.into_iter().map(str::to_string).collect(), next: Default::default() }
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

/// Ids the default templates give their own elements. A heading in the
/// Markdown gets `-1` added rather than a duplicate id in the page, and a
/// form section may not take one.
pub const RESERVED_IDS: &[&str] =
    &["main", "site-nav", "search-input", "search-results", "toc-heading", "error-summary", "form-status"];

/// The one rule for ids a handbook gives things (forms, sections, fields,
/// trees, nodes, packs, outcome areas): lower-case letters, digits and `_`,
/// and `-` when `hyphens` (field ids have none: they name answers in
/// files and scripts), not starting with `-` or `_`. Such an id is safe in
/// a file name, a URL and an HTML id.
pub fn is_id(s: &str, hyphens: bool) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || (hyphens && c == '-'))
        && !s.starts_with(['-', '_'])
}

/// "1 October 2026", the GOV.UK date style.
pub fn format_date(d: Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// `2026-10-01`, for `<time datetime>`.
pub fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// "household member" -> "Household member".
pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Full name" -> "full name", but "Lead Professional's name" stays as it is.
pub fn lower_first(s: &str) -> String {
    let mut words = s.split_whitespace();
    let first = words.next().unwrap_or("");
    let second_capital = words.next().is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()));
    let acronym = first.chars().filter(|c| c.is_uppercase()).count() > 1;
    if second_capital || acronym {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The first paragraph of some Markdown as plain text, for a one-line summary.
pub fn first_paragraph(text: &str) -> String {
    let para: Vec<&str> = text.trim().lines().take_while(|l| !l.trim().is_empty()).map(|l| l.trim()).collect();
    para.join(" ").replace("**", "").replace('*', "")
}

/// The candidate closest to `wrong` when it is a near miss (a typo), for
/// "did you mean" hints.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|id| (strsim::levenshtein(wrong, id), id))
        .filter(|(d, _)| *d <= 2.max(wrong.len() / 4))
        .collect();
    best.sort();
    best.first().map(|(_, id)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn words_for_messages() {
        assert_eq!(lower_first("Full name"), "full name");
        assert_eq!(lower_first("Lead Professional's name"), "Lead Professional's name");
        assert_eq!(lower_first("TAF date"), "TAF date");
        assert_eq!(upper_first("household member"), "Household member");
        assert_eq!(first_paragraph("Use **this**\nform.\n\nMore."), "Use this form.");
    }

    #[test]
    fn ids_and_slugs() {
        assert!(is_id("early-help", true) && !is_id("early-help", false));
        assert!(is_id("assessment_date", false));
        assert!(!is_id("-x", true) && !is_id("_x", true) && !is_id("", true) && !is_id("Bad", true));
        assert_eq!(slug(" Who can be a Lead Professional? "), "who-can-be-a-lead-professional");
        let mut used: HashSet<String> = ["notes".to_string()].into();
        assert_eq!(unique_id("notes", &mut used), "notes-1");
    }

    #[test]
    fn near_misses() {
        assert_eq!(closest("q22", ["q1", "q2", "o1"]), Some("q2"));
        assert_eq!(closest("something", ["q1", "q2"]), None);
    }
}
