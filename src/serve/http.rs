//! The preview's HTTP side: hyper on a tokio runtime with a fixed number
//! of threads, whatever the number of connections; turning a request path
//! into a key of the in-memory site (refusing anything that could reach
//! outside it); the Host check; content types; the live-reload script
//! added to HTML; and the event stream.
//!
//! Why not tiny_http (the first choice): it gives every connection a
//! thread of its own for as long as the connection is open, so threads grow
//! with connections, and its pool queues a burst of new connections behind
//! the keep-alive ones it is already holding (a fresh preview answered 4 of
//! 6 simultaneous keep-alive connections). hyper multiplexes every
//! connection, and every event stream, over the runtime's few threads.

use super::{LIVE_CSS, LIVE_JS, Shared};
use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::header::{HOST, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::borrow::Cow;
use std::collections::HashSet;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// URLs under this prefix belong to the preview server, never to the site.
pub const PREFIX: &str = "/__handbook/";
const EVENTS: &str = "/__handbook/events";
const STATUS: &str = "/__handbook/status";
const LIVE_JS_URL: &str = "/__handbook/live.js";
const LIVE_CSS_URL: &str = "/__handbook/live.css";

/// Threads answering requests: every connection and event stream is a
/// task on these, so the count never grows with connections.
pub const THREADS: usize = 2;
/// Connections open at once; more wait (in the system's queue) until one
/// closes. Far more than browsers open (six per host each).
pub const MAX_CONNECTIONS: usize = 256;
/// A connection that sends no request for this long is closed (also the
/// limit for sending a request's headers).
const IDLE: Duration = Duration::from_secs(30);
/// How often an event stream sends a comment line, so a closed connection
/// is noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The names a request's Host may give. A page from another site that
/// points its own name at 127.0.0.1 ("DNS rebinding") sends its own name as
/// Host, so answering only to known names keeps the preview private.
pub struct Hosts {
    names: Vec<String>,
    /// Names already refused, so the terminal says so once per name.
    refused: Mutex<HashSet<String>>,
    /// The port the preview listens on, for the address the refusal suggests.
    port: u16,
}

impl Hosts {
    /// Always allowed: IP addresses (no name is looked up, so nothing can
    /// be rebound), `localhost` and names under `.localhost` (browsers
    /// answer those with the loopback address themselves, RFC 6761), and
    /// `extra` (the `--bind` name and every `--allow-host`).
    pub fn new(extra: &[String], port: u16) -> Hosts {
        Hosts { names: extra.iter().map(|n| normalise(n)).collect(), refused: Mutex::new(HashSet::new()), port }
    }

    /// Whether a Host value (name or address, with or without a port) may
    /// be answered. The port is not compared: a page that rebinds a name
    /// already uses the preview's port, and port forwarding (ssh, Docker)
    /// legitimately changes it.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else { return false };
        if name.parse::<IpAddr>().is_ok() || name.parse::<Ipv6Addr>().is_ok() {
            return true;
        }
        name == "localhost" || name.ends_with(".localhost") || self.names.contains(&name)
    }
}

/// A host name as compared: lower case, without one trailing dot.
fn normalise(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    lower.strip_suffix('.').map(str::to_string).unwrap_or(lower)
}

/// The name or address in a Host value, without its port; `None` when it
/// is not one (empty, spaces, a bracket that does not close).
fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))) {
            return None;
        }
        // A zone (fe80::1%25eth0) is not part of the address.
        let address = inside.split('%').next().unwrap_or(inside);
        return address.parse::<Ipv6Addr>().ok().map(|a| a.to_string());
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            Some(_) => return None,
            None => host,
        }
    };
    let name = normalise(name);
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    valid.then_some(name)
}

/// Whether `name` is fit for `--allow-host`: a host name or an address,
/// without a port or scheme.
pub fn valid_allow_host(name: &str) -> bool {
    let plain = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    plain.parse::<IpAddr>().is_ok() || host_name(name).is_some_and(|n| n == normalise(name))
}

