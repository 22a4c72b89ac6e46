//! The browser's files. `/pkg` (the JavaScript, the WebAssembly, the CSS) is compressed at build
//! time, brotli at its best level and gzip (cargo-leptos `--precompress`), and sent as built to
//! a browser that accepts either (a build made without them is compressed per request). Hashed
//! names (cargo-leptos `hash-files`, see `app::platform::assets`), the parts of the WebAssembly
//! a split build loads for its lazy islands included, are kept a year without revalidation
//! (`immutable`); any other file of `/pkg` is revalidated. The service worker
//! (`/sw.js`) and the offline page (`/hors-ligne.html`) name those files: they are served
//! with this build's names. The offline page and the manifest (`/manifest.webmanifest`) are
//! drawn in the browser's language (`app::offline::files`), both made once at start.

use std::path::Path;
use std::sync::Arc;

use app::i18n::{with_lang, Lang};
use app::platform::assets::PkgNames;
use axum::extract::{Extension, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::LeptosOptions;
use tower_http::services::ServeDir;

/// A year, for what never changes under its name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `/pkg`, `/sw.js` and `/hors-ligne.html` for the site these options describe, whose files
/// are `names` (`PkgNames::resolve`, read once by the router).
pub fn routes<S: Clone + Send + Sync + 'static>(options: &LeptosOptions, names: Arc<PkgNames>) -> Router<S> {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let pkg = Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn_with_state(names.clone(), cache_policy));
    let worker = Arc::new(service_worker(options, &names));
    let css = format!("/{}/{}", options.site_pkg_dir, names.css);
    let offline = Arc::new(in_each_language(|| Some(app::offline::files::fallback_page(&css))));
    let template = std::fs::read(Path::new(options.site_root.as_ref()).join("manifest.webmanifest"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
    if template.is_none() {
        tracing::warn!("no readable manifest.webmanifest in the site root: /manifest.webmanifest answers 404");
    }
    let manifest =
        Arc::new(in_each_language(|| template.as_ref().map(|t| app::offline::files::manifest(t).to_string())));
    Router::new()
        .route("/sw.js", get(move || answer(worker.as_ref().clone(), "text/javascript; charset=utf-8")))
        .route(
            "/hors-ligne.html",
            get(move |Extension(lang): Extension<Lang>| in_language(offline.clone(), lang, "text/html; charset=utf-8")),
        )
        .route(
            "/manifest.webmanifest",
            get(move |Extension(lang): Extension<Lang>| {
                in_language(manifest.clone(), lang, "application/manifest+json")
            }),
        )
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
}

/// A file drawn once in each language (`None` when not built).
type InEachLanguage = [(Lang, Option<String>); 2];

fn in_each_language(draw: impl Fn() -> Option<String>) -> InEachLanguage {
    Lang::ALL.map(|lang| (lang, with_lang(lang, &draw)))
}

/// The request's language's version of a file, which varies with `Accept-Language`.
async fn in_language(file: Arc<InEachLanguage>, lang: Lang, content_type: &'static str) -> Response {
    let body = file.iter().find(|(l, _)| *l == lang).and_then(|(_, body)| body.clone());
    let mut res = answer(body, content_type).await;
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-language"));
    res
}

async fn cache_policy(State(names): State<Arc<PkgNames>>, req: Request, next: Next) -> Response {
    let name = req.uri().path().rsplit('/').next().unwrap_or_default().to_string();
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let value = if names.is_immutable(&name) { IMMUTABLE } else { "no-cache" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// A file of the site root with this build's `/pkg` names written in (`None` when not built).
fn rewritten(options: &LeptosOptions, names: &PkgNames, file: &str) -> Option<String> {
    let source = std::fs::read_to_string(Path::new(options.site_root.as_ref()).join(file)).ok()?;
    Some(names.stamp(&options.output_name, &source))
}

async fn answer(body: Option<String>, content_type: &'static str) -> Response {
    match body {
        Some(body) => {
            ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not built").into_response(),
    }
}

/// The service worker (`/sw.js`), with this build's file names and stamped with a version that
/// changes with the app's files, so that a new build installs a new worker, which caches the
/// new files and drops the old ones. In a split build it also keeps the loader of the
/// WebAssembly's parts (`__RELAIS_LOADER__`), which the main module imports: without it a page
/// would not start offline.
fn service_worker(options: &LeptosOptions, names: &PkgNames) -> Option<String> {
    use std::hash::{Hash, Hasher};
    let source = rewritten(options, names, "sw.js")?;
    let mut hasher = std::hash::DefaultHasher::new();
    source.hash(&mut hasher);
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    for file in [&names.js, &names.wasm, &names.css] {
        if let Ok(bytes) = std::fs::read(pkg.join(file)) {
            bytes.hash(&mut hasher);
        }
    }
    let loader = names.loader().map(|file| format!("/{}/{file}", options.site_pkg_dir)).unwrap_or_default();
    Some(source.replace("__RELAIS_BUILD__", &format!("{:016x}", hasher.finish())).replace("__RELAIS_LOADER__", &loader))
}
