//! handbook.toml: the settings a council changes to make the handbook its own.

use crate::diagnostics::{Diagnostics, LineIndex, Location};
use crate::markdown::Snippet;
use serde::Deserialize;
use toml::Spanned;

pub const FILE: &str = "handbook.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The handbook's identity in the browser: drafts saved by its forms are
    /// kept under it, so two handbooks opened on one device never see each
    /// other's drafts. Defaults to a hash of `authority` and `title`.
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    pub title: String,
    pub authority: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub language: Option<Spanned<String>>,
    #[serde(default)]
    pub footer: Option<String>,
    /// Path of a logo image, relative to the handbook folder.
    #[serde(default)]
    pub logo: Option<Spanned<String>>,
    #[serde(default)]
    pub contact: Contact,
    #[serde(default)]
    pub colours: Colours,
    #[serde(default)]
    pub pack: Vec<Pack>,
    #[serde(default)]
    pub drafts: Drafts,
}

/// `[drafts]`: how long the forms keep a draft saved in the browser.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drafts {
    /// Days without a change after which a draft is deleted (default 30).
    pub expire_days: Option<Spanned<i64>>,
}

/// Drafts untouched for this many days are deleted when a form is next opened.
pub const DEFAULT_EXPIRE_DAYS: u32 = 30;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Header background and link colour; white text is drawn on it.
    pub primary: Option<Spanned<String>>,
    /// Focus highlight; near-black text is drawn on it.
    pub accent: Option<Spanned<String>>,
}

/// A trainer's course pack: pages and forms, in order, printed as one document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub audience: Option<String>,
    /// Markdown shown on the cover, as written in the file.
    #[serde(default, rename = "intro")]
    intro_toml: Option<Spanned<String>>,
    /// Markdown shown on the cover; links in it are relative to the handbook folder.
    #[serde(skip)]
    pub intro: Option<Snippet>,
    /// Source paths relative to the handbook folder: `content/...md`, `forms/...toml`.
    pub contents: Vec<Spanned<String>>,
    /// Where each entry of `contents` is written in handbook.toml, so a
    /// missing page can be reported at its line when the pack is built.
    #[serde(skip)]
    pub contents_at: Vec<Location>,
    /// Where the pack's `id` is written.
    #[serde(skip)]
    pub id_at: Location,
}

pub const DEFAULT_PRIMARY: &str = "#1d4f91";
pub const DEFAULT_ACCENT: &str = "#ffdd00";
pub const TEXT_ON_ACCENT: &str = "#0b0c0c";

impl Config {
    pub fn language(&self) -> &str {
        self.language.as_ref().map(|l| l.get_ref().as_str()).unwrap_or("en-GB")
    }

    pub fn primary(&self) -> &str {
        self.colours.primary.as_ref().map(|c| c.get_ref().as_str()).unwrap_or(DEFAULT_PRIMARY)
    }

    pub fn accent(&self) -> &str {
        self.colours.accent.as_ref().map(|c| c.get_ref().as_str()).unwrap_or(DEFAULT_ACCENT)
    }

    /// `id`, or one made from the authority and the title: stable while
    /// they stay the same, different for another council's handbook.
    pub fn handbook_id(&self) -> String {
        if let Some(id) = &self.id {
            return id.get_ref().clone();
        }
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("handbook\n{}\n{}", self.authority.trim(), self.title.trim()));
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("hb-{hex}")
    }

    pub fn drafts_expire_days(&self) -> u32 {
        self.drafts.expire_days.as_ref().map(|d| *d.get_ref() as u32).unwrap_or(DEFAULT_EXPIRE_DAYS)
    }
}

impl Config {
    /// Stands in for a handbook.toml that could not be read, so the rest of
    /// the handbook can still be checked in the same run.
    pub fn placeholder() -> Config {
        Config {
            id: None,
            title: "Handbook".into(),
            authority: String::new(),
            description: None,
            language: None,
            footer: None,
            logo: None,
            contact: Contact::default(),
            colours: Colours::default(),
            pack: Vec::new(),
            drafts: Drafts::default(),
        }
    }
}