/// Where a request path leads inside the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by its site-relative path.
    File(String),
    /// A folder asked for without its trailing slash: redirect to this URL.
    Redirect(String),
    /// Not in the site.
    Missing,
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath(pub &'static str);

/// The site-relative key of a request path (the part before `?`), or why
/// it is refused: only plain `/`-separated names, no `.` or `..`, no empty
/// segment (`//x`), no backslash, no NUL, no encoded `/` or `\`. The site
/// is a map keyed by these names, so nothing outside it can be reached in
/// any case; refusing the tricks outright keeps that obvious.
pub fn site_key(raw_path: &str) -> Result<(String, bool), BadPath> {
    let Some(rest) = raw_path.strip_prefix('/') else {
        return Err(BadPath("the path must start with /"));
    };
    if raw_path.contains('\\') {
        return Err(BadPath("backslashes are not allowed in paths"));
    }
    if raw_path.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(BadPath("control characters are not allowed in paths"));
    }
    let lower = raw_path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err(BadPath("encoded slashes are not allowed in paths"));
    }
    if rest.is_empty() {
        return Ok((String::new(), true));
    }
    let folder = rest.ends_with('/');
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut parts = Vec::new();
    for raw in rest.split('/') {
        let seg = crate::paths::percent_decode(raw).ok_or(BadPath("the path is not valid percent-encoded UTF-8"))?;
        if seg.is_empty() {
            return Err(BadPath("empty path segments (//) are not allowed"));
        }
        if seg == "." || seg == ".." {
            return Err(BadPath("`.` and `..` are not allowed in paths"));
        }
        if seg.chars().any(|c| c == '\0' || c == '/' || c == '\\' || c.is_control()) {
            return Err(BadPath("the path holds a character that is not allowed"));
        }
        parts.push(seg);
    }
    Ok((parts.join("/"), folder))
}

/// Resolves a request path against the site's files.
pub fn resolve(raw_path: &str, query: Option<&str>, has: impl Fn(&str) -> bool) -> Result<Target, BadPath> {
    let (key, folder) = site_key(raw_path)?;
    if key.is_empty() {
        return Ok(if has("index.html") { Target::File("index.html".into()) } else { Target::Missing });
    }
    if folder {
        let index = format!("{key}/index.html");
        return Ok(if has(&index) { Target::File(index) } else { Target::Missing });
    }
    if has(&key) {
        return Ok(Target::File(key));
    }
    if has(&format!("{key}/index.html")) {
        let mut to = format!("{raw_path}/");
        if let Some(q) = query {
            to.push('?');
            to.push_str(q);
        }
        return Ok(Target::Redirect(to));
    }
    Ok(Target::Missing)
}

/// The Content-Type for a site path, by its extension: mime_guess's table,
/// UTF-8 named for text, and three the table gets wrong for a handbook
/// (`.dot` is Graphviz here, not a Word template; JavaScript and Markdown
/// take their current registered types).
pub fn content_type(path: &str) -> Cow<'static, str> {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let mime = match ext.as_str() {
        "dot" | "gv" => "text/vnd.graphviz",
        "js" | "mjs" => "text/javascript",
        "md" => "text/markdown",
        _ => mime_guess::from_ext(&ext).first_raw().unwrap_or("application/octet-stream"),
    };
    if mime.starts_with("text/") { Cow::Owned(format!("{mime}; charset=utf-8")) } else { Cow::Borrowed(mime) }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() || needle.is_empty() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| p + from)
}

