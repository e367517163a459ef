//! The server generated from specs/nebius.yaml, implemented here as an
//! in-memory datasets service and called through the client generated from
//! the same spec; then requests the spec does not allow, whose FastAPI-style
//! 422 the client reads as the spec's own `HTTPValidationError`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use apigen_generated::nebius::server::{self, requests, responses, Context};
use apigen_generated::nebius::{types, Client, Error};
use serde_json::json;

/// Uploads by id: their parts, and the project they belong to.
#[derive(Default)]
struct Datasets {
    parts: Mutex<BTreeMap<String, Vec<types::UploadPartInfoResponse>>>,
    calls: Mutex<Vec<String>>,
}

fn validation_error(loc: &str, msg: &str) -> types::HttpValidationError {
    serde_json::from_value(json!({"detail": [{"loc": ["body", loc], "msg": msg, "type": "value_error"}]})).unwrap()
}

impl server::Datasets for Datasets {
    async fn complete_upload(&self, context: Context, request: requests::CompleteUpload) -> responses::CompleteUpload {
        // A context's `Debug` names headers but shows no value: they may be credentials.
        let shown = format!("{context:?}");
        assert!(shown.contains("authorization") && !shown.contains("nb-key"), "{shown}");
        self.calls.lock().unwrap().push(format!(
            "complete {} project={:?} parts={:?} token={:?}",
            request.upload_id,
            request.ai_project_id,
            request.body.part_ids,
            context.bearer_token()
        ));
        let known: Vec<String> = self
            .parts
            .lock()
            .unwrap()
            .get(&request.upload_id)
            .map(|parts| parts.iter().map(|part| part.id.clone()).collect())
            .unwrap_or_default();
        if request.body.part_ids.is_empty() || request.body.part_ids.iter().any(|id| !known.contains(id)) {
            return responses::CompleteUpload::UnprocessableEntity(validation_error("part_ids", "unknown part"));
        }
        let upload = json!({
            "id": request.upload_id,
            "upload_info": {
                "status": "COMPLETED",
                "dataset": {"id": "ds_1", "name": "train", "schema": [{"name": "text", "type": {"name": "string"}}], "folder": "f"},
                "created_at": 1_700_000_000,
                "completed_at": 1_700_000_100,
                "ai_project_id": request.ai_project_id,
            },
        });
        responses::CompleteUpload::Ok(serde_json::from_value(upload).unwrap())
    }

    async fn list_upload_parts(&self, _: Context, request: requests::ListUploadParts) -> responses::ListUploadParts {
        self.calls.lock().unwrap().push(format!("list {} project={:?}", request.upload_id, request.ai_project_id));
        let data = self.parts.lock().unwrap().get(&request.upload_id).cloned().unwrap_or_default();
        responses::ListUploadParts::Ok(types::UploadPartsResponse {
            object: Some("list".into()),
            data,
            additional_properties: Default::default(),
        })
    }
}

fn part(id: &str, upload_id: &str, created_at: i64) -> types::UploadPartInfoResponse {
    types::UploadPartInfoResponse {
        id: id.into(),
        upload_id: upload_id.into(),
        status: "UPLOADED".into(),
        created_at,
        additional_properties: [("etag".to_string(), json!("abc"))].into_iter().collect(),
    }
}

async fn start() -> (Client, String, Arc<Datasets>) {
    let service = Arc::new(Datasets::default());
    service.parts.lock().unwrap().insert("up/1".into(), vec![part("p2", "up/1", 20), part("p1", "up/1", 10)]);
    let router = server::Server::new().datasets(Arc::clone(&service)).into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (Client::new(base.clone()).with_bearer_token("nb-key"), base, service)
}

#[tokio::test]
async fn the_datasets_flow_round_trips() {
    let (client, _, service) = start().await;

    let parts = client.list_upload_parts("up/1").ai_project_id("proj 1").await.unwrap();
    let ids: Vec<&str> = parts.data.iter().map(|part| part.id.as_str()).collect();
    assert_eq!(ids, ["p2", "p1"]);
    // A field the spec does not declare goes through both sides.
    assert_eq!(parts.data[0].additional_properties.get("etag"), Some(json!("abc")));

    let done = client
        .complete_upload("up/1", &types::CompleteUploadRequest { part_ids: vec!["p1".into(), "p2".into()] })
        .ai_project_id("proj 1")
        .await
        .unwrap();
    assert_eq!(done.upload_info.status, types::UploadStatus::Completed);
    assert_eq!(done.upload_info.ai_project_id.as_deref(), Some("proj 1"));

    // The implementation's own 422 is the documented error.
    match client.complete_upload("up/1", &types::CompleteUploadRequest { part_ids: vec!["p9".into()] }).await {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(body.detail.unwrap()[0].msg, "unknown part");
        }
        other => panic!("expected 422, got {other:?}"),
    }

    assert_eq!(
        *service.calls.lock().unwrap(),
        [
            r#"list up/1 project=Some("proj 1")"#,
            r#"complete up/1 project=Some("proj 1") parts=["p1", "p2"] token=Some("nb-key")"#,
            r#"complete up/1 project=None parts=["p9"] token=Some("nb-key")"#,
        ]
    );
}

#[tokio::test]
async fn invalid_requests_get_a_validation_error_the_client_reads() {
    let (_, base, service) = start().await;
    let http = reqwest::Client::new();
    // Without the bearer token the operation asks for: 401, as FastAPI's `HTTPBearer`, before the body is read.
    let complete = format!("{base}/v1/datasets/uploads/up1/complete");
    let response = http.post(&complete).json(&json!({"part_ids": "p1"})).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(response.json::<serde_json::Value>().await.unwrap(), json!({"detail": "Not authenticated"}));

    let response = http.post(&complete).bearer_auth("nb-key").json(&json!({"part_ids": "p1"})).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 422);
    // What the server answers is the spec's own HTTPValidationError.
    let error: types::HttpValidationError = response.json().await.unwrap();
    let detail = &error.detail.unwrap()[0];
    let loc: Vec<String> = detail.loc.iter().map(|item| serde_json::to_value(item).unwrap().to_string()).collect();
    assert_eq!(loc, [r#""body""#, r#""part_ids""#]);
    assert_eq!(detail.type_, "value_error");

    let response = http.delete(format!("{base}/v1/datasets/uploads/up1/parts")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert!(service.calls.lock().unwrap().is_empty());
}

/// The issue's recursive column type, `{"item":{"item":{"name":"integer"}}}`
/// inside a column, took 16 lines of struct literals. Only responses carry it,
/// so it is the server that builds it (a client gets no constructors of
/// response-only types).
#[test]
fn the_recursive_nebius_column_is_one_expression() {
    let column = types::ColumnSchemaOutput::new(
        "scores",
        types::SchemaOptionOutput::new(types::SchemaOptionOutput::new(types::SchemaPrimitive::from("integer"))),
    );
    assert_eq!(
        serde_json::to_value(&column).unwrap(),
        json!({"name": "scores", "type": {"name": "option", "item": {"name": "option", "item": {"name": "integer"}}}})
    );
}
