//! The client generated from tests/fixtures/security.yaml against an
//! in-process server that answers with the credentials it received: each
//! kind of security scheme, alternatives, anonymous operations, token
//! providers, and secrets kept out of `Debug` output and errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{HeaderMap, Uri};
use axum::Router;
use golden::security::{Client, Error};

/// What the server saw: `auth=.. key=.. cookie=.. query=..`, `-` for nothing.
async fn seen(uri: Uri, headers: HeaderMap) -> String {
    let header = |name: &str| {
        headers.get(name).map(|v| v.to_str().unwrap_or("<not text>").to_string()).unwrap_or_else(|| "-".to_string())
    };
    format!(
        "auth={} key={} cookie={} query={}",
        header("authorization"),
        header("x-api-key"),
        header("cookie"),
        uri.query().unwrap_or("-")
    )
}

async fn start() -> Client {
    let app = Router::new().fallback(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Client::new(format!("http://{address}"))
}

const NOTHING: &str = "auth=- key=- cookie=- query=-";

#[tokio::test]
async fn api_keys_go_in_their_header_query_parameter_or_cookie() {
    let client = start().await.with_header_key("hk-1").with_query_key("q k&1").with_cookie_key("ck-1");
    assert_eq!(client.header_key().await.unwrap(), "auth=- key=hk-1 cookie=- query=-");
    assert_eq!(client.query_key().page(2).await.unwrap(), "auth=- key=- cookie=- query=page=2&api_key=q+k%261");
    assert_eq!(client.cookie_key().await.unwrap(), "auth=- key=- cookie=session=ck-1 query=-");
    // One `Cookie` header holds the cookie parameter and the key.
    assert_eq!(
        client.cookie_key().theme("dark").await.unwrap(),
        "auth=- key=- cookie=theme=dark; session=ck-1 query=-"
    );
}

#[tokio::test]
async fn basic_and_bearer() {
    let client = start().await.with_basic_auth("user", "pa:ss").with_bearer_auth("jwt-1");
    assert_eq!(client.basic().await.unwrap(), "auth=Basic dXNlcjpwYTpzcw== key=- cookie=- query=-");
    // The document's security applies to operations without their own.
    assert_eq!(client.bearer_default().await.unwrap(), "auth=Bearer jwt-1 key=- cookie=- query=-");
}

#[tokio::test]
async fn with_bearer_token_serves_every_bearer_scheme_without_its_own_credential() {
    let client = start().await.with_bearer_token("shared").with_oidc("oidc-own");
    assert_eq!(client.bearer_default().await.unwrap(), "auth=Bearer shared key=- cookie=- query=-");
    assert_eq!(client.oauth().await.unwrap(), "auth=Bearer shared key=- cookie=- query=-");
    assert_eq!(client.oidc().await.unwrap(), "auth=Bearer oidc-own key=- cookie=- query=-");
    // Not an API key: those schemes get nothing.
    assert_eq!(client.header_key().await.unwrap(), NOTHING);
}

#[tokio::test]
async fn a_provider_is_asked_before_every_request_with_the_operations_scopes() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = start().await.with_oauth_provider(move |scopes: &'static [&'static str]| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok::<_, std::io::Error>(format!("token-{n}-{}", scopes.join(","))) }
    });
    assert_eq!(client.oauth().await.unwrap(), "auth=Bearer token-1-things:read key=- cookie=- query=-");
    assert_eq!(client.oauth().await.unwrap(), "auth=Bearer token-2-things:read key=- cookie=- query=-");
    // Operations that do not accept the scheme do not ask for a token.
    assert_eq!(client.public().await.unwrap(), NOTHING);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failing_provider_fails_the_call_before_anything_is_sent() {
    let client = start()
        .await
        .with_token_provider(|_: &'static [&'static str]| async { Err::<String, _>("the identity server is down") });
    let error = client.oidc().await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("`oidc`") && message.contains("the identity server is down")),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_first_alternative_the_client_has_every_credential_for_is_sent() {
    let base = start().await;
    // Both keys are needed together: one alone satisfies nothing.
    assert_eq!(base.clone().with_header_key("hk").key_pair_or_basic().await.unwrap(), NOTHING);
    assert_eq!(
        base.clone().with_header_key("hk").with_query_key("qk").key_pair_or_basic().await.unwrap(),
        "auth=- key=hk cookie=- query=api_key=qk"
    );
    assert_eq!(
        base.clone().with_header_key("hk").with_basic_auth("u", "p").key_pair_or_basic().await.unwrap(),
        "auth=Basic dTpw key=- cookie=- query=-"
    );
    let all = base.with_header_key("hk").with_query_key("qk").with_basic_auth("u", "p");
    assert_eq!(all.key_pair_or_basic().await.unwrap(), "auth=- key=hk cookie=- query=api_key=qk");
}

#[tokio::test]
async fn anonymous_alternatives_and_operations_without_security() {
    let base = start().await;
    assert_eq!(base.optional_key().await.unwrap(), NOTHING);
    // The key is sent where it is optional.
    assert_eq!(base.clone().with_header_key("hk").optional_key().await.unwrap(), "auth=- key=hk cookie=- query=-");
    // No credential goes to an operation that does not ask for it.
    let all = base
        .with_header_key("hk")
        .with_query_key("qk")
        .with_cookie_key("ck")
        .with_basic_auth("u", "p")
        .with_bearer_token("t");
    assert_eq!(all.public().await.unwrap(), NOTHING);
    assert_eq!(all.header_key().await.unwrap(), "auth=- key=hk cookie=- query=-");
}

#[tokio::test]
async fn secrets_never_show_in_debug_output_or_errors() {
    let secrets = ["hk-secret", "qk-secret", "ck-secret", "pw-secret", "bearer-secret", "own-secret"];
    let client = start()
        .await
        .with_header_key(secrets[0])
        .with_query_key(secrets[1])
        .with_cookie_key(secrets[2])
        .with_basic_auth("user", secrets[3])
        .with_bearer_token(secrets[4])
        .with_oauth(secrets[5])
        .with_oidc_provider(|_: &'static [&'static str]| async { Ok::<_, std::io::Error>("provided".to_string()) });
    let debug = format!("{client:?}");
    for secret in secrets {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("user"), "the user name is no secret: {debug}");

    // A key that cannot be a header value is refused without being quoted.
    let error = client.clone().with_header_key("bad\nsecret").header_key().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(
        !format!("{error} {error:?}").contains("bad\nsecret") && format!("{error}").contains("headerKey"),
        "{error}"
    );

    // A transport error does not show a URL that holds a query key.
    let closed = Client::new("http://127.0.0.1:1").with_query_key(secrets[1]);
    let error = closed.query_key().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(secrets[1]), "{error:?}");
}
