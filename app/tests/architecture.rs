//! The shape of the code, checked: the arrows between layers go one way, a capability reaches
//! another's operations, queries, server functions and pages only through its `mod.rs`, the
//! rules stay pure, and files stay small enough to read. See docs/architecture.md.

use std::fs;
use std::path::{Path, PathBuf};

/// The capabilities, one folder each under `app/src/`.
const CAPABILITIES: &[&str] =
    &["auth", "dental", "dispatch", "indicators", "members", "planning", "push", "slots", "teleconsult"];

/// A capability's inner modules that other code reaches only through the capability's `mod.rs`.
/// Its `rules` and `dto` are plain data and pure functions: anyone may name them.
const PRIVATE_PARTS: &[&str] = &["ops", "store", "api", "ui", "outbox", "sender", "services", "reminders", "calendar"];

/// Files that are data, not code, and may be long.
const DATA_FILES: &[&str] = &["app/src/i18n/fr.rs"];

const MAX_LINES: usize = 500;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (path relative to the workspace, its lines without comments)
fn sources(folder: &str) -> Vec<(String, Vec<String>)> {
    let root = root();
    let mut files = vec![];
    rust_files(&root.join(folder), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("inside the workspace").to_string_lossy().replace('\\', "/");
            let text = fs::read_to_string(&p).expect("readable source");
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//")).map(str::to_string).collect();
            (rel, code)
        })
        .collect()
}

/// The capability folder a file is in, if any.
fn capability_of(path: &str) -> Option<&'static str> {
    let inner = path.strip_prefix("app/src/")?;
    CAPABILITIES.iter().copied().find(|c| inner.starts_with(&format!("{c}/")))
}

/// Whether a file is one of the lower layers: operations, queries, rules, the platform, the
/// shared vocabulary.
fn is_lower_layer(path: &str) -> bool {
    let inner = path.strip_prefix("app/src/").unwrap_or(path);
    inner.starts_with("platform/")
        || inner.starts_with("domain/")
        || ["/ops", "/store", "/rules", "/outbox", "/sender", "/services", "/reminders", "/calendar"]
            .iter()
            .any(|layer| inner.contains(&format!("{layer}/")) || inner.contains(&format!("{layer}.rs")))
}

fn violations(check: impl Fn(&str, &str) -> Option<String>) -> Vec<String> {
    let mut found = vec![];
    for (path, lines) in sources("app/src") {
        for (n, line) in lines.iter().enumerate() {
            if let Some(why) = check(&path, line) {
                found.push(format!("{path}:{}: {why}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn nothing_below_the_server_functions_imports_them() {
    let found = violations(|path, line| {
        let imports_api = line.contains("crate::api")
            || line.contains("super::api")
            || CAPABILITIES.iter().any(|c| line.contains(&format!("crate::{c}::api")));
        (is_lower_layer(path) && imports_api).then(|| "a lower layer names a server-function module".into())
    });
    assert!(found.is_empty(), "arrows go ui → api → ops → store/rules/platform:\n{}", found.join("\n"));
}

#[test]
fn a_capability_reaches_another_only_through_its_mod_rs() {
    let found = violations(|path, line| {
        let own = capability_of(path);
        CAPABILITIES.iter().filter(|c| Some(**c) != own).find_map(|other| {
            PRIVATE_PARTS
                .iter()
                .any(|part| {
                    line.contains(&format!("crate::{other}::{part}::"))
                        || line.contains(&format!("crate::{other}::{part};"))
                })
                .then(|| format!("reaches inside `{other}`"))
        })
    });
    assert!(found.is_empty(), "use what the other capability's mod.rs exports:\n{}", found.join("\n"));
}

#[test]
fn rules_and_the_shared_vocabulary_do_no_io() {
    let found = violations(|path, line| {
        let inner = path.strip_prefix("app/src/").unwrap_or(path);
        let pure = inner.starts_with("domain/") || inner.contains("/rules/") || inner.ends_with("/rules.rs");
        let io = ["sqlx", "leptos", "axum", "tokio", "crate::platform", "Utc::now", "reqwest"];
        (pure && !inner.ends_with("tests.rs"))
            .then(|| io.iter().find(|w| line.contains(**w)).map(|w| format!("pure rules use `{w}`")))
            .flatten()
    });
    assert!(found.is_empty(), "rules take time and data as arguments:\n{}", found.join("\n"));
}

#[test]
fn every_capability_has_the_same_shape() {
    let root = root().join("app/src");
    for c in CAPABILITIES {
        for part in ["mod.rs", "api.rs", "dto.rs"] {
            assert!(root.join(c).join(part).exists(), "{c}/{part} is missing");
        }
        let has = |name: &str| root.join(c).join(format!("{name}.rs")).exists() || root.join(c).join(name).is_dir();
        assert!(has("ops"), "{c} has no operations (ops.rs or ops/)");
    }
}

#[test]
fn files_stay_readable() {
    let mut long = vec![];
    for folder in ["app/src", "server/src", "server/tests", "bench/src"] {
        for (path, _) in sources(folder) {
            let n = fs::read_to_string(root().join(&path)).expect("readable").lines().count();
            if n > MAX_LINES && !DATA_FILES.contains(&path.as_str()) {
                long.push(format!("{path}: {n} lines"));
            }
        }
    }
    assert!(long.is_empty(), "split these files (at most {MAX_LINES} lines):\n{}", long.join("\n"));
}
