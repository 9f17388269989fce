//! From read documents to the files to write: split at headings into a
//! section of pages, bring heading levels in line, resolve internal links to
//! `.md` paths with the build's heading ids, name and place images, number
//! footnotes per page, and write the front matter.

use super::dates;
use super::model::{Block, Doc, LinkRef};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use time::Date;

/// One document and where it goes.
pub struct Input {
    pub doc: Doc,
    /// Its section folder, relative to the handbook: `content/lead-professional`.
    pub folder: String,
    /// The weight of its section page among its neighbours.
    pub weight: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Page { title: String },
    Image,
}

#[derive(Debug, Clone)]
pub struct File {
    /// Relative to the handbook folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    pub kind: Kind,
}

/// Something a person should look at, placed.
#[derive(Debug, Clone)]
pub struct Item {
    pub file: String,
    pub at: String,
    pub message: String,
    /// The page it ended up in.
    pub page: Option<String>,
    /// Its place in the document, to list items in order.
    pub order: usize,
}

/// What one document became, for the report.
pub struct Summary {
    pub file: String,
    pub title: String,
    pub folder: String,
    pub dates: Option<String>,
    pub pages: usize,
    pub images: usize,
    pub tables: usize,
}

pub struct Plan {
    pub files: Vec<File>,
    pub items: Vec<Item>,
    pub summaries: Vec<Summary>,
}

struct Draft {
    path: String,
    title: String,
    weight: i64,
    /// Blocks of the document in this page (the heading that starts it excluded).
    blocks: Vec<usize>,
    /// The level of the heading that starts the page (0: the document title).
    level: u8,
    /// Source heading, for the provenance comment.
    from: Option<String>,
    description: Option<String>,
}

/// A file name from a heading: lower-case ASCII letters, digits and hyphens.
pub fn file_slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() && c != '\'' && c != '\u{2019}' {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    // Long headings make unwieldy addresses: cut at a word, near 60 characters.
    let mut out = String::new();
    for word in s.split('-') {
        if !out.is_empty() && out.len() + word.len() + 1 > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() { "page".to_string() } else { out }
}

/// Accented Latin letters (Welsh ŵ and ŷ among them) as plain ones, for file names.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ŵ' | 'Ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => 'w',
        'ŷ' | 'Ŷ' | 'ý' | 'ÿ' | 'ỳ' => 'y',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        'ß' => 's',
        '&' => '-',
        c => c,
    }
}

fn unique(name: String, used: &mut HashSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    (2..).map(|n| format!("{name}-{n}")).find(|n| used.insert(n.clone())).unwrap()
}

/// The build's heading id for heading text: its slug after the smart
/// punctuation the build applies, made unique on the page.
fn heading_id(plain: &str, used: &mut HashSet<String>) -> String {
    let smart = plain.replace("---", "\u{2014}").replace("--", "\u{2013}");
    crate::text::unique_id(&crate::text::slug(&smart), used)
}

