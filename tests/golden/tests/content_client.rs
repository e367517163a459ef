//! The client of tests/fixtures/content_vocabulary.yaml against an
//! in-process server: 3.1 `contentMediaType` fields go as file parts, and a
//! multipart `encoding` gives parts their content type.

use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, State};
use axum::routing::post;
use axum::{Json, Router};
use golden::content_vocabulary::{forms, Client, FilePart};
use serde_json::json;

/// Each part the server received: name, file name, content type, bytes.
type Parts = Arc<Mutex<Vec<(String, Option<String>, Option<String>, Vec<u8>)>>>;

async fn start() -> (Client, Parts) {
    let parts = Parts::default();
    let app = Router::new()
        .route(
            "/files",
            post(|State(parts): State<Parts>, mut form: Multipart| async move {
                while let Some(field) = form.next_field().await.unwrap() {
                    let (name, file_name, content_type) = (field.name().unwrap_or_default().to_string(), field.file_name().map(str::to_string), field.content_type().map(str::to_string));
                    let bytes = field.bytes().await.unwrap().to_vec();
                    parts.lock().unwrap().push((name, file_name, content_type, bytes));
                }
                Json(json!({"name": "stored", "size": 0}))
            }),
        )
        .with_state(parts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (Client::new(format!("http://{address}")), parts)
}

#[tokio::test]
async fn content_media_type_fields_are_files_with_their_encoding() {
    let (client, parts) = start().await;
    let form = forms::BodyUploadFileFilesPost {
        file: FilePart::bytes(vec![0xff, 0x00, 0xfe]),
        thumbnail: Some(FilePart::bytes(&b"\x89PNG"[..]).file_name("t.png")),
        // `encoding` lists two types for these: each part keeps its own, or the default.
        attachments: Some(vec![FilePart::bytes(&b"a"[..]).mime_type("image/jpeg"), FilePart::bytes(&b"b"[..])]),
        note: "plain".into(),
        meta: Some(r#"{"k":1}"#.into()),
    };
    client.upload_file(form).await.unwrap();
    let parts = parts.lock().unwrap().clone();
    let file = |name: &str, file_name: &str, content_type: &str, bytes: &[u8]| (name.to_string(), Some(file_name.to_string()), Some(content_type.to_string()), bytes.to_vec());
    let text = |name: &str, content_type: Option<&str>, text: &str| (name.to_string(), None, content_type.map(str::to_string), text.as_bytes().to_vec());
    assert_eq!(
        parts,
        [
            file("file", "file", "application/octet-stream", &[0xff, 0x00, 0xfe]),
            file("thumbnail", "t.png", "image/png", b"\x89PNG"),
            file("attachments", "file", "image/jpeg", b"a"),
            file("attachments", "file", "application/octet-stream", b"b"),
            text("note", None, "plain"),
            text("meta", Some("application/json"), r#"{"k":1}"#),
        ]
    );
}

#[tokio::test]
async fn a_file_keeps_its_own_mime_type_over_the_encoding() {
    let (client, parts) = start().await;
    let form = forms::BodyUploadFileFilesPost {
        file: FilePart::bytes(&b"x"[..]),
        thumbnail: Some(FilePart::bytes(&b"gif"[..]).mime_type("image/gif")),
        attachments: None,
        note: "n".into(),
        meta: None,
    };
    client.upload_file(form).await.unwrap();
    let parts = parts.lock().unwrap().clone();
    let thumbnail = parts.iter().find(|part| part.0 == "thumbnail").unwrap();
    assert_eq!(thumbnail.2.as_deref(), Some("image/gif"));
    assert!(!parts.iter().any(|part| part.0 == "meta" || part.0 == "attachments"), "{parts:?}");
}
