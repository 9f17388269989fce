//! Word (.docx) documents: the zip container (the `zip` crate) and its XML
//! parts (quick-xml, through [`super::xml`]) read into a [`Doc`].
//!
//! What is kept: headings by style (Heading 1-6 and Title, by name or by the
//! style's outline level, so localized style names work), paragraphs, bold,
//! italic, strikethrough, superscript, lists by their numbering, tables,
//! hyperlinks, bookmarks and cross-references, footnotes and endnotes,
//! images and their alt text, text boxes, lists numbered with letters or
//! roman numerals (as HTML lists when the text refers to their letters),
//! tables inside tables (as HTML in their cell), and for a Windows
//! metafile diagram its description in its place. What is dropped: the Contents
//! block and page numbers, empty paragraphs, hidden text, deleted text,
//! comments, and line breaks used as spacing.

use super::dates::{self, DateLine};
use super::model::{self, At, Block, Cell, Doc, Image, Inline, Item, LinkRef, Style, Table, TableKind};
use super::xml::{self, Element, on_off};
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

/// No part of a real document is near this; a zip bomb is.
const MAX_PART: u64 = 64 * 1024 * 1024;

type Archive = zip::ZipArchive<Cursor<Vec<u8>>>;

/// Reads a .docx. `inputs` are the file names of everything imported in
/// this run, so links between them can be kept.
pub fn read(bytes: Vec<u8>, file: &str, inputs: &[String]) -> Result<Doc, String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let utf16: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        return Err(if bytes.windows(utf16.len()).any(|w| w == utf16.as_slice()) {
            "the document is password-protected (encrypted), so it cannot be read; in Word open it, choose File > Info > Protect Document > Encrypt with Password, clear the password, save, and import it again".into()
        } else {
            "this is an old Word 97-2003 document (.doc) with a .docx name; open it in Word or LibreOffice and save it as a Word Document (.docx)".into()
        });
    }
    if !bytes.starts_with(b"PK") {
        return Err("this is not a Word document: a .docx file is a zip file, and this one does not start like one; open it in Word and save it as a Word Document (.docx)".into());
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the zip container of this .docx is damaged ({e}); open it in Word and save it again"))?;
    let main = main_part(&mut archive)?;
    let document = read_xml(&mut archive, &main)?.ok_or_else(|| not_word(&mut archive))?;
    let dir = main.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
    let rels = read_rels(&mut archive, &rels_path(&main))?;
    let part = |kind: &str| rels.values().find(|r| r.kind.ends_with(kind)).map(|r| resolve(&dir, &r.target));
    let styles = match part("/styles") {
        Some(p) => read_xml(&mut archive, &p)?.map(|e| Styles::read(&e)).unwrap_or_default(),
        None => Styles::default(),
    };
    let numbering = match part("/numbering") {
        Some(p) => read_xml(&mut archive, &p)?.map(|e| Numbering::read(&e)).unwrap_or_default(),
        None => Numbering::default(),
    };
    let mut notes: HashMap<(char, String), (Element, HashMap<String, Rel>)> = HashMap::new();
    for (kind, key, element) in [("/footnotes", 'f', "footnote"), ("/endnotes", 'e', "endnote")] {
        if let Some(p) = part(kind)
            && let Some(root) = read_xml(&mut archive, &p)?
        {
            let note_rels = read_rels(&mut archive, &rels_path(&p))?;
            for n in root.elements().filter(|e| e.name == element) {
                if let Some(id) = n.attr("id") {
                    notes.insert((key, id.to_string()), (n.clone(), note_rels.clone()));
                }
            }
        }
    }
    let core = read_core(&mut archive)?;
    let body = document.child("body").ok_or("word/document.xml has no body; the document is damaged")?;
    let bookmarks: HashSet<String> =
        body.descendants("bookmarkStart").iter().filter_map(|b| b.attr("name")).map(str::to_string).collect();

    let mut r = Reader {
        doc: Doc { file: file.to_string(), ..Default::default() },
        archive,
        dir,
        rels,
        styles,
        numbering,
        notes,
        note_index: HashMap::new(),
        bookmarks,
        inputs: inputs.to_vec(),
        images: HashMap::new(),
        fields: Vec::new(),
        para: 0,
        at: At::default(),
        heading: None,
        seen_heading: false,
        pending_anchors: Vec::new(),
        list: Vec::new(),
        list_anchors: Vec::new(),
        list_at: At::default(),
        boxes: Vec::new(),
        in_manual_toc: false,
        last_alt: None,
        said: HashSet::new(),
        owner: None,
        ref_links: HashSet::new(),
        texts: Vec::new(),
        lettered: Vec::new(),
    };
    r.blocks(body);
    r.flush_list();
    r.resolve_lettered();
    let owner = r.owner.take();
    let mut doc = r.doc;
    if doc.title.is_none() {
        doc.title = core.title.clone();
        // A title paragraph in an unknown style: the first paragraph says the same as the file's title.
        if let (Some(title), Some(Block::Body { markdown, .. })) = (&core.title, doc.blocks.first())
            && model::collapse_spaces(markdown) == model::collapse_spaces(title)
        {
            doc.blocks.remove(0);
            for n in doc.notes.iter_mut() {
                n.block = n.block.saturating_sub(1);
            }
        }
    }
    if doc.dates.reviewed.is_none()
        && let Some(saved) = core.modified
    {
        doc.dates.reviewed = Some(saved);
        doc.dates.reviewed_is_saved_date = true;
        doc.dates.reviewed_from = Some("the date the file was last saved (docProps/core.xml)".into());
    }
    if let Some(owner) = owner {
        doc.notes.push(model::Note {
            block: 0,
            at: At::default(),
            message: format!("`owner` was set to \"{owner}\", as the document says: check that it is still right"),
        });
        doc.owner = Some(owner);
    }
    Ok(doc)
}

fn not_word(archive: &mut Archive) -> String {
    let types = read_text(archive, "[Content_Types].xml").ok().flatten().unwrap_or_default();
    let what = if types.contains("spreadsheetml") {
        "an Excel workbook"
    } else if types.contains("presentationml") {
        "a PowerPoint presentation"
    } else {
        "a zip file"
    };
    format!("this is {what}, not a Word document (it has no word/document.xml); import .docx files saved by Word or LibreOffice")
}

/// The main document part, from the package relationships.
fn main_part(archive: &mut Archive) -> Result<String, String> {
    let rels = read_rels(archive, "_rels/.rels")?;
    Ok(rels
        .values()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| r.target.trim_start_matches('/').to_string())
        .unwrap_or_else(|| "word/document.xml".to_string()))
}

