//! forms/*.toml: forms a practitioner fills in (sections of fields) and
//! outcomes frameworks (the outcomes a family's plan can work towards).
//!
//! Loading turns each file into plain structs and checks everything that can
//! be checked before rendering: unknown kinds, duplicate ids, `show_if`
//! naming a missing field or value, `outcomes` fields naming a missing
//! framework, empty sections, repeats with `min` > `max`. Every problem is
//! reported at its line, all in one run. Only the top-level `forms/*.toml`
//! are read here; `forms/decisions/` belongs to the decision trees.

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location, parse_toml_lenient};
use crate::markdown::Snippet;
use crate::text::{RESERVED_IDS, is_id};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// Where forms live, relative to the handbook folder.
pub const DIR: &str = "forms";

/// The longest text answer an answers file may hold (in the schema as
/// `maxLength`): far more than any real answer, small enough that opening
/// a file cannot freeze the page.
pub const MAX_ANSWER_CHARS: u32 = 50_000;

/// Every form and outcomes framework of the handbook, in file-name order.
#[derive(Debug, Default)]
pub struct Forms {
    pub forms: Vec<Form>,
    pub frameworks: Vec<Framework>,
    /// Files that could not be read as TOML, with the page they would make:
    /// links to them still resolve, so their own errors are not repeated.
    pub unreadable: Vec<(String, String)>,
}

impl Forms {
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }
}

/// A form definition: sections of fields, rendered as a fillable page.
#[derive(Debug)]
pub struct Form {
    /// Path relative to the handbook folder, such as `forms/early-help-assessment.toml`.
    pub source: String,
    pub id: String,
    pub title: String,
    /// Drafts and answers files are keyed by it: bump it when fields change.
    pub version: String,
    pub intro: Option<Snippet>,
    pub sections: Vec<Section>,
    /// The earlier forms this one continues (`continues`), in order.
    pub continues: Vec<Continues>,
}

/// One earlier form a form continues, and its field map.
#[derive(Debug)]
pub struct Continues {
    /// The earlier form's id.
    pub form: String,
    pub at: Location,
    /// `[continues_map.FORM]`: the earlier form's field ids carried into
    /// differently named fields of this form, in the order written.
    pub map: Vec<Mapped>,
}

/// One line of a field map: `old_id = "new_id"`.
#[derive(Debug)]
pub struct Mapped {
    pub from: String,
    pub from_at: Location,
    pub to: String,
    pub to_at: Location,
}

impl Continues {
    /// The id in this form that the earlier form's field `from` carries into.
    /// A field mapped to `""`, or of the same id as one another field is
    /// mapped into, carries nowhere (`None`), so a review continuing a review takes the last
    /// review's new actions as its actions to review, not the actions that
    /// review itself looked back on.
    pub fn target<'a>(&'a self, from: &'a str) -> Option<&'a str> {
        match self.map.iter().find(|m| m.from == from) {
            Some(m) if m.to.is_empty() => None,
            Some(m) => Some(m.to.as_str()),
            None if self.map.iter().any(|m| m.to == from) => None,
            None => Some(from),
        }
    }
}

/// What carrying an earlier form's answers into a form does: each answer
/// (top-level field or column of a repeat) that goes somewhere, as
/// (earlier id, this form's id).
#[derive(Debug, Default, PartialEq)]
pub struct Carry {
    pub fields: Vec<IdPair>,
    /// Repeats: (earlier repeat, this form's repeat, its columns as above).
    pub rows: Vec<(String, String, Vec<IdPair>)>,
}

/// (earlier id, this form's id).
pub type IdPair = (String, String);

/// `[continues_map]` as written: earlier form -> (earlier id -> this form's id).
type RawContinuesMap = BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>;

/// Why an answer to `from` cannot go into `to`, if it cannot: kinds must be
/// the same (outcomes of the same framework), or text into textarea, or a
/// scale into a number; and
/// signatures are never carried.
pub fn misfit(from: &Field, to: &Field) -> Option<String> {
    let (a, b) = (from.kind.tag(), to.kind.tag());
    if !a.has_answer() || !b.has_answer() {
        return Some(format!("{} holds no answer", if a.has_answer() { b.name() } else { a.name() }));
    }
    if a == Kind::Signature || b == Kind::Signature {
        return Some("a signature is given afresh on each form, so it is never carried".to_string());
    }
    // A score of 1 to 10 carries into a number: a review shows last time's score as a figure.
    if a == b || (a == Kind::Text && b == Kind::Textarea) || (a == Kind::Scale && b == Kind::Number) {
        if let (Some(x), Some(y)) = (from.framework(), to.framework())
            && x != y
        {
            return Some(format!("they choose from different outcomes frameworks (\"{x}\" and \"{y}\")"));
        }
        return None;
    }
    Some(format!("`{}` is {} and `{}` is {}; kinds must be the same, or text into textarea", from.id, a.name(), to.id, b.name()))
}

/// What `form` carries from `earlier` (which it continues as `c`): every
/// field whose id (after the map) is in both at the same level and fits.
pub fn carry(earlier: &Form, form: &Form, c: &Continues) -> Carry {
    let mut out = Carry::default();
    let top: HashMap<&str, &Field> = form.fields().map(|f| (f.id.as_str(), f)).collect();
    for f in earlier.fields() {
        let Some(t) = c.target(&f.id).and_then(|id| top.get(id)) else { continue };
        if misfit(f, t).is_some() {
            continue;
        }
        if f.kind.tag() == Kind::Repeat {
            let cols: Vec<(String, String)> = f
                .sub_fields()
                .iter()
                .filter_map(|sub| {
                    let target = c.target(&sub.id)?;
                    let to = t.sub_fields().iter().find(|x| x.id == target)?;
                    misfit(sub, to).is_none().then(|| (sub.id.clone(), to.id.clone()))
                })
                .collect();
            if !cols.is_empty() {
                out.rows.push((f.id.clone(), t.id.clone(), cols));
            }
        } else {
            out.fields.push((f.id.clone(), t.id.clone()));
        }
    }
    out
}

impl Form {
    pub fn url(&self) -> String {
        crate::paths::form(&self.id)
    }

    pub fn schema_url(&self) -> String {
        crate::paths::form_schema(&self.id)
    }

    /// Every field that holds an answer, top level first in order (repeat sub-fields excluded).
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }
}

#[derive(Debug)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub intro: Option<Snippet>,
    pub fields: Vec<Field>,
}

/// The name of a kind of field (`kind = "..."`), without its data: what
/// messages and templates name. The field itself holds a [`FieldKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Text,
    Textarea,
    Date,
    Number,
    Email,
    Tel,
    Choice,
    Choices,
    Yesno,
    Select,
    Scale,
    Repeat,
    Outcomes,
    Signature,
    Guidance,
    Rowid,
    Person,
    Genogram,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::Text,
        Kind::Textarea,
        Kind::Date,
        Kind::Number,
        Kind::Email,
        Kind::Tel,
        Kind::Choice,
        Kind::Choices,
        Kind::Yesno,
        Kind::Select,
        Kind::Scale,
        Kind::Repeat,
        Kind::Outcomes,
        Kind::Signature,
        Kind::Guidance,
        Kind::Rowid,
        Kind::Person,
        Kind::Genogram,
    ];

    /// The name written in `kind = "..."`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Textarea => "textarea",
            Kind::Date => "date",
            Kind::Number => "number",
            Kind::Email => "email",
            Kind::Tel => "tel",
            Kind::Choice => "choice",
            Kind::Choices => "choices",
            Kind::Yesno => "yesno",
            Kind::Select => "select",
            Kind::Scale => "scale",
            Kind::Repeat => "repeat",
            Kind::Outcomes => "outcomes",
            Kind::Signature => "signature",
            Kind::Guidance => "guidance",
            Kind::Rowid => "rowid",
            Kind::Person => "person",
            Kind::Genogram => "genogram",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Kinds whose answers are chosen from `options`.
    pub fn has_options(self) -> bool {
        matches!(self, Kind::Choice | Kind::Choices | Kind::Select)
    }

    /// Kinds a `show_if` can depend on: their answers are a known set of values.
    pub fn has_values(self) -> bool {
        matches!(self, Kind::Choice | Kind::Choices | Kind::Select | Kind::Yesno | Kind::Scale)
    }

    /// Kinds typed into a box, which print with writing room when blank.
    pub fn is_typed(self) -> bool {
        matches!(self, Kind::Text | Kind::Textarea | Kind::Date | Kind::Number | Kind::Email | Kind::Tel)
    }

    /// Kinds that hold an answer in the answers file (guidance and a
    /// genogram only show something: a genogram is drawn from its repeat's rows).
    pub fn has_answer(self) -> bool {
        !matches!(self, Kind::Guidance | Kind::Genogram)
    }

    fn list() -> String {
        Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
    }
}

/// One answer a `choice`, `choices` or `select` field offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Show a field only when another field (a sibling inside a repeat) has a value.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowIf {
    pub field: String,
    pub value: String,
    pub at: Location,
}

/// One question (or piece of guidance) of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub show_if: Option<ShowIf>,
    /// Lines of writing room when printed blank.
    pub print_lines: u32,
    /// `print = false`: left off paper, because the page shows the answer
    /// another way there (the genogram draws sex, parents and partners).
    pub print: bool,
    /// The kind, with the data only that kind has.
    pub kind: FieldKind,
    pub at: Location,
}

