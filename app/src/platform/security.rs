//! [ssr] The browser-side defences every response carries: the Content Security Policy (with a
//! per-response nonce on pages, for the inline scripts Leptos emits), the other security headers,
//! and the rule that lets a state-changing request in only from Relais' own pages (CSRF).
//!
//! The server applies them in one layer (`server::security`), which also makes each response's
//! nonce ([`PageNonce`]): the pages Leptos draws take it from the request ([`provide_page_nonce`]),
//! so the policy of an HTML answer and the scripts it carries name the same nonce, whatever drew it.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};

/// The Content Security Policy: scripts only from this origin, and on a rendered page also
/// those carrying its `nonce` (the hydration and resource scripts Leptos writes inline);
/// WebAssembly allowed to compile, no plugins, no `<base>` elsewhere, never framed, forms and
/// fetches to this origin only. Every other response (the API's JSON, static files, the service
/// worker, the offline page) gets it without a nonce: no inline script at all.
pub fn policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// What a phone page may use: nothing of the device but notifications (which are not governed
/// by this header). Everything listed is refused to the page and to any frame.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
    geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), \
    screen-wake-lock=(), xr-spatial-tracking=()";

/// The nonce of one response, made by the security layer for each request (`leptos`' own type:
/// 128 random bits). It is named in the policy of an HTML answer, and Leptos writes it on the
/// inline scripts of a page through [`provide_page_nonce`].
#[derive(Clone, Debug)]
pub struct PageNonce(pub leptos::nonce::Nonce);

impl PageNonce {
    pub fn new() -> Self {
        Self(leptos::nonce::Nonce::new())
    }

    /// The policy of an HTML answer carrying this nonce.
    pub fn policy(&self) -> HeaderValue {
        HeaderValue::from_str(&policy(Some(&*self.0))).expect("a nonce is base64url: plain ASCII")
    }
}

impl Default for PageNonce {
    fn default() -> Self {
        Self::new()
    }
}

/// Gives the page being drawn the nonce the security layer made for its request (the server's
/// Leptos contexts call it, after `leptos_axum` has provided a nonce of its own, which this one
/// replaces): the inline scripts Leptos writes then carry the nonce the response's policy names.
pub fn provide_page_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let parts = use_context::<axum::http::request::Parts>();
    if let Some(PageNonce(nonce)) = parts.and_then(|p| p.extensions.get::<PageNonce>().cloned()) {
        provide_context(nonce);
    }
}

/// The policy without a nonce, made once.
static BASE_POLICY: std::sync::LazyLock<HeaderValue> =
    std::sync::LazyLock::new(|| HeaderValue::from_str(&policy(None)).expect("the policy is plain ASCII"));

/// The headers every response gets (each only when the response did not set it itself).
/// `hsts` when Relais is served over HTTPS (its public URL says so).
pub fn headers(hsts: bool) -> Vec<(HeaderName, HeaderValue)> {
    let mut h = vec![
        (header::CONTENT_SECURITY_POLICY, BASE_POLICY.clone()),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS_POLICY)),
        (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
    ];
    if hsts {
        h.push((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains")));
    }
    h
}

/// Whether a request may change something: reads always may; a write must come from Relais'
/// own pages. Browsers say where a request comes from (`Origin`, or `Sec-Fetch-Site`); a write
/// whose origin is another site is refused, whatever cookie it carries. A request that names no
/// origin at all does not come from a browser page (an API client, a test), which no other site
/// can make a member's browser send.
///
/// `public_origin` is Relais' origin (`https://relais.example.org`) when configured; otherwise
/// the origin's host must be the `Host` the request was sent to.
pub fn write_allowed(method: &Method, headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let text = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("\u{0}"));
    match text("origin") {
        // A malformed or opaque ("null") origin is not ours.
        Some(origin) => match public_origin {
            Some(public) => origin.trim_end_matches('/').eq_ignore_ascii_case(public.trim_end_matches('/')),
            None => {
                let host = origin.split_once("://").map(|(_, rest)| rest);
                host.is_some() && host == text("host")
            }
        },
        None => !matches!(text("sec-fetch-site"), Some("cross-site" | "same-site")),
    }
}

/// The origin part (`scheme://host[:port]`) of a public URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())?;
    matches!(scheme, "http" | "https").then(|| format!("{scheme}://{host}").to_lowercase())
}

