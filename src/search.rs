//! The offline search index, built at build time from a plain list of
//! documents that any renderer (pages, glossary, forms, decision trees) adds to.
//!
//! Everything is written as classic JavaScript files that assign to the
//! global `handbookSearch`, because a page opened from disk (file://) can
//! load a `<script>` but cannot `fetch()` JSON. The browser loads, only
//! when someone starts to search:
//!
//! - `assets/search-index.js`: a few hundred bytes: how many documents,
//!   where each index shard starts, the stop words and accent folding.
//! - `assets/search/i<N>.js`: shards of the inverted index, split by the
//!   first two letters of each term, so one query loads one or two shards
//!   (a few tens of KB) however big the handbook is.
//! - `assets/search/d<N>.js`: one per document: its URL, title, section,
//!   headings and text, loaded only for the results shown, to make snippets.
//!
//! Each posting records the document and every place the term was found
//! (title, the sections it is in, a heading, the text once or often), so
//! title and section matches rank above headings, and headings above text.
//! A glossary abbreviation is indexed wherever its expansion is written
//! ("Team Around the Family" also gives "taf"), so searching "TAF" finds
//! the pages about Team Around the Family first, not only those that happen
//! to write the short form.
//!
//! `templates/assets/search-reader.js` reads these files: a change to
//! their format here must be made there too.

use crate::compile::Compiled;
use crate::forms::{Field, FieldKind};
use crate::nav::Nav;
use crate::paths::{SEARCH_DIR as DIR, SEARCH_INDEX as INDEX_URL};
use crate::render::OutputFile;
use crate::site::Site;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
/// A shard is closed once it passes this size.
const SHARD_BYTES: usize = 48 * 1024;
/// Text kept per document for snippets.
const MAX_TEXT: usize = 32 * 1024;

/// One thing a search can find: a page, the glossary, a form, a decision tree.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// Site-relative URL.
    pub url: String,
    pub title: String,
    /// Where it sits, shown under the title: "Team Around the Family".
    pub section: String,
    pub headings: Vec<SearchHeading>,
    /// Plain text; each heading's part starts at its `at`.
    pub text: String,
    /// More of where it sits, indexed as its section but not shown: a
    /// section's own page is in that section too.
    pub within: String,
    /// The glossary's abbreviations and what they stand for (shared by
    /// every document of a site).
    pub synonyms: Arc<Synonyms>,
}

/// Abbreviations indexed wherever their expansion is written: for each
/// length of expansion (in terms), each expansion and the abbreviations it
/// stands for. Looked up by whole phrase, so finding them in a page is one
/// lookup per word and length, not one scan per abbreviation (a glossary of
/// 20,000 terms made that quadratic).
#[derive(Debug, Clone, Default)]
pub struct Synonyms(BTreeMap<usize, HashMap<Vec<String>, Vec<String>>>);

impl Synonyms {
    /// From the glossary's terms that have an expansion and are one word.
    pub fn from_glossary(glossary: Option<&crate::glossary::Glossary>) -> Synonyms {
        let mut pairs = Vec::new();
        for t in glossary.map(|g| &g.terms[..]).unwrap_or_default() {
            let Some(expansion) = &t.expansion else { continue };
            let (abbr, phrase) = (terms(&t.term), terms(expansion));
            if let [abbr] = &abbr[..]
                && !phrase.is_empty()
                && phrase != [abbr.clone()]
            {
                pairs.push((phrase, abbr.clone()));
            }
        }
        Synonyms::from_pairs(pairs)
    }

    /// From (expansion's terms, abbreviation) pairs.
    fn from_pairs(pairs: Vec<(Vec<String>, String)>) -> Synonyms {
        let mut out: BTreeMap<usize, HashMap<Vec<String>, Vec<String>>> = BTreeMap::new();
        for (phrase, abbr) in pairs {
            out.entry(phrase.len()).or_default().entry(phrase).or_default().push(abbr);
        }
        Synonyms(out)
    }

