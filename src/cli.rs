//! The command line: argument parsing, printing diagnostics, exit codes.
//! 0 success, 1 content errors, 2 usage errors.

use crate::build;
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
        (127.0.0.1) unless --bind says otherwise. Watches handbook.toml, glossary.toml, content/, forms/ \
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
        /// The address to listen on; 0.0.0.0 lets other computers on the network see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Start a new handbook folder with the default content, forms and templates.
    New {
        /// The folder to create (must be new or empty).
        dir: PathBuf,
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
            match build::build(&root, target) {
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
            let diagnostics = build::check(&root);
            diagnostics.print();
            if diagnostics.has_errors() {
                eprintln!("{}", diagnostics.summary());
                1
            } else {
                println!("No errors ({} warnings)", diagnostics.warnings().count());
                0
            }
        }
        Command::Serve { root, port, bind, open } => {
            if let Some(code) = require_folder(&root) {
                return code;
            }
            crate::serve::run(crate::serve::Options { root, port, bind, open })
        }
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
