//! The generated `Deserialize` of structs that keep unknown properties and of
//! open enums (emit/deserialize.rs): what serde's derive did, read in one pass.

use golden::decode::types::{Record, RecordList, Status, Tallies};
use serde::de::DeserializeOwned;
use serde_json::json;

const RECORD: &str = r#"{"id": "r_1", "note": "n", "count": 3, "object": "thing", "limit": 5, "status": "active",
    "created-at": 7, "type": "plain", "child": {"name": "c", "depth": 2}, "flavour": {"new": [1, null]}}"#;

/// Reads `text` in each way a value reaches a `Deserialize`: borrowed from a
/// string, through a reader (no borrowing), from an owned and a borrowed `Value`.
fn read_every_way<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) -> T {
    let from_str: T = serde_json::from_str(text).unwrap();
    let from_reader: T = serde_json::from_reader(text.as_bytes()).unwrap();
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let from_borrowed_value = T::deserialize(&value).unwrap();
    let from_value: T = serde_json::from_value(value).unwrap();
    assert_eq!(from_str, from_reader);
    assert_eq!(from_str, from_borrowed_value);
    assert_eq!(from_str, from_value);
    from_str
}

fn path_error<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> (String, String) {
    let error = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(text)).unwrap_err();
    (error.path().to_string(), error.inner().to_string())
}

