//! Local facts: the authority's name and its named contacts from
//! handbook.toml, and the one placeholder syntax that uses them in any
//! Markdown (`{{ authority }}`, `{{ contact.front_door.phone }}`), so a
//! council changes a number in one place and every page, form, decision
//! tree and glossary entry follows. `crate::markdown` expands them while
//! it compiles each piece of Markdown; templates get the same values as
//! `site.authority` and `site.contacts`.

/// The details a contact can have, in the order they are shown.
pub const FIELDS: [&str; 5] = ["name", "phone", "email", "web", "hours"];

/// One named contact, as every page uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// Its name in handbook.toml: `front_door` for `[contacts.front_door]`.
    pub key: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
    pub hours: Option<String>,
}

impl Contact {
    /// `tel:` and the number's digits (and a leading `+`), as dialled.
    pub fn phone_href(&self) -> Option<String> {
        self.phone.as_deref().map(tel_href)
    }

    /// `Some(None)` for a known field that is not set; `None` for no such field.
    fn field(&self, field: &str) -> Option<Option<&str>> {
        Some(match field {
            "name" => Some(self.name.as_str()),
            "phone" => self.phone.as_deref(),
            "email" => self.email.as_deref(),
            "web" => self.web.as_deref(),
            "hours" => self.hours.as_deref(),
            _ => return None,
        })
    }
}

/// `tel:01632960000` for "01632 960000": what a phone dials, written the
/// way the footer has always written it (no country code is assumed).
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// Every local fact a placeholder can name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locals {
    pub authority: String,
    /// In the order handbook.toml lists them.
    pub contacts: Vec<Contact>,
}

/// A placeholder found in some text: `text[start..end]` is `{{ path }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'t> {
    pub start: usize,
    pub end: usize,
    pub path: &'t str,
}

/// What a placeholder stands for. Phone numbers, email and web addresses
/// become links where a link can go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Text(&'a str),
    Phone(&'a str),
    Email(&'a str),
    Web(&'a str),
}

impl Value<'_> {
    /// The words a reader sees.
    pub fn text(&self) -> &str {
        match self {
            Value::Text(s) | Value::Phone(s) | Value::Email(s) | Value::Web(s) => s,
        }
    }

    /// Where a link made of it goes, if it is a number or an address.
    pub fn href(&self) -> Option<String> {
        match self {
            Value::Text(_) => None,
            Value::Phone(p) => Some(tel_href(p)),
            Value::Email(e) => Some(format!("mailto:{e}")),
            Value::Web(w) => Some(w.to_string()),
        }
    }

    /// What it becomes inside a link's destination: `tel:` numbers lose
    /// their spaces; everything else is as written.
    pub fn in_url(&self) -> String {
        match self {
            Value::Phone(p) => tel_href(p).trim_start_matches("tel:").to_string(),
            other => other.text().to_string(),
        }
    }
}

/// Every placeholder in `text`: `{{`, optional spaces, a dotted name of
/// letters, digits, `_` and `-`, optional spaces, `}}`. Anything else
/// between double braces is left as it is.
pub fn find(text: &str) -> Vec<Found<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        let inner = &text[start + 2..];
        let trimmed = inner.trim_start_matches(' ');
        let name_len =
            trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))).unwrap_or(trimmed.len());
        let after = trimmed[name_len..].trim_start_matches(' ');
        if name_len > 0 && after.starts_with("}}") {
            let end = text.len() - after.len() + 2;
            let path_start = text.len() - trimmed.len();
            out.push(Found { start, end, path: &text[path_start..path_start + name_len] });
            from = end;
        } else {
            from = start + 1;
        }
    }
    out
}