/// Where a drop-down's options come from: the `outcomes` field `field`,
/// named at `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionsFrom {
    pub field: String,
    pub at: Location,
}

/// A field's kind and what only that kind has. A new kind of field adds a
/// variant here, its name to [`Kind`], and its view in `render::forms`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    Textarea,
    /// `memorable`: a date the person knows (a date of birth), asked as
    /// day, month and year boxes rather than a date picker.
    Date {
        memorable: bool,
    },
    Number,
    Email,
    Tel,
    /// Radios.
    Choice {
        options: Vec<Choice>,
    },
    /// Checkboxes.
    Choices {
        options: Vec<Choice>,
    },
    /// A drop-down. `from`: the options are the outcomes of an `outcomes`
    /// field of the same form (`options_from`), filled in when every form
    /// and framework is loaded; the page offers only those chosen there.
    Select {
        options: Vec<Choice>,
        from: Option<OptionsFrom>,
    },
    Yesno,
    /// Ten radios, 1 to 10, with words for the ends.
    Scale {
        low: Option<String>,
        high: Option<String>,
    },
    /// Rows of sub-fields: what one row is called ("household member"), row
    /// limits, rows on a blank printout, and the sub-fields of each row.
    Repeat {
        item: String,
        min: u32,
        max: Option<u32>,
        print_rows: u32,
        fields: Vec<Field>,
    },
    /// Checkboxes of a framework's outcomes: the framework's id and where it is named.
    Outcomes {
        framework: String,
        at: Location,
    },
    /// A typed name and a date.
    Signature,
    /// Read-only Markdown (`None` only when the file left `text` out, an error).
    Guidance {
        text: Option<Snippet>,
    },
    /// A row's stable id, made by the page when the row is added and kept in
    /// the answers file, never shown: `person` fields store it, so a link to
    /// someone survives their name being corrected or the rows reordered.
    /// `names`: the sibling whose answer names the row in `person` lists.
    Rowid {
        names: String,
        at: Location,
    },
    /// A drop-down of the other rows of the same repeat, by name, answered
    /// with the chosen row's `rowid`: relationships are picked, never typed.
    Person,
    /// The family diagram drawn from the rows of the repeat `people` (at the
    /// form's top level), and where `people` is written.
    Genogram {
        people: String,
        at: Location,
    },
}

impl FieldKind {
    pub fn tag(&self) -> Kind {
        match self {
            FieldKind::Text => Kind::Text,
            FieldKind::Textarea => Kind::Textarea,
            FieldKind::Date { .. } => Kind::Date,
            FieldKind::Number => Kind::Number,
            FieldKind::Email => Kind::Email,
            FieldKind::Tel => Kind::Tel,
            FieldKind::Choice { .. } => Kind::Choice,
            FieldKind::Choices { .. } => Kind::Choices,
            FieldKind::Select { .. } => Kind::Select,
            FieldKind::Yesno => Kind::Yesno,
            FieldKind::Scale { .. } => Kind::Scale,
            FieldKind::Repeat { .. } => Kind::Repeat,
            FieldKind::Outcomes { .. } => Kind::Outcomes,
            FieldKind::Signature => Kind::Signature,
            FieldKind::Guidance { .. } => Kind::Guidance,
            FieldKind::Rowid { .. } => Kind::Rowid,
            FieldKind::Person => Kind::Person,
            FieldKind::Genogram { .. } => Kind::Genogram,
        }
    }
}

impl Field {
    /// The values an answer can take, with their labels, for kinds that have a fixed set.
    pub fn values(&self) -> Vec<Choice> {
        match &self.kind {
            FieldKind::Choice { options } | FieldKind::Choices { options } | FieldKind::Select { options, .. } => options.clone(),
            FieldKind::Yesno => {
                vec![Choice { value: "yes".into(), label: "Yes".into() }, Choice { value: "no".into(), label: "No".into() }]
            }
            FieldKind::Scale { .. } => (1..=10).map(|n| Choice { value: n.to_string(), label: n.to_string() }).collect(),
            _ => Vec::new(),
        }
    }

    /// A repeat's sub-fields (none for any other kind).
    pub fn sub_fields(&self) -> &[Field] {
        match &self.kind {
            FieldKind::Repeat { fields, .. } => fields,
            _ => &[],
        }
    }

    /// The outcomes framework an `outcomes` field names.
    pub fn framework(&self) -> Option<&str> {
        match &self.kind {
            FieldKind::Outcomes { framework, .. } => Some(framework),
            _ => None,
        }
    }
}

/// An outcomes framework: outcome areas and the outcomes within them.
#[derive(Debug)]
pub struct Framework {
    pub source: String,
    pub id: String,
    pub title: String,
    pub intro: Option<Snippet>,
    pub areas: Vec<Area>,
    pub outcomes: Vec<Outcome>,
}

impl Framework {
    pub fn url(&self) -> String {
        crate::paths::form(&self.id)
    }

    pub fn area_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.areas.iter().find(|a| a.id == id).map(|a| a.title.as_str()).unwrap_or(id)
    }
}

#[derive(Debug, Clone)]
pub struct Area {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub areas: Vec<String>,
    /// Signs that a family may need help with this.
    pub indicators: Vec<String>,
    /// What life looks like when things have improved.
    pub success: Vec<String>,
    /// The evidence that shows improvement.
    pub measures: Vec<String>,
}

/// Blank rows a repeating group prints with when its TOML does not say:
/// enough for the actions of a real meeting (the default forms ask for 8
/// where the rows are people).
pub const DEFAULT_PRINT_ROWS: u32 = 6;

// ---------------------------------------------------------------- raw TOML

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    intro: Option<Spanned<String>>,
    continues: Option<Vec<Spanned<String>>>,
    continues_map: Option<Spanned<RawContinuesMap>>,
    #[serde(default)]
    section: Vec<Spanned<RawSection>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    intro: Option<Spanned<String>>,
    #[serde(default)]
    field: Vec<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    hint: Option<String>,
    required: Option<Spanned<bool>>,
    show_if: Option<Spanned<RawShowIf>>,
    print_lines: Option<Spanned<i64>>,
    options: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    low: Option<Spanned<String>>,
    high: Option<Spanned<String>>,
    item: Option<Spanned<String>>,
    min: Option<Spanned<i64>>,
    max: Option<Spanned<i64>>,
    print_rows: Option<Spanned<i64>>,
    #[serde(default)]
    field: Vec<Spanned<RawField>>,
    framework: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    memorable: Option<Spanned<bool>>,
    names: Option<Spanned<String>>,
    people: Option<Spanned<String>>,
    print: Option<bool>,
    options_from: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShowIf {
    field: Spanned<String>,
    value: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    intro: Option<Spanned<String>>,
    #[serde(default)]
    area: Vec<Spanned<RawArea>>,
    #[serde(default)]
    outcome: Vec<Spanned<RawOutcome>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    areas: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    indicators: Vec<String>,
    #[serde(default)]
    success: Vec<String>,
    #[serde(default)]
    measures: Vec<String>,
}

// ------------------------------------------------------------------ loading

/// Reads the `forms/*.toml` files (not sub-folders: forms/decisions/
/// belongs to the decision trees) and checks each one. Checks against
/// other files (the framework an `outcomes` field names) are in `crate::check`.
pub fn load(files: Vec<crate::files::SourceFile>, sink: &mut Diagnostics) -> Forms {
    let texts = crate::files::texts(files, sink);
    let (forms, mut found) = parse_files(texts);
    sink.append(&mut found);
    forms
}

/// Parses files given as (path relative to the handbook folder, text).
/// Kept apart from the disk for tests.
pub fn parse_files(files: Vec<(String, String)>) -> (Forms, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut forms = Forms::default();
    let mut id_at: HashMap<String, (String, Location)> = HashMap::new();
    for (source, text) in files {
        let would_be = crate::paths::form(&crate::files::declared_id(&text, &source));
        let failed = (source.clone(), would_be);
        let (id, at) = if is_framework(&text) {
            match parse_framework(&source, text, &mut errors) {
                Some((fw, at)) => {
                    let id = fw.id.clone();
                    forms.frameworks.push(fw);
                    (id, at)
                }
                None => {
                    forms.unreadable.push(failed);
                    continue;
                }
            }
        } else {
            match parse_form(&source, text, &mut errors) {
                Some((form, at)) => {
                    let id = form.id.clone();
                    forms.forms.push(form);
                    (id, at)
                }
                None => {
                    forms.unreadable.push(failed);
                    continue;
                }
            }
        };
        if id == "index" {
            errors.push(at.error("the id `index` is taken by the list of forms (forms/index.html); choose another id"));
        } else if id == "saved" {
            errors.push(at.error("the id `saved` is taken by the list of saved drafts (forms/saved.html); choose another id"));
        } else if let Some((other, _)) = id_at.get(&id) {
            errors.push(at.error(format!(
                "the id `{id}` is already used by {other}; each form and framework is written to forms/<id>.html, so ids must differ"
            )));
        } else {
            id_at.insert(id, (source.clone(), at));
        }
    }
    fill_outcome_options(&mut forms);
    (forms, errors)
}