    /// The abbreviations whose expansion `terms` hold, once per time it is written.
    fn found_in(&self, terms: &[String]) -> Vec<String> {
        let mut found = Vec::new();
        for (len, phrases) in &self.0 {
            for window in terms.windows(*len) {
                if let Some(abbrs) = phrases.get(window) {
                    found.extend(abbrs.iter().cloned());
                }
            }
        }
        found
    }
}

#[derive(Debug, Clone, Default)]
pub struct SearchHeading {
    /// The heading's id in the page, so a result can open at that heading.
    pub id: String,
    pub text: String,
    /// Byte offset in `SearchDoc::text` where the text under this heading starts.
    pub at: usize,
}

/// Words too common to be worth an entry. Written into the index, so the
/// browser drops the same words from a query.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he", "her", "his",
    "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "was", "we", "were", "will", "with", "you", "your",
];

/// Accented letters and the letter they are searched as (pairs of characters),
/// so "ysgol" finds "ysgôl". Written into the index for the browser too.
pub const FOLD: &str = "àaáaâaãaäaåaāaăaąaçcćcčcďdèeéeêeëeēeėeęeěeìiíiîiïiīiįiñnńnňnòoóoôoõoöoøoōoőoùuúuûuüuūuůuűuųuýyÿyŷyỳyŵwẁwẃwẅwśsšsşsźzžzżzťtţtŕrřrĺlľlłlğgģgķk";

/// Where a term was found in a document: a set of these flags (the body
/// ones exclusive). search-reader.js gives each a weight and adds them up.
const TITLE: u8 = 16;
const SECTION: u8 = 8;
const HEADING: u8 = 4;
const BODY_OFTEN: u8 = 2;
const BODY: u8 = 1;
/// Postings hold (document - previous document) * PLACES + flags.
const PLACES: u64 = 32;

fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let mut chars = FOLD.chars();
    while let (Some(from), Some(to)) = (chars.next(), chars.next()) {
        if from == c {
            return to;
        }
    }
    c
}

/// Lower case with accents folded: the form terms are compared in.
pub fn normalize(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.to_lowercase().chars().map(fold_char).collect()
}

/// A light plural stemmer, the same as search.js: "families" and "family",
/// "meetings" and "meeting" meet; nothing cleverer, so nothing surprising.
pub fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    if word.ends_with("sses") {
        return word[..word.len() - 2].to_string();
    }
    if n > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// The words of `text` as they are indexed: normalized, stemmed, without
/// stop words and single letters. "co-ordinator" also gives "coordinator".
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev: Option<(String, usize)> = None; // previous word and the byte just after it
    let push = |w: &str, out: &mut Vec<String>| {
        let single_letter = w.chars().count() == 1 && !w.chars().all(|c| c.is_numeric());
        if !single_letter && !STOP_WORDS.contains(&w) {
            out.push(stem(w));
        }
    };
    let mut start = None;
    let bytes_len = text.len();
    let mut chars = text.char_indices();
    loop {
        let next = chars.next();
        let is_word = next.is_some_and(|(_, c)| c.is_alphanumeric());
        match (start, is_word) {
            (None, true) => start = next.map(|(i, _)| i),
            (Some(s), false) => {
                let end = next.map(|(i, _)| i).unwrap_or(bytes_len);
                let word = normalize(&text[s..end]);
                if let Some((p, p_end)) = &prev
                    && text[*p_end..s] == *"-"
                {
                    push(&format!("{p}{word}"), &mut out);
                }
                push(&word, &mut out);
                prev = Some((word, end));
                start = None;
            }
            _ => {}
        }
        if next.is_none() {
            break;
        }
    }
    out
}

/// Base64 VLQ (as in source maps): 5 bits a character, low bits first.
fn vlq(mut n: u64, out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    loop {
        let digit = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(ALPHABET[digit] as char);
            return;
        }
        out.push(ALPHABET[digit | 32] as char);
    }
}

/// The shard a term belongs to is chosen by its first two characters.
fn shard_key(term: &str) -> &str {
    match term.char_indices().nth(2) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// Changes whenever any shard or document does: search.js asks for
    /// `i0.js?v=...`, so a web server's cache never mixes two builds.
    v: String,
    docs: usize,
    /// The first key of each shard, in order: shard `i` holds the keys from `shards[i]` up to `shards[i + 1]`.
    shards: Vec<String>,
    stop: String,
    fold: &'a str,
}

