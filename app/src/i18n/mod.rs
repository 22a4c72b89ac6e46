//! Every word the interface shows, in one place, in French (the product's language and the
//! default) and in English.
//!
//! Each text is a function of the page's language, [`lang`]: `t::ACCEPTER()`, `t::status(s)`.
//! The texts are declared with [`texts!`], which takes both languages for each one: a text
//! missing in one language does not compile. The language of a page is the member's choice
//! (Réglages), else the browser's (`Accept-Language`), else French; the server puts it in the
//! page (`<html lang>`) and the WebAssembly reads it there.

pub mod text;
pub mod text_dental;
pub mod text_dispatch;
pub mod text_domain;
pub mod text_files;
pub mod text_indicators;
pub mod text_members;
pub mod text_planning;
pub mod text_slots;
pub mod text_teleconsult;

#[cfg(test)]
mod tests;

pub use text as t;

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code (`fr`, `en`), as in `<html lang>` and the database.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// A code as [`Lang::code`] writes it, or a regional variant (`en-GB`).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The browser's choice from its `Accept-Language` header: the preferred language Relais
    /// speaks, French when it speaks none of them.
    #[cfg(feature = "ssr")]
    pub fn from_accept_language(header: &str) -> Lang {
        accept_language::parse(header).iter().find_map(|code| Lang::parse(code)).unwrap_or_default()
    }

    /// Its own name, in itself (what a language menu shows).
    pub fn name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }
}

/// The language of the page being drawn or of the call being answered.
///
/// On the server, the request's (the server finds it before anything runs: the member's choice,
/// else the browser's);
/// in the browser, the page's, read once at start from `<html lang>`; French elsewhere.
pub fn lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        page::get()
    }
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    {
        // Pages carry it as a context (see `ui::shell`); a server function reads its request.
        leptos::prelude::use_context::<Lang>().unwrap_or_else(request_lang)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        leptos::prelude::use_context::<Lang>().unwrap_or_default()
    }
}

/// The language of the request being answered, as the server found it before anything ran (the
/// member's choice, else the browser's `Accept-Language`, else French).
#[cfg(feature = "ssr")]
pub fn request_lang() -> Lang {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>();
    parts.and_then(|p| p.extensions.get::<Lang>().copied()).unwrap_or_default()
}

/// The browser side: one page, one language.
#[cfg(feature = "hydrate")]
pub mod page {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::Lang;

    static ENGLISH: AtomicBool = AtomicBool::new(false);

    pub fn get() -> Lang {
        if ENGLISH.load(Ordering::Relaxed) {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    /// Reads the page's language from `<html lang>`, as the server wrote it.
    pub fn init() {
        let code = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"));
        let lang = code.as_deref().and_then(Lang::parse).unwrap_or_default();
        ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
    }
}

/// The text of the current language among two.
#[inline]
pub fn pick<T>(fr: T, en: T) -> T {
    match lang() {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// Formats in the current language: `fmt!("{n} places", "{n} seats")`, each with the
/// variables it names.
macro_rules! fmt {
    ($fr:literal, $en:literal $(,)?) => {
        match $crate::i18n::lang() {
            $crate::i18n::Lang::Fr => format!($fr),
            $crate::i18n::Lang::En => format!($en),
        }
    };
}
pub(crate) use fmt;

/// Declares texts in both languages: `NAME = "français", "English";`. Each becomes a function
/// `NAME()` giving the current language's; the list of all of them (`ENTRIES`: name, French,
/// English) is what the catalogue's tests read.
macro_rules! texts {
    ($( $(#[$meta:meta])* $name:ident = $fr:literal, $en:literal; )*) => {
        $(
            $(#[$meta])*
            #[allow(non_snake_case)]
            #[inline]
            pub fn $name() -> &'static str {
                $crate::i18n::pick($fr, $en)
            }
        )*
        /// Every text of this module: name, French, English.
        #[allow(dead_code)]
        pub(crate) const ENTRIES: &[(&str, &str, &str)] = &[$((stringify!($name), $fr, $en)),*];
    };
}
pub(crate) use texts;

/// Runs `f` with `lang` as the current language (outside a page: tests, messages for a member).
pub fn with_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    speaking(lang).with(f)
}

/// A reactive owner under the current one whose language is `lang`.
fn speaking(lang: Lang) -> leptos::prelude::Owner {
    let owner = leptos::prelude::Owner::current().map(|o| o.child()).unwrap_or_default();
    owner.with(|| leptos::prelude::provide_context(lang));
    owner
}

/// Runs the future `f` with `lang` as the current language, for as long as it runs (an export
/// or a plain handler answering outside a page).
#[cfg(feature = "ssr")]
pub async fn in_lang<F: std::future::Future>(lang: Lang, f: F) -> F::Output {
    leptos::reactive::computed::ScopedFuture { owner: speaking(lang), observer: None, fut: f }.await
}
