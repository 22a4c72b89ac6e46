//! Members of another CPTS, and suspended members, get nothing: every server function, called
//! with the real ids of a CPTS's records, neither reveals nor changes them.

use app::domain::{Profession, Role};
use app::members::store::{create_cpts, create_member, NewMember};
use reqwest::StatusCode;
use serde_json::json;

use crate::platform::http::{access_table, plausible_args};
use crate::support::{spawn_app, NowUtc, TestApp, TestDb};

const PASSWORD: &str = "mot-de-passe-autre-cpts";

/// A second CPTS with an admin, a coordinator and a GP; returns their logged-in clients.
pub(crate) async fn other_cpts(app: &TestApp) -> Vec<(Role, reqwest::Client)> {
    let now = app.clock.now_utc();
    let hash = app::auth::ops::hash_password(PASSWORD.into()).await.unwrap();
    let mut tx = app.state.store.begin().await.unwrap();
    let cpts = create_cpts(&mut tx, "CPTS Autre Territoire", now).await.unwrap();
    let roles = [(Role::Admin, None), (Role::Coordinator, None), (Role::Clinician, Some(Profession::Gp))];
    for (role, profession) in roles {
        let member = NewMember {
            cpts_id: cpts,
            email: format!("{}@autre.test", role.code()),
            display_name: format!("Autre {}", role.code()),
            role,
            profession,
            rpps: None,
            commune: None,
            location: None,
            teleconsult: false,
            weekly_cap: 10,
            password_hash: hash.clone(),
        };
        create_member(&mut tx, &member, None, now).await.unwrap().unwrap();
    }
    tx.commit().await.unwrap();
    let mut clients = vec![];
    for (role, _) in roles {
        let client = app.client();
        let (status, body) = app
            .call(
                &client,
                "auth/login",
                json!({ "email": format!("{}@autre.test", role.code()), "password": PASSWORD }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        clients.push((role, client));
    }
    clients
}

async fn audit_of(app: &TestApp, cpts: i64) -> i64 {
    let mut conn = app.state.store.reader().await.unwrap();
    sqlx::query_scalar("select count(*) from audit_event where cpts_id = $1")
        .bind(cpts)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_member_of_another_cpts_neither_sees_nor_changes_anything_of_this_one() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    // Records of the demo CPTS: a pushed request, a planning with its group and vacations, a
    // cession offered to all.
    let coord = app.login("coordination").await;
    let request_id =
        app.create_request(&coord, json!({ "patient_name": "Zoé Secret", "callback_phone": "06 99 88 77 66" })).await;
    app.call(&coord, "requests/push", json!({ "request_id": request_id })).await;
    let martin = app.login("dr.martin").await;
    let mine = app.call(&martin, "vacations/mine", json!({})).await.1;
    let vacation_id = mine["mine"][0]["id"].as_i64().expect("martin holds a vacation");
    let planning_id = mine["mine"][0]["planning_id"].as_i64().unwrap();
    let (status, change_id) =
        app.call(&martin, "vacations/propose", json!({ "vacation_id": vacation_id, "kind": "cession" })).await;
    assert_eq!(status, StatusCode::OK, "{change_id}");
    let admin = app.login("admin").await;
    let planning = app.call(&admin, "plannings/view", json!({ "planning_id": planning_id })).await.1;
    let group_id = planning["groups"][0]["id"].as_i64().unwrap();
    let martin_id = app.call(&martin, "auth/me", json!({})).await.1["id"].as_i64().unwrap();
    let cpts = {
        let mut conn = app.state.store.reader().await.unwrap();
        app::members::first_cpts(&mut conn).await.unwrap().unwrap().0
    };
    let (referral_id, dentist_id): (i64, i64) = {
        let mut conn = app.state.store.reader().await.unwrap();
        let row = sqlx::query("select id, dentist_id from dental_referral").fetch_one(&mut *conn).await.unwrap();
        (sqlx::Row::get(&row, 0), sqlx::Row::get(&row, 1))
    };
    let secrets = ["Zoé Secret", "99 88 77 66", "Martin", "SNP médecins", "C. D.", "22 33 44 55", "Douleur depuis"];
    let args = json!({
        "request_id": request_id, "vacation_id": vacation_id, "planning_id": planning_id, "group_id": group_id,
        "change_id": change_id, "member_id": martin_id, "to_member_id": martin_id, "counter_vacation_id": vacation_id,
        "kind": "cession", "accept": "yes", "outcome": "cancelled", "name": "Prise de contrôle",
        "dimension": "territory", "member_ids": [], "hours": 0, "days": 7, "device_id": 1,
        "referral_id": referral_id, "version": 0, "dentist_id": dentist_id, "criterion_id": 1, "label": "Prise",
        "professions": ["gp"], "reoriented_to": "sas",
        "form": { "kind": "snp_office", "weekdays": ["1"], "hours": "08:00-12:00", "from": "2026-11-24", "to": "2026-11-30", "capacity": "1" },
    });
    let before = audit_of(&app, cpts).await;
    for (role, client) in other_cpts(&app).await {
        for (endpoint, access) in access_table() {
            // What anyone may call (logging in, the demo login page) is public by design.
            if access == app::platform::access::Access::Anyone || !access.admits(role) {
                continue;
            }
            let (status, body) = app.call(&client, endpoint, args.clone()).await;
            assert!(!status.is_server_error(), "{endpoint} as {role:?}: {status} {body}");
            let text = body.to_string();
            for secret in secrets {
                assert!(!text.contains(secret), "{endpoint} as another CPTS's {role:?} reveals {secret:?}: {text}");
            }
        }
    }
    assert_eq!(audit_of(&app, cpts).await, before, "nothing of this CPTS changed");
    let (_, offers) = app.call(&admin, "requests/detail", json!({ "request_id": request_id })).await;
    assert_eq!(offers["item"]["request"]["status"], "pushed", "the request is still waiting");
}

#[tokio::test]
async fn a_suspended_member_is_turned_away_by_every_server_function_at_once() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let martin = app.login("dr.martin").await;
    let coord = app.login("coordination").await;
    // The admin suspends them while their sessions are open.
    let admin = app.login("admin").await;
    for login in ["dr.martin", "coordination"] {
        let id = crate::support::member(&app.state, login).await.id;
        let (status, body) = app.call(&admin, "members/suspend", json!({ "member_id": id })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    for (endpoint, access) in access_table() {
        if access == app::platform::access::Access::Anyone {
            continue;
        }
        for client in [&martin, &coord] {
            let (status, body) = app.call(client, endpoint, plausible_args()).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}: {body}");
        }
    }
    let (_, me) = app.call(&martin, "auth/me", json!({})).await;
    assert!(me.is_null(), "the session no longer names anyone: {me}");
}
