//! The path and message of a decoding failure, as the runtime works them out
//! from the body after the failure (`apigen_runtime::from_json`), against
//! serde_path_to_error's, which tracks them while reading (what the client
//! used before): equal for every malformed body made from valid ones by
//! truncating them, replacing a byte, dropping or repeating a member. The
//! one difference is by design: a syntax error inside a value the type keeps
//! as text (an unknown property, a tagged union) or skips is located inside
//! that value, where serde_path_to_error stops at the value.

use golden::construct::types::{ChatRequest, ChatResponse, Content, Message};
use golden::decode::types::{Record, RecordList};
use golden::discriminator_fallback::types::Entry;
use golden::spec_openai::types::Upload;
use golden::unions::types::{Annotation, Recipient};
use serde::de::DeserializeOwned;

/// The path and message through serde_path_to_error, or `None` if `body` reads.
fn tracked<T: DeserializeOwned>(body: &[u8]) -> Option<(String, String)> {
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(deserializer)
        .err()
        .map(|error| (error.path().to_string(), error.into_inner().to_string()))
}

/// The path and message through the runtime, and whether the body breaks
/// JSON's syntax, or `None` if `body` reads.
fn located<T: DeserializeOwned>(body: &[u8]) -> Option<(String, String, bool)> {
    apigen_runtime::from_json::<T>(body).err().map(|failure| {
        let syntax = failure.error.is_syntax() || failure.error.is_eof();
        (failure.path.to_string(), failure.error.to_string(), syntax)
    })
}

/// Bodies made from `valid`: each prefix, each byte replaced by another
/// token's, and each top-level-or-nested member dropped or given twice.
fn malformed(valid: &str) -> Vec<Vec<u8>> {
    let bytes = valid.as_bytes();
    let mut bodies = Vec::new();
    for end in 0..bytes.len() {
        bodies.push(bytes[..end].to_vec());
    }
    for at in 0..bytes.len() {
        for replacement in
            [b"x".as_slice(), b"\"", b"1", b"{", b"}", b"[", b"]", b",", b":", b"null", b"\"s\"", b"{}", b"[]"]
        {
            let mut body = bytes[..at].to_vec();
            body.extend_from_slice(replacement);
            body.extend_from_slice(&bytes[at + 1..]);
            bodies.push(body);
        }
    }
    // A member (from its key to the comma after it) dropped or repeated.
    let text = valid;
    for (start, _) in text.match_indices("\"") {
        let rest = &text[start..];
        let Some(colon) = rest[1..].find("\": ") else { continue };
        if rest[1..=colon].contains('"') {
            continue;
        }
        if let Some(comma) = rest.find(", \"") {
            let member = &rest[..comma + 2];
            bodies.push(format!("{}{}", &text[..start], &rest[comma + 2..]).into_bytes());
            bodies.push(format!("{}{member}{rest}", &text[..start]).into_bytes());
        }
    }
    bodies
}

/// Bodies that failed to read: with equal paths, and with syntax errors located inside a value kept as text.
#[derive(Debug, Default)]
struct Failures {
    same: usize,
    deeper: usize,
}

/// Asserts the two ways agree on every malformed body made from `valid`.
fn same_paths<T: DeserializeOwned>(valid: &str) -> Failures {
    assert!(located::<T>(valid.as_bytes()).is_none(), "{valid}");
    let mut failures = Failures::default();
    for body in malformed(valid) {
        let shown = String::from_utf8_lossy(&body);
        match (tracked::<T>(&body), located::<T>(&body)) {
            (None, None) => {}
            (Some((tracked_path, tracked_message)), Some((path, message, syntax))) => {
                assert_eq!(message, tracked_message, "{shown}");
                if path == tracked_path {
                    failures.same += 1;
                } else {
                    // Inside the value serde_path_to_error names: `.` is the document, `[` and `.` start a step.
                    let inside = tracked_path == "."
                        || path.strip_prefix(&tracked_path).is_some_and(|rest| rest.starts_with(['.', '[']));
                    assert!(syntax && inside, "{shown}: {path} against {tracked_path}");
                    failures.deeper += 1;
                }
            }
            (tracked, located) => panic!("{shown}: {tracked:?} against {located:?}"),
        }
    }
    failures
}

#[test]
fn paths_and_messages_are_serde_path_to_errors() {
    let failures = [
        same_paths::<Record>(
            r#"{"id": "r_1", "note": "n", "count": 3, "object": "thing", "limit": 5, "status": "active",
            "created-at": 7, "type": "plain", "child": {"name": "c", "depth": 2}}"#,
        ),
        same_paths::<RecordList>(
            r#"{"data": [{"id": "a", "object": "thing", "limit": 1, "status": "active", "created-at": 1, "type": "t"},
            {"id": "b", "object": "thing", "limit": 2, "status": "gone", "created-at": 2, "type": "t"}]}"#,
        ),
        same_paths::<Upload>(
            r#"{"id": "u", "object": "upload", "bytes": 10, "created_at": 1, "filename": "f.txt", "purpose": "p",
            "status": "pending", "expires_at": 2}"#,
        ),
        same_paths::<ChatResponse>(r#"{"id": "c", "object": "chat.completion", "choices": ["a", "b"]}"#),
        same_paths::<Vec<Message>>(
            r#"[{"role": "system", "content": "be brief"}, {"role": "user", "content": [{"type": "text", "text": "hi"}]}]"#,
        ),
        same_paths::<Content>(r#"[{"type": "text", "text": "hi"}, {"type": "text", "text": "there"}]"#),
        same_paths::<ChatRequest>(
            r#"{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.5, "max_tokens": 9}"#,
        ),
        same_paths::<Vec<Annotation>>(r#"[{"text": "a caption"}, {"width": 3}]"#),
        same_paths::<Recipient>(r#"{"email": "a@b.c"}"#),
        // An untagged union with a tagged one among its variants, whose errors carry positions in their text.
        same_paths::<Vec<Entry>>(
            r#"[{"type": "reference", "id": "r"}, {"type": "note", "user": "u"}, {"text": "t"}, {"type": "note", "text": "n"}]"#,
        ),
    ];
    // The bodies must exercise failures, not only readable variations.
    assert!(failures.iter().all(|count| count.same > 150), "{failures:?}");
    // Syntax errors inside an unknown property (captured as text) are the deeper ones; tagged
    // unions are read through a buffer of their members, so their paths are all the same.
    assert!(failures[0].deeper > 0 && failures[4].deeper == 0, "{failures:?}");
}

/// A union's error is made once its whole value is read, and serde_json
/// places it past the value, here past the body's end (the union is the
/// array's last element): the path comes from the union's value instead.
#[test]
fn a_union_that_ends_its_array_is_found_by_its_value() {
    let body = br#"[{"type": "note", "text": "n"}, {"type": "reference"}]"#;
    let (path, message, _) = located::<Vec<Entry>>(body).unwrap();
    let (tracked_path, tracked_message) = tracked::<Vec<Entry>>(body).unwrap();
    assert_eq!((path.as_str(), message.as_str()), (tracked_path.as_str(), tracked_message.as_str()));
    assert_eq!(path, "[1]");
    assert!(message.ends_with("as `Part`: missing field `id` at line 1 column 54"), "{message}");
}
