//! `handbook serve`: a local preview. Builds the site in memory, serves it
//! with hyper, watches the sources with notify, rebuilds after each
//! change and tells open pages to reload (server-sent events) once the new
//! site is in place. A broken edit leaves the last good site served, and the
//! errors are listed in the terminal and over the open pages.
//!
//! Nothing here is written to disk, and the live-reload script exists only
//! in what this server sends: `build` output never has it.

mod http;
mod rebuild;
mod watch;

use crate::diagnostics::{Diagnostic, Location};
use rebuild::{Builder, Files, Outcome, Plan};
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The script `serve` adds to every HTML page it sends.
pub const LIVE_JS: &str = include_str!("serve/live.js");
/// The look of the error overlay that script shows.
pub const LIVE_CSS: &str = include_str!("serve/live.css");

/// The port tried first when `--port` is not given; the next free one is
/// used when it is taken.
pub const DEFAULT_PORT: u16 = 8000;
const PORTS_TRIED: u16 = 100;

/// The stack of the thread each build runs on, and of the threads it
/// renders pages on in parallel. A stack overflow cannot be caught (it
/// aborts the process), so a deep input (a decision tree of thousands of
/// chained questions, walked recursively) must not reach the end of the
/// stack: a thread's default 2 MiB overflowed at 5,000 questions. This is
/// address space set aside; only the pages touched are really used.
const BUILD_STACK: usize = 256 * 1024 * 1024;
/// Names of the build thread and the render threads (`handbook-build-N`).
const BUILD_THREAD: &str = "handbook-build";

/// What `handbook serve` was asked to do.
pub struct Options {
    pub root: PathBuf,
    pub port: Option<u16>,
    /// An IP address, or a name of this computer (then also allowed as Host).
    pub bind: String,
    /// More names the preview answers to (`--allow-host`).
    pub allow_hosts: Vec<String>,
    pub open: bool,
}

/// One version of the site as served: swapped whole, never changed.
pub struct Snapshot {
    /// Changes with every rebuild; pages carry the version they came from.
    pub version: u64,
    pub files: Files,
    /// False until the first good build: nothing to serve but the errors.
    pub built: bool,
    /// handbook.toml's `publish_path` (other than `/`): the 404 page links
    /// from there, so the preview also answers under it.
    pub mount: Option<String>,
}

/// What the event streams tell the pages.
pub struct Status {
    version: u64,
    errors: Vec<Diagnostic>,
}

/// What the request tasks and the rebuild thread share.
pub struct Shared {
    site: RwLock<Arc<Snapshot>>,
    /// Every change wakes each event stream (a watch channel: a stream
    /// that falls behind sees the latest state, not every one between).
    status: tokio::sync::watch::Sender<Status>,
}

impl Shared {
    fn new(version: u64) -> Shared {
        Shared {
            site: RwLock::new(Arc::new(Snapshot { version, files: Files::new(), built: false, mount: None })),
            status: tokio::sync::watch::Sender::new(Status { version, errors: Vec::new() }),
        }
    }

