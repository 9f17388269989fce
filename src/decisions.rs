//! forms/decisions/*.toml: threshold decision trees (who should be the Lead
//! Professional, what level of need). Loading checks each tree on its own:
//! every answer leads to a node that exists, every node can be reached from
//! `start`, no path loops, so every path ends at an outcome. Links from
//! outcomes to guidance are checked later, in `crate::check`, once every
//! page is known.

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location, parse_toml_lenient};
use crate::markdown::Snippet;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use toml::Spanned;

/// A tree's ids are slugs: they name its folder and its pages.
fn is_slug(s: &str) -> bool {
    crate::text::is_id(s, true)
}

/// Where decision trees live, relative to the handbook folder.
pub const DIR: &str = "forms/decisions";

/// Node ids that would clash with the pages every tree has.
const RESERVED: [&str; 3] = ["index", "overview", "levels"];

/// Every checked tree of the handbook, in file-name order.
#[derive(Debug, Default)]
pub struct Trees {
    pub trees: Vec<Tree>,
    /// Files with errors, with the start page they would make: links to
    /// them still resolve, so their own errors are not repeated.
    pub unreadable: Vec<(String, String)>,
}

/// One decision tree, checked: safe to walk without meeting a loop or a dead end.
#[derive(Debug, Clone)]
pub struct Tree {
    /// `forms/decisions/<file>.toml`
    pub source: String,
    pub id: String,
    pub title: String,
    pub intro: Option<Markdown>,
    /// Id of the first question.
    pub start: String,
    /// Shown on every page of the tree (a safeguarding warning).
    pub notice: Option<String>,
    pub questions: Vec<Question>,
    pub outcomes: Vec<Outcome>,
    pub levels: Vec<Level>,
    /// Nodes by id and who leads to them, made once by `parse`.
    lookup: NodeIndex,
}

/// Where each question and outcome is, by id, and which questions lead to
/// each id: a tree may have thousands of nodes, and every walk over it
/// looks nodes up at each step.
#[derive(Debug, Clone, Default)]
struct NodeIndex {
    /// The first question, and the first outcome, with each id.
    questions: HashMap<String, usize>,
    outcomes: HashMap<String, usize>,
    /// For each id, the questions with an answer leading to it, each once, in file order.
    parents: HashMap<String, Vec<usize>>,
}

impl NodeIndex {
    fn new(questions: &[Question], outcomes: &[Outcome]) -> NodeIndex {
        let mut index = NodeIndex::default();
        for (i, q) in questions.iter().enumerate() {
            index.questions.entry(q.id.clone()).or_insert(i);
            for a in &q.answers {
                let parents = index.parents.entry(a.next.clone()).or_default();
                if parents.last() != Some(&i) {
                    parents.push(i);
                }
            }
        }
        for (i, o) in outcomes.iter().enumerate() {
            index.outcomes.entry(o.id.clone()).or_insert(i);
        }
        index
    }
}

/// Markdown inside a tree file.
pub type Markdown = Snippet;

/// A question page: the question is the page's h1, each answer a link.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: Option<Markdown>,
    pub answers: Vec<Answer>,
    pub at: Location,
}

/// One choice on a question page, leading to the next page.
#[derive(Debug, Clone)]
pub struct Answer {
    pub label: String,
    /// Id of the question or outcome it leads to.
    pub next: String,
    /// The line of `next`.
    pub at: Location,
}

/// Where a path ends: the level of need and who should lead, with the reasons.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub level: Option<String>,
    /// Who takes the Lead Professional role.
    pub lead: Option<String>,
    pub body: Option<Markdown>,
    pub links: Vec<OutcomeLink>,
    pub at: Location,
}

/// A link from an outcome to a page or form: `href` is a path relative to
/// the handbook folder, optionally with `#anchor`.
#[derive(Debug, Clone)]
pub struct OutcomeLink {
    pub text: String,
    pub href: String,
    /// The line of `href`.
    pub at: Location,
}

/// A row of the levels-of-need matrix.
#[derive(Debug, Clone)]
pub struct Level {
    pub number: i64,
    pub name: String,
    pub description: Option<Markdown>,
    /// The child's developmental needs.
    pub development: Vec<String>,
    pub parenting: Vec<String>,
    /// Family and environmental factors.
    pub environment: Vec<String>,
}

/// A question or an outcome, found by id.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Question(&'a Question),
    Outcome(&'a Outcome),
}

/// One way through a tree: the answer labels chosen, and the outcome reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route<'a> {
    pub answers: Vec<&'a str>,
    pub outcome: &'a str,
}

impl Tree {
    /// The tree's start question: the page links to the tree go to.
    pub fn url(&self) -> String {
        crate::paths::tree(&self.id)
    }

    /// The folder every page of the tree sits in.
    pub fn folder(&self) -> String {
        crate::paths::tree_folder(&self.id)
    }

    /// The page of a question or outcome; the start question's page is the tree's index.
    pub fn node_url(&self, id: &str) -> String {
        if id == self.start { self.url() } else { format!("{}{id}.html", self.folder()) }
    }

    /// The whole tree on one page, for reviewers and for printing.
    pub fn overview_url(&self) -> String {
        format!("{}overview.html", self.folder())
    }

    /// The levels-of-need matrix, for a tree that has levels.
    pub fn levels_url(&self) -> Option<String> {
        (!self.levels.is_empty()).then(|| format!("{}levels.html", self.folder()))
    }

    /// The Graphviz file reviewers draw the tree from.
    pub fn dot_url(&self) -> String {
        format!("{}tree.dot", self.folder())
    }