#[derive(Serialize)]
struct Shard {
    /// Terms in order, each as one base-36 digit (characters shared with the
    /// previous term) and the rest of the term, separated by commas.
    t: String,
    /// For each term, its postings in VLQ: (document - previous document) * 32 + the places it was found (flags).
    p: String,
}

#[derive(Serialize)]
struct DocFile<'a> {
    u: &'a str,
    t: &'a str,
    s: &'a str,
    /// Headings: [id, text].
    h: Vec<[&'a str; 2]>,
    /// Text in parts: [heading index or -1 before the first heading, text].
    x: Vec<(i64, &'a str)>,
}

/// Which terms each document has, and where (a set of flags).
fn postings(docs: &[SearchDoc]) -> BTreeMap<String, Vec<(u32, u8)>> {
    use rayon::prelude::*;
    // Each document's terms and their places, in parallel; then one merge.
    let per_doc: Vec<HashMap<String, u8>> = docs.par_iter().map(doc_terms).collect();
    let mut index: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
    for (n, found) in per_doc.into_iter().enumerate() {
        for (term, places) in found {
            index.entry(term).or_default().push((n as u32, places));
        }
    }
    for list in index.values_mut() {
        list.sort_unstable();
    }
    index
}

/// A document's terms, each with every place it was found in.
fn doc_terms(doc: &SearchDoc) -> HashMap<String, u8> {
    let with_synonyms = |text: &str| {
        let mut t = terms(text);
        let more = doc.synonyms.found_in(&t);
        t.extend(more);
        t
    };
    let mut count: HashMap<String, u32> = HashMap::new();
    for term in with_synonyms(&doc.text) {
        *count.entry(term).or_default() += 1;
    }
    let mut found: HashMap<String, u8> =
        count.into_iter().map(|(term, n)| (term, if n >= 3 { BODY_OFTEN } else { BODY })).collect();
    let mut mark = |text: &str, place: u8| {
        for term in with_synonyms(text) {
            *found.entry(term).or_default() |= place;
        }
    };
    for h in &doc.headings {
        mark(&h.text, HEADING);
    }
    mark(&doc.section, SECTION);
    mark(&doc.within, SECTION);
    mark(&doc.title, TITLE);
    found
}

fn js_assign(key: &str, value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("search data serialises");
    format!("(self.handbookSearch=self.handbookSearch||{{}})[{}]={json};\n", serde_json::to_string(key).unwrap())
}

/// The search files for `docs`, in the order given (which is the order ties are shown in).
pub fn files(docs: &[SearchDoc]) -> Vec<OutputFile> {
    let index = postings(docs);
    let mut files = Vec::new();

    // Shards: consecutive keys until a shard is big enough.
    let mut shards: Vec<String> = Vec::new();
    let mut current: Option<(String, Shard, String)> = None; // first key, shard, previous term
    let mut last_key = String::new();
    let digits: Vec<char> = "0123456789abcdefghijklmnopqrstuvwxyz".chars().collect();
    let finish = |shard: Shard, files: &mut Vec<OutputFile>| {
        let n = files.len();
        files.push(OutputFile::bytes(format!("{DIR}/i{n}.js"), js_assign(&format!("i{n}"), &shard)));
    };
    for (term, list) in &index {
        let key = shard_key(term);
        let full = current.as_ref().is_some_and(|(_, s, _)| s.t.len() + s.p.len() > SHARD_BYTES);
        if current.is_none() || (full && key != last_key) {
            if let Some((_, shard, _)) = current.take() {
                finish(shard, &mut files);
            }
            shards.push(if shards.is_empty() { String::new() } else { key.to_string() });
            current = Some((key.to_string(), Shard { t: String::new(), p: String::new() }, String::new()));
        }
        last_key = key.to_string();
        let (_, shard, prev) = current.as_mut().unwrap();
        let shared = prev.chars().zip(term.chars()).take_while(|(a, b)| a == b).count().min(35);
        if !shard.t.is_empty() {
            shard.t.push(',');
            shard.p.push(',');
        }
        shard.t.push(digits[shared]);
        shard.t.extend(term.chars().skip(shared));
        let mut last = 0u32;
        for &(doc, places) in list {
            vlq(((doc - last) as u64) * PLACES + places as u64, &mut shard.p);
            last = doc;
        }
        *prev = term.clone();
    }
    if let Some((_, shard, _)) = current.take() {
        finish(shard, &mut files);
    }

    for (n, doc) in docs.iter().enumerate() {
        let mut text = doc.text.as_str();
        if text.len() > MAX_TEXT {
            let mut end = MAX_TEXT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text = &text[..end];
        }
        let mut parts = Vec::new();
        let first = doc.headings.first().map(|h| h.at).unwrap_or(text.len()).min(text.len());
        if !text[..first].trim().is_empty() {
            parts.push((-1, text[..first].trim()));
        }
        for (i, h) in doc.headings.iter().enumerate() {
            let start = h.at.min(text.len());
            let end = doc.headings.get(i + 1).map(|n| n.at).unwrap_or(text.len()).clamp(start, text.len());
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                // The heading's own words start its part: drop them, they are in `h`.
                let part = text[start..end].trim();
                let part = part.strip_prefix(h.text.as_str()).unwrap_or(part).trim();
                if !part.is_empty() {
                    parts.push((i as i64, part));
                }
            }
        }
        let file = DocFile {
            u: &doc.url,
            t: &doc.title,
            s: &doc.section,
            h: doc.headings.iter().map(|h| [h.id.as_str(), h.text.as_str()]).collect(),
            x: parts,
        };
        files.push(OutputFile::bytes(format!("{DIR}/d{n}.js"), js_assign(&format!("d{n}"), &file)));
    }

    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for f in &files {
        if let crate::render::Contents::Bytes(b) = &f.contents {
            std::hash::Hash::hash(b, &mut hasher);
        }
    }
    let v = format!("{:016x}", std::hash::Hasher::finish(&hasher));
    let manifest = Manifest { v, docs: docs.len(), shards, stop: STOP_WORDS.join(" "), fold: FOLD };
    files.push(OutputFile::bytes(INDEX_URL, js_assign("index", &manifest)));
    files
}

