//! An in-process stand-in for OpenAI's Uploads endpoints (on 127.0.0.1):
//! the generated OpenAI server (`openai::server`, the crate's `server`
//! feature), which checks each request against the spec, serving an
//! implementation of its `Uploads` trait. It keeps every part's bytes as
//! received, joins them on complete in the order given, checks the bearer
//! token, and can be told to fail or delay add-part requests. In
//! `discard_part_bytes` mode (for benchmarks) it counts the bytes of each
//! part instead of keeping them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_generated::openai::server::{self, requests, responses, Context};
use apigen_generated::openai::types;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

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
        let app = server::Server::new()
            .uploads(Arc::new(Uploads { state: state.clone() }))
            .into_router()
            .layer(axum::middleware::from_fn_with_state(state.clone(), record));
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

/// The state behind the generated server's `Uploads` trait.
struct Uploads {
    state: Shared,
}

/// An error answer in OpenAI's shape, for the operations' `Default` variants.
fn error(status: StatusCode, message: &str) -> (StatusCode, types::ErrorResponse) {
    (status, types::ErrorResponse::new(types::Error::new(message, "invalid_request_error")))
}

/// The 401 answer when the bearer token is missing or wrong.
fn unauthorized(context: &Context) -> Option<(StatusCode, types::ErrorResponse)> {
    (context.bearer_token() != Some(TOKEN)).then(|| error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token"))
}

fn upload_value(id: &str, upload: &Upload) -> types::Upload {
    let file = upload.file.as_ref().map(|_| {
        json!({"id": format!("file-{id}"), "object": "file", "bytes": upload.bytes, "created_at": 1719186911, "filename": upload.filename, "purpose": upload.purpose, "status": "processed"})
    });
    let value = json!({"id": id, "object": "upload", "bytes": upload.bytes, "created_at": 1719184911, "filename": upload.filename, "purpose": upload.purpose, "status": upload.status, "expires_at": 1719188511, "file": file});
    serde_json::from_value(value).expect("the fields of an Upload")
}

impl server::Uploads for Uploads {
    async fn create_upload(&self, context: Context, request: requests::CreateUpload) -> responses::CreateUpload {
        if let Some((status, body)) = unauthorized(&context) {
            return responses::CreateUpload::Default(status, body);
        }
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        let id = format!("upload_{}", state.next_id);
        let upload = Upload {
            bytes: u64::try_from(request.body.bytes).unwrap_or(0),
            filename: request.body.filename,
            purpose: request.body.purpose.as_str().to_string(),
            status: "pending".into(),
            ..Upload::default()
        };
        let answer = upload_value(&id, &upload);
        state.uploads.insert(id, upload);
        responses::CreateUpload::Ok(answer)
    }

    async fn add_upload_part(&self, context: Context, request: requests::AddUploadPart) -> responses::AddUploadPart {
        let failed = |(status, body)| responses::AddUploadPart::Default(status, body);
        if let Some(refusal) = unauthorized(&context) {
            return failed(refusal);
        }
        let discard = self.state.lock().unwrap().discard_part_bytes;
        // The server spooled the part to a temporary file as it arrived.
        let file = request.body.data;
        let length = file.size;
        let data = if discard {
            Vec::new()
        } else {
            match file.bytes().await {
                Ok(bytes) => bytes,
                Err(_) => return failed(error(StatusCode::BAD_REQUEST, "unreadable part")),
            }
        };
        let delay = {
            let mut state = self.state.lock().unwrap();
            state.part_calls += 1;
            state.part_delays.pop_front()
        };
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        let mut state = self.state.lock().unwrap();
        if state.parts_always_fail {
            return failed(error(StatusCode::INTERNAL_SERVER_ERROR, "parts are failing"));
        }
        if let Some(status) = state.part_failures.pop_front() {
            return failed(error(StatusCode::from_u16(status).unwrap(), "injected failure"));
        }
        if state.failing_part_prefix.as_ref().is_some_and(|prefix| data.starts_with(prefix)) {
            return failed(error(StatusCode::INTERNAL_SERVER_ERROR, "this part always fails"));
        }
        state.next_id += 1;
        let part_id = format!("part_{}", state.next_id);
        let id = request.upload_id;
        let Some(upload) = state.uploads.get_mut(&id) else {
            return failed(error(StatusCode::NOT_FOUND, "no such upload"));
        };
        if upload.status != "pending" {
            return failed(error(StatusCode::BAD_REQUEST, "upload is not pending"));
        }
        upload.parts.insert(part_id.clone(), data);
        upload.part_lengths.insert(part_id.clone(), length);
        responses::AddUploadPart::Ok(types::UploadPart::new(part_id, 1719185911, id))
    }

    async fn complete_upload(&self, context: Context, request: requests::CompleteUpload) -> responses::CompleteUpload {
        let failed = |(status, body)| responses::CompleteUpload::Default(status, body);
        if let Some(refusal) = unauthorized(&context) {
            return failed(refusal);
        }
        let mut state = self.state.lock().unwrap();
        state.complete_calls += 1;
        let id = request.upload_id;
        let Some(upload) = state.uploads.get_mut(&id) else {
            return failed(error(StatusCode::NOT_FOUND, "no such upload"));
        };
        let mut file = Vec::new();
        let mut length = 0;
        for part_id in &request.body.part_ids {
            match upload.parts.get(part_id).zip(upload.part_lengths.get(part_id)) {
                Some((bytes, part_length)) => {
                    file.extend_from_slice(bytes);
                    length += part_length;
                }
                None => return failed(error(StatusCode::BAD_REQUEST, &format!("unknown part {part_id:?}"))),
            }
        }
        if length != upload.bytes {
            let message = format!("parts hold {length} bytes, the upload declared {}", upload.bytes);
            return failed(error(StatusCode::BAD_REQUEST, &message));
        }
        upload.md5 = request.body.md5;
        upload.file = Some(file);
        upload.status = "completed".into();
        responses::CompleteUpload::Ok(upload_value(&id, upload))
    }

    async fn cancel_upload(&self, context: Context, request: requests::CancelUpload) -> responses::CancelUpload {
        if let Some((status, body)) = unauthorized(&context) {
            return responses::CancelUpload::Default(status, body);
        }
        let mut state = self.state.lock().unwrap();
        state.cancel_calls += 1;
        let Some(upload) = state.uploads.get_mut(&request.upload_id) else {
            let (status, body) = error(StatusCode::NOT_FOUND, "no such upload");
            return responses::CancelUpload::Default(status, body);
        };
        upload.status = "cancelled".into();
        responses::CancelUpload::Ok(upload_value(&request.upload_id, upload))
    }
}
