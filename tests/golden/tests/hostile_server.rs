//! The client generated from tests/fixtures/operations.yaml against servers
//! that try to hurt it: bodies and events too large to hold, huge messages,
//! values that would inject headers or cookies, redirects to other hosts,
//! cursors that loop, and paths that try to leave the base URL.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::{decode_json, EventParser, Request, ServerEvent};
use axum::body::Body;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Redirect;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use bytes::Bytes;
use futures_util::StreamExt;
use golden::operations::{forms, types, Client, Error, FilePart};
use serde_json::json;

/// What a server saw, one entry a request.
type Seen = Arc<Mutex<Vec<String>>>;

/// Serves `app` on a fresh loopback port; returns its address.
async fn serve(app: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// Fails the test instead of hanging when the client keeps reading.
async fn soon<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), future).await.expect("the client kept reading past its limit")
}

/// A body that sends `chunk` forever, without a length.
fn endless(chunk: &'static [u8]) -> Body {
    Body::from_stream(futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(Bytes::from_static(chunk))))
}

fn thing(id: &str) -> serde_json::Value {
    json!({"id": id, "name": "Widget", "tags": [], "created_at": "2024-01-02T03:04:05Z"})
}

fn assert_too_large<T: std::fmt::Debug, E: std::fmt::Debug>(
    outcome: Result<T, Error<E>>,
    status: u16,
    setting: &str,
    limit: usize,
) {
    let error = outcome.expect_err("the client read past its limit");
    let found = match &error {
        Error::TooLarge { status, setting, limit, .. } => (status.as_u16(), *setting, *limit),
        other => panic!("expected TooLarge, got {other:?}"),
    };
    assert_eq!(found, (status, setting, limit));
    assert!(error.to_string().contains(&format!("{setting} of {limit} bytes")), "{error}");
}

#[tokio::test]
async fn a_body_declared_larger_than_the_limit_is_not_read() {
    // Declares 1 GiB, sends a few bytes and then nothing: reading it would hang.
    let app = Router::new().route(
        "/things/{id}",
        get(|| async {
            let body = Body::from_stream(
                futures_util::stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"{\"id\":")) })
                    .chain(futures_util::stream::pending()),
            );
            ([("content-type", "application/json"), ("content-length", "1073741824")], body)
        }),
    );
    let client = Client::new(format!("http://{}", serve(app).await));
    assert_too_large(soon(client.get_thing("a").send()).await, 200, "max_body_size", 256 << 20);
}

#[tokio::test]
async fn a_streamed_body_stops_at_the_limit() {
    let app = Router::new()
        .route("/things/{id}", get(|| async { ([("content-type", "application/json")], endless(&[b' '; 8192])) }))
        .route("/things", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, endless(b"{\"detail\": [")) }));
    let client = Client::new(format!("http://{}", serve(app).await)).with_max_body_size(1 << 20);
    assert_too_large(soon(client.get_thing("a").send()).await, 200, "max_body_size", 1 << 20);
    // Error bodies are held to the same limit.
    assert_too_large(soon(client.list_things_v1().send()).await, 500, "max_body_size", 1 << 20);
    // A body of exactly the limit is read.
    let mut body = thing("a").to_string();
    body.push_str(&" ".repeat((1 << 20) - body.len()));
    let app =
        Router::new().route("/things/{id}", get(move || async move { ([("content-type", "application/json")], body) }));
    let client = Client::new(format!("http://{}", serve(app).await)).with_max_body_size(1 << 20);
    assert_eq!(client.get_thing("a").await.unwrap().id, "a");
}

#[tokio::test]
async fn an_endless_event_line_is_refused_at_the_event_limit() {
    let app = Router::new().route(
        "/things/{id}/events",
        get(|| async {
            let start = futures_util::stream::once(async {
                Ok::<_, std::io::Error>(Bytes::from_static(b"data: one\n\ndata: "))
            });
            let line = futures_util::stream::repeat_with(|| Ok(Bytes::from_static(&[b'a'; 65536])));
            ([("content-type", "text/event-stream")], Body::from_stream(start.chain(line)))
        }),
    );
    let client = Client::new(format!("http://{}", serve(app).await));
    let events: Vec<_> = soon(client.stream_thing_events("a").await.unwrap().collect()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap(), "one");
    assert_too_large(events.into_iter().nth(1).unwrap(), 200, "max_event_size", 16 << 20);
}

