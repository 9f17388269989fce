//! The real binary on real folders: bad forms are all reported in one run
//! at file:line, the exit status is 1 and the previous site is untouched;
//! a form using every kind of field builds.

mod common;

use common::snapshot;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn handbook(args: &[&str]) -> Output {
    common::run(args, "2025-06-01")
}

/// A copy of the default handbook, and where to build it.
fn new_handbook(name: &str) -> (PathBuf, PathBuf) {
    let root = common::new_handbook(name);
    let site = root.parent().unwrap().join("site");
    (root, site)
}

fn build(root: &Path, site: &Path) -> Output {
    handbook(&["build", "--root", root.to_str().unwrap(), "--out", site.to_str().unwrap()])
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no `{needle}`")) + 1
}

const BAD_FORM: &str = r#"title = "A form with mistakes"
version = "1"

[[section]]
id = "about"
title = "About"

[[section.field]]
id = "agree"
kind = "yesno"
label = "Do you agree?"

[[section.field]]
id = "when"
kind = "calendar"
label = "When?"

[[section.field]]
id = "agree"
kind = "text"
label = "Agree again"

[[section.field]]
id = "reason"
kind = "textarea"
label = "Why?"
show_if = { field = "agreed", value = "no" }

[[section.field]]
id = "reason_two"
kind = "textarea"
label = "Why not?"
show_if = { field = "agree", value = "maybe" }

[[section.field]]
id = "goals"
kind = "outcomes"
label = "Outcomes"
framework = "national-outcomes"

[[section.field]]
id = "people"
kind = "repeat"
label = "People"
min = 5
max = 2

[[section.field.field]]
id = "person"
kind = "text"
label = "Name"

[[section]]
id = "empty"
title = "Nothing here"
"#;