/// A drop-down with `options_from` offers the outcomes of the framework its
/// outcomes field uses, so the answers schema, the page and the print all
/// see ordinary options. A framework that does not exist leaves the list
/// empty: `check` reports it on the outcomes field.
fn fill_outcome_options(forms: &mut Forms) {
    let Forms { forms, frameworks, .. } = forms;
    for form in forms.iter_mut() {
        let framework_of: HashMap<String, String> = form
            .fields()
            .filter_map(|f| match &f.kind {
                FieldKind::Outcomes { framework, .. } => Some((f.id.clone(), framework.clone())),
                _ => None,
            })
            .collect();
        let fill = |field: &mut Field| {
            if let FieldKind::Select { options, from: Some(from) } = &mut field.kind
                && let Some(fw) = framework_of.get(&from.field).and_then(|id| frameworks.iter().find(|f| &f.id == id))
            {
                *options = fw.outcomes.iter().map(|o| Choice { value: o.id.clone(), label: o.title.clone() }).collect();
            }
        };
        for section in &mut form.sections {
            for field in &mut section.fields {
                fill(field);
                if let FieldKind::Repeat { fields, .. } = &mut field.kind {
                    fields.iter_mut().for_each(&fill);
                }
            }
        }
    }
}

/// `options_from` names an `outcomes` field at the form's top level.
fn check_options_from(form: &Form, errors: &mut Vec<Diagnostic>) {
    for f in form.fields().flat_map(|f| std::iter::once(f).chain(f.sub_fields())) {
        let FieldKind::Select { from: Some(from), .. } = &f.kind else { continue };
        match form.fields().find(|x| x.id == from.field) {
            Some(x) if x.kind.tag() == Kind::Outcomes => {}
            found => {
                let outcomes: Vec<String> =
                    form.fields().filter(|x| x.kind.tag() == Kind::Outcomes).map(|x| format!("`{}`", x.id)).collect();
                let what = match found {
                    Some(x) => format!("`{}` is a `{}` field, not `outcomes`", x.id, x.kind.tag().name()),
                    None => format!("there is no field `{}` at this form's top level", from.field),
                };
                let expected = if outcomes.is_empty() {
                    "add an `outcomes` field (kind = \"outcomes\") for the family's plan first".to_string()
                } else {
                    format!("expected one of: {}", outcomes.join(", "))
                };
                errors.push(from.at.error(format!("`options_from` of `{}`: {what}; {expected}", f.id)));
            }
        }
    }
}

/// A file with `[[outcome]]` or `[[area]]` tables is an outcomes framework;
/// any other file in forms/ is a form.
fn is_framework(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).map(|t| t.contains_key("outcome") || t.contains_key("area")).unwrap_or(false)
}

struct Ctx<'a> {
    source: &'a str,
    text: &'a str,
    index: LineIndex<'a>,
}

impl Ctx<'_> {
    fn at(&self, span: Range<usize>) -> Location {
        self.index.location(self.source, span.start)
    }

    fn markdown(&self, s: Spanned<String>) -> Snippet {
        Snippet::from_toml(self.source, &self.index, self.text, s)
    }
}

fn file_stem(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    name.strip_suffix(".toml").unwrap_or(name).to_string()
}

/// The file's id (`id`, else the file name), checked; and where to report problems with it.
fn file_id(ctx: &Ctx, id: Option<Spanned<String>>, errors: &mut Vec<Diagnostic>) -> (String, Location) {
    match id {
        Some(s) => {
            let at = ctx.at(s.span());
            let id = s.into_inner();
            if !is_id(&id, true) {
                errors.push(at.error(format!(
                    "id `{id}` is not usable in a web address; expected lower-case letters, digits, `-` and `_`, such as \"early-help-assessment\""
                )));
            }
            (id, at)
        }
        None => {
            let id = file_stem(ctx.source);
            let at = Location::new(ctx.source, 1, 1);
            if !is_id(&id, true) {
                errors.push(at.error(format!(
                    "the file name `{id}` is not usable in a web address; rename the file or add id = \"...\" (lower-case letters, digits, `-` and `_`)"
                )));
            }
            (id, at)
        }
    }
}

fn parse_form(source: &str, text: String, errors: &mut Vec<Diagnostic>) -> Option<(Form, Location)> {
    let (raw, mut found) = parse_toml_lenient::<RawForm>(source, &text, 0, &text);
    errors.append(&mut found);
    let raw = raw?;
    let ctx = Ctx { source, text: &text, index: LineIndex::new(&text) };
    let top = Location::new(source, 1, 1);
    let (id, id_at) = file_id(&ctx, raw.id, errors);
    let title = match raw.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner(),
        Some(t) => {
            errors
                .push(ctx.at(t.span()).error("the form's `title` is empty; expected a title such as \"Early Help Assessment\""));
            id.clone()
        }
        None => {
            errors.push(top.error("a form needs a `title`, such as title = \"Early Help Assessment\""));
            id.clone()
        }
    };
    let version = match raw.version {
        Some(v) if v.get_ref().trim().is_empty() => {
            errors.push(ctx.at(v.span()).error("`version` is empty; expected a version such as \"1.0\""));
            "1".to_string()
        }
        Some(v) => v.into_inner(),
        None => "1".to_string(),
    };
    if raw.section.is_empty() {
        errors.push(top.error(
            "a form needs at least one [[section]] with fields (a file of outcomes needs [[outcome]] tables to be read as an outcomes framework)",
        ));
    }
    let intro = raw.intro.map(|s| ctx.markdown(s));
    let mut sections = Vec::new();
    let mut section_ids: HashMap<String, usize> = HashMap::new();
    for raw_section in raw.section {
        let header = ctx.at(raw_section.span());
        let s = raw_section.into_inner();
        let sid = match s.id {
            Some(i) => {
                let at = ctx.at(i.span());
                let sid = i.into_inner();
                if !is_id(&sid, true) {
                    errors.push(at.error(format!(
                        "section id `{sid}` is not usable as a link target; expected lower-case letters, digits, `-` and `_`, such as \"about\""
                    )));
                } else if RESERVED_IDS.contains(&sid.as_str()) {
                    errors.push(at.error(format!("section id `{sid}` is used by the page layout; choose another id")));
                } else if let Some(line) = section_ids.get(&sid) {
                    errors.push(at.error(format!(
                        "duplicate section id `{sid}`: line {line} already uses it; section ids must be unique within the form"
                    )));
                } else {
                    section_ids.insert(sid.clone(), at.line);
                }
                sid
            }
            None => {
                errors.push(header.error("this section has no `id`; expected one such as id = \"about\""));
                String::new()
            }
        };
        let stitle = match s.title {
            Some(t) => t.into_inner(),
            None => {
                errors
                    .push(header.error(format!(
                        "section `{sid}` has no `title`; expected one such as title = \"About this assessment\""
                    )));
                sid.clone()
            }
        };
        if s.field.is_empty() {
            errors.push(header.error(format!("section `{sid}` has no fields; expected at least one [[section.field]] after it")));
        }
        let fields = s.field.into_iter().filter_map(|f| parse_field(&ctx, f, false, errors)).collect();
        sections.push(Section { id: sid, title: stitle, intro: s.intro.map(|i| ctx.markdown(i)), fields });
    }
    let continues = parse_continues(&ctx, raw.continues, raw.continues_map, errors);
    let form = Form { source: source.to_string(), id, title, version, intro, sections, continues };
    check_field_ids(&form, errors);
    check_people(&form, errors);
    check_options_from(&form, errors);
    let top: Vec<&Field> = form.fields().collect();
    for section in &form.sections {
        check_show_if(&top, &section.fields, "at the form's top level (outside repeats)", errors);
        for field in &section.fields {
            if let FieldKind::Repeat { fields, .. } = &field.kind {
                let siblings: Vec<&Field> = fields.iter().collect();
                check_show_if(&siblings, fields, &format!("in the rows of `{}`", field.id), errors);
            }
        }
    }
    Some((form, id_at))
}

type RawMap = Spanned<BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>>;