fn read_text(archive: &mut Archive, name: &str) -> Result<Option<String>, String> {
    let exact = archive.by_name(name).is_ok();
    let name = if exact {
        name.to_string()
    } else {
        // Part names are case-insensitive in the Open Packaging Conventions.
        match archive.file_names().filter_map(Result::ok).find(|n| n.eq_ignore_ascii_case(name)) {
            Some(n) => n.to_string(),
            None => return Ok(None),
        }
    };
    let mut f = archive.by_name(&name).map_err(|e| zip_error(&name, e))?;
    let mut bytes = Vec::new();
    (&mut f).take(MAX_PART + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read {name} in the .docx: {e}"))?;
    if bytes.len() as u64 > MAX_PART {
        return Err(format!("{name} in the .docx is larger than {} MB unpacked; that is not a real document", MAX_PART >> 20));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{name} in the .docx is not UTF-8 text; the document is damaged"))?;
    Ok(Some(text))
}

fn zip_error(name: &str, e: zip::result::ZipError) -> String {
    let s = e.to_string();
    if s.to_lowercase().contains("password") {
        "the document is password-protected (encrypted), so it cannot be read; remove the password in Word and import it again"
            .into()
    } else {
        format!("cannot read {name} from the .docx ({s}); the document is damaged: open it in Word and save it again")
    }
}

fn read_xml(archive: &mut Archive, name: &str) -> Result<Option<Element>, String> {
    match read_text(archive, name)? {
        None => Ok(None),
        Some(text) => xml::parse(&text)
            .map(Some)
            .map_err(|e| format!("{name} in the .docx is not well-formed XML: {e}; the document is damaged")),
    }
}

#[derive(Debug, Clone)]
struct Rel {
    kind: String,
    target: String,
    external: bool,
}

fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn read_rels(archive: &mut Archive, name: &str) -> Result<HashMap<String, Rel>, String> {
    let mut out = HashMap::new();
    if let Some(root) = read_xml(archive, name)? {
        for r in root.elements().filter(|e| e.name == "Relationship") {
            if let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) {
                out.insert(
                    id.to_string(),
                    Rel {
                        kind: r.attr("Type").unwrap_or("").to_string(),
                        target: target.to_string(),
                        external: r.attr("TargetMode") == Some("External"),
                    },
                );
            }
        }
    }
    Ok(out)
}

/// A part path from a relationship target relative to `dir` (`word/`).
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

struct Core {
    title: Option<String>,
    modified: Option<time::Date>,
}

fn read_core(archive: &mut Archive) -> Result<Core, String> {
    let rels = read_rels(archive, "_rels/.rels")?;
    let path = rels
        .values()
        .find(|r| r.kind.ends_with("/core-properties"))
        .map(|r| r.target.trim_start_matches('/').to_string())
        .unwrap_or_else(|| "docProps/core.xml".into());
    let Some(root) = read_xml(archive, &path)? else {
        return Ok(Core { title: None, modified: None });
    };
    let title = root.child("title").map(|e| model::collapse_spaces(&e.text())).filter(|t| !t.is_empty());
    let modified = root.child("modified").and_then(|e| dates::parse_date(e.text().trim()));
    Ok(Core { title, modified })
}

/// What a paragraph style says, with everything it is based on.
#[derive(Debug, Default, Clone)]
struct StyleInfo {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, Option<u8>)>,
    bold: Option<bool>,
    italic: Option<bool>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, StyleInfo>,
}

impl Styles {
    fn read(root: &Element) -> Styles {
        let mut by_id = HashMap::new();
        for s in root.elements().filter(|e| e.name == "style") {
            let Some(id) = s.attr("styleId") else { continue };
            let ppr = s.child("pPr");
            let rpr = s.child("rPr");
            let info = StyleInfo {
                name: s.child_val("name").unwrap_or(id).to_string(),
                based_on: s.child_val("basedOn").map(str::to_string),
                outline: ppr.and_then(|p| p.child_val("outlineLvl")).and_then(|v| v.parse().ok()),
                num: ppr.and_then(|p| p.child("numPr")).and_then(|n| {
                    n.child_val("numId").map(|id| (id.to_string(), n.child_val("ilvl").and_then(|v| v.parse().ok())))
                }),
                bold: rpr.and_then(|r| r.child("b")).map(on_off),
                italic: rpr.and_then(|r| r.child("i")).map(on_off),
            };
            by_id.insert(id.to_string(), info);
        }
        Styles { by_id }
    }

    /// The style and those it is based on, nearest first (at most 20: loops end).
    fn chain<'a>(&'a self, id: &'a str) -> Vec<(&'a str, &'a StyleInfo)> {
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            let Some(info) = self.by_id.get(id) else { break };
            if out.len() >= 20 || out.iter().any(|(i, _)| *i == id) {
                break;
            }
            out.push((id, info));
            next = info.based_on.as_deref();
        }
        out
    }
}

/// What a paragraph is, from its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Subtitle,
    Heading(u8),
    Contents,
    Caption,
    Date,
    Normal,
}

/// Names of the Title style in the languages councils' templates use.
const TITLE_NAMES: [&str; 7] = ["title", "teitl", "titel", "titre", "título", "titolo", "tytuł"];

fn style_role(name: &str, id: &str) -> Option<Role> {
    let n = name.trim().to_lowercase();
    let id = id.to_lowercase();
    if TITLE_NAMES.contains(&n.as_str()) {
        return Some(Role::Title);
    }
    if n == "subtitle" {
        return Some(Role::Subtitle);
    }
    if let Some(rest) = n.strip_prefix("heading ")
        && let Ok(level) = rest.trim().parse::<u8>()
        && (1..=9).contains(&level)
    {
        return Some(Role::Heading(level));
    }
    let contents = n.starts_with("toc ")
        || n.starts_with("contents ")
        || n == "toc heading"
        || n == "contents heading"
        || n == "table of contents"
        || n.starts_with("index ")
        || id.starts_with("toc")
        || id.starts_with("contents");
    if contents {
        return Some(Role::Contents);
    }
    if n == "caption" || n.ends_with(" caption") {
        return Some(Role::Caption);
    }
    if n == "date" {
        return Some(Role::Date);
    }
    None
}

#[derive(Debug, Default)]
struct Numbering {
    /// numId -> (abstractNumId, per-level start overrides)
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    /// abstractNumId -> level -> (format, start)
    abstracts: HashMap<String, HashMap<u8, (String, u32)>>,
}

impl Numbering {
    fn read(root: &Element) -> Numbering {
        let mut n = Numbering::default();
        for a in root.elements().filter(|e| e.name == "abstractNum") {
            let Some(id) = a.attr("abstractNumId") else { continue };
            let mut levels = HashMap::new();
            for l in a.elements().filter(|e| e.name == "lvl") {
                let Some(ilvl) = l.attr("ilvl").and_then(|v| v.parse().ok()) else { continue };
                let fmt = l.child_val("numFmt").unwrap_or("decimal").to_string();
                let start = l.child_val("start").and_then(|v| v.parse().ok()).unwrap_or(1);
                levels.insert(ilvl, (fmt, start));
            }
            n.abstracts.insert(id.to_string(), levels);
        }
        for num in root.elements().filter(|e| e.name == "num") {
            let (Some(id), Some(abs)) = (num.attr("numId"), num.child_val("abstractNumId")) else { continue };
            let mut overrides = HashMap::new();
            for o in num.elements().filter(|e| e.name == "lvlOverride") {
                if let (Some(l), Some(s)) =
                    (o.attr("ilvl").and_then(|v| v.parse().ok()), o.child_val("startOverride").and_then(|v| v.parse().ok()))
                {
                    overrides.insert(l, s);
                }
            }
            n.nums.insert(id.to_string(), (abs.to_string(), overrides));
        }
        n
    }

    /// Whether the level is numbered (`Some(true)`), bulleted (`Some(false)`)
    /// or not a list at all (`None`: numbering "none", or numId 0).
    fn ordered(&self, num_id: &str, ilvl: u8) -> Option<bool> {
        if num_id == "0" {
            return None;
        }
        let Some((abs, _)) = self.nums.get(num_id) else { return Some(false) };
        match self.abstracts.get(abs).and_then(|l| l.get(&ilvl)) {
            Some((fmt, _)) if fmt == "bullet" => Some(false),
            Some((fmt, _)) if fmt == "none" => None,
            Some(_) => Some(true),
            None => Some(false),
        }
    }

    /// For a level numbered with letters or roman numerals, the HTML list
    /// `type` that shows them (`a`, `A`, `i`, `I`).
    fn letters(&self, num_id: &str, ilvl: u8) -> Option<char> {
        let (abs, _) = self.nums.get(num_id)?;
        match self.abstracts.get(abs)?.get(&ilvl)?.0.as_str() {
            "lowerLetter" => Some('a'),
            "upperLetter" => Some('A'),
            "lowerRoman" => Some('i'),
            "upperRoman" => Some('I'),
            _ => None,
        }
    }
}