#[tokio::test]
async fn long_events_under_the_limit_arrive_whole() {
    let long = "x".repeat(4 << 20);
    let mut body = String::new();
    for index in 0..1000 {
        body.push_str(&format!("id: {index}\r\ndata: event {index}\r\n\r\n"));
    }
    body.push_str(&format!(": a comment\ndata: {long}\ndata: {long}\n\n"));
    // Small chunks, so that lines and line ends are cut everywhere.
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        body.into_bytes().chunks(1000).map(|chunk| Ok(Bytes::copy_from_slice(chunk))).collect();
    let chunks = Arc::new(Mutex::new(Some(chunks)));
    let app = Router::new().route(
        "/things/{id}/events",
        get(move || async move {
            let chunks = chunks.lock().unwrap().take().unwrap();
            ([("content-type", "text/event-stream")], Body::from_stream(futures_util::stream::iter(chunks)))
        }),
    );
    let client = Client::new(format!("http://{}", serve(app).await));
    let events: Vec<String> =
        client.stream_thing_events("a").await.unwrap().map(|event| event.unwrap()).collect().await;
    assert_eq!(events.len(), 1001);
    assert_eq!(events[999], "event 999");
    assert_eq!(events[1000], format!("{long}\n{long}"));
}

#[tokio::test]
async fn error_messages_and_debug_output_show_only_the_start_of_a_huge_body() {
    let huge = "z".repeat(10 << 20);
    let app = Router::new()
        .route(
            "/things/{id}",
            get(move || async move { Json(json!({"id": "a", "name": "n", "created_at": "x", "tags": huge})) }),
        )
        .route("/things", get(|| async { (StatusCode::IM_A_TEAPOT, "é".repeat(5 << 20)) }));
    let client = Client::new(format!("http://{}", serve(app).await));
    let error = client.get_thing("a").await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error}");
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(
        display.len() < 1200 && display.ends_with(&format!("… ({} bytes more)", display_left_out(&display))),
        "{}",
        &display[..200]
    );
    assert!(display.contains("zzzz"), "{display}");
    assert!(debug.len() < 4096, "{} bytes of Debug output", debug.len());
    let pretty = format!("{error:#?}");
    assert!(pretty.len() < 4096 && pretty.contains("\n    status: 200,\n"), "{pretty}");

    let error = client.list_things_v1().await.unwrap_err();
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(display.len() < 1200 && display.contains("éé"), "{display}");
    assert!(debug.len() < 4096, "{} bytes of Debug output", debug.len());
}

/// The count of a message's "… (N bytes more)" suffix, checked to be a number.
fn display_left_out(display: &str) -> usize {
    let count = display.rsplit_once("… (").unwrap().1.trim_end_matches(" bytes more)");
    count.parse().unwrap()
}

#[tokio::test]
async fn a_cookie_value_stays_one_cookie() {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/cookies",
            get(|State(seen): State<Seen>, headers: HeaderMap| async move {
                let cookie = headers.get("cookie").map(|value| value.to_str().unwrap().to_string()).unwrap_or_default();
                seen.lock().unwrap().push(cookie);
                Json(json!({}))
            }),
        )
        .with_state(seen.clone());
    let client = Client::new(format!("http://{}", serve(app).await));
    let request =
        Request::new(reqwest::Method::GET, "/cookies").cookie("session", &"abc; admin=1").cookie("theme", &"dark");
    client.call::<serde_json::Value, serde_json::Value>(request, decode_json).await.unwrap();
    let cookie = seen.lock().unwrap()[0].clone();
    let cookies: Vec<(&str, String)> = cookie
        .split("; ")
        .map(|pair| pair.split_once('=').unwrap())
        .map(|(name, value)| (name, percent_encoding::percent_decode_str(value).decode_utf8().unwrap().into_owned()))
        .collect();
    assert_eq!(cookies, [("session", "abc; admin=1".to_string()), ("theme", "dark".to_string())], "{cookie}");

    // A name that is not a token is refused before anything is sent.
    let request = Request::new(reqwest::Method::GET, "/cookies").cookie("a=b; admin", &"1");
    let error = client.call::<serde_json::Value, serde_json::Value>(request, decode_json).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn header_values_and_file_names_cannot_inject() {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/orgs/{org}/things/{id}/files",
            post(|State(seen): State<Seen>, mut form: Multipart| async move {
                while let Some(field) = form.next_field().await.unwrap() {
                    let line = format!("{:?} {:?} {:?}", field.name(), field.file_name(), field.content_type());
                    seen.lock().unwrap().push(line);
                }
                Json(json!({"id": "file_1", "bytes": 5, "filename": "a.txt", "purpose": "batch"}))
            }),
        )
        .route(
            "/{*rest}",
            any(|State(seen): State<Seen>| async move { seen.lock().unwrap().push("other request".into()) }),
        )
        .with_state(seen.clone());
    let client = Client::new(format!("http://{}", serve(app).await));
    let create = types::ThingCreate { name: "W".into(), tags: None, description: None };
    let error = client.upsert_thing("a", "v1\r\nX-Injected: 1", &create).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let error = client.get_thing("a").header("x-trace", "a\nb").await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let error = client.get_thing("a").header("x-trace", "a\u{7f}").await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(seen.lock().unwrap().is_empty(), "{:?}", seen.lock().unwrap());

    let name = "a.txt\"\r\nContent-Type: text/evil\r\n\r\n";
    let form = forms::FileUpload {
        file: FilePart::bytes(&b"hello"[..]).file_name(name),
        purpose: types::FileUploadPurpose::Batch,
        description: None,
        priority: None,
    };
    client.upload_file_v1(1, "a", form).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        *seen,
        [
            "Some(\"file\") Some(\"a.txt%22%0D%0AContent-Type: text/evil%0D%0A%0D%0A\") Some(\"application/octet-stream\")",
            "Some(\"purpose\") None None"
        ]
    );
}