/// `continues` and `continues_map`, checked as far as one file can be: ids,
/// no repeats, a map only for a form continued. A form may continue
/// itself: each review starts from the last one.
/// Whether the forms and fields exist is `crate::check::continued_forms`.
fn parse_continues(
    ctx: &Ctx,
    list: Option<Vec<Spanned<String>>>,
    map: Option<RawMap>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Continues> {
    let mut out: Vec<Continues> = Vec::new();
    for s in list.unwrap_or_default() {
        let at = ctx.at(s.span());
        let form = s.into_inner();
        if !is_id(&form, true) {
            errors.push(at.error(format!(
                "`continues` names `{form}`, which is not a form id; expected the ids of earlier forms, such as [\"early-help-assessment\"]"
            )));
        } else if out.iter().any(|c| c.form == form) {
            errors.push(at.error(format!("`continues` names `{form}` twice")));
        } else {
            out.push(Continues { form, at, map: Vec::new() });
        }
    }
    let Some(map) = map else { return out };
    let mut tables: Vec<_> = map.into_inner().into_iter().collect();
    tables.sort_by_key(|(k, _)| k.span().start);
    for (key, table) in tables {
        let at = ctx.at(key.span());
        let form = key.into_inner();
        let Some(c) = out.iter_mut().find(|c| c.form == form) else {
            let named: Vec<&str> = out.iter().map(|c| c.form.as_str()).collect();
            errors.push(at.error(if named.is_empty() {
                format!("[continues_map.{form}] maps the fields of `{form}`, but this form has no `continues`; add continues = [\"{form}\"]")
            } else {
                format!(
                    "[continues_map.{form}] maps the fields of `{form}`, which `continues` does not name; expected one of: {}",
                    named.join(", ")
                )
            }));
            continue;
        };
        let mut entries: Vec<_> = table.into_inner().into_iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (from, to) in entries {
            let (from_at, to_at) = (ctx.at(from.span()), ctx.at(to.span()));
            let (from, to) = (from.into_inner(), to.into_inner());
            // `from = ""`: carried nowhere (an answer about one meeting only).
            if !is_id(&from, false) || (!to.is_empty() && !is_id(&to, false)) {
                errors.push(from_at.error(format!(
                    "`{from} = \"{to}\"` is not a pair of field ids; expected the earlier form's field id = this form's field id, such as lead_name = \"lead_professional\""
                )));
                continue;
            }
            c.map.push(Mapped { from, from_at, to, to_at });
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for m in c.map.iter().filter(|m| !m.to.is_empty()) {
            if let Some(line) = seen.insert(m.to.as_str(), m.from_at.line) {
                errors.push(m.to_at.error(format!(
                    "`{}` is already the target of line {line}; each field of this form takes the answer of one earlier field",
                    m.to
                )));
            }
        }
    }
    out
}

/// Reads a number key that must lie in `range`.
fn number(
    ctx: &Ctx,
    value: Option<Spanned<i64>>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
    errors: &mut Vec<Diagnostic>,
) -> Option<u32> {
    let v = value?;
    let n = *v.get_ref();
    if range.contains(&n) {
        Some(n as u32)
    } else {
        errors.push(ctx.at(v.span()).error(format!(
            "`{key}` is {n}; expected a whole number from {} to {}",
            range.start(),
            range.end()
        )));
        None
    }
}

fn parse_field(ctx: &Ctx, raw: Spanned<RawField>, in_repeat: bool, errors: &mut Vec<Diagnostic>) -> Option<Field> {
    let header = ctx.at(raw.span());
    let f = raw.into_inner();
    let (id, at) = match f.id {
        Some(i) => {
            let at = ctx.at(i.span());
            let id = i.into_inner();
            if !is_id(&id, false) {
                errors.push(at.error(format!(
                    "field id `{id}` is not allowed; expected lower-case letters, digits and `_`, such as \"assessment_date\""
                )));
            }
            (id, at)
        }
        None => {
            errors.push(header.error(
                "this field has no `id`; expected one such as id = \"assessment_date\" (lower-case letters, digits and `_`)",
            ));
            (String::new(), header.clone())
        }
    };
    let name = if id.is_empty() { "this field".to_string() } else { format!("field `{id}`") };
    let kind = match &f.kind {
        None => {
            errors.push(at.error(format!("{name} has no `kind`; expected kind = one of: {}", Kind::list())));
            None
        }
        Some(k) => match Kind::parse(k.get_ref()) {
            Some(kind) => Some(kind),
            None => {
                errors.push(ctx.at(k.span()).error(format!(
                    "unknown field kind `{}`; expected one of: {}",
                    k.get_ref(),
                    Kind::list()
                )));
                None
            }
        },
    };
    let kind = kind?;

    // Keys that only some kinds use.
    let misplaced = |present: bool, key: &str, span: Option<Range<usize>>, allowed: &[Kind], errors: &mut Vec<Diagnostic>| {
        if present && !allowed.contains(&kind) {
            let list = allowed.iter().map(|k| format!("`{}`", k.name())).collect::<Vec<_>>().join(" and ");
            let place = span.map(|s| ctx.at(s)).unwrap_or_else(|| header.clone());
            errors.push(place.error(format!("`{key}` only applies to {list} fields; {name} is a `{}` field", kind.name())));
        }
    };
    misplaced(
        f.options.is_some(),
        "options",
        f.options.as_ref().map(|o| o.span()),
        &[Kind::Choice, Kind::Choices, Kind::Select],
        errors,
    );
    misplaced(f.low.is_some(), "low", f.low.as_ref().map(|o| o.span()), &[Kind::Scale], errors);
    misplaced(f.high.is_some(), "high", f.high.as_ref().map(|o| o.span()), &[Kind::Scale], errors);
    misplaced(f.item.is_some(), "item", f.item.as_ref().map(|o| o.span()), &[Kind::Repeat], errors);
    misplaced(f.min.is_some(), "min", f.min.as_ref().map(|o| o.span()), &[Kind::Repeat], errors);
    misplaced(f.max.is_some(), "max", f.max.as_ref().map(|o| o.span()), &[Kind::Repeat], errors);
    misplaced(f.print_rows.is_some(), "print_rows", f.print_rows.as_ref().map(|o| o.span()), &[Kind::Repeat], errors);
    misplaced(
        !f.field.is_empty(),
        "[[section.field.field]] sub-fields",
        f.field.first().map(|o| o.span()),
        &[Kind::Repeat],
        errors,
    );
    misplaced(f.framework.is_some(), "framework", f.framework.as_ref().map(|o| o.span()), &[Kind::Outcomes], errors);
    misplaced(f.text.is_some(), "text", f.text.as_ref().map(|o| o.span()), &[Kind::Guidance], errors);
    misplaced(f.memorable.is_some(), "memorable", f.memorable.as_ref().map(|o| o.span()), &[Kind::Date], errors);
    misplaced(f.options_from.is_some(), "options_from", f.options_from.as_ref().map(|o| o.span()), &[Kind::Select], errors);
    if let (Some(_), Some(from)) = (&f.options, &f.options_from) {
        errors.push(ctx.at(from.span()).error(format!(
            "{name} has both `options` and `options_from`; keep one: `options_from` takes its options from an outcomes field"
        )));
    }
    misplaced(f.names.is_some(), "names", f.names.as_ref().map(|o| o.span()), &[Kind::Rowid], errors);
    misplaced(f.people.is_some(), "people", f.people.as_ref().map(|o| o.span()), &[Kind::Genogram], errors);
    if in_repeat && kind == Kind::Genogram {
        errors.push(
            at.error(format!("{name} is a genogram inside a repeat; put it at the form's top level, after the repeat it draws")),
        );
    }
    if !in_repeat && matches!(kind, Kind::Rowid | Kind::Person) {
        errors.push(at.error(format!(
            "{name} is a `{}` field outside a repeat; `rowid` and `person` fields belong to a repeat's rows",
            kind.name()
        )));
    }

    let label = match f.label {
        Some(l) if l.get_ref().trim().is_empty() && !matches!(kind, Kind::Guidance | Kind::Rowid) => {
            errors.push(
                ctx.at(l.span()).error(format!("the `label` of {name} is empty; expected the question or name shown beside it")),
            );
            String::new()
        }
        Some(l) => l.into_inner(),
        None if matches!(kind, Kind::Guidance | Kind::Rowid) => String::new(),
        None => {
            errors.push(at.error(format!(
                "{name} has no `label`; expected the question or name shown beside it, such as label = \"Date of assessment\""
            )));
            id.clone()
        }
    };
    let required = match f.required {
        Some(r) if *r.get_ref() && matches!(kind, Kind::Guidance | Kind::Genogram | Kind::Rowid) => {
            errors.push(
                ctx.at(r.span()).error(format!("a `{}` field has no answer to give, so it cannot be `required`", kind.name())),
            );
            false
        }
        Some(r) => r.into_inner(),
        None => false,
    };
    let print_lines =
        number(ctx, f.print_lines, "print_lines", 1..=30, errors).unwrap_or(if kind == Kind::Textarea { 5 } else { 1 });

    let mut options = Vec::new();
    if kind.has_options() && f.options_from.is_none() {
        match f.options {
            None => errors.push(at.error(format!(
                "{name} is a `{}` field but has no `options`; expected options = [\"Yes\", \"No\"] or options = [{{ value = \"yes\", label = \"Yes\" }}, ...]",
                kind.name()
            ))),
            Some(list) => {
                if list.get_ref().is_empty() {
                    errors.push(ctx.at(list.span()).error(format!("{name} has an empty `options` list; expected at least one option")));
                }
                let mut seen: HashSet<String> = HashSet::new();
                for opt in list.into_inner() {
                    let oat = ctx.at(opt.span());
                    let choice = match opt.get_ref() {
                        toml::Value::String(s) => Some(Choice { value: s.clone(), label: s.clone() }),
                        toml::Value::Table(t) => {
                            let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(|s| s.to_string());
                            let extra: Vec<&String> = t.keys().filter(|k| *k != "value" && *k != "label").collect();
                            match (get("value"), get("label")) {
                                (Some(value), Some(label)) if extra.is_empty() => Some(Choice { value, label }),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    match choice {
                        None => errors.push(oat.error(
                            "an option is either a string, such as \"Done\", or a table { value = \"done\", label = \"Done\" } with exactly those two keys",
                        )),
                        Some(c) if c.value.is_empty() || c.label.trim().is_empty() => {
                            errors.push(oat.error("an option's value and label cannot be empty"))
                        }
                        Some(c) => {
                            if !seen.insert(c.value.clone()) {
                                errors.push(oat.error(format!(
                                    "duplicate option value `{}` in {name}; each option needs its own value",
                                    c.value
                                )));
                            }
                            options.push(c);
                        }
                    }
                }
            }
        }
    }

    let mut repeat = None;
    if kind == Kind::Repeat {
        if in_repeat {
            errors.push(at.error(format!(
                "{name} is a repeat inside a repeat; a repeat's rows can hold any kind of field except `repeat`"
            )));
        }
        let item = match f.item {
            Some(i) if !i.get_ref().trim().is_empty() => i.into_inner(),
            _ => "row".to_string(),
        };
        let min_at = f.min.as_ref().map(|m| ctx.at(m.span()));
        let min = number(ctx, f.min, "min", 0..=500, errors).unwrap_or(0);
        let max = number(ctx, f.max, "max", 1..=500, errors);
        if let Some(mx) = max
            && min > mx
        {
            errors.push(
                min_at
                    .unwrap_or_else(|| header.clone())
                    .error(format!("{name} has `min` = {min}, more than `max` = {mx}; expected min to be at most max")),
            );
        }
        let print_rows = number(ctx, f.print_rows, "print_rows", 0..=50, errors).unwrap_or(DEFAULT_PRINT_ROWS);
        if f.field.is_empty() {
            errors.push(header.error(format!(
                "repeat {name} has no sub-fields; expected [[section.field.field]] tables after it, one per column of a row"
            )));
        }
        let fields = f.field.into_iter().filter_map(|sub| parse_field(ctx, sub, true, errors)).collect();
        repeat = Some(FieldKind::Repeat { item, min, max, print_rows, fields });
    }

    let mut outcomes = None;
    if kind == Kind::Outcomes {
        outcomes = Some(match f.framework {
            Some(fw) => FieldKind::Outcomes { at: ctx.at(fw.span()), framework: fw.into_inner() },
            None => FieldKind::Outcomes { framework: "outcomes".to_string(), at: at.clone() },
        });
    }
    let text = if kind == Kind::Guidance {
        match f.text {
            Some(t) => Some(ctx.markdown(t)),
            None => {
                errors.push(
                    at.error(format!("{name} is `guidance` but has no `text`; expected text = \"\"\"Markdown to show\"\"\"")),
                );
                None
            }
        }
    } else {
        None
    };
    let show_if = f.show_if.and_then(|s| {
        let sat = ctx.at(s.span());
        let s = s.into_inner();
        let value = match s.value.get_ref() {
            toml::Value::String(v) => v.clone(),
            toml::Value::Integer(n) => n.to_string(),
            _ => {
                errors.push(ctx.at(s.value.span()).error("a `show_if` value must be a string, such as value = \"no\""));
                return None;
            }
        };
        Some(ShowIf { field: s.field.into_inner(), value, at: sat })
    });
    let genogram = (kind == Kind::Genogram).then(|| match f.people {
        Some(p) => FieldKind::Genogram { at: ctx.at(p.span()), people: p.into_inner() },
        None => {
            errors.push(at.error(format!(
                "{name} is a `genogram` but has no `people`; expected people = \"household_members\", the repeat of the people to draw"
            )));
            FieldKind::Genogram { people: String::new(), at: at.clone() }
        }
    });
    let rowid = (kind == Kind::Rowid).then(|| match f.names {
        Some(n) => FieldKind::Rowid { at: ctx.at(n.span()), names: n.into_inner() },
        None => FieldKind::Rowid { names: String::new(), at: at.clone() },
    });
    let (low, high) = (f.low.map(|s| s.into_inner()), f.high.map(|s| s.into_inner()));
    let kind = match kind {
        Kind::Text => FieldKind::Text,
        Kind::Textarea => FieldKind::Textarea,
        Kind::Date => FieldKind::Date { memorable: f.memorable.as_ref().is_some_and(|m| *m.get_ref()) },
        Kind::Number => FieldKind::Number,
        Kind::Email => FieldKind::Email,
        Kind::Tel => FieldKind::Tel,
        Kind::Choice => FieldKind::Choice { options },
        Kind::Choices => FieldKind::Choices { options },
        Kind::Select => FieldKind::Select {
            options,
            from: f.options_from.map(|o| OptionsFrom { at: ctx.at(o.span()), field: o.into_inner() }),
        },
        Kind::Yesno => FieldKind::Yesno,
        Kind::Scale => FieldKind::Scale { low, high },
        Kind::Repeat => repeat?,
        Kind::Outcomes => outcomes?,
        Kind::Signature => FieldKind::Signature,
        Kind::Guidance => FieldKind::Guidance { text },
        Kind::Rowid => rowid?,
        Kind::Person => FieldKind::Person,
        Kind::Genogram => genogram?,
    };
    let print = f.print.unwrap_or(true) && !matches!(kind, FieldKind::Rowid { .. });
    Some(Field { id, kind, label, hint: f.hint.filter(|h| !h.trim().is_empty()), required, show_if, print_lines, print, at })
}

/// Field ids are unique within the whole form, repeat sub-fields included,
/// so an answers file can be read by id alone.
fn check_field_ids(form: &Form, errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let all = form.fields().flat_map(|f| std::iter::once(f).chain(f.sub_fields()));
    for f in all {
        if f.id.is_empty() {
            continue;
        }
        if let Some(line) = seen.get(f.id.as_str()) {
            errors.push(f.at.error(format!(
                "duplicate field id `{}`: line {line} already uses it; field ids must be unique within the form",
                f.id
            )));
        } else {
            seen.insert(&f.id, f.at.line);
        }
    }
}

/// A genogram's `people` names a repeat of the same form; a repeat has at
/// most one `rowid`, which names its rows by a `text` sibling (the first one
/// when `names` is left out); `person` fields need that `rowid` to store.
fn check_people(form: &Form, errors: &mut Vec<Diagnostic>) {
    let repeats: Vec<&Field> = form.fields().filter(|f| f.kind.tag() == Kind::Repeat).collect();
    for f in form.fields() {
        let FieldKind::Genogram { people, at } = &f.kind else { continue };
        if people.is_empty() || repeats.iter().any(|r| &r.id == people) {
            continue;
        }
        let list = repeats.iter().map(|r| format!("`{}`", r.id)).collect::<Vec<_>>();
        let expected =
            if list.is_empty() { "this form has no repeat".to_string() } else { format!("expected one of: {}", list.join(", ")) };
        let what = match form.fields().find(|x| &x.id == people) {
            Some(x) => format!("`{people}` is a `{}` field, not a repeat", x.kind.tag().name()),
            None => format!("there is no repeat `{people}` in this form"),
        };
        errors.push(at.error(format!("genogram `{}` draws the people of `{people}`, but {what}; {expected}", f.id)));
    }
    for r in &repeats {
        let subs = r.sub_fields();
        let ids: Vec<&Field> = subs.iter().filter(|s| s.kind.tag() == Kind::Rowid).collect();
        for extra in ids.iter().skip(1) {
            errors.push(extra.at.error(format!(
                "the rows of `{}` already have a `rowid` field (`{}`); a row has one id, so keep only one",
                r.id, ids[0].id
            )));
        }
        if let Some(FieldKind::Rowid { names, at }) = ids.first().map(|f| &f.kind) {
            let texts: Vec<&str> = subs.iter().filter(|s| s.kind.tag() == Kind::Text).map(|s| s.id.as_str()).collect();
            if names.is_empty() && texts.is_empty() {
                errors.push(at.error(format!(
                    "`{}` has no `names` and the rows of `{}` have no `text` field to name them by; add a text field such as the person's name",
                    ids[0].id, r.id
                )));
            } else if !names.is_empty() && !texts.contains(&names.as_str()) {
                let list = if texts.is_empty() { "none here".to_string() } else { texts.join(", ") };
                errors.push(at.error(format!(
                    "`names` is `{names}`, which is not a `text` field of the rows of `{}`; expected one of: {list}",
                    r.id
                )));
            }
        } else if let Some(p) = subs.iter().find(|s| s.kind.tag() == Kind::Person) {
            errors.push(p.at.error(format!(
                "`{}` picks one of the other rows of `{}`, but those rows have no `rowid` field to store; add one such as id = \"member_id\", kind = \"rowid\"",
                p.id, r.id
            )));
        }
    }
}

/// The sub-field whose answer names a repeat's rows in `person` lists.
pub fn row_names(repeat: &Field) -> Option<&str> {
    let subs = repeat.sub_fields();
    let FieldKind::Rowid { names, .. } = &subs.iter().find(|s| s.kind.tag() == Kind::Rowid)?.kind else { return None };
    if !names.is_empty() {
        return Some(names);
    }
    subs.iter().find(|s| s.kind.tag() == Kind::Text).map(|s| s.id.as_str())
}

/// Each `show_if` among `fields` must name one of `scope` (the form's top
/// level, or the sibling sub-fields of a repeat) that has a fixed set of
/// answers, and one of those answers; and no chain of them may loop.
fn check_show_if(scope: &[&Field], fields: &[Field], place: &str, errors: &mut Vec<Diagnostic>) {
    let mut by_id: HashMap<&str, &Field> = HashMap::new();
    for f in scope {
        by_id.entry(f.id.as_str()).or_insert(*f);
    }
    let candidates = || {
        let list: Vec<&str> = scope.iter().filter(|f| f.kind.tag().has_values()).map(|f| f.id.as_str()).collect();
        if list.is_empty() { "none here".to_string() } else { list.join(", ") }
    };
    for field in fields {
        let Some(cond) = &field.show_if else { continue };
        let Some(target) = by_id.get(cond.field.as_str()) else {
            errors.push(cond.at.error(format!(
                "`show_if` names the field `{}`, but there is no such field {place}; expected one of the choice, choices, select, yesno or scale fields: {}",
                cond.field,
                candidates()
            )));
            continue;
        };
        if target.id == field.id {
            errors.push(cond.at.error(format!("`show_if` of `{}` names the field itself; expected another field", field.id)));
            continue;
        }
        if !target.kind.tag().has_values() {
            errors.push(cond.at.error(format!(
                "`show_if` names `{}`, a `{}` field; expected a choice, choices, select, yesno or scale field: {}",
                target.id,
                target.kind.tag().name(),
                candidates()
            )));
            continue;
        }
        let values = target.values();
        if !values.iter().any(|v| v.value == cond.value) {
            let list = values.iter().map(|v| format!("\"{}\"", v.value)).collect::<Vec<_>>().join(", ");
            errors.push(cond.at.error(format!(
                "`show_if` value \"{}\" is not an answer of `{}`; expected one of: {list}",
                cond.value, target.id
            )));
            continue;
        }
        // A loop would hide every field in it for ever.
        let mut seen = vec![field.id.as_str()];
        let mut next = target;
        while let Some(c) = &next.show_if {
            if seen.contains(&c.field.as_str()) {
                errors.push(cond.at.error(format!(
                    "`show_if` conditions loop ({} -> {}); none of those fields could ever be shown",
                    seen.join(" -> "),
                    c.field
                )));
                break;
            }
            seen.push(&next.id);
            match by_id.get(c.field.as_str()) {
                Some(f) => next = f,
                None => break,
            }
        }
    }
}

fn parse_framework(source: &str, text: String, errors: &mut Vec<Diagnostic>) -> Option<(Framework, Location)> {
    let (raw, mut found) = parse_toml_lenient::<RawFramework>(source, &text, 0, &text);
    errors.append(&mut found);
    let raw = raw?;
    let ctx = Ctx { source, text: &text, index: LineIndex::new(&text) };
    let top = Location::new(source, 1, 1);
    let (id, id_at) = file_id(&ctx, raw.id, errors);
    let title = match raw.title {
        Some(t) => t.into_inner(),
        None => {
            errors.push(top.error("an outcomes framework needs a `title`, such as title = \"Shared Outcomes Framework\""));
            id.clone()
        }
    };
    let intro = raw.intro.map(|s| ctx.markdown(s));
    let mut areas = Vec::new();
    let mut area_lines: HashMap<String, usize> = HashMap::new();
    for a in raw.area {
        let header = ctx.at(a.span());
        let a = a.into_inner();
        let Some(aid) = a.id else {
            errors.push(header.error("this area has no `id`; expected one such as id = \"health\""));
            continue;
        };
        let at = ctx.at(aid.span());
        let aid = aid.into_inner();
        if !is_id(&aid, true) {
            errors.push(at.error(format!("area id `{aid}` is not allowed; expected lower-case letters, digits, `-` and `_`")));
        }
        if let Some(line) = area_lines.get(&aid) {
            errors.push(at.error(format!("duplicate area id `{aid}`: line {line} already uses it")));
            continue;
        }
        area_lines.insert(aid.clone(), at.line);
        let atitle = match a.title {
            Some(t) => t.into_inner(),
            None => {
                errors.push(header.error(format!("area `{aid}` has no `title`; expected one such as title = \"Health\"")));
                aid.clone()
            }
        };
        areas.push(Area { id: aid, title: atitle });
    }
    if raw.outcome.is_empty() {
        errors.push(top.error("an outcomes framework needs at least one [[outcome]]"));
    }
    let mut outcomes = Vec::new();
    let mut outcome_lines: HashMap<String, usize> = HashMap::new();
    for o in raw.outcome {
        let header = ctx.at(o.span());
        let o = o.into_inner();
        let Some(oid) = o.id else {
            errors.push(header.error("this outcome has no `id`; expected one such as id = \"good-mental-health\""));
            continue;
        };
        let at = ctx.at(oid.span());
        let oid = oid.into_inner();
        if !is_id(&oid, true) {
            errors.push(at.error(format!("outcome id `{oid}` is not allowed; expected lower-case letters, digits, `-` and `_`")));
        } else if oid.starts_with("area-") {
            errors.push(
                at.error(format!("outcome id `{oid}` starts with `area-`, which the page keeps for areas; choose another id")),
            );
        }
        if let Some(line) = outcome_lines.get(&oid) {
            errors
                .push(at.error(format!("duplicate outcome id `{oid}`: line {line} already uses it; outcome ids must be unique")));
            continue;
        }
        outcome_lines.insert(oid.clone(), at.line);
        let otitle = match o.title {
            Some(t) => t.into_inner(),
            None => {
                errors.push(
                    header.error(format!("outcome `{oid}` has no `title`; expected one such as title = \"Good mental health\"")),
                );
                oid.clone()
            }
        };
        let mut oareas = Vec::new();
        match o.areas {
            None if !areas.is_empty() => errors.push(header.error(format!(
                "outcome `{oid}` names no `areas`; expected areas = [\"...\"] with ids of the [[area]] tables: {}",
                areas.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", ")
            ))),
            None => {}
            Some(list) => {
                for a in list.into_inner() {
                    let aat = ctx.at(a.span());
                    let aid = a.into_inner();
                    if area_lines.contains_key(&aid) {
                        oareas.push(aid);
                    } else {
                        let known = areas.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", ");
                        errors.push(aat.error(format!(
                            "outcome `{oid}` names the area `{aid}`, which is not an [[area]] of this framework; expected one of: {}",
                            if known.is_empty() { "none are defined" } else { &known }
                        )));
                    }
                }
            }
        }
        outcomes.push(Outcome {
            id: oid,
            title: otitle,
            areas: oareas,
            indicators: o.indicators,
            success: o.success,
            measures: o.measures,
        });
    }
    let source = source.to_string();
    Some((Framework { source, id, title, intro, areas, outcomes }, id_at))
}

// ------------------------------------------------------------ answers schema

/// The JSON Schema (draft 2020-12) of the answers file that a form's page
/// downloads, so a case-management system can read the files.
pub fn answers_schema(form: &Form, forms: &Forms) -> Value {
    let (properties, required) = properties(form.fields(), forms);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("urn:handbook:form:{}:{}", form.id, form.version),
        "title": format!("{}: answers file", form.title),
        "description": format!(
            "Answers to version {} of the form \"{}\", as downloaded from the form's page. Every answer field is present; an unanswered text is \"\", an unanswered number or scale is null, an unanswered multiple choice is [].",
            form.version, form.title
        ),
        "type": "object",
        "required": ["form", "version", "saved", "answers"],
        "properties": {
            "form": { "const": form.id, "description": "The form's id." },
            "title": { "type": "string", "description": "The form's title when the file was saved." },
            "version": { "const": form.version, "description": "The version of the form the answers were given to." },
            "saved": { "type": "string", "format": "date-time", "description": "When the file was saved (ISO 8601, UTC)." },
            "label": {
                "type": "string", "maxLength": 200,
                "description": "The family name or case reference the practitioner gave these answers (left out when none was given)."
            },
            "answers": {
                "type": "object",
                "description": "Answers by field id.",
                "properties": properties,
                "required": required,
                "additionalProperties": false
            }
        },
        "additionalProperties": false
    })
}

fn properties<'a>(fields: impl Iterator<Item = &'a Field>, forms: &Forms) -> (Map<String, Value>, Vec<String>) {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        if !f.kind.tag().has_answer() {
            continue;
        }
        let mut schema = field_schema(f, forms);
        if let Value::Object(m) = &mut schema {
            m.insert("title".into(), json!(f.label));
            let mut description = f.hint.clone().unwrap_or_default();
            if f.required {
                description = format!("{} Required on the form.", description).trim().to_string();
            }
            if let Some(c) = &f.show_if {
                description = format!("{description} Asked only when `{}` is \"{}\".", c.field, c.value).trim().to_string();
            }
            if !description.is_empty() {
                m.insert("description".into(), json!(description));
            }
        }
        props.insert(f.id.clone(), schema);
        required.push(f.id.clone());
    }
    (props, required)
}

