//! The search index stays small: for the default handbook, the index a
//! browser loads to search is at most 30% of the text of the whole site.

mod common;
use common::*;

#[test]
fn the_index_is_at_most_30_percent_of_the_sites_text() {
    let site = build(&repo(), "2026-12-01");
    let all = files(&site);
    // Course packs repeat pages' text, so they are left out: a stricter measure.
    let text: usize = all
        .iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("packs/"))
        .map(|f| visible_text(&read(&site, f)).len())
        .sum();
    let size = |f: &String| std::fs::metadata(site.join(f)).unwrap().len() as usize;
    let index: usize = all.iter().filter(|f| *f == "assets/search-index.js" || f.starts_with("assets/search/i")).map(size).sum();
    let docs: usize = all.iter().filter(|f| f.starts_with("assets/search/d")).map(size).sum();
    let percent = index as f64 * 100.0 / text as f64;
    println!(
        "site text {text} bytes; search index {index} bytes ({percent:.1}%); result texts {docs} bytes, loaded only for results shown"
    );
    assert!(text > 50_000, "the default handbook has real text: {text}");
    assert!(percent <= 30.0, "index is {percent:.1}% of the site's text");
}

#[test]
fn the_index_covers_pages_the_glossary_forms_and_decision_trees() {
    let site = build(&test_handbook(), "2026-12-01");
    let all = files(&site);
    let docs: Vec<String> = all.iter().filter(|f| f.starts_with("assets/search/d")).map(|f| read(&site, f)).collect();
    let urls: Vec<&str> = docs.iter().map(|d| between(d, "\"u\":\"", "\"")[0]).collect();
    for url in [
        "index.html",
        "team-around-the-family/chairing.html",
        "glossary.html",
        "forms/early-help-assessment.html",
        "decisions/lead-professional/index.html",
    ] {
        assert!(urls.contains(&url), "{url} is searchable: {urls:?}");
    }
    let manifest = read(&site, "assets/search-index.js");
    assert!(manifest.starts_with("(self.handbookSearch=self.handbookSearch||{})[\"index\"]="));
    assert!(manifest.contains(&format!("\"docs\":{}", docs.len())));
    // Glossary entries are headings of the glossary document, so a result opens at the term.
    let glossary = docs.iter().find(|d| d.contains("\"u\":\"glossary.html\"")).unwrap();
    assert!(glossary.contains("[\"taf\",\"TAF (Team Around the Family)\"]"));
}
