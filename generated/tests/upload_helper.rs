//! `upload::upload_file` against the in-process uploads server: parts arrive
//! byte for byte in file order, failed parts are retried alone, failures and
//! dropped futures cancel the Upload, MD5 adds up (progress: upload_progress.rs); and
//! `upload::complete_dataset_upload` against a stand-in Nebius server.

#[path = "support/uploads_server.rs"]
mod uploads_server;

use std::time::Duration;

use apigen_generated::openai::{types, Client, RetryPolicy};
use apigen_generated::upload::{upload_file, AbortReason, UploadError, UploadOptions, UploadSource};
use md5::{Digest, Md5};
use uploads_server::{UploadsServer, TOKEN};

const PART_SIZE: u64 = 1000;

/// Bytes from a xorshift generator, so that every part starts differently.
fn file_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn client(server: &UploadsServer) -> Client {
    Client::new(&server.base_url).with_bearer_token(TOKEN)
}

/// Small parts, three at a time, and quick retries.
fn options() -> UploadOptions {
    UploadOptions {
        part_size: PART_SIZE,
        concurrency: 3,
        filename: Some("data.jsonl".into()),
        retry: RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        ..UploadOptions::new(types::CreateUploadRequestPurpose::Batch, "text/jsonl")
    }
}

fn source(bytes: &[u8]) -> UploadSource {
    UploadSource::reader(std::io::Cursor::new(bytes.to_vec()), bytes.len() as u64)
}

/// The only upload the server holds.
fn stored(server: &UploadsServer) -> uploads_server::Upload {
    let state = server.state.lock().unwrap();
    assert_eq!(state.uploads.len(), 1);
    state.uploads.values().next().cloned().unwrap()
}

fn counts(server: &UploadsServer) -> (usize, usize) {
    let state = server.state.lock().unwrap();
    (state.complete_calls, state.cancel_calls)
}

