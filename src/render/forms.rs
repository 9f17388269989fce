//! Form pages (`forms/<id>.html`), their answers schemas
//! (`forms/<id>.schema.json`), outcomes framework reference pages
//! (`forms/<framework>.html`) and the list of forms (`forms/index.html`).
//!
//! Everything a template needs about a field (ids, names, error messages,
//! the note on a conditional field) is worked out here, so the templates
//! only place markup.

use super::{OutputFile, Renderer};
use crate::diagnostics::Diagnostic;
use crate::forms::{self, Field, FieldKind, Form, Framework, Kind};
use crate::paths;
use crate::text::{first_paragraph, lower_first, upper_first};
use rayon::prelude::*;
use serde::Serialize;

/// Renders every form (page and answers schema), framework and the forms index.
pub fn render_all(r: &Renderer) -> Vec<Result<OutputFile, Diagnostic>> {
    let site_forms = &r.site.forms;
    let mut files: Vec<Result<OutputFile, Diagnostic>> = site_forms
        .forms
        .par_iter()
        .flat_map_iter(|form| {
            let mut view = form_view(r, form, true);
            let schema = forms::answers_schema(form, site_forms);
            // For the page's own check of answers files, in a JSON data block.
            view.answers_schema = script_json(&schema);
            view.carry_plan = carry_plan(form, site_forms).map(|v| script_json(&v)).unwrap_or_default();
            let chrome = r.chrome(&view.url, &form.title, None);
            let page = r.page("form.html", &chrome, &view);
            let print = PrintView::new(r, &form.title, Some(&form.version));
            let print = print_css(r, &view.print_css, &print);
            let json = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
            [page, print, Ok(OutputFile::bytes(form.schema_url(), json))]
        })
        .collect();
    for fw in &site_forms.frameworks {
        files.push(render_framework(r, fw));
    }
    if !site_forms.forms.is_empty() || !site_forms.frameworks.is_empty() {
        files.push(render_index(r));
    }
    if !site_forms.forms.is_empty() {
        files.push(render_saved(r));
    }
    files
}

/// The blank form's HTML without the page layout or its title heading, for
/// course packs: no buttons, and ids prefixed with the form's id so that
/// several forms can share one document. Its stylesheet is `assets/forms.css`.
pub fn printable_form(r: &Renderer, form: &Form) -> Result<String, Diagnostic> {
    let view = form_view(r, form, false);
    let mut ctx = tera::Context::new();
    ctx.insert("root", &paths::root_prefix(&view.url));
    ctx.insert("page", &view);
    ctx.insert_value("t", r.t.clone());
    // In a pack the form sits under the pack item's h2.
    ctx.insert("level", &3);
    r.tera.render("form-body.html", &ctx).map_err(|e| super::template_error("form-body.html", &e))
}

/// What `print.css` needs to print a form or a course pack's running header
/// and footer. CSS `content` can only take words from a stylesheet, and the
/// page's CSP allows no inline style, so each printed document gets its own
/// small stylesheet, made from the template (where the words are).
#[derive(Serialize)]
pub struct PrintView {
    /// Every text is a quoted, escaped CSS string, ready for `content:`.
    title: String,
    authority: String,
    version: Option<String>,
    /// A course pack's items: each prints its number and title at the top of its sheets.
    parts: Vec<PrintPart>,
    /// The footer's words in the site's language, as CSS `content` values.
    words: PrintWords,
}

/// The words print.css puts on paper, each ready for `content:`: strings,
/// and `counter(page)` where the words say `{page}`.
#[derive(Serialize)]
struct PrintWords {
    /// ` · Version ` before the version.
    version: String,
    /// ` · Printed copies may be out of date`.
    out_of_date: String,
    /// `Page N of M`.
    page_of: String,
    /// After a chosen option.
    chosen: String,
    /// Before a printed list of options.
    circle_one: String,
}