    /// The site being served now.
    pub fn site(&self) -> Arc<Snapshot> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        self.status.borrow().errors.clone()
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
        Self::json(&self.status.borrow())
    }

    /// Hears of every change of state from now on.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<Status> {
        self.status.subscribe()
    }

    /// Puts a new site in place, and only then tells the open pages.
    #[cfg(test)]
    fn publish(&self, files: Files) {
        self.publish_at(files, None)
    }

    /// Puts a new site in place, also answering under `mount`, and only then tells the open pages.
    fn publish_at(&self, files: Files, mount: Option<String>) {
        let version = {
            let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
            let version = site.version + 1;
            *site = Arc::new(Snapshot { version, files, built: true, mount });
            version
        };
        self.status.send_modify(|status| {
            status.version = version;
            status.errors.clear();
        });
    }

    /// Keeps the site as it is and tells the open pages what is wrong.
    fn fail(&self, errors: Vec<Diagnostic>) {
        self.status.send_modify(|status| status.errors = errors);
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
    if let Some(bad) = options.allow_hosts.iter().find(|h| !http::valid_allow_host(h)) {
        eprintln!(
            "error: --allow-host `{bad}` is not a host name; give a name such as `my-laptop.local`, without `http://` or a port"
        );
        return 2;
    }
    let (bind, bind_name) = match bind_address(&options.bind) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let (listener, note) = match listen(bind, options.port) {
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
    capture_build_panics();
    // Rendering uses rayon's threads: the same deep stack there. (Only
    // fails if the pool already exists, and then it keeps its own.)
    let _ = rayon::ThreadPoolBuilder::new().stack_size(BUILD_STACK).thread_name(|i| format!("{BUILD_THREAD}-{i}")).build_global();

    let started = Instant::now();
    let mut builder = Builder::new(&root);
    let shared = Arc::new(Shared::new(first_version()));
    match guarded(&root, &mut builder, &[], |b| b.full()) {
        Outcome::Built { files, warnings, .. } => {
            let count = files.len();
            shared.publish_at(files, builder.publish_path());
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

    // A fixed number of threads serve every connection and event stream.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(http::THREADS)
        .max_blocking_threads(1)
        .thread_name("handbook-http")
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot serve on {address}: {e}");
            return 2;
        }
    };
    let mut names = options.allow_hosts.clone();
    names.extend(bind_name);
    let hosts = Arc::new(http::Hosts::new(&names, address.port()));
    runtime.spawn(http::accept(listener, shared.clone(), hosts));
    let url = browser_url(address);
    println!("Serving {} at {url} (press Ctrl-C to stop)", root.display());
    if address.ip().is_unspecified() || !address.ip().is_loopback() {
        println!(
            "Note: listening on {}: other computers on your network can see this preview at this computer's IP address \
             (to use its name instead, add --allow-host NAME).",
            address.ip()
        );
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
        std::thread::spawn(move || rebuild_loop(&shared, &root, builder, watcher, rx));
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
    runtime.shutdown_background();
    println!("\nStopped the preview server.");
    0
}

/// The address to listen on, and the name to allow as Host when `--bind`
/// gave a name rather than an address.
fn bind_address(bind: &str) -> Result<(IpAddr, Option<String>), String> {
    if let Ok(ip) = bind.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        return Ok((ip, None));
    }
    if !http::valid_allow_host(bind) {
        return Err(format!("--bind `{bind}` is neither an IP address nor a host name (such as 127.0.0.1 or 0.0.0.0)"));
    }
    let addresses: Vec<SocketAddr> = (bind, 0)
        .to_socket_addrs()
        .map_err(|e| format!("--bind `{bind}`: cannot find this computer's address for that name ({e})"))?
        .collect();
    // IPv4 first: `localhost` is then 127.0.0.1, which every browser reaches.
    let ip = addresses
        .iter()
        .find(|a| a.is_ipv4())
        .or(addresses.first())
        .map(|a| a.ip())
        .ok_or_else(|| format!("--bind `{bind}`: the name has no address"))?;
    Ok((ip, Some(bind.to_string())))
}

/// What the last panic on a build thread said, and where.
static BUILD_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// A panic on a build thread (or a render thread of a build) is noted for
/// the diagnostic that reports it instead of being printed as a crash;
/// other threads keep the usual report.
fn capture_build_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !std::thread::current().name().is_some_and(|n| n.starts_with(BUILD_THREAD)) {
            return previous(info);
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        // The first one: a render thread's panic is raised again on the build thread.
        BUILD_PANIC.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(format!("{message}{at}"));
    }));
}

/// Runs a build on a thread of its own with a large stack, so that neither
/// a panic nor deep recursion takes the server down: a panic becomes an
/// error at the changed file (or handbook.toml), the builder starts afresh
/// (what it kept may be half updated), and the last good site stays up.
fn guarded(root: &Path, builder: &mut Builder, changed: &[String], work: impl FnOnce(&mut Builder) -> Outcome + Send) -> Outcome {
    let test_panic = test_panic(root);
    BUILD_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
    let result = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().name(BUILD_THREAD.into()).stack_size(BUILD_STACK).spawn_scoped(scope, || {
            if test_panic {
                panic!("HANDBOOK_TEST_PANIC asked for a panic");
            }
            work(builder)
        });
        match spawned {
            Ok(handle) => handle.join().map_err(|_| None),
            Err(e) => Err(Some(format!("cannot start a thread to build on ({e})"))),
        }
    });
    result.unwrap_or_else(|why| {
        *builder = Builder::new(root);
        let why = why
            .or_else(|| BUILD_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take())
            .unwrap_or_else(|| "an internal error".into());
        let at = changed.first().map(String::as_str).unwrap_or(crate::config::FILE);
        let mut diagnostics = crate::diagnostics::Diagnostics::default();
        diagnostics.push(Location::new(at, 1, 1).error(format!(
            "handbook failed while building the site after this change ({why}). This is a bug in handbook: \
             please report it with the file that caused it. The preview keeps showing the last version that built."
        )));
        Outcome::Failed(diagnostics)
    })
}

