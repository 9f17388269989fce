//! `handbook serve`: a local preview. Builds the site in memory, serves it
//! with tiny_http, watches the sources with notify, rebuilds after each
//! change and tells open pages to reload (server-sent events) once the new
//! site is in place. A broken edit leaves the last good site served, and the
//! errors are listed in the terminal and over the open pages.
//!
//! Nothing here is written to disk, and the live-reload script exists only
//! in what this server sends: `build` output never has it.

mod http;
mod rebuild;
mod watch;

use crate::diagnostics::Diagnostic;
use rebuild::{Builder, Files, Outcome, Plan};
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The script `serve` adds to every HTML page it sends.
pub const LIVE_JS: &str = include_str!("serve/live.js");
/// The look of the error overlay that script shows.
pub const LIVE_CSS: &str = include_str!("serve/live.css");

/// The port tried first when `--port` is not given; the next free one is
/// used when it is taken.
pub const DEFAULT_PORT: u16 = 8000;
const PORTS_TRIED: u16 = 100;
/// Threads answering ordinary requests (event streams get their own).
const WORKERS: usize = 4;

/// What `handbook serve` was asked to do.
pub struct Options {
    pub root: PathBuf,
    pub port: Option<u16>,
    pub bind: IpAddr,
    pub open: bool,
}

/// One version of the site as served: swapped whole, never changed.
pub struct Snapshot {
    /// Changes with every rebuild; pages carry the version they came from.
    pub version: u64,
    pub files: Files,
    /// False until the first good build: nothing to serve but the errors.
    pub built: bool,
}

struct Status {
    /// Counts every change of state, for the event streams.
    generation: u64,
    version: u64,
    errors: Vec<Diagnostic>,
}

/// What the request threads and the rebuild thread share.
pub struct Shared {
    site: RwLock<Arc<Snapshot>>,
    status: Mutex<Status>,
    wake: Condvar,
}

impl Shared {
    fn new(version: u64) -> Shared {
        Shared {
            site: RwLock::new(Arc::new(Snapshot { version, files: Files::new(), built: false })),
            status: Mutex::new(Status { generation: 0, version, errors: Vec::new() }),
            wake: Condvar::new(),
        }
    }

