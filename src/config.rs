//! handbook.toml: the settings a council changes to make the handbook its own.

use crate::diagnostics::{Diagnostics, LineIndex, Location};
use crate::locals::{self, Locals};
use crate::markdown::Snippet;
use serde::Deserialize;
use std::collections::BTreeMap;
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
    /// Where `language` is written, for the error about a language with
    /// no interface words (see `crate::strings`).
    #[serde(skip)]
    pub language_at: Option<Location>,
    #[serde(default)]
    pub footer: Option<String>,
    /// Path of a logo image, relative to the handbook folder.
    #[serde(default)]
    pub logo: Option<Spanned<String>>,
    /// The older single contact table, still read: it is the contact
    /// named `main` (see [`Config::locals`]).
    #[serde(default)]
    pub contact: Option<Spanned<Contact>>,
    /// Named contacts, `[contacts.front_door]`: used by `{{ contact.NAME.FIELD }}`.
    #[serde(default)]
    pub contacts: BTreeMap<Spanned<String>, NamedContact>,
    /// Which contacts the footer of every page shows, in order; all of
    /// them, in the order written, when not given.
    #[serde(default)]
    pub footer_contacts: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub colours: Colours,
    #[serde(default)]
    pub pack: Vec<Pack>,
    #[serde(default)]
    pub drafts: Drafts,
    /// The web address the site is published at, such as
    /// `https://handbook.example.gov.uk/early-help/`: the feed of amendments
    /// links with it, and the 404 page takes its folder from it when there
    /// is no `publish_path`.
    #[serde(default)]
    pub base_url: Option<Spanned<String>>,
    /// The folder of the web server the site is copied to, such as
    /// `/handbook/`. The 404 page is served for a missing page at any depth,
    /// so relative links cannot work there: it links from this folder.
    #[serde(default)]
    pub publish_path: Option<Spanned<String>>,
    /// The authority and every contact, checked, in the order written:
    /// what placeholders and templates use.
    #[serde(skip)]
    pub locals: Locals,
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

/// The older `[contact]` table: every detail optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
    pub web: Option<Spanned<String>>,
    pub hours: Option<Spanned<String>>,
}

/// A named contact, `[contacts.front_door]`: a name and any of the details.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedContact {
    pub name: Spanned<String>,
    pub phone: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
    pub web: Option<Spanned<String>>,
    pub hours: Option<Spanned<String>>,
}

/// The name `[contact]` is known by in placeholders.
pub const LEGACY_CONTACT: &str = "main";

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
    /// `base_url` with a `/` after its folder, when it is set and valid.
    pub fn base_url(&self) -> Option<String> {
        let url = self.base_url.as_ref()?.get_ref();
        let (_, path) = split_url(url)?;
        Some(if path.is_empty() { format!("{url}/") } else { url.clone() })
    }

    /// The folder the 404 page links from: `publish_path`, else the path of
    /// `base_url`; `None` (relative links) when neither is set.
    pub fn not_found_root(&self) -> Option<String> {
        if let Some(p) = &self.publish_path
            && publish_path_problem(p.get_ref()).is_none()
        {
            return Some(p.get_ref().clone());
        }
        let url = self.base_url()?;
        split_url(&url).map(|(_, path)| path.to_string())
    }
}

/// Splits an `http(s)://host[:port]/path` address into its origin and path
/// (`""` or starting with `/`); `None` when it is not such an address.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    let host = &rest[..host_end];
    let valid_host =
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) && !host.starts_with(':');
    valid_host.then(|| url.split_at(url.len() - (rest.len() - host_end)))
}

/// Characters a folder of a web address may not hold as written here.
fn bad_url_char(c: char) -> bool {
    c.is_whitespace() || c.is_control() || "\"<>\\?#^`{|}'".contains(c)
}

/// What is wrong with a path written as a web server's folder, if anything.
fn folder_problem(path: &str) -> Option<&'static str> {
    if path.chars().any(bad_url_char) {
        return Some("holds a space, quote or one of ? # < > \\ ^ ` { | }");
    }
    let inner = path.trim_start_matches('/').trim_end_matches('/');
    if path.contains("//") || inner.split('/').any(|s| s == "." || s == "..") {
        return Some("has an empty, `.` or `..` folder in it");
    }
    None
}

