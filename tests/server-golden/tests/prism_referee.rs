//! Prism as the referee: the same raw requests (reqwest, not the generated
//! client, so that invalid ones can be made) go to `prism mock SPEC`, which
//! validates requests against the spec, and to the generated server of the
//! same spec served in-process by an implementation that answers every call
//! it gets with success. Both must accept (2xx) or both reject (4xx) each
//! request; a table of the disagreements is printed. The differences the
//! generated server has on purpose are listed in `KNOWN` with their reason,
//! and must still be differences, so that any change on either side shows.

#[path = "../../support/prism.rs"]
mod prism;
#[path = "../../support/required.rs"]
mod required;

use std::collections::BTreeMap;

use apigen_generated::nebius;
use serde_json::json;
use server_golden::operations::server::{self, requests, responses, BodyStream, Context, Events};
use server_golden::operations::types;

/// What a side did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accepted(u16),
    Rejected(u16),
    /// Neither 2xx nor 4xx: a failure of the side, never an agreement.
    Failed(u16),
}

impl Verdict {
    fn of(status: u16) -> Verdict {
        match status {
            200..=299 => Verdict::Accepted(status),
            400..=499 => Verdict::Rejected(status),
            _ => Verdict::Failed(status),
        }
    }

    fn agrees_with(self, other: Verdict) -> bool {
        matches!(
            (self, other),
            (Verdict::Accepted(_), Verdict::Accepted(_)) | (Verdict::Rejected(_), Verdict::Rejected(_))
        )
    }
}

/// One raw request.
struct Case {
    name: &'static str,
    method: &'static str,
    /// Path and query, as sent.
    target: String,
    headers: Vec<(&'static str, String)>,
    body: Option<(String, Vec<u8>)>,
}

const TOKEN: &str = "Bearer referee-token";

/// A request with credentials (every operation of both specs but `/health` asks for a bearer token).
fn case(name: &'static str, method: &'static str, target: &str) -> Case {
    Case { name, method, target: target.to_string(), headers: vec![("authorization", TOKEN.to_string())], body: None }
}

impl Case {
    fn header(mut self, name: &'static str, value: &str) -> Case {
        self.headers.push((name, value.to_string()));
        self
    }

    fn without_credentials(mut self) -> Case {
        self.headers.retain(|(name, _)| *name != "authorization");
        self
    }

    fn body(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Case {
        self.body = Some((content_type.to_string(), bytes.into()));
        self
    }

    fn json(self, value: serde_json::Value) -> Case {
        self.body("application/json", value.to_string())
    }

    /// A multipart body of `(name, file name, text)` parts.
    fn multipart(self, parts: &[(&str, Option<&str>, &str)]) -> Case {
        const BOUNDARY: &str = "referee-boundary";
        let mut body = String::new();
        for (name, file_name, text) in parts {
            body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""));
            match file_name {
                Some(file_name) => body.push_str(&format!(
                    "; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{text}\r\n"
                )),
                None => body.push_str(&format!("\r\n\r\n{text}\r\n")),
            }
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        self.body(&format!("multipart/form-data; boundary={BOUNDARY}"), body)
    }
}

async fn send(http: &reqwest::Client, base: &str, case: &Case) -> Verdict {
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).unwrap();
    let mut request = http.request(method, format!("{base}{}", case.target));
    for (name, value) in &case.headers {
        request = request.header(*name, value);
    }
    if let Some((content_type, bytes)) = &case.body {
        request = request.header("content-type", content_type).body(bytes.clone());
    }
    let response = request.send().await.unwrap_or_else(|error| panic!("{}: {error}", case.name));
    Verdict::of(response.status().as_u16())
}

/// Sends every case to Prism serving `spec` and to `router`, prints the
/// disagreements, and fails on any not in `known` and on any of `known` that agrees now.
async fn referee(spec: &str, router: axum::Router, cases: &[Case], known: &[(&str, &str)]) {
    let Some(prism) = prism::Prism::start(spec, None) else { return };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ours = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let http = reqwest::Client::new();
    let known: BTreeMap<&str, &str> = known.iter().copied().collect();
    let (mut unexpected, mut table, mut agreements) = (Vec::new(), Vec::new(), 0);
    for case in cases {
        let (by_prism, by_server) = (send(&http, &prism.base_url, case).await, send(&http, &ours, case).await);
        let agree = by_prism.agrees_with(by_server);
        agreements += usize::from(agree);
        match (agree, known.get(case.name)) {
            (true, None) => continue,
            (false, Some(reason)) => {
                table.push(format!("  known  {:<44} prism {by_prism:?}, server {by_server:?}: {reason}", case.name))
            }
            (false, None) => {
                table.push(format!("  NEW    {:<44} prism {by_prism:?}, server {by_server:?}", case.name));
                unexpected.push(case.name);
            }
            (true, Some(_)) => {
                table.push(format!("  GONE   {:<44} both {by_prism:?}: a known difference is no more", case.name));
                unexpected.push(case.name);
            }
        }
    }
    eprintln!("{spec}: {} requests, {agreements} agreements; disagreements:\n{}", cases.len(), table.join("\n"));
    assert!(known.keys().all(|name| cases.iter().any(|case| case.name == *name)), "a known difference names no case");
    assert!(unexpected.is_empty(), "{spec}: Prism and the generated server disagree anew on {unexpected:?}");
}

