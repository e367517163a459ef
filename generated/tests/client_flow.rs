//! The generated OpenAI client against an in-process server: the whole upload
//! flow, path encoding, errors, retries, hooks and per-call extras.

#[path = "support/uploads_server.rs"]
mod uploads_server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_generated::openai::{self, types, Client, Error, FilePart, RetryPolicy};
use axum::routing::post;
use futures_util::future::join_all;
use uploads_server::{UploadsServer, TOKEN};

/// Deterministic bytes that differ from part to part.
fn bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

fn create_request(total: usize) -> types::CreateUploadRequest {
    types::CreateUploadRequest {
        filename: "train.jsonl".into(),
        purpose: types::CreateUploadRequestPurpose::FineTune,
        bytes: total as i64,
        mime_type: "text/jsonl".into(),
        expires_after: None,
    }
}

fn client(server: &UploadsServer) -> Client {
    Client::new(&server.base_url).with_bearer_token(TOKEN)
}

#[tokio::test]
async fn upload_flow_sends_parts_concurrently_and_completes_in_the_chosen_order() {
    let server = UploadsServer::start().await;
    let client = client(&server);
    let chunks = [bytes(1, 300_000), bytes(2, 1), bytes(3, 70_000)];
    let total = chunks.iter().map(Vec::len).sum();
    let upload = client.create_upload(&create_request(total)).await.unwrap();

    // One part from memory, one from a file, one from a stream.
    let dir = std::env::temp_dir().join(format!("apigen-flow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("part-1.bin");
    std::fs::write(&path, &chunks[1]).unwrap();
    let stream_chunks: Vec<Result<bytes::Bytes, std::io::Error>> =
        chunks[2].chunks(4096).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
    let parts = [
        FilePart::bytes(chunks[0].clone()).file_name("part-0"),
        FilePart::path(&path),
        FilePart::stream(futures_util::stream::iter(stream_chunks), Some(chunks[2].len() as u64)).file_name("part-2"),
    ];
    let sent = join_all(
        parts
            .into_iter()
            .map(|data| client.add_upload_part(&upload.id, openai::forms::AddUploadPartRequest { data }).send()),
    )
    .await;
    let part_ids: Vec<String> = sent.into_iter().map(|part| part.unwrap().id).collect();
    std::fs::remove_dir_all(&dir).unwrap();

    let order = [2, 0, 1];
    let completed = client
        .complete_upload(
            &upload.id,
            &types::CompleteUploadRequest { part_ids: order.iter().map(|&i| part_ids[i].clone()).collect(), md5: None },
        )
        .await
        .unwrap();
    assert_eq!(completed.status, types::UploadStatus::Completed);
    assert_eq!(completed.file.as_ref().map(|f| f.bytes), Some(total as i64));

    let state = server.state.lock().unwrap();
    let stored = &state.uploads[&upload.id];
    for (index, id) in part_ids.iter().enumerate() {
        assert!(stored.parts[id] == chunks[index], "part {index} arrived byte for byte");
    }
    let expected: Vec<u8> = order.iter().flat_map(|&i| chunks[i].clone()).collect();
    assert!(stored.file.as_ref() == Some(&expected), "the file is joined in the order of part_ids");
}

#[tokio::test]
async fn path_parameters_never_change_the_path() {
    let server = UploadsServer::start().await;
    let client = client(&server);
    for (id, encoded) in [
        ("a/b", "a%2Fb"),
        ("x?y#z", "x%3Fy%23z"),
        ("sp ace", "sp%20ace"),
        ("../secrets", "..%2Fsecrets"),
        ("ünï", "%C3%BCn%C3%AF"),
    ] {
        let error = client.cancel_upload(id).await.expect_err("no such upload");
        match &error {
            Error::Api { status, body, .. } => {
                assert_eq!(status.as_u16(), 404);
                assert_eq!(body.error.message, "no such upload");
            }
            other => panic!("{id}: {other:?}"),
        }
        let last = server.state.lock().unwrap().requests.last().cloned();
        assert_eq!(last.as_deref(), Some(format!("/uploads/{encoded}/cancel").as_str()));
    }
    for id in ["..", ".", ""] {
        let before = server.state.lock().unwrap().requests.len();
        match client.cancel_upload(id).await {
            Err(Error::InvalidRequest(message)) => assert!(message.contains("upload_id"), "{message}"),
            other => panic!("{id:?}: {other:?}"),
        }
        assert_eq!(server.state.lock().unwrap().requests.len(), before, "nothing is sent");
    }
}

#[tokio::test]
async fn the_api_key_never_shows() {
    let server = UploadsServer::start().await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(TOKEN), "{client:?}");
    let error = client.cancel_upload("missing").await.unwrap_err();
    assert!(!format!("{error} {error:?}").contains(TOKEN));
    let wrong = Client::new(&server.base_url).with_bearer_token("sk-wrong\nkey");
    let error = wrong.cancel_upload("x").await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("sk-wrong"), "{error:?}");
    std::env::remove_var("APIGEN_TEST_UNSET_KEY");
    let missing = Client::new(&server.base_url).with_bearer_token_from_env("APIGEN_TEST_UNSET_KEY").unwrap_err();
    assert!(missing.to_string().contains("APIGEN_TEST_UNSET_KEY"));
}

