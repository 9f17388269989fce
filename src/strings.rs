//! The interface's words: every word the theme, the generated pages and
//! the scripts show, in the site's language. They live in one TOML file
//! per language (`templates/lang/en.toml`, `templates/lang/cy.toml`),
//! built into the binary like the rest of the theme, so a council writes
//! Welsh words once rather than editing every template.
//!
//! The language is handbook.toml's `language`, by its primary subtag
//! (`cy-GB` is `cy`). A handbook's own `templates/lang/<lang>.toml` is laid
//! over the built-in file key by key: it holds only the words it changes,
//! and a key the built-in file lacks is a warning at its line (a misspelt
//! key would otherwise change nothing, silently). A language with no
//! built-in file needs the handbook's own, and takes English for any key it
//! leaves out, with a warning.
//!
//! Templates see the words as `t` (`{{ t.page.on_this_page }}`); words with
//! places to fill go through the `fill` filter
//! (`{{ t.base.published | fill(authority=site.authority, date=site.built) }}`),
//! which also picks a plural form by `count`. The scripts read theirs from
//! the page: `{{ words(of="forms") }}` writes the `[script.forms]` table as
//! JSON inside a `<script type="application/json">` block.

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostics, LineIndex, Location};
use serde_json::{Map, Value};
use std::sync::Arc;
use time::Date;

/// Where the language files live under templates/.
pub const DIR: &str = "lang";

/// The languages with a built-in strings file.
pub fn shipped() -> Vec<String> {
    crate::theme::defaults()
        .filter_map(|(name, _)| name.strip_prefix("lang/")?.strip_suffix(".toml").map(str::to_string))
        .collect()
}

/// The built-in strings file of `lang`, if there is one.
pub fn builtin(lang: &str) -> Option<&'static str> {
    crate::theme::default(&format!("{DIR}/{lang}.toml")).and_then(|b| std::str::from_utf8(b).ok())
}

/// The primary subtag of a BCP 47 tag, lower case: `cy-GB` is `cy`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

/// The CLDR plural categories a count can take.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The CLDR plural category of a whole number `n` in `lang` (the scripts
/// ask the browser's `Intl.PluralRules` the same question). Welsh has six;
/// English, and any language without rules here, one and other.
pub fn plural_category(lang: &str, n: i64) -> &'static str {
    match (lang, n) {
        ("cy", 0) => "zero",
        (_, 1) => "one",
        ("cy", 2) => "two",
        ("cy", 3) => "few",
        ("cy", 6) => "many",
        _ => "other",
    }
}

/// Is `v` a set of plural forms (`{ one = "...", other = "..." }`)?
pub fn is_plural(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("other") && m.keys().all(|k| CATEGORIES.contains(&k.as_str())))
}

/// The interface's words in the site's language.
#[derive(Debug, Clone)]
pub struct Strings {
    /// The primary language subtag: `cy`.
    pub lang: String,
    /// Every word by table: `{"page": {"on_this_page": "On this page"}}`.
    pub tree: Arc<Value>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings::builtin_for("en")
    }
}

impl Strings {
    /// The built-in words of `lang` (English where there are none).
    pub fn builtin_for(lang: &str) -> Strings {
        let text = builtin(lang).or_else(|| builtin("en")).unwrap_or("");
        let tree = parse(&format!("templates/{DIR}/{lang}.toml"), text).map(|(v, _)| v).unwrap_or(Value::Object(Map::new()));
        Strings { lang: lang.to_string(), tree: Arc::new(tree) }
    }

    /// The value at a dotted key (`page.on_this_page`).
    pub fn value(&self, key: &str) -> Option<&Value> {
        key.split('.').try_fold(&*self.tree, |v, k| v.get(k))
    }

