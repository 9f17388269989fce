//! Decision tree pages: one page per question and per outcome, linked by
//! ordinary links so a tree works with JavaScript off; an overview of the
//! whole tree, the levels-of-need matrix, the Graphviz file and the list of
//! trees. Outcome links to guidance were resolved and checked before.

use super::{OutputFile, Renderer};
use crate::decisions::{Node, Outcome, Question, Tree};
use crate::diagnostics::Diagnostic;
use crate::paths;
use serde::Serialize;

/// Every decision page.
pub fn render(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let trees = &r.site.trees.trees;
    if trees.is_empty() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        let (mut tree_files, summary) = render_tree(r, tree, i);
        files.append(&mut tree_files);
        summaries.push(summary);
    }
    let title = r.title(paths::DECISIONS_INDEX);
    let chrome = r.chrome(paths::DECISIONS_INDEX, title, None);
    files.push(r.page("decisions-index.html", &chrome, &IndexPage { title, trees: summaries }));
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

/// The pages of one tree (the `index`th), and its line on the list of trees.
fn render_tree<'a>(r: &Renderer<'a>, tree: &'a Tree, index: usize) -> (Vec<Result<OutputFile, Diagnostic>>, TreeSummary<'a>) {
    let start_url = tree.url();
    let md = |m: &crate::markdown::Snippet| r.compiled.html(m);
    let intro = tree.intro.as_ref().map(md);
    let help: Vec<Option<String>> = tree.questions.iter().map(|q| q.help.as_ref().map(md)).collect();
    let bodies: Vec<Option<String>> = tree.outcomes.iter().map(|o| o.body.as_ref().map(md)).collect();
    let descriptions: Vec<Option<String>> = tree.levels.iter().map(|l| l.description.as_ref().map(md)).collect();
    let summary = r.compiled.tree_summaries[index].as_ref().map(|b| b.html.clone());
    let links = &r.compiled.tree_links[index].urls;
    let outcome_links: Vec<Vec<Link>> = tree
        .outcomes
        .iter()
        .zip(links)
        .map(|(o, urls)| {
            o.links.iter().zip(urls).filter_map(|(l, url)| Some(Link { text: l.text.clone(), url: url.clone()? })).collect()
        })
        .collect();

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
    let title = r.site.strings.fill("titles.tree_overview", &[("tree", &tree.title)]);
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
        let title = r.site.strings.fill("titles.tree_levels", &[("tree", &tree.title)]);
        let chrome = r.chrome(&levels_url, &title, Some(&start_url));
        let heading = r.site.strings.get("titles.levels");
        files.push(r.page("decision-levels.html", &chrome, &LevelsPage { tree: &info, title: heading, levels }));
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