/// A field (`{ REF ... }`, `{ TOC }`, `{ HYPERLINK ... }`) being read.
#[derive(Debug, Clone, Default)]
struct Field {
    instr: String,
    in_result: bool,
    kind: FieldKind,
}

#[derive(Debug, Clone, Default, PartialEq)]
enum FieldKind {
    #[default]
    Keep,
    /// Contents, page numbers and index entries: not imported.
    Drop,
    Link(String),
}

/// A paragraph, read.
struct Para {
    role: Role,
    /// Ordered, depth, and the letters of a lettered or roman level.
    list: Option<(bool, usize, Option<char>)>,
    inlines: Vec<Inline>,
    anchors: Vec<String>,
    /// The text with tabs kept, to spot typed Contents lines ("Consent\t4").
    raw: String,
    all_bold: bool,
    form_field: bool,
    /// Alt text of the last image in the paragraph.
    image_alt: Option<String>,
}

struct Reader {
    doc: Doc,
    archive: Archive,
    dir: String,
    rels: HashMap<String, Rel>,
    styles: Styles,
    numbering: Numbering,
    notes: HashMap<(char, String), (Element, HashMap<String, Rel>)>,
    note_index: HashMap<(char, String), usize>,
    bookmarks: HashSet<String>,
    inputs: Vec<String>,
    /// Image part path -> placeholder destination (one file per image).
    images: HashMap<String, String>,
    fields: Vec<Field>,
    para: usize,
    at: At,
    heading: Option<String>,
    seen_heading: bool,
    pending_anchors: Vec<String>,
    list: Vec<Item>,
    list_anchors: Vec<String>,
    list_at: At,
    /// Text boxes met in the current paragraph, placed after it.
    boxes: Vec<Element>,
    in_manual_toc: bool,
    last_alt: Option<String>,
    /// One-off notes already given (tracked changes...).
    said: HashSet<&'static str>,
    owner: Option<String>,
    /// Link destinations made from REF cross-reference fields.
    ref_links: HashSet<String>,
    /// Every paragraph's number and text, to find references to lettered list items.
    texts: Vec<(usize, String)>,
    /// The lists numbered with letters or roman numerals, for [`Reader::resolve_lettered`].
    lettered: Vec<Lettered>,
}

/// A list Word numbers with letters or roman numerals, written as Markdown
/// until the whole document is read and it is known whether its letters
/// are referred to.
struct Lettered {
    /// Its block in the document.
    block: usize,
    items: Vec<Item>,
    /// The paragraphs it spans.
    first: usize,
    last: usize,
    /// The labels it shows ("a", "b", "ii").
    labels: Vec<String>,
}

impl Reader {
    fn note(&mut self, message: impl Into<String>) {
        let at = self.at.clone();
        self.doc.note(&at, message);
    }

    fn note_once(&mut self, key: &'static str, message: &str) {
        if self.said.insert(key) {
            self.note(message);
        }
    }

    fn push(&mut self, block: Block) {
        self.flush_list();
        self.doc.blocks.push(block);
    }

