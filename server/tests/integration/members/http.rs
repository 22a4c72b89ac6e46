//! Members over HTTP: the admin invites, the invitee's link opens the account with or without
//! JavaScript, a suspension closes the member's live stream at once, "log out my other devices".

use std::time::Duration;

use app::domain::{Profession, Role};
use app::members::store::{create_cpts, create_member, MemberRow, NewMember};
use app::planning::ops as planning;
use app::planning::rules::{GenerateForm, GroupRule};
use app::platform::AppState;
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::json;

use crate::platform::live::{open_stream, wait_for};
use crate::support::{backends, member, spawn_app, TestDb};

/// The admin of a second CPTS (created here).
pub(crate) async fn other_cpts_admin(state: &AppState) -> MemberRow {
    let now = state.now();
    let mut tx = state.store.begin().await.unwrap();
    let cpts = create_cpts(&mut tx, "CPTS Voisine", now).await.unwrap();
    let new = NewMember {
        cpts_id: cpts,
        email: "admin@voisine.test".into(),
        display_name: "Admin voisine".into(),
        role: Role::Admin,
        profession: None,
        rpps: None,
        commune: None,
        location: None,
        teleconsult: false,
        weekly_cap: 10,
        password_hash: String::new(),
    };
    let id = create_member(&mut tx, &new, None, now).await.unwrap().unwrap();
    let m = app::members::member(&mut tx, id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    m
}

/// A vacation next week that `m` (a GP) took; its id.
pub(crate) async fn future_vacation_taken_by(state: &AppState, m: &MemberRow) -> i64 {
    let admin = member(state, "admin").await;
    let id = planning::create_planning(state, &admin, "Départs", 48).await.unwrap();
    planning::create_group(state, &admin, id, "Moi", "profession", GroupRule::default(), &[m.id]).await.unwrap();
    let monday = state.now().date_naive() + chrono::Duration::days(7);
    let form = GenerateForm {
        kind: "snp_office".into(),
        weekdays: vec!["1".into(), "2".into(), "3".into(), "4".into(), "5".into()],
        // In the evening: the demo's own plannings hold the member's days.
        hours: "20:00-22:00".into(),
        from: monday.to_string(),
        to: (monday + chrono::Duration::days(6)).to_string(),
        capacity: "1".into(),
        skip_holidays: String::new(),
        self_service: "on".into(),
    };
    assert!(planning::generate(state, &admin, id, &form).await.unwrap() >= 1);
    let mut conn = state.store.reader().await.unwrap();
    let vacations =
        app::planning::store::planning_vacations(&mut conn, id, state.now(), state.now() + chrono::Duration::days(30))
            .await
            .unwrap();
    drop(conn);
    let v = vacations[0].vacation.id;
    planning::take(state, m, v).await.unwrap();
    v
}

#[tokio::test]
async fn an_admin_invites_and_the_link_opens_the_account_logged_in() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let invite = json!({ "email": "inf.durand@exemple.fr", "name": "Léa Durand", "profession": "nurse",
                         "rpps": "10003456786", "commune": "Bruz", "role": "clinician" });
    let (status, body) = app.call(&admin, "members/invite", invite.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let link = body["demo_link"].as_str().expect("demo mode answers the link").to_string();
    assert!(link.starts_with(&app.base), "{link}");
    let (status, body) = app.call(&admin, "members/invite", invite).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("email")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("Déjà utilisé"), "{body}");
    let (_, bad) = app
        .call(
            &admin,
            "members/invite",
            json!({ "email": "x@exemple.fr", "name": "X", "profession": "gp", "rpps": "12345678901" }),
        )
        .await;
    assert_eq!(bad["field"], "rpps", "{bad}");
    assert!(bad["message"].as_str().unwrap().contains("clé de contrôle"), "{bad}");
    // The page renders without JavaScript; a plain form post opens the account and logs in.
    let token = link.rsplit('/').next().unwrap();
    let page = app.client().get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Léa Durand") && page.contains("Créer mon compte"), "invitation page");
    let browser =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let res = browser
        .post(format!("{}/api/members/accept", app.base))
        .header("accept", "text/html")
        .header("referer", &link)
        .form(&[("token", token), ("password", "une phrase de passe")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers().get("location").unwrap(), "/");
    let (_, me) = app.call(&browser, "auth/me", json!({})).await;
    assert_eq!(me["display_name"], "Léa Durand", "{me}");
    // Used: the link now says so.
    let (status, body) = app.call(&app.client(), "members/invitation", json!({ "token": token })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::GONE, Some("invitation")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("déjà servi"), "{body}");
    let (status, _) = app.call(&app.client(), "members/invitation", json!({ "token": "inconnu" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = app.call(&admin, "members/page", json!({})).await;
    let names: Vec<&str> = page["members"].as_array().unwrap().iter().filter_map(|m| m["name"].as_str()).collect();
    assert!(names.contains(&"Léa Durand"), "{names:?}");
}

#[tokio::test]
async fn a_suspension_closes_the_members_live_stream_at_once_and_refuses_their_next_call() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let martin = app.login("dr.martin").await;
    let coord = app.login("coordination").await;
    let id = app.create_request(&coord, json!({})).await;
    let (status, _) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(status, StatusCode::OK);
    let mut stream = open_stream(&app, &martin).await;
    wait_for(&mut stream, "hello").await;
    let gp = member(&app.state, "dr.martin").await;
    let (status, body) = app.call(&admin, "members/suspend", json!({ "member_id": gp.id })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Well before the 15-second recheck: the suspension itself closes the stream.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived the suspension");
    let (status, body) = app.call(&martin, "offers/inbox", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) =
        app.call(&app.client(), "auth/login", json!({ "email": gp.email, "password": app::DEMO_PASSWORD })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("suspended")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("suspendu"), "{body}");
    let live: i64 = sqlx::query_scalar("select count(*) from offer where member_id = $1 and state in ('sent', 'seen')")
        .bind(gp.id)
        .fetch_one(&mut *app.state.store.reader().await.unwrap())
        .await
        .unwrap();
    assert_eq!(live, 0, "their offers were withdrawn");
}

#[tokio::test]
async fn logging_out_the_other_devices_keeps_this_one() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let phone = app.login("dr.martin").await;
    let desktop = app.login("dr.martin").await;
    let (_, me) = app.call(&desktop, "auth/me", json!({})).await;
    assert_eq!(me["display_name"], "Dr Sophie Martin", "the desktop's session, now remembered by the server");
    let (_, p) = app.call(&phone, "members/profile", json!({})).await;
    assert_eq!(p["other_sessions"], 1, "{p}");
    let (status, ended) = app.call(&phone, "auth/logout_others", json!({})).await;
    assert_eq!((status, ended.as_i64()), (StatusCode::OK, Some(1)));
    let (_, me) = app.call(&desktop, "auth/me", json!({})).await;
    assert!(me.is_null(), "{me}");
    let (_, me) = app.call(&phone, "auth/me", json!({})).await;
    assert_eq!(me["display_name"], "Dr Sophie Martin");
}

/// A client that always sends the session cookie of a fresh login of `login`, whatever the
/// server answers (a browser's copy of the cookie that a logout elsewhere does not clear).
async fn holding_cookie(app: &crate::support::TestApp, login: &str) -> reqwest::Client {
    let creds = json!({ "email": crate::support::email(login), "password": app::DEMO_PASSWORD });
    let res = app.client().post(format!("{}/api/auth/login", app.base)).json(&creds).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

#[tokio::test]
async fn what_one_instance_changes_reaches_at_once_the_sessions_another_remembers() {
    // Instances share their events through PostgreSQL (one SQLite server is one instance).
    let Some(db) = TestDb::postgres().await else { return };
    let app = spawn_app(&db, 0).await;
    let other = second_instance(&db, &app).await;
    let phone = app.login("dr.martin").await;
    let desktop = app.login("dr.martin").await;
    let leroy = holding_cookie(&app, "dr.leroy").await;
    let bernard = app.login("dr.bernard").await;
    for client in [&phone, &desktop, &leroy, &bernard] {
        let (_, me) = other.call(client, "auth/me", json!({})).await;
        assert!(me["display_name"].is_string(), "read, and remembered, by the other instance: {me}");
    }
    app.call(&phone, "auth/logout_others", json!({})).await;
    app.call(&leroy, "auth/logout", json!({})).await;
    let (status, _) = app.call(&bernard, "members/save_language", json!({ "lang": "en" })).await;
    assert_eq!(status, StatusCode::OK);
    // Well before a remembered session would be read again (`REMEMBERED_FOR`).
    let deadline = std::time::Instant::now() + app::auth::cache::REMEMBERED_FOR / 3;
    loop {
        let (_, desktop_me) = other.call(&desktop, "auth/me", json!({})).await;
        let (_, leroy_me) = other.call(&leroy, "auth/me", json!({})).await;
        let (_, bernard_me) = other.call(&bernard, "auth/me", json!({})).await;
        if desktop_me.is_null() && leroy_me.is_null() && bernard_me["lang"] == "en" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not yet on the other instance: {desktop_me} {leroy_me} {bernard_me}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, me) = other.call(&phone, "auth/me", json!({})).await;
    assert_eq!(me["display_name"], "Dr Sophie Martin", "the session that asked lives on");
    db.drop_db().await;
}

#[tokio::test]
async fn an_idle_session_ends_and_a_used_one_lives_on() {
    for db in backends().await {
        let app = spawn_app(&db, 0).await;
        let used = app.login("dr.martin").await;
        let idle = app.login("dr.leroy").await;
        let step = chrono::Duration::minutes(app.state.settings.session_idle_minutes / 3);
        for _ in 0..4 {
            app.clock.advance(step);
            let (_, me) = app.call(&used, "auth/me", json!({})).await;
            assert_eq!(me["display_name"], "Dr Sophie Martin", "used within the idle time: still in");
        }
        let (_, me) = app.call(&idle, "auth/me", json!({})).await;
        assert!(me.is_null(), "unused longer than the idle time: {me}");

        // The uses are written by the job loop, all at once; another instance on the same
        // database then sees the used session alive and the idle one ended.
        assert_eq!(app.state.session_uses.pending(), 1, "one session used since its last write");
        assert_eq!(app::auth::flush_session_uses(&app.state).await.unwrap(), 1);
        assert_eq!(app.state.session_uses.pending(), 0);
        let other = second_instance(&db, &app).await;
        let (_, me) = other.call(&used, "auth/me", json!({})).await;
        assert_eq!(me["display_name"], "Dr Sophie Martin", "the flushed use reached the database: {me}");
        let (_, me) = other.call(&idle, "auth/me", json!({})).await;
        assert!(me.is_null(), "{me}");

        // The absolute lifetime ends even a session in use.
        assert!(step * 4 < chrono::Duration::hours(app.state.settings.session_hours));
        app.clock.advance(step * 2);
        assert!(step * 6 >= chrono::Duration::hours(app.state.settings.session_hours));
        let (_, me) = app.call(&used, "auth/me", json!({})).await;
        assert!(me.is_null(), "{me}");
        db.drop_db().await;
    }
}

/// Another server on `app`'s database and clock, as a second instance behind a load balancer
/// (same host, so the clients' session cookies go to it too).
async fn second_instance(db: &TestDb, app: &crate::support::TestApp) -> crate::support::TestApp {
    let state = server::app_state(&db.url, crate::support::test_settings(), app.clock.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let options = leptos::prelude::LeptosOptions::builder().output_name("relais").site_root("target/site").build();
    tokio::spawn(server::serve(listener, options, state.clone()));
    crate::support::TestApp { base, state, clock: app.clock.clone() }
}

#[tokio::test]
async fn profile_forms_work_without_javascript_and_refuse_bad_input_in_french() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let gp = app.login("dr.martin").await;
    let (status, body) =
        app.call(&gp, "members/save_profile", json!({ "phone": "02 99 00 00 00", "quiet_start": "22:00" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "phone", "{body}");
    let (status, _) =
        app.call(&gp, "members/save_notices", json!({ "channels": ["offer:push", "reminder:fax"] })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(&gp, "members/save_notices", json!({ "channels": ["offer:push", "reminder:sms", "planning:email"] }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, p) = app.call(&gp, "members/profile", json!({})).await;
    let reminder = p["notices"].as_array().unwrap().iter().find(|n| n["notice"] == "reminder").unwrap().clone();
    assert_eq!(reminder["channels"], json!({ "push": false, "email": false, "sms": true }), "{p}");
    let profession = p["profession"].as_str();
    assert_eq!(profession, Some(Profession::Gp.code()));
}

#[tokio::test]
async fn an_admin_with_a_passkey_turns_passwords_off_and_members_must_use_theirs() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let martin = app.login("dr.martin").await;
    let switch = |allowed: bool| json!({ "allowed": allowed });
    // Without a passkey of their own, the admin would lock themselves out: refused, nothing changes.
    let (status, body) = app.call(&admin, "members/password_login", switch(false)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("needs_passkey")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("clé d'accès"), "{body}");
    let (_, page) = app.call(&admin, "members/page", json!({})).await;
    assert_eq!(page["password_login"], true);
    let without = page["without_passkey"].as_array().unwrap().len();
    assert!(without >= 3, "{page}");

    // With one (as *Réglages* would have saved it), the admin may.
    let me = member(&app.state, "admin").await;
    let mut conn = app.state.store.reader().await.unwrap();
    sqlx::query(
        "insert into passkey (member_id, credential_id, passkey, label, created_at) values ($1, 'cred-admin', '{}', 'Téléphone', 0)",
    )
    .bind(me.id)
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let (_, page) = app.call(&admin, "members/page", json!({})).await;
    assert_eq!(page["without_passkey"].as_array().unwrap().len(), without - 1, "{page}");
    let (status, body) = app.call(&admin, "members/password_login", switch(false)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app.call(&admin, "members/page", json!({})).await;
    assert_eq!(page["password_login"], false);

    // Open sessions go on; a password login is refused with what to do (the password itself is
    // checked first: a wrong one is still a wrong one).
    let (_, me) = app.call(&martin, "auth/me", json!({})).await;
    assert_eq!(me["display_name"], "Dr Sophie Martin");
    let login = |password: &str| json!({ "email": "dr.martin@demo.relais.test", "password": password });
    let (status, body) = app.call(&app.client(), "auth/login", login(app::DEMO_PASSWORD)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("password_disabled")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("clé d'accès"), "{body}");
    let (status, body) = app.call(&app.client(), "auth/login", login("pas le bon")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("bad_credentials")), "{body}");

    // Turned on again: passwords work; the same switch twice writes one audit line.
    for _ in 0..2 {
        let (status, body) = app.call(&admin, "members/password_login", switch(true)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = app.call(&app.client(), "auth/login", login(app::DEMO_PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let kinds: Vec<String> =
        sqlx::query_scalar("select kind from audit_event where kind like 'password_login_%' order by id")
            .fetch_all(&mut *app.state.store.reader().await.unwrap())
            .await
            .unwrap();
    assert_eq!(kinds, ["password_login_disabled", "password_login_allowed"]);
}

/// Where the CPTS accepts passkeys only, the invitation link refuses a password (and stays
/// usable); its passkey ceremony names the invitee, and a forged answer opens nothing. (The real
/// ceremony, with Chromium's virtual authenticator, is in end2end/tests/passkeys.spec.ts.)
#[tokio::test]
async fn with_passwords_off_an_invitation_opens_by_passkey_only() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let invite =
        json!({ "email": "dr.roche@exemple.fr", "name": "Dr Anne Roche", "profession": "gp", "rpps": "10003456802" });
    let (_, body) = app.call(&admin, "members/invite", invite).await;
    let link = body["demo_link"].as_str().unwrap().to_string();
    let token = link.rsplit('/').next().unwrap().to_string();
    let me = member(&app.state, "admin").await;
    app::members::store::set_password_login(&mut app.state.store.reader().await.unwrap(), me.cpts_id, false)
        .await
        .unwrap();

    let (_, page) = app.call(&app.client(), "members/invitation", json!({ "token": token })).await;
    assert_eq!(page["password_login"], false, "{page}");
    let (status, body) =
        app.call(&app.client(), "members/accept", json!({ "token": token, "password": "une phrase de passe" })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("password_disabled")), "{body}");
    let (status, _) = app.call(&app.client(), "members/invitation", json!({ "token": token })).await;
    assert_eq!(status, StatusCode::OK, "still usable");

    // At an IP address passkeys cannot work; at a host name the options name the invitee.
    let (status, body) = app.call(&app.client(), "members/accept_passkey_start", json!({ "token": token })).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("passkeys_unavailable")), "{body}");
    let localhost = app.base.replace("127.0.0.1", "localhost");
    let local = app.client();
    let post = |path: &'static str, args: serde_json::Value| {
        let (client, url) = (local.clone(), format!("{localhost}/api/{path}"));
        async move {
            let res = client.post(url).header("accept", "application/json").json(&args).send().await.unwrap();
            (res.status(), res.json::<serde_json::Value>().await.unwrap_or_default())
        }
    };
    let (status, ceremony) = post("members/accept_passkey_start", json!({ "token": token })).await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    let options: serde_json::Value = serde_json::from_str(ceremony["options"].as_str().unwrap()).unwrap();
    assert_eq!(options["publicKey"]["user"]["name"], "dr.roche@exemple.fr");
    assert_eq!(options["publicKey"]["user"]["displayName"], "Dr Anne Roche");
    assert_eq!(options["publicKey"]["authenticatorSelection"]["residentKey"], "required");
    // A forged answer opens nothing, and a ceremony of another invitation's is not this one's.
    let forged =
        json!({ "token": token, "ceremony": ceremony["token"], "credential": "{\"id\":\"x\"}", "label": "Téléphone" });
    let (status, body) = post("members/accept_passkey", forged).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("passkey")), "{body}");
    let (status, body) =
        post("members/accept_passkey", json!({ "token": token, "ceremony": "x", "credential": "{}", "label": "" }))
            .await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("label")), "{body}");
    let (status, _) = app.call(&app.client(), "members/invitation", json!({ "token": token })).await;
    assert_eq!(status, StatusCode::OK, "still usable");
    let accounts: i64 = sqlx::query_scalar("select count(*) from member where email = 'dr.roche@exemple.fr'")
        .fetch_one(&mut *app.state.store.reader().await.unwrap())
        .await
        .unwrap();
    assert_eq!(accounts, 0);
}
