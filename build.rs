//! Embeds the repository's own handbook (handbook.toml, glossary.toml,
//! content/, forms/, templates/) into the binary: the templates are the
//! default theme and `handbook new` writes all of it out again.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            collect(&path, root, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = Vec::new();
    for top in ["handbook.toml", "glossary.toml"] {
        println!("cargo:rerun-if-changed={top}");
        if root.join(top).is_file() {
            files.push(PathBuf::from(top));
        }
    }
    for dir in ["content", "forms", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root.join(dir), &root, &mut files);
    }
    let mut code = String::from("/// Every file of the default handbook, by path relative to its folder.\n");
    code.push_str("pub static DEFAULT_FILES: &[(&str, &[u8])] = &[\n");
    for file in &files {
        let rel = file.to_string_lossy().replace('\\', "/");
        let abs = root.join(file);
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", abs.to_string_lossy()).unwrap();
    }
    code.push_str("];\n");
    // Written beside and renamed into place, never through the old file:
    // a target/ copied with hard links must not share it with another copy.
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let tmp = out.with_extension("rs.tmp");
    fs::write(&tmp, code).unwrap();
    fs::rename(&tmp, &out).unwrap();
}
