//! `handbook serve` run for real: the binary on a free port against a temp
//! handbook made with `handbook new`, spoken to over raw TCP (so paths such
//! as `/../x` reach the server exactly as written).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_handbook");
const TODAY: &str = "2026-11-01";
const PAGE: &str = "content/lead-professional/what-it-is.md";
const PAGE_URL: &str = "/lead-professional/what-it-is.html";
/// Generous: a loaded CI machine with 2 cores is slow, but a change must not take longer than this.
const PATIENCE: Duration = Duration::from_secs(15);

/// A copy of the test handbook (tests/fixtures/handbook).
fn new_handbook() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hb");
    common::copy_dir(&common::test_handbook(), &root);
    (dir, root)
}

/// The server process; killed when dropped, also when a test panics.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut s = into.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_args(root, &[], env)
    }

    /// With more command-line options (`--allow-host`, `--bind`).
    fn start_args(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--port", "0"]).args(args).arg("--root").arg(root).env("HANDBOOK_TODAY", TODAY);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), stdout.clone());
        collect(child.stderr.take().unwrap(), stderr.clone());
        let mut server = Server { child, addr: "127.0.0.1:1".parse().unwrap(), stdout, stderr };
        let deadline = Instant::now() + PATIENCE;
        loop {
            let out = server.stdout();
            if let Some(line) = out.lines().find(|l| l.starts_with("Serving ")) {
                let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("an address");
                server.addr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
                // The watcher is ready once it says so.
                if out.contains("Watching ") {
                    return server;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited with {status}: {}{}", server.stdout(), server.stderr());
            }
            assert!(Instant::now() < deadline, "serve did not start: {}{}", server.stdout(), server.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn request(&self, raw: &[u8]) -> Response {
        request(self.addr, raw)
    }

    fn get(&self, path: &str) -> Response {
        self.request(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
    }

    fn text(&self, path: &str) -> String {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        r.text()
    }

    fn wait_for_output(&self, what: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let all = format!("{}{}", self.stdout(), self.stderr());
            if all.contains(what) {
                return all;
            }
            assert!(Instant::now() < deadline, "no `{what}` in the terminal:\n{all}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str).unwrap_or("")
    }
}

fn request(addr: SocketAddr, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> Response {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no response: {bytes:?}"));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers: HashMap<String, String> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    let mut body = bytes[end + 4..].to_vec();
    if headers.get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        body = unchunk(&body);
    }
    Response { status, headers, body }
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = data.windows(2).position(|w| w == b"\r\n") else { return out };
        let size = usize::from_str_radix(std::str::from_utf8(&data[..nl]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[nl + 2..nl + 2 + size]);
        data = &data[nl + 2 + size + 2..];
    }
}

/// A subscription to the live-reload event stream, as a page's script has.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(server: &Server) -> Events {
        Events::connect_to(server.addr)
    }

    fn connect_to(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(b"GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut content_type = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-type:") {
                content_type = line.clone();
            }
            if line == "\r\n" {
                break;
            }
        }
        assert!(content_type.contains("text/event-stream"), "{content_type}");
        Events { reader }
    }

    /// The next `state` event's data.
    fn next(&mut self) -> serde_json::Value {
        self.next_within(PATIENCE)
    }

    fn next_within(&mut self, patience: Duration) -> serde_json::Value {
        let deadline = Instant::now() + patience;
        let mut event = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            let left = deadline.checked_duration_since(Instant::now()).expect("an event before the timeout");
            self.reader.get_ref().set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
            let n = self.reader.read_line(&mut line).expect("an event before the timeout");
            assert!(n > 0, "the event stream closed");
            let l = line.trim_end();
            if let Some(name) = l.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = l.strip_prefix("data: ")
                && event == "state"
            {
                return serde_json::from_str(data).unwrap();
            }
        }
    }

    /// Waits for a state that is not `version` (a new site is in place).
    fn next_version(&mut self, version: &str) -> serde_json::Value {
        loop {
            let state = self.next();
            if state["version"] != version {
                return state;
            }
        }
    }
}

fn version(state: &serde_json::Value) -> String {
    state["version"].as_str().unwrap().to_string()
}

/// Polls until `f` holds.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn replace_in(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn build(root: &Path, out: &Path) {
    let r = Command::new(BIN)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("HANDBOOK_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

fn after_head(html: &str) -> &str {
    &html[html.find("</head>").expect("a head")..]
}

#[test]
fn pages_content_types_folders_head_and_methods() {
    let (_tmp, root) = new_handbook();
    std::fs::create_dir_all(root.join("content/files")).unwrap();
    let png = b"\x89PNG\r\n\x1a\n fake image bytes";
    std::fs::write(root.join("content/files/chart.png"), png).unwrap();
    std::fs::write(root.join("content/files/leaflet.pdf"), b"%PDF-1.4 fake").unwrap();
    std::fs::write(root.join("content/files/plan.svg"), b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let server = Server::start(&root);
    let out = tempfile::tempdir().unwrap();
    build(&root, &out.path().join("site"));
    let site = out.path().join("site");

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), "no-store");
    let html = home.text();
    assert!(html.contains("<script src=\"/__handbook/live.js?v="), "the live script is added");
    // The policy is escaped as in the built page (&#39; is ').
    let policy = html.replace("&#39;", "'");
    assert!(
        policy.contains("connect-src 'self'") && !policy.contains("connect-src 'none'"),
        "the policy allows the event stream"
    );
    assert!(!html.contains("unsafe-inline"));
    // Apart from the added script and policy, the page is the built page.
    let built = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert_eq!(after_head(&html), after_head(&built));

    for (path, kind) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/nav.js", "text/javascript; charset=utf-8"),
        ("/files/chart.png", "image/png"),
        ("/files/leaflet.pdf", "application/pdf"),
        ("/files/plan.svg", "image/svg+xml"),
        ("/__handbook/live.js", "text/javascript; charset=utf-8"),
        ("/__handbook/live.css", "text/css; charset=utf-8"),
        ("/__handbook/status", "application/json"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), kind, "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        if !path.starts_with("/__handbook/") {
            assert_eq!(r.body, std::fs::read(site.join(&path[1..])).unwrap(), "{path} is served as built");
        }
    }

    // A folder: redirected to its slash, then its index.html.
    let r = server.get("/lead-professional?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), "/lead-professional/?x=1");
    let folder = server.text("/lead-professional/");
    assert_eq!(folder, server.text("/lead-professional/index.html"));
    assert!(folder.contains("<h1"));

    // HEAD: the headers of GET, no body.
    let head =
        server.request(b"HEAD /lead-professional/what-it-is.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let get = server.get(PAGE_URL);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(head.header("content-length"), get.body.len().to_string());

    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = server.request(
            format!("{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), "GET, HEAD", "{method}");
    }

    // A missing page: the site's own 404 page, with status 404, working at any depth.
    for path in ["/no-such-page.html", "/lead-professional/gone/deeper.html"] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), "text/html; charset=utf-8");
        let body = r.text();
        assert!(body.contains("Page not found"), "{body}");
        assert!(body.contains("<base href=\"/\">") && body.contains("base-uri &#39;self&#39;"), "relative links still work");
        assert!(body.contains("/__handbook/live.js"));
    }
}

