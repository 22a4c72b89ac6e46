//! `relais backup` while the server accepts requests, `relais restore` into a new database, and a
//! server started on it: every request accepted before the backup began is there, accepted, with
//! the vacations and the audit trail, whose chain verifies.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::process::Command;

use crate::support::{spawn_app, TestApp, TestDb};

const CLINICIANS: usize = 8;

async fn relais(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_relais")).args(args).output().await.expect("relais runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

async fn count(state: &app::platform::AppState, sql: &'static str) -> i64 {
    let mut conn = state.store.reader().await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
}

/// Creates, pushes and has a clinician accept requests until told to stop; each accepted id is
/// recorded once its acceptance has been answered.
async fn accept_until(app: Arc<TestApp>, lane: usize, stop: Arc<Mutex<bool>>, accepted: Arc<Mutex<Vec<i64>>>) {
    let coord = app.login("coordination").await;
    let clinicians =
        [app.login(&format!("bench.gp{:04}", lane)).await, app.login(&format!("bench.gp{:04}", lane + 4)).await];
    for round in 0.. {
        if *stop.lock().unwrap() || round >= 18 {
            break;
        }
        let id = app.create_request(&coord, json!({ "patient_name": format!("Patient {lane}-{round}") })).await;
        let (status, pushed) = app.call(&coord, "requests/push", json!({ "request_id": id })).await;
        assert_eq!(status, 200, "{pushed}");
        let (status, won) = app.call(&clinicians[round % 2], "offers/accept", json!({ "request_id": id })).await;
        assert_eq!((status.as_u16(), won["result"].clone()), (200, json!("won")), "{won}");
        accepted.lock().unwrap().push(id);
    }
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_every_accepted_request_and_a_sound_audit_chain() {
    let db = TestDb::sqlite();
    let app = Arc::new(spawn_app(&db, CLINICIANS).await);
    let stop = Arc::new(Mutex::new(false));
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let lanes: Vec<_> =
        (0..4).map(|lane| tokio::spawn(accept_until(app.clone(), lane, stop.clone(), accepted.clone()))).collect();
    while accepted.lock().unwrap().len() < 8 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // What was committed when the backup starts must be in it.
    let before: Vec<i64> = accepted.lock().unwrap().clone();
    let audit_before = count(&app.state, "select count(*) from audit_event").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relais-backup.db");
    let (ok, out) = relais(&["--database-url", &db.url, "backup", "--to", file.to_str().unwrap()]).await;
    assert!(ok, "{out}");
    assert!(out.contains("backup written"), "{out}");
    let during = accepted.lock().unwrap().len();
    // A backup never overwrites.
    let (again, out) = relais(&["--database-url", &db.url, "backup", "--to", file.to_str().unwrap()]).await;
    assert!(!again && out.contains("exists"), "{out}");
    *stop.lock().unwrap() = true;
    for lane in lanes {
        lane.await.unwrap();
    }
    assert!(during > before.len() || accepted.lock().unwrap().len() > during, "the load ran during the backup");

    let restored_db = TestDb::sqlite();
    let (ok, out) = relais(&["--database-url", &restored_db.url, "restore", "--from", file.to_str().unwrap()]).await;
    assert!(ok, "{out}");
    assert!(out.contains("audit trail intact"), "{out}");
    // A restore never writes over a database silently.
    let (again, out) = relais(&["--database-url", &restored_db.url, "restore", "--from", file.to_str().unwrap()]).await;
    assert!(!again && out.contains("--replace"), "{out}");
    // With --replace, the database there is kept beside it.
    let (replaced, out) =
        relais(&["--database-url", &restored_db.url, "restore", "--from", file.to_str().unwrap(), "--replace"]).await;
    assert!(replaced, "{out}");
    let kept = out.lines().find_map(|l| l.strip_prefix("the database that was there is kept as ")).expect(&out);
    assert!(std::path::Path::new(kept).is_file(), "{kept}");

    let restored = spawn_app(&restored_db, CLINICIANS).await;
    let coord = app.login("coordination").await;
    let coord_restored = restored.login("coordination").await;
    for id in &before {
        let (_, original) = app.call(&coord, "requests/detail", json!({ "request_id": id })).await;
        let (status, found) = restored.call(&coord_restored, "requests/detail", json!({ "request_id": id })).await;
        assert_eq!(status, 200, "request {id} missing from the restored database: {found}");
        let status_of = |v: &Value| v["item"]["request"]["status"].clone();
        assert_eq!(status_of(&found), status_of(&original), "request {id}");
        assert_ne!(status_of(&found), json!("pushed"), "accepted before the backup: {found}");
    }
    let vacations = "select count(*) from vacation";
    assert!(count(&app.state, vacations).await > 0, "the demo has vacations");
    assert_eq!(count(&restored.state, vacations).await, count(&app.state, vacations).await);
    assert!(count(&restored.state, "select count(*) from audit_event").await >= audit_before);
    let mut conn = restored.state.store.reader().await.unwrap();
    let verified = app::platform::audit::verify(&mut conn).await.unwrap();
    assert!(verified.broken.is_none(), "{:?}", verified.broken.map(|b| b.why));
}

#[tokio::test]
async fn backup_and_restore_refuse_what_they_cannot_do_well() {
    let dir = tempfile::tempdir().unwrap();
    let not_relais = dir.path().join("other.db");
    std::fs::write(&not_relais, b"this is not a database").unwrap();
    let target = format!("sqlite://{}", dir.path().join("new.db").display());
    let (ok, out) = relais(&["--database-url", &target, "restore", "--from", not_relais.to_str().unwrap()]).await;
    assert!(!ok, "{out}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["other.db"], "nothing written, nothing left behind");
    let (ok, out) =
        relais(&["--database-url", "postgres://root@127.0.0.1:5432/test", "backup", "--to", "/tmp/x.db"]).await;
    assert!(!ok && out.contains("pg_dump"), "{out}");
}