    /// Answers may lead to either kind of node, so lookups go through this.
    pub fn node(&self, id: &str) -> Option<Node<'_>> {
        self.question(id).map(Node::Question).or_else(|| self.outcome(id).map(Node::Outcome))
    }

    /// The first question with this id (looked up in the tree's index).
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.question_index(id).map(|i| &self.questions[i])
    }

    /// Where the question with this id is in `questions`.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.lookup.questions.get(id).copied().filter(|&i| self.questions.get(i).is_some_and(|q| q.id == id))
    }

    /// See `question`.
    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.lookup.outcomes.get(id).and_then(|&i| self.outcomes.get(i)).filter(|o| o.id == id)
    }

    /// The questions with an answer leading to `id`, each once, in file order.
    pub fn parents(&self, id: &str) -> Vec<&Question> {
        self.lookup.parents.get(id).map(|qs| qs.iter().filter_map(|&i| self.questions.get(i)).collect()).unwrap_or_default()
    }

    /// The questions in the order a reader meets them: depth first from
    /// `start`, following answers in order. Used to number the overview.
    pub fn questions_in_order(&self) -> Vec<&Question> {
        let mut seen = HashSet::new();
        let mut order = Vec::new();
        let mut stack = vec![self.start.as_str()];
        while let Some(id) = stack.pop() {
            let Some(q) = self.question(id) else { continue };
            if !seen.insert(id) {
                continue;
            }
            order.push(q);
            stack.extend(q.answers.iter().rev().map(|a| a.next.as_str()));
        }
        order
    }

    /// Follows answer labels from `start`; the id of the node reached.
    pub fn follow(&self, labels: &[&str]) -> Result<&str, String> {
        let mut here = self.start.as_str();
        for label in labels {
            let q = self.question(here).ok_or_else(|| format!("`{here}` is an outcome, so `{label}` cannot be answered"))?;
            let a = q.answers.iter().find(|a| a.label == *label).ok_or_else(|| {
                let labels: Vec<&str> = q.answers.iter().map(|a| a.label.as_str()).collect();
                format!("question `{here}` has no answer `{label}`; its answers are: {}", labels.join(" | "))
            })?;
            here = &a.next;
        }
        Ok(here)
    }

    /// Every route from `start` to an outcome. Only for checked trees (no
    /// loops); the number of routes grows with the tree, so this is for
    /// tests and reviewers, not for every build.
    pub fn routes(&self) -> Vec<Route<'_>> {
        // Depth first with a stack of (question, next answer to follow), not
        // recursion: a tree may be a chain thousands of questions long.
        let mut out = Vec::new();
        let mut labels: Vec<&str> = Vec::new();
        let mut stack: Vec<(&Question, usize)> = Vec::new();
        match self.node(&self.start) {
            Some(Node::Outcome(o)) => out.push(Route { answers: Vec::new(), outcome: &o.id }),
            Some(Node::Question(q)) => stack.push((q, 0)),
            None => {}
        }
        while let Some((q, next)) = stack.last_mut() {
            let Some(a) = q.answers.get(*next) else {
                stack.pop();
                labels.pop();
                continue;
            };
            *next += 1;
            match self.node(&a.next) {
                Some(Node::Outcome(o)) => {
                    let mut answers = labels.clone();
                    answers.push(&a.label);
                    out.push(Route { answers, outcome: &o.id });
                }
                Some(Node::Question(q)) => {
                    labels.push(&a.label);
                    stack.push((q, 0));
                }
                None => {}
            }
        }
        out
    }

    /// The tree as a Graphviz graph, for reviewers: `dot -Tsvg tree.dot`.
    pub fn to_dot(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "// {} ({})", self.title.replace('\n', " "), self.source);
        let _ = writeln!(s, "// Draw it with: dot -Tsvg tree.dot -o tree.svg");
        let _ = writeln!(s, "digraph {} {{", dot_string(&self.id));
        let _ = writeln!(s, "  label={};", dot_string(&self.title));
        s.push_str(
            "  labelloc=t;\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        );
        for q in &self.questions {
            let shape = if q.id == self.start { "box, peripheries=2" } else { "box" };
            let _ =
                writeln!(s, "  {} [shape={shape}, style=rounded, label={}];", dot_string(&q.id), dot_string(&wrap(&q.text, 32)));
        }
        for o in &self.outcomes {
            let mut label = wrap(&o.title, 32);
            if let Some(level) = &o.level {
                label.push_str("\n\n");
                label.push_str(&wrap(level, 32));
            }
            let _ = writeln!(
                s,
                "  {} [shape=note, style=filled, fillcolor=\"#e8f1fb\", label={}];",
                dot_string(&o.id),
                dot_string(&label)
            );
        }
        for q in &self.questions {
            for a in &q.answers {
                let _ = writeln!(
                    s,
                    "  {} -> {} [label={}];",
                    dot_string(&q.id),
                    dot_string(&a.next),
                    dot_string(&wrap(&a.label, 24))
                );
            }
        }
        s.push_str("}\n");
        s
    }
}

/// A double-quoted DOT string.
fn dot_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Breaks text into lines of about `width` characters for graph labels.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