#[test]
fn every_way_out_of_the_site_is_refused() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let secret = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    let marker = secret.lines().find(|l| l.starts_with("authority")).unwrap().to_string();
    // (path as sent, status): 400 for every trick, 404 for plain names that are not in the site.
    let attempts: Vec<(&[u8], u16)> = vec![
        (b"/../handbook.toml", 400),
        (b"/assets/../../handbook.toml", 400),
        (b"/%2e%2e/handbook.toml", 400),
        (b"/%2E%2E/%2e%2e/handbook.toml", 400),
        (b"/.%2e/handbook.toml", 400),
        (b"/a%2f..%2f..%2fhandbook.toml", 400),
        (b"/assets%2F..%2F..%2Fhandbook.toml", 400),
        (b"/..%5chandbook.toml", 400),
        (b"/..\\handbook.toml", 400),
        (b"/assets\\..\\..\\handbook.toml", 400),
        (b"//etc/passwd", 400),
        (b"/index.html%00", 400),
        (b"/index.html%00.png", 400),
        (b"/index\0.html", 400),
        (b"/%c0%ae%c0%ae/handbook.toml", 400),
        (b"/etc/passwd", 404),
        (b"/content/index.md", 404),
        (b"/handbook.toml", 404),
    ];
    for (path, expected) in attempts {
        let mut raw = b"GET ".to_vec();
        raw.extend_from_slice(path);
        raw.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let r = server.request(&raw);
        let shown = String::from_utf8_lossy(path);
        assert_eq!(r.status, expected, "{shown}");
        let body = r.text();
        assert!(!body.contains(&marker), "{shown} served handbook.toml");
        assert!(!body.contains("root:x:0"), "{shown} served /etc/passwd");
    }
    // The server is still up and well.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_body_edit_is_served_and_the_reload_comes_only_after_it() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let mut events = Events::connect(&server);
    let first = events.next();
    assert_eq!(first["errors"], serde_json::json!([]));
    let v0 = version(&first);
    assert!(server.text(PAGE_URL).contains(&format!("live.js?v={v0}")), "pages carry the version they came from");

    for round in 1..=3 {
        let text = format!("Freshly edited sentence number {round}.");
        replace_in(&root, PAGE, "The role matters when", &format!("{text} The role matters when"));
        let state = events.next_version(&v0);
        // The signal came: the page must already be the new one.
        let page = server.text(PAGE_URL);
        assert!(page.contains(&text), "round {round}: the reload came before the new page was served");
        assert!(page.contains(&format!("live.js?v={}", version(&state))));
    }
    let out = server.wait_for_output("rebuilt 1 page in");
    assert!(out.contains("content/lead-professional/what-it-is.md changed: rebuilt 1 page in"), "{out}");
    assert!(out.contains("ms after the save"), "{out}");

    // The one-page re-render gives exactly what a full build gives.
    let built = tempfile::tempdir().unwrap();
    build(&root, &built.path().join("site"));
    let expected = std::fs::read_to_string(built.path().join("site/lead-professional/what-it-is.html")).unwrap();
    assert_eq!(after_head(&server.text(PAGE_URL)), after_head(&expected));
}

