//! glossary.toml: terms and abbreviations, shown on a glossary page and
//! marked where they are first used on each page.

use crate::diagnostics::{Diagnostic, LineIndex, parse_toml};
use crate::markdown::{Snippet, Term, Terms};
use crate::text::slug;
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

pub const FILE: &str = "glossary.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    title: Option<String>,
    intro: Option<Spanned<String>>,
    #[serde(default)]
    term: Vec<TermFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    term: Spanned<String>,
    expansion: Option<String>,
    definition: Spanned<String>,
}

#[derive(Debug, Clone)]
pub struct Glossary {
    pub title: String,
    pub intro: Option<Snippet>,
    pub terms: Vec<GlossaryTerm>,
}

#[derive(Debug, Clone)]
pub struct GlossaryTerm {
    pub term: String,
    pub expansion: Option<String>,
    pub definition: Snippet,
    pub anchor: String,
}

pub fn parse(text: String) -> Result<Glossary, Vec<Diagnostic>> {
    let file: GlossaryFile = parse_toml(FILE, &text, 0, &text)?;
    let index = LineIndex::new(&text);
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    let mut anchors = crate::text::UniqueIds::default();
    for t in file.term {
        let name = t.term.get_ref().trim().to_string();
        let at = index.location(FILE, t.term.span().start);
        if name.is_empty() {
            errors.push(at.error("a glossary term cannot be empty"));
            continue;
        }
        if !seen.insert(name.clone()) {
            errors.push(at.error(format!("the term `{name}` is defined twice in the glossary")));
            continue;
        }
        if t.definition.get_ref().trim().is_empty() {
            errors.push(index.location(FILE, t.definition.span().start).error(format!("the term `{name}` needs a definition")));
        }
        terms.push(GlossaryTerm {
            anchor: anchors.make(&slug(&name)),
            expansion: t.expansion.filter(|e| !e.trim().is_empty()),
            definition: Snippet::from_toml(FILE, &index, &text, t.definition),
            term: name,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    terms.sort_by_key(|t| t.term.to_lowercase());
    let intro = file.intro.map(|i| Snippet::from_toml(FILE, &index, &text, i));
    Ok(Glossary { title: file.title.unwrap_or_default(), intro, terms })
}

impl Glossary {
    /// The abbreviations (terms with an expansion) to mark in pages.
    pub fn terms_to_mark(&self) -> Terms {
        let by_word = self
            .terms
            .iter()
            .filter_map(|t| {
                let expansion = t.expansion.clone()?;
                let single_word = t.term.chars().all(|c| c.is_alphanumeric());
                single_word.then(|| (t.term.clone(), Term { expansion, anchor: t.anchor.clone() }))
            })
            .collect();
        Terms { by_word, page: crate::paths::GLOSSARY.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_sorted_and_duplicates_refused() {
        let g = parse("[[term]]\nterm = \"TAF\"\nexpansion = \"Team Around the Family\"\ndefinition = \"A meeting.\"\n[[term]]\nterm = \"Early help\"\ndefinition = \"Help.\"\n".into()).unwrap();
        assert_eq!(g.terms[0].term, "Early help");
        assert_eq!(g.terms_to_mark().by_word.len(), 1);
        let errs =
            parse("[[term]]\nterm = \"A\"\ndefinition = \"x\"\n[[term]]\nterm = \"A\"\ndefinition = \"y\"\n".into()).unwrap_err();
        assert_eq!(errs[0].line, 5);
    }
}