// ------------------------------------------------------------------ file format

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TreeFile {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    intro: Option<Spanned<String>>,
    start: Option<Spanned<String>>,
    notice: Option<Spanned<String>>,
    #[serde(default)]
    question: Vec<QuestionFile>,
    #[serde(default)]
    outcome: Vec<OutcomeFile>,
    #[serde(default)]
    level: Vec<LevelFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: Spanned<String>,
    text: Spanned<String>,
    help: Option<Spanned<String>>,
    #[serde(default)]
    answer: Vec<AnswerFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerFile {
    label: Spanned<String>,
    next: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeFile {
    id: Spanned<String>,
    title: Spanned<String>,
    level: Option<String>,
    lead: Option<String>,
    body: Option<Spanned<String>>,
    #[serde(default)]
    links: Vec<LinkFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkFile {
    text: Spanned<String>,
    href: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelFile {
    number: Spanned<i64>,
    name: String,
    description: Option<Spanned<String>>,
    #[serde(default)]
    development: Vec<String>,
    #[serde(default)]
    parenting: Vec<String>,
    #[serde(default)]
    environment: Vec<String>,
}

/// Reads every forms/decisions/*.toml. Trees with problems are left out
/// and their problems reported; so are clashing tree ids.
pub fn load(files: Vec<crate::files::SourceFile>, sink: &mut Diagnostics) -> Trees {
    let mut trees = Trees::default();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (source, text) in crate::files::texts(files, sink) {
        let name = source.rsplit('/').next().unwrap_or(&source);
        let stem = name.strip_suffix(".toml").unwrap_or(name).to_string();
        let text_for_links = text.clone();
        match parse(&source, &stem, text) {
            Ok(tree) => {
                if let Some(other) = ids.insert(tree.id.to_lowercase(), source.clone()) {
                    sink.push(Location::new(&source, 1, 1).error(format!(
                        "the decision tree id `{}` is also used by {other}; both would be written to site/decisions/{}/",
                        tree.id, tree.id
                    )));
                    continue;
                }
                trees.trees.push(tree);
            }
            Err(mut e) => {
                sink.append(&mut e);
                let id = crate::files::declared_id(&text_for_links, &source);
                trees.unreadable.push((source.clone(), crate::paths::tree(&id)));
            }
        }
    }
    trees
}

/// Parses and checks one tree file. `stem` (the file name) is the id when
/// the file gives none. Every problem is returned, each at its line.
pub fn parse(source: &str, stem: &str, text: String) -> Result<Tree, Vec<Diagnostic>> {
    let (file, early) = parse_toml_lenient::<TreeFile>(source, &text, 0, &text);
    let Some(file) = file else { return Err(early) };
    let index = LineIndex::new(&text);
    let at = |span: std::ops::Range<usize>| index.location(source, span.start);
    let md = |s: Spanned<String>| Markdown::from_toml(source, &index, &text, s);
    // Unknown keys, reported beside whatever else is wrong.
    let mut errors = early;

    let id = match &file.id {
        Some(id) => {
            if !is_slug(id.get_ref()) {
                errors.push(at(id.span()).error(format!(
                    "the tree id `{}` must be lower-case letters, digits and hyphens, as it names the folder site/decisions/<id>/",
                    id.get_ref()
                )));
            }
            id.get_ref().clone()
        }
        None => {
            if !is_slug(stem) {
                errors.push(Location::new(source, 1, 1).error(format!(
                    "the file name `{stem}` cannot be used as the tree's id; add `id = \"...\"` with lower-case letters, digits and hyphens"
                )));
            }
            stem.to_string()
        }
    };
    let title = match file.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner().trim().to_string(),
        Some(t) => {
            errors.push(at(t.span()).error("the tree's `title` is empty; give the question the tree answers"));
            String::new()
        }
        None => {
            errors.push(Location::new(source, 1, 1).error("this decision tree has no `title`; add `title = \"...\"` at the top"));
            String::new()
        }
    };
    let notice = file.notice.map(|n| n.into_inner().trim().to_string()).filter(|n| !n.is_empty());
    let intro = file.intro.map(md);

    // Nodes: ids unique across questions and outcomes, and usable as file names.
    let mut first_at: HashMap<String, Location> = HashMap::new();
    let mut check_id = |id: &Spanned<String>, errors: &mut Vec<Diagnostic>| {
        let here = at(id.span());
        let name = id.get_ref();
        if !is_slug(name) {
            errors.push(here.error(format!(
                "the id `{name}` must be lower-case letters, digits and hyphens, as it names the page {name}.html"
            )));
        } else if RESERVED.contains(&name.as_str()) {
            errors.push(here.error(format!(
                "the id `{name}` is kept for a page every tree has ({}); choose another id",
                RESERVED.map(|r| format!("{r}.html")).join(", ")
            )));
        }
        if let Some(first) = first_at.get(name) {
            errors.push(here.error(format!(
                "the id `{name}` is already used at line {}; every question and outcome needs its own id",
                first.line
            )));
        } else {
            first_at.insert(name.clone(), here);
        }
    };

    let mut questions = Vec::new();
    for q in file.question {
        check_id(&q.id, &mut errors);
        let q_at = at(q.id.span());
        if q.text.get_ref().trim().is_empty() {
            errors.push(
                at(q.text.span()).error(format!("the question `{}` has no `text`; write the question to ask", q.id.get_ref())),
            );
        }
        if q.answer.is_empty() {
            errors.push(q_at.error(format!(
                "the question `{}` has no answers, so it is a dead end; add `[[question.answer]]` entries with `label` and `next`",
                q.id.get_ref()
            )));
        }
        let mut labels: HashMap<String, usize> = HashMap::new();
        let mut answers = Vec::new();
        for a in q.answer {
            let label = a.label.get_ref().trim().to_string();
            let label_at = at(a.label.span());
            if label.is_empty() {
                errors.push(label_at.error("this answer has an empty `label`; write the words the reader chooses"));
            } else if let Some(line) = labels.insert(label.clone(), label_at.line) {
                errors.push(
                    label_at.error(format!(
                        "the answer `{label}` is already given at line {line} of this question; labels must differ"
                    )),
                );
            }
            answers.push(Answer { label, next: a.next.get_ref().clone(), at: at(a.next.span()) });
        }
        questions.push(Question {
            id: q.id.get_ref().clone(),
            text: q.text.get_ref().trim().to_string(),
            help: q.help.map(md).filter(|h| !h.text.trim().is_empty()),
            answers,
            at: q_at,
        });
    }

    let mut outcomes = Vec::new();
    for o in file.outcome {
        check_id(&o.id, &mut errors);
        if o.title.get_ref().trim().is_empty() {
            errors.push(at(o.title.span()).error(format!("the outcome `{}` has an empty `title`", o.id.get_ref())));
        }
        let links = o
            .links
            .into_iter()
            .map(|l| {
                if l.text.get_ref().trim().is_empty() {
                    errors.push(at(l.text.span()).error("this link has empty `text`; give the title of the page it goes to"));
                }
                OutcomeLink {
                    text: l.text.get_ref().trim().to_string(),
                    href: l.href.get_ref().trim().to_string(),
                    at: at(l.href.span()),
                }
            })
            .collect();
        outcomes.push(Outcome {
            id: o.id.get_ref().clone(),
            title: o.title.get_ref().trim().to_string(),
            level: o.level.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            lead: o.lead.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            body: o.body.map(md).filter(|b| !b.text.trim().is_empty()),
            links,
            at: at(o.id.span()),
        });
    }

    let mut numbers: HashMap<i64, usize> = HashMap::new();
    let mut levels = Vec::new();
    for l in file.level {
        let n_at = at(l.number.span());
        let n = *l.number.get_ref();
        if let Some(line) = numbers.insert(n, n_at.line) {
            errors.push(n_at.error(format!("level {n} is already described at line {line}")));
        }
        levels.push(Level {
            number: n,
            name: l.name.trim().to_string(),
            description: l.description.map(md),
            development: l.development,
            parenting: l.parenting,
            environment: l.environment,
        });
    }
    levels.sort_by_key(|l| l.number);

    let start = match file.start {
        None => {
            errors.push(Location::new(source, 1, 1).error(
                "this decision tree has no `start`; add `start = \"<id>\"` naming the first question, near the top of the file",
            ));
            None
        }
        Some(s) => {
            let name = s.get_ref();
            let s_at = at(s.span());
            if questions.iter().any(|q| &q.id == name) {
                Some(name.clone())
            } else if outcomes.iter().any(|o| &o.id == name) {
                errors.push(s_at.error(format!("`start` names the outcome `{name}`; it must name the first question")));
                None
            } else {
                errors.push(
                    s_at.error(format!("`start` names `{name}`, but no question has that id{}", known_ids(&questions, &[]))),
                );
                None
            }
        }
    };

    let tree = Tree {
        source: source.to_string(),
        id,
        title,
        intro,
        start: start.clone().unwrap_or_default(),
        notice,
        lookup: NodeIndex::new(&questions, &outcomes),
        questions,
        outcomes,
        levels,
    };
    check_graph(&tree, start.is_some(), &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.line, d.col));
        return Err(errors);
    }
    Ok(tree)
}

/// " (ids in this tree: a, b, c)" to help fix a typo; the first 20 of a big tree.
fn known_ids(questions: &[Question], outcomes: &[Outcome]) -> String {
    const SHOWN: usize = 20;
    let total = questions.len() + outcomes.len();
    let ids: Vec<&str> =
        questions.iter().map(|q| q.id.as_str()).chain(outcomes.iter().map(|o| o.id.as_str())).take(SHOWN).collect();
    let more = if total > SHOWN { format!(" and {} more", total - SHOWN) } else { String::new() };
    if ids.is_empty() { String::new() } else { format!(" (ids in this tree: {}{more})", ids.join(", ")) }
}

/// Every `next` names a node; every node is reachable from start; no loops.
/// Linear in the size of the tree, and without recursion, so a tree of
/// tens of thousands of nodes (or one long chain of them) is checked at once.
fn check_graph(tree: &Tree, has_start: bool, errors: &mut Vec<Diagnostic>) {
    let nodes: HashSet<&str> =
        tree.questions.iter().map(|q| q.id.as_str()).chain(tree.outcomes.iter().map(|o| o.id.as_str())).collect();
    // Suggestions compare a wrong id with every id: for the first few only.
    let mut suggestions_left = 50usize;
    for q in &tree.questions {
        for a in &q.answers {
            if !nodes.contains(a.next.as_str()) {
                let hint = if suggestions_left > 0 {
                    suggestions_left -= 1;
                    suggestion(&a.next, &nodes)
                } else {
                    None
                };
                errors.push(a.at.error(format!(
                    "the answer `{}` leads to `{}`, but no question or outcome has that id{}",
                    a.label,
                    a.next,
                    hint.unwrap_or_else(|| known_ids(&tree.questions, &tree.outcomes))
                )));
            }
        }
    }
    if has_start {
        // Report only the top of each unreachable branch: a typo in one
        // `next` cuts off everything below it, and one error says so.
        let reached = closure(tree, [tree.start.as_str()], |_| true);
        let nodes: Vec<(&str, &str, &Location)> = tree
            .questions
            .iter()
            .map(|q| ("question", q.id.as_str(), &q.at))
            .chain(tree.outcomes.iter().map(|o| ("outcome", o.id.as_str(), &o.at)))
            .filter(|(_, id, _)| !reached.contains(id))
            .collect();
        let cut_off: HashSet<&str> = nodes.iter().map(|(_, id, _)| *id).collect();
        let has_cut_off_parent = |id: &str| tree.parents(id).iter().any(|q| cut_off.contains(q.id.as_str()));
        let mut covered: HashSet<&str> = HashSet::new();
        // Tops of branches first, then whatever is left (loops with no top).
        let tops = nodes.iter().filter(|(_, id, _)| !has_cut_off_parent(id));
        let rest = nodes.iter().filter(|(_, id, _)| has_cut_off_parent(id));
        for (kind, id, at) in tops.chain(rest) {
            if covered.contains(id) {
                continue;
            }
            // What lies below that no earlier report has counted.
            let below = closure(tree, [*id], |n| cut_off.contains(n) && !covered.contains(n));
            let more = below.len().saturating_sub(1);
            covered.extend(below);
            let also = match more {
                0 => String::new(),
                1 => " (nor can the 1 question or outcome after it)".to_string(),
                n => format!(" (nor can the {n} questions and outcomes after it)"),
            };
            errors.push(at.error(format!(
                "the {kind} `{id}` cannot be reached{also}: no answer on the way from `start` (`{}`) leads to it; link it from an answer or remove it",
                tree.start
            )));
        }
    }
    // Loops: depth first, from start first, then from every other node so
    // loops among unreachable nodes are reported too. An explicit stack of
    // (question, next answer) stands in for recursion; `on_path` says where
    // on the current path each question is, to name the loop it closes.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        OnPath,
        Done,
    }
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    let starts = std::iter::once(tree.start.as_str()).filter(|_| has_start).chain(tree.questions.iter().map(|q| q.id.as_str()));
    for first in starts {
        if marks.contains_key(first) {
            continue;
        }
        let Some(q) = tree.question(first) else { continue };
        let mut stack: Vec<(&Question, usize)> = vec![(q, 0)];
        let mut on_path: HashMap<&str, usize> = HashMap::from([(q.id.as_str(), 0)]);
        marks.insert(&q.id, Mark::OnPath);
        while let Some((q, next)) = stack.last_mut() {
            let q: &Question = q;
            let Some(a) = q.answers.get(*next) else {
                marks.insert(&q.id, Mark::Done);
                on_path.remove(q.id.as_str());
                stack.pop();
                continue;
            };
            *next += 1;
            match marks.get(a.next.as_str()).copied() {
                Some(Mark::OnPath) => {
                    let from = on_path.get(a.next.as_str()).copied().unwrap_or(0);
                    let mut cycle: Vec<&str> = stack[from..].iter().map(|(q, _)| q.id.as_str()).collect();
                    cycle.push(&a.next);
                    // A loop through thousands of questions is named by its ends.
                    let shown = if cycle.len() > 12 {
                        let n = cycle.len();
                        format!("{} -> ... ({} more) ... -> {}", cycle[..5].join(" -> "), n - 10, cycle[n - 5..].join(" -> "))
                    } else {
                        cycle.join(" -> ")
                    };
                    errors.push(a.at.error(format!(
                        "the answer `{}` leads back to `{}`, so this path loops ({shown}); every path must end at an outcome",
                        a.label, a.next
                    )));
                }
                None => {
                    if let Some(child) = tree.question(&a.next) {
                        marks.insert(&child.id, Mark::OnPath);
                        on_path.insert(&child.id, stack.len());
                        stack.push((child, 0));
                    }
                }
                Some(Mark::Done) => {}
            }
        }
    }
}