#[test]
fn navigation_changes_and_new_pages_rebuild_the_whole_site() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());

    replace_in(&root, PAGE, "title = \"What a Lead Professional does\"", "title = \"The Lead Professional job description\"");
    let v1 = version(&events.next_version(&v0));
    // Another page's navigation shows the new title.
    assert!(server.text("/lead-professional/how-chosen.html").contains("The Lead Professional job description"));
    server.wait_for_output("rebuilt the whole site");

    std::fs::write(root.join("content/lead-professional/new-page.md"), "+++\ntitle = \"A new page\"\n+++\n\nBrand new words.\n")
        .unwrap();
    let v2 = version(&events.next_version(&v1));
    assert!(server.text("/lead-professional/new-page.html").contains("Brand new words."));

    std::fs::remove_file(root.join("content/lead-professional/new-page.md")).unwrap();
    events.next_version(&v2);
    assert_eq!(server.get("/lead-professional/new-page.html").status, 404);

    // A handbook's own template, made while serving, is used.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let default_404 = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/404.html")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        // The words are in templates/lang/en.toml; the template places them.
        default_404.replace("{{ t.not_found.typed }}", "Custom words: if you typed"),
    )
    .unwrap();
    eventually("the new 404 template", || server.get("/missing.html").text().contains("Custom words"));
}