impl PrintWords {
    fn new(words: &crate::strings::Strings) -> Self {
        // The middle dot is written as the escape the footer always had.
        let after_dot = |text: String| format!("\" \\00B7  {}", &css_string(&text)[1..]);
        let page_of = words.get("print.page_of");
        let mut parts = Vec::new();
        let mut rest = page_of;
        while let Some(i) = rest.find('{') {
            let (text, after) = rest.split_at(i);
            let Some(end) = after.find('}') else { break };
            if !text.is_empty() {
                parts.push(css_string(text));
            }
            match &after[1..end] {
                "page" => parts.push("counter(page)".to_string()),
                "pages" => parts.push("counter(pages)".to_string()),
                other => parts.push(css_string(&format!("{{{other}}}"))),
            }
            rest = &after[end + 1..];
        }
        if !rest.is_empty() {
            parts.push(css_string(rest));
        }
        PrintWords {
            version: after_dot(format!("{} ", words.get("print.version"))),
            out_of_date: after_dot(words.get("base.print_out_of_date").to_string()),
            page_of: parts.join(" "),
            chosen: css_string(&format!(" {}", words.get("print.chosen"))),
            circle_one: css_string(&format!("{} ", words.get("print.circle_one"))),
        }
    }
}

#[derive(Serialize)]
struct PrintPart {
    number: usize,
    /// The HTML id the part starts at, as a CSS string for an `[id=...]` selector.
    id: String,
    title: String,
}

impl PrintView {
    pub fn new(r: &Renderer, title: &str, version: Option<&str>) -> Self {
        PrintView {
            title: css_string(title),
            authority: css_string(&r.info.authority),
            version: version.map(css_string),
            parts: Vec::new(),
            words: PrintWords::new(&r.site.strings),
        }
    }

    /// Adds a part of a pack (numbered from 1 in the order added) starting at the element `id`.
    pub fn part(&mut self, id: &str, title: &str) {
        let number = self.parts.len() + 1;
        self.parts.push(PrintPart { number, id: css_string(id), title: css_string(title) });
    }
}

/// Renders `print.css` for the document whose stylesheet is at `path`.
pub fn print_css(r: &Renderer, path: &str, view: &PrintView) -> Result<OutputFile, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert("page", view);
    ctx.insert_value("t", r.t.clone());
    let css = r.tera.render("print.css", &ctx).map_err(|e| super::template_error("print.css", &e))?;
    Ok(OutputFile::bytes(path, css))
}

/// Text as a CSS string literal. Written here because no CSS crate in use
/// serializes strings, and the rule is short: quote, and escape the quote,
/// the backslash and every control character (as a hex escape and a space).
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ------------------------------------------------------------------ views

#[derive(Serialize)]
struct FormView {
    id: String,
    title: String,
    version: String,
    url: String,
    schema_url: String,
    intro: Option<String>,
    /// The page's own form (buttons, drafts) rather than a blank copy in a pack.
    interactive: bool,
    sections: Vec<SectionView>,
    /// Prefix of ids that must not clash when several forms share a page.
    prefix: String,
    /// The answers file's JSON Schema, safe inside a `<script>` data block
    /// (form pages only).
    answers_schema: String,
    /// The form page's print stylesheet (running header and footer), from the site root.
    print_css: String,
    /// The earlier forms it continues, for "Start from an earlier form".
    continues: Vec<ContinuesView>,
    /// What carries from each of them (`carry_plan`), safe in a data block;
    /// empty when the form continues none (form pages only).
    carry_plan: String,
    /// It has a genogram, so the page loads the scripts that draw it.
    genogram: bool,
    /// A drop-down offers the outcomes chosen elsewhere (`options_from`).
    outcome_options: bool,
}

#[derive(Serialize)]
struct ContinuesView {
    title: String,
    url: String,
}

/// For carry.js: per earlier form, its id and title, which of its answers go
/// where (`fields`, and `rows` for repeats with their `columns`), and the
/// labels of its answers that go nowhere (`skipped`), to say so.
fn carry_plan(form: &Form, all: &forms::Forms) -> Option<serde_json::Value> {
    use serde_json::{Map, Value, json};
    let mut list = Vec::new();
    for c in &form.continues {
        let Some(earlier) = all.forms.iter().find(|f| f.id == c.form) else { continue };
        let carry = forms::carry(earlier, form, c);
        let mut skipped = Map::new();
        let mut rows = Map::new();
        for f in earlier.fields().filter(|f| f.kind.tag().has_answer()) {
            if let Some((_, to, cols)) = carry.rows.iter().find(|(from, _, _)| *from == f.id) {
                let columns: Map<String, Value> = cols.iter().map(|(a, b)| (a.clone(), json!(b))).collect();
                let missed: Map<String, Value> = f
                    .sub_fields()
                    .iter()
                    .filter(|s| s.kind.tag().has_answer() && !columns.contains_key(&s.id))
                    .map(|s| (s.id.clone(), json!(s.label)))
                    .collect();
                rows.insert(f.id.clone(), json!({ "to": to, "columns": columns, "skipped": missed }));
            } else if !carry.fields.iter().any(|(from, _)| *from == f.id) {
                skipped.insert(f.id.clone(), json!(f.label));
            }
        }
        let fields: Map<String, Value> = carry.fields.iter().map(|(a, b)| (a.clone(), json!(b))).collect();
        list.push(json!({
            "id": earlier.id, "title": earlier.title, "version": earlier.version,
            "fields": fields, "rows": rows, "skipped": skipped,
        }));
    }
    (!list.is_empty()).then(|| json!({ "forms": list }))
}