impl Locals {
    /// The value of `{{ path }}`, or what is wrong with it.
    pub fn resolve(&self, path: &str) -> Result<Value<'_>, String> {
        if path == "authority" {
            return Ok(Value::Text(&self.authority));
        }
        let parts: Vec<&str> = path.split('.').collect();
        let fields = "name, phone, email, web or hours";
        match parts.as_slice() {
            ["contact" | "contacts", key, rest @ ..] => {
                let Some(contact) = self.contacts.iter().find(|c| c.key == *key) else {
                    return Err(self.unknown_contact(key, path));
                };
                let [field] = rest else {
                    return Err(format!(
                        "`{{{{ {path} }}}}` needs one of the contact's details: `{{{{ contact.{key}.phone }}}}` ({fields})"
                    ));
                };
                if parts[0] == "contacts" {
                    return Err(format!("unknown placeholder `{{{{ {path} }}}}`; write `{{{{ contact.{key}.{field} }}}}`"));
                }
                match contact.field(field) {
                    None => Err(format!(
                        "`{field}` in `{{{{ {path} }}}}` is not a contact detail; use {fields}{}",
                        did_you_mean(field, FIELDS)
                    )),
                    Some(None) => Err(format!(
                        "`{{{{ {path} }}}}`: contacts.{key} in handbook.toml has no {field}; add `{field} = \"...\"` under [contacts.{key}]"
                    )),
                    Some(Some(value)) => Ok(match *field {
                        "phone" => Value::Phone(value),
                        "email" => Value::Email(value),
                        "web" => Value::Web(value),
                        _ => Value::Text(value),
                    }),
                }
            }
            _ => Err(format!(
                "unknown placeholder `{{{{ {path} }}}}`; placeholders are `{{{{ authority }}}}` and `{{{{ contact.NAME.DETAIL }}}}` (DETAIL: {fields}){}",
                did_you_mean(path, ["authority"])
            )),
        }
    }

    fn unknown_contact(&self, key: &str, path: &str) -> String {
        if self.contacts.is_empty() {
            return format!(
                "unknown contact `{key}` in `{{{{ {path} }}}}`: handbook.toml has no contacts; add a [contacts.{key}] table with at least a name"
            );
        }
        let known: Vec<&str> = self.contacts.iter().map(|c| c.key.as_str()).collect();
        format!(
            "unknown contact `{key}` in `{{{{ {path} }}}}`; the contacts in handbook.toml are {}{}",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
            did_you_mean(key, known.iter().copied())
        )
    }
}

fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    crate::text::closest(wrong, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locals() -> Locals {
        Locals {
            authority: "Testshire Council".into(),
            contacts: vec![
                Contact {
                    key: "front_door".into(),
                    name: "Children's Front Door".into(),
                    phone: Some("01632 960111".into()),
                    ..Default::default()
                },
                Contact { key: "early_help_hub".into(), name: "Early Help Hub".into(), ..Default::default() },
            ],
        }
    }

    #[test]
    fn placeholders_are_found_with_or_without_spaces() {
        let text = "Call {{ contact.front_door.phone }} or {{authority}}; not {{ two words }} nor {{}} nor { { x } }.";
        let found: Vec<&str> = find(text).iter().map(|f| f.path).collect();
        assert_eq!(found, ["contact.front_door.phone", "authority"]);
        let first = &find(text)[0];
        assert_eq!(&text[first.start..first.end], "{{ contact.front_door.phone }}");
        assert_eq!(find("{{{ authority }}}").len(), 1);
        assert!(find("{{ authority").is_empty());
    }

    #[test]
    fn values_and_problems() {
        let l = locals();
        assert_eq!(l.resolve("authority"), Ok(Value::Text("Testshire Council")));
        let phone = l.resolve("contact.front_door.phone").unwrap();
        assert_eq!(phone.href().as_deref(), Some("tel:01632960111"));
        assert_eq!(phone.in_url(), "01632960111");
        let e = l.resolve("contact.frontdoor.phone").unwrap_err();
        assert!(e.contains("`front_door`, `early_help_hub`") && e.contains("did you mean `front_door`"), "{e}");
        let e = l.resolve("contact.front_door.fax").unwrap_err();
        assert!(e.contains("name, phone, email, web or hours"), "{e}");
        let e = l.resolve("contact.early_help_hub.phone").unwrap_err();
        assert!(e.contains("under [contacts.early_help_hub]"), "{e}");
        let e = l.resolve("authorty").unwrap_err();
        assert!(e.contains("did you mean `authority`"), "{e}");
        assert!(l.resolve("contact.front_door").unwrap_err().contains("needs one of"));
    }
}
