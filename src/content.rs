//! content/: Markdown pages with TOML front matter, the folders that make
//! sections, and the other files that are copied as they are.

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location, decode_utf8, parse_toml};
use crate::files::SourceFile;
use crate::markdown::Snippet;
use serde::Deserialize;
use std::collections::HashSet;
use time::Date;
use toml::Spanned;

/// A guidance page, loaded and checked but not yet rendered.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to the handbook folder, e.g. `content/a/b.md`.
    pub source: String,
    /// Output path relative to the site, e.g. `a/b.html`.
    pub url: String,
    /// The section (folder under content/) it belongs to: `""` for the top.
    pub section: String,
    /// True for a folder's `index.md`: the section's own page.
    pub is_index: bool,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub reviewed: Option<Date>,
    pub review_every: Option<Period>,
    pub owner: Option<String>,
    pub changes: Option<String>,
    /// Markdown after the front matter (and after a leading `# Title`).
    pub body: Snippet,
    /// Where a review-date problem should point.
    pub reviewed_at: Location,
}

impl Page {
    /// The date the page is next due for review.
    pub fn review_due(&self) -> Option<Date> {
        Some(self.review_every?.after(self.reviewed?))
    }
}

/// A file under content/ that is not a page: copied to the same place in the site.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    draft: bool,
    reviewed: Option<Spanned<toml::value::Datetime>>,
    review_every: Option<Spanned<String>>,
    owner: Option<String>,
    changes: Option<String>,
}

/// How often a page is reviewed: `"12 months"`, `"2 years"`, `"6 weeks"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
}

/// The longest review period: a page reviewed less often than once a
/// century is not being reviewed, and longer periods overflow the calendar.
pub const MAX_REVIEW_YEARS: u64 = 100;

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        Period::parse_checked(s).ok()
    }

    /// Like `parse`, but says what is wrong: not a period at all, or longer
    /// than [`MAX_REVIEW_YEARS`] (100 years, 1200 months, 5200 weeks or
    /// 36500 days).
    pub fn parse_checked(s: &str) -> Result<Period, PeriodError> {
        let mut words = s.split_whitespace();
        let (Some(number), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(PeriodError::NotAPeriod);
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PeriodError::NotAPeriod);
        }
        let (per_year, make): (u64, fn(u32) -> Period) = match unit.strip_suffix('s').unwrap_or(unit) {
            "day" => (365, Period::Days),
            "week" => (52, |n| Period::Days(n * 7)),
            "month" => (12, Period::Months),
            "year" => (1, |n| Period::Months(n * 12)),
            _ => return Err(PeriodError::NotAPeriod),
        };
        let limit = MAX_REVIEW_YEARS * per_year;
        // Digits beyond any limit need not be read as a number at all.
        let digits = number.trim_start_matches('0');
        let n: u64 = if digits.is_empty() { 0 } else { digits.parse().unwrap_or(u64::MAX) };
        if n == 0 {
            return Err(PeriodError::NotAPeriod);
        }
        if n > limit {
            return Err(PeriodError::TooLong { limit, unit: unit.trim_end_matches('s').to_string() });
        }
        Ok(make(n as u32))
    }

    pub fn after(self, date: Date) -> Date {
        match self {
            Period::Days(n) => date.saturating_add(time::Duration::days(n as i64)),
            Period::Months(n) => {
                let months = date.year() as i64 * 12 + (date.month() as i64 - 1) + n as i64;
                let year = i32::try_from(months.div_euclid(12)).unwrap_or(i32::MAX);
                let month = time::Month::try_from((months.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::December);
                // Past the calendar's last year the page is due at the end of time, never before it was reviewed.
                if year > Date::MAX.year() {
                    return Date::MAX;
                }
                let day = date.day().min(month.length(year));
                Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
            }
        }
    }
}

/// Why a `review_every` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    NotAPeriod,
    /// More than the longest period allowed in that unit.
    TooLong {
        limit: u64,
        unit: String,
    },
}