/// The ids reachable from `from` by following answers (`from` included),
/// going only through ids that `within` allows.
fn closure<'a>(tree: &'a Tree, from: impl IntoIterator<Item = &'a str>, within: impl Fn(&str) -> bool) -> HashSet<&'a str> {
    let mut reached = HashSet::new();
    let mut stack: Vec<&str> = from.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !within(id) || !reached.insert(id) {
            continue;
        }
        if let Some(q) = tree.question(id) {
            stack.extend(q.answers.iter().map(|a| a.next.as_str()));
        }
    }
    reached
}

/// " (did you mean `x`?)" when one id is a near miss.
fn suggestion(wrong: &str, ids: &HashSet<&str>) -> Option<String> {
    crate::text::closest(wrong, ids.iter().copied()).map(|id| format!(" (did you mean `{id}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_tree(file: &str) -> Tree {
        let path = crate::testing::handbook().join(format!("{DIR}/{file}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        parse(&format!("{DIR}/{file}.toml"), file, text).unwrap_or_else(|e| panic!("{file}: {e:#?}"))
    }

    /// `P / ...` in a table row stands for this prefix (the questions every
    /// child in Anytown's care goes through before the early help ones).
    const P: &str = "No / No / No / No / No, Anytown Council is responsible";

    /// Every route through "Who should be the Lead Professional?", written by
    /// the person who wrote the tree: answer labels, and the outcome reached.
    const LEAD_PROFESSIONAL: &[(&str, &str)] = &[
        ("Yes", "sw-child-protection"),
        ("No / Yes", "sw-adoption"),
        ("No / No / Yes, and the child is under 16", "sw-looked-after"),
        ("No / No / Yes, and the young person is 16 or 17", "sw-until-18"),
        ("No / No / No / Yes", "personal-adviser"),
        ("No / No / No / No / Yes", "check-responsible-authority"),
        ("No / No / No / No / I'm not sure", "check-responsible-authority"),
        ("P / Yes / No, the assessment is still going on", "sw-child-in-need"),
        ("P / Yes / Yes, and the case stays open to children's social care", "sw-child-in-need"),
        ("P / Yes / Yes, and other services will give the help", "cin-relevant-practitioner"),
        ("P / No / Yes", "agreed-at-step-down"),
        ("P / No / No / Yes", "yjs-agreed-locally"),
        ("P / No / No / No / Yes, under the Care Programme Approach (CPA)", "care-coordinator"),
        ("P / No / No / No / Yes, and CAMHS is the only service working with the family", "camhs-lead"),
        ("P / No / No / No / Yes, and other services are working with the family too / Yes / Yes", "key-worker-lead"),
        (
            "P / No / No / No / Yes, and other services are working with the family too / Yes / No",
            "disability-appoint-practitioner",
        ),
        (
            "P / No / No / No / Yes, and other services are working with the family too / No / Yes, they have an EHCP and are in year 9",
            "senco-transition",
        ),
        (
            "P / No / No / No / Yes, and other services are working with the family too / No / Yes, any other special educational needs",
            "senco-may-lead",
        ),
        ("P / No / No / No / Yes, and other services are working with the family too / No / No / Yes", "eha-author-then-taf"),
        ("P / No / No / No / Yes, and other services are working with the family too / No / No / No", "universal-no-lead"),
        ("P / No / No / No / No / Yes / Yes", "key-worker-lead"),
        ("P / No / No / No / No / Yes / No", "disability-appoint-practitioner"),
        ("P / No / No / No / No / No / Yes, they have an EHCP and are in year 9", "senco-transition"),
        ("P / No / No / No / No / No / Yes, any other special educational needs", "senco-may-lead"),
        ("P / No / No / No / No / No / No / Yes", "eha-author-then-taf"),
        ("P / No / No / No / No / No / No / No", "universal-no-lead"),
    ];

    /// Every route through "What level of need?".
    const LEVEL_OF_NEED: &[(&str, &str)] = &[
        ("Yes", "level-4-now"),
        ("No / Yes, no extra help is needed", "level-1-universal"),
        ("No / No, the child or family needs extra help / Yes", "level-4-consult"),
        ("No / No, the child or family needs extra help / I'm not sure", "level-4-consult"),
        ("No / No, the child or family needs extra help / No / Yes, one service can meet them", "level-2-early-help"),
        (
            "No / No, the child or family needs extra help / No / No, more than one service is needed / Yes, things are not getting better",
            "level-4-consult",
        ),
        (
            "No / No, the child or family needs extra help / No / No, more than one service is needed / No, or the plan is working",
            "level-3-targeted",
        ),
    ];

    fn expand(row: &str) -> Vec<String> {
        let full = match row.strip_prefix("P / ") {
            Some(rest) => format!("{P} / {rest}"),
            None => row.to_string(),
        };
        full.split(" / ").map(str::to_string).collect()
    }

    /// Each row's answers lead to its outcome, and the tree has no route
    /// the table does not list.
    fn check_every_route(tree: &Tree, table: &[(&str, &str)]) {
        let mut failures = Vec::new();
        let mut expected: Vec<(Vec<String>, &str)> = Vec::new();
        for (row, outcome) in table {
            let labels = expand(row);
            let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
            match tree.follow(&refs) {
                Ok(reached) if reached == *outcome && tree.outcome(reached).is_some() => {}
                Ok(reached) => failures.push(format!("{row}: expected {outcome}, reached {reached}")),
                Err(e) => failures.push(format!("{row}: {e}")),
            }
            expected.push((labels, outcome));
        }
        for route in tree.routes() {
            let labels: Vec<String> = route.answers.iter().map(|s| s.to_string()).collect();
            if !expected.iter().any(|(l, o)| *l == labels && *o == route.outcome) {
                failures.push(format!("route not in the table: {} -> {}", labels.join(" / "), route.outcome));
            }
        }
        assert_eq!(tree.routes().len(), table.len(), "{failures:#?}");
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn every_route_through_lead_professional() {
        let tree = default_tree("lead-professional");
        check_every_route(&tree, LEAD_PROFESSIONAL);
        // Every outcome is reached by some route.
        for o in &tree.outcomes {
            assert!(LEAD_PROFESSIONAL.iter().any(|(_, id)| *id == o.id), "{} is never reached", o.id);
        }
    }

    #[test]
    fn every_route_through_level_of_need() {
        let tree = default_tree("level-of-need");
        check_every_route(&tree, LEVEL_OF_NEED);
        assert_eq!(tree.levels.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(
            tree.notice.as_deref(),
            Some("If a child is at risk of significant harm, contact children's social care or the police now.")
        );
    }

    #[test]
    fn a_route_with_a_wrong_label_is_refused() {
        let tree = default_tree("level-of-need");
        assert!(tree.follow(&["Maybe"]).unwrap_err().contains("Yes | No"));
        assert!(tree.follow(&["Yes", "No"]).unwrap_err().contains("is an outcome"));
    }

    // ------------------------------------------------------------ bad trees

    const HEAD: &str = "title = \"T\"\nstart = \"q1\"\n";

    fn errors(body: &str) -> Vec<Diagnostic> {
        parse("forms/decisions/t.toml", "t", format!("{HEAD}{body}")).expect_err("the tree should be refused")
    }

    /// (line, message) of each error, to compare with what a tree author sees.
    fn lines(errs: &[Diagnostic]) -> Vec<usize> {
        errs.iter().map(|d| d.line).collect()
    }

    fn question(id: &str, answers: &[(&str, &str)]) -> String {
        let mut s = format!("[[question]]\nid = \"{id}\"\ntext = \"Question {id}?\"\n");
        for (label, next) in answers {
            s.push_str(&format!("[[question.answer]]\nlabel = \"{label}\"\nnext = \"{next}\"\n"));
        }
        s
    }

    fn outcome(id: &str) -> String {
        format!("[[outcome]]\nid = \"{id}\"\ntitle = \"Outcome {id}\"\n")
    }

    #[test]
    fn a_good_small_tree_loads() {
        let tree = parse(
            "forms/decisions/t.toml",
            "t",
            format!("{HEAD}{}{}", question("q1", &[("Yes", "o1"), ("No", "o1")]), outcome("o1")),
        )
        .unwrap();
        assert_eq!(tree.id, "t");
        assert_eq!(tree.node_url("q1"), "decisions/t/index.html");
        assert_eq!(tree.node_url("o1"), "decisions/t/o1.html");
        assert_eq!(tree.parents("o1").len(), 1);
    }

    #[test]
    fn unknown_next_is_an_error_at_its_line() {
        // line 3 [[question]] ... line 8 next = "o2"
        let errs = errors(&format!("{}{}", question("q1", &[("Yes", "o2")]), outcome("o1")));
        let unknown: Vec<_> = errs.iter().filter(|d| d.message.contains("no question or outcome has that id")).collect();
        assert_eq!(unknown.len(), 1, "{errs:#?}");
        assert_eq!((unknown[0].path.as_str(), unknown[0].line), ("forms/decisions/t.toml", 8));
        assert!(unknown[0].message.contains("did you mean `o1`?"), "{}", unknown[0].message);
        assert_eq!(unknown[0].to_string().split(": error").next(), Some("forms/decisions/t.toml:8:8"));
    }

    #[test]
    fn unreachable_node_is_an_error_at_its_id() {
        // q1 at lines 3-8, q2 at 9-14 (nothing leads to it), o1 at 15
        let errs = errors(&format!("{}{}{}", question("q1", &[("Yes", "o1")]), question("q2", &[("Yes", "o1")]), outcome("o1")));
        assert_eq!(lines(&errs), [10], "{errs:#?}");
        assert!(errs[0].message.contains("question `q2` cannot be reached"), "{}", errs[0].message);
    }

    #[test]
    fn a_branch_cut_off_by_a_typo_is_reported_once_at_its_top() {
        // q1 -> "q22" (typo for q2); q2 -> q3 -> o2 are all cut off, o1 is still reached.
        let body = format!(
            "{}{}{}{}{}",
            question("q1", &[("Yes", "q22"), ("No", "o1")]),
            question("q2", &[("Yes", "q3")]),
            question("q3", &[("Yes", "o2"), ("No", "o1")]),
            outcome("o1"),
            outcome("o2")
        );
        let errs = errors(&body);
        assert_eq!(lines(&errs), [8, 13], "{errs:#?}");
        assert!(errs[0].message.contains("did you mean `q2`?"), "{}", errs[0].message);
        assert!(
            errs[1].message.contains("`q2` cannot be reached (nor can the 2 questions and outcomes after it)"),
            "{}",
            errs[1].message
        );
    }

    #[test]
    fn an_unreachable_loop_is_reported_as_a_loop_and_as_unreachable() {
        let body = format!(
            "{}{}{}{}",
            question("q1", &[("Yes", "o1")]),
            question("a", &[("Yes", "b")]),
            question("b", &[("Yes", "a")]),
            outcome("o1")
        );
        let errs = errors(&body);
        let messages: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(errs.len(), 2, "{messages:#?}");
        assert!(
            messages.iter().any(|m| m.contains("`a` cannot be reached (nor can the 1 question or outcome after it)")),
            "{messages:#?}"
        );
        assert!(messages.iter().any(|m| m.contains("loops (a -> b -> a)")), "{messages:#?}");
    }

    #[test]
    fn loop_is_an_error_at_the_answer_that_closes_it() {
        // q1 lines 3-11: answers at 6-8 (-> q2) and 9-11 (-> o1); q2 lines 12-17: answer -> q1 at line 17
        let errs = errors(&format!(
            "{}{}{}",
            question("q1", &[("Yes", "q2"), ("No", "o1")]),
            question("q2", &[("Back", "q1")]),
            outcome("o1")
        ));
        assert_eq!(lines(&errs), [17], "{errs:#?}");
        assert!(errs[0].message.contains("loops (q1 -> q2 -> q1)"), "{}", errs[0].message);
    }

    #[test]
    fn question_without_answers_is_a_dead_end() {
        let errs = errors(&format!("{}{}{}", question("q1", &[("Yes", "q2"), ("No", "o1")]), question("q2", &[]), outcome("o1")));
        assert_eq!(lines(&errs), [13], "{errs:#?}");
        assert!(errs[0].message.contains("no answers, so it is a dead end"), "{}", errs[0].message);
    }

    #[test]
    fn duplicate_id_is_an_error_at_the_second() {
        let errs = errors(&format!("{}{}{}", question("q1", &[("Yes", "o1")]), outcome("o1"), outcome("o1")));
        assert_eq!(lines(&errs), [13], "{errs:#?}");
        assert!(errs[0].message.contains("already used at line 10"), "{}", errs[0].message);
    }

    #[test]
    fn missing_start_is_an_error() {
        let text = format!("title = \"T\"\n{}{}", question("q1", &[("Yes", "o1")]), outcome("o1"));
        let errs = parse("forms/decisions/t.toml", "t", text).unwrap_err();
        assert_eq!(lines(&errs), [1], "{errs:#?}");
        assert!(errs[0].message.contains("no `start`"));
        // A start that names nothing is reported at the start line.
        let text = format!("title = \"T\"\n\nstart = \"q0\"\n{}{}", question("q1", &[("Yes", "o1")]), outcome("o1"));
        let errs = parse("forms/decisions/t.toml", "t", text).unwrap_err();
        assert_eq!(lines(&errs), [3], "{errs:#?}");
        assert!(errs[0].message.contains("no question has that id"), "{}", errs[0].message);
    }

    #[test]
    fn every_problem_is_reported_in_one_run() {
        let body = format!(
            "colour = \"red\"\n{}{}{}{}",
            question("q1", &[("Yes", "q2"), ("No", "nowhere")]),
            question("q2", &[("Again", "q1")]),
            question("orphan", &[]),
            outcome("index")
        );
        // An unknown key and every graph problem come at once.
        let errs = errors(&body);
        let messages: Vec<String> = errs.iter().map(|d| format!("{}: {}", d.line, d.message)).collect();
        assert_eq!(errs.len(), 7, "{messages:#?}");
        for expected in [
            "3: unknown key `colour`",
            "leads to `nowhere`",
            "loops",
            "has no answers",
            "`orphan` cannot be reached",
            "`index` is kept",
            "`index` cannot be reached",
        ] {
            assert!(messages.iter().any(|m| m.contains(expected)), "{expected}: {messages:#?}");
        }
    }

    #[test]
    fn a_long_chain_of_questions_is_checked_and_walked_without_recursion() {
        // tests/hardening.rs runs `check` and `build` on 30,000 questions; this is the quick version.
        let n = 5_000;
        let mut body = String::new();
        for i in 1..=n {
            let next = if i == n { "o1".to_string() } else { format!("q{}", i + 1) };
            body.push_str(&question(&format!("q{i}"), &[("Yes", &next), ("No", "o1")]));
        }
        body.push_str(&outcome("o1"));
        let tree = parse("forms/decisions/t.toml", "t", format!("{HEAD}{body}")).unwrap();
        assert_eq!(tree.questions_in_order().len(), n);
        assert_eq!(tree.to_dot().matches(" -> ").count(), 2 * n);
        assert_eq!(tree.parents("o1").len(), n);

        // The same chain closed into a loop at its end: one error, naming the loop by its ends.
        let looped = body.replacen(
            "next = \"o1\"\n[[question.answer]]\nlabel = \"No\"\nnext = \"o1\"\n[[outcome]]",
            "next = \"q1\"\n[[question.answer]]\nlabel = \"No\"\nnext = \"o1\"\n[[outcome]]",
            1,
        );
        let errs = errors(&looped);
        assert_eq!(errs.len(), 1, "{:?}", errs.iter().take(3).collect::<Vec<_>>());
        assert!(
            errs[0]
                .message
                .contains("loops (q1 -> q2 -> q3 -> q4 -> q5 -> ... (4991 more) ... -> q4997 -> q4998 -> q4999 -> q5000 -> q1)"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn routes_through_a_long_chain_are_listed_without_recursion() {
        // Every route of a chain repeats the chain, so the list grows with its square: 3,000 is plenty.
        let n = 3_000;
        let mut body = String::new();
        for i in 1..=n {
            let next = if i == n { "o1".to_string() } else { format!("q{}", i + 1) };
            body.push_str(&question(&format!("q{i}"), &[("Yes", &next), ("No", "o2")]));
        }
        body.push_str(&outcome("o1"));
        body.push_str(&outcome("o2"));
        let tree = parse("forms/decisions/t.toml", "t", format!("{HEAD}{body}")).unwrap();
        let routes = tree.routes();
        assert_eq!(routes.len(), n + 1);
        assert_eq!((routes[0].answers.len(), routes[0].outcome), (n, "o1"), "the first route says Yes all the way");
        assert_eq!((routes[1].answers.len(), routes[1].outcome), (n, "o2"));
        assert_eq!((routes[n].answers.as_slice(), routes[n].outcome), (&["No"][..], "o2"));
    }

    #[test]
    fn many_cut_off_branches_sharing_one_tail_are_each_reported_once() {
        // 2,000 unreachable questions all lead into one unreachable chain of 2,000.
        let mut body = question("q1", &[("Yes", "o1")]);
        for i in 0..2000 {
            body.push_str(&question(&format!("top{i}"), &[("Yes", "tail0")]));
            let next = if i == 1999 { "o1".to_string() } else { format!("tail{}", i + 1) };
            body.push_str(&question(&format!("tail{i}"), &[("Yes", &next)]));
        }
        body.push_str(&outcome("o1"));
        let errs = errors(&body);
        assert_eq!(errs.len(), 2000, "one per top");
        assert_eq!(errs.iter().filter(|e| e.message.contains("nor can the 2000 questions")).count(), 1);
    }

    #[test]
    fn dot_export_has_every_node_and_answer() {
        let tree = default_tree("level-of-need");
        let dot = tree.to_dot();
        assert!(dot.starts_with("// What level of need?"));
        assert!(dot.contains("digraph \"level-of-need\" {"));
        assert!(dot.contains("\"immediate-risk\" -> \"level-4-now\" [label=\"Yes\"];"), "{dot}");
        assert!(dot.contains("\"level-1-universal\" [shape=note"));
        let edges = tree.questions.iter().map(|q| q.answers.len()).sum::<usize>();
        assert_eq!(dot.matches(" -> ").count(), edges);
        assert_eq!(dot_string("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"");
    }

    #[test]
    fn questions_are_numbered_in_reading_order() {
        let tree = default_tree("level-of-need");
        let order: Vec<&str> = tree.questions_in_order().iter().map(|q| q.id.as_str()).collect();
        assert_eq!(order, ["immediate-risk", "universal-met", "complex-concern", "one-service", "plan-tried"]);
    }
}