/// A server whose `cancel` answers as the test says, to produce each kind of error.
async fn answering(status: u16, content_type: &'static str, body: &'static str, delay: Duration) -> String {
    let app = axum::Router::new().route(
        "/uploads/{id}/cancel",
        post(move || async move {
            tokio::time::sleep(delay).await;
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", content_type), ("x-request-id", "req_123")],
                body,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

#[tokio::test]
async fn errors_keep_the_evidence() {
    let documented =
        r#"{"error": {"message": "slow down", "type": "rate_limit", "param": null, "code": "rate_limited"}}"#;
    let url = answering(429, "application/json", documented, Duration::ZERO).await;
    match Client::new(url).cancel_upload("u").await.unwrap_err() {
        error @ Error::Api { .. } => {
            assert_eq!(error.request_id(), Some("req_123"));
            let Error::Api { status, body, raw, .. } = error else { unreachable!() };
            assert_eq!(status.as_u16(), 429);
            assert_eq!(body.error.message, "slow down");
            assert_eq!(&raw[..], documented.as_bytes());
        }
        other => panic!("{other:?}"),
    }

    let url = answering(502, "text/html", "<h1>Bad gateway</h1>", Duration::ZERO).await;
    match Client::new(url).cancel_upload("u").await.unwrap_err() {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(&body[..], b"<h1>Bad gateway</h1>");
        }
        other => panic!("{other:?}"),
    }

    let wrong = r#"{"id": "upload_1", "bytes": 5, "created_at": 1, "expires_at": 2, "filename": "f", "purpose": "p", "status": 7}"#;
    let url = answering(200, "application/json", wrong, Duration::ZERO).await;
    match Client::new(url).cancel_upload("u").await.unwrap_err() {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "status");
            assert_eq!(&body[..], wrong.as_bytes());
        }
        other => panic!("{other:?}"),
    }

    let url = answering(200, "application/json", "{}", Duration::from_secs(5)).await;
    match Client::new(url).cancel_upload("u").timeout(Duration::from_millis(100)).await.unwrap_err() {
        Error::Transport(error) => assert!(error.is_timeout(), "{error:?}"),
        other => panic!("{other:?}"),
    }

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let error = Client::new(format!("http://{closed}")).cancel_upload("u").await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

/// An enum value the spec does not list (a provider's newer status) does not
/// fail the response: it is kept, and written back as received.
#[tokio::test]
async fn unknown_enum_values_in_responses_are_kept() {
    let body = r#"{"id": "upload_1", "object": "upload", "bytes": 5, "created_at": 1, "expires_at": 2, "filename": "f", "purpose": "batch", "status": "archived", "file": null}"#;
    let url = answering(200, "application/json", body, Duration::ZERO).await;
    let upload = Client::new(url).cancel_upload("u").await.unwrap();
    assert_eq!(upload.status, types::UploadStatus::Other("archived".into()));
    assert_eq!(upload.status.as_str(), "archived");
    assert_eq!(serde_json::to_value(&upload).unwrap()["status"], "archived");
}

#[tokio::test]
async fn retries_are_opt_in_and_recover() {
    let server = UploadsServer::start().await;
    let upload = client(&server).create_upload(&create_request(3)).await.unwrap();
    let part = || openai::forms::AddUploadPartRequest { data: FilePart::bytes(&b"abc"[..]) };

    server.state.lock().unwrap().part_failures.extend([503]);
    let error = client(&server).add_upload_part(&upload.id, part()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "no retries unless asked");

    let policy = RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(10),
        retry_non_idempotent: true,
        ..RetryPolicy::default()
    };
    server.state.lock().unwrap().part_failures.extend([503, 429, 500]);
    let retrying = client(&server).with_retries(policy.clone());
    let stored = retrying.add_upload_part(&upload.id, part()).await.unwrap();
    assert_eq!(stored.upload_id, upload.id);

    // POST is not idempotent: without `retry_non_idempotent` one failure ends it.
    server.state.lock().unwrap().part_failures.extend([503]);
    let careful = client(&server).with_retries(RetryPolicy { retry_non_idempotent: false, ..policy.clone() });
    assert!(careful.add_upload_part(&upload.id, part()).await.is_err());

    // A stream can be sent only once, so it is not retried.
    server.state.lock().unwrap().part_failures.extend([503]);
    let once = openai::forms::AddUploadPartRequest {
        data: FilePart::stream(futures_util::stream::iter([Ok(bytes::Bytes::from_static(b"abc"))]), Some(3)),
    };
    assert!(retrying.add_upload_part(&upload.id, once).await.is_err());
    assert!(server.state.lock().unwrap().part_failures.is_empty());
}

/// What a hook saw of one request: URL, `x-trace` header, body.
type Seen = (String, Option<String>, String);

/// Records what each request carried, as a tracing or signing hook would see it.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl openai::Hook for Recorder {
    fn before(&self, request: &mut reqwest::Request) {
        let header = request.headers().get("x-trace").and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        self.0.lock().unwrap().push((request.url().to_string(), header, body));
        request.headers_mut().insert("x-signed", reqwest::header::HeaderValue::from_static("yes"));
    }
}

