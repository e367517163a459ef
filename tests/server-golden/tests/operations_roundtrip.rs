//! The server generated from tests/fixtures/operations.yaml, implemented
//! here and served in-process, called through the client generated from
//! the same spec: every operation, with what each side saw; then requests
//! the spec does not allow, which never reach the implementation.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use serde_json::json;
use server_golden::operations::server::{self, requests, responses, BodyStream, Context, Events};
use server_golden::operations::{forms, types, Client, Error, FilePart};

/// What the implementation was called with, one line a call.
#[derive(Clone, Default)]
struct Fake {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Fake {
    fn saw(&self, line: String) {
        self.seen.lock().unwrap().push(line);
    }
}

fn thing(id: &str, name: &str) -> types::Thing {
    types::Thing {
        id: id.into(),
        name: name.into(),
        tags: vec!["blue".into()],
        created_at: "2024-01-02T03:04:05Z".into(),
        description: None,
        additional_properties: Default::default(),
    }
}

impl server::Things for Fake {
    async fn list_things_v1(&self, context: Context, request: requests::ListThingsV1) -> responses::ListThingsV1 {
        self.saw(format!(
            "list limit={:?} q={:?} cursor={:?} tag={:?} order={:?} request_id={:?} token={:?}",
            request.limit,
            request.q,
            request.cursor,
            request.tag,
            request.order.map(|order| order.as_str().to_string()),
            request.x_request_id,
            context.bearer_token(),
        ));
        responses::ListThingsV1::Ok(types::ThingList {
            items: vec![thing("th_1", "Widget")],
            has_more: false,
            next_cursor: None,
            additional_properties: Default::default(),
        })
    }

    async fn create_thing_v1(&self, _: Context, request: requests::CreateThingV1) -> responses::CreateThingV1 {
        self.saw(format!("create {:?} {:?} {:?}", request.body.name, request.body.tags, request.body.description));
        responses::CreateThingV1::Created(thing("th_2", &request.body.name))
    }

    async fn get_thing(&self, _: Context, request: requests::GetThing) -> responses::GetThing {
        self.saw(format!("get {:?} include_deleted={:?}", request.thing_id, request.include_deleted));
        responses::GetThing::NotFound(types::Error {
            code: "not_found".into(),
            message: format!("no thing {}", request.thing_id),
            details: None,
            additional_properties: Default::default(),
        })
    }

    async fn upsert_thing(&self, _: Context, request: requests::UpsertThing) -> responses::UpsertThing {
        self.saw(format!("upsert {:?} if_match={:?} {:?}", request.thing_id, request.if_match, request.body.name));
        match request.if_match.as_str() {
            "*" => responses::UpsertThing::Created(types::CreatedReceipt {
                id: request.thing_id.clone(),
                location: format!("/things/{}", request.thing_id),
                additional_properties: Default::default(),
            }),
            "stale" => responses::UpsertThing::Conflict(types::Error {
                code: "conflict".into(),
                message: "Version mismatch.".into(),
                details: Some([("expected".to_string(), "v2".to_string())].into()),
                additional_properties: Default::default(),
            }),
            _ => responses::UpsertThing::Ok(thing(&request.thing_id, &request.body.name)),
        }
    }

    async fn delete_thing(&self, _: Context, request: requests::DeleteThing) -> responses::DeleteThing {
        self.saw(format!("delete {:?}", request.thing_id));
        responses::DeleteThing::NoContent
    }

    async fn stream_thing_events(
        &self,
        _: Context,
        request: requests::StreamThingEvents,
    ) -> responses::StreamThingEvents {
        self.saw(format!("events {:?} last={:?}", request.thing_id, request.last_event_id));
        let events = vec![r#"{"event":"created","thing_id":"th_1"}"#.to_string(), "two\nlines".to_string()];
        responses::StreamThingEvents::Ok(Events::from(events))
    }
}

impl server::Files for Fake {
    async fn upload_file_v1(&self, _: Context, request: requests::UploadFileV1) -> types::FileObject {
        let form = request.body;
        let (file_name, content_type, size) =
            (form.file.file_name.clone(), form.file.content_type.clone(), form.file.size);
        // The file arrives as a stream read from its spool file.
        let mut chunks = form.file.into_stream();
        let mut bytes = Vec::new();
        while let Some(chunk) = chunks.next().await {
            bytes.extend_from_slice(&chunk.unwrap());
        }
        self.saw(format!(
            "upload org={} thing={:?} file={file_name:?} {content_type:?} size={size} bytes={bytes:?} purpose={} description={:?} priority={:?}",
            request.org_id,
            request.thing_id,
            form.purpose.as_str(),
            form.description,
            form.priority
        ));
        types::FileObject {
            id: "file_1".into(),
            bytes: size as i64,
            filename: file_name.unwrap_or_default(),
            purpose: form.purpose.as_str().to_string(),
            additional_properties: Default::default(),
        }
    }