/// Everything found under content/.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Source paths of the pages left out as drafts.
    pub drafts: Vec<String>,
}

/// The folder pages live in, relative to the handbook folder.
pub const DIR: &str = "content";

/// Turns content files into pages and assets. Drafts are left out.
///
/// A page with problems is still returned (with a stand-in title if need
/// be), so that links to it resolve and the links inside it are checked:
/// one run reports everything, not only the first problem of each file.
pub fn load(files: Vec<SourceFile>, sink: &mut Diagnostics) -> Content {
    let mut content = Content::default();
    for file in files {
        let inner = file.path.strip_prefix("content/").unwrap_or(&file.path).to_string();
        if let Some(stem) = inner.strip_suffix(".md") {
            let text = match String::from_utf8(file.bytes) {
                Ok(text) => decode_utf8(&file.path, text.into_bytes()).unwrap_or_default(),
                // Reported where the first bad byte is; the rest is still read.
                Err(e) => {
                    let bytes = e.into_bytes();
                    let lossy = String::from_utf8_lossy(&bytes).into_owned();
                    sink.extend(decode_utf8(&file.path, bytes).err());
                    lossy
                }
            };
            let (page, mut errs) = parse_page(&file.path, stem, &text);
            sink.append(&mut errs);
            match page {
                Some(page) => content.pages.push(page),
                None => content.drafts.push(file.path.clone()),
            }
        } else {
            content.assets.push(Asset { source: file.path.clone(), url: inner });
        }
    }
    content
}

/// Splits `+++` front matter from the body: (front matter, its byte offset, body, body offset).
fn split_front_matter(text: &str) -> Option<(&str, usize, &str, usize)> {
    let rest = text.strip_prefix("+++")?;
    let first_nl = rest.find('\n')?;
    if !rest[..first_nl].trim().is_empty() {
        return None;
    }
    let fm_start = 3 + first_nl + 1;
    let mut pos = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = pos + line.len();
            return Some((&text[fm_start..pos], fm_start, &text[body_start..], body_start));
        }
        pos += line.len();
    }
    None
}