    fn flush_list(&mut self) {
        if self.list.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.list);
        let markdown = model::render_list(&items);
        let labels: Vec<String> = model::list_labels(&items).into_iter().flatten().collect();
        if !labels.is_empty() {
            let first = self.list_at.para.unwrap_or(self.para);
            self.lettered.push(Lettered { block: self.doc.blocks.len(), items, first, last: self.para.max(first), labels });
        }
        let anchors = std::mem::take(&mut self.list_anchors);
        self.doc.blocks.push(Block::Body { markdown, anchors, at: self.list_at.clone() });
    }

    /// Lists Word numbers with letters or roman numerals that the text
    /// refers to ("where (b) applies") become HTML lists that show them:
    /// Markdown numbers every list 1., 2., 3., and the reference would then
    /// name an item that no longer shows its letter. A lettered list
    /// nothing refers to stays a Markdown list, which is easier to edit. A
    /// reference belongs to the nearest list (in paragraphs) that has an
    /// item of that letter, so "(b)" under one list does not keep the
    /// letters of every other list in the document.
    fn resolve_lettered(&mut self) {
        let lists = std::mem::take(&mut self.lettered);
        let mut keep = vec![false; lists.len()];
        for (para, text) in &self.texts {
            let distance = |l: &Lettered| {
                if (l.first..=l.last).contains(para) { 0 } else { para.abs_diff(l.first).min(para.abs_diff(l.last)) }
            };
            let mut labels: Vec<&String> = lists.iter().flat_map(|l| &l.labels).collect();
            labels.sort();
            labels.dedup();
            for label in labels {
                if !model::refers_to(text, label) {
                    continue;
                }
                if let Some((k, _)) =
                    lists.iter().enumerate().filter(|(_, l)| l.labels.contains(label)).min_by_key(|(_, l)| distance(l))
                {
                    keep[k] = true;
                }
            }
        }
        for (l, keep) in lists.iter().zip(keep) {
            if keep && let Some(Block::Body { markdown, .. }) = self.doc.blocks.get_mut(l.block) {
                *markdown = model::render_list_html(&l.items);
            }
        }
    }

    /// The blocks of the body, a table cell's parent, a text box.
    fn blocks(&mut self, container: &Element) {
        for child in container.elements() {
            match child.name.as_str() {
                "p" => self.paragraph(child),
                "tbl" => self.table(child),
                "sdt" => {
                    let gallery = child
                        .child("sdtPr")
                        .and_then(|p| p.child("docPartObj"))
                        .and_then(|d| d.child_val("docPartGallery"))
                        .unwrap_or("");
                    if gallery.eq_ignore_ascii_case("Table of Contents") {
                        // The Contents block: dropped, but its paragraphs still count.
                        self.para += child.descendants("p").len();
                    } else if let Some(content) = child.child("sdtContent") {
                        self.blocks(content);
                    }
                }
                "customXml" | "ins" | "moveTo" | "txbxContent" => self.blocks(child),
                "bookmarkStart" => {
                    if let Some(name) = child.attr("name")
                        && name != "_GoBack"
                    {
                        self.pending_anchors.push(name.to_string());
                    }
                }
                "altChunk" => {
                    self.at = At { para: Some(self.para + 1), line: None, heading: self.heading.clone() };
                    self.note("the document has content pasted in from another file (an \"altChunk\") that cannot be imported: copy it into the document as ordinary text and import again");
                }
                _ => {}
            }
        }
    }

    fn role(&self, style: Option<&str>, ppr: Option<&Element>) -> (Role, Option<(String, Option<u8>)>) {
        let mut role = None;
        let mut outline = None;
        let mut num = None;
        if let Some(id) = style {
            for (sid, info) in self.styles.chain(id) {
                if role.is_none() {
                    role = style_role(&info.name, sid);
                }
                if outline.is_none() {
                    outline = info.outline;
                }
                if num.is_none() {
                    num = info.num.clone();
                }
            }
            // A style id with no definition still says something ("Heading2").
            if role.is_none() && !self.styles.by_id.contains_key(id) {
                let spaced: String = id.chars().flat_map(|c| if c.is_ascii_digit() { vec![' ', c] } else { vec![c] }).collect();
                role = style_role(&spaced.replace("  ", " "), id);
            }
        }
        // Outline level set on the paragraph itself; 9 means body text.
        let direct = ppr.and_then(|p| p.child_val("outlineLvl")).and_then(|v| v.parse::<u8>().ok());
        let role = match (role, direct, outline) {
            (Some(r), _, _) => r,
            (None, Some(l), _) if l < 9 => Role::Heading(l + 1),
            (None, Some(_), _) => Role::Normal,
            (None, None, Some(l)) if l < 9 => Role::Heading(l + 1),
            _ => Role::Normal,
        };
        let direct_num = ppr
            .and_then(|p| p.child("numPr"))
            .map(|n| (n.child_val("numId").unwrap_or("0").to_string(), n.child_val("ilvl").and_then(|v| v.parse().ok())));
        let num = match (direct_num, num) {
            (Some((id, lvl)), Some((_, style_lvl))) => Some((id, lvl.or(style_lvl))),
            (Some(d), None) => Some(d),
            (None, s) => s,
        };
        (role, num)
    }

    fn read_para(&mut self, p: &Element) -> Para {
        self.para += 1;
        self.at = At { para: Some(self.para), line: None, heading: self.heading.clone() };
        let ppr = p.child("pPr");
        let style = ppr.and_then(|p| p.child_val("pStyle"));
        let (role, num) = self.role(style, ppr);
        let list = num.and_then(|(id, lvl)| {
            let lvl = lvl.unwrap_or(0);
            self.numbering.ordered(&id, lvl).map(|ordered| (ordered, lvl as usize, self.numbering.letters(&id, lvl)))
        });
        let mut para = Para {
            role,
            list,
            inlines: Vec::new(),
            anchors: Vec::new(),
            raw: String::new(),
            all_bold: true,
            form_field: false,
            image_alt: None,
        };
        let mut inlines = Vec::new();
        self.inlines(p, &mut inlines, &mut para);
        let mut inlines = model::tidy(inlines);
        self.cross_references(&mut inlines);
        self.texts.push((self.para, model::plain(&inlines)));
        para.image_alt = inlines.iter().rev().find_map(|i| match i {
            Inline::Image(_, alt) => Some(alt.clone()),
            _ => None,
        });
        para.inlines = inlines;
        para
    }

    /// A cross-reference shows the heading as Word numbered it ("1.2
    /// Consent"); the pages have no numbers, so the link shows the words.
    fn cross_references(&mut self, inlines: &mut [Inline]) {
        for i in inlines.iter_mut() {
            let Inline::Link(dest, inner) = i else { continue };
            if !self.ref_links.contains(dest.as_str()) {
                continue;
            }
            let text = model::plain(inner);
            let stripped = model::strip_numbering(&text);
            if stripped != text {
                *inner = vec![Inline::Text(stripped.to_string(), Style::default())];
            } else if text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ' ') {
                self.note(format!(
                    "a cross-reference shows the section number \"{text}\", which the pages do not have: reword it to name the heading"
                ));
            }
        }
    }

    fn paragraph(&mut self, p: &Element) {
        let para = self.read_para(p);
        let boxes = std::mem::take(&mut self.boxes);
        self.place(para);
        if !boxes.is_empty() {
            self.note("a text box's text was placed after this paragraph: check it reads in the right place");
            for b in boxes {
                self.blocks(&b);
            }
        }
    }

    /// Decides what a body paragraph becomes.
    fn place(&mut self, para: Para) {
        let plain = model::plain(&para.inlines);
        let has_image = para.inlines.iter().any(|i| matches!(i, Inline::Image(..)));
        if para.role == Role::Contents {
            return;
        }
        // A typed Contents block: a "Contents" line, then lines that end in page numbers.
        let lower = plain.to_lowercase();
        if matches!(lower.as_str(), "contents" | "table of contents" | "contents page" | "content") {
            self.in_manual_toc = true;
            return;
        }
        if self.in_manual_toc {
            if looks_like_contents_line(&para.raw) {
                return;
            }
            self.in_manual_toc = false;
        }
        if plain.is_empty() && !has_image {
            self.pending_anchors.extend(para.anchors);
            return;
        }
        if para.role == Role::Caption
            && let Some(alt) = &self.last_alt
            && model::collapse_spaces(alt) == plain
        {
            // The caption repeats the image's alt text: a screen reader would hear it twice.
            return;
        }
        self.last_alt = para.image_alt.clone();
        if !self.seen_heading && self.front_matter_line(&para, &plain) {
            return;
        }
        let mut anchors = std::mem::take(&mut self.pending_anchors);
        anchors.extend(para.anchors.iter().cloned());
        match para.role {
            Role::Title if self.doc.title.is_none() => {
                self.doc.title = Some(plain);
                // Links to the title go to the section page.
                self.title_anchors(anchors);
            }
            Role::Subtitle if self.doc.description.is_none() && !self.seen_heading => {
                self.doc.description = Some(plain);
                self.title_anchors(anchors);
            }
            Role::Heading(level) => {
                self.seen_heading = true;
                self.heading = Some(plain.clone());
                self.at.heading = Some(plain.clone());
                let text = model::strip_numbering(&plain).to_string();
                // Headings are plain text: their links and emphasis are Word's formatting, not meaning.
                let md = model::render(&[Inline::Text(text.clone(), Style::default())]);
                let at = self.at.clone();
                self.push(Block::Heading { level: level.min(6), text: md, plain: text, anchors, at });
            }
            _ => {
                let markdown = model::render(&para.inlines);
                let list = para.list.or_else(|| manual_bullet(&plain).map(|_| (false, 0, None)));
                if let Some((ordered, depth, letters)) = list {
                    let markdown = if para.list.is_none() { strip_manual_bullet(&markdown) } else { markdown };
                    if self.list.is_empty() {
                        self.list_at = self.at.clone();
                    }
                    self.list_anchors.extend(anchors);
                    self.list.push(Item { ordered, depth, markdown, letters });
                    return;
                }
                let linked = para.inlines.iter().any(|i| matches!(i, Inline::Link(..)));
                if para.all_bold
                    && !linked
                    && !has_image
                    && plain.chars().count() < 80
                    && !plain.ends_with(['.', ':', ';', ',', '?'])
                {
                    self.note(format!(
                        "\"{plain}\" is bold text on its own line, which looks like a heading without a heading style: if it is one, give it a Heading style in Word and import again, or change `**...**` to `## ...`"
                    ));
                }
                if para.form_field {
                    self.note("this paragraph has form fields (boxes to fill in or tick): a form belongs in a TOML form in forms/, which practitioners can fill in online (see \"Forms\" in the README)");
                }
                let at = self.at.clone();
                self.push(Block::Body { markdown, anchors, at });
            }
        }
    }

    fn title_anchors(&mut self, anchors: Vec<String>) {
        self.doc.title_anchors.extend(anchors);
    }

    /// Lines on the cover before the first heading that say when the
    /// guidance was reviewed, when it is next due, or who owns it.
    fn front_matter_line(&mut self, para: &Para, plain: &str) -> bool {
        if para.role == Role::Date
            && let Some(d) = dates::parse_date(plain)
        {
            if self.doc.dates.reviewed.is_none() {
                self.doc.dates.reviewed = Some(d);
                self.doc.dates.reviewed_from = Some(format!("the document's date, \"{plain}\""));
            }
            return true;
        }
        self.date_or_owner(plain)
    }

    fn date_or_owner(&mut self, text: &str) -> bool {
        match dates::date_line(text) {
            Some(DateLine::Reviewed(d)) => {
                if self.doc.dates.reviewed.is_none() {
                    self.doc.dates.reviewed = Some(d);
                    self.doc.dates.reviewed_from = Some(format!("the line \"{}\"", model::collapse_spaces(text)));
                }
                true
            }
            Some(DateLine::NextReview(d)) => {
                self.doc.dates.next_review.get_or_insert(d);
                true
            }
            None => {
                let lower = text.to_lowercase();
                for label in ["document owner", "owner", "responsible officer"] {
                    if let Some(rest) = lower.strip_prefix(label)
                        && rest.starts_with(':')
                    {
                        let value = text[label.len() + 1..].trim();
                        if !value.is_empty() && value.len() < 80 {
                            self.owner.get_or_insert(value.to_string());
                            return true;
                        }
                    }
                }
                false
            }
        }
    }

    /// The inline content of a paragraph (or of a hyperlink, smart tag...).
    fn inlines(&mut self, el: &Element, out: &mut Vec<Inline>, para: &mut Para) {
        for child in el.elements() {
            match child.name.as_str() {
                "r" => self.run(child, out, para),
                "hyperlink" => {
                    let dest = self.hyperlink_dest(child);
                    let mut inner = Vec::new();
                    self.inlines(child, &mut inner, para);
                    match dest {
                        Some(d) => out.push(Inline::Link(d, inner)),
                        None => out.extend(inner),
                    }
                }
                "fldSimple" => {
                    let mut f =
                        Field { instr: child.attr("instr").unwrap_or("").to_string(), in_result: true, kind: FieldKind::Keep };
                    f.kind = self.field_kind(&f.instr, para);
                    self.fields.push(f);
                    self.inlines(child, out, para);
                    self.fields.pop();
                }
                "bookmarkStart" => {
                    if let Some(name) = child.attr("name")
                        && name != "_GoBack"
                    {
                        para.anchors.push(name.to_string());
                    }
                }
                "smartTag" | "customXml" | "ins" | "moveTo" | "dir" | "bdo" | "sdtContent" => self.inlines(child, out, para),
                "sdt" => {
                    if let Some(pr) = child.child("sdtPr")
                        && pr
                            .elements()
                            .any(|e| matches!(e.name.as_str(), "checkbox" | "date" | "dropDownList" | "comboBox" | "text"))
                    {
                        para.form_field = true;
                    }
                    if let Some(c) = child.child("sdtContent") {
                        self.inlines(c, out, para);
                    }
                }
                "del" | "moveFrom" => {
                    self.note_once("tracked", "the document has tracked changes: they were imported as if accepted (deleted text left out); check the text");
                }
                "AlternateContent" => {
                    if let Some(choice) = child.child("Choice") {
                        self.inlines(choice, out, para);
                    }
                }
                "oMath" | "oMathPara" => {
                    let text: String = child.descendants("t").iter().map(|t| t.text()).collect();
                    out.push(Inline::Text(text, Style::default()));
                    self.note("an equation was imported as plain text: check it");
                }
                _ => {}
            }
        }
    }

    fn visible(&self) -> bool {
        self.fields.iter().all(|f| f.in_result && f.kind != FieldKind::Drop)
    }

    fn field_link(&self) -> Option<String> {
        self.fields.iter().rev().find_map(|f| match &f.kind {
            FieldKind::Link(d) => Some(d.clone()),
            _ => None,
        })
    }

    fn field_kind(&mut self, instr: &str, para: &mut Para) -> FieldKind {
        let words = field_words(instr);
        let Some(first) = words.first() else { return FieldKind::Keep };
        match first.to_uppercase().as_str() {
            "TOC" | "PAGEREF" | "PAGE" | "NUMPAGES" | "SECTIONPAGES" | "NOTEREF" | "XE" | "TC" | "INDEX" | "TA" | "TOA" => {
                if first.eq_ignore_ascii_case("PAGEREF")
                    && !self.fields.iter().any(|f| field_words(&f.instr).first().is_some_and(|w| w.eq_ignore_ascii_case("TOC")))
                {
                    self.note("a page number reference (\"see page ...\") was left out, since web pages have no page numbers: reword the sentence around it");
                }
                FieldKind::Drop
            }
            "HYPERLINK" => {
                let mut anchor = None;
                let mut url = None;
                let mut k = 1;
                while k < words.len() {
                    if words[k] == "\\l" {
                        anchor = words.get(k + 1).cloned();
                        k += 2;
                    } else if words[k].starts_with('\\') {
                        k += 2;
                    } else {
                        url.get_or_insert(words[k].clone());
                        k += 1;
                    }
                }
                let dest = match (url, anchor) {
                    (Some(u), a) => self.external_dest(&u, a.as_deref()),
                    (None, Some(a)) => self.anchor_dest(&a),
                    (None, None) => None,
                };
                dest.map(FieldKind::Link).unwrap_or(FieldKind::Keep)
            }
            "REF" => match words.get(1) {
                Some(name) if self.bookmarks.contains(name.as_str()) => {
                    let dest = self.doc.link(LinkRef::Anchor(name.clone()));
                    self.ref_links.insert(dest.clone());
                    FieldKind::Link(dest)
                }
                _ => FieldKind::Keep,
            },
            "FORMTEXT" | "FORMCHECKBOX" | "FORMDROPDOWN" => {
                para.form_field = true;
                FieldKind::Keep
            }
            _ => FieldKind::Keep,
        }
    }

    fn run(&mut self, r: &Element, out: &mut Vec<Inline>, para: &mut Para) {
        let rpr = r.child("rPr");
        let hidden = rpr.is_some_and(|p| p.child("vanish").is_some_and(on_off) || p.child("webHidden").is_some_and(on_off));
        let style = self.run_style(rpr);
        let mut emitted: Vec<Inline> = Vec::new();
        for c in r.elements() {
            match c.name.as_str() {
                "fldChar" => match c.attr("fldCharType") {
                    Some("begin") => self.fields.push(Field::default()),
                    Some("separate") => {
                        if let Some(mut f) = self.fields.pop() {
                            f.kind = self.field_kind(&f.instr.clone(), para);
                            f.in_result = true;
                            self.fields.push(f);
                        }
                    }
                    Some("end") => {
                        if let Some(f) = self.fields.pop()
                            && !f.in_result
                        {
                            // A field with no result shown (a form check box): still worth knowing.
                            self.field_kind(&f.instr, para);
                        }
                    }
                    _ => {}
                },
                "instrText" => {
                    if let Some(f) = self.fields.last_mut()
                        && !f.in_result
                    {
                        f.instr.push_str(&c.text());
                    }
                }
                _ if hidden || !self.visible() => {}
                "t" => {
                    let t = c.text();
                    para.raw.push_str(&t);
                    if !t.trim().is_empty() && !style.bold {
                        para.all_bold = false;
                    }
                    emitted.push(Inline::Text(t, style));
                }
                "tab" | "ptab" => {
                    para.raw.push('\t');
                    emitted.push(Inline::Text(" ".into(), style));
                }
                "br" if !matches!(c.attr("type"), Some("page" | "column")) => emitted.push(Inline::Break),
                "cr" => emitted.push(Inline::Break),
                "noBreakHyphen" => emitted.push(Inline::Text("-".into(), style)),
                "sym" => {
                    if let Some(ch) = c.attr("char").and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32)
                        && !('\u{e000}'..='\u{f8ff}').contains(&ch)
                    {
                        emitted.push(Inline::Text(ch.to_string(), style));
                    }
                }
                "drawing" => self.drawing(c, &mut emitted),
                "pict" => self.pict(c, &mut emitted),
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice") {
                        for d in choice.elements() {
                            match d.name.as_str() {
                                "drawing" => self.drawing(d, &mut emitted),
                                "pict" => self.pict(d, &mut emitted),
                                _ => {}
                            }
                        }
                    }
                }
                "footnoteReference" | "endnoteReference" => {
                    if let Some(id) = c.attr("id") {
                        let key = (if c.name.starts_with("foot") { 'f' } else { 'e' }, id.to_string());
                        if let Some(n) = self.footnote(key) {
                            emitted.push(Inline::Note(n));
                        }
                    }
                }
                "object" => {
                    self.note("an embedded object (a spreadsheet, chart or file inside the document) cannot be imported: add its content as text, a table or an image");
                }
                _ => {}
            }
        }
        if emitted.is_empty() {
            return;
        }
        match self.field_link() {
            Some(dest) => out.push(Inline::Link(dest, emitted)),
            None => out.extend(emitted),
        }
    }

    fn run_style(&self, rpr: Option<&Element>) -> Style {
        let mut style = Style::default();
        let mut bold = None;
        let mut italic = None;
        if let Some(rpr) = rpr {
            bold = rpr.child("b").map(on_off);
            italic = rpr.child("i").map(on_off);
            style.strike = rpr.child("strike").is_some_and(on_off) || rpr.child("dstrike").is_some_and(on_off);
            match rpr.child_val("vertAlign") {
                Some("superscript") => style.sup = true,
                Some("subscript") => style.sub = true,
                _ => {}
            }
            if let Some(id) = rpr.child_val("rStyle") {
                for (_, info) in self.styles.chain(id) {
                    bold = bold.or(info.bold);
                    italic = italic.or(info.italic);
                }
                let lower = id.to_lowercase();
                if lower == "strong" {
                    bold = bold.or(Some(true));
                } else if lower == "emphasis" {
                    italic = italic.or(Some(true));
                }
                if lower.contains("footnote") || lower.contains("endnote") {
                    style.sup = false;
                }
            }
        }
        style.bold = bold.unwrap_or(false);
        style.italic = italic.unwrap_or(false);
        style
    }

    fn hyperlink_dest(&mut self, h: &Element) -> Option<String> {
        if let Some(id) = h.attr("id") {
            let rel = self.rels.get(id).cloned();
            return match rel {
                Some(rel) => self.external_dest(&rel.target, h.attr("anchor")),
                None => None,
            };
        }
        h.attr("anchor").and_then(|a| self.anchor_dest(a))
    }

    fn anchor_dest(&mut self, name: &str) -> Option<String> {
        if self.bookmarks.contains(name) || name == "_top" {
            return Some(self.doc.link(LinkRef::Anchor(name.to_string())));
        }
        self.note(format!(
            "a link points to a place in the document (`{name}`) that no longer exists, so it was left out (its text is kept): link it again to a heading"
        ));
        None
    }

    fn external_dest(&mut self, url: &str, anchor: Option<&str>) -> Option<String> {
        let lower = url.to_lowercase();
        if ["http://", "https://", "mailto:", "tel:"].iter().any(|p| lower.starts_with(p)) {
            return Some(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.to_string(),
            });
        }
        // A file on a shared drive or beside the document.
        let name = url.rsplit(['/', '\\']).next().unwrap_or(url);
        let name = crate::paths::percent_decode(name).unwrap_or_else(|| name.to_string());
        if let Some(input) = self.inputs.iter().find(|i| i.eq_ignore_ascii_case(&name)) {
            let input = input.clone();
            return Some(self.doc.link(LinkRef::File(input)));
        }
        let shown = crate::paths::percent_decode(url).unwrap_or_else(|| url.to_string());
        self.note(format!(
            "a link points to `{shown}`, a file that did not come across, so it was left out (its text is kept): import that file too, or link to where it is published"
        ));
        None
    }

    fn footnote(&mut self, key: (char, String)) -> Option<usize> {
        if let Some(n) = self.note_index.get(&key) {
            return Some(*n);
        }
        let (element, rels) = self.notes.get(&key)?.clone();
        if matches!(element.attr("type"), Some("separator" | "continuationSeparator" | "continuationNotice")) {
            return None;
        }
        // Read it as its own part: its links are in its own relationships.
        let saved_rels = std::mem::replace(&mut self.rels, rels);
        let saved_fields = std::mem::take(&mut self.fields);
        let saved_at = self.at.clone();
        let saved_para = self.para;
        let mut paras = Vec::new();
        for p in element.elements().filter(|e| e.name == "p") {
            let para = self.read_para(p);
            self.at = saved_at.clone();
            let md = model::render(&para.inlines);
            if !md.is_empty() {
                paras.push(md);
            }
        }
        self.para = saved_para;
        self.rels = saved_rels;
        self.fields = saved_fields;
        self.at = saved_at;
        self.doc.footnotes.push(paras.join("\n\n    "));
        let n = self.doc.footnotes.len() - 1;
        self.note_index.insert(key, n);
        Some(n)
    }

    fn image_alt(&mut self, descr: &str, title: &str, decorative: bool) -> String {
        if decorative {
            return String::new();
        }
        let mut alt = model::collapse_spaces(if descr.trim().is_empty() { title } else { descr });
        let generated = alt.to_lowercase().contains("description automatically generated");
        if generated {
            self.note(format!(
                "an image's alt text was written by Word's automatic description (\"{alt}\"), so it was left out: write a short description of what the image shows between the `![` and `]`, or leave it empty if the image is only decoration"
            ));
            return String::new();
        }
        if looks_like_file_name(&alt) {
            alt.clear();
        }
        if alt.is_empty() {
            self.note("an image has no alt text: write a short description of what it shows between the `![` and `]`, or leave it empty if the image is only decoration");
        }
        alt
    }

    fn drawing(&mut self, d: &Element, out: &mut Vec<Inline>) {
        for holder in d.elements() {
            let doc_pr = holder.child("docPr");
            let descr = doc_pr.and_then(|p| p.attr("descr")).unwrap_or("");
            let title = doc_pr.and_then(|p| p.attr("title")).unwrap_or("");
            let decorative = doc_pr.is_some_and(|p| p.descendants("decorative").iter().any(|e| on_off(e)));
            if let Some(blip) = holder.descendants("blip").first() {
                if let Some(embed) = blip.attr("embed") {
                    let embed = embed.to_string();
                    out.extend(self.image(&embed, descr, title, decorative));
                } else if blip.attr("link").is_some() {
                    self.note("an image is linked from outside the document rather than saved in it, so it could not be imported: insert the picture itself in Word (Insert > Pictures) and import again");
                }
                continue;
            }
            let uri = holder.descendants("graphicData").first().and_then(|g| g.attr("uri")).unwrap_or("").to_string();
            let boxes: Vec<Element> = holder.descendants("txbxContent").into_iter().cloned().collect();
            if !boxes.is_empty() {
                self.boxes.extend(boxes);
            } else if uri.contains("chart") {
                self.note("a chart could not be imported: add it as an image (with alt text) or as a table");
            } else if uri.contains("diagram") {
                self.note("a SmartArt diagram could not be imported: add it as an image with alt text, or as a list");
            } else if !uri.is_empty() {
                self.note("a drawing or shape could not be imported: add it as an image with alt text if it carries information");
            }
        }
    }

    /// Older documents keep pictures as VML.
    fn pict(&mut self, p: &Element, out: &mut Vec<Inline>) {
        let shapes = p.descendants("shape");
        for data in p.descendants("imagedata") {
            let Some(id) = data.attr("id") else { continue };
            let id = id.to_string();
            let alt = shapes.first().and_then(|s| s.attr("alt")).unwrap_or("").to_string();
            let title = data.attr("title").unwrap_or("").to_string();
            out.extend(self.image(&id, &alt, &title, false));
        }
        let boxes: Vec<Element> = p.descendants("txbxContent").into_iter().cloned().collect();
        self.boxes.extend(boxes);
    }

    /// The image behind relationship `id`, with its alt text: an image
    /// placeholder, a note in the text for a Windows metafile (EMF/WMF),
    /// or `None` (and a report item) when it cannot be used.
    fn image(&mut self, id: &str, descr: &str, title: &str, decorative: bool) -> Option<Inline> {
        let rel = self.rels.get(id)?.clone();
        if rel.external {
            self.note("an image is linked from outside the document rather than saved in it, so it could not be imported: insert the picture itself and import again");
            return None;
        }
        let path = resolve(&self.dir, &rel.target);
        if let Some(dest) = self.images.get(&path) {
            let dest = dest.clone();
            return Some(Inline::Image(dest, self.image_alt(descr, title, decorative)));
        }
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
        let ext = if ext == "jpeg" { "jpg".to_string() } else { ext };
        let read = match self.archive.by_name(&path) {
            Ok(mut f) => {
                let mut bytes = Vec::new();
                match (&mut f).take(MAX_PART).read_to_end(&mut bytes) {
                    Ok(_) => Ok(bytes),
                    Err(_) => Err(format!("an image (`{path}`) in the .docx is damaged, so it was left out")),
                }
            }
            Err(_) => Err(format!("an image (`{path}`) is missing from the .docx, so it was left out")),
        };
        let bytes = match read {
            Ok(b) => b,
            Err(e) => {
                self.note(e);
                return None;
            }
        };
        if let Some(kind) = metafile(&ext, &bytes) {
            return Some(self.metafile_placeholder(kind, descr, title, decorative));
        }
        if !matches!(ext.as_str(), "png" | "jpg" | "gif" | "svg" | "webp" | "bmp") {
            self.note(format!(
                "an image is in {} format, which web browsers cannot show, so it was left out: save it as a PNG and add it with `![description](file.png)`",
                ext.to_uppercase()
            ));
            return None;
        }
        let alt = self.image_alt(descr, title, decorative);
        let dest = self.doc.image(Image { bytes, ext });
        self.images.insert(path, dest.clone());
        Some(Inline::Image(dest, alt))
    }

    /// A Windows metafile is a diagram pasted from Visio, PowerPoint or an
    /// older Word. No browser shows one, and converting one means
    /// rendering every drawing record; no maintained pure-Rust crate does
    /// that, so rather than write a broken image the page gets its
    /// description in the text, marked, and the report asks for a PNG or
    /// SVG export of it.
    fn metafile_placeholder(&mut self, kind: &str, descr: &str, title: &str, decorative: bool) -> Inline {
        let mut alt = model::collapse_spaces(if descr.trim().is_empty() { title } else { descr });
        if alt.to_lowercase().contains("description automatically generated") || looks_like_file_name(&alt) {
            alt.clear();
        }
        let text = if alt.is_empty() { "[Diagram to be added]".to_string() } else { format!("[Diagram: {alt}]") };
        let describe = if alt.is_empty() && !decorative {
            " and write a short description of what it shows as its alt text"
        } else {
            ", keeping the description as its alt text"
        };
        self.note(format!(
            "an image is a Windows metafile ({kind}), the format Word keeps pasted diagrams in, which web browsers cannot show, so it was not written: in Word right-click it, choose Save as Picture, save it as PNG or SVG beside the page, and replace `*{}*` with `![...](file.png)`{describe}",
            model::render(&[Inline::Text(text.clone(), Style::default())])
        ));
        Inline::Text(text, Style { italic: true, ..Default::default() })
    }

    /// The rows and cells of a table. A table inside a cell is read the
    /// same way and kept in the cell as an HTML table (Markdown has no
    /// tables in tables), so none of its text or order is lost.
    fn read_table(&mut self, tbl: &Element, anchors: &mut Vec<String>) -> ReadTable {
        let mut table = Table::default();
        let mut bold_first_row = true;
        let mut shaded: Vec<bool> = Vec::new();
        let mut form_fields = false;
        let mut nested = false;
        // For each grid column: the row and cell index of the cell that spans down through it.
        let mut spans: HashMap<usize, (usize, usize)> = HashMap::new();
        let rows: Vec<&Element> = tbl
            .elements()
            .flat_map(|e| match e.name.as_str() {
                "tr" => vec![e],
                "sdt" | "customXml" => e.descendants("tr"),
                _ => vec![],
            })
            .collect();
        let mut header_rows = 0;
        let mut header_run = true;
        for (ri, tr) in rows.iter().enumerate() {
            let trpr = tr.child("trPr");
            let is_header = trpr.and_then(|p| p.child("tblHeader")).is_some_and(on_off);
            if is_header && header_run {
                header_rows += 1;
            } else {
                header_run = false;
            }
            let mut col = trpr.and_then(|p| p.child_val("gridBefore")).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            let mut row: Vec<Cell> = Vec::new();
            let mut row_shaded = false;
            let cells: Vec<&Element> = tr
                .elements()
                .flat_map(|e| match e.name.as_str() {
                    "tc" => vec![e],
                    "sdt" | "customXml" => e.descendants("tc"),
                    _ => vec![],
                })
                .collect();
            for tc in cells {
                let tcpr = tc.child("tcPr");
                let colspan =
                    tcpr.and_then(|p| p.child_val("gridSpan")).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).clamp(1, 64);
                let vmerge = tcpr.and_then(|p| p.child("vMerge")).map(|v| v.attr("val").unwrap_or("continue").to_string());
                if tcpr
                    .and_then(|p| p.child("shd"))
                    .and_then(|s| s.attr("fill"))
                    .is_some_and(|f| !matches!(f.to_lowercase().as_str(), "auto" | "ffffff" | ""))
                {
                    row_shaded = true;
                }
                let mut cell = Cell { colspan, rowspan: 1, ..Default::default() };
                for child in tc.elements() {
                    match child.name.as_str() {
                        "p" => {
                            let para = self.read_para(child);
                            anchors.extend(para.anchors.iter().cloned());
                            form_fields |= para.form_field;
                            let plain = model::plain(&para.inlines);
                            if ri == 0 && !plain.is_empty() && !para.all_bold {
                                bold_first_row = false;
                            }
                            if plain.is_empty() && !para.inlines.iter().any(|i| matches!(i, Inline::Image(..))) {
                                continue;
                            }
                            let md = model::render(&para.inlines);
                            match para.list.or_else(|| manual_bullet(&plain).map(|_| (false, 0, None))) {
                                Some((ordered, depth, letters)) => {
                                    let md = if para.list.is_none() { strip_manual_bullet(&md) } else { md };
                                    cell.list.push(Item { ordered, depth, markdown: md, letters });
                                }
                                None => {
                                    if !cell.list.is_empty() {
                                        // Text after a list in a cell: keep the order.
                                        let list = model::render_list(&std::mem::take(&mut cell.list));
                                        cell.paras.push(list);
                                    }
                                    cell.paras.push(md);
                                }
                            }
                        }
                        "tbl" => {
                            nested = true;
                            if !cell.list.is_empty() {
                                let list = model::render_list(&std::mem::take(&mut cell.list));
                                cell.paras.push(list);
                            }
                            let mut inner = self.read_table(child, anchors);
                            form_fields |= inner.form_fields;
                            if inner.header_rows == 0 && inner.table.rows.len() > 1 && inner.bold_first_row {
                                inner.header_rows = 1;
                            }
                            inner.table.header_rows = inner.header_rows.min(inner.table.rows.len());
                            if !inner.table.rows.iter().flatten().all(Cell::is_empty) {
                                cell.paras.push(model::render_table_html(&inner.table));
                                cell.block = true;
                            }
                        }
                        "sdt" | "customXml" => {
                            for p in child.descendants("p") {
                                let para = self.read_para(p);
                                let md = model::render(&para.inlines);
                                if !md.is_empty() {
                                    cell.paras.push(md);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                match vmerge.as_deref() {
                    Some("restart") => {
                        spans.insert(col, (ri, row.len()));
                    }
                    Some(_) => {
                        if let Some(&(r0, c0)) = spans.get(&col)
                            && let Some(top) = table.rows.get_mut(r0).and_then(|r| r.get_mut(c0))
                        {
                            top.rowspan += 1;
                            cell.covered = true;
                        }
                    }
                    None => {
                        spans.remove(&col);
                    }
                }
                col += colspan;
                row.push(cell);
            }
            shaded.push(row_shaded);
            table.rows.push(row);
        }
        ReadTable { table, bold_first_row, shaded, form_fields, nested, header_rows }
    }

    fn table(&mut self, tbl: &Element) {
        self.flush_list();
        let first_para = self.para + 1;
        let table_at = At { para: Some(first_para), line: None, heading: self.heading.clone() };
        let mut anchors = std::mem::take(&mut self.pending_anchors);
        let read = self.read_table(tbl, &mut anchors);
        let ReadTable { mut table, bold_first_row, shaded, form_fields, nested, mut header_rows } = read;
        let at = table_at;
        self.at = at.clone();
        if table.rows.iter().flatten().all(Cell::is_empty) {
            return;
        }
        // The cover's document-control table: "Review date | 3 March 2026".
        if !self.seen_heading {
            let mut used = false;
            for row in &table.rows {
                if let [label, value, ..] = row.as_slice() {
                    let line = format!("{}: {}", label.paras.join(" "), value.paras.join(" "));
                    used |= self.date_or_owner(&line);
                }
            }
            let _ = used;
        }
        // One cell: a box around text, which on a web page is a callout.
        if table.rows.len() == 1 && table.rows[0].len() == 1 {
            let cell = &table.rows[0][0];
            let mut body: Vec<String> = cell.paras.clone();
            if !cell.list.is_empty() {
                body.push(model::render_list(&cell.list));
            }
            let quoted: Vec<String> =
                body.join("\n\n").lines().map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect();
            let markdown = format!("> [!NOTE]\n{}", quoted.join("\n"));
            self.doc.blocks.push(Block::Body { markdown, anchors, at });
            return;
        }
        self.doc.tables += 1;
        let n = self.doc.tables;
        if header_rows == 0 && table.rows.len() > 1 {
            let shaded_first = shaded.first().copied().unwrap_or(false) && !shaded.get(1).copied().unwrap_or(false);
            if bold_first_row || shaded_first {
                header_rows = 1;
            }
        }
        table.header_rows = header_rows.min(table.rows.len());
        let cells: Vec<&Cell> = table.rows.iter().flatten().filter(|c| !c.covered).collect();
        let empty = cells.iter().filter(|c| c.is_empty()).count();
        if form_fields || (empty >= 2 && empty * 3 >= cells.len()) {
            self.note(format!(
                "table {n} looks like a form to fill in ({empty} empty boxes): make it a TOML form in forms/ so practitioners can fill it in online and print it (see \"Forms\" in the README)"
            ));
        }
        let (markdown, kind) = model::render_table(&table);
        if nested {
            self.note(format!(
                "table {n} has a table inside a cell, which was kept as an HTML table inside that cell (so the outer table is HTML too): check that it reads in order, or make the inner table a list"
            ));
        } else if let TableKind::Html(why) = kind {
            let fix = if table.header_rows == 0 {
                " If its first row holds column headings, mark it in Word (Table Properties > Row > Repeat as header row) and import again."
            } else {
                ""
            };
            self.note(format!("table {n} was kept as an HTML table because {why}: check that it reads in order.{fix}"));
        }
        self.doc.blocks.push(Block::Body { markdown, anchors, at });
    }
}

/// A table as read, with what decides its heading row and the report.
struct ReadTable {
    table: Table,
    bold_first_row: bool,
    /// For each row: whether a cell of it is shaded.
    shaded: Vec<bool>,
    form_fields: bool,
    /// A table inside a cell (of this table or one inside it).
    nested: bool,
    /// Rows marked "Repeat as header row" at the top.
    header_rows: usize,
}

/// "EMF" or "WMF" when the image is a Windows metafile, by its name or
/// its first bytes (a picture can be saved as `image1.png` and still be one).
fn metafile(ext: &str, bytes: &[u8]) -> Option<&'static str> {
    let emf = bytes.len() >= 44 && bytes[..4] == [1, 0, 0, 0] && &bytes[40..44] == b" EMF";
    // A placeable WMF starts with its key; a plain one with its header (type 1 or 2, 9 words).
    let wmf =
        bytes.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A]) || bytes.starts_with(&[1, 0, 9, 0]) || bytes.starts_with(&[2, 0, 9, 0]);
    if emf || matches!(ext, "emf" | "emz") {
        Some("EMF")
    } else if wmf || matches!(ext, "wmf" | "wmz") {
        Some("WMF")
    } else {
        None
    }
}

