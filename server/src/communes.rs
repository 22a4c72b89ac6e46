//! The reference list of French communes (`server/data/communes-france.csv`, built by
//! `scripts/communes_reference.py` from INSEE's Code officiel géographique and La Poste's points),
//! shipped in the binary, and its import into a CPTS: the communes of its département(s), or those
//! within a distance of one of them.

use app::domain::geo::GeoPoint;
use app::members::store::{self, Commune};
use app::platform::audit::Audit;
use app::platform::Store;
use chrono::{DateTime, Utc};

/// The list, as shipped.
pub const REFERENCE: &str = include_str!("../data/communes-france.csv");

/// A commune of the reference list.
#[derive(Clone, Debug, PartialEq)]
pub struct RefCommune {
    pub insee: String,
    pub name: String,
    pub departement: String,
    pub postcode: String,
    pub location: GeoPoint,
}

/// The communes of `departements` in `text` (the reference list's format), in file order.
///
/// # Errors
/// On a line that is not `code_insee;nom;departement;codes_postaux;latitude;longitude`.
pub fn of_departements(text: &str, departements: &[String]) -> anyhow::Result<Vec<RefCommune>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let mut out = vec![];
    for (i, record) in reader.records().enumerate() {
        let r = record?;
        let field = |n: usize| r.get(n).unwrap_or_default();
        if !departements.iter().any(|d| d == field(2)) {
            continue;
        }
        let coord = |n: usize| field(n).parse::<f64>().map_err(|_| anyhow::anyhow!("line {}: bad coordinate", i + 2));
        out.push(RefCommune {
            insee: field(0).to_string(),
            name: field(1).to_string(),
            departement: field(2).to_string(),
            postcode: field(3).split(',').next().unwrap_or_default().to_string(),
            location: GeoPoint::new(coord(4)?, coord(5)?),
        });
    }
    Ok(out)
}

/// Keeps the communes within `km` of the one named `around` (compared as written).
///
/// # Errors
/// When no commune has that name.
pub fn within(communes: Vec<RefCommune>, around: &str, km: f64) -> anyhow::Result<Vec<RefCommune>> {
    let centre = communes
        .iter()
        .find(|c| c.name == around || c.insee == around)
        .map(|c| c.location)
        .ok_or_else(|| anyhow::anyhow!("no commune named {around} in these départements"))?;
    Ok(communes.into_iter().filter(|c| c.location.distance_km(centre) <= km).collect())
}

/// What an import did.
#[derive(Debug, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub kept: usize,
}

/// Adds the communes a CPTS does not have yet (by name; two of the same name in different
/// départements get theirs in brackets), in one transaction with one audit line. Communes already
/// there are kept as they are.
///
/// # Errors
/// On a database failure.
pub async fn import(
    store: &Store,
    cpts_id: i64,
    communes: &[RefCommune],
    now: DateTime<Utc>,
) -> anyhow::Result<Imported> {
    let mut tx = store.begin().await?;
    let existing: Vec<String> = store::communes(&mut tx, cpts_id).await?.into_iter().map(|c| c.name).collect();
    let mut names: Vec<String> = existing.clone();
    let (mut added, mut kept) = (0, 0);
    for c in communes {
        let homonyms = communes.iter().filter(|o| o.name == c.name).count() > 1;
        let name = if homonyms { format!("{} ({})", c.name, c.departement) } else { c.name.clone() };
        if names.contains(&name) {
            kept += 1;
            continue;
        }
        store::add_commune(
            &mut tx,
            cpts_id,
            &Commune { name: name.clone(), postcode: c.postcode.clone(), location: c.location },
        )
        .await?;
        sqlx::query("update commune set insee = $3 where cpts_id = $1 and name = $2")
            .bind(cpts_id)
            .bind(&name)
            .bind(&c.insee)
            .execute(&mut *tx)
            .await?;
        names.push(name);
        added += 1;
    }
    Audit::new("communes_imported")
        .cpts(cpts_id)
        .detail(serde_json::json!({ "added": added, "kept": kept }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(Imported { added, kept })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_has_every_commune_of_ille_et_vilaine_placed_where_it_is() {
        let dep = of_departements(REFERENCE, &["35".into()]).unwrap();
        assert_eq!(dep.len(), 332, "the communes of Ille-et-Vilaine in the COG");
        let rennes = dep.iter().find(|c| c.insee == "35238").unwrap();
        assert_eq!((rennes.name.as_str(), rennes.postcode.as_str()), ("Rennes", "35000"));
        // Rennes' town hall is at 48.111 N, 1.680 W: the reference point is within 2 km of it.
        assert!(rennes.location.distance_km(GeoPoint::new(48.1113, -1.6800)) < 2.0);
        let near = within(dep, "Rennes", 10.0).unwrap();
        assert!(near.iter().any(|c| c.name == "Cesson-Sévigné") && !near.iter().any(|c| c.name == "Saint-Malo"));
        assert!(of_departements(REFERENCE, &["2A".into(), "971".into()]).unwrap().len() > 100, "Corsica and overseas");
    }
}
