//! `handbook schema DIR` and the schemas it writes, held to the real
//! loaders so they cannot drift: every default TOML file (as the JSON an
//! editor checks) is valid; broken files fail both the schema and
//! `handbook check`; and every table of every schema has exactly the keys
//! its loader accepts, read from the loader's own "unknown key, expected
//! one of ..." messages.

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const TODAY: &str = "2027-01-15";

fn schema(file: &str) -> Value {
    let s = handbook::schema::SCHEMAS.iter().find(|s| s.file == file).unwrap_or_else(|| panic!("no schema {file}"));
    serde_json::from_str(s.text).unwrap()
}

fn validator(file: &str) -> jsonschema::Validator {
    jsonschema::draft7::options().should_validate_formats(true).build(&schema(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn toml_json(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    handbook::schema::toml_to_json(&toml::Value::Table(table))
}

fn front_matter(md: &str) -> Option<&str> {
    let rest = md.strip_prefix("+++\n").or_else(|| md.strip_prefix("+++\r\n"))?;
    rest.find("\n+++").map(|end| &rest[..end])
}

/// Which schema a file of a handbook folder is checked against.
fn schema_for(rel: &str, text: &str) -> Option<&'static str> {
    if rel == "handbook.toml" {
        Some("handbook.json")
    } else if rel == "glossary.toml" {
        Some("glossary.json")
    } else if rel.starts_with("forms/decisions/") && rel.ends_with(".toml") {
        Some("decision-tree.json")
    } else if rel.starts_with("forms/") && rel.ends_with(".toml") {
        let t: toml::Table = toml::from_str(text).unwrap();
        Some(if t.contains_key("outcome") || t.contains_key("area") { "outcomes.json" } else { "form.json" })
    } else if rel.starts_with("content/") && rel.ends_with(".md") {
        Some("page.json")
    } else {
        None
    }
}

/// Every problem the schema finds in `value`.
fn problems(file: &str, value: &Value) -> Vec<String> {
    validator(file).iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// Checks every file under `root`, whose paths are `prefix` + their path in it.
fn check_folder(root: &Path, prefix: &str) -> usize {
    let mut checked = 0;
    let mut failures = Vec::new();
    for inner in files(root) {
        let Ok(text) = std::fs::read_to_string(root.join(&inner)) else { continue };
        let rel = format!("{prefix}{inner}");
        let Some(file) = schema_for(&rel, &text) else { continue };
        let toml = if file == "page.json" {
            match front_matter(&text) {
                Some(fm) => fm.to_string(),
                None => continue,
            }
        } else {
            text.clone()
        };
        let found = problems(file, &toml_json(&toml));
        if !found.is_empty() {
            failures.push(format!("{rel} against {file}: {found:?}"));
        }
        checked += 1;
    }
    assert_eq!(failures, Vec::<String>::new());
    checked
}

#[test]
fn the_schemas_are_valid_draft_07_schemas() {
    for s in handbook::schema::SCHEMAS {
        let v: Value = serde_json::from_str(s.text).unwrap();
        assert!(jsonschema::draft7::meta::is_valid(&v), "{} against the draft-07 meta-schema", s.file);
    }
}

#[test]
fn every_file_of_the_default_handbook_and_the_fixtures_is_valid() {
    let checked = check_folder(&repo().join("forms"), "forms/") + check_folder(&fixture_path("forms"), "forms/");
    assert!(checked >= 6, "{checked} forms and trees");
    // The default handbook as `handbook new` writes it, and the test handbook.
    for root in [default_handbook("schema-default"), test_handbook()] {
        let checked = check_folder(&root, "");
        assert!(checked >= 30, "{checked} files in {}", root.display());
    }
}

#[test]
fn check_folder_sees_the_right_files() {
    // (forms/ alone holds forms/<name>.toml paths relative to it: check the schema choice.)
    assert_eq!(schema_for("forms/outcomes.toml", "[[outcome]]\nid = \"a\"\ntitle = \"A\"\n"), Some("outcomes.json"));
    assert_eq!(schema_for("forms/decisions/x.toml", ""), Some("decision-tree.json"));
    assert_eq!(schema_for("content/a/b.md", ""), Some("page.json"));
}

/// A handbook with one broken file: the loader (`handbook check`) and the
/// schema both refuse it.
fn assert_both_refuse(rel: &str, text: &str, schema_words: &str, loader_words: &str) {
    let root = new_handbook("schema-broken");
    write(&root, rel, text);
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    let err = stderr(&o);
    assert!(!o.status.success(), "{rel} is refused by handbook check");
    assert!(err.lines().any(|l| l.starts_with(rel) && l.contains(loader_words)), "{rel}: expected `{loader_words}` in\n{err}");
    let file = schema_for(rel, text).unwrap();
    let toml = if file == "page.json" { front_matter(text).unwrap().to_string() } else { text.to_string() };
    let found = problems(file, &toml_json(&toml));
    assert!(found.iter().any(|p| p.contains(schema_words)), "{rel} against {file}: expected `{schema_words}` in {found:?}");
}

#[test]
fn broken_files_fail_the_schema_and_the_loader_alike() {
    let handbook_toml = std::fs::read_to_string(test_handbook().join("handbook.toml")).unwrap();
    let form = std::fs::read_to_string(test_handbook().join("forms/early-help-review.toml")).unwrap();
    let tree = std::fs::read_to_string(test_handbook().join("forms/decisions/level-of-need.toml")).unwrap();
    // Unknown keys, at the top and deep inside.
    assert_both_refuse("handbook.toml", &format!("fax = \"1\"\n{handbook_toml}"), "fax", "unknown key `fax`");
    assert_both_refuse(
        "glossary.toml",
        "[[term]]\nterm = \"TAF\"\nmeaning = \"x\"\ndefinition = \"A meeting.\"\n",
        "meaning",
        "unknown key `meaning`",
    );
    let first_field = form.find("[[section.field]]").unwrap() + "[[section.field]]".len();
    let mut bad = form.clone();
    bad.insert_str(first_field, "\nplaceholder = \"x\"");
    assert_both_refuse("forms/early-help-review.toml", &bad, "placeholder", "unknown key `placeholder`");
    assert_both_refuse(
        "forms/outcomes.toml",
        "title = \"O\"\n[[outcome]]\nid = \"a\"\ntitle = \"A\"\nindicator = [\"x\"]\n",
        "indicator",
        "unknown key `indicator`",
    );
    let answer = tree.find("[[question.answer]]").unwrap() + "[[question.answer]]".len();
    let mut bad = tree.clone();
    bad.insert_str(answer, "\ngoto = \"x\"");
    assert_both_refuse("forms/decisions/level-of-need.toml", &bad, "goto", "unknown key `goto`");
    assert_both_refuse(
        "content/index.md",
        "+++\ntitle = \"Home\"\nauthor = \"me\"\n+++\nHello.\n",
        "author",
        "unknown key `author`",
    );
    // Wrong types and values.
    assert_both_refuse(
        "handbook.toml",
        &format!("publish_path = 3\n{handbook_toml}"),
        "is not of type \"string\"",
        "expected text in quotes",
    );
    assert_both_refuse(
        "handbook.toml",
        &format!("publish_path = \"handbook\"\n{handbook_toml}"),
        "does not match",
        "must start and end with `/`",
    );
    assert_both_refuse(
        "content/index.md",
        "+++\ntitle = \"Home\"\nweight = \"10\"\n+++\nHello.\n",
        "is not of type \"integer\"",
        "expected a whole number",
    );
    assert_both_refuse(
        "content/index.md",
        "+++\ntitle = \"Home\"\ndraft = \"no\"\n+++\nHello.\n",
        "is not of type \"boolean\"",
        "expected true or false",
    );
    let mut bad = form.clone();
    bad = bad.replacen("kind = \"", "kind = \"radio", 1);
    assert_both_refuse("forms/early-help-review.toml", &bad, "is not one of", "unknown field kind");
    assert_both_refuse(
        "forms/f.toml",
        "title = \"F\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.field]]\nid = \"a\"\nkind = \"choice\"\nlabel = \"A\"\n",
        "\"options\" is a required property",
        "has no `options`",
    );
    assert_both_refuse(
        "forms/f.toml",
        "title = \"F\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\nprint_lines = 99\n",
        "99 is greater than the maximum of 30",
        "expected a whole number from 1 to 30",
    );
    assert_both_refuse(
        "forms/f.toml",
        "title = \"F\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.field]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\nlow = \"x\"\n",
        "is not allowed for",
        "`low` only applies to `scale` fields",
    );
    assert_both_refuse(
        "forms/f.toml",
        "title = \"F\"\n[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.field]]\nid = \"a\"\nkind = \"choice\"\nlabel = \"A\"\noptions = [{ value = \"a\", label = \"A\", hint = \"x\" }]\n",
        "is not valid under any of the schemas",
        "exactly those two keys",
    );
    assert_both_refuse(
        "handbook.toml",
        &handbook_toml.replace("primary = \"#1d4f91\"", "primary = \"blue\""),
        "does not match",
        "is not a colour",
    );
}

/// Every table of a schema, by path (`section[].field[]`), with its keys.
fn tables(root: &Value, node: &Value, path: &str, seen: &mut Vec<String>, out: &mut BTreeMap<String, BTreeSet<String>>) {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/definitions/").expect("local $ref");
        if seen.contains(&name.to_string()) {
            // A sub-field is a field again: its keys, but no deeper.
            let keys = root["definitions"][name]["properties"].as_object().expect("properties");
            out.insert(path.to_string(), keys.keys().cloned().collect());
            return;
        }
        seen.push(name.to_string());
        tables(root, &root["definitions"][name], path, seen, out);
        seen.pop();
        return;
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        assert_eq!(
            node.get("additionalProperties"),
            Some(&Value::Bool(false)),
            "{path}: unknown keys are refused, as by the loaders"
        );
        out.insert(path.to_string(), props.keys().cloned().collect());
        for (key, sub) in props {
            let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            tables(root, sub, &p, seen, out);
        }
    }
    if let Some(items) = node.get("items") {
        tables(root, items, &format!("{path}[]"), seen, out);
    }
    for alt in node.get("oneOf").and_then(Value::as_array).into_iter().flatten() {
        tables(root, alt, path, seen, out);
    }
}

fn schema_tables(file: &str) -> BTreeMap<String, BTreeSet<String>> {
    let root = schema(file);
    let mut out = BTreeMap::new();
    tables(&root, &root, "", &mut Vec::new(), &mut out);
    out
}

/// A handbook with an unknown key `zz_<table>` in every table of every
/// file, and which table of which schema each stands in.
/// (file, its text, and each probe key with the table path it stands in).
type Probe = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const PROBES: &[Probe] = &[
    (
        "handbook.toml",
        "title = \"T\"\nauthority = \"A\"\nzz_root = 1\n[contact]\nzz_contact = 1\n[colours]\nzz_colours = 1\n[drafts]\nzz_drafts = 1\n[[pack]]\nid = \"p\"\ntitle = \"P\"\ncontents = [\"content/index.md\"]\nzz_pack = 1\n",
        &[("zz_root", ""), ("zz_contact", "contact"), ("zz_colours", "colours"), ("zz_drafts", "drafts"), ("zz_pack", "pack[]")],
    ),
    (
        "glossary.toml",
        "zz_root = 1\n[[term]]\nterm = \"X\"\ndefinition = \"Y\"\nzz_term = 1\n",
        &[("zz_root", ""), ("zz_term", "term[]")],
    ),
    ("content/index.md", "+++\ntitle = \"Home\"\nzz_root = 1\n+++\nHi.\n", &[("zz_root", "")]),
    (
        "forms/f.toml",
        "title = \"F\"\nzz_root = 1\n[[section]]\nid = \"s\"\ntitle = \"S\"\nzz_section = 1\n[[section.field]]\nid = \"a\"\nkind = \"yesno\"\nlabel = \"A\"\nshow_if = { field = \"b\", value = \"yes\", zz_show_if = 1 }\nzz_field = 1\n[[section.field]]\nid = \"r\"\nkind = \"repeat\"\nlabel = \"R\"\n[[section.field.field]]\nid = \"c\"\nkind = \"text\"\nlabel = \"C\"\nzz_subfield = 1\n",
        &[
            ("zz_root", ""),
            ("zz_section", "section[]"),
            ("zz_field", "section[].field[]"),
            ("zz_show_if", "section[].field[].show_if"),
            ("zz_subfield", "section[].field[].field[]"),
        ],
    ),
    (
        "forms/outcomes.toml",
        "title = \"O\"\nzz_root = 1\n[[area]]\nid = \"x\"\ntitle = \"X\"\nzz_area = 1\n[[outcome]]\nid = \"o\"\ntitle = \"O\"\nareas = [\"x\"]\nzz_outcome = 1\n",
        &[("zz_root", ""), ("zz_area", "area[]"), ("zz_outcome", "outcome[]")],
    ),
    (
        "forms/decisions/t.toml",
        "title = \"T\"\nstart = \"q\"\nzz_root = 1\n[[question]]\nid = \"q\"\ntext = \"Q?\"\nzz_question = 1\n[[question.answer]]\nlabel = \"Yes\"\nnext = \"o\"\nzz_answer = 1\n[[outcome]]\nid = \"o\"\ntitle = \"O\"\nlinks = [{ text = \"Home\", href = \"content/index.md\", zz_link = 1 }]\nzz_outcome = 1\n[[level]]\nnumber = 1\nname = \"L\"\nzz_level = 1\n",
        &[
            ("zz_root", ""),
            ("zz_question", "question[]"),
            ("zz_answer", "question[].answer[]"),
            ("zz_outcome", "outcome[]"),
            ("zz_link", "outcome[].links[]"),
            ("zz_level", "level[]"),
        ],
    ),
];

/// Tables whose keys the loader checks by hand, not by serde: left out of
/// the comparison (`broken_files_fail_the_schema_and_the_loader_alike`
/// shows an extra key fails both).
const HAND_CHECKED: &[(&str, &str)] =
    &[("form.json", "section[].field[].options[]"), ("form.json", "section[].field[].field[].options[]")];

/// The keys the loaders accept in every table, read from `handbook check`:
/// `unknown key `zz_x`, expected one of `a`, `b`` (or `expected `a` or `b``).
pub fn loader_keys() -> BTreeMap<(String, String), BTreeSet<String>> {
    let root = temp("schema-probe").join("hb");
    for (rel, text, _) in PROBES {
        write(&root, rel, text);
    }
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    let err = stderr(&o);
    let mut found = BTreeMap::new();
    for (rel, text, probes) in PROBES {
        let file = schema_for(rel, text).unwrap();
        for (key, path) in *probes {
            let needle = format!("unknown key `{key}`, expected ");
            let line = err
                .lines()
                .find(|l| l.starts_with(&format!("{rel}:")) && l.contains(&needle))
                .unwrap_or_else(|| panic!("{rel}: no report of `{key}` in\n{err}"));
            let expected = &line[line.find(&needle).unwrap() + needle.len()..];
            let keys: BTreeSet<String> = between(expected, "`", "`").into_iter().map(str::to_string).collect();
            assert!(!keys.is_empty(), "{line}");
            found.insert((file.to_string(), path.to_string()), keys);
        }
    }
    found
}

/// `between` pairs each opening backtick with the next one, so names
/// come with the separators between them: keep only real names.
fn names(keys: BTreeSet<String>) -> BTreeSet<String> {
    keys.into_iter().filter(|k| !k.contains(',') && !k.contains(' ') && !k.is_empty()).collect()
}

#[test]
fn every_table_of_every_schema_has_exactly_the_keys_its_loader_accepts() {
    let loaders: BTreeMap<(String, String), BTreeSet<String>> = loader_keys().into_iter().map(|(k, v)| (k, names(v))).collect();
    let mut schema_side = BTreeMap::new();
    for s in handbook::schema::SCHEMAS {
        for (path, keys) in schema_tables(s.file) {
            if HAND_CHECKED.contains(&(s.file, path.as_str())) {
                continue;
            }
            schema_side.insert((s.file.to_string(), path), keys);
        }
    }
    let probed: BTreeSet<_> = loaders.keys().cloned().collect();
    let described: BTreeSet<_> = schema_side.keys().cloned().collect();
    assert_eq!(probed, described, "every table of the schemas is probed, and no other");
    for (table, keys) in &loaders {
        assert_eq!(&schema_side[table], keys, "{table:?}: the schema's keys (left) and the loader's (right)");
    }
}

#[test]
fn handbook_schema_writes_every_schema_and_never_overwrites_a_file_of_yours() {
    let dir = temp("schema-cmd").join("schemas");
    let o = run(&["schema", dir.to_str().unwrap()], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = files(&dir);
    assert_eq!(written, ["decision-tree.json", "form.json", "glossary.json", "handbook.json", "outcomes.json", "page.json"]);
    for name in &written {
        let v: Value = serde_json::from_str(&read(&dir, name)).unwrap();
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    }
    // Again: its own files are replaced.
    assert!(run(&["schema", dir.to_str().unwrap()], TODAY).status.success());
    // A file of the same name that it did not write: refused, nothing changed.
    write(&dir, "form.json", "{\"mine\": true}");
    std::fs::remove_file(dir.join("page.json")).unwrap();
    let o = run(&["schema", dir.to_str().unwrap()], TODAY);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("form.json") && stderr(&o).contains("not written by `handbook schema`"), "{}", stderr(&o));
    assert_eq!(read(&dir, "form.json"), "{\"mine\": true}");
    assert!(!dir.join("page.json").exists(), "nothing was written");
}

#[test]
fn the_taplo_directives_resolve_to_the_schemas_from_each_kind_of_file() {
    // `handbook schema schemas` in the handbook folder; each file's directive,
    // relative to that file, reaches its schema.
    let root = new_handbook("schema-directives");
    assert!(run(&["schema", root.join("schemas").to_str().unwrap()], TODAY).status.success());
    for (rel, s) in [
        ("handbook.toml", "handbook.json"),
        ("glossary.toml", "glossary.json"),
        ("forms/early-help-review.toml", "form.json"),
        ("forms/outcomes.toml", "outcomes.json"),
        ("forms/decisions/level-of-need.toml", "decision-tree.json"),
    ] {
        let schema = handbook::schema::SCHEMAS.iter().find(|x| x.file == s).unwrap();
        let directive = schema.directive.unwrap();
        let target = directive.strip_prefix("#:schema ").unwrap();
        let from = root.join(rel);
        assert!(from.parent().unwrap().join(target).is_file(), "{directive} from {rel}");
        // A file that starts with the directive still builds.
        let text = std::fs::read_to_string(&from).unwrap();
        std::fs::write(&from, format!("{directive}\n{text}")).unwrap();
    }
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// FORMATS.md's section (`## ...`) for each schema.
const SECTIONS: &[(&str, &str)] = &[
    ("handbook.json", "## handbook.toml"),
    ("page.json", "## Page front matter"),
    ("form.json", "## Forms"),
    ("outcomes.json", "## Outcomes frameworks"),
    ("decision-tree.json", "## Decision trees"),
    ("glossary.json", "## Glossary"),
];

fn formats_section(file: &str) -> String {
    let text = std::fs::read_to_string(repo().join("FORMATS.md")).unwrap();
    let heading = SECTIONS.iter().find(|(f, _)| *f == file).unwrap().1;
    let start = text.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("FORMATS.md has no `{heading}`"));
    let rest = &text[start + heading.len() + 2..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The table rows of a section whose first cell is `key`.
fn rows<'a>(section: &'a str, key: &str) -> Vec<&'a str> {
    section.lines().filter(|l| l.starts_with(&format!("| `{key}` |"))).collect()
}

/// Every property of every table with its schema, following `$ref`s.
fn properties(root: &Value, node: &Value, seen: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/definitions/").unwrap().to_string();
        if !seen.contains(&name) {
            seen.push(name.clone());
            properties(root, &root["definitions"][&name], seen, out);
        }
        return;
    }
    for (key, sub) in node.get("properties").and_then(Value::as_object).into_iter().flatten() {
        out.push((key.clone(), sub.clone()));
        properties(root, sub, seen, out);
    }
    if let Some(items) = node.get("items") {
        properties(root, items, seen, out);
    }
    for alt in node.get("oneOf").and_then(Value::as_array).into_iter().flatten() {
        properties(root, alt, seen, out);
    }
}

#[test]
fn formats_md_describes_every_key_the_loaders_accept_with_its_default() {
    // The schemas' tables are the loaders' (every_table_of_every_schema_...), so
    // this covers every key `handbook` accepts.
    let mut missing = Vec::new();
    for s in handbook::schema::SCHEMAS {
        let section = formats_section(s.file);
        let root = schema(s.file);
        let mut props = Vec::new();
        properties(&root, &root, &mut Vec::new(), &mut props);
        assert!(!props.is_empty());
        for (key, sub) in props {
            let found = rows(&section, &key);
            if found.is_empty() {
                missing.push(format!("{}: `{key}`", s.file));
                continue;
            }
            if let Some(default) = sub.get("default") {
                let shown = match default {
                    Value::String(d) => d.clone(),
                    other => other.to_string(),
                };
                if !found.iter().any(|row| row.split('|').nth(3).is_some_and(|cell| cell.contains(&shown))) {
                    missing.push(format!("{}: `{key}`'s default {shown} in its row's default column", s.file));
                }
            }
        }
    }
    // Every kind of field has its row.
    let forms = formats_section("form.json");
    for kind in schema("form.json")["definitions"]["field"]["properties"]["kind"]["enum"].as_array().unwrap() {
        if rows(&forms, kind.as_str().unwrap()).is_empty() {
            missing.push(format!("form.json: the kind `{kind}`"));
        }
    }
    assert_eq!(missing, Vec::<String>::new(), "missing from FORMATS.md");
}

#[test]
fn every_example_in_formats_md_is_valid() {
    for (file, _) in SECTIONS {
        let section = formats_section(file);
        let fence = if *file == "page.json" { "```markdown\n" } else { "```toml\n" };
        let examples = between(&section, fence, "```\n");
        assert_eq!(examples.len(), 1, "{file}: one example");
        let toml = if *file == "page.json" { front_matter(examples[0]).unwrap().to_string() } else { examples[0].to_string() };
        let found = problems(file, &toml_json(&toml));
        assert!(found.is_empty(), "{file}'s example: {found:?}");
        // And it uses every key of its format's top table.
        let root = schema(file);
        for key in root["properties"].as_object().unwrap().keys() {
            assert!(
                toml.lines().any(|l| l.starts_with(&format!("{key} ="))
                    || l.starts_with(&format!("[[{key}]]"))
                    || l.starts_with(&format!("[{key}]"))
                    || l.starts_with(&format!("[{key}."))),
                "{file}'s example uses `{key}`"
            );
        }
    }
}