/// `to` relative to the folder of `from` (both paths from the handbook folder).
fn relative(from: &str, to: &str) -> String {
    crate::paths::relative_url(from, to)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Plans every file. `today` decides whether a document's date is past
/// (`reviewed`) or to come (the next review).
pub fn plan(inputs: Vec<Input>, split_at: u8, today: Date) -> Plan {
    let mut files = Vec::new();
    let mut items = Vec::new();
    let mut summaries = Vec::new();
    // Each input's section page, for links between imported files.
    let index_of: HashMap<String, String> =
        inputs.iter().map(|i| (i.doc.file.to_lowercase(), format!("{}/index.md", i.folder))).collect();
    for input in inputs {
        let (f, it, s) = plan_doc(input, split_at, today, &index_of);
        files.extend(f);
        items.extend(it);
        summaries.push(s);
    }
    Plan { files, items, summaries }
}

fn plan_doc(input: Input, split_at: u8, today: Date, index_of: &HashMap<String, String>) -> (Vec<File>, Vec<Item>, Summary) {
    let Input { mut doc, folder, weight } = input;
    let title = doc.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| title_from_file(&doc.file));
    let mut items: Vec<Item> = Vec::new();
    let mut extra_notes: Vec<(usize, String, String)> = Vec::new();

    // 1. Pages.
    let mut drafts: Vec<Draft> = vec![Draft {
        path: format!("{folder}/index.md"),
        title: title.clone(),
        weight,
        blocks: Vec::new(),
        level: 0,
        from: None,
        description: doc.description.clone(),
    }];
    // Which page each block is in, and which blocks start pages.
    let mut page_of: Vec<usize> = vec![0; doc.blocks.len()];
    let mut starts: HashMap<usize, usize> = HashMap::new();
    let mut names: HashMap<String, HashSet<String>> = HashMap::new();
    names.entry(folder.clone()).or_default().insert("index".into());
    let mut weights: HashMap<String, i64> = HashMap::new();
    let mut next_weight = |dir: &str| {
        let w = weights.entry(dir.to_string()).or_insert(0);
        *w += 10;
        *w
    };
    // With --split-at 2: the level-1 headings that have level-2 headings under them become folders.
    let has_children: HashSet<usize> = if split_at == 2 {
        let mut set = HashSet::new();
        let mut current = None;
        for (i, b) in doc.blocks.iter().enumerate() {
            if let Block::Heading { level, .. } = b {
                match level {
                    1 => current = Some(i),
                    2 => {
                        if let Some(c) = current {
                            set.insert(c);
                        }
                    }
                    _ => {}
                }
            }
        }
        set
    } else {
        HashSet::new()
    };
    let mut current = 0;
    // The folder new pages go in (a level-1 folder while inside one).
    let mut dir = folder.clone();
    for (i, b) in doc.blocks.iter().enumerate() {
        if let Block::Heading { level, plain, .. } = b {
            let level = *level;
            if level <= split_at {
                let name = file_slug(plain);
                if split_at == 2 && level == 1 {
                    dir = folder.clone();
                }
                let (path, is_index) = if split_at == 2 && level == 1 && has_children.contains(&i) {
                    let sub = unique(name, names.entry(folder.clone()).or_default());
                    let sub_dir = format!("{folder}/{sub}");
                    names.entry(sub_dir.clone()).or_default().insert("index".into());
                    dir = sub_dir.clone();
                    (format!("{sub_dir}/index.md"), true)
                } else {
                    let used = names.entry(dir.clone()).or_default();
                    let name = if name == "index" { "index-page".to_string() } else { name };
                    (format!("{dir}/{}.md", unique(name, used)), false)
                };
                let parent = path.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
                let weight_dir =
                    if is_index { parent.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default() } else { parent };
                drafts.push(Draft {
                    path,
                    title: plain.clone(),
                    weight: next_weight(&weight_dir),
                    blocks: Vec::new(),
                    level,
                    from: Some(heading_source(b)),
                    description: None,
                });
                current = drafts.len() - 1;
                starts.insert(i, current);
                page_of[i] = current;
                continue;
            }
        }
        page_of[i] = current;
        drafts[current].blocks.push(i);
    }

    // 2. Heading levels in each page, and the ids the build will give them.
    let mut levels: HashMap<usize, u8> = HashMap::new();
    let mut ids: HashMap<usize, String> = HashMap::new();
    for draft in drafts.iter() {
        let mut used: HashSet<String> = crate::text::RESERVED_IDS.iter().map(|s| s.to_string()).collect();
        let mut last = 1u8;
        let mut last_src = draft.level;
        for &bi in &draft.blocks {
            if let Block::Heading { level, plain, at, .. } = &doc.blocks[bi] {
                let wanted = (level + 1).saturating_sub(draft.level).max(2);
                let shown = wanted.min(last + 1).min(6);
                if *level > last_src + 1 {
                    let how = if shown < wanted { "moved up" } else { "kept" };
                    extra_notes.push((
                        bi,
                        at.to_string(),
                        format!(
                            "the heading \"{plain}\" (level {level}) comes straight after a level {last_src} heading, skipping a level; it was {how} to `{}` so the page's headings do not skip a level: check it",
                            "#".repeat(shown as usize)
                        ),
                    ));
                }
                last = shown;
                last_src = *level;
                levels.insert(bi, shown);
                ids.insert(bi, heading_id(plain, &mut used));
            }
        }
    }

    // 3. Where every anchor is: (page, heading id on that page).
    let mut anchors: HashMap<String, (usize, Option<String>)> = HashMap::new();
    for a in &doc.title_anchors {
        anchors.insert(a.clone(), (0, None));
    }
    anchors.insert("_top".into(), (0, None));
    for (d, draft) in drafts.iter().enumerate() {
        let mut nearest: Option<String> = None;
        let start = starts.iter().find(|(_, p)| **p == d).map(|(b, _)| *b);
        if let Some(b) = start
            && let Block::Heading { anchors: a, .. } = &doc.blocks[b]
        {
            for name in a {
                anchors.entry(name.clone()).or_insert((d, None));
            }
        }
        for &bi in &draft.blocks {
            match &doc.blocks[bi] {
                Block::Heading { anchors: a, .. } => {
                    nearest = ids.get(&bi).cloned();
                    for name in a {
                        anchors.entry(name.clone()).or_insert((d, nearest.clone()));
                    }
                }
                Block::Body { anchors: a, .. } => {
                    for name in a {
                        anchors.entry(name.clone()).or_insert((d, nearest.clone()));
                    }
                }
            }
        }
    }

    // 4. Review dates.
    let mut reviewed = doc.dates.reviewed;
    let mut next = doc.dates.next_review;
    if let Some(r) = reviewed
        && r > today
    {
        // A date still to come is when the next review is due.
        next = next.or(Some(r));
        reviewed = None;
    }
    let review_every = match (reviewed, next) {
        (Some(r), Some(n)) => dates::months_between(r, n).map(|m| format!("{m} months")),
        _ => None,
    };
    let mut dates_line = None;
    if let Some(r) = reviewed {
        let from = doc.dates.reviewed_from.clone().unwrap_or_default();
        let mut line = format!("reviewed = {r} (from {from})");
        if let Some(every) = &review_every {
            let _ = write!(line, ", review_every = \"{every}\" (to the next review date, {})", next.unwrap());
        }
        dates_line = Some(line);
        if doc.dates.reviewed_is_saved_date {
            extra_notes.push((0, "the document's date".into(), format!(
                "`reviewed = {r}` was taken from {from}, which is not necessarily when the guidance was last reviewed: check it on every page, and add `review_every` (such as \"12 months\")"
            )));
        }
    }
    if let Some(n) = next
        && review_every.is_none()
    {
        extra_notes.push((0, "the document's date".into(), format!(
            "the document says its next review is due on {n}, but not when it was last reviewed, so `reviewed` and `review_every` were not set: add them to the pages"
        )));
    }

    // 5. Write each page.
    let mut image_paths: HashMap<usize, String> = HashMap::new();
    let mut image_count: HashMap<String, usize> = HashMap::new();
    let mut files: Vec<File> = Vec::new();
    let mut image_files: Vec<File> = Vec::new();
    let links = std::mem::take(&mut doc.links);
    for (d, draft) in drafts.iter().enumerate() {
        let mut body = String::new();
        for &bi in &draft.blocks {
            let md = match &doc.blocks[bi] {
                Block::Heading { text, .. } => format!("{} {text}", "#".repeat(levels[&bi] as usize)),
                Block::Body { markdown, .. } => markdown.clone(),
            };
            if md.trim().is_empty() {
                continue;
            }
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&md);
        }
        // Footnotes: numbered from 1 on each page, their text at the end.
        let mut notes_here: Vec<usize> = Vec::new();
        body = replace_tokens(&body, "[^hbnote-", "]", |n| {
            let k = match notes_here.iter().position(|&x| x == n) {
                Some(k) => k,
                None => {
                    notes_here.push(n);
                    notes_here.len() - 1
                }
            };
            format!("[^{}]", k + 1)
        });
        for (k, n) in notes_here.iter().enumerate() {
            let text = doc.footnotes.get(*n).cloned().unwrap_or_default();
            let _ = write!(body, "\n\n[^{}]: {}", k + 1, text);
        }
        let page_path = draft.path.clone();
        body = replace_tokens(&body, "(#hbimport-", ")", |n| {
            let dest = match links.get(n) {
                Some(LinkRef::Anchor(name)) => match anchors.get(name) {
                    Some((p, frag)) => {
                        let target = &drafts[*p].path;
                        match (target == &page_path, frag) {
                            (true, Some(f)) => format!("#{f}"),
                            (true, None) => relative(&page_path, target),
                            (false, Some(f)) => format!("{}#{f}", relative(&page_path, target)),
                            (false, None) => relative(&page_path, target),
                        }
                    }
                    None => relative(&page_path, &drafts[0].path),
                },
                Some(LinkRef::File(name)) => match index_of.get(&name.to_lowercase()) {
                    Some(target) => relative(&page_path, target),
                    None => relative(&page_path, &drafts[0].path),
                },
                None => relative(&page_path, &drafts[0].path),
            };
            format!("({dest})")
        });
        body = replace_tokens(&body, "(#hbimage-", ")", |n| {
            let path = image_paths.entry(n).or_insert_with(|| {
                let dir = page_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                let stem = page_path.rsplit('/').next().unwrap_or("").trim_end_matches(".md");
                let stem = if stem == "index" { dir.rsplit('/').next().unwrap_or("image").to_string() } else { stem.to_string() };
                let count = image_count.entry(format!("{dir}/{stem}")).or_insert(0);
                *count += 1;
                let image = &doc.images[n];
                let path = format!("{dir}/{stem}-{count}.{}", image.ext);
                image_files.push(File { path: path.clone(), bytes: image.bytes.clone(), kind: Kind::Image });
                path
            });
            format!("({})", relative(&page_path, path))
        });
        body = replace_tokens(&body, "\"#hbimage-", "\"", |n| {
            // Images inside raw HTML tables.
            let p = image_paths.get(&n).cloned().unwrap_or_default();
            format!("\"{}\"", relative(&page_path, &p))
        });

        let mut fm = String::from("+++\n");
        let source = match &draft.from {
            Some(h) => format!("{}, heading \"{}\"", doc.file, h.replace('"', "'")),
            None => doc.file.clone(),
        };
        let _ = writeln!(fm, "# Imported by `handbook import` from {source}.");
        let _ = writeln!(fm, "title = {}", toml_string(&draft.title));
        if let Some(desc) = &draft.description {
            let _ = writeln!(fm, "description = {}", toml_string(desc));
        }
        let _ = writeln!(fm, "weight = {}", draft.weight);
        if let Some(r) = reviewed {
            let _ = writeln!(fm, "reviewed = {r}");
            if let Some(every) = &review_every {
                let _ = writeln!(fm, "review_every = {}", toml_string(every));
            }
        }
        match &doc.owner {
            Some(o) => {
                let _ = writeln!(fm, "owner = {}", toml_string(o));
            }
            None => {
                let _ = writeln!(fm, "owner = \"\"  # the team responsible for this page: fill this in");
            }
        }
        fm.push_str("+++\n");
        if !body.is_empty() {
            fm.push('\n');
            fm.push_str(&body);
            fm.push('\n');
        }
        let page = stamp(&fm, &doc.file);
        files.push(File { path: draft.path.clone(), bytes: page.into_bytes(), kind: Kind::Page { title: draft.title.clone() } });
        let _ = d;
    }

    // 6. The report's items, each with the page it is now in.
    for n in &doc.notes {
        let page = page_of.get(n.block).or(page_of.last()).map(|&p| drafts[p].path.clone());
        items.push(Item { file: doc.file.clone(), at: n.at.to_string(), message: n.message.clone(), page, order: n.block });
    }
    for (b, at, message) in extra_notes {
        let page = page_of.get(b).map(|&p| drafts[p].path.clone());
        items.push(Item { file: doc.file.clone(), at, message, page, order: b });
    }
    items.sort_by_key(|i| i.order);
    let summary = Summary {
        file: doc.file.clone(),
        title,
        folder,
        dates: dates_line,
        pages: files.len(),
        images: image_files.len(),
        tables: doc.tables,
    };
    files.extend(image_files);
    (files, items, summary)
}

