//! Reminders and notices e-mailed through a real SMTP server (aiosmtpd), exactly once even
//! across a restart; the personal calendar feed.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use app::planning::ops as planning;
use app::planning::reminders as notify;
use app::planning::rules::{ChangeKind, GenerateForm, GroupRule};
use app::platform::clock::ManualClock;
use app::platform::mail::{LogSms, Mailer, Notifier};
use app::platform::AppState;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{backends, member, monday_10am, spawn_app, test_settings, NowUtc, TestDb};

/// A local SMTP server that stores every message in a maildir, stopped on drop.
struct SmtpSink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let maildir: PathBuf = dir.path().join("mail");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/setup.sh installs it)");
        // Owned by the sink from here on: dropping it (even on panic) stops the server.
        let sink = Self { child, port, dir };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sink;
            }
            std::thread::sleep(StdDuration::from_millis(100));
        }
        drop(sink);
        panic!("aiosmtpd did not start");
    }

    fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("mail/new");
        let mut out: Vec<String> = std::fs::read_dir(&new)
            .map(|entries| entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
            .unwrap_or_default();
        out.sort();
        out
    }

    fn notifier(&self) -> Notifier {
        Notifier {
            mailer: Mailer::new(Some(&format!("smtp://127.0.0.1:{}", self.port)), "Relais <relais@demo.relais.test>")
                .unwrap(),
            sms: Arc::new(LogSms),
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn state_with(url: &str, clock: Arc<ManualClock>, sink: &SmtpSink) -> AppState {
    server::app_state_with(url, test_settings(), clock, sink.notifier()).await.unwrap()
}

fn wait_for_mail(sink: &SmtpSink, n: usize) -> Vec<String> {
    for _ in 0..50 {
        let m = sink.messages();
        if m.len() >= n {
            return m;
        }
        std::thread::sleep(StdDuration::from_millis(100));
    }
    sink.messages()
}

#[tokio::test]
async fn a_reminder_is_emailed_once_even_across_a_restart() {
    let sink = SmtpSink::start();
    for db in backends().await {
        let clock = Arc::new(ManualClock::new(monday_10am()));
        let state = state_with(&db.url, clock.clone(), &sink).await;
        server::seed::seed_demo(&state.store, clock.now_utc(), 0).await.unwrap();
        let before = sink.messages().len();
        let admin = member(&state, "admin").await;
        let martin = member(&state, "dr.martin").await;
        let p = planning::create_planning(&state, &admin, "Rappels", 48).await.unwrap();
        planning::create_group(&state, &admin, p, "GP", "profession", GroupRule::default(), &[martin.id])
            .await
            .unwrap();
        let form = GenerateForm {
            kind: "snp_office".into(),
            weekdays: vec!["2".into()],
            hours: "14:00-18:00".into(),
            from: "2026-11-24".into(),
            to: "2026-11-24".into(),
            capacity: "1".into(),
            skip_holidays: String::new(),
            self_service: "on".into(),
        };
        planning::generate(&state, &admin, p, &form).await.unwrap();
        let mut conn = state.store.reader().await.unwrap();
        let v =
            app::planning::store::planning_vacations(&mut conn, p, monday_10am(), monday_10am() + Duration::days(2))
                .await
                .unwrap()[0]
                .vacation
                .id;
        drop(conn);
        planning::take(&state, &martin, v).await.unwrap();

        assert_eq!(notify::tick(&state).await.unwrap(), 0, "nothing due yet");
        clock.set(monday_10am() + Duration::hours(4)); // the day before, 14:00
        assert_eq!(notify::tick(&state).await.unwrap(), 1, "{}", db.url);
        assert_eq!(notify::tick(&state).await.unwrap(), 0, "not twice");
        // A restart: a new process on the same database.
        let restarted = state_with(&db.url, clock.clone(), &sink).await;
        assert_eq!(notify::tick(&restarted).await.unwrap(), 0, "not after a restart either");
        let mail = wait_for_mail(&sink, before + 1);
        assert_eq!(mail.len(), before + 1);
        assert!(mail.iter().any(|m| m.contains("dr.martin@demo.relais.test") && m.contains("Relais")), "{mail:?}");
        clock.set(monday_10am() + Duration::hours(27)); // an hour before
        assert_eq!(notify::tick(&restarted).await.unwrap(), 1);
        assert_eq!(wait_for_mail(&sink, before + 2).len(), before + 2);

        state.store.close().await;
        restarted.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_proposal_is_notified_to_the_colleague_in_the_app_and_by_email() {
    let sink = SmtpSink::start();
    let db = TestDb::sqlite();
    let clock = Arc::new(ManualClock::new(monday_10am()));
    let state = state_with(&db.url, clock.clone(), &sink).await;
    server::seed::seed_demo(&state.store, clock.now_utc(), 0).await.unwrap();
    let martin = member(&state, "dr.martin").await;
    let leroy = member(&state, "dr.leroy").await;
    let mine = planning::my_vacations(&state, &martin).await.unwrap();
    let v =
        mine.mine.iter().find(|v| !v.holders.iter().any(|(id, _)| *id == leroy.id)).expect("a vacation Leroy lacks").id;
    planning::propose(&state, &martin, ChangeKind::Cession, v, Some(leroy.id), None).await.unwrap();
    let leroys = planning::my_vacations(&state, &leroy).await.unwrap();
    assert!(
        leroys.notifications.iter().any(|(_, t)| t.contains("Dr Sophie Martin vous propose : Cession")),
        "{leroys:?}"
    );
    assert_eq!(notify::tick(&state).await.unwrap(), 1);
    let mail = wait_for_mail(&sink, 1);
    assert!(mail[0].contains("dr.leroy@demo.relais.test"), "{mail:?}");
    assert_eq!(subject_of(&mail[0]), "Relais — vos gardes");

    // A member who reads Relais in English gets their notices in English, whoever causes them;
    // the member who proposed, in French, gets the answer in French.
    app::members::ops::save_language(&state, &leroy, "en").await.unwrap();
    let change = leroys.changes.iter().find(|c| c.vacation.id == v).expect("the proposal").id;
    planning::answer(&state, &leroy, change, false).await.unwrap();
    let martins = planning::my_vacations(&state, &martin).await.unwrap();
    assert_eq!(martins.notifications[0].1, "Dr Paul Leroy a refusé votre proposition (Cession).");
    planning::propose(&state, &martin, ChangeKind::Cession, v, Some(leroy.id), None).await.unwrap();
    let leroys = planning::my_vacations(&state, &leroy).await.unwrap();
    let (_, latest) = &leroys.notifications[0];
    assert!(latest.starts_with("Dr Sophie Martin offers you: Handover of their shift on "), "{latest}");
    assert_eq!(notify::tick(&state).await.unwrap(), 2, "Martin's notice in French, Leroy's in English");
    let mail = wait_for_mail(&sink, 3);
    let english = mail.iter().find(|m| subject_of(m) == "Relais — your duties").expect("the e-mail in English");
    assert!(english.contains("dr.leroy@demo.relais.test"), "{english}");
}

/// The subject of a raw e-mail, its encoded words (RFC 2047, base64) decoded.
fn subject_of(raw: &str) -> String {
    use base64::Engine as _;
    let mut rest = raw.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or_default().trim();
    let mut out = String::new();
    while let Some(at) = rest.to_ascii_lowercase().find("=?utf-8?b?") {
        out.push_str(&rest[..at]);
        let word = &rest[at + 10..];
        let end = word.find("?=").expect("an encoded word ends");
        out.push_str(
            &String::from_utf8(base64::engine::general_purpose::STANDARD.decode(&word[..end]).unwrap()).unwrap(),
        );
        rest = &word[end + 2..];
    }
    out + rest
}

#[tokio::test]
async fn the_calendar_feed_lists_the_vacations_and_a_new_address_revokes_the_old() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let martin = app.login("dr.martin").await;
    let (status, mine) = app.call(&martin, "vacations/mine", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let path = mine["calendar_path"].as_str().unwrap().to_string();
    let anonymous = app.client();
    let feed = anonymous.get(format!("{}{path}", app.base)).send().await.unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(feed.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = feed.text().await.unwrap();
    let events = ics.matches("BEGIN:VEVENT").count();
    assert_eq!(events, mine["mine"].as_array().unwrap().len(), "{ics}");
    assert!(events >= 2);
    let (_, new_path) = app.call(&martin, "vacations/calendar_regenerate", json!({})).await;
    assert_ne!(new_path.as_str().unwrap(), path);
    assert_eq!(anonymous.get(format!("{}{path}", app.base)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let renewed = anonymous.get(format!("{}{}", app.base, new_path.as_str().unwrap())).send().await.unwrap();
    assert_eq!(renewed.status(), StatusCode::OK);
    assert!(renewed.text().await.unwrap().contains("SUMMARY:Garde "), "French by default");
    // In the member's language, whatever the calendar app asks for.
    let (status, _) = app.call(&martin, "members/save_language", json!({ "lang": "en" })).await;
    assert_eq!(status, StatusCode::OK);
    let english = anonymous
        .get(format!("{}{}", app.base, new_path.as_str().unwrap()))
        .header("accept-language", "fr-FR")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("SUMMARY:Duty ") && english.contains("Dr Sophie Martin's duties"), "{english}");
    assert!(!english.contains("SUMMARY:Garde "), "{english}");
    let forged = path.replace(".ics", "x.ics");
    assert_eq!(anonymous.get(format!("{}{forged}", app.base)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_coordination_exports_a_planning_and_its_statistics_as_csv() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let admin = app.login("admin").await;
    let (_, plannings) = app.call(&admin, "plannings/list", json!({})).await;
    let gp = plannings.as_array().unwrap().iter().find(|p| p["name"] == "SNP médecins généralistes").unwrap()["id"]
        .as_i64()
        .unwrap();
    let url = format!("{}/plannings/{gp}/export.csv?du=2026-11-30&au=2026-11-30", app.base);
    let res = admin.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let body = body.strip_prefix('\u{feff}').expect("a byte-order mark for French spreadsheets");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "date;début;fin;type;places;tenue par");
    assert_eq!(lines[1], "30/11/2026;08:00;12:00;SNP au cabinet;2;Dr Sophie Martin, Dr Paul Leroy");
    assert_eq!(lines.len(), 3, "{body}");
    let stats =
        admin.get(format!("{}/plannings/{gp}/stats.csv?du=2026-11-01&au=2026-12-31", app.base)).send().await.unwrap();
    let stats = stats.text().await.unwrap();
    assert!(stats.contains("Dr Léa Roux;3;2026-11-01;2026-12-31"), "{stats}");
    let reversed = format!("{}/plannings/{gp}/export.csv?du=2026-12-01&au=2026-11-01", app.base);
    assert_eq!(admin.get(&reversed).send().await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    let gp_client = app.login("dr.martin").await;
    assert_eq!(gp_client.get(&url).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
