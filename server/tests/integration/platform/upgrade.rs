//! Upgrades: a database of the previous schema, with its data (the fixture in
//! `server/tests/fixtures/upgrade/`), is migrated by this binary on SQLite and PostgreSQL; every
//! row is still there, the audit chain verifies, and the app serves it.

use std::collections::BTreeMap;

use serde_json::json;

use crate::support::{backends, spawn_app};

/// The last migration of the previous schema, and its data.
const PREVIOUS: i64 = 20261207000000;
const FIXTURE: &str = include_str!("../../fixtures/upgrade/20261207000000.sql");

/// How many rows of each table the fixture holds.
fn fixture_counts() -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for line in FIXTURE.lines() {
        if let Some(table) = line.strip_prefix("insert into ").and_then(|l| l.split(' ').next()) {
            *counts.entry(table.to_string()).or_default() += 1;
        }
    }
    counts
}

#[tokio::test]
async fn a_database_of_the_previous_version_is_migrated_whole_and_served() {
    let expected = fixture_counts();
    assert!(expected["snp_request"] > 50 && expected["vacation"] > 10 && expected["audit_event"] > 20, "{expected:?}");
    for db in backends().await {
        server::previous_schema::make(&db.url, PREVIOUS, FIXTURE).await.unwrap();
        // Starting the app migrates it.
        let app = spawn_app(&db, 0).await;
        let (pending, unknown) = app.state.store.migration_gap().await.unwrap();
        assert!(pending.is_empty() && unknown.is_empty(), "{pending:?} {unknown:?}");
        let mut conn = app.state.store.reader().await.unwrap();
        for (table, rows) in &expected {
            let found: i64 =
                sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(&mut *conn).await.unwrap();
            assert_eq!(found, *rows, "{table} on {}", db.url);
        }
        let verified = app::platform::audit::verify(&mut conn).await.unwrap();
        assert!(verified.broken.is_none(), "{:?}", verified.broken.map(|b| b.why));
        assert_eq!(verified.rows as i64, expected["audit_event"]);
        drop(conn);

        // The app serves it: the coordination's board and a clinician's duties, in French
        // (nobody had chosen a language before the column existed).
        let coord = app.login("coordination").await;
        let (status, board) = app.call(&coord, "requests/board", json!({})).await;
        assert_eq!(status, 200, "{board}");
        let martin = app.login("dr.martin").await;
        let page = martin.get(format!("{}/gardes", app.base)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("lang=\"fr\""), "French by default");
        assert!(html.contains("Mes gardes"), "the duties page is drawn");
        db.drop_db().await;
    }
}