#[test]
fn saving_by_renaming_over_the_original_is_seen() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let mut events = Events::connect(&server);
    let mut v = version(&events.next());
    let path = root.join(PAGE);

    // vim, VS Code and others: write a temp file beside it, rename it over the original.
    let text =
        std::fs::read_to_string(&path).unwrap().replace("The role matters when", "Renamed-over text. The role matters when");
    let tmp = root.join("content/lead-professional/.what-it-is.md.tmp1234");
    std::fs::write(&tmp, &text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    v = version(&events.next_version(&v));
    assert!(server.text(PAGE_URL).contains("Renamed-over text."));

    // JetBrains "safe write": new file, original moved aside, new file renamed in, old one deleted.
    let text = text.replace("Renamed-over text.", "Safe-write text.");
    let new = root.join("content/lead-professional/what-it-is.md___jb_tmp___");
    let old = root.join("content/lead-professional/what-it-is.md___jb_old___");
    std::fs::write(&new, &text).unwrap();
    std::fs::rename(&path, &old).unwrap();
    std::fs::rename(&new, &path).unwrap();
    std::fs::remove_file(&old).unwrap();
    events.next_version(&v);
    assert!(server.text(PAGE_URL).contains("Safe-write text."));
    // The editor's temp files never became part of the site.
    assert_eq!(server.get("/lead-professional/what-it-is.md___jb_tmp___").status, 404);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_errors_until_fixed() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());
    let good = server.text(PAGE_URL);

    // A broken link in a page body.
    let original = std::fs::read_to_string(root.join(PAGE)).unwrap();
    let line = original.lines().position(|l| l.starts_with("The role matters when")).unwrap() + 1;
    replace_in(&root, PAGE, "The role matters when", "BROKEN-MARKER [see this](no-such-page.md). The role matters when");
    let state = events.next();
    assert_eq!(version(&state), v0, "no new site after a broken edit");
    let errors = state["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{state}");
    assert_eq!(errors[0]["path"], PAGE);
    assert_eq!(errors[0]["line"], line);
    assert!(errors[0]["message"].as_str().unwrap().contains("no-such-page.md"), "{state}");
    // The last good page is still served, and the errors are there for the overlay.
    assert_eq!(server.text(PAGE_URL), good);
    let status: serde_json::Value = serde_json::from_str(&server.text("/__handbook/status")).unwrap();
    assert_eq!(status["errors"], state["errors"]);
    server.wait_for_output("still serving the last good version");
    let terminal = server.wait_for_output(&format!("{PAGE}:{line}:"));
    let reported = terminal.lines().find(|l| l.starts_with(&format!("{PAGE}:{line}:"))).unwrap();
    assert!(reported.contains("error: broken link") && reported.contains("no-such-page.md"), "{terminal}");

    // A second, different breakage: handbook.toml that is not TOML. Still the same site.
    let settings = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    std::fs::write(root.join("handbook.toml"), settings.replacen("title = ", "title = = ", 1)).unwrap();
    let state = events.next();
    assert_eq!(version(&state), v0);
    let errors = state["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["path"] == "handbook.toml" && e["line"] == 4), "{state}");
    assert_eq!(server.text(PAGE_URL), good);
    server.wait_for_output("handbook.toml:4:");

    // Fixing both: a new site, no errors, the page has the fixed text.
    std::fs::write(root.join("handbook.toml"), &settings).unwrap();
    replace_in(&root, PAGE, "BROKEN-MARKER [see this](no-such-page.md).", "FIXED-MARKER.");
    let fixed = loop {
        let s = events.next();
        if s["errors"].as_array().unwrap().is_empty() {
            break s;
        }
    };
    assert_ne!(version(&fixed), v0);
    assert!(server.text(PAGE_URL).contains("FIXED-MARKER."));
    let status: serde_json::Value = serde_json::from_str(&server.text("/__handbook/status")).unwrap();
    assert_eq!(status["errors"], serde_json::json!([]));
}

