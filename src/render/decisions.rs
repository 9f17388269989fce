//! Decision tree pages: one page per question and per outcome, linked by
//! ordinary links so a tree works with JavaScript off; an overview of the
//! whole tree, the levels-of-need matrix, the Graphviz file and the list of
//! trees. Outcome links to guidance are checked here, once every page is known.

use super::{OutputFile, Renderer};
use crate::decisions::{Markdown, Node, Outcome, OutcomeLink, Question, Tree};
use crate::diagnostics::Diagnostic;
use crate::markdown::{AnchorLink, LinkTargets, Rendered, render_snippet};
use crate::search::SearchDoc;
use serde::Serialize;

/// The list of every decision tree.
pub const INDEX_URL: &str = "decisions/index.html";
/// The nav and breadcrumb title of the list of trees.
pub const SECTION_TITLE: &str = "Decision guides";

/// Every decision page. The Markdown of each tree, and its outcome links,
/// are added to `rendered` so their links and anchors are checked with
/// everything else.
pub fn render<'a>(r: &Renderer<'a>, rendered: &mut Vec<(&'a str, Rendered)>) -> Vec<Result<OutputFile, Diagnostic>> {
    let trees = &r.site.trees.trees;
    if trees.is_empty() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    for tree in trees {
        let (mut tree_files, summary) = render_tree(r, tree, rendered);
        files.append(&mut tree_files);
        summaries.push(summary);
    }
    let chrome = r.chrome(INDEX_URL, SECTION_TITLE, None);
    files.push(r.page("decisions-index.html", &chrome, &IndexPage { title: SECTION_TITLE, trees: summaries }));
    files
}

#[derive(Serialize)]
struct IndexPage<'a> {
    title: &'a str,
    trees: Vec<TreeSummary<'a>>,
}

#[derive(Serialize)]
struct TreeSummary<'a> {
    title: &'a str,
    url: String,
    overview_url: String,
    levels_url: Option<String>,
    /// The intro's first paragraph.
    summary: Option<String>,
    questions: usize,
    outcomes: usize,
}

/// What every page of a tree shows about the tree.
#[derive(Serialize)]
struct TreeInfo<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    overview_url: String,
    levels_url: Option<String>,
    notice: Option<&'a str>,
}

#[derive(Serialize)]
struct Link {
    text: String,
    url: String,
}

#[derive(Serialize)]
struct QuestionPage<'a> {
    tree: &'a TreeInfo<'a>,
    id: &'a str,
    text: &'a str,
    is_start: bool,
    intro: Option<&'a str>,
    help: Option<&'a str>,
    answers: Vec<AnswerLink<'a>>,
    /// The question(s) before this one: one is a plain Back link; more are
    /// offered as a choice, since a static page cannot know which was used.
    back: Vec<Link>,
}

#[derive(Serialize)]
struct AnswerLink<'a> {
    label: &'a str,
    next: &'a str,
    url: String,
}

#[derive(Serialize)]
struct OutcomePage<'a> {
    tree: &'a TreeInfo<'a>,
    id: &'a str,
    title: &'a str,
    level: Option<&'a str>,
    lead: Option<&'a str>,
    body: Option<&'a str>,
    links: Vec<Link>,
    back: Vec<Link>,
}

#[derive(Serialize)]
struct OverviewPage<'a> {
    tree: &'a TreeInfo<'a>,
    intro: Option<&'a str>,
    questions: Vec<OverviewQuestion<'a>>,
}

#[derive(Serialize)]
struct OverviewQuestion<'a> {
    number: usize,
    anchor: String,
    text: &'a str,
    url: String,
    help: Option<&'a str>,
    answers: Vec<OverviewAnswer<'a>>,
}

#[derive(Serialize)]
struct OverviewAnswer<'a> {
    label: &'a str,
    /// Set when the answer leads to another question.
    question: Option<OverviewTarget<'a>>,
    /// Set when the answer leads to an outcome.
    outcome: Option<OverviewOutcome<'a>>,
}

