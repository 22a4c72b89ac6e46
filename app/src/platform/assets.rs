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
}

impl PkgNames {
    /// The plain names of the build called `output` (`relais`).
    pub fn plain(output: &str) -> Self {
        Self { js: format!("{output}.js"), wasm: format!("{output}.wasm"), css: format!("{output}.css"), hashed: false }
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
            Some(names) if [&names.js, &names.wasm, &names.css].iter().all(|f| pkg.join(f).is_file()) => names,
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
        })
    }

    /// Whether the file `name` of `/pkg` may be cached for good.
    pub fn is_immutable(&self, name: &str) -> bool {
        self.hashed && [&self.js, &self.wasm, &self.css].iter().any(|f| f.as_str() == name)
    }

    /// Rewrites the plain paths `/pkg/relais.js`, `.wasm` and `.css` in `text` to this build's.
    pub fn stamp(&self, output: &str, text: &str) -> String {
        let plain = Self::plain(output);
        text.replace(&format!("/pkg/{}", plain.js), &format!("/pkg/{}", self.js))
            .replace(&format!("/pkg/{}", plain.wasm), &format!("/pkg/{}", self.wasm))
            .replace(&format!("/pkg/{}", plain.css), &format!("/pkg/{}", self.css))
    }
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
