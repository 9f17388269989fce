//! Rebuilding the site in memory after a change: the whole pipeline (load,
//! check, render), or, when an edit changed only the bodies of existing
//! pages, just those pages. The result is a complete map of the site's
//! files that the server swaps in at once.

use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::files::SourceFile;
use crate::pipeline::Built;
use crate::render::Contents;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// The site's files by site-relative path.
pub type Files = HashMap<String, Arc<[u8]>>;

/// What a change needs.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Nothing the site is made from changed (an editor's temp file came and went).
    Nothing,
    /// Only these existing pages changed: try re-rendering just them.
    Pages(Vec<String>),
    /// Load and render everything again.
    Full,
}

/// A copied file's bytes and the modification time and size they were read at.
type Copied = (Option<SystemTime>, u64, Arc<[u8]>);

/// The outcome of a rebuild.
pub enum Outcome {
    Built {
        files: Files,
        /// Pages re-rendered, or `None` for the whole site.
        pages: Option<usize>,
        warnings: Vec<Diagnostic>,
    },
    Failed(Diagnostics),
}

/// Keeps what rebuilding needs between changes.
pub struct Builder {
    root: PathBuf,
    /// The last good site, compiled: what a one-page re-render needs.
    good: Option<Built>,
    /// The last rebuild succeeded: `good` matches the files on disk.
    ok: bool,
    /// Files copied as they are (images), by source: unchanged ones are not read again.
    copies: HashMap<PathBuf, Copied>,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Builder { root, good: None, ok: false, copies: HashMap::new() }
    }

    /// Decides what the changed paths (relative to the handbook folder) need.
    pub fn plan(&self, changed: &[String]) -> Plan {
        let good = match (&self.good, self.ok) {
            (Some(g), true) => g,
            _ => return if changed.is_empty() { Plan::Nothing } else { Plan::Full },
        };
        let mut pages = Vec::new();
        for rel in changed {
            let exists = self.root.join(rel).exists();
            let known_page = good.site.pages.iter().any(|p| &p.source == rel);
            if rel.starts_with("content/") {
                if known_page && exists && rel.ends_with(".md") {
                    pages.push(rel.clone());
                    continue;
                }
                let inside = format!("{rel}/");
                let holds_known = good.site.assets.iter().any(|a| a.source.starts_with(&inside))
                    || good.site.pages.iter().any(|p| p.source.starts_with(&inside));
                let known = known_page || holds_known || good.site.assets.iter().any(|a| &a.source == rel);
                if !exists && !known {
                    continue; // came and went: an editor's temp file
                }
                if exists && holds_known && self.root.join(rel).is_dir() {
                    continue; // a folder's entries changed: the files' own events say how
                }
            }
            return Plan::Full;
        }
        if pages.is_empty() { Plan::Nothing } else { Plan::Pages(pages) }
    }

    /// The last good site's `publish_path`, when it is not the root.
    pub fn publish_path(&self) -> Option<String> {
        let path = self.good.as_ref()?.site.config.publish_path.as_ref()?.get_ref();
        (path != "/").then(|| path.clone())
    }

    /// Loads, checks and renders everything.
    pub fn full(&mut self) -> Outcome {
        self.ok = false;
        let mut diagnostics = Diagnostics::default();
        let built = Built::new(&self.root, &mut diagnostics);
        let files = built.render(&mut diagnostics);
        let diagnostics = diagnostics.sorted();
        if diagnostics.has_errors() {
            return Outcome::Failed(diagnostics);
        }
        let mut map = Files::with_capacity(files.len());
        let mut errors = Diagnostics::default();
        for file in files {
            let bytes: Arc<[u8]> = match file.contents {
                Contents::Bytes(b) => b.into(),
                Contents::Copy(source) => match self.copy(&source) {
                    Ok(b) => b,
                    Err(e) => {
                        let rel = crate::paths::rel_path(&self.root, &source);
                        errors.push(Location::new(&rel, 1, 1).error(format!("cannot read this file: {e}")));
                        continue;
                    }
                },
            };
            map.insert(file.path, bytes);
        }
        if errors.has_errors() {
            return Outcome::Failed(errors.sorted());
        }
        self.ok = true;
        self.good = Some(built);
        Outcome::Built { files: map, pages: None, warnings: diagnostics.items }
    }

    /// A copied file's bytes; never a file outside the handbook folder,
    /// whatever links lead there.
    fn copy(&mut self, source: &Path) -> std::io::Result<Arc<[u8]>> {
        let real = std::fs::canonicalize(source)?;
        if !real.starts_with(&self.root) {
            return Err(std::io::Error::other(format!(
                "it leads to {}, outside the handbook folder; the preview only serves files inside it",
                real.display()
            )));
        }
        let source = real.as_path();
        let meta = std::fs::metadata(source)?;
        let stamp = (meta.modified().ok(), meta.len());
        if let Some((m, l, bytes)) = self.copies.get(source)
            && (*m, *l) == stamp
            && m.is_some()
        {
            return Ok(bytes.clone());
        }
        let bytes: Arc<[u8]> = std::fs::read(source)?.into();
        self.copies.insert(source.to_path_buf(), (stamp.0, stamp.1, bytes.clone()));
        Ok(bytes)
    }

    /// Re-renders only the changed pages when their front matter is as it
    /// was and their headings are the same; `None` when the whole site must
    /// be rendered instead. `current` is the site being served.
    pub fn pages(&mut self, changed: &[String], current: &Files) -> Option<Outcome> {
        if !self.ok {
            return None;
        }
        let good = self.good.as_mut()?;
        let mut replaced = Vec::new();
        let mut errors = Diagnostics::default();
        for rel in changed {
            let i = good.site.pages.iter().position(|p| &p.source == rel)?;
            // A page now reached through a link: the full load decides, by
            // the rule `build` follows, so the two always agree.
            if !plain_file(&self.root, rel) {
                return None;
            }
            let bytes = match std::fs::read(self.root.join(rel)) {
                Ok(b) => b,
                Err(_) => return None,
            };
            let mut found = Diagnostics::default();
            let loaded = content::load(vec![SourceFile { path: rel.clone(), bytes }], &mut found);
            if !found.is_empty() {
                errors.extend(found);
                continue;
            }
            let [page] = <[_; 1]>::try_from(loaded.pages).ok()?; // now a draft: navigation changes
            if !loaded.assets.is_empty() || fingerprint(&page) != fingerprint(&good.site.pages[i]) {
                return None;
            }
            replaced.push((i, page));
        }
        if !errors.is_empty() {
            self.ok = false;
            return Some(Outcome::Failed(errors.sorted()));
        }
        let count = replaced.len();
        let (new_files, diagnostics) = good.rerender_pages(replaced)?;
        if diagnostics.has_errors() {
            self.ok = false;
            return Some(Outcome::Failed(diagnostics));
        }
        let mut files = current.clone();
        for file in new_files {
            if let Contents::Bytes(b) = file.contents {
                files.insert(file.path, b.into());
            }
        }
        Some(Outcome::Built { files, pages: Some(count), warnings: diagnostics.items })
    }
}

