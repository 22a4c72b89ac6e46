//! The indicators over HTTP with real sessions: the coordination's page follows what happens,
//! a clinician and a stranger are refused, another CPTS's staff see nothing of this one; the
//! CSV exports (header, BOM, figures) and the *Dossier ACI*; a bad period.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::platform::tenancy::other_cpts;
use crate::support::{spawn_app, TestApp, TestDb};
use app::domain::Role;

fn table<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tables"].as_array().unwrap())
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no table {id} in {report}"))
}

/// The number of requests the report counts (the headline's first figure).
fn requests(report: &Value) -> i64 {
    report["headline"][0][1].as_str().unwrap().parse().unwrap()
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = client.get(format!("{}{path}", app.base)).send().await.unwrap();
    let status = res.status();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_coordination_sees_its_figures_and_nobody_else_does() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let (status, before) =
        app.call(&coord, "indicators/report", json!({ "du": "2026-11-01", "au": "2026-11-30" })).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["label"], "Du 01/11/2026 au 30/11/2026 (heure de Paris)");
    assert_eq!(before["preset"], "ThisMonth");
    // One more request from a patient's call, today: the page counts it.
    app.create_request(&coord, json!({ "source": "patient_call" })).await;
    let (_, after) = app.call(&coord, "indicators/report", json!({ "du": "", "au": "" })).await;
    assert_eq!(requests(&after), requests(&before) + 1, "{after}");
    let row = |r: &Value| -> i64 {
        table(r, "origines")["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row[0] == "Appel du patient")
            .map_or(0, |row| row[1].as_str().unwrap().parse().unwrap())
    };
    assert_eq!(row(&after), row(&before) + 1);
    assert!(table(&after, "semaines")["chart"].as_str().unwrap().starts_with("<svg role=\"img\""));

    let admin = app.login("admin").await;
    assert_eq!(app.call(&admin, "indicators/report", json!({})).await.0, StatusCode::OK);
    let gp = app.login("dr.martin").await;
    let (status, body) = app.call(&gp, "indicators/report", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(app.call(&app.client(), "indicators/report", json!({})).await.0, StatusCode::UNAUTHORIZED);

    // Another CPTS's coordination and admin: their own (empty) CPTS, nothing of this one.
    for (role, client) in other_cpts(&app).await {
        let (status, theirs) = app.call(&client, "indicators/report", json!({})).await;
        if role == Role::Clinician {
            assert_eq!(status, StatusCode::FORBIDDEN);
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{theirs}");
        assert_eq!(requests(&theirs), 0, "{theirs}");
        let text = theirs.to_string();
        assert!(!text.contains("Martin") && !text.contains("Rennes"), "another CPTS's figures leak: {text}");
        let (status, _, csv) = get(&app, &client, "/indicateurs/vacations.csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!String::from_utf8(csv).unwrap().contains("Martin"));
    }
}

#[tokio::test]
async fn each_table_downloads_as_a_french_csv_and_the_dossier_aci_has_everything() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    app.create_request(&coord, json!({ "source": "sas" })).await;
    let (_, report) = app.call(&coord, "indicators/report", json!({})).await;
    let total = table(&report, "origines")["rows"].as_array().unwrap().last().unwrap()[1].as_str().unwrap().to_string();

    let (status, kind, body) = get(&app, &coord, "/indicateurs/origines.csv?du=2026-11-01&au=2026-11-30").await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "a BOM first");
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Origine;Demandes;Consultations;Taux de réponse (%)");
    assert!(lines.iter().any(|l| l.starts_with("SAS;")), "{text}");
    assert!(lines.last().unwrap().starts_with(&format!("Total;{total};")), "{text}");

    let (status, _, body) = get(&app, &coord, "/indicateurs/dossier-aci.csv?du=2026-11-01&au=2026-11-30").await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    assert!(text.starts_with("Rubrique;Tableau;Ligne;Mesure;Valeur;Du;Au\n"), "{text}");
    assert!(
        text.contains(&format!("Réponse;Réponse aux demandes;Demandes;Valeur;{total};01/11/2026;30/11/2026")),
        "{text}"
    );
    assert!(!text.contains("J. D.") && !text.contains("612345678"), "no patient in the dossier");

    let gp = app.login("dr.martin").await;
    assert_eq!(get(&app, &gp, "/indicateurs/origines.csv").await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &app.client(), "/indicateurs/origines.csv").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, &coord, "/indicateurs/inconnu.csv").await.0, StatusCode::NOT_FOUND);
    let (status, _, body) = get(&app, &coord, "/indicateurs/origines.csv?du=2026-12-01&au=2026-11-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8(body).unwrap().starts_with("Au :"), "a French message");
}

#[tokio::test]
async fn a_bad_period_is_refused_in_french_and_a_clinician_sees_their_own_month() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    for (du, au, detail) in [
        ("2026-13-01", "", json!([["from", "invalid_date"]])),
        ("2026-11-30", "2026-11-01", json!([["to", "invalid_time_range"]])),
        ("2020-01-01", "2026-11-30", json!([["to", "out_of_range"]])),
    ] {
        let (status, body) = app.call(&coord, "indicators/report", json!({ "du": du, "au": au })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["detail"], detail, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| m.starts_with("Du") || m.starts_with("Au")), "{body}");
    }
    let gp = app.login("dr.martin").await;
    let (status, mine) = app.call(&gp, "indicators/mine", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["month"], "novembre 2026");
    assert!(mine["answered"].as_i64().is_some() && mine["hours_done"].as_str().is_some(), "{mine}");
    assert_eq!(app.call(&app.client(), "indicators/mine", json!({})).await.0, StatusCode::UNAUTHORIZED);
}
