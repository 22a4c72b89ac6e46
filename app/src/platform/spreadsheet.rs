//! The CSV every export writes (indicators, plannings, the audit journal): what a spreadsheet of
//! the reader's language opens right — UTF-8 with its byte-order mark, `;` between fields for a
//! French reader (whose spreadsheet writes decimal commas), `,` for an English one.

/// Rows as CSV for a spreadsheet of the current language (`crate::i18n::lang`).
///
/// # Errors
/// Only what writing to memory can: none in practice.
pub fn csv(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let delimiter = crate::i18n::pick(b';', b',');
    let mut out = csv::WriterBuilder::new().delimiter(delimiter).from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        out.write_record(row)?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// A CSV file for the browser to save as `name` (never cached: it holds the CPTS's data).
pub fn download(name: &str, body: Vec<u8>) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let mut res = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use crate::i18n::{with_lang, Lang};

    #[test]
    fn a_french_csv_starts_with_a_bom_and_quotes_what_needs_it() {
        let rows = vec![vec!["Commune".to_string(), "Taux (%)".into()], vec!["Saint-Malo; nord".into(), "45,2".into()]];
        let out = with_lang(Lang::Fr, || super::csv(&rows)).unwrap();
        assert_eq!(out, "\u{feff}Commune;Taux (%)\n\"Saint-Malo; nord\";45,2\n".as_bytes());
    }

    #[test]
    fn an_english_csv_is_comma_separated() {
        let rows = vec![vec!["Town".to_string(), "Rate (%)".into()], vec!["Saint-Malo, north".into(), "45.2".into()]];
        let out = with_lang(Lang::En, || super::csv(&rows)).unwrap();
        assert_eq!(out, "\u{feff}Town,Rate (%)\n\"Saint-Malo, north\",45.2\n".as_bytes());
    }
}