/// Reads one page: the page (unless it is a draft) and its problems.
fn parse_page(path: &str, stem: &str, text: &str) -> (Option<Page>, Vec<Diagnostic>) {
    let index = LineIndex::new(text);
    let at = |offset: usize| index.location(path, offset);
    let mut errors = Vec::new();
    // Front matter, the offset its spans count from, the body and its offset.
    let (fm, fm_offset, body, body_offset) = if text.starts_with("+++") {
        match split_front_matter(text) {
            Some((fm_text, fm_offset, body, body_offset)) => match parse_toml::<FrontMatter>(path, text, fm_offset, fm_text) {
                Ok(fm) => (Some(fm), fm_offset, body, body_offset),
                Err(mut e) => {
                    errors.append(&mut e);
                    (None, fm_offset, body, body_offset)
                }
            },
            None => {
                errors.push(Location::new(path, 1, 1).error(
                    "front matter starts with `+++` but has no closing `+++` line; expected TOML between two `+++` lines",
                ));
                (None, 0, "", text.len())
            }
        }
    } else {
        (None, 0, text, 0)
    };
    let front_matter_failed = !errors.is_empty();
    let fm = fm.unwrap_or(FrontMatter {
        title: None,
        description: None,
        weight: 0,
        draft: false,
        reviewed: None,
        review_every: None,
        owner: None,
        changes: None,
    });
    if fm.draft {
        return (None, errors);
    }
    let mut body = body;
    let mut body_offset = body_offset;
    let mut title = fm.title.clone().filter(|t| !t.trim().is_empty());
    // A body that starts with `# Heading` gives the title when front matter has none.
    let lead = body.len() - body.trim_start().len();
    let first_line = body[lead..].lines().next().unwrap_or("");
    if title.is_none()
        && let Some(h) = first_line.strip_prefix("# ")
    {
        title = Some(h.trim().trim_end_matches('#').trim().to_string());
        let skip = lead + first_line.len();
        body = &body[skip..];
        body_offset += skip;
    }
    let title = match title {
        Some(t) => t,
        None => {
            // When the front matter could not be read, its title may be there: say nothing more.
            if !front_matter_failed {
                errors.push(Location::new(path, 1, 1).error(
                    "this page has no title; add `title = \"...\"` to its front matter or start the page with a `# Heading` line",
                ));
            }
            stem.rsplit('/').next().unwrap_or(stem).to_string()
        }
    };
    // Spans of front-matter values count from the start of the front matter.
    let value_at = |span: std::ops::Range<usize>| at(fm_offset + span.start);
    let mut reviewed = None;
    let mut reviewed_at = Location::new(path, 1, 1);
    if let Some(r) = &fm.reviewed {
        reviewed_at = value_at(r.span());
        match r.get_ref().date {
            Some(d) if r.get_ref().time.is_none() && r.get_ref().offset.is_none() => {
                match time::Month::try_from(d.month).ok().and_then(|m| Date::from_calendar_date(d.year as i32, m, d.day).ok()) {
                    Some(date) => reviewed = Some(date),
                    None => errors.push(value_at(r.span()).error("`reviewed` is not a real date")),
                }
            }
            _ => errors.push(value_at(r.span()).error("`reviewed` must be a date such as 2026-10-01, without a time")),
        }
    }
    let mut review_every = None;
    if let Some(p) = &fm.review_every {
        match Period::parse_checked(p.get_ref()) {
            Ok(period) => review_every = Some(period),
            Err(PeriodError::NotAPeriod) => errors.push(value_at(p.span()).error(format!(
                "review_every `{}` is not a period; expected a number and a unit, such as \"12 months\", \"2 years\" or \"6 weeks\"",
                p.get_ref()
            ))),
            Err(PeriodError::TooLong { limit, unit }) => errors.push(value_at(p.span()).error(format!(
                "review_every `{}` is too long; the longest review period is {MAX_REVIEW_YEARS} years ({limit} {unit}s), so give a number from 1 to {limit}",
                p.get_ref()
            ))),
        }
        if fm.reviewed.is_none() {
            errors.push(value_at(p.span()).error("review_every needs a `reviewed` date to count from"));
        }
    }
    let (section, is_index) = match stem.rsplit_once('/') {
        Some((dir, "index")) => (dir.to_string(), true),
        Some((dir, _)) => (dir.to_string(), false),
        None => (String::new(), stem == "index"),
    };
    let body_line = index.position(body_offset).0;
    let body = Snippet { text: body.to_string(), at: Location::new(path, body_line, 1) };
    let page = Page {
        source: path.to_string(),
        url: format!("{stem}.html"),
        section,
        is_index,
        title,
        description: fm.description,
        weight: fm.weight,
        reviewed,
        review_every,
        owner: fm.owner,
        changes: fm.changes,
        body,
        reviewed_at,
    };
    (Some(page), errors)
}