    async fn get_things_by_thing_id_raw(&self, _: Context, request: requests::GetThingsByThingIdRaw) -> BodyStream {
        self.saw(format!("download {:?}", request.thing_id));
        let chunks =
            futures_util::stream::iter([Ok::<_, std::io::Error>(vec![0u8, 1].into()), Ok(vec![2u8, 255].into())]);
        BodyStream::new(chunks)
    }

    async fn put_things_by_thing_id_raw(&self, context: Context, request: requests::PutThingsByThingIdRaw) {
        let content_type = context.headers.get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = request.body.collect(1 << 20).await.unwrap();
        self.saw(format!("raw {:?} {content_type:?} {bytes:?}", request.thing_id));
    }
}

impl server::Meta for Fake {
    async fn get_health(&self, _: Context) -> String {
        self.saw("health".into());
        "ok".into()
    }
}

impl server::Untagged for Fake {
    async fn post_echo(&self, _: Context, request: requests::PostEcho) -> String {
        self.saw(format!("echo {:?}", request.body));
        request.body
    }
}

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

async fn start() -> (Client, String, Fake) {
    let fake = Fake::default();
    let base = serve(server::router(fake.clone())).await;
    (Client::new(base.clone()).with_bearer_token("secret"), base, fake)
}

fn take(fake: &Fake) -> Vec<String> {
    std::mem::take(&mut *fake.seen.lock().unwrap())
}

#[tokio::test]
async fn every_operation_round_trips() {
    let (client, _, fake) = start().await;

    let page = client
        .list_things_v1()
        .limit(5)
        .q("a b&c")
        .tag(&["x".to_string(), "y,z".to_string()])
        .order(&types::ListThingsV1Order::Desc)
        .x_request_id("req-1")
        .await
        .unwrap();
    assert_eq!(page.items[0].id, "th_1");
    let listed = client.list_things_v1().await.unwrap();
    assert!(!listed.has_more);

    let created = client
        .create_thing_v1(&types::ThingCreate {
            name: "Gadget".into(),
            tags: Some(vec!["a".into()]),
            description: Some("shiny".into()),
        })
        .await
        .unwrap();
    assert_eq!(created.name, "Gadget");

    // The path encoding in reverse: the id arrives as it was sent.
    match client.get_thing("a/b c?%").include_deleted(true).await {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(body.message, "no thing a/b c?%");
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }

    let body = types::ThingCreate { name: "W".into(), tags: None, description: None };
    match client.upsert_thing("th_9", "*", &body).await.unwrap() {
        server_golden::operations::responses::UpsertThing::Created(receipt) => {
            assert_eq!(receipt.location, "/things/th_9")
        }
        other => panic!("expected 201, got {other:?}"),
    }
    match client.upsert_thing("th_9", "v1", &body).await.unwrap() {
        server_golden::operations::responses::UpsertThing::Ok(thing) => assert_eq!(thing.id, "th_9"),
        other => panic!("expected 200, got {other:?}"),
    }
    match client.upsert_thing("th_9", "stale", &body).await {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 409);
            assert_eq!(body.details.unwrap()["expected"], "v2");
        }
        other => panic!("expected 409, got {other:?}"),
    }

    client.delete_thing("th_9").await.unwrap();

    let file = client
        .upload_file_v1(
            7,
            "th 1",
            forms::FileUpload {
                file: FilePart::bytes(vec![0u8, 159, 146, 150, 10]).file_name("data.bin"),
                purpose: types::FileUploadPurpose::FineTune,
                description: Some("two words".into()),
                priority: Some(3),
            },
        )
        .await
        .unwrap();
    assert_eq!((file.id.as_str(), file.bytes, file.filename.as_str()), ("file_1", 5, "data.bin"));