/// Answers every call of tests/fixtures/operations.yaml with success.
struct Accepting;

fn thing(id: &str) -> types::Thing {
    serde_json::from_value(json!({"id": id, "name": "Widget", "tags": [], "created_at": "2024-01-02T03:04:05Z"}))
        .unwrap()
}

impl server::Things for Accepting {
    async fn list_things_v1(&self, _: Context, _: requests::ListThingsV1) -> responses::ListThingsV1 {
        responses::ListThingsV1::Ok(serde_json::from_value(json!({"items": [], "has_more": false})).unwrap())
    }

    async fn create_thing_v1(&self, _: Context, _: requests::CreateThingV1) -> responses::CreateThingV1 {
        responses::CreateThingV1::Created(thing("th_2"))
    }

    async fn get_thing(&self, _: Context, request: requests::GetThing) -> responses::GetThing {
        responses::GetThing::Ok(thing(&request.thing_id))
    }

    async fn upsert_thing(&self, _: Context, request: requests::UpsertThing) -> responses::UpsertThing {
        responses::UpsertThing::Ok(thing(&request.thing_id))
    }

    async fn delete_thing(&self, _: Context, _: requests::DeleteThing) -> responses::DeleteThing {
        responses::DeleteThing::NoContent
    }

    async fn stream_thing_events(&self, _: Context, _: requests::StreamThingEvents) -> responses::StreamThingEvents {
        responses::StreamThingEvents::Ok(Events::from(vec!["[DONE]".to_string()]))
    }
}

impl server::Files for Accepting {
    async fn upload_file_v1(&self, _: Context, request: requests::UploadFileV1) -> types::FileObject {
        let id = request.thing_id;
        serde_json::from_value(json!({"id": id, "bytes": 1, "filename": "f", "purpose": "batch"})).unwrap()
    }

    async fn get_things_by_thing_id_raw(&self, _: Context, _: requests::GetThingsByThingIdRaw) -> BodyStream {
        BodyStream::from(&b"raw"[..])
    }

    async fn put_things_by_thing_id_raw(&self, _: Context, _: requests::PutThingsByThingIdRaw) {}
}

impl server::Meta for Accepting {
    async fn get_health(&self, _: Context) -> String {
        "ok".to_string()
    }
}

impl server::Untagged for Accepting {
    async fn post_echo(&self, _: Context, request: requests::PostEcho) -> String {
        request.body
    }
}

/// Where the generated server of operations.yaml differs from Prism on purpose.
const OPERATIONS_KNOWN: &[(&str, &str)] = &[
    ("order outside its enum", "enums are open on both sides (a value the spec does not list yet is kept)"),
    ("multipart purpose outside its enum", "enums are open on both sides"),
];