/// A folder without an index.md still needs a section page (and the top
/// needs a home page): make one with a title from the folder name.
pub fn add_missing_section_pages(pages: &mut Vec<Page>, home_title: &str) {
    let have: HashSet<String> = pages.iter().filter(|p| p.is_index).map(|p| p.section.clone()).collect();
    let mut needed: HashSet<String> = HashSet::new();
    for p in pages.iter() {
        let mut dir =
            if p.is_index { p.section.rsplit_once('/').map(|x| x.0.to_string()).unwrap_or_default() } else { p.section.clone() };
        loop {
            if !have.contains(&dir) {
                needed.insert(dir.clone());
            }
            if dir.is_empty() {
                break;
            }
            dir = dir.rsplit_once('/').map(|x| x.0.to_string()).unwrap_or_default();
        }
    }
    if !have.contains("") {
        needed.insert(String::new());
    }
    let mut needed: Vec<String> = needed.into_iter().collect();
    needed.sort();
    for dir in needed {
        let (title, url, source) = if dir.is_empty() {
            (home_title.to_string(), crate::paths::HOME.to_string(), "content/index.md".to_string())
        } else {
            let name = dir.rsplit('/').next().unwrap_or(&dir);
            let mut title = name.replace(['-', '_'], " ");
            if let Some(first) = title.get(..1) {
                title = first.to_uppercase() + &title[1..];
            }
            (title, format!("{dir}/index.html"), format!("content/{dir}/index.md"))
        };
        pages.push(Page {
            body: Snippet { text: String::new(), at: Location::new(&source, 1, 1) },
            source,
            url,
            section: dir,
            is_index: true,
            title,
            description: None,
            weight: 0,
            reviewed: None,
            review_every: None,
            owner: None,
            changes: None,
            reviewed_at: Location::default(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<Option<Page>, Vec<Diagnostic>> {
        match parse_page("content/a/b.md", "a/b", text) {
            (page, errors) if errors.is_empty() => Ok(page),
            (_, errors) => Err(errors),
        }
    }

    #[test]
    fn front_matter_and_body_line() {
        let p = page("+++\ntitle = \"T\"\nweight = 3\nreviewed = 2026-01-31\nreview_every = \"1 month\"\n+++\nHello\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.title, "T");
        assert_eq!(p.weight, 3);
        assert_eq!(p.body.at.line, 7);
        assert_eq!(p.url, "a/b.html");
        assert_eq!(p.section, "a");
        assert_eq!(crate::text::format_date(p.review_due().unwrap()), "28 February 2026");
        assert_eq!((p.reviewed_at.line, p.reviewed_at.col), (4, 12));
    }

    #[test]
    fn a_page_with_bad_front_matter_is_still_there_for_links() {
        let (p, errs) = parse_page("content/a/b.md", "a/b", "+++\ntitle = \"T\"\nweigth = 1\n+++\nSee [x](y.md)\n");
        assert_eq!(errs.len(), 1);
        let p = p.unwrap();
        assert_eq!((p.url.as_str(), p.title.as_str(), p.body.at.line), ("a/b.html", "b", 5));
        assert!(p.body.text.contains("[x](y.md)"));
    }

    #[test]
    fn title_from_heading() {
        let p = page("\n# Hello there\n\nText\n").unwrap().unwrap();
        assert_eq!(p.title, "Hello there");
        assert!(!p.body.text.contains("Hello there"));
        assert_eq!(p.body.at.line, 2);
    }

    #[test]
    fn missing_title_and_bad_values_are_errors() {
        let errs = page("+++\nreview_every = \"soon\"\n+++\ntext").unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        let errs = page("+++\ntitle = \"x\"\ncolour = 1\n+++\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn drafts_are_skipped() {
        assert!(page("+++\ntitle = \"x\"\ndraft = true\n+++\n").unwrap().is_none());
    }

    #[test]
    fn periods() {
        assert_eq!(Period::parse("12 months"), Some(Period::Months(12)));
        assert_eq!(Period::parse("2 years"), Some(Period::Months(24)));
        assert_eq!(Period::parse("6 weeks"), Some(Period::Days(42)));
        assert_eq!(Period::parse("month"), None);
        assert_eq!(Period::parse("100 years"), Some(Period::Months(1200)));
        assert_eq!(Period::parse("36500 days"), Some(Period::Days(36500)));
        for too_long in
            ["101 years", "1201 months", "5201 weeks", "36501 days", "357913942 years", "99999999999999999999999 days"]
        {
            assert!(matches!(Period::parse_checked(too_long), Err(PeriodError::TooLong { .. })), "{too_long}");
        }
        assert_eq!(Period::parse_checked("0 days"), Err(PeriodError::NotAPeriod));
        assert_eq!(Period::parse_checked("-3 days"), Err(PeriodError::NotAPeriod));
        // The calendar's last day, not the day of the review, when a due date cannot be written.
        let late = Date::from_calendar_date(9990, time::Month::June, 1).unwrap();
        assert_eq!(Period::Months(1200).after(late), Date::MAX);
        assert_eq!(Period::Days(36500).after(late), Date::MAX);
    }
}
