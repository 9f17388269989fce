//! A council's own handbook: every local fact (the authority's name, its
//! contacts' names, numbers and addresses) comes from handbook.toml, so
//! the default handbook built with another council's handbook.toml shows
//! none of the old facts anywhere, and a placeholder naming a contact that
//! is not there is an error at its file, line and column.

mod common;

use common::{default_handbook, read, run, stderr, write};
use std::path::Path;

const TODAY: &str = "2026-11-01";

/// Every local fact handbook.toml holds: the authority and each contact's
/// name, phone, email and web address.
fn facts(toml_text: &str) -> Vec<(String, String)> {
    let table: toml::Table = toml_text.parse().unwrap();
    let mut out = vec![("authority".to_string(), table["authority"].as_str().unwrap().to_string())];
    for (key, contact) in table["contacts"].as_table().unwrap() {
        for field in ["name", "phone", "email", "web"] {
            if let Some(v) = contact.get(field).and_then(|v| v.as_str()) {
                out.push((format!("contacts.{key}.{field}"), v.to_string()));
            }
        }
    }
    out
}

/// Another council's value for each fact.
fn new_value(what: &str, n: usize) -> String {
    match what.rsplit('.').next().unwrap() {
        "authority" => "Northmoor Borough Council".into(),
        "name" => format!("Northmoor Service {n}"),
        "phone" => format!("020 7946 08{n:02}"),
        "email" => format!("team{n}@northmoor.test"),
        "web" => format!("https://northmoor.test/service-{n}"),
        other => panic!("{other}"),
    }
}

/// Every text file of a built site, with its path.
fn text_files(site: &Path) -> Vec<(String, String)> {
    common::files(site)
        .into_iter()
        .filter(|f| [".html", ".js", ".json", ".css", ".xml", ".dot", ".txt"].iter().any(|e| f.ends_with(e)))
        .map(|f| {
            let text = read(site, &f);
            (f, text)
        })
        .collect()
}