#[tokio::test]
async fn per_call_extras_and_hooks() {
    let server = UploadsServer::start().await;
    let recorder = Recorder::default();
    let client = client(&server).with_hook(recorder.clone());
    client
        .create_upload(&create_request(3))
        .header("x-trace", "abc")
        .query("beta", "true")
        .extra_body("metadata", serde_json::json!({"team": "ml"}))
        .timeout(Duration::from_secs(30))
        .await
        .unwrap();
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (url, header, body) = &seen[0];
    assert!(url.ends_with("/uploads?beta=true"), "{url}");
    assert_eq!(header.as_deref(), Some("abc"));
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["metadata"]["team"], "ml");
    assert_eq!(body["purpose"], "fine-tune");
    assert_eq!(server.state.lock().unwrap().requests.last().map(String::as_str), Some("/uploads?beta=true"));

    // Extra body fields need a JSON body.
    let error = client.cancel_upload("u").extra_body("x", 1).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

#[tokio::test]
async fn responses_keep_status_headers_and_raw_body() {
    let server = UploadsServer::start().await;
    let response = client(&server).create_upload(&create_request(3)).send_with_response().await.unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let raw: serde_json::Value = serde_json::from_slice(response.raw.as_ref().unwrap()).unwrap();
    assert_eq!(raw["id"], response.value.id.as_str());
}