    client.put_things_by_thing_id_raw("th_1", FilePart::bytes(vec![9u8, 8, 7])).await.unwrap();
    let downloaded = client.get_things_by_thing_id_raw("th_1").await.unwrap().collect().await.unwrap();
    assert_eq!(downloaded.as_ref(), &[0u8, 1, 2, 255]);

    let events: Vec<String> = client
        .stream_thing_events("th_1")
        .last_event_id("41")
        .await
        .unwrap()
        .map(|event| event.unwrap())
        .collect()
        .await;
    assert_eq!(events, [r#"{"event":"created","thing_id":"th_1"}"#, "two\nlines"]);

    assert_eq!(client.get_health().await.unwrap(), "ok");
    assert_eq!(client.post_echo("héllo\nworld").await.unwrap(), "héllo\nworld");

    assert_eq!(
        take(&fake),
        [
            r#"list limit=Some(5) q=Some("a b&c") cursor=None tag=Some(["x", "y,z"]) order=Some("desc") request_id=Some("req-1") token=Some("secret")"#,
            r#"list limit=None q=None cursor=None tag=None order=None request_id=None token=Some("secret")"#,
            r#"create "Gadget" Some(["a"]) Some("shiny")"#,
            r#"get "a/b c?%" include_deleted=Some(true)"#,
            r#"upsert "th_9" if_match="*" "W""#,
            r#"upsert "th_9" if_match="v1" "W""#,
            r#"upsert "th_9" if_match="stale" "W""#,
            r#"delete "th_9""#,
            r#"upload org=7 thing="th 1" file=Some("data.bin") Some("application/octet-stream") size=5 bytes=[0, 159, 146, 150, 10] purpose=fine-tune description=Some("two words") priority=Some(3)"#,
            r#"raw "th_1" Some("application/octet-stream") [9, 8, 7]"#,
            r#"download "th_1""#,
            r#"events "th_1" last=Some("41")"#,
            "health",
            r#"echo "héllo\nworld""#,
        ]
    );
}

/// Sends a raw request and returns its status, `Allow` header and JSON body.
async fn send(request: reqwest::RequestBuilder) -> (u16, Option<String>, serde_json::Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let allow = response.headers().get("allow").map(|v| v.to_str().unwrap().to_string());
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, allow, body)
}

#[tokio::test]
async fn requests_that_break_the_spec_are_answered_before_the_implementation() {
    let (_, base, fake) = start().await;
    // The operations ask for a bearer token; one without is answered 401 before anything is read.
    let (status, _, body) = send(reqwest::Client::new().get(format!("{base}/things?limit=many"))).await;
    assert_eq!((status, body), (401, json!({"detail": "Not authenticated"})));
    let token = [(axum::http::header::AUTHORIZATION, axum::http::HeaderValue::from_static("Bearer t"))];
    let http = reqwest::Client::builder().default_headers(token.into_iter().collect()).build().unwrap();
    let missing = |loc: serde_json::Value| json!({"loc": loc, "msg": "Field required", "type": "missing"});

    let (status, _, body) = send(http.get(format!("{base}/things?limit=many&order=asc"))).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "limit"]));
    assert_eq!(body["detail"][0]["type"], "value_error");
    assert_eq!(body["detail"].as_array().unwrap().len(), 1, "{body}");
    // A parameter outside the bounds its schema sets, in pydantic's words.
    let (status, _, body) = send(http.get(format!("{base}/things?limit=101"))).await;
    let expected = json!({"loc": ["query", "limit"], "msg": "Input should be less than or equal to 100", "type": "less_than_equal"});
    assert_eq!((status, body["detail"][0].clone()), (422, expected), "{body}");

    // A body missing a required field, and one of the wrong type: the location names the field.
    let (status, _, body) = send(http.post(format!("{base}/things")).json(&json!({"tags": ["a"]}))).await;
    assert_eq!((status, body["detail"][0]["loc"].clone()), (422, json!(["body"])), "{body}");
    assert!(body["detail"][0]["msg"].as_str().unwrap().contains("missing field `name`"), "{body}");
    let (status, _, body) = send(http.post(format!("{base}/things")).json(&json!({"name": "a", "tags": [1]}))).await;
    assert_eq!((status, body["detail"][0]["loc"].clone()), (422, json!(["body", "tags", 0])), "{body}");
    let (status, _, body) = send(http.post(format!("{base}/things")).body("{not json")).await;
    assert_eq!((status, body["detail"][0]["type"].clone()), (422, json!("json_invalid")), "{body}");
    let (status, _, body) = send(http.post(format!("{base}/things"))).await;
    assert_eq!((status, body["detail"][0].clone()), (422, missing(json!(["body"]))), "{body}");
    // A JSON body sent as another content type is not read as JSON (FastAPI's answer).
    let text = http.post(format!("{base}/things")).header("content-type", "text/plain").body(r#"{"name": "a"}"#);
    let (status, _, body) = send(text).await;
    assert_eq!((status, body["detail"][0]["type"].clone()), (422, json!("model_attributes_type")), "{body}");
    // A required binary body that is not sent.
    let (status, _, body) = send(http.put(format!("{base}/things/th_1/raw"))).await;
    assert_eq!((status, body["detail"][0].clone()), (422, missing(json!(["body"]))), "{body}");

    // A required header, a path parameter of the wrong type.
    let (status, _, body) = send(http.put(format!("{base}/things/th_1")).json(&json!({"name": "a"}))).await;
    assert_eq!((status, body["detail"][0].clone()), (422, missing(json!(["header", "If-Match"]))), "{body}");
    let form = reqwest::multipart::Form::new().text("purpose", "batch");
    let (status, _, body) = send(http.post(format!("{base}/orgs/acme/things/th_1/files")).multipart(form)).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "org_id"]), "{body}");
    // A multipart body without its file and with an unknown purpose: both reported.
    assert_eq!(body["detail"][1]["loc"], json!(["body", "file"]), "{body}");
    let form = reqwest::multipart::Form::new().text("purpose", "holiday").text("priority", "high");
    let (_, _, body) = send(http.post(format!("{base}/orgs/1/things/th_1/files")).multipart(form)).await;
    let locations: Vec<&serde_json::Value> = body["detail"].as_array().unwrap().iter().map(|p| &p["loc"]).collect();
    assert_eq!(locations, [&json!(["body", "file"]), &json!(["body", "priority"])], "{body}");
    let (status, _, body) = send(http.post(format!("{base}/orgs/1/things/th_1/files")).body("x")).await;
    assert_eq!((status, body["detail"][0]["type"].clone()), (422, json!("multipart")), "{body}");

    // Unknown paths 404, other methods 405 with the methods the path has.
    let (status, _, body) = send(http.get(format!("{base}/nothing/here"))).await;
    assert_eq!((status, body), (404, json!({"detail": "Not Found"})));
    let (status, allow, _) = send(http.patch(format!("{base}/things/th_1"))).await;
    assert_eq!((status, allow.as_deref()), (405, Some("DELETE, GET, PUT")));
    // A `.` or `..` segment never names a thing (the client refuses to send one).
    let (status, _, _) = send(http.get(format!("{base}/things/%2E%2E"))).await;
    assert_eq!(status, 404);

    assert!(take(&fake).is_empty(), "the implementation was called");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    let fake = Fake::default();
    let settings = server::Settings { max_body_size: 64, ..server::Settings::default() };
    let shared = Arc::new(fake.clone());
    let router = server::Server::new().settings(settings).things(shared.clone()).untagged(shared).into_router();
    let base = serve(router).await;
    let client = Client::new(base.clone()).with_bearer_token("t");
    let long = "x".repeat(65);
    match client.post_echo(&long).await {
        Err(Error::UnexpectedStatus { status, .. }) => assert_eq!(status.as_u16(), 413),
        other => panic!("expected 413, got {other:?}"),
    }
    assert_eq!(client.post_echo(&long[..64]).await.unwrap(), long[..64]);
    // A tag not registered is answered 501.
    let (status, _, body) = send(reqwest::Client::new().get(format!("{base}/health"))).await;
    assert_eq!((status, body), (501, json!({"detail": "Not Implemented"})));
    assert_eq!(take(&fake), [format!("echo {:?}", &long[..64])]);
}