fn one_of(values: &[Choice], empty: Option<Value>) -> Vec<Value> {
    let mut list: Vec<Value> = Vec::new();
    if let Some(e) = empty {
        list.push(json!({ "const": e, "title": "Not answered" }));
    }
    list.extend(values.iter().map(|c| json!({ "const": c.value, "title": c.label })));
    list
}

fn field_schema(f: &Field, forms: &Forms) -> Value {
    let date = json!({ "anyOf": [{ "const": "" }, { "type": "string", "format": "date" }] });
    match &f.kind {
        FieldKind::Text | FieldKind::Textarea | FieldKind::Tel => json!({ "type": "string", "maxLength": MAX_ANSWER_CHARS }),
        FieldKind::Email => json!({ "anyOf": [{ "const": "" }, { "type": "string", "format": "email", "maxLength": 320 }] }),
        FieldKind::Date { .. } => date,
        FieldKind::Number => json!({ "type": ["number", "null"] }),
        FieldKind::Choice { .. } | FieldKind::Select { .. } | FieldKind::Yesno => {
            json!({ "oneOf": one_of(&f.values(), Some(json!(""))) })
        }
        FieldKind::Choices { .. } => {
            json!({ "type": "array", "uniqueItems": true, "items": { "oneOf": one_of(&f.values(), None) } })
        }
        FieldKind::Scale { low, high } => json!({
            "type": ["integer", "null"], "minimum": 1, "maximum": 10,
            "$comment": format!("1 = {}, 10 = {}", low.as_deref().unwrap_or("lowest"), high.as_deref().unwrap_or("highest"))
        }),
        FieldKind::Outcomes { framework, .. } => {
            let choices: Vec<Choice> = forms
                .framework(framework)
                .map(|fw| fw.outcomes.iter().map(|o| Choice { value: o.id.clone(), label: o.title.clone() }).collect())
                .unwrap_or_default();
            json!({ "type": "array", "uniqueItems": true, "items": { "oneOf": one_of(&choices, None) } })
        }
        FieldKind::Signature => json!({
            "type": "object",
            "properties": {
                "name": { "type": "string", "maxLength": MAX_ANSWER_CHARS, "title": "Typed name" },
                "date": { "title": "Date", "anyOf": date["anyOf"] }
            },
            "required": ["name", "date"],
            "additionalProperties": false
        }),
        FieldKind::Repeat { item, max, fields, .. } => {
            let (props, required) = properties(fields.iter(), forms);
            let mut schema = json!({
                "type": "array",
                "description": format!("One object per {item} (rows left completely empty are not included)."),
                "items": { "type": "object", "properties": props, "required": required, "additionalProperties": false }
            });
            if let Some(max) = max {
                schema["maxItems"] = json!(max);
            }
            schema
        }
        FieldKind::Rowid { .. } => json!({
            "type": "string", "pattern": "^[A-Za-z0-9_-]{0,40}$",
            "$comment": "Made by the page when the row was added; person answers in other rows name the row by it."
        }),
        FieldKind::Person => json!({
            "type": "string", "pattern": "^[A-Za-z0-9_-]{0,40}$",
            "$comment": "The rowid of another row of the same repeat, or \"\" for nobody."
        }),
        FieldKind::Guidance { .. } | FieldKind::Genogram { .. } => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses the files and checks the frameworks they name, as a build does.
    fn parse(files: &[(&str, &str)]) -> (Forms, Vec<Diagnostic>) {
        let (forms, errors) = parse_files(files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect());
        let mut sink = Diagnostics { items: errors };
        crate::check::outcome_frameworks(&forms, &mut sink);
        (forms, sink.items)
    }

    const FRAMEWORK: &str = "id = \"outcomes\"\ntitle = \"Outcomes\"\n\n[[area]]\nid = \"health\"\ntitle = \"Health\"\n\n[[outcome]]\nid = \"well\"\ntitle = \"Well\"\nareas = [\"health\"]\nindicators = [\"Poorly\"]\nsuccess = [\"Better\"]\nmeasures = [\"GP says so\"]\n";

    const GOOD: &str = r#"title = "Test form"
version = "2"
intro = "Fill in [the guide](../content/a.md)."

[[section]]
id = "about"
title = "About"

[[section.field]]
id = "agree"
kind = "yesno"
label = "Do you agree?"
required = true

[[section.field]]
id = "why_not"
kind = "textarea"
label = "Why not?"
show_if = { field = "agree", value = "no" }

[[section.field]]
id = "people"
kind = "repeat"
label = "People"
item = "person"
min = 1
max = 3

[[section.field.field]]
id = "person_name"
kind = "text"
label = "Name"
required = true

[[section.field.field]]
id = "person_status"
kind = "choice"
label = "Status"
options = ["Here", { value = "away", label = "Away" }]

[[section.field.field]]
id = "person_note"
kind = "text"
label = "Note"
show_if = { field = "person_status", value = "away" }

[[section.field]]
id = "goals"
kind = "outcomes"
label = "Outcomes"
framework = "outcomes"
"#;

    #[test]
    fn the_default_forms_load_without_errors() {
        let root = crate::testing::handbook();
        let root = root.as_path();
        let mut errors = Diagnostics::default();
        let files = crate::files::read(root, DIR, crate::files::Depth::Top, Some("toml"), &mut errors);
        let forms = load(files, &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
        let ids: Vec<&str> = forms.forms.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["early-help-assessment", "early-help-review"]);
        assert_eq!(forms.frameworks.len(), 1);
        let fw = &forms.frameworks[0];
        assert_eq!(
            (fw.id.as_str(), fw.source.as_str(), fw.url()),
            ("outcomes", "forms/outcomes.toml", "forms/outcomes.html".into())
        );
        assert_eq!(fw.outcomes.len(), 11);
        assert_eq!(fw.areas.len(), 5);
        let eha = &forms.forms[0];
        assert_eq!(eha.source, "forms/early-help-assessment.toml");
        assert_eq!(eha.url(), "forms/early-help-assessment.html");
        let members = eha.fields().find(|f| f.id == "household_members").unwrap();
        let FieldKind::Repeat { min, max, item, .. } = &members.kind else { panic!("household_members is a repeat") };
        assert_eq!((*min, *max, item.as_str()), (1, Some(20), "household member"));
        let reason = members.sub_fields().iter().find(|f| f.id == "member_not_included_reason").unwrap();
        let cond = reason.show_if.as_ref().unwrap();
        assert_eq!((cond.field.as_str(), cond.value.as_str(), reason.required), ("member_included", "no", true));
        assert_eq!(reason.print_lines, 3);
    }

    #[test]
    fn a_good_form_loads_into_plain_structs() {
        let (forms, errors) = parse(&[("forms/test.toml", GOOD), ("forms/outcomes.toml", FRAMEWORK)]);
        assert!(errors.is_empty(), "{errors:#?}");
        let form = &forms.forms[0];
        assert_eq!((form.id.as_str(), form.version.as_str(), form.title.as_str()), ("test", "2", "Test form"));
        let intro = form.intro.as_ref().unwrap();
        assert!(intro.text.starts_with("Fill"));
        assert_eq!((intro.at.path.as_str(), intro.at.line, intro.at.col), ("forms/test.toml", 3, 10));
        let fields: Vec<(&str, Kind)> = form.fields().map(|f| (f.id.as_str(), f.kind.tag())).collect();
        assert_eq!(
            fields,
            [("agree", Kind::Yesno), ("why_not", Kind::Textarea), ("people", Kind::Repeat), ("goals", Kind::Outcomes)]
        );
        let why = &form.sections[0].fields[1];
        assert_eq!((why.required, why.print_lines, why.at.line), (false, 5, 16));
        let people = &form.sections[0].fields[2];
        let FieldKind::Repeat { print_rows, fields, .. } = &people.kind else { panic!("people is a repeat") };
        assert_eq!(*print_rows, DEFAULT_PRINT_ROWS);
        assert_eq!(
            fields[1].kind,
            FieldKind::Choice {
                options: vec![
                    Choice { value: "Here".into(), label: "Here".into() },
                    Choice { value: "away".into(), label: "Away".into() }
                ]
            }
        );
        assert_eq!(forms.frameworks[0].outcomes[0].indicators, ["Poorly"]);
    }

    fn errors_of(form: &str) -> Vec<String> {
        let (_, errors) = parse(&[("forms/bad.toml", form), ("forms/outcomes.toml", FRAMEWORK)]);
        errors.iter().map(|d| d.to_string()).collect()
    }

    fn one_error(form: &str, line: usize, needle: &str) {
        let errors = errors_of(form);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let want = format!("forms/bad.toml:{line}:");
        assert!(errors[0].starts_with(&want), "expected line {line}: {errors:#?}");
        assert!(errors[0].contains(needle), "expected `{needle}` in {}", errors[0]);
    }

    const HEAD: &str = "title = \"Bad\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n";

    #[test]
    fn an_unknown_kind_names_the_kinds_expected() {
        one_error(
            &format!("{HEAD}[[section.field]]\nid = \"a\"\nkind = \"texta\"\nlabel = \"A\"\n"),
            7,
            "unknown field kind `texta`; expected one of: text, textarea, date, number, email, tel, choice, choices, yesno, select, scale, repeat, outcomes, signature, guidance",
        );
    }

    #[test]
    fn a_duplicate_field_id_points_at_the_first_use() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\n[[section.field]]\nid = \"r\"\nkind = \"repeat\"\nlabel = \"R\"\n[[section.field.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A again\"\n"
        );
        one_error(&form, 14, "duplicate field id `a`: line 6 already uses it");
    }

    #[test]
    fn a_duplicate_section_id_is_an_error() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\n[[section]]\nid = \"s\"\ntitle = \"Again\"\n[[section.field]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B\"\n"
        );
        one_error(&form, 10, "duplicate section id `s`: line 3 already uses it");
    }

    #[test]
    fn show_if_must_name_an_existing_field() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"agree\"\nkind = \"yesno\"\nlabel = \"A\"\n[[section.field]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B\"\nshow_if = {{ field = \"agreed\", value = \"no\" }}\n"
        );
        one_error(&form, 13, "`show_if` names the field `agreed`, but there is no such field");
        assert!(errors_of(&form)[0].contains("expected one of the choice, choices, select, yesno or scale fields: agree"));
    }

    #[test]
    fn show_if_must_name_one_of_the_fields_values() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"agree\"\nkind = \"yesno\"\nlabel = \"A\"\n[[section.field]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B\"\nshow_if = {{ field = \"agree\", value = \"maybe\" }}\n"
        );
        one_error(&form, 13, "`show_if` value \"maybe\" is not an answer of `agree`; expected one of: \"yes\", \"no\"");
    }

    #[test]
    fn show_if_inside_a_repeat_looks_at_the_row_only() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"agree\"\nkind = \"yesno\"\nlabel = \"A\"\n[[section.field]]\nid = \"r\"\nkind = \"repeat\"\nlabel = \"R\"\n[[section.field.field]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B\"\nshow_if = {{ field = \"agree\", value = \"no\" }}\n"
        );
        one_error(&form, 17, "`show_if` names the field `agree`, but there is no such field");
    }

    #[test]
    fn show_if_on_a_text_field_or_in_a_loop_is_an_error() {
        let text = format!(
            "{HEAD}[[section.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\n[[section.field]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B\"\nshow_if = {{ field = \"a\", value = \"x\" }}\n"
        );
        one_error(&text, 13, "`show_if` names `a`, a `text` field; expected a choice, choices, select, yesno or scale field");
        let looped = format!(
            "{HEAD}[[section.field]]\nid = \"a\"\nkind = \"yesno\"\nlabel = \"A\"\nshow_if = {{ field = \"b\", value = \"yes\" }}\n[[section.field]]\nid = \"b\"\nkind = \"yesno\"\nlabel = \"B\"\nshow_if = {{ field = \"a\", value = \"yes\" }}\n"
        );
        let errors = errors_of(&looped);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("conditions loop"), "{errors:#?}");
    }

    #[test]
    fn an_outcomes_field_must_name_a_framework() {
        let form = format!("{HEAD}[[section.field]]\nid = \"o\"\nkind = \"outcomes\"\nlabel = \"O\"\nframework = \"outcome\"\n");
        one_error(
            &form,
            9,
            "uses the outcomes framework \"outcome\", which does not exist; expected one of: \"outcomes\" (forms/outcomes.toml)",
        );
        let (_, errors) = parse(&[("forms/bad.toml", &form)]);
        assert!(errors[0].message.contains("there is no outcomes framework in forms/"), "{errors:#?}");
    }

    #[test]
    fn a_section_with_no_fields_is_an_error() {
        one_error(HEAD, 2, "section `s` has no fields; expected at least one [[section.field]] after it");
    }

    #[test]
    fn a_repeat_with_min_above_max_is_an_error() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"r\"\nkind = \"repeat\"\nlabel = \"R\"\nmin = 4\nmax = 2\n[[section.field.field]]\nid = \"b\"\nkind = \"text\"\nlabel = \"B\"\n"
        );
        one_error(&form, 9, "field `r` has `min` = 4, more than `max` = 2; expected min to be at most max");
    }

    #[test]
    fn other_mistakes_are_explained() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"c\"\nkind = \"choice\"\nlabel = \"C\"\n[[section.field]]\nid = \"t\"\nkind = \"text\"\nlabel = \"T\"\noptions = [\"a\"]\n[[section.field]]\nid = \"Bad-Id\"\nkind = \"text\"\nlabel = \"X\"\n[[section.field]]\nid = \"g\"\nkind = \"guidance\"\n[[section.field]]\nid = \"e\"\nkind = \"select\"\nlabel = \"E\"\noptions = [\"a\", \"a\", 3]\n"
        );
        let errors = errors_of(&form);
        let expect = [
            ("forms/bad.toml:6:", "has no `options`"),
            ("forms/bad.toml:13:", "`options` only applies to `choice` and `choices` and `select` fields"),
            ("forms/bad.toml:15:", "field id `Bad-Id` is not allowed"),
            ("forms/bad.toml:19:", "is `guidance` but has no `text`"),
            ("forms/bad.toml:25:", "duplicate option value `a`"),
            ("forms/bad.toml:25:", "an option is either a string"),
        ];
        assert_eq!(errors.len(), expect.len(), "{errors:#?}");
        for (e, (at, what)) in errors.iter().zip(expect) {
            assert!(e.starts_with(at) && e.contains(what), "expected {at} {what}, got {e}");
        }
    }

    #[test]
    fn every_problem_in_every_file_is_reported_in_one_run() {
        let bad = format!(
            "{HEAD}[[section.field]]\nid = \"a\"\nkind = \"texta\"\nlabel = \"A\"\ncolour = \"red\"\n[[section]]\nid = \"empty\"\ntitle = \"Empty\"\n"
        );
        let other = "title = \"Other\"\nid = \"outcomes\"\n[[section]]\nid = \"x\"\ntitle = \"X\"\n[[section.field]]\nid = \"r\"\nkind = \"repeat\"\nlabel = \"R\"\nmin = 2\nmax = 1\n[[section.field.field]]\nid = \"n\"\nkind = \"number\"\nlabel = \"N\"\n";
        // An unknown key is reported beside the file's other problems; the second file is checked too.
        let (_, mut errors) = parse(&[("forms/bad.toml", &bad), ("forms/other.toml", other), ("forms/outcomes.toml", FRAMEWORK)]);
        errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        let lines: Vec<String> = errors.iter().map(|d| format!("{}:{}", d.path, d.line)).collect();
        assert_eq!(
            lines,
            ["forms/bad.toml:7", "forms/bad.toml:9", "forms/bad.toml:10", "forms/other.toml:10", "forms/outcomes.toml:1"],
            "{errors:#?}"
        );
        assert!(errors[0].message.contains("unknown field kind `texta`"), "{errors:#?}");
        assert!(errors[1].message.contains("unknown key `colour`"), "{errors:#?}");
        assert!(errors[4].message.contains("the id `outcomes` is already used by forms/other.toml"), "{errors:#?}");
        // Without the unknown key, both structural errors of the first file appear.
        let bad = bad.replace("colour = \"red\"\n", "\n");
        let lines: Vec<usize> = errors_of(&bad).iter().map(|e| e.split(':').nth(1).unwrap().parse().unwrap()).collect();
        assert_eq!(lines, [7, 10]);
    }

    #[test]
    fn framework_mistakes_are_located() {
        let fw = "title = \"F\"\n[[area]]\nid = \"a\"\ntitle = \"A\"\n[[area]]\nid = \"a\"\ntitle = \"Again\"\n[[outcome]]\nid = \"o\"\ntitle = \"O\"\nareas = [\"a\", \"b\"]\n[[outcome]]\nid = \"o\"\ntitle = \"O2\"\nareas = [\"a\"]\n";
        let (_, errors) = parse(&[("forms/f.toml", fw)]);
        let got: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got[0].starts_with("forms/f.toml:6:") && got[0].contains("duplicate area id `a`"));
        assert!(got[1].starts_with("forms/f.toml:11:") && got[1].contains("names the area `b`"));
        assert!(got[2].starts_with("forms/f.toml:13:") && got[2].contains("duplicate outcome id `o`"));
    }

    #[test]
    fn memorable_is_for_dates_only_and_saved_is_taken() {
        let form = format!(
            "{HEAD}[[section.field]]\nid = \"dob\"\nkind = \"date\"\nmemorable = true\nlabel = \"Date of birth\"\n[[section.field]]\nid = \"n\"\nkind = \"text\"\nmemorable = true\nlabel = \"Name\"\n"
        );
        one_error(&form, 13, "`memorable` only applies to `date` fields; field `n` is a `text` field");
        let (forms, _) = parse(&[("forms/bad.toml", &form)]);
        assert_eq!(forms.forms[0].sections[0].fields[0].kind, FieldKind::Date { memorable: true });
        let saved = format!("id = \"saved\"\n{HEAD}[[section.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\n");
        one_error(&saved, 1, "the id `saved` is taken by the list of saved drafts (forms/saved.html)");
    }

    #[test]
    fn the_schema_limits_answers_so_no_file_can_freeze_the_page() {
        let (forms, _) = parse(&[("forms/test.toml", GOOD), ("forms/outcomes.toml", FRAMEWORK)]);
        let schema = answers_schema(&forms.forms[0], &forms);
        assert_eq!(schema["properties"]["label"]["maxLength"], 200);
        assert!(!schema["required"].as_array().unwrap().contains(&json!("label")), "a file without a family name is still valid");
        let note = &schema["properties"]["answers"]["properties"]["people"]["items"]["properties"]["person_note"];
        assert_eq!(note["maxLength"], MAX_ANSWER_CHARS);
    }

    #[test]
    fn the_schema_describes_every_answer() {
        let (forms, errors) = parse(&[("forms/test.toml", GOOD), ("forms/outcomes.toml", FRAMEWORK)]);
        assert!(errors.is_empty());
        let schema = answers_schema(&forms.forms[0], &forms);
        assert_eq!(schema["properties"]["form"]["const"], "test");
        assert_eq!(schema["properties"]["version"]["const"], "2");
        let answers = &schema["properties"]["answers"];
        assert_eq!(answers["required"], json!(["agree", "why_not", "people", "goals"]));
        assert_eq!(answers["properties"]["agree"]["oneOf"][1], json!({ "const": "yes", "title": "Yes" }));
        assert!(answers["properties"]["why_not"]["description"].as_str().unwrap().contains("Asked only when `agree` is \"no\""));
        let people = &answers["properties"]["people"];
        assert_eq!(people["type"], "array");
        assert_eq!(people["maxItems"], 3);
        assert_eq!(people["items"]["required"], json!(["person_name", "person_status", "person_note"]));
        assert_eq!(people["items"]["properties"]["person_status"]["oneOf"][2], json!({ "const": "away", "title": "Away" }));
        assert_eq!(answers["properties"]["goals"]["items"]["oneOf"][0], json!({ "const": "well", "title": "Well" }));
    }
}
