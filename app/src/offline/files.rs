//! [ssr] The two files the phone keeps for when the network is gone, drawn by the server in the
//! language of the request: the page shown offline instead of one never opened with the network
//! (`/hors-ligne.html`, cached by the service worker when it installs), and the web app manifest
//! (`/manifest.webmanifest`: the installed app's name and description).

use crate::i18n::t;

/// The offline fallback page, in the current language, with the stylesheet at `css` (`/pkg/…`).
pub fn fallback_page(css: &str) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"theme-color\" content=\"#0b5c6b\">\n<title>{app} — {offline}</title>\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         </head>\n<body>\n<main class=\"page phone\">\n  <h1>{offline}</h1>\n\
         <p class=\"banner warn\" role=\"status\">{unavailable}</p>\n  <p>{copies}</p>\n  <ul>\n\
         <li><a href=\"/gardes\">{duties}</a></li>\n    <li><a href=\"/offres\">{offers}</a></li>\n  </ul>\n\
         </main>\n</body>\n</html>\n",
        lang = crate::i18n::lang().code(),
        app = escape(t::APP_NAME()),
        offline = escape(t::HORS_LIGNE()),
        css = escape(css),
        unavailable = escape(t::PAGE_SANS_RESEAU()),
        copies = escape(t::COPIES_HORS_LIGNE()),
        duties = escape(t::MES_GARDES()),
        offers = escape(t::DEMANDES_PROPOSEES()),
    )
}

/// The web app manifest `template` (`public/manifest.webmanifest`: icons, colours, scope) with
/// the name, the description and the language of the current language.
pub fn manifest(template: &serde_json::Value) -> serde_json::Value {
    let mut manifest = template.clone();
    if let Some(fields) = manifest.as_object_mut() {
        fields.insert("name".into(), t::MANIFEST_NAME().into());
        fields.insert("description".into(), t::MANIFEST_DESCRIPTION().into());
        fields.insert("lang".into(), crate::i18n::lang().code().into());
    }
    manifest
}

#[cfg(test)]
mod tests {
    use crate::i18n::{with_lang, Lang};

    #[test]
    fn the_offline_page_speaks_the_language_asked() {
        let fr = with_lang(Lang::Fr, || super::fallback_page("/pkg/relais.abc.css"));
        assert!(fr.contains("<html lang=\"fr\">") && fr.contains("<h1>Hors ligne</h1>"), "{fr}");
        assert!(fr.contains("href=\"/pkg/relais.abc.css\"") && fr.contains(">Mes gardes</a>"), "{fr}");
        let en = with_lang(Lang::En, || super::fallback_page("/pkg/relais.abc.css"));
        assert!(en.contains("<html lang=\"en\">") && en.contains("<h1>Offline</h1>"), "{en}");
        assert!(en.contains("not available without the network") && en.contains(">My duties</a>"), "{en}");
    }

    #[test]
    fn the_manifest_keeps_its_template_and_takes_the_language() {
        let template =
            serde_json::json!({ "short_name": "Relais", "display": "standalone", "icons": [{ "src": "/i.png" }] });
        let en = with_lang(Lang::En, || super::manifest(&template));
        assert_eq!(en["lang"], "en");
        assert_eq!(en["name"], "Relais — same-day care of the CPTS");
        assert_eq!((&en["display"], &en["icons"][0]["src"]), (&template["display"], &template["icons"][0]["src"]));
        let fr = with_lang(Lang::Fr, || super::manifest(&template));
        assert_eq!(fr["lang"], "fr");
        assert!(fr["description"].as_str().unwrap().contains("soins non programmés"));
    }
}
