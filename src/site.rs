//! The model: everything a handbook folder holds, read into plain structs
//! that remember where each value was written. `load` is the first stage of
//! the pipeline and the only one that reads the handbook's files (apart from
//! the files copied as they are, which `write` copies).

use crate::config::{self, Config, Pack};
use crate::content::{self, Asset, Page};
use crate::decisions::{self, Tree, Trees};
use crate::diagnostics::{Diagnostics, LineIndex, Location, decode_utf8};
use crate::files::{self, Depth};
use crate::forms::{self, Form, Forms};
use crate::glossary::{self, Glossary};
use crate::theme::{self, Role};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use time::Date;

/// Everything the handbook folder holds, loaded and checked file by file.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub pages: Vec<Page>,
    /// Source paths of pages left out because they are drafts.
    pub drafts: Vec<String>,
    pub assets: Vec<Asset>,
    pub glossary: Option<Glossary>,
    pub forms: Forms,
    pub trees: Trees,
    pub theme: Theme,
    /// The interface's words in the site's language (`crate::strings`).
    pub strings: crate::strings::Strings,
    /// Site URL and source path of the logo, when handbook.toml names one.
    pub logo: Option<(String, PathBuf)>,
    /// The date review notices are measured against.
    pub today: Date,
}

/// The theme: Tera templates and static assets, the defaults built into the
/// binary overridden by the handbook's own templates/ file by file.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// The default templates (name under templates/ and source), built in.
    pub defaults: Vec<(&'static str, &'static str)>,
    /// The handbook's own templates (path under templates/ and source):
    /// each replaces the default of its name, which stays reachable as
    /// `default/NAME` (see `crate::theme`).
    pub templates: Vec<(String, String)>,
    /// Path under templates/ (e.g. `assets/style.css`) and bytes: the
    /// default assets with the handbook's own laid over them.
    pub assets: Vec<(String, Vec<u8>)>,
    /// The handbook's own words files (`lang/cy.toml`) and their text,
    /// each laid over the built-in words of its language.
    pub strings: Vec<(String, String)>,
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

/// Reads and checks every source file. The Site is whatever could be read:
/// a file with problems is kept as far as it parsed (or stands in, as a
/// missing handbook.toml does), so every other problem still shows.
pub fn load(root: &Path, sink: &mut Diagnostics) -> Site {
    let config = match read_inside(root, config::FILE) {
        Err(ReadError::Outside(e)) => {
            sink.push(Location::new(config::FILE, 1, 1).error(e.to_string()));
            None
        }
        Err(ReadError::Io(e)) => {
            sink.push(Location::new(config::FILE, 1, 1).error(format!(
                "cannot read handbook.toml ({e}); every handbook folder needs one (run `handbook new DIR` to start one)"
            )));
            None
        }
        Ok(bytes) => match decode_utf8(config::FILE, bytes) {
            Err(d) => {
                sink.push(d);
                None
            }
            Ok(text) => config::parse(&text, sink),
        },
    };
    // Everything else is still checked against a stand-in, so one run reports all.
    let config = config.unwrap_or_else(Config::placeholder);

    if !root.join(content::DIR).is_dir() {
        sink.push(
            Location::new(content::DIR, 1, 1).error("the content/ folder is missing; it holds the handbook's Markdown pages"),
        );
    }
    let mut content = content::load(files::read(root, content::DIR, Depth::All, None, sink), sink);
    content::add_missing_section_pages(&mut content.pages, &config.title);

    let glossary = match read_inside(root, glossary::FILE) {
        Err(ReadError::Outside(e)) => {
            sink.push(Location::new(glossary::FILE, 1, 1).error(e.to_string()));
            None
        }
        Err(ReadError::Io(_)) => None,
        Ok(bytes) => match decode_utf8(glossary::FILE, bytes).map_err(|d| vec![d]).and_then(glossary::parse) {
            Ok(g) => Some(g),
            Err(mut e) => {
                sink.append(&mut e);
                None
            }
        },
    };

    let forms = forms::load(files::read(root, forms::DIR, Depth::Top, Some("toml"), sink), sink);
    let trees = decisions::load(files::read(root, decisions::DIR, Depth::Top, Some("toml"), sink), sink);
    let theme = load_theme(root, sink);

    let mut logo = None;
    if let Some(path) = &config.logo {
        let written = path.get_ref();
        let ext = Path::new(written).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let problem = match crate::confine::inside_root(root, written) {
            Ok(real) if !real.is_file() => Some(format!("logo `{written}` is a folder; give the path of an image file")),
            Ok(_) if !LOGO_TYPES.contains(&ext.as_str()) => Some(format!(
                "logo `{written}` is not an image; use a .svg, .png, .jpg, .gif or .webp file inside the handbook folder"
            )),
            Ok(real) => {
                logo = Some((crate::paths::logo(&ext), real));
                None
            }
            Err(e) if e.is_outside() => Some(format!("logo: {e}")),
            Err(_) => Some(format!(
                "logo `{written}` not found; give a path relative to the handbook folder, such as `content/images/logo.svg`"
            )),
        };
        if let Some(message) = problem {
            let text = fs::read_to_string(root.join(config::FILE)).unwrap_or_default();
            sink.push(LineIndex::new(&text).location(config::FILE, path.span().start).error(message));
        }
    }

    let lang = crate::strings::primary(config.language());
    let own = theme.strings.iter().find(|(n, _)| *n == format!("{}/{lang}.toml", crate::strings::DIR));
    let strings = crate::strings::load(&config, own.map(|(_, t)| t.as_str()), sink);
    let mut glossary = glossary;
    if let Some(g) = glossary.as_mut()
        && g.title.is_empty()
    {
        g.title = strings.get("titles.glossary").to_string();
    }

    Site {
        root: root.to_path_buf(),
        config,
        strings,
        pages: content.pages,
        drafts: content.drafts,
        assets: content.assets,
        glossary,
        forms,
        trees,
        theme,
        logo,
        today: today(),
    }
}

