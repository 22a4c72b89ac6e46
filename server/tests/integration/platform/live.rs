//! The live stream: offers arrive and withdrawals reach the right devices, without polling.

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;

use crate::support::{spawn_app, TestApp, TestDb};

/// Reads server-sent events until one has this kind (or gives up after 5 s).
pub(crate) async fn wait_for(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    kind: &str,
) -> serde_json::Value {
    let mut buffer = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} event; got {buffer}"));
        buffer.push_str(&String::from_utf8_lossy(&chunk.expect("stream open").expect("chunk")));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            for line in event.lines() {
                if let Some(data) = line.strip_prefix("data:") {
                    let v: serde_json::Value = serde_json::from_str(data.trim()).unwrap();
                    if v["kind"] == kind {
                        return v;
                    }
                }
            }
        }
    }
}

pub(crate) async fn open_stream(
    app: &TestApp,
    client: &reqwest::Client,
) -> impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin {
    let res = client.get(format!("{}/api/live", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-type").unwrap(), "text/event-stream");
    Box::pin(res.bytes_stream())
}

#[tokio::test]
async fn offers_and_withdrawals_arrive_live_on_every_device_of_the_member() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let coord = app.login("coordination").await;
    let leroy_phone = app.login("dr.leroy").await;
    let leroy_desktop = app.login("dr.leroy").await;
    let martin = app.login("dr.martin").await;
    let mut phone = open_stream(&app, &leroy_phone).await;
    let mut desktop = open_stream(&app, &leroy_desktop).await;
    let mut board = open_stream(&app, &coord).await;
    wait_for(&mut phone, "hello").await;
    wait_for(&mut desktop, "hello").await;
    wait_for(&mut board, "hello").await;

    let id = app.create_request(&coord, json!({})).await;
    app.call(&coord, "requests/push", json!({ "request_id": id })).await;
    assert_eq!(wait_for(&mut phone, "offer_new").await["request_id"], id);
    assert_eq!(wait_for(&mut desktop, "offer_new").await["request_id"], id);

    app.call(&martin, "offers/accept", json!({ "request_id": id })).await;
    assert_eq!(wait_for(&mut phone, "offer_taken").await["request_id"], id);
    assert_eq!(wait_for(&mut desktop, "offer_taken").await["request_id"], id);
    assert_eq!(wait_for(&mut board, "request_changed").await["request_id"], id);
}

#[tokio::test]
async fn the_stream_needs_a_session() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let res = app.client().get(format!("{}/api/live", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_stream_ends_when_the_session_ends() {
    let db = TestDb::sqlite();
    let app = spawn_app(&db, 0).await;
    let client = app.login("dr.martin").await;
    let mut stream = open_stream(&app, &client).await;
    wait_for(&mut stream, "hello").await;
    app.call(&client, "auth/logout", json!({})).await;
    let recheck = server::SESSION_RECHECK + Duration::from_secs(5);
    let ended = tokio::time::timeout(recheck, async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived the session");
}
