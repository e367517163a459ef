//! An in-process stand-in for OpenAI's Uploads endpoints (axum on
//! 127.0.0.1): it keeps every part's bytes as received, joins them on
//! complete in the order given, checks the bearer token, and can be told to
//! fail or delay add-part requests. In `discard_part_bytes` mode (for
//! benchmarks) it counts the bytes of each part instead of keeping them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

pub const TOKEN: &str = "sk-test-secret-token";

#[derive(Debug, Default, Clone)]
pub struct Upload {
    pub bytes: u64,
    pub filename: String,
    pub purpose: String,
    pub status: String,
    /// Part id -> the bytes of its `data` field, as received (empty when discarded).
    pub parts: BTreeMap<String, Vec<u8>>,
    /// Part id -> the length of its `data` field.
    pub part_lengths: BTreeMap<String, u64>,
    /// The joined file, once completed.
    pub file: Option<Vec<u8>>,
    pub md5: Option<String>,
}

#[derive(Debug, Default)]
pub struct ServerState {
    pub uploads: BTreeMap<String, Upload>,
    /// Statuses to answer the next add-part requests with, in order.
    pub part_failures: VecDeque<u16>,
    /// Answer every add-part request with 500.
    pub parts_always_fail: bool,
    /// Answer 500 to every part whose data starts with these bytes.
    pub failing_part_prefix: Option<Vec<u8>>,
    /// How long to hold the next add-part requests before answering, in order.
    pub part_delays: VecDeque<Duration>,
    /// Count each part's bytes without keeping them (the joined file is then not kept).
    pub discard_part_bytes: bool,
    pub part_calls: usize,
    pub complete_calls: usize,
    pub cancel_calls: usize,
    /// Every request's path and query, as received (still percent-encoded).
    pub requests: Vec<String>,
    next_id: usize,
}

pub type Shared = Arc<Mutex<ServerState>>;

pub struct UploadsServer {
    pub base_url: String,
    pub state: Shared,
}

impl UploadsServer {
    pub async fn start() -> UploadsServer {
        UploadsServer::start_on("127.0.0.1:0").await
    }

    /// A server on a fixed address, such as `127.0.0.1:8911`.
    pub async fn start_on(address: &str) -> UploadsServer {
        let state = Shared::default();
        let app = Router::new()
            .route("/uploads", post(create))
            .route("/uploads/{id}/parts", post(add_part))
            .route("/uploads/{id}/complete", post(complete))
            .route("/uploads/{id}/cancel", post(cancel))
            .layer(axum::extract::DefaultBodyLimit::max(128 << 20))
            .layer(axum::middleware::from_fn_with_state(state.clone(), record))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind(address).await.expect("a port");
        let address = listener.local_addr().expect("an address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        UploadsServer { base_url: format!("http://{address}"), state }
    }
}

async fn record(
    State(state): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let target = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    state.lock().unwrap().requests.push(target);
    next.run(request).await
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": null}})))
        .into_response()
}

/// The 401 answer when the bearer token is missing or wrong.
fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some(value) if value == format!("Bearer {TOKEN}") => None,
        _ => Some(error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token")),
    }
}

fn upload_json(id: &str, upload: &Upload) -> Value {
    let file = upload.file.as_ref().map(|_| {
        json!({"id": format!("file-{id}"), "object": "file", "bytes": upload.bytes, "created_at": 1719186911, "filename": upload.filename, "purpose": upload.purpose, "status": "processed"})
    });
    json!({"id": id, "object": "upload", "bytes": upload.bytes, "created_at": 1719184911, "filename": upload.filename, "purpose": upload.purpose, "status": upload.status, "expires_at": 1719188511, "file": file})
}

async fn create(State(state): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(response) = unauthorized(&headers) {
        return response;
    }
    let mut state = state.lock().unwrap();
    state.next_id += 1;
    let id = format!("upload_{}", state.next_id);
    let upload = Upload {
        bytes: body["bytes"].as_u64().unwrap_or(0),
        filename: body["filename"].as_str().unwrap_or_default().into(),
        purpose: body["purpose"].as_str().unwrap_or_default().into(),
        status: "pending".into(),
        ..Upload::default()
    };
    let json = upload_json(&id, &upload);
    state.uploads.insert(id, upload);
    Json(json).into_response()
}

async fn add_part(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    if let Some(response) = unauthorized(&headers) {
        return response;
    }
    let discard = state.lock().unwrap().discard_part_bytes;
    let mut data = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let is_data = field.name() == Some("data") && field.file_name().is_some();
        let mut bytes = Vec::new();
        let mut length = 0;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    length += chunk.len() as u64;
                    if !discard {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(None) => break,
                Err(_) => return error(StatusCode::BAD_REQUEST, "unreadable part"),
            }
        }
        if is_data {
            data = Some((bytes, length));
        }
    }
    let delay = {
        let mut state = state.lock().unwrap();
        state.part_calls += 1;
        state.part_delays.pop_front()
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut state = state.lock().unwrap();
    if state.parts_always_fail {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "parts are failing");
    }
    if let Some(status) = state.part_failures.pop_front() {
        return error(StatusCode::from_u16(status).unwrap(), "injected failure");
    }
    let Some((data, length)) = data else { return error(StatusCode::BAD_REQUEST, "no `data` file field") };
    if state.failing_part_prefix.as_ref().is_some_and(|prefix| data.starts_with(prefix)) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "this part always fails");
    }
    state.next_id += 1;
    let part_id = format!("part_{}", state.next_id);
    let Some(upload) = state.uploads.get_mut(&id) else { return error(StatusCode::NOT_FOUND, "no such upload") };
    if upload.status != "pending" {
        return error(StatusCode::BAD_REQUEST, "upload is not pending");
    }
    upload.parts.insert(part_id.clone(), data);
    upload.part_lengths.insert(part_id.clone(), length);
    Json(json!({"id": part_id, "object": "upload.part", "created_at": 1719185911, "upload_id": id})).into_response()
}

async fn complete(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(response) = unauthorized(&headers) {
        return response;
    }
    let mut state = state.lock().unwrap();
    state.complete_calls += 1;
    let Some(upload) = state.uploads.get_mut(&id) else { return error(StatusCode::NOT_FOUND, "no such upload") };
    let mut file = Vec::new();
    let mut length = 0;
    for part_id in body["part_ids"].as_array().into_iter().flatten() {
        match part_id.as_str().and_then(|p| Some((upload.parts.get(p)?, upload.part_lengths.get(p)?))) {
            Some((bytes, part_length)) => {
                file.extend_from_slice(bytes);
                length += part_length;
            }
            None => return error(StatusCode::BAD_REQUEST, &format!("unknown part {part_id}")),
        }
    }
    if length != upload.bytes {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("parts hold {length} bytes, the upload declared {}", upload.bytes),
        );
    }
    upload.md5 = body["md5"].as_str().map(str::to_string);
    upload.file = Some(file);
    upload.status = "completed".into();
    Json(upload_json(&id, upload)).into_response()
}

async fn cancel(State(state): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(response) = unauthorized(&headers) {
        return response;
    }
    let mut state = state.lock().unwrap();
    state.cancel_calls += 1;
    let Some(upload) = state.uploads.get_mut(&id) else { return error(StatusCode::NOT_FOUND, "no such upload") };
    upload.status = "cancelled".into();
    Json(upload_json(&id, upload)).into_response()
}