/// Whether `rel` is a file reached without following a link on the way
/// (`root` is canonical).
fn plain_file(root: &Path, rel: &str) -> bool {
    let path = root.join(rel);
    std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) && std::fs::canonicalize(&path).is_ok_and(|real| real == path)
}

/// Everything about a page except its body: equal fingerprints mean only
/// the body changed, so navigation, section lists and the A to Z stay as
/// they are. (Debug output covers any field added to `Page` later.)
fn fingerprint(page: &content::Page) -> String {
    let mut p = page.clone();
    p.body = Default::default();
    format!("{p:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        crate::testing::copy_handbook(&root);
        (dir, root)
    }

    fn built(root: &Path) -> (Builder, Files) {
        let mut b = Builder::new(root);
        let Outcome::Built { files, pages: None, .. } = b.full() else { panic!("the default handbook builds") };
        (b, files)
    }

    const PAGE: &str = "content/lead-professional/what-it-is.md";

    #[test]
    fn plans_follow_what_changed() {
        let (_tmp, root) = handbook();
        let (b, _) = built(&root);
        let plan = |paths: &[&str]| b.plan(&paths.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(plan(&[PAGE]), Plan::Pages(vec![PAGE.to_string()]));
        // Gone and never part of the site: an editor's temp file.
        assert_eq!(plan(&["content/lead-professional/4913"]), Plan::Nothing);
        // A folder whose entries changed: its files say what.
        assert_eq!(plan(&["content/lead-professional"]), Plan::Nothing);
        assert_eq!(plan(&["handbook.toml"]), Plan::Full);
        assert_eq!(plan(&["templates/page.html"]), Plan::Full);
        assert_eq!(plan(&["forms/early-help-assessment.toml"]), Plan::Full);
        std::fs::write(root.join("content/new.md"), "# New\n").unwrap();
        assert_eq!(plan(&["content/new.md"]), Plan::Full);
        std::fs::remove_dir_all(root.join("content/about")).unwrap();
        assert_eq!(plan(&["content/about"]), Plan::Full, "a folder of pages went");
        assert_eq!(plan(&[PAGE, "content/new.md"]), Plan::Full);
    }

    #[test]
    fn a_body_edit_renders_one_page_exactly_as_a_full_render_does() {
        let (_tmp, root) = handbook();
        let (mut b, files) = built(&root);
        let path = root.join(PAGE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("The role matters when", "A new sentence. The role matters when")).unwrap();
        let Some(Outcome::Built { files: fast, pages: Some(1), .. }) = b.pages(&[PAGE.to_string()], &files) else {
            panic!("a body edit takes the one-page path")
        };
        let mut again = Builder::new(&root);
        let Outcome::Built { files: full, .. } = again.full() else { panic!() };
        assert_eq!(fast.len(), full.len());
        for (path, bytes) in &full {
            assert_eq!(fast.get(path), Some(bytes), "{path} differs from a full render");
        }
        assert!(String::from_utf8_lossy(&fast["lead-professional/what-it-is.html"]).contains("A new sentence."));
    }

    #[test]
    fn navigation_and_heading_changes_need_the_whole_site() {
        let (_tmp, root) = handbook();
        let (mut b, files) = built(&root);
        let path = root.join(PAGE);
        let text = std::fs::read_to_string(&path).unwrap();
        for changed in [
            text.replace("weight = 20", "weight = 21"),
            text.replace("title = \"What a Lead Professional does\"", "title = \"Another title\""),
            text.replace("## The main functions", "## The chief functions"),
            text.replace("+++\n\n", "draft = true\n+++\n\n"),
        ] {
            assert_ne!(changed, text);
            std::fs::write(&path, &changed).unwrap();
            assert!(b.pages(&[PAGE.to_string()], &files).is_none(), "{}", &changed[..200]);
        }
    }

    #[test]
    fn a_broken_body_edit_fails_and_the_next_change_takes_the_full_path() {
        let (_tmp, root) = handbook();
        let (mut b, files) = built(&root);
        let path = root.join(PAGE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("The role matters when", "[x](missing.md) The role matters when")).unwrap();
        let Some(Outcome::Failed(d)) = b.pages(&[PAGE.to_string()], &files) else { panic!("the broken link is found") };
        assert_eq!(d.errors().count(), 1);
        assert!(d.items[0].to_string().starts_with(PAGE), "{}", d.items[0]);
        assert_eq!(b.plan(&[PAGE.to_string()]), Plan::Full);
    }

    #[cfg(unix)]
    #[test]
    fn a_page_replaced_by_a_link_is_left_to_the_full_load() {
        let (tmp, root) = handbook();
        let (mut b, files) = built(&root);
        // Same front matter, so only the body differs: the one-page path would take it.
        let text = std::fs::read_to_string(root.join(PAGE)).unwrap();
        let outside = tmp.path().join("outside.md");
        std::fs::write(&outside, text.replace("The role matters when", "SECRET-OUTSIDE. The role matters when")).unwrap();
        std::fs::remove_file(root.join(PAGE)).unwrap();
        std::os::unix::fs::symlink(&outside, root.join(PAGE)).unwrap();
        assert!(b.pages(&[PAGE.to_string()], &files).is_none());
        if let Outcome::Built { files, .. } = b.full() {
            assert!(files.values().all(|f| !String::from_utf8_lossy(f).contains("SECRET-OUTSIDE")));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_outside_the_folder_is_refused() {
        let (tmp, root) = handbook();
        let outside = tmp.path().join("secret.png");
        std::fs::write(&outside, b"SECRET-BYTES").unwrap();
        let mut b = Builder::new(&root);
        let err = b.copy(&outside).unwrap_err().to_string();
        assert!(err.contains("outside the handbook folder"), "{err}");
        let link = root.join("content/logo.png");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert!(b.copy(&link).is_err(), "a link inside leading outside");
        std::fs::write(root.join("content/real.png"), b"fine").unwrap();
        std::os::unix::fs::symlink(root.join("content/real.png"), root.join("content/inside.png")).unwrap();
        assert_eq!(&*b.copy(&root.join("content/inside.png")).unwrap(), b"fine", "a link inside to inside");
    }
}
