//! The runtime against an in-process axum server: error bodies as they come
//! off the wire, and a client configured by the environment.

use apigen_runtime::reqwest::Method;
use apigen_runtime::{decode_json, Client, Error, Request, Requirement, SchemeKind, SecurityScheme, StatusSet};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Serialize, Deserialize)]
struct OpenAiStyle {
    error: Inner,
}

#[derive(Debug, Serialize, Deserialize)]
struct Inner {
    message: String,
}

/// Answers `/documented` with an error the operation documents, `/undocumented`
/// with a FastAPI validation error it does not, and `/headers` with the
/// credentials it was sent.
async fn serve() -> String {
    let app = Router::new()
        .route(
            "/documented",
            get(|| async { (StatusCode::BAD_REQUEST, Json(json!({"error": {"message": "model not found"}}))) }),
        )
        .route(
            "/undocumented",
            get(|| async {
                let body = json!({"detail": [{"loc": ["query", "n"], "msg": "Input should be a valid integer"}]});
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body))
            }),
        )
        .route(
            "/headers",
            get(|headers: HeaderMap| async move {
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
                Json(json!({"authorization": header("authorization"), "x-api-key": header("x-api-key")}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

async fn documented(client: &Client) -> Result<Value, Error<OpenAiStyle>> {
    let request = Request::new(Method::GET, "/documented").errors(&[StatusSet::Code(400)]);
    client.call(request, decode_json::<Value, OpenAiStyle>).await
}

async fn undocumented(client: &Client) -> Result<Value, Error> {
    let request = Request::new(Method::GET, "/undocumented").errors(&[StatusSet::Code(400)]);
    client.call(request, decode_json::<Value, _>).await
}

#[tokio::test]
async fn error_bodies_are_decoded_shown_and_combined() {
    let client = Client::new(serve().await);
    let error = documented(&client).await.unwrap_err();
    assert_eq!(error.to_string(), "the API answered 400 Bad Request: model not found");
    assert!(matches!(&error, Error::Api { body, .. } if body.error.message == "model not found"));

    let error = undocumented(&client).await.unwrap_err();
    assert_eq!(error.to_string(), "unexpected status 422 Unprocessable Entity: Input should be a valid integer");
    match &error {
        Error::UnexpectedStatus { json: Some(json), body, .. } => {
            assert_eq!(json["detail"][0]["loc"][1], "n");
            assert_eq!(serde_json::from_slice::<Value>(body).unwrap(), *json);
        }
        other => panic!("{other:?}"),
    }

    // One function, two operations with different error types, one `?` each.
    async fn both(client: &Client) -> Result<(), Error> {
        undocumented(client).await?;
        documented(client).await?;
        Ok(())
    }
    let error = both(&client).await.unwrap_err();
    assert_eq!(error.status(), Some(apigen_runtime::StatusCode::UNPROCESSABLE_ENTITY));
}

static BEARER: SecurityScheme = SecurityScheme { name: "bearer", kind: SchemeKind::Bearer };
static KEY: SecurityScheme = SecurityScheme { name: "key", kind: SchemeKind::Header("x-api-key") };
static BEARER_SECURITY: &[&[Requirement]] = &[&[(&BEARER, &[])]];
static KEY_SECURITY: &[&[Requirement]] = &[&[(&KEY, &[])]];

async fn sent_credentials(client: &Client, security: &'static [&'static [Requirement]]) -> Value {
    let request = Request::new(Method::GET, "/headers").security(security);
    client.call(request, decode_json::<Value, Value>).await.unwrap()
}

/// Each test's variables have a prefix of their own: tests run in parallel in one process.
#[tokio::test]
async fn a_client_from_the_environment_reads_its_url_and_key() {
    let base_url = serve().await;
    std::env::set_var("ENV_TEST_BASE_URL", &base_url);
    std::env::set_var("ENV_TEST_API_KEY", "sk-env");
    let client = Client::from_env("ENV_TEST", Some("http://fallback.invalid")).unwrap();
    assert_eq!(client.base_url(), base_url);
    // The key goes to bearer and API key schemes alike.
    assert_eq!(sent_credentials(&client, BEARER_SECURITY).await["authorization"], "Bearer sk-env");
    assert_eq!(sent_credentials(&client, KEY_SECURITY).await["x-api-key"], "sk-env");
    // A credential given for the scheme wins over the environment's key.
    let client = client.with_credential("key", apigen_runtime::Credential::token("sk-own"));
    assert_eq!(sent_credentials(&client, KEY_SECURITY).await["x-api-key"], "sk-own");
    assert!(!format!("{client:?}").contains("sk-"), "{client:?}");
}

#[test]
fn a_client_from_the_environment_falls_back_to_the_default_url_and_names_what_is_missing() {
    std::env::set_var("ENV_FALLBACK_API_KEY", "sk-1");
    let client = Client::from_env("ENV_FALLBACK", Some("https://api.example.com/v1/")).unwrap();
    assert_eq!(client.base_url(), "https://api.example.com/v1");
    let missing = Client::from_env("ENV_MISSING", Some("https://api.example.com")).unwrap_err();
    assert_eq!(missing.to_string(), "the environment variable `ENV_MISSING_API_KEY` is not set or is empty");
    std::env::set_var("ENV_NO_URL_API_KEY", "sk-2");
    let missing = Client::from_env("ENV_NO_URL", None).unwrap_err();
    assert_eq!(missing.0, "ENV_NO_URL_BASE_URL");
}