#[derive(Serialize)]
struct OverviewTarget<'a> {
    number: usize,
    anchor: String,
    text: &'a str,
}

#[derive(Serialize)]
struct OverviewOutcome<'a> {
    title: &'a str,
    url: String,
    level: Option<&'a str>,
    lead: Option<&'a str>,
}

#[derive(Serialize)]
struct LevelsPage<'a> {
    tree: &'a TreeInfo<'a>,
    title: &'a str,
    levels: Vec<LevelRow<'a>>,
}

#[derive(Serialize)]
struct LevelRow<'a> {
    number: i64,
    name: &'a str,
    description: Option<String>,
    development: &'a [String],
    parenting: &'a [String],
    environment: &'a [String],
}

/// The pages of one tree, and its line on the list of trees.
fn render_tree<'a>(
    r: &Renderer<'a>,
    tree: &'a Tree,
    rendered: &mut Vec<(&'a str, Rendered)>,
) -> (Vec<Result<OutputFile, Diagnostic>>, TreeSummary<'a>) {
    let source = tree.source.as_str();
    let start_url = tree.url();
    // Every page of a tree sits in one folder, so each piece of Markdown is
    // rendered once, relative to the start page, and used on any of them.
    let mut md = |m: &Markdown, url: &str| -> String {
        let out = render_snippet(&m.text, source, &tree.text, m.offset, url, &r.targets);
        let html = out.html.clone();
        rendered.push((source, out));
        html
    };
    let intro = tree.intro.as_ref().map(|m| md(m, &start_url));
    let help: Vec<Option<String>> = tree.questions.iter().map(|q| q.help.as_ref().map(|m| md(m, &start_url))).collect();
    let bodies: Vec<Option<String>> = tree.outcomes.iter().map(|o| o.body.as_ref().map(|m| md(m, &start_url))).collect();
    let descriptions: Vec<Option<String>> =
        tree.levels.iter().map(|l| l.description.as_ref().map(|m| md(m, &start_url))).collect();
    let summary = tree.intro.as_ref().map(|m| {
        let first = m.text.trim_start().split("\n\n").next().unwrap_or("");
        let skipped = m.text.len() - m.text.trim_start().len();
        md(&Markdown { text: first.to_string(), offset: m.offset + skipped }, INDEX_URL)
    });

    let mut links_checked = Rendered::default();
    let outcome_links: Vec<Vec<Link>> = tree
        .outcomes
        .iter()
        .map(|o| {
            o.links
                .iter()
                .filter_map(|l| Some(Link { text: l.text.clone(), url: resolve_link(l, &r.targets, &mut links_checked)? }))
                .collect()
        })
        .collect();
    rendered.push((source, links_checked));

    let info = TreeInfo {
        id: &tree.id,
        title: &tree.title,
        url: start_url.clone(),
        overview_url: tree.overview_url(),
        levels_url: tree.levels_url(),
        notice: tree.notice.as_deref(),
    };
    let back = |id: &str| -> Vec<Link> {
        tree.parents(id).iter().map(|q: &&Question| Link { text: q.text.clone(), url: tree.node_url(&q.id) }).collect()
    };

    let mut files = Vec::new();
    for (q, help) in tree.questions.iter().zip(&help) {
        let url = tree.node_url(&q.id);
        let is_start = q.id == tree.start;
        let title = format!("{} - {}", q.text, tree.title);
        let chrome = r.chrome(&url, &title, Some(&start_url));
        let data = QuestionPage {
            tree: &info,
            id: &q.id,
            text: &q.text,
            is_start,
            intro: if is_start { intro.as_deref() } else { None },
            help: help.as_deref(),
            answers: q
                .answers
                .iter()
                .map(|a| AnswerLink { label: &a.label, next: &a.next, url: tree.node_url(&a.next) })
                .collect(),
            back: back(&q.id),
        };
        files.push(r.page("decision-question.html", &chrome, &data));
    }
    for ((o, body), links) in tree.outcomes.iter().zip(&bodies).zip(outcome_links) {
        let url = tree.node_url(&o.id);
        let title = format!("{} - {}", o.title, tree.title);
        let chrome = r.chrome(&url, &title, Some(&start_url));
        let data = OutcomePage {
            tree: &info,
            id: &o.id,
            title: &o.title,
            level: o.level.as_deref(),
            lead: o.lead.as_deref(),
            body: body.as_deref(),
            links,
            back: back(&o.id),
        };
        files.push(r.page("decision-outcome.html", &chrome, &data));
    }

    // The overview: every question, numbered in reading order, with where each answer leads.
    let order = tree.questions_in_order();
    let numbers: std::collections::HashMap<&str, usize> =
        order.iter().enumerate().rev().map(|(i, q)| (q.id.as_str(), i + 1)).collect();
    let number_of = |id: &str| numbers.get(id).copied().unwrap_or(0);
    let help_of = |id: &str| tree.question_index(id).and_then(|i| help[i].as_deref());
    let questions = order
        .iter()
        .enumerate()
        .map(|(i, q)| OverviewQuestion {
            number: i + 1,
            anchor: format!("q-{}", q.id),
            text: &q.text,
            url: tree.node_url(&q.id),
            help: help_of(&q.id),
            answers: q
                .answers
                .iter()
                .map(|a| match tree.node(&a.next) {
                    Some(Node::Question(next)) => OverviewAnswer {
                        label: &a.label,
                        question: Some(OverviewTarget {
                            number: number_of(&next.id),
                            anchor: format!("q-{}", next.id),
                            text: &next.text,
                        }),
                        outcome: None,
                    },
                    Some(Node::Outcome(o)) => {
                        OverviewAnswer { label: &a.label, question: None, outcome: Some(overview_outcome(tree, o)) }
                    }
                    None => OverviewAnswer { label: &a.label, question: None, outcome: None },
                })
                .collect(),
        })
        .collect();
    let overview_url = tree.overview_url();
    let title = format!("All questions - {}", tree.title);
    let chrome = r.chrome(&overview_url, &title, Some(&start_url));
    files.push(r.page("decision-overview.html", &chrome, &OverviewPage { tree: &info, intro: intro.as_deref(), questions }));

    if let Some(levels_url) = tree.levels_url() {
        let levels = tree
            .levels
            .iter()
            .zip(descriptions)
            .map(|(l, description)| LevelRow {
                number: l.number,
                name: &l.name,
                description,
                development: &l.development,
                parenting: &l.parenting,
                environment: &l.environment,
            })
            .collect();
        let title = format!("Levels of need - {}", tree.title);
        let chrome = r.chrome(&levels_url, &title, Some(&start_url));
        files.push(r.page("decision-levels.html", &chrome, &LevelsPage { tree: &info, title: "Levels of need", levels }));
    }

    files.push(Ok(OutputFile::bytes(tree.dot_url(), tree.to_dot())));

    let summary = TreeSummary {
        title: &tree.title,
        url: start_url,
        overview_url,
        levels_url: tree.levels_url(),
        summary,
        questions: tree.questions.len(),
        outcomes: tree.outcomes.len(),
    };
    (files, summary)
}