#[test]
fn a_handbook_broken_from_the_start_shows_its_errors_then_the_site_once_fixed() {
    let (_tmp, root) = new_handbook();
    replace_in(&root, PAGE, "The role matters when", "[broken](nowhere.md) The role matters when");
    let server = Server::start(&root);
    let r = server.get(PAGE_URL);
    assert_eq!(r.status, 503);
    assert!(r.text().contains("nowhere.md") && r.text().contains("/__handbook/live.js"), "{}", r.text());
    replace_in(&root, PAGE, "[broken](nowhere.md) ", "");
    eventually("the site once fixed", || server.get(PAGE_URL).status == 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (_tmp, root) = new_handbook();
    let mut child = Command::new(BIN)
        .args(["serve", "--port", &port, "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not stop on a port in use");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("port {port} is already in use")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn two_hundred_parallel_requests_are_all_answered() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let paths = ["/", PAGE_URL, "/assets/style.css", "/lead-professional/", "/search.html", "/missing.html", "/assets/nav.js"];
    let results: Vec<(String, u16, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..200)
            .map(|i| {
                let path = paths[i % paths.len()];
                let addr = server.addr;
                s.spawn(move || {
                    let r =
                        request(addr, format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes());
                    (path.to_string(), r.status, r.body.len())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.len(), 200);
    for (path, status, len) in results {
        let expected = if path == "/missing.html" { 404 } else { 200 };
        assert_eq!(status, expected, "{path}");
        assert!(len > 0, "{path} had an empty body");
    }
}

#[test]
fn the_polling_watcher_sees_edits_too() {
    let (_tmp, root) = new_handbook();
    let server = Server::start_with(&root, &[("HANDBOOK_POLL", "1")]);
    assert!(server.stdout().contains("polling every"), "{}", server.stdout());
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());
    replace_in(&root, PAGE, "The role matters when", "Polled edit. The role matters when");
    events.next_version(&v0);
    assert!(server.text(PAGE_URL).contains("Polled edit."));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let (_tmp, root) = new_handbook();
    let mut server = Server::start(&root);
    let _events = Events::connect(&server);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    server.wait_for_output("Stopped the preview server.");
}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let (_tmp, root) = new_handbook();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&root, &site);
    let mut html = 0;
    for entry in walk(&site) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__handbook"), "{} mentions the preview server", entry.display());
        assert!(!text.contains("live.js") && !text.contains("EventSource"), "{} has live reload", entry.display());
        if entry.extension().is_some_and(|e| e == "html") {
            html += 1;
            assert!(text.contains("connect-src &#39;none&#39;") || text.contains("connect-src 'none'"), "{}", entry.display());
        }
    }
    assert!(html > 10);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_browser_with_the_address() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, root) = new_handbook();
    // A stand-in for xdg-open that notes what it was asked to open.
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = tmp.path().join("opened.txt");
    let script = bin.join("xdg-open");
    std::fs::write(&script, format!("#!/bin/sh\necho \"$@\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--open", "--port", "0", "--root"]).arg(&root).env("PATH", path);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut server =
        Server { child, addr: "127.0.0.1:1".parse().unwrap(), stdout: Default::default(), stderr: Default::default() };
    collect(server.child.stdout.take().unwrap(), server.stdout.clone());
    collect(server.child.stderr.take().unwrap(), server.stderr.clone());
    let out = server.wait_for_output("Watching ");
    let url = out.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap().to_string();
    eventually("the browser to be opened", || std::fs::read_to_string(&opened).is_ok_and(|s| s.trim() == url));
}

