//! `handbook schema DIR`: JSON Schemas (draft-07) of every TOML format, for
//! editors that complete and check TOML (Taplo, and Even Better TOML in VS
//! Code, which uses Taplo).
//!
//! Written by hand as data files (`src/schema/*.json`) rather than derived
//! from the loaders' structs: the structs wrap values in `toml::Spanned` and
//! check much by hand (kinds, ids, which keys go with which field kind), so
//! a derived schema would say less than these do. `tests/schema.rs` keeps
//! them from drifting: every default file validates, broken files fail, and
//! each table's keys are exactly the keys its loader accepts.
//!
//! Draft-07, not 2020-12: Taplo validates with an older `jsonschema` crate
//! whose default is draft-07, and its completion walks `definitions`,
//! `properties` and `items` the draft-07 way.

use std::path::{Path, PathBuf};

/// One schema: its file name, the files it describes, and its text.
pub struct Schema {
    pub file: &'static str,
    /// Which handbook files it is for (as written in FORMATS.md and the README).
    pub applies_to: &'static str,
    /// The `#:schema` directive for such a file, relative to it, when the
    /// schemas are written to `schemas/` in the handbook folder.
    pub directive: Option<&'static str>,
    pub text: &'static str,
}

/// Every schema `handbook schema` writes.
pub const SCHEMAS: &[Schema] = &[
    Schema {
        file: "handbook.json",
        applies_to: "handbook.toml",
        directive: Some("#:schema ./schemas/handbook.json"),
        text: include_str!("schema/handbook.json"),
    },
    Schema {
        file: "glossary.json",
        applies_to: "glossary.toml",
        directive: Some("#:schema ./schemas/glossary.json"),
        text: include_str!("schema/glossary.json"),
    },
    Schema {
        file: "form.json",
        applies_to: "forms/*.toml (a form)",
        directive: Some("#:schema ../schemas/form.json"),
        text: include_str!("schema/form.json"),
    },
    Schema {
        file: "outcomes.json",
        applies_to: "forms/outcomes.toml (an outcomes framework)",
        directive: Some("#:schema ../schemas/outcomes.json"),
        text: include_str!("schema/outcomes.json"),
    },
    Schema {
        file: "decision-tree.json",
        applies_to: "forms/decisions/*.toml",
        directive: Some("#:schema ../../schemas/decision-tree.json"),
        text: include_str!("schema/decision-tree.json"),
    },
    Schema {
        file: "page.json",
        applies_to: "a page's front matter (between the +++ lines)",
        directive: None,
        text: include_str!("schema/page.json"),
    },
];

/// What every schema file holds, so that a file of someone else's of the
/// same name is never overwritten.
const MARK: &str = "Written by `handbook schema`.";

/// Writes every schema into `dir` (made if missing). Refuses, changing
/// nothing, when a file of the same name is there that it did not write.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{} is a file, not a folder", dir.display()));
    }
    let theirs: Vec<String> = SCHEMAS
        .iter()
        .map(|s| dir.join(s.file))
        .filter(|p| p.exists() && std::fs::read_to_string(p).map(|t| !t.contains(MARK)).unwrap_or(true))
        .map(|p| p.display().to_string())
        .collect();
    if !theirs.is_empty() {
        return Err(format!(
            "{} already there and not written by `handbook schema`; nothing was written: choose another folder or move {}",
            theirs.join(", "),
            if theirs.len() == 1 { "it" } else { "them" }
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for s in SCHEMAS {
        let path = dir.join(s.file);
        std::fs::write(&path, s.text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// A TOML value as the JSON an editor checks against the schema: dates
/// and times become strings, as Taplo gives them.
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(n) => J::from(*n),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_json_of_draft_07_with_the_mark() {
        for s in SCHEMAS {
            let v: serde_json::Value = serde_json::from_str(s.text).unwrap_or_else(|e| panic!("{}: {e}", s.file));
            assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#", "{}", s.file);
            assert!(s.text.contains(MARK), "{}", s.file);
        }
    }

    #[test]
    fn dates_become_strings() {
        let t: toml::Table = toml::from_str("reviewed = 2026-10-01\nn = 3\n").unwrap();
        let j = toml_to_json(&toml::Value::Table(t));
        assert_eq!(j["reviewed"], "2026-10-01");
        assert_eq!(j["n"], 3);
    }
}
