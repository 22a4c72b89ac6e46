//! [ssr] The names of the browser's files in `/pkg`: `relais.js`, `relais.wasm` and `relais.css`,
//! or, in a release build made with hashed names (cargo-leptos `hash-files`), `relais.<hash>.js`
//! and so on, as listed by the hash file cargo-leptos writes next to the server's executable
//! (where Leptos reads it too). A hashed name never changes content, so browsers keep it a
//! year without asking again; a plain name must be revalidated. The pages name these files
//! through Leptos; the service worker, the offline page and the small pages outside the app
//! name them through here.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use leptos::config::LeptosOptions;

/// The three files of a build, by their names in `/pkg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PkgNames {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// Whether these are content-hashed names (cacheable for good).
    pub hashed: bool,
    /// The other files of a hashed build split in parts (`cargo leptos build --split`): the
    /// parts of the WebAssembly that the lazy islands load, the script that loads them and its
    /// manifest, each named with the hash of its content too.
    pub parts: Vec<String>,
}

impl PkgNames {
    /// The plain names of the build called `output` (`relais`).
    pub fn plain(output: &str) -> Self {
        Self {
            js: format!("{output}.js"),
            wasm: format!("{output}.wasm"),
            css: format!("{output}.css"),
            hashed: false,
            parts: Vec::new(),
        }
    }

    /// The names of the build these options describe: hashed when the hash file lists them and
    /// the hashed files are there (whatever `hash_files` says: a build is served as it was made),
    /// plain otherwise.
    pub fn resolve(options: &LeptosOptions) -> Self {
        let plain = Self::plain(&options.output_name);
        let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let Ok(listing) = std::fs::read_to_string(hash_file(options)) else {
            return plain;
        };
        match Self::from_listing(&options.output_name, &listing) {
            Some(mut names) if [&names.js, &names.wasm, &names.css].iter().all(|f| pkg.join(f).is_file()) => {
                let files = std::fs::read_dir(&pkg).into_iter().flatten().flatten();
                let mut parts: Vec<String> = files
                    .filter(|f| f.path().is_file())
                    .filter_map(|f| f.file_name().into_string().ok())
                    .filter(|name| has_content_hash(name) && !names.is_immutable(name))
                    .collect();
                parts.sort();
                names.parts = parts;
                names
            }
            Some(_) => {
                tracing::warn!("the hash file names files that are not in {}: plain names used", pkg.display());
                plain
            }
            None => plain,
        }
    }

    /// Reads cargo-leptos' hash file: `js: <hash>`, `wasm: <hash>`, `css: <hash>` lines.
    pub fn from_listing(output: &str, listing: &str) -> Option<Self> {
        let hash_of = |kind: &str| {
            listing.lines().find_map(|line| {
                let (k, v) = line.split_once(':')?;
                let v = v.trim();
                let safe = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                (k.trim() == kind && safe).then(|| v.to_string())
            })
        };
        Some(Self {
            js: format!("{output}.{}.js", hash_of("js")?),
            wasm: format!("{output}.{}.wasm", hash_of("wasm")?),
            css: format!("{output}.{}.css", hash_of("css")?),
            hashed: true,
            parts: Vec::new(),
        })
    }

    /// The script that loads the parts of a split build (`__wasm_split.<hash>.js`), which the
    /// main module imports.
    pub fn loader(&self) -> Option<&str> {
        self.parts.iter().map(String::as_str).find(|p| p.starts_with("__wasm_split.") && p.ends_with(".js"))
    }

    /// Whether the file `name` of `/pkg` may be cached for good.
    pub fn is_immutable(&self, name: &str) -> bool {
        self.hashed && [&self.js, &self.wasm, &self.css].into_iter().chain(&self.parts).any(|f| f.as_str() == name)
    }

    /// Rewrites the plain paths `/pkg/relais.js`, `.wasm` and `.css` in `text` to this build's.
    pub fn stamp(&self, output: &str, text: &str) -> String {
        let plain = Self::plain(output);
        text.replace(&format!("/pkg/{}", plain.js), &format!("/pkg/{}", self.js))
            .replace(&format!("/pkg/{}", plain.wasm), &format!("/pkg/{}", self.wasm))
            .replace(&format!("/pkg/{}", plain.css), &format!("/pkg/{}", self.css))
    }
}

