//! The CSV every export writes (indicators, plannings, the audit journal): what a French
//! spreadsheet opens right — UTF-8 with its byte-order mark, `;` between fields.

/// Rows as CSV for a French spreadsheet.
///
/// # Errors
/// Only what writing to memory can: none in practice.
pub fn french_csv(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        out.write_record(row)?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_french_csv_starts_with_a_bom_and_quotes_what_needs_it() {
        let rows = vec![vec!["Commune".to_string(), "Taux (%)".into()], vec!["Saint-Malo; nord".into(), "45,2".into()]];
        let out = super::french_csv(&rows).unwrap();
        assert_eq!(out, "\u{feff}Commune;Taux (%)\n\"Saint-Malo; nord\";45,2\n".as_bytes());
    }
}