    /// The site being served now.
    pub fn site(&self) -> Arc<Snapshot> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).errors.clone()
    }

    fn json(status: &Status) -> String {
        let errors: Vec<serde_json::Value> = status
            .errors
            .iter()
            .map(|d| serde_json::json!({"path": d.path, "line": d.line, "col": d.col, "message": d.message, "text": d.to_string()}))
            .collect();
        serde_json::json!({"version": status.version.to_string(), "errors": errors}).to_string()
    }

    /// The current version and errors, as the event stream sends them.
    pub fn status_json(&self) -> String {
        Self::json(&self.status.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The state once it differs from generation `seen` (at once if it
    /// already does), or `None` after `timeout`.
    pub fn wait_for_change(&self, seen: Option<u64>, timeout: Duration) -> Option<(u64, String)> {
        let status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        let (status, _) =
            self.wake.wait_timeout_while(status, timeout, |s| Some(s.generation) == seen).unwrap_or_else(|e| e.into_inner());
        (Some(status.generation) != seen).then(|| (status.generation, Self::json(&status)))
    }

    /// Puts a new site in place, and only then tells the open pages.
    fn publish(&self, files: Files) {
        let version = {
            let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
            let version = site.version + 1;
            *site = Arc::new(Snapshot { version, files, built: true });
            version
        };
        let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        status.version = version;
        status.errors.clear();
        status.generation += 1;
        self.wake.notify_all();
    }

    /// Keeps the site as it is and tells the open pages what is wrong.
    fn fail(&self, errors: Vec<Diagnostic>) {
        let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        status.errors = errors;
        status.generation += 1;
        self.wake.notify_all();
    }
}

/// Runs the preview until Ctrl-C. Returns the exit status.
pub fn run(options: Options) -> i32 {
    let root = match std::fs::canonicalize(&options.root) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot open the handbook folder {}: {e}", options.root.display());
            return 2;
        }
    };
    let (listener, note) = match listen(options.bind, options.port) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let address = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if let Some(note) = note {
        println!("{note}");
    }

    let started = Instant::now();
    let mut builder = Builder::new(&root);
    let shared = Arc::new(Shared::new(first_version()));
    match builder.full() {
        Outcome::Built { files, warnings, .. } => {
            let count = files.len();
            shared.publish(files);
            for w in &warnings {
                eprintln!("{w}");
            }
            println!("Built the site ({count} files) in {} ms", started.elapsed().as_millis());
        }
        Outcome::Failed(diagnostics) => {
            diagnostics.print();
            eprintln!(
                "{}: nothing to show yet. The preview lists them and reloads by itself once they are fixed.",
                diagnostics.summary()
            );
            shared.fail(diagnostics.errors().cloned().collect());
        }
    }

    let server = match tiny_http::Server::from_listener(listener, None) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: cannot serve on {address}: {e}");
            return 2;
        }
    };
    for _ in 0..WORKERS {
        let server = server.clone();
        let shared = shared.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                http::handle(&shared, request);
            }
        });
    }
    let url = browser_url(address);
    println!("Serving {} at {url} (press Ctrl-C to stop)", root.display());
    if address.ip().is_unspecified() || !address.ip().is_loopback() {
        println!("Note: listening on {}: other computers on your network can see this preview.", address.ip());
    }

    let (tx, rx) = mpsc::channel();
    let watcher = match watch::Watcher::start(&root, tx) {
        Ok((w, how)) => {
            println!("Watching handbook.toml, glossary.toml, content/, forms/ and templates/ for changes ({how})");
            Some(w)
        }
        Err(e) => {
            eprintln!("warning: {e}; pages will not update by themselves (restart `handbook serve` after editing)");
            None
        }
    };
    {
        let shared = shared.clone();
        std::thread::spawn(move || rebuild_loop(&shared, builder, watcher, rx));
    }

    let (stop_tx, stop_rx) = mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        eprintln!("warning: cannot catch Ctrl-C ({e})");
    }
    if options.open {
        open_browser(&url);
    }
    let _ = stop_rx.recv();
    server.unblock();
    println!("\nStopped the preview server.");
    0
}

/// The version the first build gets: different on every start, so pages
/// left open from an earlier run reload.
fn first_version() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(1)
}

/// Binds the port asked for, or without `--port` the first free one from
/// DEFAULT_PORT; returns a note when that was not DEFAULT_PORT.
fn listen(bind: IpAddr, port: Option<u16>) -> Result<(TcpListener, Option<String>), String> {
    if let Some(port) = port {
        return TcpListener::bind((bind, port)).map(|l| (l, None)).map_err(|e| {
            if e.kind() == ErrorKind::AddrInUse {
                format!(
                    "port {port} is already in use on {bind} (another `handbook serve`, or another program); stop it, or choose another port with --port"
                )
            } else {
                format!("cannot listen on port {port} of {bind}: {e}")
            }
        });
    }
    let (listener, port) = first_free_port(bind, DEFAULT_PORT, PORTS_TRIED)?;
    let note = (port != DEFAULT_PORT).then(|| format!("Port {DEFAULT_PORT} is in use, so the preview uses port {port} instead."));
    Ok((listener, note))
}

fn first_free_port(bind: IpAddr, from: u16, count: u16) -> Result<(TcpListener, u16), String> {
    for port in from..from.saturating_add(count) {
        match TcpListener::bind((bind, port)) {
            Ok(l) => return Ok((l, port)),
            Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
            Err(e) => return Err(format!("cannot listen on port {port} of {bind}: {e}")),
        }
    }
    Err(format!("ports {from} to {} are all in use on {bind}; choose one with --port", from.saturating_add(count - 1)))
}

/// The address to open in a browser (an "any address" bind is reached via localhost).
fn browser_url(address: SocketAddr) -> String {
    if address.ip().is_unspecified() { format!("http://localhost:{}/", address.port()) } else { format!("http://{address}/") }
}

/// Best effort: the system's way of opening a URL.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("Could not open a browser ({e}); open {url} yourself."),
    }
}

