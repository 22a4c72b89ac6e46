//! The browser's files as served: the copy compressed at build time that the browser accepts,
//! hashed names (the parts of a split build too) kept for good, anything else revalidated; the
//! pages, the service worker and the offline page naming this build's files.

use leptos::prelude::LeptosOptions;
use reqwest::StatusCode;

use crate::support::{spawn_app_on_site, test_settings, TestApp, TestDb};

/// A built site as cargo-leptos leaves it with `hash-files` and `--precompress`, in a temporary
/// folder: each file with a `.br` and a `.gz` copy told apart by their content.
fn built_site() -> (tempfile::TempDir, LeptosOptions) {
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (file, body) in [
        ("relais.JsHash.js", "export default 1;"),
        ("relais.WasmHash.wasm", "\0asm"),
        ("relais.CssHash.css", "body{}"),
        // A part of a split build (`--split`): a lazy island's WebAssembly.
        ("chunk_3.AbCdEfGhIjKlMnOpQrSt_-.wasm", "\0asm part"),
        ("__wasm_split.LoaderHashLoaderHash_-.js", "export const parts = 1;"),
        ("unlisted.js", "x"),
    ] {
        std::fs::write(pkg.join(file), body).unwrap();
        std::fs::write(pkg.join(format!("{file}.br")), format!("brotli of {file}")).unwrap();
        std::fs::write(pkg.join(format!("{file}.gz")), format!("gzip of {file}")).unwrap();
    }
    std::fs::write(
        site.path().join("sw.js"),
        r#"const BUILD = "__RELAIS_BUILD__"; const LOADER = "__RELAIS_LOADER__"; ["/pkg/relais.js", "/pkg/relais.wasm", "/pkg/relais.css"]"#,
    )
    .unwrap();
    std::fs::write(site.path().join("manifest.webmanifest"), r#"{"short_name": "Relais", "display": "standalone"}"#)
        .unwrap();
    let hash_file = site.path().join("hash.txt");
    std::fs::write(&hash_file, "js: JsHash\nwasm: WasmHash\ncss: CssHash\n").unwrap();
    let options = LeptosOptions::builder()
        .output_name("relais")
        .site_root(site.path().to_string_lossy().to_string())
        .hash_files(true)
        .hash_file(std::sync::Arc::from(hash_file.to_string_lossy().as_ref()))
        .build();
    (site, options)
}

async fn get(app: &TestApp, path: &str, encoding: Option<&str>) -> reqwest::Response {
    // No automatic decompression: the bytes as sent.
    let client = reqwest::Client::builder().no_brotli().no_gzip().build().unwrap();
    let mut req = client.get(format!("{}{path}", app.base));
    if let Some(e) = encoding {
        req = req.header("accept-encoding", e);
    }
    req.send().await.expect("request")
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn the_build_is_sent_as_compressed_at_build_time_and_hashed_names_are_kept_for_good() {
    let db = TestDb::sqlite();
    let (_site, options) = built_site();
    let app = spawn_app_on_site(&db, 0, test_settings(), options).await;

    for (file, content_type) in [
        ("relais.JsHash.js", "text/javascript"),
        ("relais.WasmHash.wasm", "application/wasm"),
        ("relais.CssHash.css", "text/css"),
        ("chunk_3.AbCdEfGhIjKlMnOpQrSt_-.wasm", "application/wasm"),
        ("__wasm_split.LoaderHashLoaderHash_-.js", "text/javascript"),
    ] {
        let path = format!("/pkg/{file}");
        for (accepts, encoding, body) in [
            (Some("gzip, deflate, br, zstd"), "br", format!("brotli of {file}")),
            (Some("gzip"), "gzip", format!("gzip of {file}")),
        ] {
            let res = get(&app, &path, accepts).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&res, "content-encoding"), encoding, "{path} {accepts:?}");
            assert!(header(&res, "content-type").starts_with(content_type), "{path}: {}", header(&res, "content-type"));
            assert_eq!(header(&res, "cache-control"), server::assets::IMMUTABLE, "{path}");
            assert_eq!(header(&res, "vary"), "accept-encoding", "{path}");
            assert_eq!(res.text().await.unwrap(), body);
        }
        // A client that accepts no compression gets the file itself.
        let res = get(&app, &path, None).await;
        assert_eq!(header(&res, "content-encoding"), "");
        assert!(!res.text().await.unwrap().contains(" of "));
    }

    // A name that is not a hash of its content is revalidated each time; a missing file is a 404.
    let res = get(&app, "/pkg/unlisted.js", Some("br")).await;
    assert_eq!((res.status(), header(&res, "cache-control")), (StatusCode::OK, "no-cache"));
    for missing in ["/pkg/relais.js", "/pkg/chunk_4.AbCdEfGhIjKlMnOpQrSt_-.wasm"] {
        let res = get(&app, missing, Some("br")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{missing}");
        assert_ne!(header(&res, "cache-control"), server::assets::IMMUTABLE, "{missing}");
    }

    // The service worker caches this build's files, and the offline page asks for its CSS.
    let sw = get(&app, "/sw.js", None).await.text().await.unwrap();
    assert!(
        sw.contains(r#"["/pkg/relais.JsHash.js", "/pkg/relais.WasmHash.wasm", "/pkg/relais.CssHash.css"]"#),
        "{sw}"
    );
    assert!(!sw.contains("__RELAIS_BUILD__"));
    assert!(sw.contains(r#"const LOADER = "/pkg/__wasm_split.LoaderHashLoaderHash_-.js""#), "{sw}");
    let offline = get(&app, "/hors-ligne.html", None).await.text().await.unwrap();
    assert!(offline.contains(r#"<link rel="stylesheet" href="/pkg/relais.CssHash.css">"#), "{offline}");

    // The pages load the same three files, the page of an unknown address too.
    for path in ["/connexion", "/nulle-part"] {
        let page = get(&app, path, None).await.text().await.unwrap();
        for file in ["/pkg/relais.JsHash.js", "/pkg/relais.WasmHash.wasm", "/pkg/relais.CssHash.css"] {
            assert!(page.contains(file), "{file} in {path}: {page}");
        }
    }
}

async fn get_in(app: &TestApp, path: &str, accept_language: &str) -> reqwest::Response {
    let client = reqwest::Client::new();
    client.get(format!("{}{path}", app.base)).header("accept-language", accept_language).send().await.expect("request")
}

/// The offline page and the manifest are drawn in the browser's language, French by default,
/// and say that they vary with it.
#[tokio::test]
async fn the_offline_page_and_the_manifest_speak_the_browsers_language() {
    let db = TestDb::sqlite();
    let (_site, options) = built_site();
    let app = spawn_app_on_site(&db, 0, test_settings(), options).await;

    for (accept, lang, heading, link) in [
        ("fr-FR,fr;q=0.9", "fr", "<h1>Hors ligne</h1>", ">Mes gardes</a>"),
        ("en-GB,en;q=0.9,fr;q=0.5", "en", "<h1>Offline</h1>", ">My duties</a>"),
        ("de-DE", "fr", "<h1>Hors ligne</h1>", ">Mes gardes</a>"),
    ] {
        let res = get_in(&app, "/hors-ligne.html", accept).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(header(&res, "vary").contains("accept-language"), "{accept}");
        assert!(header(&res, "content-type").starts_with("text/html"));
        let page = res.text().await.unwrap();
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{accept}: {page}");
        assert!(page.contains(heading) && page.contains(link), "{accept}: {page}");
        assert!(page.contains("/pkg/relais.CssHash.css"), "{page}");

        let res = get_in(&app, "/manifest.webmanifest", accept).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(header(&res, "content-type").starts_with("application/manifest+json"));
        assert!(header(&res, "vary").contains("accept-language"), "{accept}");
        let manifest: serde_json::Value = res.json().await.unwrap();
        assert_eq!(manifest["lang"], lang, "{accept}");
        // The template's fields are kept.
        assert_eq!((&manifest["short_name"], &manifest["display"]), (&"Relais".into(), &"standalone".into()));
        let description = manifest["description"].as_str().unwrap();
        let expected = if lang == "en" { "same-day care requests" } else { "soins non programmés" };
        assert!(description.contains(expected), "{accept}: {description}");
    }
}