/// Whether a file name carries the hash cargo-leptos names each file of a hashed build with:
/// `<name>.<22 characters of base64url>.<extension>` (`chunk_3.AbC…xYz.wasm`).
fn has_content_hash(name: &str) -> bool {
    let mut pieces = name.rsplit('.');
    let (Some(ext), Some(hash), Some(stem)) = (pieces.next(), pieces.next(), pieces.next()) else { return false };
    !ext.is_empty()
        && !stem.is_empty()
        && hash.len() == 22
        && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Where Leptos and cargo-leptos keep the hash file: next to the running executable (an
/// absolute `hash_file` is taken as is).
fn hash_file(options: &LeptosOptions) -> PathBuf {
    let dir = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    dir.join(options.hash_file.as_ref())
}

static CURRENT: OnceLock<PkgNames> = OnceLock::new();

/// Records the names of the build this process serves (once, at start).
pub fn install(names: PkgNames) {
    let _ = CURRENT.set(names);
}

/// The names of the build this process serves.
pub fn current() -> &'static PkgNames {
    CURRENT.get_or_init(|| PkgNames::plain("relais"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_file_gives_hashed_names_that_alone_are_immutable() {
        let listing = "js: Ab_c-1\nwasm: W2\ncss: C3\n";
        let names = PkgNames::from_listing("relais", listing).expect("names");
        assert_eq!(names.js, "relais.Ab_c-1.js");
        assert_eq!(names.wasm, "relais.W2.wasm");
        assert_eq!(names.css, "relais.C3.css");
        assert!(names.is_immutable("relais.W2.wasm"));
        assert!(!names.is_immutable("relais.wasm") && !names.is_immutable("snippets.js"));
        assert!(!PkgNames::plain("relais").is_immutable("relais.wasm"));
    }

    #[test]
    fn the_parts_of_a_split_build_are_immutable_when_their_name_carries_their_hash() {
        assert!(has_content_hash("chunk_3.AbCdEfGhIjKlMnOpQrSt_-.wasm"));
        assert!(has_content_hash("__wasm_split.AbCdEfGhIjKlMnOpQrSt_-.js"));
        assert!(!has_content_hash("chunk_3.wasm"));
        assert!(!has_content_hash("chunk_3.AbCdEfGhIjKlMnOpQrSt.wasm"));
        assert!(!has_content_hash(".AbCdEfGhIjKlMnOpQrSt_-.wasm"));
        assert!(!has_content_hash("chunk_3.AbCdEfGhIjKlMnOpQr/t_-.wasm"));
        let mut names = PkgNames::from_listing("relais", "js: J\nwasm: W\ncss: C\n").unwrap();
        names.parts = vec!["chunk_3.AbCdEfGhIjKlMnOpQrSt_-.wasm".into()];
        assert!(names.is_immutable("chunk_3.AbCdEfGhIjKlMnOpQrSt_-.wasm"));
        assert!(!names.is_immutable("chunk_4.AbCdEfGhIjKlMnOpQrSt_-.wasm"));
        assert_eq!(names.loader(), None);
        names.parts.push("__wasm_split.AbCdEfGhIjKlMnOpQrSt_-.js".into());
        assert_eq!(names.loader(), Some("__wasm_split.AbCdEfGhIjKlMnOpQrSt_-.js"));
        assert!(!PkgNames { hashed: false, ..names }.is_immutable("chunk_3.AbCdEfGhIjKlMnOpQrSt_-.wasm"));
    }

    #[test]
    fn an_incomplete_or_strange_hash_file_is_not_trusted() {
        assert_eq!(PkgNames::from_listing("relais", "js: a\nwasm: b\n"), None);
        assert_eq!(PkgNames::from_listing("relais", "js: a/../b\nwasm: b\ncss: c\n"), None);
    }

    #[test]
    fn stamping_rewrites_the_plain_paths_only() {
        let names = PkgNames::from_listing("relais", "js: J\nwasm: W\ncss: C\n").unwrap();
        let sw = r#"["/pkg/relais.js", "/pkg/relais.wasm", "/pkg/relais.css", "/favicon.svg"]"#;
        assert_eq!(
            names.stamp("relais", sw),
            r#"["/pkg/relais.J.js", "/pkg/relais.W.wasm", "/pkg/relais.C.css", "/favicon.svg"]"#
        );
        assert_eq!(PkgNames::plain("relais").stamp("relais", sw), sw);
    }
}
