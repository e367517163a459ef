//! The datasets upload flow through the client generated from the FastAPI
//! app's own /openapi.json (tests/fastapi/app.py), against that app.
//!
//! Copied as `tests/flow.rs` into the crate that
//! generator/tests/fastapi_server.rs generates; it reads the server's URL
//! from `FASTAPI_BASE_URL` and the parts to send from `FASTAPI_PARTS`, a
//! JSON list of `{path, sha256}` whose hashes the harness computed.

use datasets::types::{self, AddUploadPartBodyLabel as Label, UploadStatus};
use datasets::{forms, Client, Error, FilePart};

struct Part {
    path: String,
    sha256: String,
}

fn parts() -> Vec<Part> {
    let list: serde_json::Value = serde_json::from_str(&std::env::var("FASTAPI_PARTS").expect("FASTAPI_PARTS is set")).expect("FASTAPI_PARTS is JSON");
    let field = |part: &serde_json::Value, name: &str| part[name].as_str().expect("a string field").to_string();
    list.as_array().expect("a list of parts").iter().map(|part| Part { path: field(part, "path"), sha256: field(part, "sha256") }).collect()
}

fn client() -> Client {
    Client::new(std::env::var("FASTAPI_BASE_URL").expect("FASTAPI_BASE_URL is set"))
}

/// `text: string`, `scores: option<option<integer>>`: the recursive schema, two levels deep.
fn columns() -> Vec<types::ColumnSchemaInput> {
    let primitive = |name| types::SchemaPrimitive { name, additional_properties: Default::default() };
    let option = |item| types::SchemaOptionInput { name: Default::default(), item: Box::new(item), additional_properties: Default::default() };
    vec![
        types::ColumnSchemaInput { name: "text".into(), type_: types::ColumnSchemaInputType::SchemaPrimitive(primitive(types::SchemaPrimitiveType::String)), additional_properties: Default::default() },
        types::ColumnSchemaInput {
            name: "scores".into(),
            type_: types::ColumnSchemaInputType::SchemaOptionOutput(option(types::SchemaOptionInputItem::SchemaOptionOutput(option(
                types::SchemaOptionInputItem::Primitive(primitive(types::SchemaPrimitiveType::Integer)),
            )))),
            additional_properties: Default::default(),
        },
    ]
}

fn create_request(name: &str) -> types::CreateUploadRequest {
    types::CreateUploadRequest { name: name.into(), schema: columns(), folder: "/datasets/test".into(), compression: None }
}

/// The `loc` of each validation error, as `body.label`.
fn error_locations(error: &Error<types::HttpValidationError>) -> Vec<String> {
    let Error::Api { status, body, .. } = error else { panic!("expected a typed 422, got {error:?}") };
    assert_eq!(status.as_u16(), 422);
    let details = body.detail.as_deref().unwrap_or_default();
    details.iter().map(|detail| detail.loc.iter().map(|segment| serde_json::to_value(segment).unwrap().to_string().trim_matches('"').to_string()).collect::<Vec<_>>().join(".")).collect()
}

#[tokio::test]
async fn upload_flow() {
    let client = client();
    let parts = parts();
    let upload = client.create_upload(&create_request("flow")).ai_project_id("project-1").await.unwrap();
    let info = &upload.upload_info;
    assert_eq!(info.status, UploadStatus::Pending);
    assert_eq!(info.ai_project_id.as_deref(), Some("project-1"));
    // The server answers `compression: null` (required, nullable, an enum listing null).
    assert_eq!(info.compression, None);
    // The recursive schema went in as the -Input types and comes back as the -Output ones, unchanged.
    assert_eq!(serde_json::to_value(&info.dataset.schema).unwrap(), serde_json::to_value(columns()).unwrap());

    let mut sent = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        // The first part from memory with a name and a label, the others streamed from disk.
        let (file, label) = if index == 0 {
            (FilePart::bytes(std::fs::read(&part.path).unwrap()).file_name("first.bin"), Some(Label::Train))
        } else {
            (FilePart::path(&part.path), None)
        };
        let body = forms::AddUploadPartBody { data: file, label: label.clone() };
        let info = client.add_upload_part(&upload.id, body).await.unwrap();
        assert_eq!(info.sha256, part.sha256, "part {index} arrived changed");
        assert_eq!(info.size as u64, std::fs::metadata(&part.path).unwrap().len());
        assert_eq!(info.content_type.as_deref(), Some("application/octet-stream"));
        // The same enum, named once for the form and once for the answer.
        assert_eq!(info.label.as_ref().map(|l| l.as_str()), label.as_ref().map(|l| l.as_str()));
        sent.push(info);
    }
    assert_eq!(sent[0].file_name.as_deref(), Some("first.bin"));

    let listed = client.list_upload_parts(&upload.id).await.unwrap();
    assert_eq!(listed.data, sent);

    let done = client
        .complete_upload(&upload.id, &types::CompleteUploadRequest { part_ids: sent.iter().map(|p| p.id.clone()).collect() })
        .await
        .unwrap();
    assert_eq!(done.upload_info.status, UploadStatus::Completed);
    assert!(done.upload_info.completed_at.is_some());
    let dataset_id = done.upload_info.dataset.id.clone().expect("a completed upload names its dataset");

    let content = client.get_dataset_content(&dataset_id).await.unwrap().collect().await.unwrap();
    let expected: Vec<u8> = parts.iter().flat_map(|part| std::fs::read(&part.path).unwrap()).collect();
    assert!(content == expected, "the dataset has {} bytes, not the {} sent", content.len(), expected.len());
    let head = client.get_dataset_content(&dataset_id).limit(3).await.unwrap().collect().await.unwrap();
    assert_eq!(head.as_ref(), &expected[..3]);

    let deleted = client.delete_dataset(&dataset_id).await.unwrap();
    assert!(deleted.deleted);
    // 404 is not documented: the raw body is kept.
    match client.delete_dataset(&dataset_id).await {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status.as_u16(), 404);
            assert!(String::from_utf8_lossy(&body).contains("not found"));
        }
        other => panic!("expected a 404, got {other:?}"),
    }
}

#[tokio::test]
async fn cancel_stops_the_upload() {
    let client = client();
    let upload = client.create_upload(&create_request("cancelled")).await.unwrap();
    assert_eq!(upload.upload_info.ai_project_id, None);
    let cancelled = client.cancel_upload(&upload.id).await.unwrap();
    assert_eq!(cancelled.upload_info.status, UploadStatus::Cancelled);
    let body = forms::AddUploadPartBody { data: FilePart::bytes(&b"late"[..]), label: None };
    let error = client.add_upload_part(&upload.id, body).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409), "{error:?}");
}

#[tokio::test]
async fn validation_errors_are_typed() {
    let client = client();
    // `name` has `minLength: 1`, which the client does not check: the server answers 422.
    let error = client.create_upload(&create_request("")).await.unwrap_err();
    assert_eq!(error_locations(&error), ["body.name"]);

    let upload = client.create_upload(&create_request("labels")).await.unwrap();
    // An open enum sends a value the spec does not list; FastAPI rejects it.
    let body = forms::AddUploadPartBody { data: FilePart::bytes(&b"x"[..]), label: Some(Label::Other("validation".into())) };
    let error = client.add_upload_part(&upload.id, body).await.unwrap_err();
    assert_eq!(error_locations(&error), ["body.label"]);

    let error = client.get_dataset_content("anything").limit(0).await.unwrap_err();
    assert_eq!(error_locations(&error), ["query.limit"]);
}
