//! The preview's HTTP side: turning a request path into a key of the
//! in-memory site (refusing anything that could reach outside it), content
//! types, the live-reload script added to HTML, and the event stream.

use super::{LIVE_CSS, LIVE_JS, Shared};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// URLs under this prefix belong to the preview server, never to the site.
pub const PREFIX: &str = "/__handbook/";
const EVENTS: &str = "/__handbook/events";
const STATUS: &str = "/__handbook/status";
const LIVE_JS_URL: &str = "/__handbook/live.js";
const LIVE_CSS_URL: &str = "/__handbook/live.css";

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
        let seg = crate::content::percent_decode(raw).ok_or(BadPath("the path is not valid percent-encoded UTF-8"))?;
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

/// The Content-Type for a site path, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "dot" | "gv" => "text/vnd.graphviz; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        _ => "application/octet-stream",
    }
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>, extra: &[(&str, &str)]) {
    let mut response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    for (name, value) in extra {
        response.add_header(header(name, value));
    }
    let _ = request.respond(response);
}

fn text(request: Request, status: u16, message: &str, extra: &[(&str, &str)]) {
    respond(request, status, "text/plain; charset=utf-8", format!("{message}\n").into_bytes(), extra);
}

/// Answers one request from the current site.
pub fn handle(shared: &Arc<Shared>, request: Request) {
    let method = request.method().clone();
    if method != Method::Get && method != Method::Head {
        return text(request, 405, "405 Method Not Allowed: the preview serves GET and HEAD only", &[("Allow", "GET, HEAD")]);
    }
    let url = request.url().to_string();
    let (raw_path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url.as_str(), None),
    };
    let raw_path = raw_path.split('#').next().unwrap_or("");
    match raw_path {
        LIVE_JS_URL => return respond(request, 200, content_type("live.js"), LIVE_JS.as_bytes().to_vec(), &[]),
        LIVE_CSS_URL => return respond(request, 200, content_type("live.css"), LIVE_CSS.as_bytes().to_vec(), &[]),
        STATUS => return respond(request, 200, "application/json", shared.status_json().into_bytes(), &[]),
        EVENTS if method == Method::Get => return events(shared.clone(), request),
        EVENTS => return respond(request, 200, "text/event-stream; charset=utf-8", Vec::new(), &[]),
        p if p.starts_with(PREFIX) => return text(request, 404, "404 Not Found: no such file of the preview server", &[]),
        _ => {}
    }
    let site = shared.site();
    let target = match resolve(raw_path, query, |k| site.files.contains_key(k)) {
        Ok(t) => t,
        Err(BadPath(why)) => return text(request, 400, &format!("400 Bad Request: {why}"), &[]),
    };
    let version = site.version.to_string();
    match target {
        Target::Redirect(to) => text(request, 301, &format!("Moved to {to}"), &[("Location", &to)]),
        Target::File(key) => {
            let bytes = &site.files[&key];
            let kind = content_type(&key);
            let body = if kind.starts_with("text/html") { inject(bytes, &version, false) } else { bytes.to_vec() };
            respond(request, 200, kind, body, &[])
        }
        Target::Missing => {
            if !site.built {
                let page = super::no_site_page(&shared.errors(), &version);
                return respond(request, 503, "text/html; charset=utf-8", page.into_bytes(), &[]);
            }
            match site.files.get(crate::render::NOT_FOUND_URL) {
                Some(page) => respond(request, 404, "text/html; charset=utf-8", inject(page, &version, true), &[]),
                None => text(request, 404, "404 Not Found", &[]),
            }
        }
    }
}

/// Server-sent events: the current state on connecting, then each new
/// state (a new version of the site is in place, or the errors changed),
/// with a comment line every 15 s so closed connections are noticed.
fn events(shared: Arc<Shared>, request: Request) {
    std::thread::spawn(move || {
        let mut w = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n\
                    X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
        if w.write_all(head.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
        let mut seen = None;
        loop {
            let next = shared.wait_for_change(seen, Duration::from_secs(15));
            let message = match next {
                Some((generation, json)) => {
                    seen = Some(generation);
                    format!("event: state\ndata: {json}\n\n")
                }
                None => ": still here\n\n".to_string(),
            };
            if w.write_all(message.as_bytes()).and_then(|_| w.flush()).is_err() {
                return;
            }
        }
    });
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
    fn content_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("x.woff2"), "font/woff2");
        assert_eq!(content_type("x.dot"), "text/vnd.graphviz; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
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