/// The front-matter comment that says which file's import wrote a page
/// and what it wrote: `# import record: { source = "FILE", sha256 = "..." }`,
/// the hash being of the page without this line. A later `--force` import
/// of the same file removes a page it no longer writes only while the hash
/// still matches, so a page a person has edited since is never removed.
pub const RECORD: &str = "# import record: ";

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The page with its record line after the "Imported by" comment.
fn stamp(page: &str, source: &str) -> String {
    let line = format!("{RECORD}{{ source = {}, sha256 = \"{}\" }}\n", toml_string(source), sha256_hex(page));
    // After `+++` and the "Imported by" line.
    let at = page.match_indices('\n').nth(1).map(|(i, _)| i + 1).unwrap_or(page.len());
    format!("{}{line}{}", &page[..at], &page[at..])
}

/// What an imported page's record says.
#[derive(Debug, PartialEq, Eq)]
pub struct Record {
    /// The file whose import wrote it, as named then.
    pub source: String,
    /// The page is as that import wrote it.
    pub unchanged: bool,
}

/// The record of a page written by `handbook import`, or `None` for a
/// page without one (written by a person, or by an import before records).
pub fn record(page: &str) -> Option<Record> {
    let body = page.strip_prefix("+++\n")?;
    let end = body.find("\n+++")?;
    let mut offset = 4;
    for line in body[..end].split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(RECORD) {
            let table: toml::Table = toml::from_str(&format!("r = {}", rest.trim_end())).ok()?;
            let r = table.get("r")?.as_table()?;
            let source = r.get("source")?.as_str()?.to_string();
            let hash = r.get("sha256")?.as_str()?;
            let without = format!("{}{}", &page[..offset], &page[offset + line.len()..]);
            return Some(Record { source, unchanged: sha256_hex(&without) == hash });
        }
        offset += line.len();
    }
    None
}

