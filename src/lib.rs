//! handbook: turns a folder of Markdown guidance and TOML forms and
//! decision trees into an offline, accessible practice handbook website.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod decisions;
pub mod diagnostics;
pub mod forms;
pub mod glossary;
pub mod import;
pub mod markdown;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod write;