fn overview_outcome<'a>(tree: &Tree, o: &'a Outcome) -> OverviewOutcome<'a> {
    OverviewOutcome { title: &o.title, url: tree.node_url(&o.id), level: o.level.as_deref(), lead: o.lead.as_deref() }
}

/// The site-relative URL (with any `#anchor`) an outcome link goes to, or
/// an error at the link's line. Anchors are added to `out` to be checked
/// against the target page's headings.
pub fn resolve_link(link: &OutcomeLink, targets: &LinkTargets, out: &mut Rendered) -> Option<String> {
    let href = link.href.as_str();
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    if path.is_empty() || path.contains("://") || path.starts_with("mailto:") || path.starts_with('/') || path.starts_with("..") {
        out.diagnostics.push(link.at.error(format!(
            "link `{href}`: write the path of a page or form relative to the handbook folder, such as `content/thresholds/index.md` or `forms/early-help-assessment.toml`"
        )));
        return None;
    }
    let path = path.trim_start_matches("./").trim_end_matches('/');
    let Some(url) = targets.by_source.get(path) else {
        let hint = if path.ends_with(".html") { "; link to the source file (`.md` or `.toml`) instead" } else { "" };
        out.diagnostics.push(link.at.error(format!("broken link `{href}`: there is no `{path}` in this handbook{hint}")));
        return None;
    };
    let mut url = url.clone();
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.anchors.push(AnchorLink { target: url.clone(), fragment: f.to_string(), at: link.at.clone() });
        url.push('#');
        url.push_str(f);
    }
    Some(url)
}