fn heading_source(b: &Block) -> String {
    match b {
        Block::Heading { at, plain, .. } => at.heading.clone().unwrap_or_else(|| plain.clone()),
        Block::Body { .. } => String::new(),
    }
}

/// "lead-professional_v3 FINAL.docx" is "Lead professional v3 FINAL".
fn title_from_file(file: &str) -> String {
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let words = stem.replace(['-', '_'], " ");
    let words = super::model::collapse_spaces(&words);
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => "Imported guidance".to_string(),
    }
}

/// Replaces each `{open}N{close}` (N a number) with `f(N)`.
fn replace_tokens(s: &str, open: &str, close: &str, mut f: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(close) {
            out.push_str(&rest[..i]);
            out.push_str(&f(digits.parse().unwrap_or(0)));
            rest = &after[digits.len() + close.len()..];
        } else {
            out.push_str(&rest[..i + open.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_short_ascii_slugs() {
        assert_eq!(file_slug("The Lead Professional role"), "the-lead-professional-role");
        assert_eq!(file_slug("Children's social care & early help"), "childrens-social-care-early-help");
        assert_eq!(file_slug("Cyfarfodydd Tîm o Amgylch y Teulu (TAT)"), "cyfarfodydd-tim-o-amgylch-y-teulu-tat");
        assert_eq!(file_slug("???"), "page");
        assert!(file_slug(&"word ".repeat(40)).len() <= 60);
    }

    #[test]
    fn tokens_are_replaced_and_lookalikes_left() {
        let s = replace_tokens("[a](#hbimport-2) [b](#hbimport-x)", "(#hbimport-", ")", |n| format!("(p{n}.md)"));
        assert_eq!(s, "[a](p2.md) [b](#hbimport-x)");
    }

    #[test]
    fn records_tell_an_unchanged_page_from_an_edited_one() {
        let page = stamp("+++\n# Imported by `handbook import` from a.docx.\ntitle = \"A\"\n+++\n\nText.\n", "a \"b\".docx");
        assert!(page.contains("\n# import record: { source = 'a \"b\".docx', sha256 = \""), "{page}");
        assert_eq!(record(&page), Some(Record { source: "a \"b\".docx".into(), unchanged: true }));
        let edited = page.replace("Text.", "Text, edited.");
        assert_eq!(record(&edited), Some(Record { source: "a \"b\".docx".into(), unchanged: false }));
        assert_eq!(record("+++\ntitle = \"Mine\"\n+++\n"), None);
    }

    #[test]
    fn heading_ids_match_the_build() {
        let mut used: HashSet<String> = crate::text::RESERVED_IDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(heading_id("When consent is withdrawn", &mut used), "when-consent-is-withdrawn");
        assert_eq!(heading_id("When consent is withdrawn", &mut used), "when-consent-is-withdrawn-1");
        assert_eq!(heading_id("Main", &mut used), "main-1");
    }
}
