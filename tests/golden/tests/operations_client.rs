//! The client generated from tests/fixtures/operations.yaml, run against an
//! in-process server: each parameter location, body kind and response kind
//! goes over the wire and back.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use futures_util::StreamExt;
use golden::operations::{forms, responses, types, Client, Error, FilePart};
use serde_json::json;

/// What the server saw: (what, detail).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

fn thing(id: &str) -> serde_json::Value {
    json!({"id": id, "name": "Widget", "tags": [], "created_at": "2024-01-02T03:04:05Z"})
}

async fn start() -> (Client, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/things",
            get(|State(seen): State<Seen>, RawQuery(query): RawQuery, headers: HeaderMap| async move {
                let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
                let query = query.unwrap_or_default();
                seen.lock().unwrap().push(("list".into(), format!("{query} {request_id}")));
                let page = match query.split('&').find_map(|pair| pair.strip_prefix("cursor=")) {
                    None => json!({"items": [thing("th_1")], "has_more": true, "next_cursor": "p2"}),
                    Some("p2") => {
                        json!({"items": [thing("th_2"), thing("th_3")], "has_more": true, "next_cursor": "p3"})
                    }
                    // `has_more` ends the listing, whatever the cursor says.
                    Some("p3") => json!({"items": [thing("th_4")], "has_more": false, "next_cursor": "p4"}),
                    Some("same") => json!({"items": [], "has_more": true, "next_cursor": "same"}),
                    Some(_) => return (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"detail": []}))).into_response(),
                };
                Json(page).into_response()
            }),
        )
        .route(
            "/things/{id}",
            put(|Path(id): Path<String>, headers: HeaderMap| async move {
                match headers.get("if-match").and_then(|v| v.to_str().ok()) {
                    Some("*") => (StatusCode::CREATED, Json(json!({"id": id, "location": format!("/things/{id}")})))
                        .into_response(),
                    _ => Json(thing(&id)).into_response(),
                }
            })
            .delete(|| async { StatusCode::NO_CONTENT })
            .get(|| async { (StatusCode::NOT_FOUND, Json(json!({"code": "not_found", "message": "no such thing"}))) }),
        )
        .route(
            "/orgs/{org}/things/{id}/files",
            post(|State(seen): State<Seen>, Path((org, id)): Path<(i64, String)>, mut form: Multipart| async move {
                let mut parts = Vec::new();
                while let Some(field) = form.next_field().await.unwrap() {
                    let name = field.name().unwrap_or_default().to_string();
                    let file_name = field.file_name().map(str::to_string);
                    let bytes = field.bytes().await.unwrap();
                    parts.push(format!("{name}:{file_name:?}:{}", String::from_utf8_lossy(&bytes)));
                }
                seen.lock().unwrap().push(("upload".into(), format!("{org}/{id} {}", parts.join(" "))));
                Json(json!({"id": "file_1", "bytes": 5, "filename": "a.txt", "purpose": "batch"}))
            }),
        )
        .route(
            "/things/{id}/raw",
            put(|State(seen): State<Seen>, headers: HeaderMap, body: Bytes| async move {
                let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
                seen.lock().unwrap().push(("raw".into(), format!("{content_type} {}", String::from_utf8_lossy(&body))));
                StatusCode::NO_CONTENT
            })
            .get(|| async { ([("content-type", "application/octet-stream")], vec![0u8, 1, 2, 255]) }),
        )
        .route(
            "/things/{id}/events",
            get(|| async {
                ([("content-type", "text/event-stream")], "data: one\n\nevent: update\ndata: two\n\ndata: [DONE]\n\n")
            }),
        )
        .route("/health", get(|| async { "ok" }))
        .route("/echo", post(|body: String| async move { body }))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (Client::new(format!("http://{address}")).with_bearer_token("t"), seen)
}

#[tokio::test]
async fn query_and_header_parameters() {
    let (client, seen) = start().await;
    let list = client
        .list_things_v1()
        .limit(5)
        .tag(&["a b".to_string(), "c".to_string()])
        .order(&types::ListThingsV1Order::Desc)
        .x_request_id("req-9")
        .await
        .unwrap();
    assert_eq!(list.items[0].id, "th_1");
    client.list_things_v1().await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].1, "limit=5&tag=a+b&tag=c&order=desc req-9");
    assert_eq!(seen[1].1, " -", "unset optional parameters are not sent");
}

#[tokio::test]
async fn list_operations_follow_their_cursor() {
    let (client, seen) = start().await;
    let ids: Vec<String> = client.list_things_v1().limit(2).items().map(|thing| thing.unwrap().id).collect().await;
    assert_eq!(ids, ["th_1", "th_2", "th_3", "th_4"]);
    let queries: Vec<String> = seen.lock().unwrap().iter().map(|(_, query)| query.clone()).collect();
    assert_eq!(queries, ["limit=2 -", "limit=2&cursor=p2 -", "limit=2&cursor=p3 -"]);

    // A server that hands back the cursor it was given is asked once.
    assert_eq!(client.list_things_v1().cursor("same").pages().count().await, 1);
    // An error is the last thing the stream gives.
    let pages: Vec<_> = client.list_things_v1().cursor("unknown").pages().collect().await;
    assert!(matches!(pages.as_slice(), [Err(Error::Api { status, .. })] if status.as_u16() == 422), "{pages:?}");
}

#[tokio::test]
async fn several_success_statuses_and_empty_bodies() {
    let (client, _) = start().await;
    let create = types::ThingCreate { name: "W".into(), tags: None, description: None };
    match client.upsert_thing("th_1", "\"v1\"", &create).await.unwrap() {
        responses::UpsertThing::Ok(thing) => assert_eq!(thing.id, "th_1"),
        other => panic!("{other:?}"),
    }
    match client.upsert_thing("th_2", "*", &create).await.unwrap() {
        responses::UpsertThing::Created(receipt) => assert_eq!(receipt.location, "/things/th_2"),
        other => panic!("{other:?}"),
    }
    client.delete_thing("th_1").await.unwrap();
    match client.get_thing("th_x").include_deleted(true).await.unwrap_err() {
        golden::operations::Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(body.message, "no such thing");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn multipart_binary_and_text_bodies() {
    let (client, seen) = start().await;
    let form = forms::FileUpload {
        file: FilePart::bytes(&b"hello"[..]).file_name("a.txt"),
        purpose: types::FileUploadPurpose::Batch,
        description: None,
        priority: Some(3),
    };
    client.upload_file_v1(42, "th/1", form).await.unwrap();
    client.put_things_by_thing_id_raw("th_1", FilePart::bytes(&b"raw bytes"[..])).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].1, "42/th/1 file:Some(\"a.txt\"):hello purpose:None:batch priority:None:3");
    assert_eq!(seen[1].1, "application/octet-stream raw bytes");
}

#[tokio::test]
async fn text_bytes_and_event_stream_responses() {
    let (client, _) = start().await;
    assert_eq!(client.get_health().await.unwrap(), "ok");
    assert_eq!(client.post_echo("héllo").await.unwrap(), "héllo");
    let raw = client.get_things_by_thing_id_raw("th_1").await.unwrap().collect().await.unwrap();
    assert_eq!(&raw[..], &[0u8, 1, 2, 255]);
    let events: Vec<String> = client.stream_thing_events("th_1").await.unwrap().map(|e| e.unwrap()).collect().await;
    assert_eq!(events, ["one", "two"]);
}
