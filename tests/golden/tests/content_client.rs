//! The client of tests/fixtures/content_vocabulary.yaml against an
//! in-process server: 3.1 `contentMediaType` fields go as file parts, and a
//! multipart `encoding` gives parts their content type and the headers it fixes.

use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, State};
use axum::routing::post;
use axum::{Json, Router};
use golden::content_vocabulary::{forms, Client, Error, FilePart};
use serde_json::json;

/// Each part the server received: name, file name, content type, bytes.
type Parts = Arc<Mutex<Vec<(String, Option<String>, Option<String>, Vec<u8>)>>>;
/// Each `x-` header of a part the server received: part name, header name, value.
type PartHeaders = Arc<Mutex<Vec<(String, String, String)>>>;

async fn start() -> (Client, Parts, PartHeaders) {
    let (parts, part_headers) = (Parts::default(), PartHeaders::default());
    let app = Router::new()
        .route(
            "/files",
            post(|State((parts, part_headers)): State<(Parts, PartHeaders)>, mut form: Multipart| async move {
                while let Some(field) = form.next_field().await.unwrap() {
                    let (name, file_name, content_type) = (
                        field.name().unwrap_or_default().to_string(),
                        field.file_name().map(str::to_string),
                        field.content_type().map(str::to_string),
                    );
                    let custom = field.headers().iter().filter(|(key, _)| key.as_str().starts_with("x-"));
                    part_headers.lock().unwrap().extend(
                        custom.map(|(key, value)| (name.clone(), key.to_string(), value.to_str().unwrap().to_string())),
                    );
                    let bytes = field.bytes().await.unwrap().to_vec();
                    parts.lock().unwrap().push((name, file_name, content_type, bytes));
                }
                Json(json!({"name": "stored", "size": 0}))
            }),
        )
        .with_state((parts.clone(), part_headers.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (Client::new(format!("http://{address}")), parts, part_headers)
}

#[tokio::test]
async fn content_media_type_fields_are_files_with_their_encoding() {
    let (client, parts, _) = start().await;
    let form = forms::UploadFileBody {
        file: FilePart::bytes(vec![0xff, 0x00, 0xfe]),
        thumbnail: Some(FilePart::bytes(&b"\x89PNG"[..]).file_name("t.png")),
        // `encoding` lists two types for these: each part keeps its own, or the default.
        attachments: Some(vec![FilePart::bytes(&b"a"[..]).mime_type("image/jpeg"), FilePart::bytes(&b"b"[..])]),
        note: "plain".into(),
        meta: Some(r#"{"k":1}"#.into()),
    };
    client.upload_file(form).await.unwrap();
    let parts = parts.lock().unwrap().clone();
    let file = |name: &str, file_name: &str, content_type: &str, bytes: &[u8]| {
        (name.to_string(), Some(file_name.to_string()), Some(content_type.to_string()), bytes.to_vec())
    };
    let text = |name: &str, content_type: Option<&str>, text: &str| {
        (name.to_string(), None, content_type.map(str::to_string), text.as_bytes().to_vec())
    };
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
    let (client, parts, _) = start().await;
    let form = forms::UploadFileBody {
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

fn small_form() -> forms::UploadFileBody {
    forms::UploadFileBody {
        file: FilePart::bytes(&b"x"[..]),
        thumbnail: Some(FilePart::bytes(&b"\x89PNG"[..]).file_name("t.png")),
        attachments: None,
        note: "n".into(),
        meta: None,
    }
}

#[tokio::test]
async fn parts_carry_the_headers_the_encoding_fixes_and_the_caller_adds() {
    let (client, parts, part_headers) = start().await;
    client
        .upload_file(small_form())
        .part_header("thumbnail", "X-Checksum", "sha256=abc")
        .part_header("note", "X-Note-Priority", "1")
        .await
        .unwrap();
    let mut received = part_headers.lock().unwrap().clone();
    received.sort();
    let header = |part: &str, name: &str, value: &str| (part.to_string(), name.to_string(), value.to_string());
    // The caller's `X-Note-Priority` replaces the spec's default.
    assert_eq!(
        received,
        [
            header("note", "x-note-priority", "1"),
            header("thumbnail", "x-checksum", "sha256=abc"),
            header("thumbnail", "x-image-version", "2")
        ]
    );
    // The encoding's `Content-Type` header is ignored: `contentType` governs.
    let thumbnail = parts.lock().unwrap().iter().find(|part| part.0 == "thumbnail").cloned().unwrap();
    assert_eq!(thumbnail.2.as_deref(), Some("image/png"));
}

#[tokio::test]
async fn the_fixed_part_headers_go_without_the_caller() {
    let (client, _, part_headers) = start().await;
    client.upload_file(small_form()).await.unwrap();
    let mut received = part_headers.lock().unwrap().clone();
    received.sort();
    assert_eq!(
        received,
        [
            ("note".to_string(), "x-note-priority".to_string(), "3".to_string()),
            ("thumbnail".to_string(), "x-image-version".to_string(), "2".to_string())
        ]
    );
}

#[tokio::test]
async fn an_invalid_part_header_is_refused_before_sending() {
    let (client, parts, _) = start().await;
    for (name, value) in [("X-Checksum", "a\r\nX-Injected: 1"), ("X-Checksum", "caf\u{e9}"), ("Bad Name", "v")] {
        let error = client.upload_file(small_form()).part_header("thumbnail", name, value).await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{name}: {value:?}: {error:?}");
    }
    assert!(parts.lock().unwrap().is_empty(), "nothing reached the server");
}