#[derive(Serialize)]
struct SectionView {
    id: String,
    title: String,
    intro: Option<String>,
    /// The first field is kept with the heading so a heading never ends a printed page.
    first: Vec<FieldView>,
    rest: Vec<FieldView>,
}

#[derive(Serialize, Default)]
struct FieldView {
    kind: &'static str,
    /// The field's id in the definition and in answers files.
    field: String,
    /// HTML id of the (first) control.
    id: String,
    name: String,
    label: String,
    hint: Option<String>,
    hint_id: String,
    error_id: String,
    describedby: String,
    required: bool,
    optional: bool,
    /// A fieldset with a legend (radios, checkboxes, signature) rather than one label.
    group: bool,
    input_type: &'static str,
    list_class: &'static str,
    /// Lines of writing room when printed blank, and textarea rows.
    lines: u32,
    rows: u32,
    options: Vec<OptionView>,
    show_if: Option<ShowIfView>,
    error_required: String,
    error_invalid: String,
    scale_key: Option<String>,
    repeat: Option<RepeatView>,
    /// Guidance text.
    html: Option<String>,
    /// A date asked as day, month and year boxes.
    memorable: bool,
    /// `print = false`: not printed.
    print: bool,
    /// `person`: the sibling field whose answer names each row in the list.
    names: String,
    /// `genogram`: the repeat whose rows it draws.
    people: String,
    /// `options_from`: the outcomes field whose chosen outcomes this drop-down offers.
    options_from: Option<String>,
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    id: String,
    hint: Option<String>,
    hint_id: String,
    /// Words under 1 and 10 of a scale.
    end: Option<String>,
    details: Option<OutcomeDetails>,
    details_id: String,
}

#[derive(Serialize)]
struct OutcomeDetails {
    url: String,
    indicators: Vec<String>,
    success: Vec<String>,
    measures: Vec<String>,
}

#[derive(Serialize)]
struct ShowIfView {
    field: String,
    value: String,
    note: String,
}

#[derive(Serialize)]
struct RepeatView {
    item: String,
    add_label: String,
    min: u32,
    /// 0 when there is no limit.
    max: u32,
    /// Rows on the page before anyone adds one.
    initial: usize,
    rows: Vec<RowView>,
    /// The row "Add another" copies; `__i__` stands for the row's number in ids.
    template: Vec<RowView>,
    /// Blank rows printed only while no row has been filled in.
    print_rows: Vec<RowView>,
}

#[derive(Serialize)]
struct RowView {
    item: String,
    item_lower: String,
    number: String,
    print: bool,
    fields: Vec<FieldView>,
}

fn form_view(r: &Renderer, form: &Form, interactive: bool) -> FormView {
    let url = form.url();
    let prefix = format!("{}--", form.id);
    let top: Vec<&Field> = form.fields().collect();
    let sections = form
        .sections
        .iter()
        .map(|s| {
            let mut fields: Vec<FieldView> = s
                .fields
                .iter()
                .map(|f| {
                    let ids = Ids { base: format!("{prefix}{}", f.id), name: f.id.clone() };
                    field_view(r, f, &ids, &top)
                })
                .collect();
            let rest = if fields.is_empty() { Vec::new() } else { fields.split_off(1) };
            SectionView {
                id: if interactive { s.id.clone() } else { format!("{prefix}{}", s.id) },
                title: s.title.clone(),
                intro: s.intro.as_ref().map(|md| r.compiled.html(md)),
                first: fields,
                rest,
            }
        })
        .collect();
    FormView {
        id: form.id.clone(),
        title: form.title.clone(),
        version: form.version.clone(),
        url: url.clone(),
        schema_url: form.schema_url(),
        intro: form.intro.as_ref().map(|md| r.compiled.html(md)),
        interactive,
        sections,
        prefix,
        answers_schema: String::new(),
        print_css: paths::print_css(&url),
        continues: form
            .continues
            .iter()
            .filter_map(|c| r.site.forms.forms.iter().find(|f| f.id == c.form))
            .map(|f| ContinuesView { title: f.title.clone(), url: f.url() })
            .collect(),
        carry_plan: String::new(),
        genogram: form.fields().any(|f| f.kind.tag() == Kind::Genogram),
        outcome_options: form
            .fields()
            .flat_map(|f| std::iter::once(f).chain(f.sub_fields()))
            .any(|f| matches!(f.kind, FieldKind::Select { from: Some(_), .. })),
    }
}