/// The page as the preview serves it: the live-reload script added before
/// `</head>`, and its Content-Security-Policy widened just enough for it
/// (`connect-src 'self'` for the event stream). Inline scripts stay
/// forbidden. The 404 page, served at any depth, gets `<base href="/">` so
/// its relative links still work.
pub fn inject(html: &[u8], version: &str, not_found: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 200);
    let mut rest = 0;
    let script = format!("<script src=\"{LIVE_JS_URL}?v={version}\"></script>\n");
    // The CSP meta tag, if any.
    let mut pos = 0;
    let mut csp_end = None;
    while let Some(start) = find(html, b"<meta", pos) {
        let Some(end) = find(html, b">", start) else { break };
        let tag = &html[start..=end];
        if find(tag, b"content-security-policy", 0).is_some()
            && let Some((a, b)) = attribute_value(tag, b"content")
        {
            let policy = unescape(&String::from_utf8_lossy(&tag[a..b]));
            out.extend_from_slice(&html[..start + a]);
            out.extend_from_slice(crate::markdown::escape(&relax_csp(&policy, not_found)).as_bytes());
            out.extend_from_slice(&html[start + b..=end]);
            rest = end + 1;
            csp_end = Some(end + 1);
            break;
        }
        pos = end + 1;
    }
    if not_found {
        let at = csp_end.or_else(|| find(html, b"<head", 0).and_then(|h| find(html, b">", h).map(|e| e + 1))).unwrap_or(0);
        out.extend_from_slice(&html[rest..at.max(rest)]);
        out.extend_from_slice(b"\n<base href=\"/\">");
        rest = at.max(rest);
    }
    let close = find(html, b"</head>", rest).or_else(|| find(html, b"</body>", rest)).unwrap_or(html.len());
    out.extend_from_slice(&html[rest..close]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[close..]);
    out
}

