//! handbook: turns a folder of Markdown guidance and TOML forms and
//! decision trees into an offline, accessible practice handbook website.
//!
//! The pipeline (see `pipeline` and ARCHITECTURE.md): `site::load` reads
//! the model, `sitemap` lists every output, `compile` turns Markdown into
//! HTML once, `check` runs the checks that span files, `render` fills the
//! templates, `write` puts the files in place.

pub mod check;
pub mod cli;
pub mod compile;
pub mod config;
pub mod confine;
pub mod content;
pub mod decisions;
pub mod diagnostics;
pub mod files;
pub mod forms;
pub mod glossary;
pub mod import;
pub mod locals;
pub mod markdown;
pub mod nav;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod sanitize;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod strings;
pub mod text;
pub mod theme;
pub mod write;

/// For unit tests: the test handbook (tests/fixtures/handbook), a copy of
/// the default handbook's words that the tests own.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::{Path, PathBuf};

    pub fn handbook() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handbook")
    }

    /// A copy of the test handbook at `to`, to change.
    pub fn copy_handbook(to: &Path) {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap().flatten() {
                let (src, dest) = (e.path(), to.join(e.file_name()));
                if src.is_dir() { copy(&src, &dest) } else { std::fs::copy(&src, &dest).map(|_| ()).unwrap() }
            }
        }
        copy(&handbook(), to);
    }
}
