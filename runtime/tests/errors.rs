//! `Error`'s messages and conversions, on values built by hand.

use apigen_runtime::{Error, ErrorBody, StatusCode};
use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// A documented error body, as generated code declares one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Problem {
    code: u32,
}

fn api<E>(status: u16, body: E, raw: &str) -> Error<E> {
    let status = StatusCode::from_u16(status).unwrap();
    Error::Api { status, headers: Box::default(), body, raw: Bytes::copy_from_slice(raw.as_bytes()) }
}

fn unexpected(status: u16, raw: &[u8]) -> Error {
    let status = StatusCode::from_u16(status).unwrap();
    let json = serde_json::from_slice(raw).ok();
    Error::UnexpectedStatus { status, headers: Box::default(), body: Bytes::copy_from_slice(raw), json }
}

#[test]
fn display_names_the_status_and_the_message_of_the_body() {
    let cases = [
        (
            r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#,
            "Incorrect API key provided",
        ),
        (r#"{"detail":[{"loc":["body","model"],"msg":"Field required","type":"missing"}]}"#, "Field required"),
        (r#"{"detail":"Not Found"}"#, "Not Found"),
        (r#"{"message":"rate limited","code":7}"#, "rate limited"),
        (r#"{"error":"invalid_grant","error_description":"the code expired"}"#, "the code expired"),
        (r#"{"error":"invalid_grant"}"#, "invalid_grant"),
        (r#"{"type":"about:blank","title":"Bad Request","status":400}"#, "Bad Request"),
        (r#"[{"message":""},{"message":"second"}]"#, "second"),
    ];
    for (body, message) in cases {
        let error = unexpected(400, body.as_bytes());
        assert_eq!(error.to_string(), format!("unexpected status 400 Bad Request: {message}"), "{body}");
        let error = api(400, Problem { code: 1 }, body);
        assert_eq!(error.to_string(), format!("the API answered 400 Bad Request: {message}"), "{body}");
    }
}

#[test]
fn display_falls_back_to_the_start_of_the_body_capped() {
    assert_eq!(
        unexpected(502, b"upstream timed out\n").to_string(),
        "unexpected status 502 Bad Gateway: upstream timed out"
    );
    // JSON without a message is shown as it came.
    assert_eq!(
        unexpected(500, br#"{"code":12}"#).to_string(),
        r#"unexpected status 500 Internal Server Error: {"code":12}"#
    );
    assert_eq!(unexpected(500, b"").to_string(), "unexpected status 500 Internal Server Error");
    assert_eq!(unexpected(500, b"\xff\xfe").to_string(), "unexpected status 500 Internal Server Error");
    let long = format!(r#"{{"message":"{}"}}"#, "é".repeat(5000));
    let shown = api(400, ErrorBody(serde_json::Value::Null), &long).to_string();
    assert!(shown.len() < 400, "{} bytes", shown.len());
    assert!(shown.ends_with("bytes more)"), "{shown}");
    assert!(shown.starts_with("the API answered 400 Bad Request: éé"), "{shown}");
}

/// Errors of operations with different error types meet in one function with `?`.
#[test]
fn errors_of_different_operations_convert_into_one() {
    fn typed() -> Result<(), Error<Problem>> {
        Err(api(409, Problem { code: 3 }, r#"{"code":3,"message":"taken"}"#))
    }
    fn untyped() -> Result<(), Error> {
        Err(unexpected(404, br#"{"detail":"gone"}"#))
    }
    fn both(first: bool) -> Result<(), Error> {
        if first {
            typed()?;
        }
        untyped()?;
        Ok(())
    }
    match both(true) {
        Err(Error::Api { status, body, raw, .. }) => {
            assert_eq!(status, StatusCode::CONFLICT);
            // The JSON as the server sent it, unknown fields included.
            assert_eq!(*body, serde_json::json!({"code": 3, "message": "taken"}));
            assert_eq!(&raw[..], br#"{"code":3,"message":"taken"}"#);
        }
        other => panic!("{other:?}"),
    }
    match both(false) {
        Err(error @ Error::UnexpectedStatus { .. }) => {
            assert_eq!(error.to_string(), "unexpected status 404 Not Found: gone")
        }
        other => panic!("{other:?}"),
    }
    let converted: Error = Error::<Problem>::InvalidRequest("no".into()).into();
    // Small enough for callers' `Result<_, Error>` to pass clippy's `result_large_err` (128 bytes).
    assert!(std::mem::size_of::<Error>() <= 128, "{}", std::mem::size_of::<Error>());
    assert!(matches!(converted, Error::InvalidRequest(message) if message == "no"));
}