/// For tests only: `HANDBOOK_TEST_PANIC=NAME` makes every build panic while
/// the file NAME (relative to the handbook folder) exists, to show that a
/// panic never stops `serve`. No real handbook sets it.
fn test_panic(root: &Path) -> bool {
    std::env::var_os("HANDBOOK_TEST_PANIC").is_some_and(|name| !name.is_empty() && root.join(name).exists())
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
fn rebuild_loop(
    shared: &Shared,
    root: &Path,
    mut builder: Builder,
    mut watcher: Option<watch::Watcher>,
    rx: Receiver<watch::Batch>,
) {
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
        let plan = builder.plan(&paths);
        if plan == Plan::Nothing {
            continue;
        }
        let current = shared.site();
        let outcome = guarded(root, &mut builder, &paths, |builder| match plan {
            Plan::Pages(pages) => builder.pages(&pages, &current.files).unwrap_or_else(|| builder.full()),
            _ => builder.full(),
        });
        let what = describe(&paths);
        match outcome {
            Outcome::Built { files, pages, warnings } => {
                shared.publish_at(files, builder.publish_path());
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
    fn publish_puts_the_site_in_place_then_wakes_the_streams() {
        let shared = Shared::new(10);
        let mut rx = shared.subscribe();
        assert!(shared.status_json().contains("\"version\":\"10\""), "{}", shared.status_json());
        assert!(!rx.has_changed().unwrap());
        shared.fail(vec![Location::new("a.md", 2, 3).error("wrong")]);
        assert!(rx.has_changed().unwrap());
        assert!(Shared::json(&rx.borrow_and_update()).contains("a.md:2:3: error: wrong"));
        shared.publish(Files::new());
        assert!(rx.has_changed().unwrap());
        let json = Shared::json(&rx.borrow_and_update());
        assert!(json.contains("\"version\":\"11\"") && json.contains("\"errors\":[]"), "{json}");
        assert_eq!(shared.site().version, 11);
        assert!(shared.site().built);
    }

    #[test]
    fn a_panicking_build_becomes_an_error_and_the_builder_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        crate::scaffold::new_handbook(&root).unwrap();
        capture_build_panics();
        let mut builder = Builder::new(&root);
        assert!(matches!(guarded(&root, &mut builder, &[], |b| b.full()), Outcome::Built { .. }));
        let changed = vec!["content/about/index.md".to_string()];
        let Outcome::Failed(d) = guarded(&root, &mut builder, &changed, |_| panic!("on purpose {}", 42)) else {
            panic!("a panic is a failure")
        };
        let text = d.items[0].to_string();
        assert!(text.starts_with("content/about/index.md:1:1: error: handbook failed while building"), "{text}");
        assert!(text.contains("on purpose 42 at src/serve.rs:"), "{text}");
        // Whatever the panic left half done is dropped: the next change rebuilds everything.
        assert_eq!(builder.plan(&changed), Plan::Full);
    }

    #[test]
    fn builds_have_a_deep_stack() {
        // At least 512 bytes a call, kept until the call below returns.
        fn depth(n: u64) -> u64 {
            let pad = std::hint::black_box([n; 64]);
            if n == 0 { 0 } else { std::hint::black_box(depth(n - 1)) + 1 + pad[1] - n }
        }
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Builder::new(dir.path());
        // About 50 MiB of stack: far past a thread's default 2 MiB.
        let outcome = guarded(dir.path(), &mut builder, &[], |_| {
            assert_eq!(depth(100_000), 100_000);
            Outcome::Failed(Default::default())
        });
        assert!(matches!(outcome, Outcome::Failed(d) if d.items.is_empty()));
    }
}
