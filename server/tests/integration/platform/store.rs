//! The store when SQLite's disk is full: a failed write must not leave the single writer
//! connection inside a transaction that never commits (every later change would then be
//! answered as saved and silently lost). Runs on a 16 MB tmpfs, which needs root; elsewhere it
//! says so loudly and checks nothing.

use std::process::Command;

use sqlx::Row;

use crate::support::{member, monday_10am, state_on, NowUtc};

struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().ok()?.keep();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: a connection still closing in the background must not keep it mounted.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[tokio::test]
async fn after_the_disk_was_full_every_change_answered_as_saved_is_saved() {
    let Some(disk) = Tmpfs::mount() else {
        eprintln!("*** SKIPPED: the disk-full test needs root to mount a tmpfs");
        return;
    };
    let url = format!("sqlite://{}/relais.db", disk.0.display());
    let clock = std::sync::Arc::new(app::platform::clock::ManualClock::new(monday_10am()));
    let state = state_on(&url, clock.clone()).await;
    server::seed::seed_demo(&state.store, clock.now_utc(), 0).await.unwrap();
    let coord = member(&state, "coordination").await;
    let form = || app::dispatch::rules::RequestForm {
        motive: "fever".into(),
        profession: "gp".into(),
        patient_name: "P. L.".into(),
        age_band: "16-64".into(),
        callback_phone: "0612345678".into(),
        commune: "Rennes".into(),
        deadline: "today".into(),
        source: "patient_call".into(),
        ..Default::default()
    };
    // Fill the disk, then keep writing: some writes fail ("database or disk is full").
    let filler = disk.0.join("filler");
    let _ = Command::new("dd").arg("if=/dev/zero").arg(format!("of={}", filler.display())).arg("bs=1M").output();
    let mut saved = vec![];
    let mut refused = 0;
    for _ in 0..200 {
        match app::dispatch::ops::create_request(&state, &coord, form()).await {
            Ok(id) => saved.push(id),
            Err(_) => refused += 1,
        }
    }
    assert!(refused > 0, "the disk was full");
    // Space comes back; more changes.
    std::fs::remove_file(&filler).unwrap();
    for _ in 0..5 {
        saved.push(app::dispatch::ops::create_request(&state, &coord, form()).await.unwrap());
    }
    // Every change answered as saved is there, for another connection too.
    let mut conn = state.store.reader().await.unwrap();
    for id in &saved {
        let n: i64 = sqlx::query("select count(*) from snp_request where id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1, "request {id} was answered as saved ({} saved, {refused} refused)", saved.len());
    }
    drop(conn);
    state.store.close().await;
}