/// JSON for a `<script type="application/json">` block: `<` is escaped so
/// no string in it can close the element.
fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value).unwrap_or_default().replace('<', "\\u003c")
}

/// The HTML id and the form control name of one field (or one row's field).
struct Ids {
    base: String,
    name: String,
}

fn field_view(r: &Renderer, f: &Field, ids: &Ids, scope: &[&Field]) -> FieldView {
    let kind = f.kind.tag();
    let id = ids.base.clone();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let words = &r.site.strings;
    let mut hint = f.hint.clone();
    if matches!(kind, Kind::Choices | Kind::Outcomes) {
        let all = words.get("form_messages.select_all");
        hint = Some(match hint {
            Some(h) => format!("{h} {all}"),
            None => all.to_string(),
        });
    }
    let describedby = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    let memorable = matches!(f.kind, FieldKind::Date { memorable: true });
    let group =
        matches!(kind, Kind::Choice | Kind::Choices | Kind::Yesno | Kind::Scale | Kind::Outcomes | Kind::Signature) || memorable;
    let input_type = match kind {
        Kind::Date => "date",
        Kind::Number => "number",
        Kind::Email => "email",
        Kind::Tel => "tel",
        Kind::Choice | Kind::Yesno | Kind::Scale => "radio",
        Kind::Choices | Kind::Outcomes => "checkbox",
        _ => "text",
    };
    let list_class = match kind {
        Kind::Yesno => "options options-inline",
        Kind::Scale => "options options-scale",
        _ => "options",
    };
    let (low, high) = match &f.kind {
        FieldKind::Scale { low, high } => (low.as_deref(), high.as_deref()),
        _ => (None, None),
    };
    let option_id = |i: usize| if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
    let mut options: Vec<OptionView> = values(r, f)
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let end = match (kind, i) {
                (Kind::Scale, 0) => low.map(str::to_string),
                (Kind::Scale, 9) => high.map(str::to_string),
                _ => None,
            };
            OptionView {
                hint_id: format!("{id}-option-{}-hint", i + 1),
                details_id: String::new(),
                id: option_id(i),
                value: c.value,
                label: c.label,
                hint: None,
                end,
                details: None,
            }
        })
        .collect();
    if let Some(fw) = f.framework().and_then(|id| r.site.forms.framework(id)) {
        options = fw
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let areas: Vec<&str> = o.areas.iter().map(|a| fw.area_title(a)).collect();
                OptionView {
                    value: o.id.clone(),
                    label: o.title.clone(),
                    id: option_id(i),
                    hint: (!areas.is_empty())
                        .then(|| words.count("form_messages.outcome_areas", areas.len() as i64, &[("areas", &areas.join(", "))])),
                    hint_id: format!("{id}-option-{}-hint", i + 1),
                    end: None,
                    details_id: format!("{}-details", option_id(i)),
                    details: Some(OutcomeDetails {
                        url: format!("{}#{}", fw.url(), o.id),
                        indicators: o.indicators.clone(),
                        success: o.success.clone(),
                        measures: o.measures.clone(),
                    }),
                }
            })
            .collect();
    }
    let show_if = f.show_if.as_ref().map(|c| {
        let target = scope.iter().find(|t| t.id == c.field);
        let question = target.map(|t| t.label.as_str()).unwrap_or(&c.field);
        let answer = target
            .and_then(|t| values(r, t).into_iter().find(|v| v.value == c.value))
            .map(|v| v.label)
            .unwrap_or_else(|| c.value.clone());
        ShowIfView {
            field: c.field.clone(),
            value: c.value.clone(),
            note: words.fill("form_messages.show_if", &[("question", question), ("answer", &answer)]),
        }
    });
    let scale_key = (kind == Kind::Scale).then(|| {
        let low = lower_first(low.unwrap_or(words.get("form_messages.scale_lowest")));
        let high = lower_first(high.unwrap_or(words.get("form_messages.scale_highest")));
        words.fill("form_messages.scale_key", &[("low", &low), ("high", &high)])
    });
    let repeat = match &f.kind {
        FieldKind::Repeat { item, min, max, print_rows, fields } => {
            Some(repeat_view(r, RepeatOf { item, min: *min, max: *max, print_rows: *print_rows, fields }, ids))
        }
        _ => None,
    };
    let html = match &f.kind {
        FieldKind::Guidance { text: Some(md) } => Some(r.compiled.html(md)),
        _ => None,
    };
    // A person list names the rows by the field the row's `rowid` says.
    let names = match kind {
        Kind::Person => scope
            .iter()
            .find(|s| s.kind.tag() == Kind::Rowid)
            .and_then(|rowid| {
                let FieldKind::Rowid { names, .. } = &rowid.kind else { return None };
                if names.is_empty() {
                    scope.iter().find(|s| s.kind.tag() == Kind::Text).map(|s| s.id.clone())
                } else {
                    Some(names.clone())
                }
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    let people = match &f.kind {
        FieldKind::Genogram { people, .. } => people.clone(),
        _ => String::new(),
    };
    FieldView {
        kind: kind.name(),
        field: f.id.clone(),
        id: id.clone(),
        name: ids.name.clone(),
        label: f.label.clone(),
        hint,
        hint_id,
        error_id,
        describedby,
        required: f.required,
        optional: !f.required && kind.has_answer() && !matches!(kind, Kind::Repeat | Kind::Rowid),
        group,
        input_type,
        list_class,
        lines: f.print_lines,
        rows: f.print_lines.clamp(3, 10),
        options,
        show_if,
        error_required: required_message(words, f),
        error_invalid: invalid_message(words, f),
        scale_key,
        repeat,
        html,
        memorable,
        print: f.print,
        names,
        people,
        options_from: match &f.kind {
            FieldKind::Select { from: Some(from), .. } => Some(from.field.clone()),
            _ => None,
        },
    }
}

/// What a repeat field holds.
struct RepeatOf<'a> {
    item: &'a str,
    min: u32,
    max: Option<u32>,
    print_rows: u32,
    fields: &'a [Field],
}

fn repeat_view(r: &Renderer, f: RepeatOf, ids: &Ids) -> RepeatView {
    let siblings: Vec<&Field> = f.fields.iter().collect();
    let item = upper_first(f.item);
    let row = |index: &str, number: String, print: bool| RowView {
        item: item.clone(),
        item_lower: f.item.to_string(),
        number,
        print,
        fields: f
            .fields
            .iter()
            .map(|sub| {
                let ids =
                    Ids { base: format!("{}-{index}-{}", ids.base, sub.id), name: format!("{}.{index}.{}", ids.name, sub.id) };
                field_view(r, sub, &ids, &siblings)
            })
            .collect(),
    };
    let initial = f.min.max(1) as usize;
    let rows = (0..initial).map(|i| row(&i.to_string(), (i + 1).to_string(), false)).collect();
    let template = vec![row("__i__", String::new(), false)];
    let extra = (f.print_rows as usize).saturating_sub(initial);
    let print_rows = (0..extra).map(|i| row(&format!("p{}", i + 1), (initial + i + 1).to_string(), true)).collect();
    RepeatView {
        item: f.item.to_string(),
        add_label: r.site.strings.fill("form_messages.add_another", &[("item", f.item)]),
        min: f.min,
        max: f.max.unwrap_or(0),
        initial,
        rows,
        template,
        print_rows,
    }
}

/// The values a field's answer can take with their labels, a yes/no
/// question's in the site's language (its values stay `yes` and `no`).
fn values(r: &Renderer, f: &Field) -> Vec<forms::Choice> {
    let mut values = f.values();
    if matches!(f.kind, FieldKind::Yesno) {
        for v in &mut values {
            v.label = r.site.strings.get(&format!("form_messages.{}", v.value)).to_string();
        }
    }
    values
}

/// The GOV.UK-style message for a required field left empty.
fn required_message(words: &crate::strings::Strings, f: &Field) -> String {
    let label = f.label.trim();
    let question = label.ends_with('?');
    let lower = lower_first(label);
    let say = |key: &str| words.fill(&format!("form_messages.{key}"), &[("question", label), ("label", &lower)]);
    let item = |item: &str| words.fill("form_messages.required_repeat", &[("item", item)]);
    match &f.kind {
        FieldKind::Text
        | FieldKind::Textarea
        | FieldKind::Number
        | FieldKind::Email
        | FieldKind::Tel
        | FieldKind::Date { .. } => {
            if question {
                say("required_answer")
            } else {
                say("required_enter")
            }
        }
        FieldKind::Choice { .. } | FieldKind::Yesno | FieldKind::Select { .. } | FieldKind::Scale { .. } => {
            if question {
                say("required_select_answer")
            } else {
                say("required_select")
            }
        }
        FieldKind::Choices { .. } | FieldKind::Outcomes { .. } => say("required_choices"),
        FieldKind::Signature => say("required_signature"),
        FieldKind::Repeat { item: what, .. } => item(what),
        FieldKind::Person => say("required_select"),
        FieldKind::Guidance { .. } | FieldKind::Rowid { .. } | FieldKind::Genogram { .. } => String::new(),
    }
}

/// The message for an answer the browser cannot read as the kind asks.
fn invalid_message(words: &crate::strings::Strings, f: &Field) -> String {
    let say = |key: &str| words.fill(&format!("form_messages.{key}"), &[("question", f.label.trim())]);
    match f.kind.tag() {
        Kind::Email => say("invalid_email"),
        Kind::Number => say("invalid_number"),
        Kind::Date | Kind::Signature => say("invalid_date"),
        _ => String::new(),
    }
}

// ------------------------------------------------------------- frameworks

#[derive(Serialize)]
struct FrameworkView {
    title: String,
    intro: Option<String>,
    areas: Vec<AreaView>,
    outcomes: Vec<OutcomeView>,
    used_by: Vec<LinkView>,
}

#[derive(Serialize)]
struct AreaView {
    anchor: String,
    title: String,
    outcomes: Vec<LinkView>,
}

#[derive(Serialize)]
struct OutcomeView {
    id: String,
    title: String,
    areas: String,
    indicators: Vec<String>,
    success: Vec<String>,
    measures: Vec<String>,
}

#[derive(Serialize)]
struct LinkView {
    title: String,
    url: String,
    detail: Option<String>,
}

fn render_framework(r: &Renderer, fw: &Framework) -> Result<OutputFile, Diagnostic> {
    let url = fw.url();
    let intro = fw.intro.as_ref().map(|md| r.compiled.html(md));
    let areas = fw
        .areas
        .iter()
        .map(|a| AreaView {
            anchor: format!("area-{}", a.id),
            title: a.title.clone(),
            outcomes: fw
                .outcomes
                .iter()
                .filter(|o| o.areas.contains(&a.id))
                .map(|o| LinkView { title: o.title.clone(), url: format!("#{}", o.id), detail: None })
                .collect(),
        })
        .collect();
    let outcomes = fw
        .outcomes
        .iter()
        .map(|o| OutcomeView {
            id: o.id.clone(),
            title: o.title.clone(),
            areas: match o.areas.len() {
                0 => String::new(),
                1 => format!("Area: {}", fw.area_title(&o.areas[0])),
                _ => format!("Areas: {}", o.areas.iter().map(|a| fw.area_title(a)).collect::<Vec<_>>().join(", ")),
            },
            indicators: o.indicators.clone(),
            success: o.success.clone(),
            measures: o.measures.clone(),
        })
        .collect();
    let used_by = r
        .site
        .forms
        .forms
        .iter()
        .filter(|form| form.fields().any(|f| f.framework() == Some(fw.id.as_str())))
        .map(|form| LinkView { title: form.title.clone(), url: form.url(), detail: None })
        .collect();
    let chrome = r.chrome(&url, &fw.title, None);
    r.page("outcomes.html", &chrome, &FrameworkView { title: fw.title.clone(), intro, areas, outcomes, used_by })
}

// ------------------------------------------------------------------ index

#[derive(Serialize)]
struct IndexView<'a> {
    title: &'a str,
    forms: Vec<IndexForm>,
    frameworks: Vec<LinkView>,
}

