//! The admin exports the audit trail of a period, as CSV for a spreadsheet or as JSON.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{spawn_app, TestDb};

#[tokio::test]
async fn the_admin_exports_the_trail_of_a_period_with_each_row_s_hash() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let url = |file: &str, period: &str| format!("{}/journal/{file}?{period}", app.base);
    let json: Vec<Value> =
        admin.get(url("journal.json", "du=2026-11-01&au=2026-11-30")).send().await.unwrap().json().await.unwrap();
    assert!(json.iter().any(|r| r["kind"] == "member_created"), "{json:?}");
    assert!(json.iter().any(|r| r["kind"] == "login" && r["actor"].is_string()), "the admin's own login, by name");
    assert!(json.iter().all(|r| r["hash"].as_str().is_some_and(|h| h.len() == 64)), "every row carries its hash");
    let res = admin.get(url("journal.csv", "du=2026-11-01&au=2026-11-30")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM, for French spreadsheets");
    assert!(csv.lines().next().unwrap().contains("événement;demande"));
    assert_eq!(csv.lines().count(), json.len() + 1, "one line per row, plus the header");
    let before: Vec<Value> =
        admin.get(url("journal.json", "du=2026-01-01&au=2026-01-31")).send().await.unwrap().json().await.unwrap();
    assert!(before.is_empty(), "nothing happened in January");
    let coord = app.login("coordination").await;
    assert_eq!(coord.get(url("journal.csv", "")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(url("journal.csv", "")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
