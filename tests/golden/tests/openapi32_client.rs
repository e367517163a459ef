//! The client generated from tests/fixtures/openapi32.yaml against an
//! in-process server: the QUERY method and a custom one go over the wire as
//! named, a `querystring` parameter is the whole query, and JSON Lines and
//! server-sent events stream items of the `itemSchema` type.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::Router;
use futures_util::StreamExt;
use golden::openapi32::{types, Client, Error, RetryPolicy};

/// Whether the first search for `flaky` has failed yet.
static FAILED_ONCE: AtomicBool = AtomicBool::new(false);

type Answer = (StatusCode, [(&'static str, &'static str); 1], String);

/// Answers by method and path; anything else echoes what arrived.
async fn answer(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Answer {
    let ok = |content_type: &'static str, text: String| (StatusCode::OK, [("content-type", content_type)], text);
    match (method.as_str(), uri.path()) {
        ("GET", "/things") if sorted_query(&uri) == ["limit=2", "name=widget"] => {
            ok("application/jsonl", "{\"id\":\"th_1\",\"name\":\"widget\"}\n\n{\"id\":\"th_2\",\"name\":\"widget\"}\n{\"id\":\"th_3\"}\n".to_string())
        }
        // The first search for `flaky` fails, as servers under load do.
        ("QUERY", "/things") if body.as_ref() == br#"{"text":"flaky"}"# && !FAILED_ONCE.swap(true, Ordering::SeqCst) => {
            (StatusCode::SERVICE_UNAVAILABLE, [("content-type", "text/plain")], "busy".to_string())
        }
        // The body that arrived, as the found thing's name.
        ("QUERY", "/things") => ok("application/json", serde_json::json!([{"id": "th_1", "name": String::from_utf8_lossy(&body)}]).to_string()),
        ("GET", "/things/th_1/changes") => ok("text/event-stream", "event: change\ndata: {\"id\":\"th_1\",\"name\":\"a\"}\n\nevent: change\ndata: {\"id\":\"th_1\",\"name\":\"b\"}\n\n".to_string()),
        (method, path) => {
            let destination = headers.get("destination").and_then(|v| v.to_str().ok()).unwrap_or("-");
            ok("text/plain", format!("{method} {path}?{} destination={destination}", uri.query().unwrap_or("")))
        }
    }
}

/// The query's pairs in sorted order: the order of an object's pairs is
/// serde_json's map order, which its `preserve_order` feature changes, and
/// means nothing to a server.
fn sorted_query(uri: &Uri) -> Vec<&str> {
    let mut pairs: Vec<&str> = uri.query().unwrap_or_default().split('&').collect();
    pairs.sort_unstable();
    pairs
}

async fn start() -> Client {
    let app = Router::new().fallback(answer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Client::new(format!("http://{address}"))
}

#[tokio::test]
async fn a_querystring_parameter_is_the_query_and_json_lines_stream_typed_items() {
    let client = start().await;
    let filter = types::ThingFilter { name: Some("widget".into()), limit: Some(2) };
    let items: Vec<_> = client.list_things().filter(&filter).await.unwrap().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(
        items[0].as_ref().unwrap(),
        &types::Thing { id: "th_1".into(), name: "widget".into(), additional_properties: Default::default() }
    );
    assert_eq!(items[1].as_ref().unwrap().id, "th_2");
    // An item that does not match its schema is an error of its own, naming what is missing.
    assert!(matches!(&items[2], Err(Error::Decode { message, .. }) if message.contains("name")), "{:?}", items[2]);
}

#[tokio::test]
async fn query_and_custom_methods_are_sent_as_named() {
    let client = start().await;
    let found = client.search_things(&types::SearchThingsRequest { text: "lamp".into() }).await.unwrap();
    assert_eq!(found[0].name, r#"{"text":"lamp"}"#);
    // QUERY is idempotent, so it is retried like GET.
    let retrying = client
        .clone()
        .with_retries(RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() });
    let found = retrying.search_things(&types::SearchThingsRequest { text: "flaky".into() }).await.unwrap();
    assert_eq!(found[0].name, r#"{"text":"flaky"}"#);
    assert!(FAILED_ONCE.load(Ordering::SeqCst), "the first attempt failed");
    // COPY answers 204 in the spec; the server's text shows what it received.
    let copied = client.copy_thing("th_1", "/things/th_2").send_with_response().await.unwrap();
    assert_eq!(copied.raw.as_deref(), Some(&b"COPY /things/th_1? destination=/things/th_2"[..]));
}

#[tokio::test]
async fn server_sent_events_are_typed_by_the_item_schemas_data() {
    let client = start().await;
    let events: Vec<types::Thing> = client.watch_thing("th_1").await.unwrap().map(Result::unwrap).collect().await;
    assert_eq!(events.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
}
