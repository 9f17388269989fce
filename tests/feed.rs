//! The Atom feed of amendments (amendments.xml): parsed with quick-xml as a
//! feed reader would, checked for what RFC 4287 requires, in order, with
//! titles escaped, and linked from the Amendments page.

mod common;
use common::*;
use quick_xml::Reader;
use quick_xml::events::Event;

const TODAY: &str = "2027-01-15";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// An element with its attributes, text and children.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn one(&self, name: &str) -> &El {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "exactly one <{name}> in <{}>", self.name);
        found[0]
    }
    fn text_of(&self, name: &str) -> String {
        self.one(name).text.trim().to_string()
    }
}

/// Parses the whole document strictly (end names checked, entities resolved).
fn parse(xml: &str) -> El {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "the XML declaration comes first");
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![El::default()];
    let element = |s: &quick_xml::events::BytesStart| El {
        name: s.name().as_ref().to_string(),
        attrs: s
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("attribute value").into_owned();
                (a.key.as_ref().to_string(), value)
            })
            .collect(),
        ..El::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(s) => stack.push(element(&s)),
            Event::Empty(s) => stack.last_mut().unwrap().children.push(element(&s)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().expect("character reference") {
                    Some(c) => c.to_string(),
                    None => {
                        quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).expect("a predefined entity").to_string()
                    }
                };
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1);
    let mut top = stack.pop().unwrap();
    assert_eq!(top.children.len(), 1, "one root element");
    top.children.pop().unwrap()
}

fn is_rfc3339(s: &str) -> bool {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

/// Every entry's title, updated and link, checked for what RFC 4287 requires.
fn check_feed(feed: &El) -> Vec<(String, String, String)> {
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some(ATOM));
    assert!(!feed.text_of("title").is_empty());
    assert!(feed.text_of("id").contains(':'), "the feed's id is an absolute IRI");
    assert!(is_rfc3339(&feed.text_of("updated")), "{}", feed.text_of("updated"));
    assert!(!feed.one("author").text_of("name").is_empty(), "the feed has an author, so entries need none");
    assert_eq!(feed.all("link").iter().filter(|l| l.attr("rel") == Some("self")).count(), 1);
    assert_eq!(feed.all("link").iter().filter(|l| l.attr("rel") == Some("alternate")).count(), 1);
    let mut ids = std::collections::HashSet::new();
    let mut out = Vec::new();
    for entry in feed.all("entry") {
        let id = entry.text_of("id");
        assert!(id.contains(':'), "{id} is an absolute IRI");
        assert!(ids.insert(id.clone()), "{id} is unique");
        let updated = entry.text_of("updated");
        assert!(is_rfc3339(&updated), "{updated}");
        let title = entry.text_of("title");
        assert!(!title.is_empty());
        let link = entry.all("link").into_iter().find(|l| l.attr("rel").unwrap_or("alternate") == "alternate").expect("a link");
        let summary = entry.one("summary");
        assert_eq!(summary.attr("type"), Some("text"));
        assert!(!summary.text.trim().is_empty());
        out.push((title, updated, link.attr("href").unwrap().to_string()));
    }
    out
}

fn set_front_matter(root: &std::path::Path, rel: &str, title: &str, reviewed: &str, changes: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let body = text.splitn(3, "+++").nth(2).unwrap();
    let front =
        format!("+++\ntitle = {title:?}\nreviewed = {reviewed}\nreview_every = \"12 months\"\nchanges = {changes:?}\n+++");
    std::fs::write(path, format!("{front}{body}")).unwrap();
}