#[tokio::test]
async fn a_redirect_to_another_host_carries_no_referer_cookie_or_credentials() {
    let seen = Seen::default();
    let other = Router::new()
        .route(
            "/things/{id}",
            get(|State(seen): State<Seen>, headers: HeaderMap| async move {
                let mut names: Vec<&str> = headers.keys().map(|name| name.as_str()).collect();
                names.sort_unstable();
                seen.lock().unwrap().push(names.join(" "));
                Json(thing("a"))
            }),
        )
        .with_state(seen.clone());
    // Another host: `localhost` rather than `127.0.0.1`, and another port.
    let target = format!("http://localhost:{}/things/a", serve(other).await.port());
    let first = Router::new().route("/things/{id}", get(move || async move { Redirect::temporary(&target) }));
    let client = Client::new(format!("http://{}", serve(first).await)).with_bearer_token("secret-token");
    let thing = client.get_thing("a").include_deleted(true).header("cookie", "session=1").await.unwrap();
    assert_eq!(thing.id, "a");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    for header in ["authorization", "cookie", "referer"] {
        assert!(!seen[0].split(' ').any(|name| name == header), "the other host got {header}: {}", seen[0]);
    }
}

#[tokio::test]
async fn paging_stops_at_a_cursor_seen_before_and_at_max_pages() {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/things",
            get(|State(seen): State<Seen>, RawQuery(query): RawQuery| async move {
                let query = query.unwrap_or_default();
                seen.lock().unwrap().push(query.clone());
                let cursor = query.split('&').find_map(|pair| pair.strip_prefix("cursor=")).unwrap_or("");
                let next = match cursor {
                    "" => "A".to_string(),
                    "A" => "B".to_string(),
                    "B" => "A".to_string(),
                    // Endless: every page names a new one.
                    number => (number.parse::<u64>().unwrap() + 1).to_string(),
                };
                Json(json!({"items": [thing(&next)], "has_more": true, "next_cursor": next}))
            }),
        )
        .with_state(seen.clone());
    let client = Client::new(format!("http://{}", serve(app).await));
    assert_eq!(soon(client.list_things_v1().pages().count()).await, 3);
    assert_eq!(*seen.lock().unwrap(), ["", "cursor=A", "cursor=B"]);

    seen.lock().unwrap().clear();
    let ids: Vec<String> =
        soon(client.list_things_v1().cursor("1").max_pages(4).items().map(|thing| thing.unwrap().id).collect()).await;
    assert_eq!(ids, ["2", "3", "4", "5"]);
    assert_eq!(seen.lock().unwrap().len(), 4);
    assert_eq!(client.list_things_v1().max_pages(0).pages().count().await, 0);
    assert_eq!(seen.lock().unwrap().len(), 4, "max_pages(0) sends nothing");
}

#[tokio::test]
async fn a_path_cannot_leave_the_base_url() {
    let stolen = Seen::default();
    let other = Router::new()
        .fallback(|State(stolen): State<Seen>| async move { stolen.lock().unwrap().push("request".into()) })
        .with_state(stolen.clone());
    let other = serve(other).await;
    let base = Router::new().fallback(|| async { Json(json!({})) });
    let client = Client::new(format!("http://{}/v1", serve(base).await));
    for template in [
        format!("@{other}/steal"),
        format!(":{}@{other}/steal", other.port()),
        "/../steal".to_string(),
        "/a/../../steal".to_string(),
    ] {
        let request = Request::new(reqwest::Method::GET, &template);
        match client.call::<serde_json::Value, serde_json::Value>(request, decode_json).await {
            Err(Error::InvalidRequest(message)) => assert!(message.contains("would leave the base URL"), "{message}"),
            other => panic!("{template}: {other:?}"),
        }
    }
    // This one stays on the base URL's host: a path that starts with `//`.
    let request = Request::new(reqwest::Method::GET, &format!("//{other}/steal"));
    client.call::<serde_json::Value, serde_json::Value>(request, decode_json).await.unwrap();
    assert!(stolen.lock().unwrap().is_empty());
}