/// Start and end of an attribute's value within a tag, and its quote.
fn attribute_value(tag: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let mut pos = 0;
    while let Some(at) = find(tag, name, pos) {
        pos = at + name.len();
        let before_ok = at > 0 && tag[at - 1].is_ascii_whitespace();
        let mut i = pos;
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if !before_ok || tag.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *tag.get(i)?;
        if quote == b'"' || quote == b'\'' {
            let end = tag[i + 1..].iter().position(|&c| c == quote)? + i + 1;
            return Some((i + 1, end));
        }
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The page's policy with what the preview needs: its own scripts and
/// styles (`'self'`), connections back to itself, and for the 404 page a
/// `<base>` of `'self'`. Everything else is left as the page had it.
pub fn relax_csp(policy: &str, base: bool) -> String {
    let mut directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            (words.next().unwrap_or_default().to_ascii_lowercase(), words.collect())
        })
        .collect();
    let mut need = vec!["script-src", "style-src", "connect-src"];
    if base {
        need.push("base-uri");
    }
    for name in need {
        match directives.iter_mut().find(|(n, _)| n == name) {
            Some((_, sources)) => {
                sources.retain(|s| s != "'none'");
                if !sources.iter().any(|s| s == "'self'") {
                    sources.push("'self'".into());
                }
            }
            None => directives.push((name.to_string(), vec!["'self'".into()])),
        }
    }
    directives
        .iter()
        .map(|(n, s)| if s.is_empty() { n.clone() } else { format!("{n} {}", s.join(" ")) })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A response body: all of it at once, or an event stream fed by its task.
/// (hyper asks for a type implementing `http_body::Body`; these two cases
/// are a few lines, so no body crate is added for them.)
pub enum Body {
    Full(Option<Bytes>),
    Events(tokio::sync::mpsc::Receiver<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(rx) => rx.poll_recv(cx).map(|next| next.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

fn respond(status: u16, content_type: &str, body: impl Into<Bytes>, extra: &[(&'static str, &str)]) -> Response<Body> {
    let mut response = Response::new(Body::Full(Some(body.into())));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in
        [("content-type", content_type), ("cache-control", "no-store"), ("x-content-type-options", "nosniff")].iter().chain(extra)
    {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(*name, value);
        }
    }
    response
}

fn text(status: u16, message: &str, extra: &[(&'static str, &str)]) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", format!("{message}\n"), extra)
}

/// Answers one request from the current site.
pub async fn handle(shared: Arc<Shared>, hosts: Arc<Hosts>, request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    Ok(answer(&shared, &hosts, &request))
}

fn answer(shared: &Arc<Shared>, hosts: &Hosts, request: &Request<Incoming>) -> Response<Body> {
    // An absolute URL (`GET http://name/ HTTP/1.1`) names the host itself.
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().to_string()),
        None => request.headers().get(HOST).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned()),
    };
    let Some(host) = host else {
        return text(400, "400 Bad Request: the request has no Host header", &[]);
    };
    if !hosts.allows(&host) {
        return refuse_host(hosts, &host);
    }
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return text(405, "405 Method Not Allowed: the preview serves GET and HEAD only", &[("allow", "GET, HEAD")]);
    }
    let raw_path = request.uri().path();
    let query = request.uri().query();
    match raw_path {
        LIVE_JS_URL => return respond(200, &content_type("live.js"), LIVE_JS, &[]),
        LIVE_CSS_URL => return respond(200, &content_type("live.css"), LIVE_CSS, &[]),
        STATUS => return respond(200, "application/json", shared.status_json(), &[]),
        EVENTS if method == Method::GET => return events(shared.clone()),
        EVENTS => return respond(200, "text/event-stream; charset=utf-8", Bytes::new(), &[]),
        p if p.starts_with(PREFIX) => return text(404, "404 Not Found: no such file of the preview server", &[]),
        _ => {}
    }
    let site = shared.site();
    let mut target = match resolve(raw_path, query, |k| site.files.contains_key(k)) {
        Ok(t) => t,
        Err(BadPath(why)) => return text(400, &format!("400 Bad Request: {why}"), &[]),
    };
    // The 404 page links from `publish_path`: answer there too.
    if target == Target::Missing
        && let Some(inner) = site.mount.as_deref().and_then(|m| raw_path.strip_prefix(m.trim_end_matches('/')))
        && inner.starts_with('/')
        && let Ok(t) = resolve(inner, query, |k| site.files.contains_key(k))
    {
        target = match t {
            // The folder asked for under the mount: stay under it.
            Target::Redirect(to) => Target::Redirect(format!("{}{to}", raw_path.strip_suffix(inner).unwrap_or(""))),
            t => t,
        };
    }
    let version = site.version.to_string();
    match target {
        Target::Redirect(to) => text(301, &format!("Moved to {to}"), &[("location", &to)]),
        Target::File(key) => {
            let bytes = &site.files[&key];
            let kind = content_type(&key);
            let body = if kind.starts_with("text/html") {
                Bytes::from(inject(bytes, &version, false))
            } else {
                Bytes::from_owner(bytes.clone())
            };
            respond(200, &kind, body, &[])
        }
        Target::Missing => {
            if !site.built {
                let page = super::no_site_page(&shared.errors(), &version);
                return respond(503, "text/html; charset=utf-8", page, &[]);
            }
            match site.files.get(crate::render::NOT_FOUND_URL) {
                Some(page) => respond(404, "text/html; charset=utf-8", inject(page, &version, true), &[]),
                None => text(404, "404 Not Found", &[]),
            }
        }
    }
}

/// 403 for a Host the preview does not answer to, with a page saying what
/// to do; the terminal says so too, once per name.
fn refuse_host(hosts: &Hosts, host: &str) -> Response<Body> {
    let shown: String = host.chars().take(100).collect();
    let name = host_name(host).unwrap_or_else(|| shown.clone());
    let first = {
        let mut refused = hosts.refused.lock().unwrap_or_else(|e| e.into_inner());
        refused.len() < 20 && refused.insert(name.clone())
    };
    if first {
        eprintln!(
            "Refused a request for `{shown}`: the preview answers only to localhost and IP addresses. \
             If `{name}` is this computer's name, restart with --allow-host {name}"
        );
    }
    let e = crate::markdown::escape;
    let port = hosts.port;
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n\
         <title>This preview does not answer to this address</title>\n</head>\n<body>\n<main>\n\
         <h1>This preview does not answer to <code>{host}</code></h1>\n\
         <p>So that other web sites cannot read the handbook you are editing, <code>handbook serve</code> answers \
         only to <code>localhost</code>, to IP addresses such as <code>127.0.0.1</code>, and to names it is told to allow.</p>\n\
         <p>On this computer, open <a href=\"http://localhost:{port}/\">http://localhost:{port}/</a>. \
         From another computer, use this computer's IP address. To use the name <code>{name}</code>, \
         restart the preview with <code>handbook serve --allow-host {name}</code>.</p>\n</main>\n</body>\n</html>\n",
        host = e(&shown),
        name = e(&name),
    );
    respond(403, "text/html; charset=utf-8", page, &[])
}

/// Server-sent events: the current state on connecting, then each new
/// state (a new version of the site is in place, or the errors changed),
/// with a comment line every HEARTBEAT. A task on the runtime, not a thread.
fn events(shared: Arc<Shared>) -> Response<Body> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    let mut status = shared.subscribe();
    tokio::spawn(async move {
        let first = format!("retry: 1000\n\nevent: state\ndata: {}\n\n", Shared::json(&status.borrow_and_update()));
        if tx.send(first.into()).await.is_err() {
            return;
        }
        loop {
            let message = tokio::select! {
                changed = status.changed() => match changed {
                    Ok(()) => format!("event: state\ndata: {}\n\n", Shared::json(&status.borrow_and_update())),
                    Err(_) => return,
                },
                _ = tokio::time::sleep(HEARTBEAT) => ": still here\n\n".to_string(),
                _ = tx.closed() => return,
            };
            if tx.send(message.into()).await.is_err() {
                return;
            }
        }
    });
    let mut response = Response::new(Body::Events(rx));
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("text/event-stream; charset=utf-8"));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

/// Accepts connections for ever, each served as a task. Runs on the
/// runtime `serve` made (THREADS threads).
pub async fn accept(listener: std::net::TcpListener, shared: Arc<Shared>, hosts: Arc<Hosts>) {
    let listener = match listener.set_nonblocking(true).and_then(|()| tokio::net::TcpListener::from_std(listener)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            return;
        }
    };
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file handles, say: wait for connections to close.
                eprintln!("warning: accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (shared, hosts) = (shared.clone(), hosts.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| handle(shared.clone(), hosts.clone(), request));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(IDLE)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let _ = connection.await;
            drop(slot);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(p: &str) -> Result<String, BadPath> {
        site_key(p).map(|(k, _)| k)
    }

    #[test]
    fn plain_paths_become_keys() {
        assert_eq!(key("/a/b.html").unwrap(), "a/b.html");
        assert_eq!(key("/a%20b.png").unwrap(), "a b.png");
        assert_eq!(site_key("/a/").unwrap(), ("a".to_string(), true));
        assert_eq!(site_key("/").unwrap(), (String::new(), true));
    }

    #[test]
    fn every_traversal_form_is_refused() {
        for bad in [
            "/../handbook.toml",
            "/a/../../handbook.toml",
            "/%2e%2e/handbook.toml",
            "/%2E%2E/handbook.toml",
            "/.%2e/handbook.toml",
            "/a%2f..%2f..%2fhandbook.toml",
            "/a%2F..%2Fhandbook.toml",
            "/..%5chandbook.toml",
            "/..\\handbook.toml",
            "/a\\b",
            "//etc/passwd",
            "/a//b",
            "/a%00.html",
            "/a\0b",
            "/./index.html",
            "etc/passwd",
            "http://example.org/x",
            "/%ff.html",
            "/%zz",
        ] {
            assert!(site_key(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn folders_and_redirects() {
        let has = |k: &str| ["index.html", "a/index.html", "a/b.html"].contains(&k);
        assert_eq!(resolve("/", None, has), Ok(Target::File("index.html".into())));
        assert_eq!(resolve("/a/", None, has), Ok(Target::File("a/index.html".into())));
        assert_eq!(resolve("/a", Some("x=1"), has), Ok(Target::Redirect("/a/?x=1".into())));
        assert_eq!(resolve("/a/b.html", None, has), Ok(Target::File("a/b.html".into())));
        assert_eq!(resolve("/a/c.html", None, has), Ok(Target::Missing));
        assert_eq!(resolve("/b/", None, has), Ok(Target::Missing));
    }

    #[test]
    fn hosts_are_loopback_names_addresses_and_the_names_given() {
        let hosts = Hosts::new(&["My-Laptop.lan".to_string()], 8000);
        for ok in [
            "localhost",
            "localhost:8000",
            "LOCALHOST.",
            "a.b.localhost:1",
            "127.0.0.1",
            "127.0.0.1:8000",
            "10.0.0.7:8000",
            "[::1]",
            "[::1]:8000",
            "[fe80::1%25eth0]:8000",
            "my-laptop.lan",
            "my-laptop.lan.:8000",
        ] {
            assert!(hosts.allows(ok), "{ok} refused");
        }
        for bad in [
            "",
            " ",
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "localhostx",
            "127.0.0.1.evil.example",
            "0x7f.1",
            "user@localhost",
            "localhost:80:80",
            "localhost:port",
            "[::1",
            "[::1]x",
            "[evil]:80",
            "my-laptop",
            "sub.my-laptop.lan",
        ] {
            assert!(!hosts.allows(bad), "{bad} allowed");
        }
    }

    #[test]
    fn allow_host_takes_names_and_addresses_only() {
        for ok in ["my-laptop", "My-Laptop.lan", "192.168.1.2", "::1", "[::1]", "handbook.example."] {
            assert!(valid_allow_host(ok), "{ok}");
        }
        for bad in ["", "http://x", "x:8000", "two words", "x/y", "[x]"] {
            assert!(!valid_allow_host(bad), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("x.woff2"), "font/woff2");
        assert_eq!(content_type("x.dot"), "text/vnd.graphviz; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
        assert_eq!(content_type("assets/forms.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("forms/x.schema.json"), "application/json");
        assert_eq!(content_type("files/plan.docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assert_eq!(content_type("files/leaflet.pdf"), "application/pdf");
    }

    #[test]
    fn the_policy_allows_only_what_the_preview_needs() {
        let csp = crate::render::CSP;
        let relaxed = relax_csp(csp, false);
        assert!(relaxed.contains("connect-src 'self'"), "{relaxed}");
        assert!(!relaxed.contains("connect-src 'none'"));
        assert!(relaxed.contains("script-src 'self'") && !relaxed.contains("unsafe-inline"), "{relaxed}");
        assert!(relaxed.contains("base-uri 'none'"));
        assert!(relax_csp(csp, true).contains("base-uri 'self'"));
        assert_eq!(
            relax_csp("default-src 'none'", false),
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'"
        );
    }

    #[test]
    fn injection_adds_the_script_and_rewrites_the_escaped_policy() {
        let html = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; connect-src &#39;none&#39;\">\n<title>x</title></head><body>hi</body></html>";
        let out = String::from_utf8(inject(html, "7", false)).unwrap();
        // Escaped as Tera escapes the built pages: the browser reads the same policy.
        assert!(
            out.contains("content=\"default-src &#39;none&#39;; connect-src &#39;self&#39;; script-src &#39;self&#39;; style-src &#39;self&#39;\""),
            "{out}"
        );
        assert!(out.contains("<script src=\"/__handbook/live.js?v=7\"></script>\n</head>"), "{out}");
        assert!(!out.contains("<base"));
        let out = String::from_utf8(inject(html, "7", true)).unwrap();
        let csp = out.find("Content-Security-Policy").unwrap();
        let base = out.find("<base href=\"/\">").unwrap();
        assert!(base > csp && base < out.find("<title>").unwrap(), "{out}");
        // No head at all: the script still goes in.
        let out = String::from_utf8(inject(b"<p>bare</p>", "1", false)).unwrap();
        assert!(out.ends_with("</script>\n"), "{out}");
    }
}
