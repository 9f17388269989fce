//! `handbook import`: Word documents (.docx) and saved web pages (.html)
//! into pages of a handbook, split at headings, with front matter, links
//! between the pages, images beside them, and a report of what needs a
//! person's look.
//!
//! Reading ([`docx`], [`html`]) makes a [`model::Doc`] of headings and
//! Markdown blocks; [`plan`] splits it into pages and resolves links; this
//! module checks the paths, refuses to overwrite, writes, and reports.
//! Outside this module it uses only `markdown::slug` / `unique_id` /
//! `RESERVED_IDS` (so heading ids agree with the build), the `content::`
//! path helpers, and `pipeline::check` and `site::today`.

pub mod dates;
pub mod docx;
pub mod html;
pub mod model;
pub mod plan;
pub mod xml;

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// What `handbook import` was asked to do.
pub struct Options {
    pub files: Vec<PathBuf>,
    pub root: PathBuf,
    pub into: Option<PathBuf>,
    pub split_at: u8,
    pub dry_run: bool,
    pub force: bool,
}

enum Format {
    Word,
    Web,
}

/// Runs the import; returns the exit status: 0 written (or shown, with
/// --dry-run), 1 an input could not be read, 2 a usage error (an unknown
/// kind of file, `--into` outside content/, pages that exist without --force).
pub fn run(opts: Options) -> i32 {
    if !opts.root.join(crate::config::FILE).is_file() {
        eprintln!(
            "error: {} is not a handbook folder (it has no handbook.toml); run `handbook new DIR` first, or give the handbook with --root",
            opts.root.display()
        );
        return 2;
    }
    // 1. The files and their kinds.
    let mut inputs: Vec<(PathBuf, Format, String)> = Vec::new();
    let mut seen = HashSet::new();
    for f in &opts.files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| f.display().to_string());
        let ext = f.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let format = match ext.as_str() {
            "docx" => Format::Word,
            "html" | "htm" | "xhtml" => Format::Web,
            other => {
                let hint = match other {
                    "doc" => "open it in Word or LibreOffice and save it as a Word Document (.docx)",
                    "odt" | "rtf" => "open it in LibreOffice or Word and save it as a Word Document (.docx)",
                    "pdf" => {
                        "PDF keeps no headings or structure to import; open the Word document it was made from, or open the PDF in Word and save it as .docx"
                    }
                    "mht" | "mhtml" => "save the page again as \"Web Page, complete\" (.html)",
                    _ => "import Word documents (.docx) and saved web pages (.html)",
                };
                eprintln!("{}: error: cannot import a `.{other}` file: {hint}", f.display());
                return 2;
            }
        };
        if !f.is_file() {
            eprintln!("{}: error: no such file", f.display());
            return 2;
        }
        if !seen.insert(name.to_lowercase()) {
            eprintln!("{}: error: two files called `{name}`: import them in separate runs", f.display());
            return 2;
        }
        inputs.push((f.clone(), format, name));
    }

    // 2. Where the pages go: a folder inside content/.
    let into = match resolve_into(&opts.root, opts.into.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };

    // 3. Read everything before writing anything.
    let names: Vec<String> = inputs.iter().map(|(_, _, n)| n.clone()).collect();
    let mut docs = Vec::new();
    let mut failed = false;
    for (path, format, name) in &inputs {
        let read = fs::read(path).map_err(|e| format!("cannot read the file: {e}")).and_then(|bytes| match format {
            Format::Word => docx::read(bytes, name, &names),
            Format::Web => html::read(bytes, path, name, &names),
        });
        match read {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                eprintln!("{}: error: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        eprintln!("nothing was imported");
        return 1;
    }

    // 4. A section folder for each document.
    let into_is_content = into == "content";
    let single = docs.len() == 1 && !into_is_content;
    let mut used: HashSet<String> = HashSet::new();
    let mut planned = Vec::new();
    let mut base_weight =
        sibling_weight(&opts.root, if single { parent(&into) } else { &into }, if single { Some(&into) } else { None });
    for doc in docs {
        let folder = if single {
            into.clone()
        } else {
            let title = doc.title.clone().unwrap_or_else(|| doc.file.clone());
            let mut slug = plan::file_slug(&title);
            let mut n = 2;
            while !used.insert(slug.clone()) {
                slug = format!("{}-{n}", plan::file_slug(&title));
                n += 1;
            }
            format!("{into}/{slug}")
        };
        let weight = existing_weight(&opts.root, &format!("{folder}/index.md")).unwrap_or_else(|| {
            base_weight += 10;
            base_weight
        });
        planned.push(plan::Input { doc, folder, weight });
    }
    let today = crate::site::today();
    let plan = plan::plan(planned, opts.split_at, today);

    // 5. Never overwrite without --force.
    let existing: Vec<&plan::File> = plan.files.iter().filter(|f| opts.root.join(&f.path).exists()).collect();
    if !existing.is_empty() && !opts.force && !opts.dry_run {
        eprintln!("error: these files already exist, and import does not overwrite them without --force:");
        for f in &existing {
            eprintln!("  {}", f.path);
        }
        eprintln!("nothing was written; run again with --force to replace them, or choose another folder with --into");
        return 2;
    }
    for f in &plan.files {
        let target = opts.root.join(&f.path);
        if target.is_dir() {
            eprintln!("error: {} is a folder, so the page cannot be written there; nothing was written", f.path);
            return 2;
        }
    }

    // 5b. With --force, the pages an earlier import of the same file wrote
    // that this one does not (a heading removed or renamed since).
    let stale = if opts.force { stale_pages(&opts.root, &plan) } else { Vec::new() };
    // What --force replaces, for the report: a page changed since it was imported says so.
    let replaced_note: Vec<(&str, &'static str)> = existing
        .iter()
        .filter(|f| matches!(f.kind, plan::Kind::Page { .. }))
        .filter_map(|f| {
            let text = fs::read_to_string(opts.root.join(&f.path)).ok()?;
            match plan::record(&text) {
                Some(r) if r.unchanged => None,
                Some(_) => Some((f.path.as_str(), " (replacing the old one, which had been changed since it was imported)")),
                None if imported_from(&text).is_some() => None,
                None => Some((f.path.as_str(), " (replacing the old one, which `handbook import` did not write)")),
            }
        })
        .collect();

    // 6. Write (or show).
    let verb = if opts.dry_run { "would write" } else { "wrote" };
    let exists: HashSet<&str> = existing.iter().map(|f| f.path.as_str()).collect();
    if !opts.dry_run {
        for f in &plan.files {
            if let Err(e) = write_file(&opts.root.join(&f.path), &f.bytes) {
                eprintln!("{}: error: cannot write: {e}", f.path);
                return 1;
            }
        }
        for s in stale.iter().filter(|s| s.unchanged) {
            for path in std::iter::once(&s.path).chain(&s.images) {
                if let Err(e) = fs::remove_file(opts.root.join(path)) {
                    eprintln!("{path}: error: cannot remove: {e}");
                    return 1;
                }
            }
            remove_empty_folders(&opts.root, &s.path, &s.folder);
        }
    }
    for s in &plan.summaries {
        println!("{}: \"{}\" into {}/", s.file, s.title, s.folder);
        if let Some(d) = &s.dates {
            println!("  {d}");
        }
        for f in plan.files.iter().filter(|f| f.path == s.folder || f.path.starts_with(&format!("{}/", s.folder))) {
            let replaced = match replaced_note.iter().find(|(p, _)| *p == f.path) {
                Some((_, note)) => note,
                None if exists.contains(f.path.as_str()) => " (replacing the old one)",
                None => "",
            };
            match &f.kind {
                plan::Kind::Page { title } => println!("  {verb} {}  \"{title}\"{replaced}", f.path),
                plan::Kind::Image => println!("  {verb} {}  (image){replaced}", f.path),
            }
        }
        let remove = if opts.dry_run { "would remove" } else { "removed" };
        for old in stale.iter().filter(|o| o.unchanged && o.folder == s.folder) {
            println!("  {remove} {}  (an earlier import of {} wrote it; this one has no such heading)", old.path, s.file);
            for image in &old.images {
                println!("  {remove} {image}  (an image only that page showed)");
            }
        }
    }
    let pages: usize = plan.summaries.iter().map(|s| s.pages).sum();
    let images: usize = plan.summaries.iter().map(|s| s.images).sum();
    let tables: usize = plan.summaries.iter().map(|s| s.tables).sum();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    println!(
        "{}, {} and {} from {}{}",
        plural(pages, "page"),
        plural(images, "image"),
        plural(tables, "table"),
        plural(plan.summaries.len(), "file"),
        if opts.dry_run { " (dry run: nothing was written)" } else { "" }
    );
    let kept: Vec<&Stale> = stale.iter().filter(|s| !s.unchanged).collect();
    if !plan.items.is_empty() || !kept.is_empty() {
        println!();
        println!("Needs a look ({}):", plan.items.len() + kept.len());
        for item in &plan.items {
            println!("  {}: {}: {}", item.file, item.at, item.message);
            if let Some(p) = &item.page {
                println!("      now in {p}");
            }
        }
        for k in kept {
            let why = if k.unrecorded {
                "it has no `# import record` (older imports wrote none), so whether it was changed since cannot be told, and it was kept"
            } else {
                "it has been changed since, so it was kept"
            };
            println!(
                "  {}: {} was written by an earlier import of this file, which had a heading this one does not, but {why}: delete it if it is no longer wanted, or take its front matter's `# Imported by` and `# import record` lines out to keep it as your own",
                k.source, k.path
            );
        }
    }
    if opts.dry_run {
        return 0;
    }
    // 7. The pages must build: check the handbook as `handbook check` would.
    // And the pages left behind and kept, which may link to pages just removed.
    let written: HashSet<&str> = plan
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(stale.iter().filter(|s| !s.unchanged).map(|s| s.path.as_str()))
        .collect();
    let diagnostics = crate::pipeline::check(&opts.root);
    let ours: Vec<_> = diagnostics.errors().filter(|d| written.contains(d.path.as_str())).collect();
    println!();
    if ours.is_empty() {
        println!("The imported pages pass `handbook check`. Next: read them through, then `handbook build`.");
    } else {
        println!("The imported pages have {} for `handbook check` to fix:", plural(ours.len(), "problem"));
        for d in ours {
            println!("  {d}");
        }
    }
    0
}

/// A page an earlier import of a file wrote that this import of it does not.
struct Stale {
    /// The page, from the handbook folder.
    path: String,
    /// The section folder the import writes.
    folder: String,
    /// The file's name as this import has it.
    source: String,
    /// As the earlier import wrote it: removed. Changed since: kept and listed.
    unchanged: bool,
    /// Written by an import from before pages carried a record, so whether
    /// it was changed cannot be told: kept and listed.
    unrecorded: bool,
    /// The images beside it that only it showed, named as the import names
    /// them: removed with it.
    images: Vec<String>,
}

/// The pages in each imported section whose `# import record` names the
/// same file, that this import does not write.
fn stale_pages(root: &Path, plan: &plan::Plan) -> Vec<Stale> {
    let planned: HashSet<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
    let mut out = Vec::new();
    for s in &plan.summaries {
        let dir = root.join(&s.folder);
        let mut pages: Vec<(String, String)> = Vec::new();
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            let name = e.file_name().to_string_lossy();
            if !e.file_type().is_file() || !name.ends_with(".md") || name.starts_with('.') {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(root) else { continue };
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            if let Ok(text) = fs::read_to_string(e.path()) {
                pages.push((rel, text));
            }
        }
        let mut found: Vec<Stale> = Vec::new();
        for (rel, text) in &pages {
            if planned.contains(rel.as_str()) {
                continue;
            }
            let (source, unchanged, unrecorded) = match plan::record(text) {
                Some(r) => (r.source, r.unchanged, false),
                None => match imported_from(text) {
                    Some(source) => (source, false, true),
                    None => continue,
                },
            };
            if !source.eq_ignore_ascii_case(&s.file) {
                continue;
            }
            found.push(Stale {
                path: rel.clone(),
                folder: s.folder.clone(),
                source: s.file.clone(),
                unchanged,
                unrecorded,
                images: Vec::new(),
            });
        }
        // Images named after a removed page ("old-heading-1.png") that no page left links to.
        for st in found.iter_mut().filter(|st| st.unchanged) {
            let (page_dir, file) = st.path.rsplit_once('/').unwrap_or(("", st.path.as_str()));
            let stem = file.trim_end_matches(".md");
            let stem = if stem == "index" { page_dir.rsplit('/').next().unwrap_or(stem) } else { stem };
            let text = &pages.iter().find(|(p, _)| *p == st.path).map(|(_, t)| t.as_str()).unwrap_or("");
            let Ok(entries) = fs::read_dir(root.join(page_dir)) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Some(rest) = name.strip_prefix(&format!("{stem}-")) else { continue };
                let numbered = rest.split_once('.').is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
                let image = format!("{page_dir}/{name}");
                let link = format!("]({name})");
                if !numbered || planned.contains(image.as_str()) || !text.contains(&link) {
                    continue;
                }
                let elsewhere = plan.files.iter().any(|f| {
                    f.path.starts_with(&format!("{page_dir}/")) && f.bytes.windows(link.len()).any(|w| w == link.as_bytes())
                }) || pages.iter().any(|(p, t)| {
                    *p != st.path && !planned.contains(p.as_str()) && p.starts_with(&format!("{page_dir}/")) && t.contains(&link)
                });
                if !elsewhere {
                    st.images.push(image);
                }
            }
            st.images.sort();
        }
        out.extend(found);
    }
    out
}

/// The file named by a page's "# Imported by `handbook import` from FILE"
/// comment: `FILE, heading "..."` or `FILE.` (what every import wrote,
/// before pages carried an `# import record` too).
fn imported_from(page: &str) -> Option<String> {
    let front = page.strip_prefix("+++\n")?;
    let line = front.lines().take_while(|l| *l != "+++").find_map(|l| l.strip_prefix("# Imported by `handbook import` from "))?;
    match line.rsplit_once(", heading \"") {
        Some((file, _)) => Some(file.to_string()),
        None => line.strip_suffix('.').map(str::to_string),
    }
}

/// After a page is removed: its folder, and those above it up to the
/// section folder, go when nothing is left in them.
fn remove_empty_folders(root: &Path, page: &str, section: &str) {
    let mut dir = parent(page).to_string();
    while dir.len() > section.len() && dir.starts_with(section) {
        if fs::remove_dir(root.join(&dir)).is_err() {
            break;
        }
        dir = parent(&dir).to_string();
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(p, _)| p).unwrap_or("content")
}

/// `--into` as a `/`-separated path from the handbook folder, which must
/// be content/ or a folder inside it (however it is spelled: `..`, an
/// absolute path, a symbolic link out of the handbook are all refused).
fn resolve_into(root: &Path, into: Option<&Path>) -> Result<String, String> {
    let Some(into) = into else { return Ok("content".into()) };
    let root_real = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    // Relative to the handbook folder (the current folder unless --root says otherwise).
    let joined = if into.is_absolute() { into.to_path_buf() } else { root_real.join(into) };
    let normal = normalize(&joined).ok_or_else(|| format!("--into {} climbs out of the handbook folder", into.display()))?;
    // The part that exists, with symbolic links followed, must stay inside.
    let mut existing = normal.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(n), Some(p)) => {
                rest.push(n);
                existing = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut real = existing.canonicalize().map_err(|e| format!("--into {}: {e}", into.display()))?;
    for n in rest.iter().rev() {
        real.push(n);
    }
    let content = root_real.join("content");
    let rel = real.strip_prefix(&content).map_err(|_| {
        format!(
            "--into {} is not inside the handbook's content/ folder; give a folder such as content/early-help",
            into.display()
        )
    })?;
    let mut out = String::from("content");
    for c in rel.components() {
        let s = c.as_os_str().to_string_lossy();
        if s.starts_with('.') {
            return Err(format!("--into {}: a hidden folder is not part of the site", into.display()));
        }
        out.push('/');
        out.push_str(&s);
    }
    if real.is_file() {
        return Err(format!("--into {} is a file; give a folder", into.display()));
    }
    Ok(out)
}

/// Removes `.` and `..` without touching the disk; `None` if it climbs above the top.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// The `weight` in a page's front matter, if it has one.
fn existing_weight(root: &Path, rel: &str) -> Option<i64> {
    let text = fs::read_to_string(root.join(rel)).ok()?;
    let rest = text.strip_prefix("+++")?;
    let end = rest.find("\n+++")?;
    let table: toml::Table = toml::from_str(&rest[..end]).ok()?;
    table.get("weight")?.as_integer()
}

/// The highest weight among the pages and sections in `dir` (not counting
/// `except`): an imported section goes after them.
fn sibling_weight(root: &Path, dir: &str, except: Option<&str>) -> i64 {
    let mut max = 0;
    let Ok(entries) = fs::read_dir(root.join(dir)) else { return 0 };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{dir}/{name}");
        if Some(rel.as_str()) == except || name == "index.md" {
            continue;
        }
        let page = if e.path().is_dir() {
            format!("{rel}/index.md")
        } else if name.ends_with(".md") {
            rel
        } else {
            continue;
        };
        if let Some(w) = existing_weight(root, &page) {
            max = max.max(w);
        }
    }
    max
}

/// Writes beside the target and renames, so a page is never half written.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path
        .with_extension(format!("{}.import-tmp", path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_imported_by_comment_names_its_file() {
        let page = |comment: &str| format!("+++\n{comment}\ntitle = \"A\"\n+++\n\nText.\n");
        assert_eq!(
            imported_from(&page("# Imported by `handbook import` from Lead guidance, v2.docx, heading \"1. Role\".")).as_deref(),
            Some("Lead guidance, v2.docx")
        );
        assert_eq!(
            imported_from(&page("# Imported by `handbook import` from step-down.html.")).as_deref(),
            Some("step-down.html")
        );
        assert_eq!(imported_from(&page("# A note of my own")), None);
        assert_eq!(imported_from("No front matter.\n# Imported by `handbook import` from x.docx.\n"), None);
    }
}