#[test]
fn declared_properties_go_to_their_fields_and_the_others_to_the_map() {
    let record: Record = read_every_way(RECORD);
    assert_eq!((record.id.as_str(), record.note.as_deref(), record.count), ("r_1", Some("n"), Some(3)));
    assert_eq!((record.object.as_str(), record.limit, &record.status), ("thing", 5, &Status::Active));
    assert_eq!((record.created_at, record.type_.as_str()), (7, "plain"));
    let child = record.child.as_ref().unwrap();
    assert_eq!(child.name, "c");
    assert_eq!(child.additional_properties.get("depth"), Some(json!(2)));
    assert_eq!(record.additional_properties.len(), 1);
    assert_eq!(record.additional_properties.get("flavour"), Some(json!({"new": [1, null]})));
    // Written back as received: an unknown property's text verbatim, spacing and all.
    assert!(serde_json::to_string(&record).unwrap().contains(r#""flavour":{"new": [1, null]}"#));
    let back = serde_json::to_value(&record).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(RECORD).unwrap());
}

#[test]
fn escaped_property_names_are_matched_unescaped() {
    let record: Record = read_every_way(&RECORD.replace(r#""id""#, r#""\u0069d""#).replace("flavour", r"fl\u0061vour"));
    assert_eq!(record.id, "r_1");
    assert!(record.additional_properties.contains_key("flavour"));
}

#[test]
fn absent_optional_nullable_and_defaulted_fields() {
    let text = r#"{"id": "r_2", "note": null, "status": "archived", "created-at": 1, "type": "t", "count": null}"#;
    let record: Record = read_every_way(text);
    assert_eq!((record.note, record.count, record.child), (None, None, None));
    assert_eq!((record.object.as_str(), record.limit), ("record", 20));
    assert!(record.additional_properties.is_empty());
    // A required nullable property may be left out too: it reads as `None`.
    let record: Record = read_every_way(r#"{"id": "r_3", "status": "active", "created-at": 1, "type": "t"}"#);
    assert_eq!(record.note, None);
}

#[test]
fn a_missing_required_property_is_an_error_naming_it() {
    let error = serde_json::from_str::<Record>(r#"{"id": "r", "status": "active", "type": "t"}"#).unwrap_err();
    assert!(error.to_string().starts_with("missing field `created-at`"), "{error}");
}

#[test]
fn a_property_given_twice_is_an_error() {
    let error = serde_json::from_str::<Tallies>(r#"{"total": 1, "total": 2}"#).unwrap_err();
    assert!(error.to_string().starts_with("duplicate field `total`"), "{error}");
}

#[test]
fn errors_carry_the_path_of_the_value() {
    let text = r#"{"data": [{"id": "r", "status": "active", "created-at": 1, "type": "t", "child": {"name": 5}}]}"#;
    let (path, message) = path_error::<RecordList>(text);
    assert_eq!(path, "data[0].child.name");
    assert!(message.starts_with("invalid type: integer `5`, expected a string"), "{message}");
    // An unknown property of a typed map is checked against the map's value type.
    let (path, message) = path_error::<RecordList>(r#"{"data": [], "tallies": {"total": 1, "extra": "x"}}"#);
    assert_eq!(path, "tallies.extra");
    assert!(message.starts_with("invalid type: string \"x\", expected i64"), "{message}");
}

#[test]
fn a_typed_map_keeps_the_other_properties() {
    let tallies: Tallies = read_every_way(r#"{"a": 1, "total": 3, "b": 2}"#);
    assert_eq!(tallies.total, 3);
    assert_eq!(tallies.additional_properties.into_iter().collect::<Vec<_>>(), [("a".into(), 1), ("b".into(), 2)]);
}

#[test]
fn an_object_is_expected() {
    let error = serde_json::from_str::<Tallies>("[1]").unwrap_err();
    assert!(error.to_string().starts_with("invalid type: sequence, expected struct Tallies"), "{error}");
}

#[test]
fn open_enums_read_known_and_unknown_values() {
    assert_eq!(read_every_way::<Status>(r#""archived""#), Status::Archived);
    assert_eq!(read_every_way::<Status>(r#""arch\u0069ved""#), Status::Archived);
    let other: Status = read_every_way(r#""frozen""#);
    assert_eq!(other, Status::Other("frozen".into()));
    assert_eq!(serde_json::to_string(&other).unwrap(), r#""frozen""#);
    let error = serde_json::from_str::<Status>("5").unwrap_err();
    assert!(error.to_string().starts_with("invalid type: integer `5`, expected a string"), "{error}");
}

#[test]
fn a_tagged_union_finds_its_tag_anywhere_and_reads_the_variant_it_names() {
    use golden::unknown_fields::types::{JobEvent, Started};
    // The tag last, escaped, and a nested object with a member of the tag's name.
    let text = r#"{"job_id": "j", "region": {"kind": "x"}, "kind": "st\u0061rted"}"#;
    let JobEvent::Started(started) = read_every_way::<JobEvent>(text) else { panic!("not `started`: {text}") };
    // The variant's struct does not declare the tag, so it does not keep it.
    assert_eq!(started, Started { job_id: "j".into(), additional_properties: started.additional_properties.clone() });
    assert_eq!(started.additional_properties.get("region"), Some(json!({"kind": "x"})));
    assert!(!started.additional_properties.contains_key("kind"));
    let finished = r#"{"kind": "finished", "job_id": "j", "progress": {"percent": 100}}"#;
    assert!(matches!(read_every_way::<JobEvent>(finished), JobEvent::Finished(_)));
    for (text, error) in [
        (
            r#"{"kind": "paused", "job_id": "j"}"#,
            "unknown `kind` value `paused`; expected one of `started`, `finished`",
        ),
        (r#"{"job_id": "j", "kind": null}"#, "missing tag field `kind`"),
        (r#"{"job_id": "j"}"#, "missing tag field `kind`"),
        (r#"[1]"#, "missing tag field `kind`"),
        (r#"{"kind": "finished"}"#, "missing field `job_id`"),
    ] {
        let message = serde_json::from_str::<JobEvent>(text).unwrap_err().to_string();
        assert!(message.starts_with(error), "{text}: {message}");
        let from_value = serde_json::from_value::<JobEvent>(serde_json::from_str(text).unwrap()).unwrap_err();
        assert!(from_value.to_string().starts_with(error), "{text}: {from_value}");
    }
}

#[test]
fn a_tagged_variant_reads_the_members_before_and_after_its_tag() {
    use golden::unknown_fields::types::JobEvent;
    // The tag first, in the middle and last: the variant gets every member, in order.
    for text in [
        r#"{"kind": "finished", "job_id": "j", "progress": {"percent": 100}, "host": "h"}"#,
        r#"{"job_id": "j", "kind": "finished", "progress": {"percent": 100}, "host": "h"}"#,
        r#"{"job_id": "j", "progress": {"percent": 100}, "host": "h", "kind": "finished"}"#,
    ] {
        let JobEvent::Finished(finished) = read_every_way::<JobEvent>(text) else { panic!("not `finished`: {text}") };
        assert_eq!((finished.job_id.as_str(), finished.progress.map(|p| p.percent)), ("j", Some(100)), "{text}");
        assert_eq!(finished.additional_properties.get("host"), Some(json!("h")), "{text}");
    }
}

#[test]
fn a_tag_given_twice_is_an_error() {
    use golden::unknown_fields::types::JobEvent;
    // Whether or not the variant's struct declares the tag.
    for text in [r#"{"kind": "finished", "job_id": "j", "kind": "finished"}"#, r#"{"kind": "started", "kind": "x"}"#] {
        let message = serde_json::from_str::<JobEvent>(text).unwrap_err().to_string();
        assert!(message.starts_with("duplicate field `kind`"), "{text}: {message}");
    }
}

#[test]
fn errors_of_a_tagged_union_carry_its_path() {
    use golden::unknown_fields::types::JobEvent;
    let path = |text: &str| path_error::<Vec<JobEvent>>(text);
    let started = r#"{"kind": "started", "job_id": "j"}"#;
    for (text, error) in [
        (format!(r#"[{started}, {{"job_id": "j", "kind": "paused"}}]"#), "unknown `kind` value `paused`"),
        (format!(r#"[{started}, {{"job_id": "j"}}]"#), "missing tag field `kind`"),
        (format!(r#"[{started}, {{"kind": 3}}]"#), "invalid type: integer `3`, expected a string"),
    ] {
        let (path, message) = path(&text);
        assert_eq!(path, "[1]", "{text}");
        assert!(message.starts_with(error), "{text}: {message}");
    }
    // The variant is read from the buffered object, which the path does not go into.
    let (path, message) = path(r#"[{"kind": "finished", "job_id": "j", "progress": {"percent": "all"}}]"#);
    assert_eq!(path, "[0]");
    assert!(message.starts_with("invalid type: string \"all\", expected i64"), "{message}");
}
