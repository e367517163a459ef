//! The README's minimal Nebius server, compiled and served: the block between
//! the markers below is the README's, word for word (checked here).

use apigen_generated::nebius;

// README example start
use nebius::server::{self, requests, responses, Context};
use nebius::types;

/// The datasets service: here a fake that knows no upload.
struct Datasets;

impl server::Datasets for Datasets {
    async fn list_upload_parts(&self, _: Context, request: requests::ListUploadParts) -> responses::ListUploadParts {
        println!("parts of {} in {:?}", request.upload_id, request.ai_project_id);
        let parts =
            types::UploadPartsResponse { object: None, data: Vec::new(), additional_properties: Default::default() };
        responses::ListUploadParts::Ok(parts)
    }

    async fn complete_upload(&self, context: Context, request: requests::CompleteUpload) -> responses::CompleteUpload {
        // Credentials are the implementation's to check; the context has every header.
        let who = context.bearer_token().unwrap_or("nobody");
        let detail = serde_json::json!({"detail": [{
            "loc": ["path", "upload_id"],
            "msg": format!("{who} has no upload {}", request.upload_id),
            "type": "value_error",
        }]});
        // Errors the spec documents are variants too (here its 422, `HTTPValidationError`).
        responses::CompleteUpload::UnprocessableEntity(serde_json::from_value(detail).expect("a valid error"))
    }
}

async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, server::router(Datasets)).await
}
// README example end

#[tokio::test]
async fn the_readme_server_serves_the_client() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener));
    let client = nebius::Client::new(base).with_bearer_token("key");
    let parts = client.list_upload_parts("up_1").await.unwrap();
    assert!(parts.data.is_empty());
    let request = types::CompleteUploadRequest { part_ids: vec!["p1".into()] };
    match client.complete_upload("up_1", &request).await {
        Err(nebius::Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(body.detail.unwrap()[0].msg, "key has no upload up_1");
        }
        other => panic!("expected the documented 422, got {other:?}"),
    }
}

#[test]
fn the_readme_shows_this_example() {
    let source = include_str!("readme_server.rs");
    let start = source.find("// README example start\n").unwrap() + "// README example start\n".len();
    let end = source.find("// README example end").unwrap();
    let readme = include_str!("../../../README.md");
    let block = format!("```rust,ignore\n{}```", &source[start..end]);
    assert!(readme.contains(&block), "README.md must show this block:\n{block}");
}
