//! Duty vacations over HTTP.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{backends, spawn_app};

/// Two clinicians tap "Prendre" on the last place at the same instant, over HTTP.
#[tokio::test]
async fn concurrent_takes_of_the_last_place_over_http_make_one_holder() {
    for db in backends().await {
        let app = spawn_app(&db, 20).await;
        let admin = app.login("admin").await;
        let (status, planning) =
            app.call(&admin, "plannings/create", json!({ "name": "Course", "notice_hours": "48" })).await;
        assert_eq!(status, StatusCode::OK, "{planning}");
        let members: Vec<i64> = {
            let mut conn = app.state.store.reader().await.unwrap();
            let (cpts, _) = app::members::first_cpts(&mut conn).await.unwrap().unwrap();
            app::members::members(&mut conn, cpts)
                .await
                .unwrap()
                .iter()
                .filter(|m| m.email.starts_with("bench."))
                .map(|m| m.id)
                .collect()
        };
        let (status, body) = app
            .call(
                &admin,
                "plannings/add_group",
                json!({ "planning_id": planning, "name": "Tous", "dimension": "profession", "member_ids": members }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let form = json!({ "kind": "snp_office", "weekdays": ["3"], "hours": "14:00-18:00", "from": "2026-11-25", "to": "2026-11-25", "capacity": "1", "self_service": "on" });
        let (status, body) =
            app.call(&admin, "plannings/generate", json!({ "planning_id": planning, "form": form })).await;
        assert_eq!((status, body.clone()), (StatusCode::OK, json!(1)), "{body}");
        let (_, view) = app
            .call(&admin, "plannings/view", json!({ "planning_id": planning, "from": "2026-11-23", "days": 7 }))
            .await;
        let vacation = view["vacations"][0]["id"].as_i64().unwrap();
        let mut clients = vec![];
        for i in 0..20 {
            clients.push(app.login(&format!("bench.gp{i:04}")).await);
        }
        let tasks: Vec<_> = clients
            .into_iter()
            .map(|c| {
                let base = app.base.clone();
                tokio::spawn(async move {
                    let res = c
                        .post(format!("{base}/api/vacations/take"))
                        .json(&json!({ "vacation_id": vacation }))
                        .send()
                        .await
                        .unwrap();
                    (res.status(), res.json::<serde_json::Value>().await.unwrap())
                })
            })
            .collect();
        let mut results = vec![];
        for t in tasks {
            results.push(t.await.unwrap());
        }
        let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
        let full = results.iter().filter(|(s, b)| *s == StatusCode::CONFLICT && b["detail"]["rule"] == "full").count();
        assert_eq!((ok, full), (1, 19), "{}: {results:?}", db.url);
        app.state.store.close().await;
        db.drop_db().await;
    }
}