#[tokio::test]
async fn a_file_of_ten_parts_arrives_byte_for_byte_in_file_order() {
    let server = UploadsServer::start().await;
    // The first part answers last, so parts finish out of order.
    server.state.lock().unwrap().part_delays = [Duration::from_millis(300)].into();
    let content = file_bytes(9_500);
    let dir = std::env::temp_dir().join(format!("apigen-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("train.jsonl");
    std::fs::write(&path, &content).unwrap();

    let upload =
        upload_file(&client(&server), UploadSource::path(&path), UploadOptions { filename: None, ..options() }).await;
    std::fs::remove_dir_all(&dir).unwrap();

    let upload = upload.unwrap();
    assert_eq!(upload.status, types::UploadStatus::Completed);
    assert_eq!(upload.filename, "train.jsonl", "named after the path");
    let stored = stored(&server);
    assert_eq!(stored.parts.len(), 10);
    assert!(stored.file.as_deref() == Some(&content[..]), "the joined file is the original");
    assert_eq!(stored.md5, None, "no MD5 unless asked");
    assert_eq!(counts(&server), (1, 0));
}

#[tokio::test]
async fn md5_of_the_whole_file_is_sent_on_completion() {
    let server = UploadsServer::start().await;
    let content = file_bytes(4_321);
    upload_file(&client(&server), source(&content), UploadOptions { md5: true, ..options() }).await.unwrap();
    let expected: String = Md5::digest(&content).iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(stored(&server).md5, Some(expected));
}

#[tokio::test]
async fn a_part_that_fails_once_is_retried_alone() {
    let server = UploadsServer::start().await;
    server.state.lock().unwrap().part_failures = [503].into();
    let content = file_bytes(3_000);
    upload_file(&client(&server), source(&content), options()).await.unwrap();

    let stored = stored(&server);
    assert!(stored.file.as_deref() == Some(&content[..]));
    assert_eq!(server.state.lock().unwrap().part_calls, 4, "three parts and one retry");
    assert_eq!(counts(&server), (1, 0));
}

#[tokio::test]
async fn a_part_that_keeps_failing_cancels_the_upload_and_is_named() {
    let server = UploadsServer::start().await;
    let content = file_bytes(10_000);
    server.state.lock().unwrap().failing_part_prefix = Some(content[3_000..3_016].to_vec());
    let error = upload_file(&client(&server), source(&content), options()).await.unwrap_err();

    match &error {
        UploadError::Aborted {
            reason: AbortReason::Part { index, bytes, attempts, error },
            cancel_error: None,
            ..
        } => {
            assert_eq!((*index, bytes.clone(), *attempts), (3, 3_000..4_000, 3));
            assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
        }
        other => panic!("expected a failed part, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("part 3 (bytes 3000..4000) failed after 3 attempts"), "{message}");
    assert!(message.contains("this part always fails"), "the server's message is kept: {message}");
    assert_eq!(counts(&server), (0, 1), "cancelled, never completed");
    assert_eq!(stored(&server).status, "cancelled");
}

#[tokio::test]
async fn a_client_error_on_a_part_is_not_retried() {
    let server = UploadsServer::start().await;
    server.state.lock().unwrap().part_failures = [400].into();
    let error = upload_file(&client(&server), source(&file_bytes(1_000)), options()).await.unwrap_err();
    assert!(
        matches!(error, UploadError::Aborted { reason: AbortReason::Part { index: 0, attempts: 1, .. }, .. }),
        "{error:?}"
    );
    assert_eq!(counts(&server), (0, 1));
}

#[tokio::test]
async fn a_reader_shorter_or_longer_than_declared_fails_and_cancels() {
    let server = UploadsServer::start().await;
    let short = UploadSource::reader(std::io::Cursor::new(file_bytes(2_500)), 3_000);
    let error = upload_file(&client(&server), short, options()).await.unwrap_err();
    assert!(
        matches!(
            error,
            UploadError::Aborted { reason: AbortReason::SourceTooShort { declared: 3_000, read: 2_500 }, .. }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("the source ended after 2500 bytes but 3000 were declared"), "{error}");
    assert_eq!(counts(&server), (0, 1));

    let long = UploadSource::reader(std::io::Cursor::new(file_bytes(3_001)), 3_000);
    let error = upload_file(&client(&server), long, options()).await.unwrap_err();
    assert!(
        matches!(error, UploadError::Aborted { reason: AbortReason::SourceTooLong { declared: 3_000 }, .. }),
        "{error:?}"
    );
    assert_eq!(counts(&server), (0, 2));
}

#[tokio::test]
async fn dropping_the_future_mid_upload_cancels_the_upload() {
    let server = UploadsServer::start().await;
    server.state.lock().unwrap().part_delays = vec![Duration::from_millis(200); 10].into();
    let client = client(&server);
    tokio::select! {
        outcome = upload_file(&client, source(&file_bytes(10_000)), options()) => panic!("finished too early: {outcome:?}"),
        _ = tokio::time::sleep(Duration::from_millis(300)) => {}
    }
    for _ in 0..100 {
        if counts(&server).1 == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(counts(&server), (0, 1), "cancelled by the drop guard, never completed");
    assert_eq!(stored(&server).status, "cancelled");
}

#[tokio::test]
async fn invalid_options_are_refused_before_anything_is_sent() {
    let server = UploadsServer::start().await;
    let client = client(&server);
    for options in [
        UploadOptions { part_size: 0, ..options() },
        UploadOptions { part_size: (64 << 20) + 1, ..options() },
        UploadOptions { concurrency: 0, ..options() },
        UploadOptions { filename: None, ..options() },
    ] {
        let error = upload_file(&client, source(b"{}"), options).await.unwrap_err();
        assert!(matches!(error, UploadError::InvalidOptions(_)), "{error:?}");
    }
    let too_large = UploadSource::reader(tokio::io::empty(), (8 << 30) + 1);
    let error = upload_file(&client, too_large, options()).await.unwrap_err();
    assert!(matches!(error, UploadError::InvalidOptions(_)), "{error:?}");
    assert!(server.state.lock().unwrap().requests.is_empty());
}

mod nebius_datasets {
    use std::sync::{Arc, Mutex};

    use apigen_generated::nebius::Client;
    use apigen_generated::upload::complete_dataset_upload;
    use axum::extract::{Path, Query};
    use axum::routing::{get, post};
    use axum::{Json, Router};
    use serde_json::{json, Value};

    #[tokio::test]
    async fn completes_with_the_listed_parts_in_creation_order() {
        let completed_with = Arc::new(Mutex::new(None::<(Value, Option<String>)>));
        let sink = completed_with.clone();
        let app = Router::new()
            .route(
                "/v1/datasets/uploads/{id}/parts",
                get(|Path(id): Path<String>| async move {
                    let part = |part_id: &str, created_at: i64| json!({"id": part_id, "upload_id": id, "status": "completed", "created_at": created_at});
                    Json(json!({"object": "list", "data": [part("p-c", 30), part("p-a", 10), part("p-b1", 20), part("p-b2", 20)]}))
                }),
            )
            .route(
                "/v1/datasets/uploads/{id}/complete",
                post(move |Path(id): Path<String>, Query(query): Query<std::collections::HashMap<String, String>>, Json(body): Json<Value>| async move {
                    *sink.lock().unwrap() = Some((body["part_ids"].clone(), query.get("ai_project_id").cloned()));
                    let dataset = json!({"id": "ds-1", "name": "train", "schema": [], "folder": "/"});
                    Json(json!({"id": id, "upload_info": {"status": "COMPLETED", "dataset": dataset, "created_at": 1}}))
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });

        let response = complete_dataset_upload(&Client::new(base_url), "up-1", Some("project-7")).await.unwrap();
        assert_eq!(response.id, "up-1");
        let (part_ids, project) = completed_with.lock().unwrap().clone().unwrap();
        assert_eq!(part_ids, json!(["p-a", "p-b1", "p-b2", "p-c"]));
        assert_eq!(project.as_deref(), Some("project-7"));
    }
}