/// Everything search finds, in the order results tie in: pages, the
/// glossary, forms, outcomes frameworks, decision trees and their outcomes.
/// `bodies` are the pages' compiled bodies (`serve` passes newer ones for
/// the pages it has just compiled again).
pub fn docs(site: &Site, nav: &Nav, compiled: &Compiled, bodies: &[&crate::markdown::Body]) -> Vec<SearchDoc> {
    let mut docs = page_docs(site, nav, compiled, bodies);
    docs.extend(form_docs(site));
    docs.extend(tree_docs(site));
    let synonyms = Arc::new(Synonyms::from_glossary(site.glossary.as_ref()));
    for doc in &mut docs {
        doc.synonyms = synonyms.clone();
    }
    docs
}

/// What search finds in each page (given its compiled body) and in the glossary.
fn page_docs(site: &Site, nav: &Nav, compiled: &Compiled, bodies: &[&crate::markdown::Body]) -> Vec<SearchDoc> {
    let section = |url: &str| {
        let crumbs = nav.breadcrumbs(url, None, "");
        crumbs.iter().skip(1).map(|c| c.title.as_str()).collect::<Vec<_>>().join(" › ")
    };
    let mut docs: Vec<SearchDoc> = site
        .pages
        .iter()
        .zip(bodies)
        .map(|(page, body)| {
            let lead = page.description.as_deref().map(|d| format!("{d}\n")).unwrap_or_default();
            let headings = body
                .headings
                .iter()
                .zip(&body.heading_at)
                .map(|(h, at)| SearchHeading { id: h.id.clone(), text: h.text.clone(), at: at + lead.len() })
                .collect();
            SearchDoc {
                url: page.url.clone(),
                title: page.title.clone(),
                section: section(&page.url),
                headings,
                text: lead + &body.text,
                // A section's page is in its section (the home page is in none).
                within: if page.is_index && page.url != crate::paths::HOME { page.title.clone() } else { String::new() },
                ..Default::default()
            }
        })
        .collect();
    if let Some(g) = &site.glossary {
        let mut doc = SearchDoc { url: crate::paths::GLOSSARY.into(), title: g.title.clone(), ..Default::default() };
        if let Some(intro) = &g.intro {
            doc.text = compiled.snippet(intro).text.clone();
        }
        for t in &g.terms {
            let text = match &t.expansion {
                Some(e) => format!("{} ({e})", t.term),
                None => t.term.clone(),
            };
            doc.text.push('\n');
            doc.headings.push(SearchHeading { id: t.anchor.clone(), text: text.clone(), at: doc.text.len() });
            doc.text.push_str(&text);
            doc.text.push('\n');
            doc.text.push_str(compiled.snippet(&t.definition).text.trim());
        }
        docs.push(doc);
    }
    docs
}

