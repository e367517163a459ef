//! The nebius and openai clients on one runtime: their errors are one type
//! (with a conversion from each operation's), and a generated client is built
//! from the environment.

use apigen_generated::{nebius, openai};
use axum::routing::{get, post};

/// Answers nebius's `list_upload_parts` with a FastAPI validation error and
/// openai's `cancel_upload` with an OpenAI error; `/auth` echoes the bearer token.
async fn server() -> String {
    let app = axum::Router::new()
        .route(
            "/v1/datasets/uploads/{id}/parts",
            get(|headers: axum::http::HeaderMap| async move {
                let token = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("none").to_string();
                let body = format!(r#"{{"detail":[{{"loc":["path","id"],"msg":"token was {token}","type":"x"}}]}}"#);
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, [("content-type", "application/json")], body)
            }),
        )
        .route(
            "/uploads/{id}/cancel",
            post(|| async {
                let body =
                    r#"{"error":{"message":"No such upload","type":"invalid_request_error","param":null,"code":null}}"#;
                (axum::http::StatusCode::NOT_FOUND, [("content-type", "application/json")], body)
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// One function for errors of either API.
fn summary(error: &apigen_runtime::Error) -> String {
    format!("{} {error}", error.status().map_or(0, |status| status.as_u16()))
}

#[tokio::test]
async fn errors_of_two_apis_are_one_type() {
    let url = server().await;
    let nebius = nebius::Client::new(&url).with_bearer_token("sk-n");
    let openai = openai::Client::new(&url);
    let nebius_error = nebius.list_upload_parts("u1").await.unwrap_err();
    let openai_error = openai.cancel_upload("u2").await.unwrap_err();
    // Each keeps its typed body...
    assert!(
        matches!(&nebius_error, nebius::Error::Api { body, .. } if body.detail.as_ref().is_some_and(|d| d.len() == 1))
    );
    assert!(matches!(&openai_error, openai::Error::Api { body, .. } if body.error.message == "No such upload"));
    // ...and both go to the same function.
    assert_eq!(summary(&nebius_error.into()), "422 the API answered 422 Unprocessable Entity: token was Bearer sk-n");
    assert_eq!(summary(&openai_error.into()), "404 the API answered 404 Not Found: No such upload");

    async fn both(nebius: &nebius::Client, openai: &openai::Client) -> Result<(), apigen_runtime::Error> {
        openai.cancel_upload("u2").await?;
        nebius.list_upload_parts("u1").await?;
        Ok(())
    }
    assert_eq!(both(&nebius, &openai).await.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    // A retry policy, a file, an error: the same types whichever module names them.
    let policy: openai::RetryPolicy = nebius::RetryPolicy::default();
    let _file: nebius::FilePart = openai::FilePart::bytes(&b"x"[..]);
    let _client: openai::Client = apigen_runtime::Client::from(nebius.with_retries(policy)).into();
}

#[tokio::test]
async fn a_generated_client_comes_from_the_environment() {
    let url = server().await;
    // The spec's title, `Nebius OpenAI-compatible inference API`, names the variables.
    std::env::set_var("NEBIUS_OPENAI_COMPATIBLE_INFERENCE_BASE_URL", &url);
    std::env::set_var("NEBIUS_OPENAI_COMPATIBLE_INFERENCE_API_KEY", "sk-env");
    let client = nebius::Client::from_env().unwrap();
    assert_eq!(client.base_url(), url);
    let error = client.list_upload_parts("u1").await.unwrap_err();
    assert!(error.to_string().ends_with("token was Bearer sk-env"), "{error}");
}
