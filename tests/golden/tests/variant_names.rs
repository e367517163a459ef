//! Names that say what a value is: union variants without the words they
//! share with the union, array and object branches named by their items and
//! properties, dated model ids that keep their numbers apart, and a FastAPI
//! body named after its operation.

use golden::variant_names::forms::AddPartBody;
use golden::variant_names::types::{
    ChatRequestMessage, ChatRequestModel, ChatRequestPrompt, ChatRequestShape, ChatRequestUserMessage,
};
use golden::variant_names::FilePart;

#[test]
fn a_tagged_variant_is_named_by_what_it_adds_to_the_union() {
    let message: ChatRequestMessage = serde_json::from_str(r#"{"role": "user", "content": "hi"}"#).unwrap();
    assert!(matches!(&message, ChatRequestMessage::User(ChatRequestUserMessage { content, .. }) if content == "hi"));
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