fn publish_path_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') || !path.ends_with('/') {
        return Some(format!(
            "publish_path `{path}` must start and end with `/`: the folder on the web server, such as \"/handbook/\" (or \"/\" for the root)"
        ));
    }
    folder_problem(path).map(|why| format!("publish_path `{path}` {why}; expected a folder such as \"/handbook/\""))
}

fn base_url_problem(url: &str) -> Option<String> {
    let Some((_, path)) = split_url(url) else {
        return Some(format!(
            "base_url `{url}` is not a web address; expected the site's address, such as \"https://handbook.example.gov.uk/early-help/\""
        ));
    };
    if let Some(why) = folder_problem(path) {
        return Some(format!("base_url `{url}`: its path {why}"));
    }
    if !path.is_empty() && !path.ends_with('/') {
        return Some(format!("base_url `{url}` must end with `/`: the address of the site's folder, such as \"{url}/\""));
    }
    None
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
            language_at: None,
            footer: None,
            logo: None,
            contact: None,
            contacts: BTreeMap::new(),
            footer_contacts: None,
            colours: Colours::default(),
            pack: Vec::new(),
            drafts: Drafts::default(),
            base_url: None,
            publish_path: None,
            locals: Locals::default(),
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
    config.language_at = config.language.as_ref().map(|l| index.location(FILE, l.span().start));
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
    if let Some(path) = &config.publish_path
        && let Some(problem) = publish_path_problem(path.get_ref())
    {
        errors.push(at(path.span()).error(problem));
    }
    if let Some(url) = &config.base_url
        && let Some(problem) = base_url_problem(url.get_ref())
    {
        errors.push(at(url.span()).error(problem));
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
    config.locals = check_contacts(&config, &index, errors);
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

/// Checks `[contact]`, `[contacts.*]` and `footer_contacts`, and gives
/// the contacts in the order they are written, `[contact]` (as `main`)
/// first. A detail that is wrong is reported and left out.
fn check_contacts(config: &Config, index: &LineIndex, errors: &mut Diagnostics) -> Locals {
    let at = |span: std::ops::Range<usize>| index.location(FILE, span.start);
    let detail = |field: &str, value: &Option<Spanned<String>>, key: &str, errors: &mut Diagnostics| -> Option<String> {
        let value = value.as_ref()?;
        let v = value.get_ref().trim();
        let problem = match field {
            "phone"
                if v.chars().filter(|c| c.is_ascii_digit()).count() < 3
                    || !v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) =>
            {
                Some("a phone number: digits, spaces and a leading `+`, such as `01632 960000`")
            }
            "email" if v.split('@').count() != 2 || v.starts_with('@') || v.ends_with('@') || v.contains(char::is_whitespace) => {
                Some("an email address, such as `earlyhelp@example.org`")
            }
            "web" if !(v.starts_with("https://") || v.starts_with("http://")) || v.contains(char::is_whitespace) => {
                Some("a web address starting with `https://`")
            }
            _ if v.is_empty() => Some("some text"),
            _ => None,
        };
        match problem {
            Some(expected) => {
                errors.push(at(value.span()).error(format!("contacts.{key}.{field} `{v}` is not {expected}")));
                None
            }
            None => Some(v.to_string()),
        }
    };
    let mut contacts = Vec::new();
    if let Some(old) = &config.contact {
        let c = old.get_ref();
        if let Some((key, _)) = config.contacts.iter().find(|(k, _)| k.get_ref() == LEGACY_CONTACT) {
            errors.push(at(key.span()).error(format!(
                "[contact] is read as [contacts.{LEGACY_CONTACT}], which is also defined: move [contact]'s details into [contacts.{LEGACY_CONTACT}] and remove [contact]"
            )));
        }
        let name = c.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| config.authority.clone());
        contacts.push((
            old.span().start,
            locals::Contact {
                key: LEGACY_CONTACT.to_string(),
                name,
                phone: detail("phone", &c.phone, LEGACY_CONTACT, errors),
                email: detail("email", &c.email, LEGACY_CONTACT, errors),
                web: detail("web", &c.web, LEGACY_CONTACT, errors),
                hours: detail("hours", &c.hours, LEGACY_CONTACT, errors),
            },
        ));
    }
    for (key, c) in &config.contacts {
        let k = key.get_ref();
        if !crate::text::is_id(k, false) {
            errors.push(at(key.span()).error(format!(
                "contact name `{k}` must be lower-case letters, digits and `_`, such as `front_door` (it is written `{{{{ contact.{k}.phone }}}}`)"
            )));
            continue;
        }
        let name = c.name.get_ref().trim();
        if name.is_empty() {
            errors.push(
                at(c.name.span())
                    .error(format!("contacts.{k}.name is empty; give the name readers see, such as `Early Help Hub`")),
            );
        }
        contacts.push((
            key.span().start,
            locals::Contact {
                key: k.clone(),
                name: name.to_string(),
                phone: detail("phone", &c.phone, k, errors),
                email: detail("email", &c.email, k, errors),
                web: detail("web", &c.web, k, errors),
                hours: detail("hours", &c.hours, k, errors),
            },
        ));
    }
    contacts.sort_by_key(|(start, _)| *start);
    let contacts: Vec<locals::Contact> = contacts.into_iter().map(|(_, c)| c).collect();
    for name in config.footer_contacts.iter().flatten() {
        if !contacts.iter().any(|c| &c.key == name.get_ref()) {
            let known: Vec<&str> = contacts.iter().map(|c| c.key.as_str()).collect();
            let hint = crate::text::closest(name.get_ref(), known.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            errors.push(at(name.span()).error(format!(
                "footer_contacts names `{}`, which is not a contact; the contacts are {}{hint}",
                name.get_ref(),
                if known.is_empty() { "none yet: add [contacts.NAME] tables".to_string() } else { known.join(", ") }
            )));
        }
    }
    Locals { authority: config.authority.clone(), contacts }
}

impl Config {
    /// The contacts the footer shows, in order.
    pub fn footer_contacts(&self) -> Vec<&locals::Contact> {
        match &self.footer_contacts {
            Some(names) => names.iter().filter_map(|n| self.locals.contacts.iter().find(|c| &c.key == n.get_ref())).collect(),
            None => self.locals.contacts.iter().collect(),
        }
    }
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
    fn contacts_keep_their_order_and_the_older_table_is_main() {
        let text = "title = \"T\"\nauthority = \"A Council\"\n[contact]\nphone = \"01632 960000\"\n[contacts.zeta]\nname = \"Zeta\"\n[contacts.front_door]\nname = \"Front door\"\nphone = \"01632 960111\"\nhours = \"Always\"\n";
        let c = parse(text).unwrap();
        let keys: Vec<&str> = c.locals.contacts.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["main", "zeta", "front_door"]);
        assert_eq!(c.locals.contacts[0].name, "A Council", "an unnamed [contact] is the authority");
        assert_eq!(c.locals.contacts[2].phone_href().as_deref(), Some("tel:01632960111"));
        assert_eq!(c.footer_contacts().len(), 3);
    }

    #[test]
    fn contact_mistakes_are_located() {
        let text = "title = \"T\"\nauthority = \"A\"\nfooter_contacts = [\"front_dor\"]\n[contacts.front_door]\nname = \"F\"\nphone = \"call us\"\nemail = \"nobody\"\nweb = \"www.example.org\"\n[contacts.Bad-Name]\nname = \"B\"\n";
        let errs = parse(text).unwrap_err();
        let found: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(errs.len(), 5, "{found:#?}");
        assert!(
            found.iter().any(|e| e.starts_with("handbook.toml:3:20: error: footer_contacts names `front_dor`")
                && e.contains("did you mean `front_door`")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|e| e.starts_with("handbook.toml:6:9: error: contacts.front_door.phone `call us` is not a phone number")),
            "{found:#?}"
        );
        assert!(found.iter().any(|e| e.starts_with("handbook.toml:7:9: error: contacts.front_door.email")), "{found:#?}");
        assert!(found.iter().any(|e| e.starts_with("handbook.toml:8:7: error: contacts.front_door.web")), "{found:#?}");
        assert!(found.iter().any(|e| e.starts_with("handbook.toml:9:11: error: contact name `Bad-Name`")), "{found:#?}");
        let errs = parse("title = \"T\"\nauthority = \"A\"\n[contacts.front_door]\nphone = \"1\"\n").unwrap_err();
        assert!(errs[0].message.contains("missing field `name`"), "{errs:?}");
        let errs =
            parse("title = \"T\"\nauthority = \"A\"\n[contact]\nname = \"X\"\n[contacts.main]\nname = \"Y\"\n").unwrap_err();
        assert!(errs[0].message.contains("[contact] is read as [contacts.main]"), "{errs:?}");
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en-GB"));
        assert!(is_language_tag("cy"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag("en_GB"));
    }
}
