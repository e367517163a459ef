//! The `webhooks` module generated from tests/fixtures/webhook_events.yaml: events
//! decode into the enum of their payloads (told apart by `type`), and
//! Standard Webhooks signatures are checked as the published test vector says.

use std::time::{Duration, UNIX_EPOCH};

use golden::webhook_events::types::{JobFailed, JobFailedData, JobFailedType, WebhookEvent};
use golden::webhook_events::webhooks::{decode_event, unwrap, verify_at, WebhookError, DEFAULT_TOLERANCE};
use http::HeaderMap;

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", id.parse().unwrap());
    headers.insert("webhook-timestamp", timestamp.parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    headers
}

/// The Standard Webhooks specification's test vector (also checked with Python's `hmac`).
const VECTOR_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const VECTOR_BODY: &[u8] = br#"{"test": 2432232314}"#;
const VECTOR_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn vector_headers(signature: &str) -> HeaderMap {
    headers("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", signature)
}

fn at(seconds: u64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn the_published_test_vector_verifies() {
    verify_at(VECTOR_BODY, &vector_headers(VECTOR_SIGNATURE), VECTOR_SECRET, at(1614265330), DEFAULT_TOLERANCE)
        .unwrap();
    // Any one of several signatures may match (keys being rotated).
    let several = format!("v1,bm90LXRoZS1zaWduYXR1cmU= v2,ignored {VECTOR_SIGNATURE}");
    verify_at(VECTOR_BODY, &vector_headers(&several), VECTOR_SECRET, at(1614265330 + 299), DEFAULT_TOLERANCE).unwrap();
}

#[test]
fn tampering_and_old_or_future_timestamps_are_refused() {
    let check = |body: &[u8], headers: &HeaderMap, secret: &str, now: u64| {
        verify_at(body, headers, secret, at(now), DEFAULT_TOLERANCE).unwrap_err()
    };
    let now = 1614265330;
    assert_eq!(
        check(br#"{"test": 2432232315}"#, &vector_headers(VECTOR_SIGNATURE), VECTOR_SECRET, now),
        WebhookError::InvalidSignature
    );
    let flipped = VECTOR_SIGNATURE.replace("g0hM", "g0hN");
    assert_eq!(check(VECTOR_BODY, &vector_headers(&flipped), VECTOR_SECRET, now), WebhookError::InvalidSignature);
    assert_eq!(
        check(VECTOR_BODY, &vector_headers(VECTOR_SIGNATURE), "whsec_c2VjcmV0", now),
        WebhookError::InvalidSignature
    );
    // The signature covers the id and the timestamp too.
    assert_eq!(
        check(VECTOR_BODY, &headers("msg_other", "1614265330", VECTOR_SIGNATURE), VECTOR_SECRET, now),
        WebhookError::InvalidSignature
    );
    assert_eq!(
        check(VECTOR_BODY, &vector_headers(VECTOR_SIGNATURE), VECTOR_SECRET, now + 301),
        WebhookError::TimestampOutOfTolerance
    );
    assert_eq!(
        check(VECTOR_BODY, &vector_headers(VECTOR_SIGNATURE), VECTOR_SECRET, now - 301),
        WebhookError::TimestampOutOfTolerance
    );
    assert_eq!(
        check(VECTOR_BODY, &headers("msg_p5jXN8AQM9LWM0D4loKWxJek", "soon", VECTOR_SIGNATURE), VECTOR_SECRET, now),
        WebhookError::InvalidTimestamp
    );
    assert_eq!(
        check(VECTOR_BODY, &vector_headers(VECTOR_SIGNATURE), "whsec_not base64!", now),
        WebhookError::InvalidSecret
    );
    let mut missing = vector_headers(VECTOR_SIGNATURE);
    missing.remove("webhook-signature");
    assert_eq!(check(VECTOR_BODY, &missing, VECTOR_SECRET, now), WebhookError::MissingHeader("webhook-signature"));
}

#[test]
fn events_decode_into_the_variant_of_their_type() {
    let body = br#"{"id":"evt_1","type":"job.failed","data":{"job_id":"job_9","error":"out of memory"}}"#;
    let expected = WebhookEvent::JobFailed(JobFailed {
        id: "evt_1".into(),
        type_: JobFailedType,
        data: JobFailedData { job_id: "job_9".into(), error: "out of memory".into() },
    });
    assert_eq!(decode_event(body).unwrap(), expected);
    let progress = decode_event(br#"{"id":"evt_2","type":"job.progress","percent":40}"#).unwrap();
    assert!(
        matches!(progress, WebhookEvent::JobProgress(ref p) if p.percent == 40),
        "the callback's payload: {progress:?}"
    );
    let error = decode_event(br#"{"id":"evt_3","type":"job.failed","data":{"job_id":"job_9"}}"#).unwrap_err();
    assert!(matches!(&error, WebhookError::Decode { message, .. } if message.contains("error")), "{error:?}");
}

#[test]
fn unwrap_checks_the_signature_at_the_current_time_then_decodes() {
    let body = br#"{"id":"evt_1","type":"job.failed","data":{"job_id":"job_9","error":"out of memory"}}"#;
    let secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=";
    // An old timestamp: the signature (computed with Python's hmac for 1700000000) is right, but stale.
    let stale = headers("msg_42", "1700000000", "v1,8wixbhQhdhgYuXvgfnlg0uNW+knAwtAeujeQ65GY0Aw=");
    assert_eq!(unwrap(body, &stale, secret).unwrap_err(), WebhookError::TimestampOutOfTolerance);
    verify_at(body, &stale, secret, at(1700000000), DEFAULT_TOLERANCE).unwrap();
    // A fresh one, signed here with the same primitives the module uses.
    let now = std::time::SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs().to_string();
    let fresh = headers("msg_42", &now, &sign("c2VjcmV0LWtleS1mb3ItdGVzdHM=", "msg_42", &now, body));
    assert!(matches!(unwrap(body, &fresh, secret).unwrap(), WebhookEvent::JobFailed(_)));
    assert_eq!(unwrap(b"{}", &fresh, secret).unwrap_err(), WebhookError::InvalidSignature);
}

fn sign(key: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
    use base64::Engine as _;
    use hmac::Mac as _;
    let key = base64::engine::general_purpose::STANDARD.decode(key).unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}
