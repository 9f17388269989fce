//! forms/decisions/*.toml: threshold decision trees.
//!
//! Placeholder until issue 4 lands: only the id and title of each file are
//! read, so that links to decision trees resolve.

use crate::content::rel_path;
use crate::diagnostics::{Diagnostic, Location, decode_utf8};
use std::path::Path;

#[derive(Debug, Default)]
pub struct Trees {
    pub trees: Vec<Tree>,
}

#[derive(Debug)]
pub struct Tree {
    pub source: String,
    pub id: String,
    pub title: String,
}

impl Tree {
    pub fn url(&self) -> String {
        format!("decisions/{}/index.html", self.id)
    }
}

pub fn load(root: &Path, errors: &mut Vec<Diagnostic>) -> Trees {
    let mut trees = Trees::default();
    let Ok(entries) = std::fs::read_dir(root.join("forms/decisions")) else {
        return trees;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    paths.sort();
    for path in paths {
        let source = rel_path(root, &path);
        let text = match std::fs::read(&path)
            .map_err(|e| Location::new(&source, 1, 1).error(e.to_string()))
            .and_then(|b| decode_utf8(&source, b))
        {
            Ok(t) => t,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let table: toml::Table = match toml::from_str(&text) {
            Ok(t) => t,
            Err(e) => {
                errors.push(Location::new(&source, 1, 1).error(e.message().to_string()));
                continue;
            }
        };
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let id = table.get("id").and_then(|v| v.as_str()).unwrap_or(&stem).to_string();
        let title = table.get("title").and_then(|v| v.as_str()).unwrap_or(&id).to_string();
        trees.trees.push(Tree { source, id, title });
    }
    trees
}
