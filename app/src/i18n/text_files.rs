//! The texts of what Relais gives out besides its pages (re-exported by `text`): the offline
//! page, the web app manifest, the CSV exports' headers.

use super::{pick, texts};

texts! {
    PAGE_SANS_RESEAU = "Cette page n'est pas disponible sans réseau.", "This page is not available without the network.";
    COPIES_HORS_LIGNE = "Vos gardes et vos demandes proposées restent consultables hors ligne si vous les avez ouvertes une fois avec le réseau sur ce téléphone.",
        "Your duties and the requests offered to you can still be read offline if you opened them once with the network on this phone.";
    MANIFEST_NAME = "Relais — soins non programmés de la CPTS", "Relais — same-day care of the CPTS";
    MANIFEST_DESCRIPTION = "Les demandes de soins non programmés de la CPTS sur votre téléphone : accepter en deux touches, voir et échanger ses gardes.",
        "The CPTS's same-day care requests on your phone: accept in two taps, see and swap your duties.";
}

/// The header of a planning's export of its vacations.
pub fn csv_planning_header() -> [&'static str; 6] {
    pick(["date", "début", "fin", "type", "places", "tenue par"], ["date", "start", "end", "kind", "places", "held by"])
}

/// The header of a planning's export of the vacations held per member.
pub fn csv_held_header() -> [&'static str; 4] {
    pick(["membre", "vacations", "du", "au"], ["member", "duties", "from", "to"])
}

/// The header of the audit journal's export.
pub fn csv_journal_header() -> [&'static str; 10] {
    pick(
        [
            "n°",
            "date (Paris)",
            "auteur",
            "événement",
            "demande",
            "offre",
            "membre concerné",
            "pour le compte de",
            "détail",
            "empreinte",
        ],
        [
            "no.",
            "date (Paris)",
            "author",
            "event",
            "request",
            "offer",
            "member concerned",
            "on behalf of",
            "detail",
            "hash",
        ],
    )
}