/// Search entries: each tree (its intro and questions) and each outcome
/// page (who leads, at what level, and why), so a search for "care leaver"
/// can land on the answer itself.
pub fn search_docs(r: &Renderer) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for tree in &r.site.trees.trees {
        let mut text = String::new();
        let line = |text: &mut String, s: &str| {
            text.push_str(s.trim());
            text.push('\n');
        };
        if let Some(intro) = &tree.intro {
            line(&mut text, &intro.text);
        }
        for q in tree.questions_in_order() {
            line(&mut text, &q.text);
            if let Some(help) = &q.help {
                line(&mut text, &help.text);
            }
        }
        docs.push(SearchDoc {
            url: tree.url(),
            title: tree.title.clone(),
            section: SECTION_TITLE.into(),
            text,
            ..Default::default()
        });
        for o in &tree.outcomes {
            let mut text = String::new();
            for part in [o.level.as_deref(), o.lead.as_deref(), o.body.as_ref().map(|b| b.text.as_str())].into_iter().flatten() {
                line(&mut text, part);
            }
            docs.push(SearchDoc {
                url: tree.node_url(&o.id),
                title: o.title.clone(),
                section: format!("{SECTION_TITLE} › {}", tree.title),
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
    use crate::diagnostics::Location;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        for (s, u) in [
            ("content/thresholds/index.md", "thresholds/index.html"),
            ("forms/early-help-assessment.toml", "forms/early-help-assessment.html"),
        ] {
            t.by_source.insert(s.into(), u.into());
            t.outputs.insert(u.into());
        }
        t
    }

    fn link(href: &str, line: usize) -> OutcomeLink {
        OutcomeLink { text: "A page".into(), href: href.into(), at: Location::new("forms/decisions/t.toml", line, 12) }
    }

    #[test]
    fn outcome_links_go_to_pages_and_forms() {
        let mut out = Rendered::default();
        assert_eq!(
            resolve_link(&link("content/thresholds/index.md", 4), &targets(), &mut out).as_deref(),
            Some("thresholds/index.html")
        );
        assert_eq!(
            resolve_link(&link("forms/early-help-assessment.toml", 5), &targets(), &mut out).as_deref(),
            Some("forms/early-help-assessment.html")
        );
        assert_eq!(
            resolve_link(&link("content/thresholds/index.md#levels", 6), &targets(), &mut out).as_deref(),
            Some("thresholds/index.html#levels")
        );
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.anchors.len(), 1);
        assert_eq!(
            (out.anchors[0].target.as_str(), out.anchors[0].fragment.as_str(), out.anchors[0].at.line),
            ("thresholds/index.html", "levels", 6)
        );
    }

    #[test]
    fn outcome_link_to_a_missing_page_is_an_error_at_its_line() {
        let mut out = Rendered::default();
        assert_eq!(resolve_link(&link("content/thresholds/missing.md", 42), &targets(), &mut out), None);
        assert_eq!(resolve_link(&link("../content/thresholds/index.md", 43), &targets(), &mut out), None);
        let found: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 2);
        assert!(
            found[0].starts_with("forms/decisions/t.toml:42:12: error: broken link `content/thresholds/missing.md`"),
            "{found:?}"
        );
        assert!(found[1].starts_with("forms/decisions/t.toml:43:12: error: link `../content"), "{found:?}");
    }
}