    /// The words at `key`; the key itself when there are none, so a
    /// missing word shows where it is missing (the shipped files are
    /// complete: a test checks).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.value(key) {
            Some(Value::String(s)) => s,
            Some(v) if is_plural(v) => v["other"].as_str().unwrap_or(key),
            _ => key,
        }
    }

    /// The words at `key` with its `{name}` places filled.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill_places(self.get(key), |name| values.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    /// The plural form of `key` for `count`, filled (`{count}` too).
    pub fn count(&self, key: &str, count: i64, values: &[(&str, &str)]) -> String {
        let text = match self.value(key) {
            Some(v) if is_plural(v) => {
                let category = plural_category(&self.lang, count);
                v.get(category).or_else(|| v.get("other")).and_then(Value::as_str).unwrap_or(key)
            }
            Some(Value::String(s)) => s,
            _ => key,
        };
        let n = count.to_string();
        fill_places(text, |name| {
            if name == "count" { Some(n.clone()) } else { values.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()) }
        })
    }

    /// A date in the site's language: `2 December 2026`, `2 Rhagfyr 2026`.
    pub fn date(&self, d: Date) -> String {
        let month = self
            .value("dates.months")
            .and_then(Value::as_array)
            .and_then(|m| m.get(d.month() as usize - 1))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| (d.month() as u8).to_string());
        let (day, year) = (d.day().to_string(), d.year().to_string());
        self.fill("dates.date", &[("day", &day), ("month", &month), ("year", &year)])
    }

    /// The words templates see as `t`: every string HTML-escaped once,
    /// here, and marked safe, so that an apostrophe stays an apostrophe
    /// (`Child's`) as it was when the words were in the templates; `<`,
    /// `>`, `&` and `"` are escaped, so a word is safe in an attribute too.
    pub fn template_value(&self) -> tera::Value {
        fn convert(v: &Value) -> tera::Value {
            match v {
                Value::String(s) => tera::Value::safe_string(&escape_text(s)),
                Value::Array(items) => tera::Value::from(items.iter().map(convert).collect::<Vec<_>>()),
                Value::Object(map) => tera::Value::from(
                    map.iter().map(|(k, v)| (k.clone(), convert(v))).collect::<std::collections::BTreeMap<String, tera::Value>>(),
                ),
                other => tera::Value::from_serializable(other),
            }
        }
        convert(&self.tree)
    }

    /// The words of the script `name` (`[script.NAME]`) as JSON for a
    /// `<script type="application/json">` block, with the month names and
    /// the date format added, so that every script writes dates as the
    /// pages do. `<` is escaped, so no word can close the element.
    pub fn script_json(&self, name: &str) -> String {
        let mut table = self.value(&format!("script.{name}")).and_then(Value::as_object).cloned().unwrap_or_default();
        for key in ["months", "date"] {
            if let Some(v) = self.value(&format!("dates.{key}")) {
                table.entry(key).or_insert_with(|| v.clone());
            }
        }
        serde_json::to_string(&Value::Object(table)).unwrap_or_default().replace('<', "\\u003c").replace('>', "\\u003e")
    }

    /// Registers the `fill` filter and the `words` function with `tera`.
    pub fn register(&self, tera: &mut tera::Tera) {
        let lang = self.lang.clone();
        tera.register_filter("fill", move |input: tera::Value, kwargs: tera::Kwargs, _: &tera::State| {
            fill_filter(&lang, input, &kwargs)
        });
        let me = self.clone();
        tera.register_function("words", move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let of: String = kwargs.must_get("of")?;
            Ok(tera::Value::safe_string(&me.script_json(&of)))
        });
    }
}

/// The `fill` filter: a word from `t` (a string, or plural forms chosen
/// by the `count` argument) with each `{name}` replaced by the argument of
/// that name, escaped unless it is already safe. The result is safe: the
/// word was escaped when `t` was made.
fn fill_filter(lang: &str, input: tera::Value, kwargs: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
    let arg = |name: &str| kwargs.get::<tera::Value>(name).ok().flatten();
    let text = match input.as_map() {
        Some(forms) => {
            let count = arg("count").and_then(|v| v.as_i64()).unwrap_or(0);
            let pick = |k: &str| forms.get(&tera::value::Key::from(k.to_string())).and_then(|v| v.as_str().map(str::to_string));
            pick(plural_category(lang, count)).or_else(|| pick("other")).unwrap_or_default()
        }
        None => input.as_str().map(str::to_string).unwrap_or_else(|| input.to_string()),
    };
    let text = if input.is_safe() || input.as_map().is_some() { text } else { escape_text(&text) };
    let out = fill_places(&text, |name| {
        let v = arg(name)?;
        Some(match v.as_str() {
            Some(s) if v.is_safe() => s.to_string(),
            Some(s) => escape_html(s),
            None => escape_html(&v.to_string()),
        })
    });
    Ok(tera::Value::safe_string(&out))
}

