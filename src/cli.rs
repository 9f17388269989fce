//! The command line: argument parsing, printing diagnostics, exit codes.
//! 0 success, 1 content errors, 2 usage errors.

use crate::pipeline;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "handbook",
    version,
    about = "Build a practice handbook website from Markdown guidance and TOML forms and decision trees."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into site/ (or --out). A failed build changes nothing.
    Build {
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/site).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run every check a build does, without writing anything.
    Check {
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the handbook: build it in memory, serve it, and rebuild and
    /// reload open pages after every change.
    #[command(long_about = "Preview the handbook in a browser while you edit it.\n\n\
        Builds the site in memory (nothing is written to site/) and serves it on this computer only \
        (127.0.0.1) unless --bind says otherwise, and answers only to localhost, IP addresses and the names \
        given with --bind or --allow-host. Watches handbook.toml, glossary.toml, content/, forms/ \
        and templates/: after each save the site is rebuilt and open pages reload by themselves. A broken \
        edit is listed in the terminal and over the open pages, and the last good version stays served \
        until it is fixed. Set HANDBOOK_POLL=1 to look for changes by polling (for network drives and \
        virtual machines where file events do not arrive). Ctrl-C stops it.")]
    Serve {
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port). Without it, 8000 or the next free port.
        #[arg(long)]
        port: Option<u16>,
        /// The address (or this computer's name) to listen on; 0.0.0.0 lets other computers on the
        /// network see the preview.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Also answer requests for this host name (repeatable): by default only localhost, IP
        /// addresses and the --bind name are answered, so other web sites cannot read the preview.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Bring Word documents (.docx) and saved web pages (.html) in as pages,
    /// split at headings, with front matter and links between them.
    #[command(
        long_about = "Bring existing guidance in: Word documents (.docx) and web pages saved from a council's site (.html).\n\n\
        Each file becomes a section folder (content/<title>/, or the --into folder when there is one file) with an index.md \
        from the text before the first heading and one page per heading at the --split-at level, with front matter \
        (title, weight, reviewed, owner). Images are written beside the pages; links between headings become links \
        between pages. A report lists what needs a person's look: images without alt text, merged table cells, links \
        that point nowhere, tables that should be forms. Existing pages are never overwritten without --force."
    )]
    Import {
        /// The files to import: .docx and .html.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The folder inside content/ to write into (relative to the handbook folder).
        #[arg(long)]
        into: Option<PathBuf>,
        /// Start a new page at each heading of this level (1: Heading 1; 2: Heading 2, with Heading 1s as sub-sections).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
        split_at: u8,
        /// Show what would be written, and the report, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Replace pages that already exist.
        #[arg(long)]
        force: bool,
    },
    /// List the built-in templates and assets, or copy one into templates/ to edit.
    #[command(long_about = "The theme (templates, styles and scripts) is built into handbook; a handbook's \
        templates/ holds only the files it changes, each replacing the built-in file of the same name. \
        `theme list` shows every built-in file and which ones this handbook replaces; `theme copy` writes \
        built-in files into templates/ to edit; `theme diff` compares a copy with the built-in file.")]
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
    /// Write JSON Schemas of every TOML format into DIR, for editors that complete and check TOML.
    #[command(long_about = "Write JSON Schemas (draft-07) of handbook.toml, glossary.toml, forms, outcomes frameworks, \
        decision trees and page front matter into DIR, for editors that complete and check TOML as you type \
        (Taplo, and Even Better TOML in VS Code). Point a file at its schema with a first line such as \
        `#:schema ./schemas/handbook.json`. A file in DIR that handbook did not write is never overwritten.")]
    Schema {
        /// The folder to write the schemas into (made if missing), such as schemas.
        dir: PathBuf,
    },
    /// Start a new handbook folder with the default content and forms; the
    /// theme stays built in (templates/ holds only a README on changing it).
    New {
        /// The folder to create (must be new or empty).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Every built-in template and asset, and which of them this handbook replaces.
    List {
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Copy built-in templates or assets into templates/ to edit (`page.html`, `assets/style.css`).
    Copy {
        /// The names `theme list` shows.
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace copies that are already in templates/ (your changes in them are lost).
        #[arg(long)]
        force: bool,
    },
    /// Compare a file in templates/ with the built-in file it replaces.
    Diff {
        /// A name `theme list` shows (`page.html`, `assets/style.css`).
        name: String,
        /// The handbook folder (holding handbook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build { root, out } => {
            if let Some(code) = require_folder(&root) {
                return code;
            }
            let out = out.unwrap_or_else(|| root.join("site"));
            let started = Instant::now();
            // A refused --out is a usage error: nothing about the handbook is wrong.
            let target = match crate::write::Target::open(&root, &out) {
                Ok(t) => t,
                Err(d) => {
                    eprintln!("{d}");
                    return 2;
                }
            };
            match pipeline::build(&root, target) {
                Ok((report, diagnostics)) => {
                    diagnostics.print();
                    for note in &report.notes {
                        eprintln!("warning: {note}");
                    }
                    let took = started.elapsed().as_secs_f64();
                    if report.up_to_date {
                        println!(
                            "Nothing changed since the last build: {} is up to date ({} files, {took:.2} s)",
                            out.display(),
                            report.files
                        );
                    } else {
                        println!(
                            "Built {} files into {} in {took:.2} s ({} written, {} removed, the rest unchanged)",
                            report.files,
                            out.display(),
                            report.written,
                            report.removed
                        );
                    }
                    0
                }
                Err(diagnostics) => {
                    diagnostics.print();
                    eprintln!("{}; nothing was written, the previous site is unchanged", diagnostics.summary());
                    1
                }
            }
        }
        Command::Check { root } => {
            if let Some(code) = require_folder(&root) {
                return code;
            }
            let diagnostics = pipeline::check(&root);
            diagnostics.print();
            if diagnostics.has_errors() {
                eprintln!("{}", diagnostics.summary());
                1
            } else {
                println!("No errors ({} warnings)", diagnostics.warnings().count());
                0
            }
        }
        Command::Serve { root, port, bind, allow_host, open } => {
            if let Some(code) = require_folder(&root) {
                return code;
            }
            crate::serve::run(crate::serve::Options { root, port, bind, allow_hosts: allow_host, open })
        }
        Command::Import { files, root, into, split_at, dry_run, force } => {
            if let Some(code) = require_folder(&root) {
                return code;
            }
            crate::import::run(crate::import::Options { files, root, into, split_at, dry_run, force })
        }
        Command::Theme { command } => match command {
            ThemeCommand::List { root } => require_folder(&root).unwrap_or_else(|| crate::theme::list(&root)),
            ThemeCommand::Copy { names, root, force } => {
                require_folder(&root).unwrap_or_else(|| crate::theme::copy(&root, &names, force))
            }
            ThemeCommand::Diff { name, root } => require_folder(&root).unwrap_or_else(|| crate::theme::diff(&root, &name)),
        },
        Command::Schema { dir } => match crate::schema::write(&dir) {
            Ok(written) => {
                for (path, s) in written.iter().zip(crate::schema::SCHEMAS) {
                    println!("wrote {}  ({})", path.display(), s.applies_to);
                }
                println!(
                    "Point a file at its schema with a first line such as `#:schema ./schemas/handbook.json` (FORMATS.md says more)."
                );
                0
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
        Command::New { dir } => match crate::scaffold::new_handbook(&dir) {
            Ok(n) => {
                println!("Wrote a new handbook ({n} files) to {}", dir.display());
                println!("Build it with: handbook build --root {}", dir.display());
                0
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
    }
}

fn require_folder(root: &Path) -> Option<i32> {
    if root.is_dir() {
        None
    } else {
        eprintln!("error: {} is not a folder; --root names the handbook folder that holds handbook.toml", root.display());
        Some(2)
    }
}
