//! `contentEncoding: base64` and `format: byte` are bytes that travel as
//! base64 text (tests/fixtures/content_vocabulary.yaml).

use golden::content_vocabulary::types::{Attachment, Base64Bytes};
use serde_json::json;

#[test]
fn base64_fields_read_bytes_and_write_standard_padded_text() {
    let attachment: Attachment =
        serde_json::from_value(json!({"data": "iVBORw0KGgo=", "legacy": "AP8=", "chunks": ["aGVsbG8=", ""]})).unwrap();
    assert_eq!(attachment.data.0, b"\x89PNG\r\n\x1a\n");
    assert_eq!(attachment.legacy.as_deref(), Some(&[0x00, 0xff][..]));
    assert_eq!(attachment.chunks.as_ref().unwrap(), &[Base64Bytes(b"hello".to_vec()), Base64Bytes::default()]);
    let written = serde_json::to_value(Attachment {
        data: vec![0xfb, 0xff].into(),
        legacy: None,
        preview: None,
        chunks: None,
        url_safe: None,
    })
    .unwrap();
    assert_eq!(written, json!({"data": "+/8="}));
}

#[test]
fn base64_reads_what_servers_send() {
    for (text, bytes) in [
        ("+/8=", &[0xfb, 0xff][..]),
        ("+/8", &[0xfb, 0xff]),
        ("-_8=", &[0xfb, 0xff]),
        ("-_8", &[0xfb, 0xff]),
        ("", &[]),
    ] {
        let read: Base64Bytes = serde_json::from_value(json!(text)).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(read.0, bytes, "{text:?}");
    }
}

#[test]
fn text_that_is_not_base64_is_an_error() {
    let error = serde_json::from_value::<Attachment>(json!({"data": "not base64!"})).unwrap_err();
    assert!(error.to_string().starts_with("not base64"), "{error}");
    assert!(serde_json::from_value::<Base64Bytes>(json!(42)).is_err());
}
