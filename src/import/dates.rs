//! The document's date: what `reviewed` (and `review_every`) are set from.
//!
//! In order: a line in the text that says when the guidance was reviewed
//! ("Date of review: 3 March 2026", "Last reviewed 12/09/2025", a Word
//! "Date" paragraph), with a "Next review due" line giving `review_every`;
//! then the date the file says it was last saved (a .docx's
//! `dcterms:modified`, a page's `DC.date.modified` meta tag), which the
//! report asks a person to check, since saving is not reviewing.

use time::{Date, Month};

/// What a short paragraph says about dates, when it is a date line.
#[derive(Debug, PartialEq, Eq)]
pub enum DateLine {
    Reviewed(Date),
    NextReview(Date),
}

const NEXT: [&str; 6] =
    ["next review date", "next review due", "next review", "review due", "due for review", "date of next review"];
const REVIEWED: [&str; 16] = [
    "date of last review",
    "date of review",
    "last reviewed on",
    "last reviewed",
    "date reviewed",
    "reviewed on",
    "reviewed",
    "review date",
    "page last updated",
    "last updated",
    "date approved",
    "approved",
    "date of issue",
    "issue date",
    "published",
    "date",
];

/// Reads "Label: date" lines. `None` for any other paragraph, and for long
/// paragraphs that merely mention a date.
pub fn date_line(text: &str) -> Option<DateLine> {
    let t = text.trim();
    if t.len() > 80 {
        return None;
    }
    let lower = t.to_lowercase();
    for label in NEXT {
        if let Some(rest) = lower.strip_prefix(label)
            && let Some(d) = after_label(rest)
        {
            return Some(DateLine::NextReview(d));
        }
    }
    for label in REVIEWED {
        if let Some(rest) = lower.strip_prefix(label)
            && let Some(d) = after_label(rest)
        {
            return Some(DateLine::Reviewed(d));
        }
    }
    None
}

fn after_label(rest: &str) -> Option<Date> {
    // The label must end there: "Reviewed: ...", "Reviewed 3 March", not "Reviewers".
    if !rest.starts_with([':', ' ', '-', '\u{2013}', '\t']) {
        return None;
    }
    let rest = rest.trim_start_matches([':', ' ', '-', '\u{2013}', '\t', '\u{a0}']);
    let rest = rest.strip_prefix("on ").unwrap_or(rest);
    parse_date(rest.trim_end_matches('.'))
}

/// A date as councils write them: "3 March 2026", "3rd March 2026",
/// "March 3, 2026", "03/03/2026" (day first), "3.3.2026", "2026-03-03",
/// "March 2026" (the 1st).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    // ISO, possibly with a time after it.
    if s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        let y = s[..4].parse().ok()?;
        let m = s[5..7].parse().ok()?;
        let d = s[8..10].parse().ok()?;
        return ymd(y, m, d);
    }
    // Numeric day first: 03/03/2026, 3.3.26, 3-3-2026.
    let parts: Vec<&str> = s.split(['/', '.', '-']).map(str::trim).collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        let d = parts[0].parse().ok()?;
        let m = parts[1].parse().ok()?;
        let mut y: i32 = parts[2].parse().ok()?;
        if parts[2].len() == 2 {
            y += 2000;
        }
        return ymd(y, m, d);
    }
    // Words: "3rd March 2026", "March 3, 2026", "March 2026", "Mar 2026".
    let words: Vec<String> =
        s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect();
    let mut day = None;
    let mut month = None;
    let mut year = None;
    for w in &words {
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        let suffix = &w[digits.len()..];
        if !digits.is_empty() && matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            if digits.len() == 4 {
                year = Some(digits.parse().ok()?);
            } else if digits.len() <= 2 && day.is_none() {
                day = Some(digits.parse().ok()?);
            } else {
                return None;
            }
        } else if let Some(m) = month_named(w) {
            month = Some(m);
        } else {
            return None;
        }
    }
    ymd(year?, month?, day.unwrap_or(1))
}

fn month_named(w: &str) -> Option<u8> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.trim_end_matches('.');
    NAMES.iter().position(|n| *n == w || (w.len() >= 3 && n.starts_with(w) && w != "ma")).map(|i| i as u8 + 1)
}

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    if !(1990..=2200).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// Whole months from `from` to `to`, when `to` falls on the same day of a
/// later month: what `review_every` is set to.
pub fn months_between(from: Date, to: Date) -> Option<u32> {
    let months = (to.year() - from.year()) * 12 + (to.month() as i32 - from.month() as i32);
    (months > 0 && to.day() == from.day()).then_some(months as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_the_ways_councils_write_dates() {
        assert_eq!(parse_date("3 March 2026"), Some(date!(2026 - 03 - 03)));
        assert_eq!(parse_date("3rd March 2026"), Some(date!(2026 - 03 - 03)));
        assert_eq!(parse_date("March 3, 2026"), Some(date!(2026 - 03 - 03)));
        assert_eq!(parse_date("03/03/2026"), Some(date!(2026 - 03 - 03)));
        assert_eq!(parse_date("12.9.25"), Some(date!(2025 - 09 - 12)));
        assert_eq!(parse_date("2026-03-03T10:00:00Z"), Some(date!(2026 - 03 - 03)));
        assert_eq!(parse_date("Sept 2025"), Some(date!(2025 - 09 - 01)));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn date_lines_are_labels_then_dates() {
        assert_eq!(date_line("Date of review: 3 March 2026"), Some(DateLine::Reviewed(date!(2026 - 03 - 03))));
        assert_eq!(date_line("Next review due: March 2027"), Some(DateLine::NextReview(date!(2027 - 03 - 01))));
        assert_eq!(date_line("Last reviewed 12 September 2025."), Some(DateLine::Reviewed(date!(2025 - 09 - 12))));
        assert_eq!(date_line("15 January 2026"), None);
        assert_eq!(date_line("Reviewers: 3 March 2026"), None);
        assert_eq!(date_line("Date of review: to be agreed"), None);
    }

    #[test]
    fn review_periods_in_whole_months() {
        assert_eq!(months_between(date!(2026 - 03 - 03), date!(2027 - 03 - 03)), Some(12));
        assert_eq!(months_between(date!(2026 - 03 - 03), date!(2027 - 03 - 04)), None);
    }
}
