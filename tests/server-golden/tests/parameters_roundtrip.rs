//! The server of tests/server-golden/fixtures/parameters.yaml against its
//! client: a parameter inside a path segment, query styles, a list header,
//! cookies, an optional JSON body, a form body, a 4XX range; and a spec that
//! documents 400, so that requests that do not fit are answered 400.

use std::collections::BTreeMap;

use serde_json::json;
use server_golden::parameters::server::{self, requests, responses, Context};
use server_golden::parameters::{types, Client, Error};

struct Fake;

impl server::Search for Fake {
    async fn search(&self, _: Context, request: requests::Search) -> responses::Search {
        let seen = json!({
            "kind": request.kind.as_str(),
            "format": request.format,
            "flag": request.flag,
            "session": request.session,
            "ids": request.ids,
            "words": request.words,
            "filter": request.filter.map(|f| json!({"min": f.min, "name": f.name})),
            "range": request.range.map(|r| json!([r.lo, r.hi])),
            "area": request.area.map(|r| json!([r.lo, r.hi])),
            "scores": request.x_scores,
            "page": request.page,
            "body": request.body.map(|b| b.text),
        });
        responses::Search::Ok(serde_json::from_value(seen).unwrap())
    }
}

impl server::Auth for Fake {
    async fn login(&self, _: Context, request: requests::Login) -> responses::Login {
        let form = request.body;
        if form.username == "mallory" {
            let problem =
                types::Problem { detail: Some(json!("locked out")), additional_properties: Default::default() };
            return responses::Login::Status4xx(axum::http::StatusCode::FORBIDDEN, problem);
        }
        let session = format!("{}:{}:{:?}", form.username, form.remember, form.attempts);
        responses::Login::Ok(BTreeMap::from([("session".to_string(), session)]))
    }
}

async fn start() -> (Client, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server::router(Fake)).await.unwrap() });
    (Client::new(base.clone()), base)
}

#[tokio::test]
async fn every_location_and_style_round_trips() {
    let (client, _) = start().await;
    let seen = client
        .search(&types::SearchKind::Films, "v1.json", false, "s=1; x")
        .ids(&[3, 1, 2])
        .words(&["a b".to_string(), "c".to_string()])
        .filter(&types::Filter { min: Some(4), name: Some("dune".into()) })
        .range(&types::Range { lo: Some(1), hi: None })
        .area(&types::Range { lo: Some(5), hi: Some(6) })
        .x_scores(&[0.5, 2.0])
        .page(7)
        .body(&types::Query { text: "hello".into() })
        .await
        .unwrap();
    let expected = json!({
        "kind": "films", "format": "v1.json", "flag": false, "session": "s=1; x",
        "ids": [3, 1, 2], "words": ["a b", "c"], "filter": {"min": 4, "name": "dune"},
        "range": [1, null], "area": [5, 6],
        "scores": [0.5, 2.0], "page": 7, "body": "hello",
    });
    assert_eq!(serde_json::to_value(&seen).unwrap(), expected);

    // Without the optional inputs: absent, not defaulted; an open enum keeps an unknown kind.
    let seen = client.search(&types::SearchKind::Other("music".into()), "csv", true, "s").await.unwrap();
    let expected = json!({
        "kind": "music", "format": "csv", "flag": true, "session": "s", "ids": null, "words": null,
        "filter": null, "range": null, "area": null, "scores": null, "page": null, "body": null,
    });
    assert_eq!(serde_json::to_value(&seen).unwrap(), expected);

    let login = types::Login { username: "ann".into(), remember: true, attempts: Some(2) };
    assert_eq!(client.login(&login).await.unwrap()["session"], "ann:true:Some(2)");
    let login = types::Login { username: "mallory".into(), remember: false, attempts: None };
    match client.login(&login).await {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 403);
            assert_eq!(body.detail, Some(json!("locked out")));
        }
        other => panic!("expected the 4XX answer, got {other:?}"),
    }
}

#[tokio::test]
async fn inputs_that_do_not_fit_are_answered_400_where_the_spec_documents_400() {
    let (_, base) = start().await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{base}/search/books/items.json?flag=maybe&ids=1,x&filter[min]=low"))
        .header("x-scores", "1.5, high")
        .header("cookie", "page=two")
        .json(&json!({"text": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    let locations: Vec<&serde_json::Value> = body["detail"].as_array().unwrap().iter().map(|p| &p["loc"]).collect();
    assert_eq!(
        locations,
        // Required parameters first, as the operation lists them.
        [
            &json!(["query", "flag"]),
            &json!(["cookie", "session"]),
            &json!(["query", "ids"]),
            &json!(["query", "filter"]),
            &json!(["header", "X-Scores"]),
            &json!(["cookie", "page"]),
            &json!(["body", "text"]),
        ],
        "{body}"
    );
    assert_eq!(body["detail"][1]["type"], "missing");

    // The path must match around the parameter inside the segment.
    let response = http.post(format!("{base}/search/books/list.json?flag=true")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);

    // A form body: a missing required field and a boolean that is not one; no 400 documented, so 422.
    let response = http.post(format!("{base}/login")).form(&[("remember", "perhaps")]).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["detail"][0]["loc"][0], "body", "{body}");
}
