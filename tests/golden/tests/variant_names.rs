//! Names that say what a value is: union variants without the words they
//! share with the union, array and object branches named by their items and
//! properties, dated model ids that keep their numbers apart, and a FastAPI
//! body named after its operation. Tags and constants are unit types with a
//! `Default`: written without being given, refused when a value is another.

use golden::variant_names::forms::AddPartBody;
use golden::variant_names::types::{
    ChatEvent, ChatRequestMessage, ChatRequestModel, ChatRequestPrompt, ChatRequestShape, ChatRequestUserMessage,
    ChatRequestUserMessageRole,
};
use golden::variant_names::FilePart;
use serde_json::json;

#[test]
fn a_tagged_variant_is_named_by_what_it_adds_to_the_union() {
    let message: ChatRequestMessage = serde_json::from_str(r#"{"role": "user", "content": "hi"}"#).unwrap();
    assert!(
        matches!(&message, ChatRequestMessage::User(ChatRequestUserMessage { content, .. }) if content.as_deref() == Some("hi"))
    );
    let message: ChatRequestMessage = serde_json::from_str(r#"{"role": "system", "content": "be brief"}"#).unwrap();
    assert!(matches!(message, ChatRequestMessage::System(_)), "{message:?}");
}

#[test]
fn array_branches_are_named_by_their_items() {
    let read = |json: &str| serde_json::from_str::<ChatRequestPrompt>(json).unwrap();
    assert_eq!(read(r#""a""#), ChatRequestPrompt::String("a".into()));
    assert_eq!(read(r#"["a"]"#), ChatRequestPrompt::Strings(vec!["a".into()]));
    assert_eq!(read("[1, 2]"), ChatRequestPrompt::Integers(vec![1, 2]));
    assert_eq!(read("[[1], [2]]"), ChatRequestPrompt::IntegerArrays(vec![vec![1], vec![2]]));
}

#[test]
fn object_branches_are_named_by_their_required_properties() {
    let shape: ChatRequestShape = serde_json::from_str(r#"{"radius": 1.5}"#).unwrap();
    assert!(matches!(shape, ChatRequestShape::Radius(_)), "{shape:?}");
    let shape: ChatRequestShape = serde_json::from_str(r#"{"width": 1, "height": 2}"#).unwrap();
    assert!(matches!(shape, ChatRequestShape::WidthAndHeight(_)), "{shape:?}");
}

#[test]
fn dated_model_ids_keep_their_numbers_apart() {
    assert_eq!(ChatRequestModel::Gpt5_5_2026_04_23.as_str(), "gpt-5.5-2026-04-23");
    assert_eq!(ChatRequestModel::Gpt4o2024_08_06.as_str(), "gpt-4o-2024-08-06");
}

#[test]
fn a_fastapi_body_is_named_after_its_operation() {
    // The type is found by its short name; this compiling is the test.
    let _body = AddPartBody { part: FilePart::bytes(b"bytes".to_vec()) };
}

#[test]
fn a_tagged_union_value_is_built_without_its_tag_and_sent_with_it() {
    let message = ChatRequestMessage::User(ChatRequestUserMessage { content: Some("hi".into()), ..Default::default() });
    assert_eq!(serde_json::to_value(&message).unwrap(), json!({"role": "user", "content": "hi"}));
    // The struct alone writes its tag too.
    assert_eq!(serde_json::to_value(ChatRequestUserMessage::default()).unwrap(), json!({"role": "user"}));
    assert_eq!(ChatRequestUserMessageRole::VALUE, "user");
}

#[test]
fn a_constant_refuses_another_value() {
    let error = serde_json::from_str::<ChatRequestUserMessage>(r#"{"role": "system"}"#).unwrap_err().to_string();
    assert!(error.contains("invalid value: string \"system\", expected `user`"), "{error}");
    assert!(serde_json::from_str::<ChatRequestUserMessageRole>(r#""user""#).is_ok());
    assert!(serde_json::from_str::<ChatRequestUserMessageRole>("1").is_err());
}

#[test]
fn an_open_union_reads_a_tag_it_does_not_list_into_its_open_variant() {
    let event: ChatEvent = serde_json::from_value(json!({"type": "started", "at": 1})).unwrap();
    assert!(matches!(event, ChatEvent::Started(_)), "{event:?}");
    // `Started` knows more of the properties and is tried first; its constant refuses the type.
    let event: ChatEvent = serde_json::from_value(json!({"type": "stopped", "at": 2})).unwrap();
    assert!(matches!(&event, ChatEvent::Unlisted(unlisted) if unlisted.type_ == "stopped"), "{event:?}");
}
