//! The server module's unit tests: reading what the client side writes, routing, answers.

use super::*;

/// A request to `uri` with `headers`, read as an operation's handler reads it.
fn incoming(uri: &str, headers: &[(&'static str, &'static str)]) -> Incoming {
    let uri: Uri = uri.parse().expect("a test URI");
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.append(header::HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    Incoming {
        query: form_urlencoded_pairs(uri.query().unwrap_or_default().as_bytes()),
        context: Context { method: Method::GET, uri, headers: map, extensions: Extensions::new() },
        body: None,
        path: Vec::new(),
        parts: None,
        settings: Settings::default(),
        problems: Vec::new(),
        refusal: None,
    }
}

/// The client's query, percent-encoded as reqwest writes pairs.
fn client_query(name: &str, value: &serde_json::Value, style: QueryStyle) -> String {
    let mut pairs = Vec::new();
    super::super::query_pairs(name, value, style, &mut pairs);
    let encode =
        |text: &str| percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string();
    pairs.iter().map(|(key, value)| format!("{}={}", encode(key), encode(value))).collect::<Vec<_>>().join("&")
}

/// What the client writes in each style, the server reads back as it was.
#[test]
fn queries_read_back_what_the_client_writes_in_every_style() {
    let list = serde_json::json!(["a b", "c|d", "e"]);
    let numbers = serde_json::json!([1, 20, 300]);
    let object = serde_json::json!({"color": "red", "size": 3});
    let styles = [QueryStyle::FormExploded, QueryStyle::Form, QueryStyle::SpaceDelimited, QueryStyle::PipeDelimited];
    for style in styles {
        let query = client_query("n", &numbers, style);
        let read: Option<Vec<u32>> =
            incoming(&format!("/x?{query}"), &[]).query("n", style, Shape::Many(Leaf::Scalar), true);
        assert_eq!(read, Some(vec![1, 20, 300]), "{style:?}: {query}");
    }
    // Items with no separator of their style in them come back whole.
    let query = client_query("tags", &list, QueryStyle::FormExploded);
    let read: Option<Vec<String>> =
        incoming(&format!("/x?{query}"), &[]).query("tags", QueryStyle::FormExploded, Shape::Many(Leaf::Text), true);
    assert_eq!(read, Some(vec!["a b".to_string(), "c|d".to_string(), "e".to_string()]));
    for style in [QueryStyle::DeepObject, QueryStyle::Form] {
        let query = client_query("filter", &object, style);
        let read: Option<serde_json::Value> =
            incoming(&format!("/x?{query}"), &[]).query("filter", style, Shape::Object, true);
        assert_eq!(read, Some(object.clone()), "{style:?}: {query}");
    }
}

#[test]
fn inputs_that_do_not_fit_are_all_reported_in_fastapis_shape() {
    let mut request = incoming("/x?limit=many", &[]);
    let limit: Option<u32> = request.query("limit", QueryStyle::FormExploded, Shape::One(Leaf::Scalar), true);
    let key: Option<String> = request.header("x-key", Shape::One(Leaf::Text), true);
    assert_eq!((limit, key), (None, None));
    let problems = serde_json::to_value(&request.problems).expect("problems serialize");
    assert_eq!(problems[0]["loc"], serde_json::json!(["query", "limit"]));
    assert_eq!(problems[0]["type"], "value_error");
    assert_eq!(
        problems[1],
        serde_json::json!({"loc": ["header", "x-key"], "msg": "Field required", "type": "missing"})
    );
    let answer = request.finish(422).expect_err("two problems");
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn optional_inputs_may_be_absent_and_cookies_are_percent_decoded() {
    let mut request = incoming("/x", &[("cookie", "theme=dark%20blue; other=1")]);
    let limit: Option<Option<u32>> = request.query("limit", QueryStyle::Form, Shape::One(Leaf::Scalar), false);
    let theme: Option<String> = request.cookie("theme", Leaf::Text, true);
    assert_eq!((limit, theme.as_deref()), (Some(None), Some("dark blue")));
    assert!(request.finish(422).is_ok());
}

/// The client encodes a path parameter as one segment; the router decodes it and refuses what the client refuses.
#[test]
fn path_parameters_are_decoded_segment_by_segment() {
    let template: Vec<Vec<Piece>> = "/files/{id}.json".split('/').skip(1).map(template_pieces).collect();
    let segment = super::super::path_segment("id", &"a/b c").expect("a valid value");
    let parameters = match_path(&template, &["files", &format!("{segment}.json")]);
    assert_eq!(parameters, Some(vec![("id".to_string(), "a/b c".to_string())]));
    for refused in ["", ".", ".."] {
        assert!(super::super::path_segment("id", &refused).is_err());
        assert_eq!(match_path(&template, &["files", &format!("{refused}.json")]), None, "{refused:?}");
    }
    assert_eq!(match_path(&template, &["files", "a.txt"]), None);
}

async fn answer(routes: &Routes, method: Method, uri: &str) -> Response {
    let request = axum::http::Request::builder().method(method).uri(uri).body(Body::empty()).expect("a request");
    routes.dispatch(request).await
}

#[tokio::test]
async fn the_router_answers_404_405_and_501_and_prefers_literal_routes() {
    let mut routes =
        Routes::default().declare("GET", "/files/{id}").declare("GET", "/files/list").declare("DELETE", "/files/{id}");
    routes.base_path("/v1/");
    let named = |name: &'static str| -> Handler {
        Arc::new(move |_| Box::pin(async move { reply_text(200, name.into(), "text/plain") }))
    };
    routes.implement("GET", "/files/{id}", named("one"));
    routes.implement("GET", "/files/list", named("list"));
    let text = |response: Response| async move {
        let bytes = BodyStream::new(response.into_body().into_data_stream()).collect(1 << 10).await;
        String::from_utf8(bytes.expect("a small body")).expect("text")
    };
    assert_eq!(text(answer(&routes, Method::GET, "/v1/files/list").await).await, "list");
    assert_eq!(text(answer(&routes, Method::GET, "/v1/files/f1").await).await, "one");
    assert_eq!(answer(&routes, Method::GET, "/files/f1").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(answer(&routes, Method::DELETE, "/v1/files/f1").await.status(), StatusCode::NOT_IMPLEMENTED);
    let refused = answer(&routes, Method::POST, "/v1/files/f1").await;
    assert_eq!(refused.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(refused.headers()[header::ALLOW], "DELETE, GET");
}

#[test]
fn each_line_of_an_event_is_a_data_line() {
    assert_eq!(sse_frame("a\r\nb\nc"), "data: a\ndata: b\ndata: c\n\n");
}

#[test]
fn response_headers_are_written_as_text_and_a_bad_one_is_a_500() {
    let headers = serde_json::json!({"X-Id": "a", "X-Parts": [1, 2], "X-Pairs": {"k": "v", "n": 1}, "X-Ok": true});
    let response = with_headers(reply_empty(201), &headers);
    assert_eq!(response.status(), StatusCode::CREATED);
    let mut written: Vec<(&str, &str)> =
        response.headers().iter().map(|(name, value)| (name.as_str(), value.to_str().unwrap())).collect();
    written.sort();
    assert_eq!(written, [("x-id", "a"), ("x-ok", "true"), ("x-pairs", "k,v,n,1"), ("x-parts", "1,2")]);

    let broken = with_headers(reply_empty(200), &serde_json::json!({"X-Id": "line\r\nbreak"}));
    assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(broken.headers().get("x-id").is_none());
}

#[test]
fn values_outside_their_bounds_are_problems_in_pydantics_words() {
    let bounds = Bounds { minimum: Some(1.0), maximum: Some(10.0), exclusive_maximum: true, ..Bounds::NONE };
    let problem = |value: serde_json::Value| bounds.problem(&value).map(|(msg, kind)| format!("{kind}: {msg}"));
    assert_eq!(problem(serde_json::json!(1)), None);
    assert_eq!(
        problem(serde_json::json!(0.5)).as_deref(),
        Some("greater_than_equal: Input should be greater than or equal to 1")
    );
    assert_eq!(problem(serde_json::json!(10)).as_deref(), Some("less_than: Input should be less than 10"));
    let lengths = Bounds { min_length: Some(2), max_length: Some(3), max_items: Some(1), ..Bounds::NONE };
    let problem = |value: serde_json::Value| lengths.problem(&value).map(|(_, kind)| kind);
    assert_eq!(problem(serde_json::json!("ééé")), None, "characters, not bytes");
    assert_eq!(problem(serde_json::json!("a")), Some("string_too_short"));
    assert_eq!(problem(serde_json::json!("abcd")), Some("string_too_long"));
    assert_eq!(problem(serde_json::json!(["a", "b"])), Some("too_long"));
    assert_eq!(problem(serde_json::Value::Null), None);
}