fn operations_cases() -> Vec<Case> {
    let thing = json!({"name": "Widget", "tags": ["a"]});
    vec![
        // Valid calls of every operation and kind of input.
        case("list, no parameters", "GET", "/things"),
        case("list, every query parameter", "GET", "/things?limit=5&q=x&cursor=c&tag=a&tag=b&order=asc")
            .header("x-request-id", "r1"),
        case("create", "POST", "/things").json(thing.clone()),
        case("get, boolean query", "GET", "/things/th_1?include_deleted=true"),
        case("upsert with its header", "PUT", "/things/th_1").header("if-match", "*").json(thing.clone()),
        case("delete", "DELETE", "/things/th_1"),
        case("multipart upload", "POST", "/orgs/7/things/th_1/files").multipart(&[
            ("file", Some("a.bin"), "bytes"),
            ("purpose", None, "batch"),
            ("priority", None, "2"),
        ]),
        case("binary upload", "PUT", "/things/th_1/raw").body("application/octet-stream", &b"raw"[..]),
        case("binary download", "GET", "/things/th_1/raw"),
        case("event stream", "GET", "/things/th_1/events").header("last-event-id", "3"),
        case("health, no credentials needed", "GET", "/health").without_credentials(),
        case("text body", "POST", "/echo").body("text/plain", "hello"),
        // Requests the spec does not allow.
        case("limit not an integer", "GET", "/things?limit=many"),
        case("limit above its maximum", "GET", "/things?limit=1000"),
        case("limit below its minimum", "GET", "/things?limit=0"),
        case("limit at its maximum", "GET", "/things?limit=100"),
        case("order outside its enum", "GET", "/things?order=sideways"),
        case("boolean query not a boolean", "GET", "/things/th_1?include_deleted=maybe"),
        case("body missing a required field", "POST", "/things").json(json!({"tags": []})),
        case("body field of the wrong type", "POST", "/things").json(json!({"name": 5})),
        case("body array item of the wrong type", "POST", "/things").json(json!({"name": "w", "tags": [1]})),
        case("body not JSON", "POST", "/things").body("application/json", "{not json"),
        case("text body to a JSON operation", "POST", "/things").body("text/plain", thing.to_string()),
        case("required body missing", "POST", "/things"),
        case("required header missing", "PUT", "/things/th_1").json(thing),
        case("path parameter not an integer", "POST", "/orgs/seven/things/th_1/files")
            .multipart(&[("file", Some("a.bin"), "bytes"), ("purpose", None, "batch")]),
        case("multipart without its file", "POST", "/orgs/7/things/th_1/files")
            .multipart(&[("purpose", None, "batch")]),
        case("multipart purpose outside its enum", "POST", "/orgs/7/things/th_1/files")
            .multipart(&[("file", Some("a.bin"), "bytes"), ("purpose", None, "sideways")]),
        case("multipart integer not an integer", "POST", "/orgs/7/things/th_1/files").multipart(&[
            ("file", Some("a.bin"), "bytes"),
            ("purpose", None, "batch"),
            ("priority", None, "high"),
        ]),
        case("JSON body to a multipart operation", "POST", "/orgs/7/things/th_1/files")
            .json(json!({"purpose": "batch"})),
        case("binary body missing", "PUT", "/things/th_1/raw"),
        case("event stream of an unknown thing id type", "GET", "/things/%20/events"),
        case("unknown path", "GET", "/nowhere"),
        case("unknown method of a path", "PATCH", "/things"),
        case("no credentials", "GET", "/things").without_credentials(),
        case("credentials of another scheme", "GET", "/things")
            .without_credentials()
            .header("authorization", "Basic dTpw"),
        case("an empty bearer token", "GET", "/things").without_credentials().header("authorization", "Bearer "),
        case("text body missing", "POST", "/echo"),
    ]
}

#[tokio::test]
async fn prism_and_the_operations_server_accept_and_reject_alike() {
    let router = server::router(Accepting);
    referee("tests/fixtures/operations.yaml", router, &operations_cases(), OPERATIONS_KNOWN).await;
}

/// Answers every call of specs/nebius.yaml with success.
struct Datasets;

impl nebius::server::Datasets for Datasets {
    async fn complete_upload(
        &self,
        _: nebius::server::Context,
        request: nebius::server::requests::CompleteUpload,
    ) -> nebius::server::responses::CompleteUpload {
        let upload = json!({
            "id": request.upload_id,
            "upload_info": {
                "status": "COMPLETED",
                "dataset": {"name": "train", "schema": [], "folder": "f"},
                "created_at": 1_700_000_000,
            },
        });
        nebius::server::responses::CompleteUpload::Ok(serde_json::from_value(upload).unwrap())
    }

    async fn list_upload_parts(
        &self,
        _: nebius::server::Context,
        _: nebius::server::requests::ListUploadParts,
    ) -> nebius::server::responses::ListUploadParts {
        nebius::server::responses::ListUploadParts::Ok(serde_json::from_value(json!({"data": []})).unwrap())
    }
}

/// Nothing: the generated server of the Nebius spec answers as Prism does.
const NEBIUS_KNOWN: &[(&str, &str)] = &[];

fn nebius_cases() -> Vec<Case> {
    let complete = "/v1/datasets/uploads/up_1/complete";
    vec![
        case("list parts", "GET", "/v1/datasets/uploads/up_1/parts"),
        case("list parts of a project", "GET", "/v1/datasets/uploads/up_1/parts?ai_project_id=p1"),
        case("complete", "POST", complete).json(json!({"part_ids": ["a", "b"]})),
        case("complete in a project", "POST", &format!("{complete}?ai_project_id=p1")).json(json!({"part_ids": []})),
        case("complete, part ids missing", "POST", complete).json(json!({})),
        case("complete, part ids not a list", "POST", complete).json(json!({"part_ids": "a"})),
        case("complete, a part id not a string", "POST", complete).json(json!({"part_ids": [1]})),
        case("complete, body not JSON", "POST", complete).body("application/json", "[}"),
        case("complete, body missing", "POST", complete),
        case("unknown path", "GET", "/v1/datasets"),
        case("unknown method of a path", "DELETE", complete),
        case("no credentials", "GET", "/v1/datasets/uploads/up_1/parts").without_credentials(),
    ]
}

#[tokio::test]
async fn prism_and_the_nebius_server_accept_and_reject_alike() {
    let router = nebius::server::router(Datasets);
    referee("specs/nebius.yaml", router, &nebius_cases(), NEBIUS_KNOWN).await;
}
