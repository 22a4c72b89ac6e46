//! The audit trail cannot be rewritten unseen: each row is a link of its CPTS's hash chain,
//! concurrent writers never fork it, and `relais audit verify` names the first broken link.

use std::process::Command;

use app::platform::audit::{verify, BrokenLink};
use app::platform::AppState;

use crate::support::{backends, member, seeded, TestDb};

async fn activity(state: &AppState) {
    // Twenty clinicians change their availability at the same instant: twenty writers of one
    // CPTS's chain at once.
    let mut conn = state.store.reader().await.unwrap();
    let (cpts, _) = app::members::first_cpts(&mut conn).await.unwrap().unwrap();
    let clinicians: Vec<_> = app::members::members(&mut conn, cpts)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.role == app::domain::Role::Clinician)
        .take(20)
        .collect();
    drop(conn);
    let tasks: Vec<_> = clinicians
        .into_iter()
        .map(|m| {
            let state = state.clone();
            tokio::spawn(
                async move { app::members::ops::set_available(&state, &m, 2).await.map_err(|e| e.to_string()) },
            )
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
}

async fn verified(state: &AppState) -> app::platform::audit::Verified {
    let mut conn = state.store.reader().await.unwrap();
    verify(&mut conn).await.unwrap()
}

#[tokio::test]
async fn concurrent_writers_keep_one_chain_and_an_edited_row_is_named() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 20).await;
        activity(&state).await;
        let ok = verified(&state).await;
        assert_eq!(ok.broken, None, "{}", db.url);
        assert!(ok.rows >= 40, "{} rows checked ({})", ok.rows, db.url);
        // Someone with access to the database edits one row.
        let mut conn = state.store.reader().await.unwrap();
        let (id, cpts): (i64, i64) = sqlx::query_as(
            "select id, cpts_id from audit_event where kind = 'availability_changed' order by id limit 1 offset 5",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        sqlx::query("update audit_event set detail = '{\"hours\":0}' where id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let broken = verified(&state).await.broken;
        assert_eq!(broken, Some(BrokenLink { cpts_id: Some(cpts), id, why: "its content was changed" }), "{}", db.url);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_removed_row_breaks_the_link_of_the_next_one() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let admin = member(&state, "admin").await;
        for name in ["A", "B", "C"] {
            app::planning::ops::create_planning(&state, &admin, name, 48).await.unwrap();
        }
        let mut conn = state.store.reader().await.unwrap();
        let ids: Vec<i64> =
            sqlx::query_scalar("select id from audit_event where kind = 'planning_created' order by id")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        sqlx::query("delete from audit_event where id = $1").bind(ids[1]).execute(&mut *conn).await.unwrap();
        drop(conn);
        let broken = verified(&state).await.broken.expect("a broken link");
        assert_eq!((broken.id, broken.why), (ids[2], "does not follow the previous row"), "{}", db.url);
        state.store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn relais_audit_verify_says_intact_or_names_the_broken_row() {
    let db = TestDb::sqlite();
    let (state, _) = seeded(&db.url, 0).await;
    state.store.close().await;
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(["--database-url", &db.url, "audit", "verify"])
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit trail intact"));
    let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
    let id: i64 = sqlx::query_scalar("select max(id) from audit_event").fetch_one(&pool).await.unwrap();
    sqlx::query("update audit_event set kind = 'member_deleted' where id = ?").bind(id).execute(&pool).await.unwrap();
    pool.close().await;
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("broken at row {id}")),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_batch_of_links_across_chains_is_written_in_its_order_and_verifies() {
    use crate::support::NowUtc;
    use app::platform::audit::{write_all, Audit};
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let cpts = member(&state, "coordination").await.cpts_id;
        // More links than one statement takes, alternating between the CPTS's chain and the
        // system's, while other writers append to the same chain.
        let batch: Vec<Audit> = (0..1_100i64)
            .map(|i| {
                let event = Audit::new("batch_test").subject(i);
                if i % 3 == 0 {
                    event
                } else {
                    event.cpts(cpts)
                }
            })
            .collect();
        let writer = {
            let state = state.clone();
            let now = clock.now_utc();
            tokio::spawn(async move {
                let mut tx = state.store.begin().await.unwrap();
                write_all(&mut tx, batch, now).await.unwrap();
                tx.commit().await.unwrap();
            })
        };
        activity(&state).await;
        writer.await.unwrap();
        let ok = verified(&state).await;
        assert_eq!(ok.broken, None, "{}", db.url);
        let mut conn = state.store.reader().await.unwrap();
        let subjects: Vec<i64> =
            sqlx::query_scalar("select subject_id from audit_event where kind = 'batch_test' order by id")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert_eq!(subjects, (0..1_100).collect::<Vec<i64>>(), "in the order given ({})", db.url);
        drop(conn);
        state.store.close().await;
        db.drop_db().await;
    }
}