fn push_line(text: &mut String, line: &str) {
    text.push_str(line.trim());
    text.push('\n');
}

/// Search entries for every form and framework: section and outcome
/// titles as headings, labels, hints and guidance as text.
fn form_docs(site: &Site) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for form in &site.forms.forms {
        let mut doc = SearchDoc {
            url: form.url(),
            title: form.title.clone(),
            section: site.strings.get("titles.forms").into(),
            ..Default::default()
        };
        if let Some(intro) = &form.intro {
            push_line(&mut doc.text, &intro.text);
        }
        for section in &form.sections {
            doc.headings.push(SearchHeading { id: section.id.clone(), text: section.title.clone(), at: doc.text.len() });
            push_line(&mut doc.text, &section.title);
            if let Some(intro) = &section.intro {
                push_line(&mut doc.text, &intro.text);
            }
            fn fields(text: &mut String, fields: &[Field]) {
                for f in fields {
                    push_line(text, &f.label);
                    if let Some(h) = &f.hint {
                        push_line(text, h);
                    }
                    if let FieldKind::Guidance { text: Some(t) } = &f.kind {
                        push_line(text, &t.text);
                    }
                    fields_of(text, f);
                }
            }
            fn fields_of(text: &mut String, f: &Field) {
                fields(text, f.sub_fields());
            }
            fields(&mut doc.text, &section.fields);
        }
        docs.push(doc);
    }
    for fw in &site.forms.frameworks {
        let mut doc = SearchDoc {
            url: fw.url(),
            title: fw.title.clone(),
            section: site.strings.get("titles.forms").into(),
            ..Default::default()
        };
        if let Some(intro) = &fw.intro {
            push_line(&mut doc.text, &intro.text);
        }
        for o in &fw.outcomes {
            doc.headings.push(SearchHeading { id: o.id.clone(), text: o.title.clone(), at: doc.text.len() });
            push_line(&mut doc.text, &o.title);
            for line in o.indicators.iter().chain(&o.success).chain(&o.measures) {
                push_line(&mut doc.text, line);
            }
        }
        docs.push(doc);
    }
    docs
}