/// `text` with every `{name}` that `value` knows replaced; other braces stay.
pub fn fill_places(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                match value(&after[..close]) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes a word for HTML text and double-quoted attributes, keeping `'`.
fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Escapes a value as Tera's autoescape does.
fn escape_html(s: &str) -> String {
    escape_text(s).replace('\'', "&#39;")
}

/// A strings file read: the words, and where each dotted key is written.
type Parsed = (Value, Vec<(String, usize)>);

/// Reads a strings file: tables of strings, arrays of strings (month
/// names) and plural forms. Anything else is an error at its line.
pub fn parse(path: &str, text: &str) -> Result<Parsed, Vec<crate::diagnostics::Diagnostic>> {
    use toml::de::{DeTable, DeValue};
    let index = LineIndex::new(text);
    let table = DeTable::parse(text).map_err(|e| {
        let at = index.location(path, e.span().map(|s| s.start).unwrap_or(0));
        vec![at.error(format!("{} is not valid TOML: {}", path, e.message().trim()))]
    })?;
    let mut errors = Vec::new();
    let mut places = Vec::new();
    fn walk(
        table: &DeTable,
        prefix: &str,
        path: &str,
        index: &LineIndex,
        places: &mut Vec<(String, usize)>,
        errors: &mut Vec<crate::diagnostics::Diagnostic>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in table {
            let name = key.get_ref().to_string();
            let full = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
            let at = key.span().start;
            let v = match value.get_ref() {
                DeValue::String(s) => Value::String(s.to_string()),
                DeValue::Array(items) => {
                    let mut list = Vec::new();
                    for item in items {
                        match item.get_ref() {
                            DeValue::String(s) => list.push(Value::String(s.to_string())),
                            _ => errors.push(index.location(path, item.span().start).error(format!(
                                "`{full}` holds something that is not text; every item of a list of words is a string in quotes"
                            ))),
                        }
                    }
                    Value::Array(list)
                }
                DeValue::Table(t) => Value::Object(walk(t, &full, path, index, places, errors)),
                _ => {
                    errors.push(index.location(path, at).error(format!(
                        "`{full}` is not text; every word in a strings file is a string in quotes, such as {name} = \"...\""
                    )));
                    continue;
                }
            };
            if !matches!(v, Value::Object(_)) || is_plural(&v) {
                places.push((full, at));
            }
            out.insert(name, v);
        }
        out
    }
    let tree = walk(table.get_ref(), "", path, &index, &mut places, &mut errors);
    if errors.is_empty() { Ok((Value::Object(tree), places)) } else { Err(errors) }
}

/// Every dotted key of the leaves of `v` (a plural set is one leaf).
pub fn leaf_keys(v: &Value) -> Vec<String> {
    fn walk(v: &Value, prefix: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) if !is_plural(v) => {
                for (k, v) in m {
                    walk(v, &if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

fn lookup<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(v, |v, k| v.get(k))
}

fn lookup_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    key.split('.').try_fold(v, |v, k| v.get_mut(k))
}

/// What kind of word a value is, for the error about a wrong one.
fn shape(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Array(_) => "a list of words",
        v if is_plural(v) => "plural forms",
        _ => "a table",
    }
}

/// The site's words: the built-in file of handbook.toml's language with
/// the handbook's own `templates/lang/<lang>.toml` (`own`: its text) laid
/// over it. Problems go to `sink`; the words are always whole.
pub fn load(config: &Config, own: Option<&str>, sink: &mut Diagnostics) -> Strings {
    let lang = primary(config.language());
    let own_path = format!("templates/{DIR}/{lang}.toml");
    let shipped_text = builtin(&lang);
    if shipped_text.is_none() && own.is_none() {
        let at = config.language_at.clone().unwrap_or_else(|| Location::new(config::FILE, 1, 1));
        sink.push(at.error(format!(
            "language `{}` has no interface words built in (there are {}); add {own_path} with every key of \
             the English file translated (`handbook theme copy {DIR}/en.toml` gives it to start from, then rename it), \
             or set language to one of those",
            config.language(),
            shipped().iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(" and ")
        )));
    }
    let mut strings = Strings::builtin_for(if shipped_text.is_some() { &lang } else { "en" });
    strings.lang = lang.clone();
    let Some(own) = own else { return strings };
    let (words, places) = match parse(&own_path, own) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                sink.push(e);
            }
            return strings;
        }
    };
    let index = LineIndex::new(own);
    let mut tree = (*strings.tree).clone();
    let known = leaf_keys(&tree);
    for (key, at) in &places {
        let place = index.location(&own_path, *at);
        let Some(new) = lookup(&words, key) else { continue };
        match lookup_mut(&mut tree, key) {
            Some(old) if shape(old) == shape(new) || (matches!(old, Value::String(_)) && is_plural(new)) => {
                *old = new.clone();
            }
            Some(old) if is_plural(old) && matches!(new, Value::String(_)) => *old = new.clone(),
            Some(old) => sink.push(place.error(format!(
                "`{key}` is {} here but {} in the built-in words; write it as the built-in file does \
                 (`handbook theme copy {DIR}/{}.toml` shows it)",
                shape(new),
                shape(old),
                if shipped_text.is_some() { lang.as_str() } else { "en" }
            ))),
            None => {
                let hint = crate::text::closest(key, known.iter().map(String::as_str))
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                sink.push(place.warning(format!(
                    "`{key}` is not a key of the interface's words{hint}, so it changes nothing; \
                     `handbook theme copy {DIR}/{}.toml` shows every key",
                    if shipped_text.is_some() { lang.as_str() } else { "en" }
                )));
            }
        }
    }
    if shipped_text.is_none() {
        let missing: Vec<&String> = known.iter().filter(|k| lookup(&words, k).is_none()).collect();
        if let Some(first) = missing.first() {
            sink.push(Location::new(&own_path, 1, 1).warning(format!(
                "{} of the interface's words are not in {own_path}, so they are in English (the first is `{first}`); \
                 compare with `handbook theme copy {DIR}/en.toml`",
                missing.len()
            )));
        }
    }
    strings.tree = Arc::new(tree);
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(lang: &str) -> Value {
        let text = builtin(lang).unwrap_or_else(|| panic!("templates/lang/{lang}.toml is built in"));
        match parse(&format!("templates/lang/{lang}.toml"), text) {
            Ok((v, _)) => v,
            Err(e) => panic!("templates/lang/{lang}.toml: {e:?}"),
        }
    }

    /// Every value, with its key, for the emptiness check.
    fn texts(v: &Value, key: &str, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(s) => out.push((key.to_string(), s.clone())),
            Value::Array(a) => a.iter().for_each(|x| texts(x, key, out)),
            Value::Object(m) => m.iter().for_each(|(k, x)| texts(x, &format!("{key}.{k}"), out)),
            _ => {}
        }
    }

    #[test]
    fn every_shipped_language_has_every_key_and_no_empty_word() {
        let en = file("en");
        let langs = shipped();
        assert!(langs.contains(&"en".to_string()) && langs.contains(&"cy".to_string()), "{langs:?}");
        let en_keys = leaf_keys(&en);
        assert!(en_keys.len() > 100, "{}", en_keys.len());
        for lang in &langs {
            let other = file(lang);
            let keys = leaf_keys(&other);
            for k in &en_keys {
                assert!(keys.contains(k), "templates/lang/{lang}.toml has no `{k}`");
                let (a, b) = (lookup(&en, k).unwrap(), lookup(&other, k).unwrap());
                assert_eq!(shape(a), shape(b), "`{k}` in {lang}");
                if let (Value::Array(x), Value::Array(y)) = (a, b) {
                    assert_eq!(x.len(), y.len(), "`{k}` in {lang}");
                }
            }
            for k in &keys {
                assert!(en_keys.contains(k), "templates/lang/{lang}.toml has `{k}`, which en.toml lacks");
            }
            let mut all = Vec::new();
            texts(&other, "", &mut all);
            for (k, s) in all {
                // A separator may be spaces and a dot; nothing may be empty.
                assert!(!s.is_empty(), "`{k}` is empty in {lang}");
            }
            let months = lookup(&other, "dates.months").and_then(Value::as_array).map(Vec::len);
            assert_eq!(months, Some(12), "{lang}");
        }
    }

    #[test]
    fn the_welsh_file_says_who_must_review_it() {
        let text = builtin("cy").unwrap();
        let head: String = text.lines().take_while(|l| l.starts_with('#') || l.is_empty()).collect::<Vec<_>>().join("\n");
        assert!(head.contains("machine-drafted") && head.contains("Welsh language officer"), "{head}");
    }

    #[test]
    fn dates_and_plurals_in_welsh_and_english() {
        let d = Date::from_calendar_date(2026, time::Month::December, 2).unwrap();
        assert_eq!(Strings::builtin_for("en").date(d), "2 December 2026");
        assert_eq!(Strings::builtin_for("cy").date(d), "2 Rhagfyr 2026");
        let may = Date::from_calendar_date(2027, time::Month::May, 31).unwrap();
        assert_eq!(Strings::builtin_for("cy").date(may), "31 Mai 2027");
        assert_eq!([0, 1, 2, 3, 6, 7].map(|n| plural_category("cy", n)), ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!([0, 1, 2].map(|n| plural_category("en", n)), ["other", "one", "other"]);
        assert_eq!(primary("cy-GB"), "cy");
        assert_eq!(primary("EN"), "en");
    }

    #[test]
    fn places_are_filled_and_stray_braces_kept() {
        let v = |k: &str| (k == "name").then(|| "Ana".to_string());
        assert_eq!(fill_places("Hi {name}, {other} {", v), "Hi Ana, {other} {");
        assert_eq!(fill_places("{}", v), "{}");
    }

    #[test]
    fn script_words_cannot_close_their_element() {
        let s = Strings::builtin_for("en");
        let json = s.script_json("forms");
        assert!(!json.contains('<'));
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["months"][0], "January");
        assert_eq!(v["date"], "{day} {month} {year}");
    }

    fn config(lang: &str) -> Config {
        let text = format!("title = \"T\"\nauthority = \"A\"\nlanguage = \"{lang}\"\n");
        let mut sink = Diagnostics::default();
        let c = config::parse(&text, &mut sink).unwrap();
        assert!(sink.items.is_empty(), "{:?}", sink.items);
        c
    }

    #[test]
    fn an_override_changes_its_keys_and_warns_of_unknown_ones() {
        let mut sink = Diagnostics::default();
        let own = "[page]\non_this_page = \"In this guide\"\non_this_pag = \"x\"\n";
        let s = load(&config("en-GB"), Some(own), &mut sink);
        assert_eq!(s.get("page.on_this_page"), "In this guide");
        assert_eq!(s.get("base.search_button"), "Search");
        assert_eq!(sink.items.len(), 1, "{:?}", sink.items);
        let d = sink.items[0].to_string();
        assert!(d.starts_with("templates/lang/en.toml:3:1: warning:"), "{d}");
        assert!(d.contains("did you mean `page.on_this_page`"), "{d}");
    }

    #[test]
    fn a_language_without_words_is_an_error_at_its_line() {
        let mut sink = Diagnostics::default();
        let s = load(&config("fr"), None, &mut sink);
        let d = sink.items.first().map(|d| d.to_string()).unwrap_or_default();
        assert!(d.starts_with("handbook.toml:3:"), "{d}");
        assert!(d.contains("templates/lang/fr.toml"), "{d}");
        assert_eq!(s.get("base.search_button"), "Search");
        // With the handbook's own file, only a warning for what it leaves out.
        let mut sink = Diagnostics::default();
        let s = load(&config("fr"), Some("[base]\nsearch_button = \"Rechercher\"\n"), &mut sink);
        assert_eq!(s.get("base.search_button"), "Rechercher");
        assert!(sink.errors().next().is_none() && sink.warnings().count() == 1, "{:?}", sink.items);
    }
}