/// Splits a field's instructions into words, keeping "quoted strings" whole.
fn field_words(instr: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in instr.chars() {
        match c {
            '"' => {
                if quoted {
                    words.push(std::mem::take(&mut cur));
                }
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// "Consent\t4", "Consent ........ 4": a line of a typed Contents list.
fn looks_like_contents_line(raw: &str) -> bool {
    let t = raw.trim_end();
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 4 || digits == t.len() {
        return false;
    }
    let before = &t[..t.len() - digits];
    before.ends_with('\t') || before.trim_end().ends_with("...") || before.ends_with("  ")
}

/// A bullet typed by hand at the start of a paragraph.
fn manual_bullet(plain: &str) -> Option<char> {
    let mut chars = plain.chars();
    let c = chars.next()?;
    let next = chars.next();
    (matches!(c, '•' | '●' | '▪' | '◦' | '■' | '·' | '–') && next.is_some_and(char::is_whitespace)).then_some(c)
}

fn strip_manual_bullet(md: &str) -> String {
    let mut chars = md.chars();
    chars.next();
    chars.as_str().trim_start().to_string()
}

/// "image1.png", "Picture 3", "Image2": names, not descriptions.
fn looks_like_file_name(alt: &str) -> bool {
    let lower = alt.trim().to_lowercase();
    if [".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".svg", ".bmp", ".tif", ".tiff"].iter().any(|e| lower.ends_with(e)) {
        return !lower.contains(' ');
    }
    let word: String = lower.chars().take_while(|c| c.is_alphabetic()).collect();
    let rest = lower[word.len()..].trim();
    matches!(word.as_str(), "image" | "picture" | "img" | "graphic" | "figure" | "photo" | "grafik" | "bild" | "llun")
        && rest.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_lines_and_file_names_are_recognised() {
        assert!(looks_like_contents_line("1.2 Consent\t4"));
        assert!(looks_like_contents_line("Consent ........ 12"));
        assert!(!looks_like_contents_line("There are 4"));
        assert!(looks_like_file_name("image1.png"));
        assert!(looks_like_file_name("Picture 3"));
        assert!(!looks_like_file_name("A family at a meeting"));
    }

    #[test]
    fn field_instructions_split_into_words() {
        assert_eq!(field_words(r#" HYPERLINK \l "_Toc123" \h "#), vec!["HYPERLINK", "\\l", "_Toc123", "\\h"]);
        assert_eq!(field_words(" REF consent \\h "), vec!["REF", "consent", "\\h"]);
    }

    #[test]
    fn not_a_docx_is_a_clear_error() {
        let e = read(b"hello".to_vec(), "x.docx", &[]).unwrap_err();
        assert!(e.contains("not a Word document"), "{e}");
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(read(ole, "x.docx", &[]).unwrap_err().contains("password"));
        let e = read(b"PK\x03\x04broken".to_vec(), "x.docx", &[]).unwrap_err();
        assert!(e.contains("damaged"), "{e}");
    }
}