/// Feeds `stream` to a parser in chunks of `size` bytes.
fn parse_in_chunks(stream: &[u8], size: usize) -> Vec<ServerEvent> {
    let mut parser = EventParser::new(1 << 20);
    let mut events = Vec::new();
    for chunk in stream.chunks(size) {
        parser.push(chunk, &mut events).unwrap();
    }
    events
}

/// Parses `stream` whole and cut every way, checking that each gives the same events.
fn parse(stream: &str) -> Vec<(String, String, String)> {
    let whole = parse_in_chunks(stream.as_bytes(), stream.len().max(1));
    for size in 1..stream.len().min(8) {
        assert_eq!(parse_in_chunks(stream.as_bytes(), size), whole, "in chunks of {size}");
    }
    whole.into_iter().map(|event| (event.event, event.data, event.id)).collect()
}

fn event(event: &str, data: &str, id: &str) -> (String, String, String) {
    (event.to_string(), data.to_string(), id.to_string())
}

#[test]
fn the_event_parser_follows_the_whatwg_examples() {
    // The examples of WHATWG HTML §9.2.6, "Parsing an event stream".
    assert_eq!(parse("data: YHOO\ndata: +2\ndata: 10\n\n"), [event("message", "YHOO\n+2\n10", "")]);
    assert_eq!(
        parse(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n"),
        [event("message", "first event", "1"), event("message", "second event", "")],
        "an event not ended by a blank line is dropped"
    );
    assert_eq!(parse("data\n\ndata\ndata\n\ndata:"), [event("message", "", ""), event("message", "\n", "")]);
    assert_eq!(parse("data:test\n\ndata: test\n\n"), [event("message", "test", ""), event("message", "test", "")]);
    assert_eq!(
        parse("event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\ndata: 113411\n\n")
            .iter()
            .map(|e| e.0.as_str())
            .collect::<Vec<_>>(),
        ["add", "remove", "message"]
    );
}

#[test]
fn the_event_parser_takes_every_line_end_a_bom_ids_and_retry() {
    let expected = [event("message", "a\nb", "7"), event("message", "c", "7")];
    for end in ["\n", "\r", "\r\n"] {
        let stream = ["id: 7", "data: a", "data: b", "", "retry: 1000", ": comment", "data: c", "", ""].join(end);
        assert_eq!(parse(&stream), expected, "lines ended by {end:?}");
    }
    assert_eq!(
        parse("data: a\r\n\rdata: b\n\r\n"),
        [event("message", "a", ""), event("message", "b", "")],
        "mixed line ends"
    );
    assert_eq!(parse("\u{feff}data: a\n\n"), [event("message", "a", "")], "the BOM is skipped");
    assert!(parse("\u{feff}\u{feff}data: a\n\n").is_empty(), "only the first BOM: the second starts an unknown field");
    assert_eq!(parse("id: a\u{0}b\ndata: x\n\n"), [event("message", "x", "")], "an id with NUL is ignored");
    assert_eq!(
        parse("data: x\nevent: e\n\ndata: y\n\n"),
        [event("e", "x", ""), event("message", "y", "")],
        "the type is reset after each event"
    );
    assert_eq!(parse("event: e\n\ndata: y\n\n"), [event("message", "y", "")], "an event without data resets the type");
}

#[test]
fn the_event_parser_refuses_lines_and_events_over_its_limit() {
    let mut parser = EventParser::new(16);
    let mut events = Vec::new();
    parser.push(b"data: 0123456789\n\n", &mut events).unwrap();
    assert_eq!(events[0].data, "0123456789");
    assert!(parser.push(b"data: 0123456789ab", &mut events).is_err(), "a line longer than the limit");
    let mut parser = EventParser::new(16);
    assert!(
        parser.push(b"data: 01234567\ndata: 01234567\n", &mut events).is_err(),
        "data lines adding up to more than the limit"
    );
    let mut parser = EventParser::new(16);
    parser.push(b"data: 0123456789", &mut events).unwrap();
    assert!(parser.push(b"abcdefghij", &mut events).is_err(), "a line cut into chunks");
}