/// The kinds of image a logo may be.
const LOGO_TYPES: [&str; 6] = ["svg", "png", "jpg", "jpeg", "gif", "webp"];

/// Why a file the build needs could not be read.
enum ReadError {
    /// It is, or leads, outside the handbook folder.
    Outside(crate::confine::PathError),
    /// It is missing or unreadable.
    Io(std::io::Error),
}

/// Reads `rel` from the handbook folder, refusing a path or symbolic link
/// that leads outside it.
fn read_inside(root: &Path, rel: &str) -> Result<Vec<u8>, ReadError> {
    match crate::confine::inside_root(root, rel) {
        Ok(real) => fs::read(real).map_err(ReadError::Io),
        Err(e) if e.is_outside() => Err(ReadError::Outside(e)),
        Err(_) => fs::read(root.join(rel)).map_err(ReadError::Io),
    }
}

/// The embedded default theme with the handbook's own templates/ laid over it.
fn load_theme(root: &Path, sink: &mut Diagnostics) -> Theme {
    let mut out = Theme { defaults: theme::default_templates(), ..Theme::default() };
    let mut assets: BTreeMap<String, Vec<u8>> = theme::defaults()
        .filter(|(name, _)| theme::role(name) == Role::Asset)
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    for file in files::read(root, theme::DIR, Depth::All, None, sink) {
        let name = file.path.strip_prefix("templates/").unwrap_or(&file.path).to_string();
        let role = theme::role(&name);
        // A README or notes beside the templates mean nothing to the theme.
        if role == Role::Ignored {
            continue;
        }
        if name.starts_with(theme::DEFAULT_PREFIX) {
            sink.push(Location::new(&file.path, 1, 1).error(format!(
                "templates/{} is kept for the built-in templates (`{{% extends \"default/page.html\" %}}` names the built-in page.html); move this file out of templates/{}",
                theme::DEFAULT_PREFIX,
                theme::DEFAULT_PREFIX
            )));
            continue;
        }
        if let Some(d) = theme::stale(&name, &file.bytes) {
            sink.push(d);
        }
        match role {
            Role::Asset => {
                assets.insert(name, file.bytes);
            }
            Role::Strings => match decode_utf8(&file.path, file.bytes) {
                Ok(text) => out.strings.push((name, text)),
                Err(d) => sink.push(d),
            },
            _ => match decode_utf8(&file.path, file.bytes) {
                Ok(text) => out.templates.push((name, text)),
                Err(d) => sink.push(d),
            },
        }
    }
    out.assets = assets.into_iter().collect();
    out
}

/// One thing a course pack prints.
#[derive(Debug, Clone, Copy)]
pub enum PackItem<'a> {
    Page(&'a Page),
    Form(&'a Form),
}

impl PackItem<'_> {
    pub fn url(&self) -> String {
        match self {
            PackItem::Page(p) => p.url.clone(),
            PackItem::Form(f) => f.url(),
        }
    }
}

/// What one line of a pack's `contents` names.
#[derive(Debug, Clone, Copy)]
pub enum PackEntry<'a> {
    Item(PackItem<'a>),
    /// `page.md#heading`: a pack holds whole pages.
    Heading,
    /// Nothing in the handbook has that source path.
    Missing,
    /// Already listed, at this line of handbook.toml.
    Repeated(usize),
}

impl Site {
    /// The page or form each line of a pack's contents names, in order.
    /// `crate::check` reports the lines that name nothing usable.
    pub fn pack_entries<'a>(&'a self, pack: &'a Pack) -> Vec<(&'a str, PackEntry<'a>)> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::new();
        for (entry, at) in pack.contents.iter().zip(&pack.contents_at) {
            let raw = entry.get_ref().trim();
            if raw.contains('#') {
                out.push((raw, PackEntry::Heading));
                continue;
            }
            let path = raw.trim_start_matches("./").trim_end_matches('/');
            let page = self.pages.iter().find(|p| {
                p.source == path
                    || (p.is_index && p.source.strip_suffix("/index.md").or(p.source.strip_suffix("index.md")) == Some(path))
            });
            let item = match page {
                Some(p) => PackItem::Page(p),
                None => match self.forms.forms.iter().find(|f| f.source == path) {
                    Some(f) => PackItem::Form(f),
                    None => {
                        out.push((raw, PackEntry::Missing));
                        continue;
                    }
                },
            };
            let url = item.url();
            if let Some(line) = seen.get(&url) {
                out.push((raw, PackEntry::Repeated(*line)));
                continue;
            }
            seen.insert(url, at.line);
            out.push((raw, PackEntry::Item(item)));
        }
        out
    }

    /// A pack's pages and forms, when every line of its contents names one.
    pub fn pack_items<'a>(&'a self, pack: &'a Pack) -> Option<Vec<PackItem<'a>>> {
        self.pack_entries(pack)
            .into_iter()
            .map(|(_, e)| match e {
                PackEntry::Item(item) => Some(item),
                _ => None,
            })
            .collect()
    }

    /// The tree whose file is `source`, if any.
    pub fn tree_at(&self, source: &str) -> Option<&Tree> {
        self.trees.trees.iter().find(|t| t.source == source)
    }
}