#[test]
fn the_feed_holds_every_dated_amendment_newest_first_with_links_relative_to_the_feed() {
    let root = new_handbook("feed");
    set_front_matter(
        &root,
        "content/early-help/assessment.md",
        "Assessment & <review>",
        "2026-12-20",
        "Split \"review\" & <closure>.",
    );
    let site = build(&root, TODAY);
    let xml = read(&site, "amendments.xml");
    let feed = parse(&xml);
    let entries = check_feed(&feed);
    assert!(entries.len() >= 4, "{entries:?}");
    let dates: Vec<&str> = entries.iter().map(|(_, d, _)| d.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    // The title with & and < comes through as written, escaped in the file.
    assert_eq!(entries[0], ("Assessment & <review>".into(), "2026-12-20T00:00:00Z".into(), "early-help/assessment.html".into()));
    assert!(xml.contains("&amp;") && xml.contains("&lt;review&gt;") && !xml.contains("<review>"));
    assert_eq!(feed.all("entry")[0].text_of("summary"), "Split \"review\" & <closure>.");
    assert_eq!(feed.text_of("updated"), "2026-12-20T00:00:00Z", "the feed is as new as its newest entry");
    // Without base_url every link is relative to the feed, which sits at the site's root.
    for (_, _, link) in &entries {
        assert!(!link.contains(':') && !link.starts_with('/'), "{link}");
        assert!(site.join(link).is_file(), "{link} is a page of the site");
    }
    assert!(feed.text_of("id").starts_with("urn:uuid:"));

    // The same handbook builds the same ids: feed readers see nothing new.
    let again = parse(&read(&build(&root, "2027-02-01"), "amendments.xml"));
    let ids = |f: &El| f.all("entry").iter().map(|e| e.text_of("id")).collect::<Vec<_>>();
    assert_eq!(ids(&feed), ids(&again));
    assert_eq!(feed.text_of("id"), again.text_of("id"));
}

#[test]
fn with_base_url_every_link_and_id_is_absolute() {
    let root = new_handbook("feed-base");
    let toml = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    write(&root, "handbook.toml", &format!("base_url = \"https://www.example.gov.uk/handbook/\"\n{toml}"));
    let site = build(&root, TODAY);
    let feed = parse(&read(&site, "amendments.xml"));
    for (_, _, link) in check_feed(&feed) {
        assert!(link.starts_with("https://www.example.gov.uk/handbook/"), "{link}");
        assert!(site.join(link.strip_prefix("https://www.example.gov.uk/handbook/").unwrap()).is_file());
    }
    assert_eq!(feed.text_of("id"), "https://www.example.gov.uk/handbook/amendments.xml");
    let self_link = feed.all("link").into_iter().find(|l| l.attr("rel") == Some("self")).unwrap();
    assert_eq!(self_link.attr("href"), Some("https://www.example.gov.uk/handbook/amendments.xml"));
    for entry in feed.all("entry") {
        assert!(entry.text_of("id").starts_with("https://www.example.gov.uk/handbook/"));
    }
}

#[test]
fn the_amendments_page_links_to_its_feed_in_its_head_and_its_text() {
    let site = build(&test_handbook(), TODAY);
    let page = read(&site, "amendments.html");
    let head = &page[..page.find("</head>").unwrap()];
    assert!(head.contains("<link rel=\"alternate\" type=\"application/atom+xml\""), "{head}");
    assert!(head.contains("href=\"amendments.xml\""));
    let body = &page[page.find("<main").unwrap()..];
    assert!(body.contains("<a href=\"amendments.xml\">"), "a visible link");
    // Only the Amendments page announces it.
    assert!(!read(&site, "index.html").contains("amendments.xml"));
}

#[test]
fn a_handbook_without_amendments_still_has_a_valid_feed() {
    let root = temp("feed-empty").join("hb");
    write(&root, "handbook.toml", "title = \"T & <U>\"\nauthority = \"A & B\"\n");
    write(&root, "content/index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n");
    let site = build(&root, TODAY);
    let feed = parse(&read(&site, "amendments.xml"));
    assert!(check_feed(&feed).is_empty());
    assert_eq!(feed.text_of("updated"), "2027-01-15T00:00:00Z", "the build date when nothing is dated");
    assert_eq!(feed.one("author").text_of("name"), "A & B");
    assert_eq!(feed.text_of("title"), "Amendments: T & <U>");
}