/// One response read from a connection that stays open (keep-alive):
/// the head, then exactly Content-Length bytes.
fn read_response(reader: &mut BufReader<TcpStream>) -> Response {
    let mut head = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("a response before the timeout");
        assert!(n > 0, "the connection closed before the response");
        head.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    let mut response = parse_response(&head);
    let length: usize = response.header("content-length").parse().expect("a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    response.body = body;
    response
}

fn with_host(path: &str, host: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn only_this_computers_names_and_addresses_are_answered() {
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let port = server.addr.port();
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "LocalHost.".to_string(),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
        // Any IP address: no name is looked up, so none can be rebound to this computer.
        "192.168.1.20:8000".to_string(),
        "handbook.localhost".to_string(),
        // Port forwarding changes the port; it is not compared.
        "localhost:9999".to_string(),
    ] {
        let r = server.request(&with_host(PAGE_URL, &host));
        assert_eq!(r.status, 200, "Host: {host}");
    }
    // What a DNS-rebinding page sends: its own name, pointed at 127.0.0.1.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost.evil.example".to_string(),
        "127.0.0.1.evil.example".to_string(),
        "localhost@evil.example".to_string(),
        "my-laptop".to_string(),
        "[::1".to_string(),
        "".to_string(),
    ] {
        for path in [PAGE_URL, "/", "/__handbook/status", "/__handbook/events", "/assets/style.css", "/missing.html"] {
            let r = server.request(&with_host(path, &host));
            assert_eq!(r.status, 403, "Host: {host} {path}");
            let body = r.text();
            assert!(!body.contains("Lead Professional"), "Host: {host} {path} leaked the site");
            assert!(!body.contains("\"version\""), "Host: {host} {path} leaked the status");
        }
    }
    // The refusal says what to do, with the name escaped.
    let r = server.request(&with_host("/", "evil.example"));
    assert_eq!(r.header("content-type"), "text/html; charset=utf-8");
    let body = r.text();
    assert!(body.contains("--allow-host evil.example"), "{body}");
    assert!(body.contains(&format!("http://localhost:{port}/")), "{body}");
    let r = server.request(&with_host("/", "<b>x"));
    assert_eq!(r.status, 403);
    assert!(!r.text().contains("<b>"), "{}", r.text());
    server.wait_for_output("Refused a request for `evil.example`");
    // An absolute URL names the host itself, whatever the Host header says.
    let r = server.request(b"GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 403);
    // No Host at all (HTTP/1.0 allows that; browsers always send one).
    let r = server.request(b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("Host"), "{}", r.text());
    // The server is still well.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn allow_host_and_a_bind_name_add_names() {
    let (_tmp, root) = new_handbook();
    let server = Server::start_args(&root, &["--bind", "localhost", "--allow-host", "My-Laptop.lan"], &[]);
    assert!(server.addr.ip().is_loopback(), "{}", server.addr);
    for host in ["my-laptop.lan", "MY-LAPTOP.LAN:8000", "localhost"] {
        assert_eq!(server.request(&with_host("/", host)).status, 200, "Host: {host}");
    }
    assert_eq!(server.request(&with_host("/", "other.lan")).status, 403);

    for bad in ["http://my-laptop.lan", "my-laptop.lan:8000", "two words", ""] {
        let out = Command::new(BIN).args(["serve", "--port", "0", "--allow-host", bad, "--root"]).arg(&root).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--allow-host {bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-host"), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = Command::new(BIN).args(["serve", "--port", "0", "--bind", "no such name!", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bind"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[cfg(target_os = "linux")]
fn threads(server: &Server) -> usize {
    std::fs::read_dir(format!("/proc/{}/task", server.child.id())).unwrap().count()
}

/// Browsers open six connections per host, keep them open, and hold one
/// more for each open page's event stream: 64 at once, a mix of both, are
/// all answered, the streams all hear of a change, and the server's
/// threads do not grow with them.
#[cfg(target_os = "linux")]
#[test]
fn sixty_four_keep_alive_connections_and_event_streams_are_all_answered() {
    const STREAMS: usize = 16;
    const PAGES: usize = 48;
    const ROUNDS: usize = 3;
    let (_tmp, root) = new_handbook();
    let server = Server::start(&root);
    let idle = threads(&server);
    let addr = server.addr;
    let paths = ["/", PAGE_URL, "/assets/style.css", "/lead-professional/", "/search.html", "/assets/nav.js"];

    // Every connection is open before any request is sent.
    let mut pages: Vec<BufReader<TcpStream>> = (0..PAGES)
        .map(|_| {
            let stream = TcpStream::connect(addr).unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            BufReader::new(stream)
        })
        .collect();
    let mut streams: Vec<Events> = (0..STREAMS).map(|_| Events::connect_to(addr)).collect();
    let v0 = version(&streams[0].next());
    for s in &mut streams[1..] {
        assert_eq!(version(&s.next()), v0);
    }
    // Each page connection asks for three files, one after another, on the same connection.
    let started = Instant::now();
    let answered: Vec<(usize, Vec<u16>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .iter_mut()
            .enumerate()
            .map(|(i, reader)| {
                scope.spawn(move || {
                    let mut statuses = Vec::new();
                    for round in 0..ROUNDS {
                        let path = paths[(i + round) % paths.len()];
                        let raw = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        reader.get_mut().write_all(raw.as_bytes()).unwrap();
                        let r = read_response(reader);
                        assert!(!r.body.is_empty(), "{path}");
                        statuses.push(r.status);
                    }
                    (i, statuses)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let took = started.elapsed();
    assert_eq!(answered.len(), PAGES);
    for (i, statuses) in answered {
        assert_eq!(statuses, vec![200; ROUNDS], "connection {i}");
    }
    // Still all open: the threads did not grow with the connections.
    let busy = threads(&server);
    eprintln!(
        "{PAGES} keep-alive connections x {ROUNDS} requests and {STREAMS} event streams: {took:?}; threads {idle} idle, {busy} with 64 connections open"
    );
    assert!(busy <= idle + 2, "threads grew from {idle} to {busy} with the connections");
    assert!(busy < 24, "{busy} threads");

    // Every stream hears of an edit, and every connection still answers.
    replace_in(&root, PAGE, "The role matters when", "Sixty-four connections. The role matters when");
    for s in &mut streams {
        s.next_version(&v0);
    }
    for reader in &mut pages {
        reader.get_mut().write_all(format!("GET {PAGE_URL} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes()).unwrap();
        assert!(read_response(reader).text().contains("Sixty-four connections."));
    }
    assert!(threads(&server) <= idle + 2);
}

#[test]
fn a_panicking_rebuild_is_reported_and_the_last_good_site_stays_up() {
    let (_tmp, root) = new_handbook();
    let trigger = "content/panic-now.txt";
    let mut server = Server::start_with(&root, &[("HANDBOOK_TEST_PANIC", trigger)]);
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());
    let good = server.text(PAGE_URL);

    std::fs::write(root.join(trigger), "this file makes every build panic (tests only)").unwrap();
    let state = events.next();
    assert_eq!(version(&state), v0, "no new site after a panic");
    let errors = state["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{state}");
    assert_eq!(errors[0]["path"], trigger);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("handbook failed while building") && message.contains("HANDBOOK_TEST_PANIC"), "{message}");
    let terminal = server.wait_for_output("handbook failed while building");
    assert!(terminal.contains("still serving the last good version"), "{terminal}");
    assert!(!terminal.contains("panicked at"), "the panic is reported as an error, not a crash: {terminal}");
    assert!(server.child.try_wait().unwrap().is_none(), "serve is still running");
    assert_eq!(server.text(PAGE_URL), good);

    // Fixed: the next change rebuilds everything and the site comes back.
    std::fs::remove_file(root.join(trigger)).unwrap();
    replace_in(&root, PAGE, "The role matters when", "After the panic. The role matters when");
    let fixed = loop {
        let s = events.next();
        if version(&s) != v0 && s["errors"].as_array().unwrap().is_empty() {
            break s;
        }
    };
    assert!(server.text(PAGE_URL).contains("After the panic."), "{fixed}");
}

#[test]
fn a_panic_in_the_first_build_leaves_serve_running_and_showing_it() {
    let (_tmp, root) = new_handbook();
    let trigger = "content/panic-now.txt";
    std::fs::write(root.join(trigger), "panic").unwrap();
    let mut server = Server::start_with(&root, &[("HANDBOOK_TEST_PANIC", trigger)]);
    let r = server.get(PAGE_URL);
    assert_eq!(r.status, 503);
    assert!(r.text().contains("handbook failed while building"), "{}", r.text());
    assert!(server.child.try_wait().unwrap().is_none());
    std::fs::remove_file(root.join(trigger)).unwrap();
    eventually("the site once the cause is gone", || server.get(PAGE_URL).status == 200);
}

/// A decision tree whose questions form one long chain (closed into a
/// loop, so it is also an error) used to overflow the rebuild thread's
/// stack and kill `serve`. Now it is reported like any error.
#[test]
fn a_decision_tree_of_5000_chained_questions_never_kills_serve() {
    let (_tmp, root) = new_handbook();
    let mut server = Server::start(&root);
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());
    let good = server.text(PAGE_URL);
    let n = 5000;
    let mut tree = String::from("title = \"A long chain\"\nstart = \"q0\"\n");
    for i in 0..n {
        let next = if i + 1 < n { format!("q{}", i + 1) } else { "q0".to_string() };
        tree.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\ntext = \"Question {i}?\"\n[[question.answer]]\nlabel = \"Yes\"\nnext = \"{next}\"\n\
             [[question.answer]]\nlabel = \"No\"\nnext = \"end\"\n"
        ));
    }
    tree.push_str("[[outcome]]\nid = \"end\"\ntitle = \"The end\"\n");
    // Written beside it and renamed into place: one change, one rebuild.
    std::fs::write(root.join("forms/decisions/.chain.toml.tmp"), tree).unwrap();
    std::fs::rename(root.join("forms/decisions/.chain.toml.tmp"), root.join("forms/decisions/chain.toml")).unwrap();
    // Slow in a debug build (the tree checks are not linear yet): patience.
    let slow = Duration::from_secs(300);
    let state = events.next_within(slow);
    assert_eq!(version(&state), v0);
    let errors = state["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["path"] == "forms/decisions/chain.toml"),
        "{}",
        &state.to_string()[..500.min(state.to_string().len())]
    );
    assert!(server.child.try_wait().unwrap().is_none(), "serve died: {}", server.stderr());
    assert_eq!(server.text(PAGE_URL), good);
    std::fs::remove_file(root.join("forms/decisions/chain.toml")).unwrap();
    while version(&events.next_within(slow)) == v0 {}
    assert!(server.text(PAGE_URL).contains("live.js?v="));
}

/// `serve` follows the rule `build` follows for links in content/, and
/// never sends a file from outside the handbook folder.
#[cfg(unix)]
#[test]
fn a_page_replaced_by_a_link_to_a_file_outside_is_never_served() {
    let (tmp, root) = new_handbook();
    let server = Server::start(&root);
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());
    // The same front matter: only the body differs, the case a one-page re-render took.
    let text = std::fs::read_to_string(root.join(PAGE)).unwrap();
    let outside = tmp.path().join("private-notes.md");
    std::fs::write(&outside, text.replace("The role matters when", "SECRET-FROM-OUTSIDE. The role matters when")).unwrap();
    // Made beside it and renamed over it: one change, as an editor saves.
    let link = root.join("content/lead-professional/.link-tmp");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    std::fs::rename(&link, root.join(PAGE)).unwrap();
    let state = events.next();
    let served = server.get(PAGE_URL);
    assert!(!served.text().contains("SECRET-FROM-OUTSIDE"), "serve sent a file from outside the handbook folder");
    // The same verdict as `build` on the same folder.
    let out = tempfile::tempdir().unwrap();
    let build = Command::new(BIN)
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(out.path().join("site"))
        .env("HANDBOOK_TODAY", TODAY)
        .output()
        .unwrap();
    let serve_errors = state["errors"].as_array().unwrap();
    assert_eq!(
        build.status.success(),
        serve_errors.is_empty(),
        "build and serve disagree: {state}\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    if build.status.success() {
        assert_ne!(version(&state), v0);
        let built = out.path().join("site/lead-professional/what-it-is.html");
        assert_eq!(built.exists(), served.status == 200);
    } else {
        assert_eq!(version(&state), v0, "the last good site stays");
    }
    for entry in walk(out.path()) {
        assert!(!std::fs::read_to_string(&entry).unwrap_or_default().contains("SECRET-FROM-OUTSIDE"), "build copied it");
    }

    // A new page that is a link to outside: not served either.
    std::fs::write(tmp.path().join("leak.md"), "+++\ntitle = \"Leak\"\n+++\n\nSECRET-NEW-PAGE\n").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("leak.md"), root.join("content/leak.md")).unwrap();
    eventually("the new link to be seen", || {
        server.stdout().contains("content/leak.md") || server.stderr().contains("content/leak.md")
    });
    assert!(!server.get("/leak.html").text().contains("SECRET-NEW-PAGE"));
}

#[cfg(unix)]
#[test]
fn a_copied_file_outside_the_folder_is_never_sent() {
    let (tmp, root) = new_handbook();
    let server = Server::start(&root);
    let mut events = Events::connect(&server);
    let v0 = version(&events.next());
    let settings = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    std::fs::write(tmp.path().join("secret.png"), b"SECRET-IMAGE-BYTES").unwrap();
    std::fs::create_dir_all(root.join("content/images")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.png"), root.join("content/images/logo.png")).unwrap();
    for logo in ["content/images/logo.png", "../secret.png"] {
        std::fs::write(
            root.join("handbook.toml"),
            settings.replace("# logo = \"content/images/logo.svg\"", &format!("logo = \"{logo}\"")),
        )
        .unwrap();
        let state = loop {
            let s = events.next();
            if !s["errors"].as_array().unwrap().is_empty() {
                break s;
            }
        };
        assert_eq!(version(&state), v0, "logo = {logo}: {state}");
        for path in ["/assets/logo.png", "/", PAGE_URL] {
            assert!(!server.get(path).text().contains("SECRET-IMAGE-BYTES"), "{path} with logo = {logo}");
        }
    }
    server.wait_for_output("outside the handbook folder");
}

#[test]
fn with_publish_path_the_preview_also_answers_under_it_so_the_404_page_links_work() {
    let (_tmp, root) = new_handbook();
    let toml = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    std::fs::write(root.join("handbook.toml"), format!("publish_path = \"/handbook/\"\n{toml}")).unwrap();
    let server = Server::start(&root);
    let missing = server.get("/handbook/a/b/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("href=\"/handbook/assets/style.css\""));
    for path in ["/handbook/assets/style.css", "/handbook/index.html", "/handbook/", "/index.html"] {
        assert_eq!(server.get(path).status, 200, "{path}");
    }
    assert_eq!(server.text("/handbook/lead-professional/"), server.text("/lead-professional/"));
    let r = server.get("/handbook/lead-professional");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), "/handbook/lead-professional/");
}
