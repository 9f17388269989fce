//! The pipeline: load everything into a Site, render it in memory, then
//! write it all at once. `check` stops before writing; `serve` keeps the
//! rendered files in memory.

use crate::config::{self, Config};
use crate::content::{self, Asset, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location, decode_utf8};
use crate::glossary::{self, Glossary};
use crate::render::{self, OutputFile, Theme};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use time::Date;

/// Everything the handbook folder holds, loaded and checked file by file.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    pub glossary: Option<Glossary>,
    pub forms: crate::forms::Forms,
    pub trees: crate::decisions::Trees,
    pub theme: Theme,
    /// Site URL and source path of the logo, when handbook.toml names one.
    pub logo: Option<(String, PathBuf)>,
    /// The date review notices are measured against.
    pub today: Date,
}

/// The files of the default handbook, embedded at compile time.
pub mod defaults {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Today's date, or HANDBOOK_TODAY (YYYY-MM-DD) so tests can fix the clock.
pub fn today() -> Date {
    if let Ok(s) = std::env::var("HANDBOOK_TODAY")
        && let Ok(d) = Date::parse(&s, &time::macros::format_description!("[year]-[month]-[day]"))
    {
        return d;
    }
    time::OffsetDateTime::now_utc().date()
}

/// Reads and checks every source file. Returns the Site (whatever could be
/// read of it) with all diagnostics found on the way.
pub fn load(root: &Path) -> (Option<Site>, Diagnostics) {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let config = match fs::read(root.join(config::FILE)) {
        Err(e) => {
            errors.push(Location::new(config::FILE, 1, 1).error(format!(
                "cannot read handbook.toml ({e}); every handbook folder needs one (run `handbook new DIR` to start one)"
            )));
            None
        }
        Ok(bytes) => match decode_utf8(config::FILE, bytes) {
            Err(d) => {
                errors.push(d);
                None
            }
            Ok(text) => {
                let (config, mut e) = config::parse_lenient(&text);
                errors.append(&mut e);
                config
            }
        },
    };
    // Everything else is still checked against a stand-in, so one run reports all.
    let config = config.unwrap_or_else(Config::placeholder);

    let files = content::read_dir(root, &mut errors);
    let mut content = content::load(files, &mut errors);
    add_missing_section_pages(&mut content.pages, Some(&config));

    let glossary = match fs::read(root.join(glossary::FILE)) {
        Err(_) => None,
        Ok(bytes) => match decode_utf8(glossary::FILE, bytes).map_err(|d| vec![d]).and_then(glossary::parse) {
            Ok(g) => Some(g),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
    };

    let forms = crate::forms::load(root, &mut errors);
    let trees = crate::decisions::load(root, &mut errors);
    let theme = load_theme(root, &mut errors);

    let mut logo = None;
    if let Some(path) = &config.logo {
        let source = root.join(path.get_ref());
        if source.is_file() {
            let ext = Path::new(path.get_ref()).extension().and_then(|e| e.to_str()).unwrap_or("png");
            logo = Some((format!("assets/logo.{}", ext.to_lowercase()), source));
        } else {
            let text = fs::read_to_string(root.join(config::FILE)).unwrap_or_default();
            errors.push(LineIndex::new(&text).location(config::FILE, path.span().start).error(format!(
                "logo `{}` not found; give a path relative to the handbook folder, such as `content/images/logo.svg`",
                path.get_ref()
            )));
        }
    }

    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(errors);
    // The Site is returned even when there are errors: rendering it finds
    // the problems that span files (links, headings, clashing outputs).
    let site = Some(Site {
        root: root.to_path_buf(),
        config,
        pages: content.pages,
        assets: content.assets,
        glossary,
        forms,
        trees,
        theme,
        logo,
        today: today(),
    });
    (site, diagnostics)
}

/// A folder without an index.md still needs a section page (and the top
/// needs a home page): make one with a title from the folder name.
fn add_missing_section_pages(pages: &mut Vec<Page>, config: Option<&Config>) {
    let have: HashSet<String> = pages.iter().filter(|p| p.is_index).map(|p| p.section.clone()).collect();
    let mut needed: HashSet<String> = HashSet::new();
    for p in pages.iter() {
        let mut dir =
            if p.is_index { p.section.rsplit_once('/').map(|x| x.0.to_string()).unwrap_or_default() } else { p.section.clone() };
        loop {
            if !have.contains(&dir) {
                needed.insert(dir.clone());
            }
            if dir.is_empty() {
                break;
            }
            dir = dir.rsplit_once('/').map(|x| x.0.to_string()).unwrap_or_default();
        }
    }
    if !have.contains("") {
        needed.insert(String::new());
    }
    let mut needed: Vec<String> = needed.into_iter().collect();
    needed.sort();
    for dir in needed {
        let (title, url, source) = if dir.is_empty() {
            (
                config.map(|c| c.title.clone()).unwrap_or_else(|| "Home".into()),
                "index.html".to_string(),
                "content/index.md".to_string(),
            )
        } else {
            let name = dir.rsplit('/').next().unwrap_or(&dir);
            let mut title = name.replace(['-', '_'], " ");
            if let Some(first) = title.get(..1) {
                title = first.to_uppercase() + &title[1..];
            }
            (title, format!("{dir}/index.html"), format!("content/{dir}/index.md"))
        };
        pages.push(Page {
            source,
            url,
            section: dir,
            is_index: true,
            title,
            description: None,
            weight: 0,
            reviewed: None,
            review_every: None,
            owner: None,
            changes: None,
            body: String::new(),
            body_line: 1,
            reviewed_at: Location::default(),
        });
    }
}

/// The embedded default theme with the handbook's own templates/ laid over it.
fn load_theme(root: &Path, errors: &mut Vec<Diagnostic>) -> Theme {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = defaults::DEFAULT_FILES
        .iter()
        .filter_map(|(path, bytes)| path.strip_prefix("templates/").map(|p| (p.to_string(), bytes.to_vec())))
        .collect();
    let dir = root.join("templates");
    if dir.is_dir() {
        let walker =
            walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_entry(|e| !content::is_hidden(e.file_name()));
        for entry in walker.flatten() {
            if entry.file_type().is_file() {
                let rel = content::rel_path(&dir, entry.path());
                match fs::read(entry.path()) {
                    Ok(bytes) => {
                        files.insert(rel, bytes);
                    }
                    Err(e) => errors.push(Location::new(&format!("templates/{rel}"), 1, 1).error(format!("cannot read: {e}"))),
                }
            }
        }
    }
    let mut theme = Theme::default();
    for (name, bytes) in files {
        if name.starts_with("assets/") {
            theme.assets.push((name, bytes));
        } else if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".css") {
            // `.css` templates: stylesheets made per document (print.css).
            match decode_utf8(&format!("templates/{name}"), bytes) {
                Ok(text) => theme.templates.push((name, text)),
                Err(d) => errors.push(d),
            }
        }
    }
    theme
}

/// Loads and renders without writing: what `check` reports.
pub fn check(root: &Path) -> Diagnostics {
    let (site, mut diagnostics) = load(root);
    if let Some(site) = site {
        let (_, found) = render::render(&site);
        diagnostics.extend(found);
    }
    diagnostics.sorted()
}

/// Load and render; the files only if there were no errors.
pub fn render_all(root: &Path) -> (Option<Vec<OutputFile>>, Diagnostics) {
    let (site, mut diagnostics) = load(root);
    let Some(site) = site else {
        return (None, diagnostics.sorted());
    };
    let (files, found) = render::render(&site);
    diagnostics.extend(found);
    let diagnostics = diagnostics.sorted();
    if diagnostics.has_errors() { (None, diagnostics) } else { (Some(files), diagnostics) }
}

/// Builds the site into the checked output folder. On any error it is left
/// exactly as it was; when no input changed since the last build, nothing
/// is rendered or written.
pub fn build(root: &Path, mut target: crate::write::Target) -> Result<(crate::write::Report, Diagnostics), Diagnostics> {
    if let Some(done) = target.up_to_date() {
        return Ok(done);
    }
    let (files, diagnostics) = render_all(root);
    let Some(files) = files else {
        return Err(diagnostics);
    };
    let shown = target.shown().to_string();
    match target.write_all(&files, &diagnostics) {
        Ok(report) => Ok((report, diagnostics)),
        Err(e) => {
            let mut d = diagnostics;
            d.push(Location::new(&shown, 1, 1).error(format!("could not write the site: {e}; the previous site is unchanged")));
            Err(d)
        }
    }
}