/// Reads and checks handbook.toml's own values (packs are checked once the
/// pages and forms they name are known). A config whose values are wrong (a
/// pale colour, a bad language tag) is kept beside their errors, so that
/// checks which need it (the logo, the packs) still run. `None` only when
/// the TOML cannot be read.
pub fn parse(text: &str, sink: &mut Diagnostics) -> Option<Config> {
    let mut config: Config = match crate::diagnostics::parse_toml(FILE, text, 0, text) {
        Ok(c) => c,
        Err(mut errors) => {
            sink.append(&mut errors);
            return None;
        }
    };
    let index = LineIndex::new(text);
    for pack in &mut config.pack {
        pack.id_at = index.location(FILE, pack.id.span().start);
        pack.contents_at = pack.contents.iter().map(|c| index.location(FILE, c.span().start)).collect();
        pack.intro = pack.intro_toml.take().map(|intro| Snippet::from_toml(FILE, &index, text, intro));
    }
    let errors = sink;
    let at = |span: std::ops::Range<usize>| index.location(FILE, span.start);

    if let Some(lang) = &config.language
        && !is_language_tag(lang.get_ref())
    {
        errors.push(at(lang.span()).error(format!(
            "language `{}` is not a BCP 47 language tag; expected something like `en-GB` or `cy`",
            lang.get_ref()
        )));
    }
    if let Some(id) = &config.id
        && !is_handbook_id(id.get_ref())
    {
        errors.push(at(id.span()).error(format!(
            "id `{}` is not usable as the handbook's identity; expected 1 to 64 lower-case letters, digits and hyphens, such as \"northshire-early-help\"",
            id.get_ref()
        )));
    }
    if let Some(days) = &config.drafts.expire_days
        && !(1..=3650).contains(days.get_ref())
    {
        errors.push(at(days.span()).error(format!(
            "drafts.expire_days is {}; expected a whole number of days from 1 to 3650 (default {DEFAULT_EXPIRE_DAYS})",
            days.get_ref()
        )));
        config.drafts.expire_days = None;
    }
    let checks = [
        ("primary", config.colours.primary.as_ref(), "#ffffff", "white text"),
        ("accent", config.colours.accent.as_ref(), TEXT_ON_ACCENT, "near-black text (#0b0c0c)"),
    ];
    for (name, value, on, what) in checks {
        let Some(value) = value else { continue };
        match parse_colour(value.get_ref()) {
            None => errors.push(
                at(value.span())
                    .error(format!("colours.{name} `{}` is not a colour; expected #rrggbb, such as `#1d4f91`", value.get_ref())),
            ),
            Some(rgb) => {
                let ratio = contrast_ratio(rgb, parse_colour(on).unwrap());
                if ratio < 4.5 {
                    errors.push(at(value.span()).error(format!(
                        "colours.{name} `{}` with {what} has a contrast ratio of {ratio:.2}:1; WCAG AA needs at least 4.5:1, so choose a {} colour",
                        value.get_ref(),
                        if name == "primary" { "darker" } else { "lighter" }
                    )))
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for pack in &config.pack {
        let id = pack.id.get_ref();
        if !crate::text::is_id(id, true) {
            errors
                .push(at(pack.id.span()).error(format!(
                    "pack id `{id}` must be lower-case letters, digits and hyphens (it becomes packs/{id}.html)"
                )));
        }
        if !seen.insert(id.clone()) {
            errors.push(at(pack.id.span()).error(format!("a pack with id `{id}` is already defined")));
        }
        if pack.contents.is_empty() {
            errors.push(at(pack.id.span()).error(format!(
                "pack `{id}` has no contents; list its pages and forms in order, such as contents = [\"content/index.md\", \"forms/early-help-assessment.toml\"]"
            )));
        }
    }
    Some(config)
}

fn is_handbook_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `#rgb` or `#rrggbb`.
pub fn parse_colour(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    let digits: Vec<u8> = hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some((r * 17, g * 17, b * 17)),
        [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
}

/// WCAG 2 contrast ratio between two sRGB colours.
pub fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let channel = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut sink = Diagnostics::default();
        match super::parse(text, &mut sink) {
            Some(config) if sink.is_empty() => Ok(config),
            _ => Err(sink.items),
        }
    }

    #[test]
    fn contrast_matches_known_values() {
        let r = contrast_ratio((0, 0, 0), (255, 255, 255));
        assert!((r - 21.0).abs() < 0.01);
        let r = contrast_ratio(parse_colour("#1d4f91").unwrap(), (255, 255, 255));
        assert!(r > 7.0, "{r}");
    }

    #[test]
    fn a_pale_primary_is_refused_with_the_pair_and_ratio() {
        let text = "title = \"T\"\nauthority = \"A\"\n[colours]\nprimary = \"#9ab\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 4);
        assert!(errs[0].message.contains("white text"));
        assert!(errs[0].message.contains(":1"));
    }

    #[test]
    fn unknown_keys_are_located() {
        let text = "title = \"T\"\nauthority = \"A\"\n[contact]\nfax = \"1\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (4, 1));
        assert!(errs[0].message.contains("fax"));
    }

    #[test]
    fn the_handbook_id_is_stable_differs_between_councils_and_can_be_set() {
        let a = parse("title = \"Early Help\"\nauthority = \"Northshire\"\n").unwrap();
        let b = parse("title = \"Early Help\"\nauthority = \"Southshire\"\n").unwrap();
        assert_eq!(a.handbook_id(), parse("title = \"Early Help\"\nauthority = \"Northshire\"\n").unwrap().handbook_id());
        assert_ne!(a.handbook_id(), b.handbook_id());
        assert!(a.handbook_id().starts_with("hb-") && a.handbook_id().len() == 19, "{}", a.handbook_id());
        let own = parse("id = \"northshire-eh\"\ntitle = \"T\"\nauthority = \"A\"\n").unwrap();
        assert_eq!(own.handbook_id(), "northshire-eh");
        let errs = parse("id = \"North Shire\"\ntitle = \"T\"\nauthority = \"A\"\n").unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (1, 6));
    }

    #[test]
    fn drafts_expire_after_30_days_unless_set() {
        let c = parse("title = \"T\"\nauthority = \"A\"\n").unwrap();
        assert_eq!(c.drafts_expire_days(), 30);
        let c = parse("title = \"T\"\nauthority = \"A\"\n[drafts]\nexpire_days = 7\n").unwrap();
        assert_eq!(c.drafts_expire_days(), 7);
        let errs = parse("title = \"T\"\nauthority = \"A\"\n[drafts]\nexpire_days = 0\n").unwrap_err();
        assert_eq!(errs[0].line, 4);
        assert!(errs[0].message.contains("from 1 to 3650"), "{}", errs[0].message);
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en-GB"));
        assert!(is_language_tag("cy"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag("en_GB"));
    }
}