#[derive(Serialize)]
struct IndexForm {
    title: String,
    url: String,
    schema_url: String,
    version: String,
    summary: Option<String>,
}

fn render_index(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let f = &r.site.forms;
    let forms = f
        .forms
        .iter()
        .map(|form| IndexForm {
            title: form.title.clone(),
            url: form.url(),
            schema_url: form.schema_url(),
            version: form.version.clone(),
            summary: form.intro.as_ref().map(|m| first_paragraph(&m.text)),
        })
        .collect();
    let frameworks = f
        .frameworks
        .iter()
        .map(|fw| LinkView {
            title: fw.title.clone(),
            url: fw.url(),
            detail: Some(format!("{} outcomes in {} areas", fw.outcomes.len(), fw.areas.len())),
        })
        .collect();
    let title = r.title(paths::FORMS_INDEX);
    let chrome = r.chrome(paths::FORMS_INDEX, title, None);
    r.page("forms-index.html", &chrome, &IndexView { title, forms, frameworks })
}

/// What the Saved on this device page needs to name and link each form.
#[derive(Serialize)]
struct SavedView<'a> {
    title: &'a str,
    /// `[{ "id", "title", "url" }]` as JSON for the page's data block.
    forms: String,
}

/// The Saved on this device page: the drafts are in the browser, so the
/// page is a frame that `assets/saved.js` fills in.
fn render_saved(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let list: Vec<serde_json::Value> = r
        .site
        .forms
        .forms
        .iter()
        .map(|f| serde_json::json!({ "id": f.id, "title": f.title, "url": f.url(), "version": f.version }))
        .collect();
    let title = r.title(paths::SAVED_DRAFTS);
    let chrome = r.chrome(paths::SAVED_DRAFTS, title, Some(paths::FORMS_INDEX));
    r.page("forms-saved.html", &chrome, &SavedView { title, forms: script_json(&serde_json::Value::Array(list)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline;

    fn files() -> Vec<OutputFile> {
        let (files, diagnostics) = pipeline::render_all(&crate::testing::handbook());
        assert!(!diagnostics.has_errors(), "{:#?}", diagnostics.items);
        files.unwrap()
    }

    fn text(files: &[OutputFile], path: &str) -> String {
        let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        match &f.contents {
            super::super::Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            _ => panic!("{path} is not rendered"),
        }
    }

    #[test]
    fn css_strings_and_print_stylesheet_paths() {
        assert_eq!(css_string("Jo's \"form\" \\ A\nB"), "\"Jo's \\\"form\\\" \\\\ A\\a B\"");
        assert_eq!(crate::paths::print_css("forms/early-help-review.html"), "forms/early-help-review.print.css");
    }

    #[test]
    fn the_default_forms_render_with_govuk_markup() {
        let files = files();
        let html = text(&files, "forms/early-help-assessment.html");
        assert!(html.contains("<form class=\"hb-form\""));
        assert!(html.contains(" novalidate"));
        assert!(!html.contains(" required"), "no required attribute: the page checks answers itself");
        assert!(html.contains("assets/forms.js"));
        // A text field: label tied to the input, hint and error in aria-describedby, "(optional)".
        let id = "early-help-assessment--assessor_role";
        assert!(
            html.contains(&format!(
                "<label class=\"label\" for=\"{id}\">Assessor&#x27;s role <span class=\"optional\">(optional)</span></label>"
            )) || html.contains(&format!(
                "<label class=\"label\" for=\"{id}\">Assessor&#39;s role <span class=\"optional\">(optional)</span></label>"
            )),
            "label"
        );
        assert!(html.contains(&format!("aria-describedby=\"{id}-hint {id}-error\"")));
        assert!(html.contains(&format!("id=\"{id}-hint\"")));
        // A required yes/no: a fieldset and legend, no "(optional)", its message ready.
        assert!(html.contains("<legend class=\"legend\">Does the family agree to this assessment?</legend>"));
        assert!(html.contains("data-error-required=\"Select an answer to “Does the family agree to this assessment?”\""));
        // The conditional reason in each household member row names its question.
        assert!(html.contains("data-show-if-field=\"member_included\" data-show-if-value=\"no\""));
        assert!(html.contains("Answer only if “Is this person included in this assessment?” is “No”."));
        // Rows: one to start with, a template for more, blank rows for print.
        assert!(html.contains("id=\"early-help-assessment--household_members-0-member_name\""));
        assert!(html.contains("id=\"early-help-assessment--household_members-__i__-member_name\""));
        assert!(html.contains("id=\"early-help-assessment--household_members-p1-member_name\""));
        assert!(html.contains(">Add another household member</button>"));
        // Scale: ten radios with labelled ends.
        assert!(html.contains("id=\"early-help-assessment--family_confidence-10\""));
        assert!(html.contains("<span class=\"scale-end\">Very confident</span>"));
        // Outcomes from the framework, with their indicators and a link to the reference page.
        assert!(html.contains("value=\"good-mental-health\""));
        assert!(
            html.contains("href=\"../forms/outcomes.html#good-mental-health\"")
                || html.contains("href=\"outcomes.html#good-mental-health\"")
        );
        // Guidance Markdown is rendered.
        assert!(html.contains("<strong>Agreeing to the assessment.</strong>"));
        // Writing room for print.
        assert!(html.contains("class=\"print-answer lines-6\""));
        // The error summary is ready, hidden.
        assert!(html.contains("There is a problem"));
    }

    #[test]
    fn schema_index_framework_and_nav() {
        let files = files();
        let schema: serde_json::Value = serde_json::from_str(&text(&files, "forms/early-help-review.schema.json")).unwrap();
        assert_eq!(schema["properties"]["form"]["const"], "early-help-review");
        assert_eq!(schema["properties"]["answers"]["properties"]["attendees"]["type"], "array");
        let outcomes = text(&files, "forms/outcomes.html");
        assert_eq!(outcomes.matches("<h2 class=\"outcome-title\"").count(), 11);
        assert!(outcomes.contains("id=\"good-mental-health\""));
        assert!(outcomes.contains("Indicators of concern"));
        let index = text(&files, "forms/index.html");
        for link in ["early-help-assessment.html", "early-help-review.html", "outcomes.html", "early-help-assessment.schema.json"]
        {
            assert!(index.contains(&format!("href=\"../forms/{link}\"")), "index links {link}");
        }
        // Every page's sidebar has the Forms section.
        let home = text(&files, "index.html");
        assert!(home.contains("href=\"forms/index.html\""));
    }

    #[test]
    fn form_pages_carry_their_schema_and_the_drafts_settings_and_saved_lists_the_forms() {
        let files = files();
        let html = text(&files, "forms/early-help-assessment.html");
        let block = |html: &str, open: &str| -> serde_json::Value {
            let start = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
            let end = start + html[start..].find("</script>").unwrap();
            serde_json::from_str(&html[start..end]).unwrap()
        };
        let schema = block(&html, "<script type=\"application/json\" id=\"answers-schema\">");
        assert_eq!(schema["properties"]["form"]["const"], "early-help-assessment");
        let config = block(&html, "<script type=\"application/json\" id=\"drafts-config\">");
        assert!(config["handbook"].as_str().unwrap().starts_with("hb-"));
        assert_eq!(config["expire_days"], 30);
        // Words for the scripts come from the page.
        block(&html, "<script type=\"application/json\" class=\"hb-text\" data-for=\"forms\">");
        block(&html, "<script type=\"application/json\" class=\"hb-text\" data-for=\"drafts\">");
        // A date of birth is day, month and year boxes, not a date picker.
        let id = "early-help-assessment--household_members-0-member_dob";
        assert!(html.contains(&format!("<input class=\"input input-width-2\" id=\"{id}\" name=\"household_members.0.member_dob-day\" type=\"text\" inputmode=\"numeric\"")));
        assert!(html.contains(&format!("id=\"{id}-year\"")));
        let saved = text(&files, "forms/saved.html");
        let forms = block(&saved, "<script type=\"application/json\" id=\"saved-forms\">");
        assert_eq!(forms[0]["url"], "forms/early-help-assessment.html");
        assert!(saved.contains("assets/saved.js"));
        assert!(text(&files, "forms/index.html").contains("href=\"../forms/saved.html\""));
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let v = serde_json::json!({ "label": "</script><script>alert(1)</script>" });
        let s = script_json(&v);
        assert!(!s.contains('<'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn a_printable_form_has_no_buttons_and_prefixed_ids() {
        let mut sink = crate::diagnostics::Diagnostics::default();
        let built = pipeline::Built::new(&crate::testing::handbook(), &mut sink);
        let tera = built.tera.as_ref().unwrap();
        let r = Renderer::new(&built.site, &built.map, &built.nav, &built.compiled, tera);
        let form = built.site.forms.forms.iter().find(|f| f.id == "early-help-review").unwrap();
        let html = printable_form(&r, form).unwrap();
        assert!(html.contains("id=\"early-help-review--meeting\""), "section ids prefixed");
        assert!(html.contains("Date of meeting"));
        assert!(!html.contains("data-action=\"save\""));
        assert!(!html.contains("<h1"));
        assert!(!html.contains("<html"));
    }
}