/// Search entries: each tree (its intro and questions) and each outcome
/// page (who leads, at what level, and why), so a search for "care leaver"
/// can land on the answer itself.
fn tree_docs(site: &Site) -> Vec<SearchDoc> {
    let section_title = site.strings.get("titles.decisions");
    let mut docs = Vec::new();
    for tree in &site.trees.trees {
        let mut text = String::new();
        if let Some(intro) = &tree.intro {
            push_line(&mut text, &intro.text);
        }
        for q in tree.questions_in_order() {
            push_line(&mut text, &q.text);
            if let Some(help) = &q.help {
                push_line(&mut text, &help.text);
            }
        }
        docs.push(SearchDoc {
            url: tree.url(),
            title: tree.title.clone(),
            section: section_title.into(),
            text,
            ..Default::default()
        });
        for o in &tree.outcomes {
            let mut text = String::new();
            for part in [o.level.as_deref(), o.lead.as_deref(), o.body.as_ref().map(|b| b.text.as_str())].into_iter().flatten() {
                push_line(&mut text, part);
            }
            docs.push(SearchDoc {
                url: tree.node_url(&o.id),
                title: o.title.clone(),
                section: format!("{section_title} › {}", tree.title),
                text,
                ..Default::default()
            });
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Contents;

    fn doc(url: &str, title: &str, heading: &str, text: &str) -> SearchDoc {
        let at = text.find(heading).unwrap_or(0);
        SearchDoc {
            url: url.into(),
            title: title.into(),
            section: "S".into(),
            headings: vec![SearchHeading { id: "h".into(), text: heading.into(), at }],
            text: text.into(),
            ..Default::default()
        }
    }

    fn text_of(f: &OutputFile) -> String {
        match &f.contents {
            Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            Contents::Copy(_) => panic!(),
        }
    }

    #[test]
    fn terms_are_folded_stemmed_and_filtered() {
        assert_eq!(terms("The Families' meetings, at Ysgôl"), ["family", "meeting", "ysgol"]);
        assert_eq!(terms("co-ordinator, level 4 and a"), ["co", "coordinator", "ordinator", "level", "4"]);
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("analysis"), "analysis");
    }

    #[test]
    fn vlq_round_numbers() {
        let mut s = String::new();
        vlq(0, &mut s);
        vlq(31, &mut s);
        vlq(32, &mut s);
        assert_eq!(s, "AfgB");
    }

    #[test]
    fn postings_record_where_a_term_was_found() {
        let docs = vec![
            doc("a.html", "Chairing", "Scaling", "Intro. Scaling questions help."),
            doc("b.html", "Minutes", "Notes", "Notes on chairing, chairing and chairing."),
            doc("c.html", "Other", "Notes", "Notes about chairing."),
        ];
        let index = postings(&docs);
        assert_eq!(index["chairing"], [(0, TITLE), (1, BODY_OFTEN), (2, BODY)]);
        assert_eq!(index["scaling"], [(0, HEADING | BODY)]);
        assert!(!index.contains_key("on"));
    }

    #[test]
    fn an_abbreviation_is_indexed_wherever_its_expansion_is_written() {
        let synonyms = Arc::new(Synonyms::from_pairs(vec![(terms("Team Around the Family"), "taf".into())]));
        let mut a = doc("a.html", "Team Around the Family", "Notes", "Notes.");
        let mut b = doc("b.html", "Minutes", "Notes", "A team around the family meets; the TAF agrees.");
        let mut c = doc("c.html", "Other", "Notes", "The TAF.");
        b.section = "Team Around the Family".into();
        for d in [&mut a, &mut b, &mut c] {
            d.synonyms = synonyms.clone();
        }
        let index = postings(&[a, b, c]);
        assert_eq!(index["taf"], [(0, TITLE), (1, SECTION | BODY), (2, BODY)]);
    }

    #[test]
    fn files_hold_a_manifest_shards_and_documents() {
        let docs = vec![doc("a.html", "Chairing", "Scaling", "Intro. Scaling questions help.")];
        let files = files(&docs);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["assets/search/i0.js", "assets/search/d0.js", "assets/search-index.js"]);
        let shard = text_of(&files[0]);
        assert!(
            shard.starts_with(
                "(self.handbookSearch=self.handbookSearch||{})[\"i0\"]={\"t\":\"0chairing,0help,0intro,0question,0scaling\""
            ),
            "{shard}"
        );
        let d = text_of(&files[1]);
        assert!(d.contains("\"x\":[[-1,\"Intro.\"],[0,\"questions help.\"]]"), "{d}");
        assert!(text_of(&files[2]).contains("\"shards\":[\"\"]"));
    }

    #[test]
    fn big_indexes_are_split_into_shards_by_first_letters() {
        let text: String = (0..20000).map(|i| format!("w{:x}{} ", i % 7, i)).collect();
        let docs = vec![doc("a.html", "A", "", &text)];
        let files = files(&docs);
        let shards = files.iter().filter(|f| f.path.contains("/i")).count();
        assert!(shards > 1, "{shards}");
        let manifest = text_of(files.last().unwrap());
        assert!(manifest.contains("\"shards\":[\"\",\"w"), "{manifest}");
    }
}