fn digits(phone: &str) -> String {
    phone.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[test]
fn another_councils_facts_replace_every_old_one_in_the_whole_site() {
    let root = default_handbook("council-facts");
    let toml_text = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let old = facts(&toml_text);
    assert!(old.len() >= 10, "the default handbook.toml has an authority and contacts: {old:?}");
    for key in ["contacts.early_help_hub.phone", "contacts.front_door.phone", "contacts.emergency.phone"] {
        assert!(old.iter().any(|(k, _)| k == key), "no {key} in {old:?}");
    }
    let front = |facts: &[(String, String)]| facts.iter().find(|(k, _)| k == "contacts.front_door.phone").unwrap().1.clone();
    let hub = |facts: &[(String, String)]| facts.iter().find(|(k, _)| k == "contacts.early_help_hub.phone").unwrap().1.clone();
    assert_ne!(front(&old), hub(&old), "the front door has its own number, not the hub's");

    // Another council: every value replaced where handbook.toml writes it.
    let mut toml_new = toml_text.clone();
    let mut new = Vec::new();
    for (n, (what, value)) in old.iter().enumerate() {
        let v = new_value(what, n);
        let quoted = format!("\"{value}\"");
        assert!(toml_new.contains(&quoted), "{quoted}");
        toml_new = toml_new.replacen(&quoted, &format!("\"{v}\""), 1);
        new.push((what.clone(), v));
    }
    write(&root, "handbook.toml", &toml_new);
    assert_eq!(facts(&toml_new).len(), old.len());

    let site = common::build(&root, TODAY);
    let files = text_files(&site);
    assert!(files.len() > 50, "{}", files.len());
    let mut problems = Vec::new();
    // Names of the emergency service and the data protection officer are
    // ordinary words too ("the police"): the names of the council's own
    // services are looked for.
    let generic = ["contacts.emergency.name", "contacts.data_protection.name"];
    for (what, value) in old.iter().filter(|(w, _)| !generic.contains(&w.as_str())) {
        let mut needles = vec![value.clone()];
        if what.ends_with(".phone") {
            needles.push(format!("tel:{}", digits(value)));
        }
        if what == "authority" {
            // The place's name on its own too ("in Anytown").
            needles.push(value.trim_end_matches(" Council").to_string());
        }
        for needle in needles {
            // "999" is short: look for it as a whole number in what readers see.
            let short = needle.len() < 5;
            for (path, text) in &files {
                let found = if short {
                    common::visible_text(text).split(|c: char| !c.is_ascii_digit()).any(|w| w == needle)
                        || text.contains(&format!("tel:{needle}\""))
                } else {
                    text.contains(&needle)
                };
                if found {
                    problems.push(format!("{what} `{needle}` is still in site/{path}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The new facts are there, numbers and addresses as links.
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    for (what, value) in new.iter().filter(|(w, _)| !generic.contains(&w.as_str())) {
        let shown = value.replace('\'', "&#39;");
        assert!(all.contains(&shown), "{what} `{value}` is nowhere in the site");
        if what.ends_with(".phone") {
            assert!(all.contains(&format!("href=\"tel:{}\"", digits(value))), "{what}: no tel: link");
        }
        if what.ends_with(".email") {
            assert!(all.contains(&format!("href=\"mailto:{value}\"")), "{what}: no mailto: link");
        }
    }
    // In a page, a form, a decision tree and the glossary alike.
    let new_front = front(&new);
    let front_link = format!("<a href=\"tel:{}\">{new_front}</a>", digits(&new_front));
    for page in ["index.html", "thresholds/index.html", "glossary.html", "decisions/level-of-need/level-4-now.html"] {
        assert!(read(&site, page).contains(&front_link), "{page} has no {front_link}");
    }
    let hub_link = format!("<a href=\"tel:{}\">{}</a>", digits(&hub(&new)), hub(&new));
    assert!(read(&site, "decisions/lead-professional/index.html").contains(&hub_link), "the tree's intro");
    let privacy = common::visible_text(&read(&site, "about/privacy.html"));
    assert!(privacy.contains("how Northmoor Borough Council uses"), "{privacy}");
    assert!(privacy.contains("Northmoor Borough Council is the data controller for early help records"), "{privacy}");
    // The forms' privacy wording names the authority too: the note by the
    // toolbar, and the consent guidance, which links to the privacy notice.
    for form in ["forms/early-help-assessment.html", "forms/early-help-review.html"] {
        let text = common::visible_text(&read(&site, form));
        assert!(text.contains("Nothing is sent to Northmoor Borough Council or anywhere else"), "{form}: {text}");
    }
    let form = read(&site, "forms/early-help-assessment.html");
    assert!(common::visible_text(&form).contains("Northmoor Borough Council and the services working with the family share"));
    assert!(
        form.contains("href=\"../about/privacy.html#early-help-records\""),
        "the consent guidance links to the privacy notice"
    );
}

/// The line and column (1-based, in characters) where `needle` starts in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map(|i| i + 1).unwrap_or(0)..].chars().count() + 1;
    (line, col)
}

#[test]
fn an_unknown_contact_or_detail_is_an_error_at_its_place_in_pages_forms_and_trees() {
    let root = default_handbook("council-unknown");
    // A page.
    let page = "+++\ntitle = \"Numbers\"\n+++\n\nThe hub is on {{ contact.early_help_hub.phone }}.\n\nCall the **duty team** on {{ contact.duty_team.phone }}.\n";
    write(&root, "content/numbers.md", page);
    // A form's TOML: Markdown in its intro.
    let form_path = "forms/early-help-assessment.toml";
    let form = std::fs::read_to_string(root.join(form_path)).unwrap();
    let form = form.replacen("intro = \"\"\"\n", "intro = \"\"\"\nAsk the hub ({{ contact.hub.phone }}) first.\n", 1);
    write(&root, form_path, &form);
    // A decision tree's TOML: Markdown in a question's help.
    let tree_path = "forms/decisions/level-of-need.toml";
    let tree = std::fs::read_to_string(root.join(tree_path)).unwrap();
    let at = tree.find("help = \"\"\"\n").expect("a question with help") + "help = \"\"\"\n".len();
    let tree = format!("{}Or fax {{{{ contact.front_door.fax }}}} today.\n{}", &tree[..at], &tree[at..]);
    write(&root, tree_path, &tree);

    let out = root.parent().unwrap().join("out");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()], TODAY);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!out.exists(), "a failed build writes nothing");

    let known = "`early_help_hub`, `front_door`, `out_of_hours`, `emergency`, `data_protection`";
    let (line, col) = position(page, "{{ contact.duty_team");
    assert_eq!((line, col), (7, 27));
    let expect = format!(
        "content/numbers.md:{line}:{col}: error: unknown contact `duty_team` in `{{{{ contact.duty_team.phone }}}}`; the contacts in handbook.toml are {known}"
    );
    assert!(err.lines().any(|l| l == expect), "expected\n{expect}\nin:\n{err}");

    let (line, col) = position(&form, "{{ contact.hub.phone }}");
    let expect = format!(
        "{form_path}:{line}:{col}: error: unknown contact `hub` in `{{{{ contact.hub.phone }}}}`; the contacts in handbook.toml are {known}"
    );
    assert!(err.lines().any(|l| l == expect), "expected\n{expect}\nin:\n{err}");

    let (line, col) = position(&tree, "{{ contact.front_door.fax }}");
    let expect = format!(
        "{tree_path}:{line}:{col}: error: `fax` in `{{{{ contact.front_door.fax }}}}` is not a contact detail; use name, phone, email, web or hours"
    );
    assert!(err.lines().any(|l| l == expect), "expected\n{expect}\nin:\n{err}");
    assert!(err.contains("3 errors"), "only these three: {err}");
}

#[test]
fn a_placeholder_in_code_stays_as_written() {
    let root = default_handbook("council-code");
    let page = "+++\ntitle = \"Writing numbers\"\n+++\n\nWrite `{{ contact.front_door.phone }}` to show the number; `{{ contact.nobody.phone }}` is only an example.\n\n```toml\nphone = \"{{ contact.front_door.phone }}\"\n```\n\nThe number is {{ contact.front_door.phone }}.\n";
    write(&root, "content/writing.md", page);
    let site = common::build(&root, TODAY);
    let html = read(&site, "writing.html");
    assert!(html.contains("<code>{{ contact.front_door.phone }}</code>"), "{html}");
    assert!(html.contains("<code>{{ contact.nobody.phone }}</code>"), "{html}");
    assert!(html.contains("phone = \"{{ contact.front_door.phone }}\""), "{html}");
    assert!(html.contains("The number is <a href=\"tel:01632960123\">01632 960123</a>."), "{html}");
}

#[test]
fn the_older_contact_table_still_works_as_contacts_main() {
    let root = common::temp("council-legacy").join("hb");
    write(
        &root,
        "handbook.toml",
        "title = \"Handbook\"\nauthority = \"Eastwold Council\"\n[contact]\nname = \"the Family Hub\"\nphone = \"01632 960555\"\nemail = \"hub@eastwold.test\"\n",
    );
    write(
        &root,
        "content/index.md",
        "+++\ntitle = \"Home\"\n+++\n\nCall {{ contact.main.name }} on {{ contact.main.phone }} at {{ authority }}.\n",
    );
    let site = common::build(&root, TODAY);
    let home = read(&site, "index.html");
    assert!(home.contains("Call the Family Hub on <a href=\"tel:01632960555\">01632 960555</a> at Eastwold Council."), "{home}");
    // The footer shows it as it always did.
    assert!(home.contains("<h2 class=\"footer-heading\">Contact the Family Hub</h2>"), "{home}");
    assert!(home.contains("<a href=\"mailto:hub@eastwold.test\">hub@eastwold.test</a>"), "{home}");
}

/// The part of a page inside `<main>`.
fn main_of(html: &str) -> &str {
    &html[html.find("<main").unwrap()..html.find("</main>").unwrap()]
}

#[test]
fn the_home_page_starts_with_the_front_door_then_what_practitioners_come_to_do_then_the_sections() {
    let root = default_handbook("council-home");
    let site = common::build(&root, TODAY);
    let home = read(&site, "index.html");
    let main = main_of(&home);
    let toml_text = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let front = facts(&toml_text).into_iter().find(|(k, _)| k == "contacts.front_door.phone").unwrap().1;

    // First after the title: a callout named by its own heading, whose
    // first link is the front door's number.
    let after_h1 = &main[main.find("</h1>").unwrap() + 5..];
    let first_tag = after_h1.trim_start().trim_start_matches("<div class=\"prose home\">").trim_start();
    assert!(
        first_tag.starts_with("<div class=\"callout callout-warning callout-headed\" role=\"note\">\n<h2 id=\"if-you-are-worried-about-a-child\">If you are worried about a child</h2>"),
        "{first_tag}"
    );
    let callout = &first_tag[..first_tag.find("</div>").unwrap()];
    let first_link = &callout[callout.find("<a href=\"").unwrap()..];
    assert!(first_link.starts_with(&format!("<a href=\"tel:{}\">{front}</a>", digits(&front))), "{callout}");
    assert!(!main.contains("toc-heading"), "no 'On this page' list before the callout");

    // Then the tasks, each a link to where the work is done.
    let tasks_at = main.find("<h2 id=\"what-do-you-need-to-do\">").expect("a task list");
    let sections_at = main.find("<h2 id=\"sections\">").expect("the sections");
    assert!(main.find("if-you-are-worried-about-a-child").unwrap() < tasks_at && tasks_at < sections_at);
    let tasks = &main[tasks_at..sections_at];
    for (words, href) in [
        ("Start an Early Help Assessment", "forms/early-help-assessment.html"),
        ("Prepare a Team Around the Family meeting", "team-around-the-family/before-the-meeting.html"),
        ("Find who should be the Lead Professional", "decisions/lead-professional/index.html"),
        ("Look up a term", "glossary.html"),
    ] {
        assert!(tasks.contains(&format!("<a href=\"{href}\">{words}</a>")), "no task `{words}` -> {href} in {tasks}");
    }
    // Then every section, once, the decision guides and forms included.
    let sections = &main[sections_at..];
    let sections = &sections[..sections.find("</ul>").unwrap()];
    for entry in std::fs::read_dir(root.join("content")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let href = format!("href=\"{}/index.html\"", entry.file_name().to_string_lossy());
        assert_eq!(sections.matches(&href).count(), 1, "{href}");
    }
    assert!(sections.contains("<a href=\"decisions/index.html\">Decision guides</a>"));
    assert!(sections.contains("<a href=\"forms/index.html\">Forms</a>"));
}

/// The `href`s of the links that start list items in `html`.
fn list_item_links(html: &str) -> Vec<String> {
    html.split("<li>")
        .skip(1)
        .filter_map(|item| {
            let item = item.trim_start();
            item.strip_prefix("<a href=\"").map(|rest| rest[..rest.find('"').unwrap()].to_string())
        })
        .collect()
}

#[test]
fn sections_hold_what_their_names_say_and_list_their_pages_once() {
    let root = default_handbook("council-sections");
    let o = run(&["check", "--root", root.to_str().unwrap()], TODAY);
    assert!(o.status.success() && stderr(&o).trim().is_empty(), "handbook check: {}", stderr(&o));
    let site = common::build(&root, TODAY);

    // The assessment, consent and voice-of-the-child pages are not "why early help".
    for page in ["assessment/index.html", "assessment/consent-and-sharing.html", "assessment/child-and-family-voice.html"] {
        let html = read(&site, page);
        let crumbs = &html[html.find("class=\"breadcrumbs\"").unwrap()..];
        let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
        assert!(!crumbs.contains("Why early help"), "{page} sits under Why early help: {crumbs}");
        assert!(crumbs.contains("The Early Help Assessment") || page == "assessment/index.html", "{page}: {crumbs}");
    }
    assert!(!site.join("early-help/assessment.html").exists());

    // Every section page lists each of its pages exactly once.
    let content = root.join("content");
    for entry in std::fs::read_dir(&content).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pages: Vec<String> = std::fs::read_dir(entry.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|f| f.ends_with(".md") && f != "index.md")
            .map(|f| f.replace(".md", ".html"))
            .collect();
        let main = main_of(&read(&site, &format!("{name}/index.html"))).to_string();
        let listed = list_item_links(&main);
        for page in &pages {
            let from_root = format!("../{name}/{page}");
            let times = listed.iter().filter(|l| *l == page || **l == from_root).count();
            assert_eq!(times, 1, "{name}/index.html lists {page} {times} times: {listed:?}");
        }
    }
}

#[test]
fn decision_guides_have_one_name_everywhere() {
    let root = default_handbook("council-names");
    let site = common::build(&root, TODAY);
    let mut found = Vec::new();
    for (path, text) in text_files(&site).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let visible = common::visible_text(&text).to_lowercase();
        if visible.contains("decision tree") {
            found.push(path);
        }
    }
    assert!(found.is_empty(), "`decision tree` is shown in {found:?}; the site calls them decision guides");
    assert!(read(&site, "decisions/index.html").contains("<h1>Decision guides</h1>"));
}

/// The answers on a built decision page: (label, file of the next page).
fn answers(html: &str) -> Vec<(String, String)> {
    html.split("<a class=\"decision-answer\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = &rest[..rest.find('"').unwrap()];
            let label = &rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()];
            (label.replace("&#39;", "'"), href.rsplit('/').next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn the_common_early_help_case_takes_at_most_four_questions_to_find_the_lead_professional() {
    let root = default_handbook("council-tree");
    let site = common::build(&root, TODAY);
    let dir = site.join("decisions/lead-professional");
    let page = |file: &str| read(&dir, file);

    // A child with no social worker, no statutory or specialist lead, whose
    // family needs more help than universal services give: walk the pages
    // as a reader with no JavaScript does, answer by answer.
    let route = ["None of these", "None of these", "Yes"];
    let mut here = "index.html".to_string();
    let mut questions = 0;
    for label in route {
        let html = page(&here);
        assert!(html.contains("data-node=\"question\""), "{here} is a question");
        questions += 1;
        let found = answers(&html);
        let (_, next) =
            found.iter().find(|(l, _)| l == label).unwrap_or_else(|| panic!("{here} has no answer `{label}`: {found:?}"));
        here = next.clone();
    }
    let outcome = page(&here);
    assert!(outcome.contains("data-node-id=\"eha-author-then-taf\""), "{here}");
    assert!(outcome.contains("<h1>The person who writes the Early Help Assessment leads at first</h1>"));
    assert!(questions <= 4, "{questions} questions");

    // And no route to it is longer: the shortest way there, by any answers.
    let mut depth = std::collections::HashMap::from([("index.html".to_string(), 0usize)]);
    let mut queue = std::collections::VecDeque::from(["index.html".to_string()]);
    while let Some(file) = queue.pop_front() {
        let html = page(&file);
        for (_, next) in answers(&html) {
            if !depth.contains_key(&next) {
                depth.insert(next.clone(), depth[&file] + 1);
                queue.push_back(next);
            }
        }
    }
    assert_eq!(depth["eha-author-then-taf.html"], 3, "questions before the early help outcome");
    // Every outcome is still reached, and none needs more than four questions.
    let outcomes: Vec<&String> = depth.keys().filter(|f| page(f).contains("data-node=\"outcome\"")).collect();
    assert_eq!(outcomes.len(), 18, "{outcomes:?}");
    for f in outcomes {
        assert!(depth[f] <= 4, "{f} takes {} questions", depth[f]);
    }
}

#[test]
fn national_programmes_are_described_as_they_are_now_with_check_locally() {
    let root = default_handbook("council-facts-now");
    let site = common::build(&root, TODAY);
    let mut cpa_pages = 0;
    for (path, html) in text_files(&site).into_iter().filter(|(p, _)| p.ends_with(".html") && !p.starts_with("packs/")) {
        let text = common::visible_text(&html);
        if text.contains("Care Programme Approach") {
            cpa_pages += 1;
            assert!(text.contains("Community Mental Health Framework"), "{path} names the CPA without its replacement");
            assert!(text.to_lowercase().contains("check locally"), "{path}: no `check locally` beside the CPA");
        }
    }
    assert!(cpa_pages >= 3, "the CPA is explained where it is named ({cpa_pages} pages)");
    let why = common::visible_text(&read(&site, "early-help/index.html"));
    for words in ["Families First Partnership", "Family Help", "lead practitioner", "Check locally"] {
        assert!(why.contains(words), "early-help/index.html does not mention {words}");
    }
    let glossary = common::visible_text(&read(&site, "glossary.html"));
    assert!(glossary.contains("Family Help In England, the name for one service"), "{glossary}");
}
