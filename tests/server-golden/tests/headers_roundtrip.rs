//! The server of tests/server-golden/fixtures/headers.yaml against its
//! client: the typed headers an implementation answers with arrive as the
//! spec writes them (lists comma-separated, optional ones only when set), on
//! a success, on an error from components.responses, on the only answer
//! of an operation and on an answer sent as events; `Content-Type` stays the body's.

use server_golden::headers::server::{self, headers, requests, responses, Context};
use server_golden::headers::{types, Client};

struct Fake;

impl server::Uploads for Fake {
    async fn create_upload(&self, _: Context, request: requests::CreateUpload) -> responses::CreateUpload {
        let name = request.body.name;
        if name == "busy" {
            let headers = headers::CreateUploadTooManyRequests { retry_after: 30 };
            return responses::CreateUpload::TooManyRequests(serde_json::json!({"detail": "busy"}), headers);
        }
        let all = name == "all";
        let headers = headers::CreateUploadCreated {
            x_request_id: format!("req-{name}"),
            location: all.then(|| format!("/uploads/{name}")),
            x_parts: all.then(|| vec![1, 2, 3]),
            x_cost: all.then_some(0.25),
            x_resumable: all,
            x_tier: all.then_some(types::CreateUploadResponseHeaderXTier::Paid),
        };
        responses::CreateUpload::Created(
            types::Upload { id: "u1".into(), name, additional_properties: Default::default() },
            headers,
        )
    }

    async fn get_upload(&self, _: Context, request: requests::GetUpload) -> types::Upload {
        types::Upload { id: request.id, name: "plain".into(), additional_properties: Default::default() }
    }

    async fn delete_upload(&self, _: Context, request: requests::DeleteUpload) -> responses::DeleteUpload {
        responses::DeleteUpload::NoContent(headers::DeleteUploadNoContent {
            x_request_id: format!("del-{}", request.id),
        })
    }
}

impl server::Chat for Fake {
    async fn chat(&self, context: Context, request: requests::Chat) -> responses::Chat {
        let reply =
            types::Upload { id: "c1".into(), name: request.body.name, additional_properties: Default::default() };
        let headers = headers::ChatOk { x_request_id: format!("chat-{}", context.wants_events()) };
        if context.wants_events() {
            return responses::Chat::OkEvents(server::Events::from(vec![reply]), headers);
        }
        responses::Chat::Ok(reply, headers)
    }
}

async fn start() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server::router(Fake)).await.unwrap() });
    Client::new(base)
}

/// The header's text, or `None` when absent.
fn header<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|value| value.to_str().unwrap())
}

#[tokio::test]
async fn every_header_type_is_written_as_the_spec_says() {
    let client = start().await;
    let response =
        client.create_upload(&types::UploadCreate { name: "all".into() }).send_with_response().await.unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(
        response.value,
        types::Upload { id: "u1".into(), name: "all".into(), additional_properties: Default::default() }
    );
    let written: Vec<_> = ["x-request-id", "location", "x-parts", "x-cost", "x-resumable", "x-tier", "content-type"]
        .into_iter()
        .map(|name| (name, header(&response.headers, name)))
        .collect();
    assert_eq!(
        written,
        [
            ("x-request-id", Some("req-all")),
            ("location", Some("/uploads/all")),
            ("x-parts", Some("1,2,3")),
            ("x-cost", Some("0.25")),
            ("x-resumable", Some("true")),
            ("x-tier", Some("paid")),
            // The spec's `Content-Type` header is ignored: the body's stays.
            ("content-type", Some("application/json")),
        ]
    );
}

#[tokio::test]
async fn optional_headers_are_written_only_when_set() {
    let client = start().await;
    let response =
        client.create_upload(&types::UploadCreate { name: "few".into() }).send_with_response().await.unwrap();
    assert_eq!(header(&response.headers, "x-request-id"), Some("req-few"));
    assert_eq!(header(&response.headers, "x-resumable"), Some("false"));
    for absent in ["location", "x-parts", "x-cost", "x-tier"] {
        assert_eq!(header(&response.headers, absent), None, "{absent}");
    }
}

#[tokio::test]
async fn an_error_and_a_lone_answer_carry_their_headers() {
    let client = start().await;
    let error = client.create_upload(&types::UploadCreate { name: "busy".into() }).await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(429));
    assert_eq!(header(error.headers().unwrap(), "retry-after"), Some("30"));

    let response = client.delete_upload("u 1").send_with_response().await.unwrap();
    assert_eq!(response.status, 204);
    assert_eq!(header(&response.headers, "x-request-id"), Some("del-u 1"));

    // An operation that declares no header answers as before.
    let response = client.get_upload("u2").send_with_response().await.unwrap();
    assert_eq!(response.value.name, "plain");
    assert_eq!(header(&response.headers, "x-request-id"), None);
}

#[tokio::test]
async fn an_answer_sent_as_events_carries_its_headers() {
    let client = start().await;
    let body = types::UploadCreate { name: "hi".into() };
    let response = client.chat(&body).send_with_response().await.unwrap();
    assert_eq!((response.value.id.as_str(), header(&response.headers, "x-request-id")), ("c1", Some("chat-false")));
    let response = client.chat_stream(&body).send_with_response().await.unwrap();
    assert_eq!(header(&response.headers, "x-request-id"), Some("chat-true"));
    assert_eq!(header(&response.headers, "content-type"), Some("text/event-stream"));
    let events: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(response.value).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].as_ref().unwrap().name, "hi");
}