/// Where Relais is reached, to write its own absolute links (the SAS interface's `fullUrl`s): the
/// configured public origin, or else the `Host` the request was sent to.
pub fn own_origin(public_origin: Option<&str>, headers: &HeaderMap) -> String {
    match public_origin {
        Some(origin) => origin.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

/// The caller's address: the socket's (`peer`), or behind a declared proxy the last
/// `X-Forwarded-For` hop (the one the proxy itself added). The last of every such header: a
/// proxy may append to the client's header or add a header of its own after it (HAProxy's
/// `option forwardfor`), and what comes before is whatever the client wrote.
pub fn client_ip(headers: &HeaderMap, peer: Option<std::net::SocketAddr>, behind_proxy: bool) -> String {
    if behind_proxy {
        let last_header = headers.get_all("x-forwarded-for").iter().next_back().and_then(|v| v.to_str().ok());
        if let Some(last) = last_header.and_then(|f| f.rsplit(',').next()).map(str::trim).filter(|h| !h.is_empty()) {
            return last.to_string();
        }
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// The `Set-Cookie` value of one of Relais' own cookies: HTTP only, `SameSite=Lax`, `Secure`
/// when served over TLS, kept `max_age` (zero: forget it now).
pub fn own_cookie(name: &str, value: &str, path: &str, secure: bool, max_age: cookie::time::Duration) -> String {
    cookie::Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
        .max_age(max_age)
        .build()
        .to_string()
}

/// The value of the cookie `name` in a `Cookie` header, if it is there and not empty.
pub fn cookie_in(header: &str, name: &str) -> Option<String> {
    cookie::Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn behind_a_proxy_the_address_is_the_last_hop_of_the_last_forwarded_header() {
        let peer = Some("10.0.0.2:4000".parse().unwrap());
        let mut h = with(&[("x-forwarded-for", "203.0.113.7")]);
        // HAProxy's `option forwardfor` adds its own header after the client's.
        h.append("x-forwarded-for", HeaderValue::from_static("198.51.100.4"));
        assert_eq!(client_ip(&h, peer, true), "198.51.100.4");
        let appended = with(&[("x-forwarded-for", "203.0.113.7, 198.51.100.4")]);
        assert_eq!(client_ip(&appended, peer, true), "198.51.100.4");
        assert_eq!(client_ip(&h, peer, false), "10.0.0.2", "not behind a proxy: the header is ignored");
        assert_eq!(client_ip(&HeaderMap::new(), peer, true), "10.0.0.2");
    }

    #[test]
    fn reads_are_never_refused() {
        assert!(write_allowed(&Method::GET, &with(&[("origin", "https://evil.example")]), None));
    }

    #[test]
    fn a_write_from_another_site_is_refused() {
        let h = with(&[("origin", "https://evil.example"), ("host", "relais.example.org")]);
        assert!(!write_allowed(&Method::POST, &h, None));
        assert!(!write_allowed(&Method::POST, &h, Some("https://relais.example.org")));
        assert!(!write_allowed(&Method::POST, &with(&[("sec-fetch-site", "cross-site")]), None));
        assert!(!write_allowed(&Method::POST, &with(&[("origin", "null"), ("host", "relais.example.org")]), None));
    }

    #[test]
    fn a_write_from_our_own_pages_is_allowed() {
        let h = with(&[("origin", "https://relais.example.org"), ("host", "relais.example.org")]);
        assert!(write_allowed(&Method::POST, &h, None));
        assert!(write_allowed(&Method::POST, &h, Some("https://relais.example.org/")));
        assert!(write_allowed(&Method::POST, &with(&[("sec-fetch-site", "same-origin")]), None));
    }

    #[test]
    fn behind_a_proxy_the_configured_public_origin_decides() {
        // The proxy speaks plain HTTP to Relais on another host name.
        let h = with(&[("origin", "https://relais.example.org"), ("host", "127.0.0.1:3000")]);
        assert!(!write_allowed(&Method::POST, &h, None));
        assert!(write_allowed(&Method::POST, &h, Some("https://relais.example.org")));
        assert!(!write_allowed(&Method::POST, &h, Some("http://relais.example.org")));
    }

    #[test]
    fn a_client_that_names_no_origin_is_not_a_browser_page() {
        assert!(write_allowed(&Method::POST, &HeaderMap::new(), None));
    }

    #[test]
    fn the_page_policy_carries_the_nonce_and_never_allows_inline_scripts_without_it() {
        let p = policy(Some("abc123"));
        assert!(p.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(
            p.contains("object-src 'none'") && p.contains("frame-ancestors 'none'") && p.contains("base-uri 'self'")
        );
        let base = policy(None);
        assert!(!base.contains("unsafe-inline") && !base.contains("nonce"));
    }

    #[test]
    fn the_origin_of_a_public_url() {
        assert_eq!(origin_of("https://Relais.example.org/cpts/"), Some("https://relais.example.org".into()));
        assert_eq!(origin_of("http://127.0.0.1:3000"), Some("http://127.0.0.1:3000".into()));
        assert_eq!(origin_of("relais.example.org"), None);
        assert_eq!(origin_of("ftp://x"), None);
    }
}