#[test]
fn bad_forms_are_all_reported_at_their_lines_and_the_site_is_untouched() {
    let (root, site) = new_handbook("bad");
    let first = build(&root, &site);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(site.join("forms/early-help-assessment.html").is_file());
    let before = snapshot(&site);

    fs::write(root.join("forms/mistakes.toml"), BAD_FORM).unwrap();
    // A second bad file: its problems come in the same run.
    fs::write(root.join("forms/second.toml"), "title = \"Second\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n").unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let f = "forms/mistakes.toml";
    let expected = [
        (line_of(BAD_FORM, "kind = \"calendar\""), "unknown field kind `calendar`; expected one of: text, textarea, date"),
        (line_of(BAD_FORM, "label = \"Agree again\"") - 2, "duplicate field id `agree`: line 9 already uses it"),
        (line_of(BAD_FORM, "field = \"agreed\""), "`show_if` names the field `agreed`, but there is no such field"),
        (
            line_of(BAD_FORM, "value = \"maybe\""),
            "`show_if` value \"maybe\" is not an answer of `agree`; expected one of: \"yes\", \"no\"",
        ),
        (
            line_of(BAD_FORM, "national-outcomes"),
            "uses the outcomes framework \"national-outcomes\", which does not exist; expected one of: \"outcomes\" (forms/outcomes.toml)",
        ),
        (line_of(BAD_FORM, "min = 5"), "has `min` = 5, more than `max` = 2; expected min to be at most max"),
        (
            line_of(BAD_FORM, "id = \"empty\"") - 1,
            "section `empty` has no fields; expected at least one [[section.field]] after it",
        ),
    ];
    for (line, message) in expected {
        let prefix = format!("{f}:{line}:");
        assert!(
            stderr.lines().any(|l| l.starts_with(&prefix) && l.contains(": error: ") && l.contains(message)),
            "expected `{prefix} ... {message}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("forms/second.toml:2:1: error: section `s` has no fields"), "{stderr}");
    assert!(stderr.contains("nothing was written, the previous site is unchanged"), "{stderr}");
    assert_eq!(snapshot(&site), before, "the previous site is byte for byte as it was");

    // `check` reports the same problems.
    let check = handbook(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let check_err = String::from_utf8_lossy(&check.stderr);
    for needle in ["unknown field kind `calendar`", "duplicate field id `agree`", "section `empty` has no fields"] {
        assert!(check_err.contains(needle), "check: {check_err}");
    }
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

#[test]
fn a_broken_link_in_a_form_intro_is_reported_at_its_line() {
    let (root, site) = new_handbook("link");
    let path = root.join("forms/early-help-review.toml");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "Use this form to record",
        "See [the missing page](../content/missing.md) and [the meeting](../content/team-around-the-family/the-meeting.md#no-such-heading).\nUse this form to record",
        1,
    );
    fs::write(&path, &text).unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = line_of(&text, "the missing page");
    assert!(stderr.contains(&format!("forms/early-help-review.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("broken link `../content/missing.md`"), "{stderr}");
    assert!(stderr.contains("no heading `#no-such-heading`"), "{stderr}");
    assert!(!site.exists(), "nothing written");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

/// The form with every kind of field, shared with the browser tests.
fn every_kind() -> String {
    fs::read_to_string(common::fixture_path("forms/every-kind.toml")).unwrap()
}

#[test]
fn a_form_with_every_kind_of_field_builds() {
    let (root, site) = new_handbook("kinds");
    fs::write(root.join("forms/every-kind.toml"), every_kind()).unwrap();
    let out = build(&root, &site);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = fs::read_to_string(site.join("forms/every-kind.html")).unwrap();
    for needle in [
        "type=\"text\"",
        "<textarea",
        "type=\"date\"",
        "type=\"number\"",
        "type=\"email\"",
        "type=\"tel\"",
        "type=\"radio\" value=\"b\"",
        "type=\"checkbox\" value=\"Green\"",
        "<select class=\"select\" id=\"every-kind--s\"",
        "<option value=\"y\">Why</option>",
        "<span class=\"scale-end\">High</span>",
        "value=\"secure-housing\"",
        "id=\"every-kind--sig-date\"",
        "Just <strong>read</strong> this.",
        ">Add another thing</button>",
        "class=\"print-answer lines-7\"",
        "href=\"outcomes.html#secure-housing\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("repeat-print-rows"), "print_rows = 0 prints no blank rows");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("forms/every-kind.schema.json")).unwrap()).unwrap();
    let answers = &schema["properties"]["answers"]["properties"];
    assert_eq!(answers["n"]["type"], serde_json::json!(["number", "null"]));
    assert_eq!(answers["sig"]["required"], serde_json::json!(["name", "date"]));
    assert_eq!(answers["r"]["items"]["properties"]["r_s"]["oneOf"][2]["const"], "Two");
    assert!(answers.get("g").is_none(), "guidance has no answer");
    let index = fs::read_to_string(site.join("forms/index.html")).unwrap();
    assert!(index.contains("Every kind of field"));
    assert!(
        index.contains("href=\"../forms/every-kind.html\" aria-current")
            || index.matches("../forms/every-kind.html").count() >= 2,
        "the form is in the Forms navigation"
    );
    let home = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("href=\"forms/index.html\">Forms</a>"), "Forms is a top-level section");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

/// A form that continues the test handbook's assessment, with a field map.
const CONTINUING: &str = r#"title = "Follow-up"
continues = ["early-help-assessment"]

[continues_map.early-help-assessment]
lead_name = "lead"
actions = "follow_actions"
action_what = "follow_action"

[[section]]
id = "s"
title = "S"

[[section.field]]
id = "lead"
kind = "textarea"
label = "Lead"

[[section.field]]
id = "follow_actions"
kind = "repeat"
label = "Actions"

[[section.field.field]]
id = "follow_action"
kind = "textarea"
label = "Action"
"#;

/// Builds the test handbook with forms/follow-up.toml holding `text`;
/// returns the exit code, stderr and the text.
fn build_continuing(name: &str, text: &str) -> (Option<i32>, String) {
    let (root, site) = new_handbook(name);
    fs::write(root.join("forms/follow-up.toml"), text).unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success() || !site.exists(), "a failed build writes nothing");
    let _ = fs::remove_dir_all(root.parent().unwrap());
    (out.status.code(), stderr)
}

#[test]
fn a_form_that_continues_another_builds_and_its_page_carries_the_map() {
    let (root, site) = new_handbook("continues-ok");
    fs::write(root.join("forms/follow-up.toml"), CONTINUING).unwrap();
    let out = build(&root, &site);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = fs::read_to_string(site.join("forms/follow-up.html")).unwrap();
    let start = html.find("id=\"carry-plan\">").expect("the carry plan is on the page") + "id=\"carry-plan\">".len();
    let plan: serde_json::Value = serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()]).unwrap();
    let from = &plan["forms"][0];
    assert_eq!(from["id"], "early-help-assessment");
    assert_eq!(from["fields"]["lead_name"], "lead", "mapped");
    assert_eq!(from["rows"]["actions"]["to"], "follow_actions");
    assert_eq!(from["rows"]["actions"]["columns"]["action_what"], "follow_action");
    assert!(from["rows"]["actions"]["columns"].get("action_who").is_none(), "no such column here");
    assert!(html.contains("data-action=\"carry\""), "the Start from an earlier form button");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

#[test]
fn continuing_a_form_that_does_not_exist_is_an_error_at_its_line() {
    let text = CONTINUING.replace("continues = [\"early-help-assessment\"]", "continues = [\"early-help-asessment\"]");
    let (code, stderr) = build_continuing("continues-missing", &text);
    assert_eq!(code, Some(1), "{stderr}");
    let line = line_of(&text, "continues = ");
    assert!(stderr.contains(&format!("forms/follow-up.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("\"early-help-asessment\", which does not exist"), "{stderr}");
    assert!(stderr.contains("did you mean \"early-help-assessment\""), "{stderr}");
    // And the map of a form not continued is refused.
    assert!(
        stderr.contains(
            "[continues_map.early-help-assessment] maps the fields of `early-help-assessment`, which `continues` does not name"
        ),
        "{stderr}"
    );
}

#[test]
fn a_mapped_field_missing_from_either_form_is_an_error_at_its_line() {
    let text = CONTINUING
        .replace("lead_name = \"lead\"", "lead_nme = \"lead\"")
        .replace("action_what = \"follow_action\"", "action_what = \"follow_acton\"");
    let (code, stderr) = build_continuing("continues-field", &text);
    assert_eq!(code, Some(1), "{stderr}");
    let earlier = line_of(&text, "lead_nme");
    assert!(stderr.contains(&format!("forms/follow-up.toml:{earlier}:")), "{stderr}");
    assert!(stderr.contains("`lead_nme` is not a field of the earlier form `early-help-assessment` (forms/early-help-assessment.toml); did you mean `lead_name`?"), "{stderr}");
    let here = line_of(&text, "follow_acton");
    assert!(stderr.contains(&format!("forms/follow-up.toml:{here}:")), "{stderr}");
    assert!(stderr.contains("`follow_acton` is not a field of this form `follow-up`"), "{stderr}");
}

#[test]
fn a_mapped_field_of_another_kind_is_an_error_at_its_line() {
    // A date into a textarea; a text into a date; a column into a top-level field.
    let text = CONTINUING
        .replace("lead_name = \"lead\"", "assessment_date = \"lead\"\nlead_agency = \"when\"\naction_who = \"lead2\"")
        .replace("[[section.field]]\nid = \"follow_actions\"", "[[section.field]]\nid = \"when\"\nkind = \"date\"\nlabel = \"When\"\n\n[[section.field]]\nid = \"lead2\"\nkind = \"text\"\nlabel = \"L\"\n\n[[section.field]]\nid = \"follow_actions\"");
    let (code, stderr) = build_continuing("continues-kind", &text);
    assert_eq!(code, Some(1), "{stderr}");
    let line = line_of(&text, "assessment_date = ");
    assert!(stderr.contains(&format!("forms/follow-up.toml:{line}:")), "{stderr}");
    assert!(
        stderr.contains("`assessment_date` is date and `lead` is textarea; kinds must be the same, or text into textarea"),
        "{stderr}"
    );
    let line = line_of(&text, "lead_agency = ");
    assert!(stderr.contains(&format!("forms/follow-up.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("`lead_agency` is text and `when` is date"), "{stderr}");
    let line = line_of(&text, "action_who = ");
    assert!(stderr.contains(&format!("forms/follow-up.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("`action_who` is a column of the repeat `actions`, but `lead2` is not in a repeat"), "{stderr}");
}

const GENOGRAM_FORM: &str = r#"title = "Family diagram"

[[section]]
id = "family"
title = "Family"

[[section.field]]
id = "people"
kind = "repeat"
label = "People"
item = "person"

[[section.field.field]]
id = "member_id"
kind = "rowid"
names = "member_name"

[[section.field.field]]
id = "member_name"
kind = "text"
label = "Full name"

[[section.field.field]]
id = "member_mother"
kind = "person"
label = "Mother"
print = false

[[section.field]]
id = "agree"
kind = "yesno"
label = "Do you agree?"

[[section.field]]
id = "diagram"
kind = "genogram"
people = "people"
label = "Family diagram"
"#;

#[test]
fn a_genogram_builds_with_its_container_words_and_scripts() {
    let (root, site) = new_handbook("genogram");
    fs::write(root.join("forms/family.toml"), GENOGRAM_FORM).unwrap();
    let out = build(&root, &site);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = fs::read_to_string(site.join("forms/family.html")).unwrap();
    for needle in [
        "<div class=\"genogram\" data-genogram-for=\"people\"",
        "<div class=\"genogram-drawing\"></div>",
        "<p class=\"genogram-blank-label\">Draw the family here</p>",
        "class=\"genogram-key\"",
        "<script type=\"application/json\" class=\"hb-text\" data-for=\"genogram\">",
        // The script's words, from [script.genogram], with the month names.
        "\"partner_separated\":\"separated from {name}\"",
        "\"months\":[\"January\",",
        "assets/genogram.js\" defer",
        "assets/genogram-form.js\" defer",
        "assets/genogram.css\"",
        // The row id is hidden; the person list names rows by member_name.
        "data-kind=\"rowid\" hidden><input id=\"family--people-0-member_id\" name=\"people.0.member_id\" type=\"hidden\"",
        "data-kind=\"person\" data-names=\"member_name\"",
        "class=\"form-group kind-person no-print\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // The words are the page's: the script has none of its own.
    let js = fs::read_to_string(site.join("assets/genogram-form.js")).unwrap();
    assert!(!js.contains("separated from"));
    // The answers file keeps the rows (with their ids and links), never the drawing.
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("forms/family.schema.json")).unwrap()).unwrap();
    let answers = &schema["properties"]["answers"]["properties"];
    assert!(answers.get("diagram").is_none(), "a genogram holds no answer");
    let row = &answers["people"]["items"]["properties"];
    assert_eq!(row["member_id"]["type"], "string");
    assert_eq!(row["member_mother"]["type"], "string");
    // A form without a genogram loads none of its scripts.
    let review = fs::read_to_string(site.join("forms/early-help-review.html")).unwrap();
    assert!(!review.contains("genogram"), "the review has no household rows, so no genogram");
    // The default assessment draws its household.
    let default = common::default_handbook("genogram-default");
    let default_site = common::build(&default, "2026-12-01");
    let eha = fs::read_to_string(default_site.join("forms/early-help-assessment.html")).unwrap();
    assert!(eha.contains("<div class=\"genogram\" data-genogram-for=\"household_members\""));
    assert!(eha.contains("data-kind=\"person\" data-names=\"member_name\""));
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

#[test]
fn a_genogram_naming_no_repeat_and_misplaced_people_fields_are_errors_at_their_lines() {
    let (root, site) = new_handbook("genogram-bad");
    let text = GENOGRAM_FORM
        .replace("people = \"people\"", "people = \"household\"")
        .replace("kind = \"rowid\"\nnames = \"member_name\"", "kind = \"rowid\"\nnames = \"member_nam\"")
        + r#"
[[section.field]]
id = "diagram_two"
kind = "genogram"
people = "agree"
label = "Another"

[[section.field]]
id = "helpers"
kind = "repeat"
label = "Helpers"

[[section.field.field]]
id = "helper_name"
kind = "text"
label = "Name"

[[section.field.field]]
id = "helper_boss"
kind = "person"
label = "Works for"

[[section.field]]
id = "no_people"
kind = "genogram"
label = "No people"
"#;
    fs::write(root.join("forms/family.toml"), &text).unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let f = "forms/family.toml";
    let expected = [
        (
            line_of(&text, "people = \"household\""),
            "genogram `diagram` draws the people of `household`, but there is no repeat `household` in this form; expected one of: `people`, `helpers`",
        ),
        (line_of(&text, "people = \"agree\""), "`agree` is a `yesno` field, not a repeat"),
        (
            line_of(&text, "names = \"member_nam\""),
            "`names` is `member_nam`, which is not a `text` field of the rows of `people`; expected one of: member_name",
        ),
        (
            line_of(&text, "id = \"helper_boss\""),
            "`helper_boss` picks one of the other rows of `helpers`, but those rows have no `rowid` field",
        ),
        (line_of(&text, "id = \"no_people\""), "is a `genogram` but has no `people`"),
    ];
    for (line, message) in expected {
        let prefix = format!("{f}:{line}:");
        assert!(
            stderr.lines().any(|l| l.starts_with(&prefix) && l.contains(": error: ") && l.contains(message)),
            "expected `{prefix} ... {message}` in:\n{stderr}"
        );
    }
    assert!(!site.exists(), "nothing written");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

const OUTCOME_CHOICE_FORM: &str = r#"id = "plan"
title = "A plan"
version = "1"

[[section]]
id = "plan"
title = "Plan"

[[section.field]]
id = "goals"
kind = "outcomes"
label = "Outcomes"

[[section.field]]
id = "steps"
kind = "repeat"
label = "Steps"

[[section.field.field]]
id = "step_goal"
kind = "select"
label = "Which outcome?"
options_from = "goals"
"#;

#[test]
fn a_drop_down_of_the_plans_outcomes_offers_the_frameworks_outcomes_and_only_ticked_ones_in_the_browser() {
    let (root, site) = new_handbook("outcome-choice");
    fs::write(root.join("forms/plan.toml"), OUTCOME_CHOICE_FORM).unwrap();
    let out = build(&root, &site);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = fs::read_to_string(site.join("forms/plan.html")).unwrap();
    assert!(html.contains("data-options-from=\"goals\""), "the page says where the options come from");
    assert!(html.contains("assets/outcome-options.js"), "and loads the script that narrows them");
    let framework = fs::read_to_string(root.join("forms/outcomes.toml")).unwrap();
    let first = framework.lines().skip_while(|l| *l != "[[outcome]]").nth(1).unwrap();
    let first = first.trim_start_matches("id = \"").trim_end_matches('"');
    assert!(html.contains(&format!("<option value=\"{first}\">")), "the framework's outcomes are the options");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("forms/plan.schema.json")).unwrap()).unwrap();
    let one_of = &schema["properties"]["answers"]["properties"]["steps"]["items"]["properties"]["step_goal"]["oneOf"];
    assert_eq!(one_of.as_array().unwrap().len(), framework.matches("[[outcome]]").count() + 1, "{one_of}");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

#[test]
fn options_from_naming_no_outcomes_field_is_an_error_at_its_line() {
    let (root, site) = new_handbook("outcome-choice-bad");
    let text = OUTCOME_CHOICE_FORM.replace("options_from = \"goals\"", "options_from = \"gaols\"")
        + r#"
[[section.field]]
id = "other"
kind = "select"
label = "Other"
options = ["A"]
options_from = "goals"

[[section.field]]
id = "note"
kind = "text"
label = "Note"
options_from = "goals"

[[section.field]]
id = "pick"
kind = "select"
label = "Pick"
options_from = "note"
"#;
    fs::write(root.join("forms/plan.toml"), &text).unwrap();
    let out = build(&root, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let at = |needle: &str, nth: usize| {
        let line = text.lines().enumerate().filter(|(_, l)| l.contains(needle)).nth(nth).unwrap().0 + 1;
        format!("forms/plan.toml:{line}:")
    };
    for (place, message) in [
        (
            at("options_from = \"gaols\"", 0),
            "`options_from` of `step_goal`: there is no field `gaols` at this form's top level; expected one of: `goals`",
        ),
        (at("options_from = \"goals\"", 0), "`other` has both `options` and `options_from`"),
        (at("options_from = \"goals\"", 1), "`options_from` only applies to `select` fields"),
        (at("options_from = \"note\"", 0), "`options_from` of `pick`: `note` is a `text` field, not `outcomes`"),
    ] {
        let line = stderr.lines().find(|l| l.contains(message)).unwrap_or_else(|| panic!("no `{message}` in\n{stderr}"));
        assert!(line.contains(&place), "{line} should be at {place}");
    }
    assert!(!site.exists(), "nothing is written");
    let _ = fs::remove_dir_all(root.parent().unwrap());
}

#[test]
fn a_review_continues_the_last_review_taking_its_new_actions_and_scores() {
    let root = common::default_handbook("review-review");
    let site = root.parent().unwrap().join("site");
    let out = build(&root, &site);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = fs::read_to_string(site.join("forms/early-help-review.html")).unwrap();
    let start = html.find("id=\"carry-plan\">").unwrap() + "id=\"carry-plan\">".len();
    let plan: serde_json::Value = serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()]).unwrap();
    let review =
        plan["forms"].as_array().unwrap().iter().find(|f| f["id"] == "early-help-review").expect("a review continues a review");
    let actions = &review["rows"]["new_actions_list"];
    assert_eq!(actions["to"], "previous_actions_list");
    assert_eq!(actions["columns"]["new_action"], "previous_action");
    assert!(review["rows"].get("previous_actions_list").is_none(), "last time's look back is not carried again");
    assert!(review["skipped"].get("previous_actions_list").is_some(), "and carry.js says it was left behind");
    assert_eq!(review["rows"]["scaling_scores"]["columns"]["scaling_score"], "scaling_last", "last time's score beside today's");
    assert_eq!(review["fields"]["next_chair"], "meeting_chair");
    assert_eq!(review["fields"]["next_meeting_date"], "meeting_date", "the meeting then arranged is this one");
    assert!(review["fields"].get("meeting_date").is_none(), "not last meeting's own date");
    assert!(review["fields"].get("review_decision").is_none(), "what it decided (mapped to \"\") stays behind");
    assert!(review["skipped"].get("review_decision").is_some());
    assert!(review["rows"]["scaling_scores"]["columns"].get("scaling_comment").is_none());
    assert_eq!(review["fields"]["plan_outcomes"], "plan_outcomes");
    let assessment = plan["forms"].as_array().unwrap().iter().find(|f| f["id"] == "early-help-assessment").unwrap();
    assert_eq!(assessment["fields"]["family_confidence"], "assessment_confidence", "a score carries into a number");
    // The default review and assessment choose an action's outcome from the plan's.
    for form in ["early-help-assessment", "early-help-review"] {
        let page = fs::read_to_string(site.join(format!("forms/{form}.html"))).unwrap();
        assert!(page.contains("data-options-from=\"plan_outcomes\""), "{form}");
    }
    let _ = fs::remove_dir_all(root.parent().unwrap());
}