/// Waits for changes and rebuilds, one batch at a time.
fn rebuild_loop(shared: &Shared, mut builder: Builder, mut watcher: Option<watch::Watcher>, rx: Receiver<watch::Batch>) {
    while let Ok(batch) = rx.recv() {
        let mut paths = batch.paths;
        let mut first = batch.first;
        while let Ok(more) = rx.try_recv() {
            paths.extend(more.paths);
            first = first.min(more.first);
        }
        paths.sort();
        paths.dedup();
        if let Some(w) = watcher.as_mut()
            && let Err(e) = w.watch_all()
        {
            eprintln!("warning: watching for changes: {e}");
        }
        let started = Instant::now();
        let outcome = match builder.plan(&paths) {
            Plan::Nothing => continue,
            Plan::Pages(pages) => {
                let current = shared.site();
                match builder.pages(&pages, &current.files) {
                    Some(outcome) => outcome,
                    None => builder.full(),
                }
            }
            Plan::Full => builder.full(),
        };
        let what = describe(&paths);
        match outcome {
            Outcome::Built { files, pages, warnings } => {
                shared.publish(files);
                let took = started.elapsed();
                let since_save = first.elapsed();
                let scope = match pages {
                    Some(1) => "1 page".to_string(),
                    Some(n) => format!("{n} pages"),
                    None => "the whole site".to_string(),
                };
                println!(
                    "{what} changed: rebuilt {scope} in {:.1} ms, reload sent {} ms after the save",
                    took.as_secs_f64() * 1000.0,
                    since_save.as_millis()
                );
                for w in warnings.iter().filter(|w| paths.contains(&w.path)) {
                    eprintln!("{w}");
                }
            }
            Outcome::Failed(diagnostics) => {
                eprintln!(
                    "{what} changed: {}; still serving the last good version (checked in {:.1} ms)",
                    diagnostics.summary(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
                for d in diagnostics.errors() {
                    eprintln!("{d}");
                }
                shared.fail(diagnostics.errors().cloned().collect());
            }
        }
    }
}

fn describe(paths: &[String]) -> String {
    match paths {
        [] => "nothing".into(),
        [one] => one.clone(),
        [one, rest @ ..] => format!("{one} and {} other file{}", rest.len(), if rest.len() == 1 { "" } else { "s" }),
    }
}

/// What the preview shows before the handbook has ever built: the live
/// script lists the errors over it and reloads once they are fixed.
pub(crate) fn no_site_page(errors: &[Diagnostic], version: &str) -> String {
    let items: String =
        errors.iter().map(|d| format!("<li><code>{}</code></li>\n", crate::markdown::escape(&d.to_string()))).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'\">\n\
         <title>The handbook has errors</title>\n<link rel=\"stylesheet\" href=\"/__handbook/live.css\">\n\
         <script src=\"/__handbook/live.js?v={version}&amp;errors=1\"></script>\n</head>\n<body class=\"handbook-live-empty\">\n<main>\n\
         <h1>The handbook has errors</h1>\n<p>Nothing can be shown until they are fixed. They are listed here and in the terminal; \
         save the fixed files and this page reloads by itself.</p>\n<ul>\n{items}</ul>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_moves_on_to_the_next() {
        let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        if port == u16::MAX {
            return;
        }
        match first_free_port("127.0.0.1".parse().unwrap(), port, 20) {
            Ok((_, chosen)) => assert!(chosen > port, "{chosen} after {port}"),
            Err(e) => panic!("{e}"),
        }
        let err = listen("127.0.0.1".parse().unwrap(), Some(port)).unwrap_err();
        assert!(err.contains(&format!("port {port} is already in use")), "{err}");
    }

    #[test]
    fn change_wakes_waiters_and_publish_bumps_the_version() {
        let shared = Shared::new(10);
        let (g0, json) = shared.wait_for_change(None, Duration::ZERO).unwrap();
        assert!(json.contains("\"version\":\"10\""), "{json}");
        assert!(shared.wait_for_change(Some(g0), Duration::from_millis(10)).is_none());
        shared.publish(Files::new());
        let (_, json) = shared.wait_for_change(Some(g0), Duration::ZERO).unwrap();
        assert!(json.contains("\"version\":\"11\"") && json.contains("\"errors\":[]"), "{json}");
        assert_eq!(shared.site().version, 11);
    }
}
