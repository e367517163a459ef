//! Values built with the generated constructors, setters and `From`
//! conversions serialize to the JSON a struct literal would.

use golden::construct::types::{
    ChatRequest, ChatResponse, Content, Limits, LimitsMode, Message, Metadata, SameShapes, SystemMessage, TextPart,
    Tool, UserMessage, Wide, WordOrWords,
};
use golden::unions::types::{Bird, Cat, Order, Pet, Square};
use serde_json::{json, Value};

fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn a_chat_request_reads_like_a_hand_written_sdk() {
    let request = ChatRequest::new("gpt-4o", [SystemMessage::from("Be brief.").into(), UserMessage::from("Hi").into()])
        .temperature(0.5)
        .max_tokens(64)
        .stop(["\n", "END"].map(String::from).to_vec());
    assert_eq!(
        to_json(&request),
        json!({
            "model": "gpt-4o",
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
            "temperature": 0.5,
            "max_tokens": 64,
            "stop": ["\n", "END"],
        })
    );
}

#[test]
fn setters_box_and_wrap_and_take_names_that_clash_with_methods() {
    let metadata = Metadata::from([("team".to_string(), "a".to_string())]);
    let request = ChatRequest::new("custom-model", Vec::<Message>::new())
        .metadata(metadata)
        .tool(Tool::from("search"))
        .stop("STOP")
        .with_new(true)
        .with_clone("x")
        .with_is_default(false)
        .to("y");
    assert_eq!(
        to_json(&request),
        json!({
            "model": "custom-model",
            "messages": [],
            "metadata": {"team": "a"},
            "tool": {"name": "search"},
            "stop": "STOP",
            "new": true,
            "clone": "x",
            "is_default": false,
            "to": "y",
        })
    );
}

#[test]
fn a_string_becomes_the_message_it_is_the_content_of() {
    let parts = Content::from(vec![TextPart::from("a"), TextPart::new("b")]);
    let message: Message = UserMessage::new(parts).into();
    assert_eq!(
        to_json(&message),
        json!({"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]})
    );
}

#[test]
fn one_value_fields_and_defaults_are_filled_in() {
    // `object` has one value only; the response's map of unknown fields starts empty.
    let response = ChatResponse::new("r1", vec!["a".to_string()]);
    assert_eq!(to_json(&response), json!({"id": "r1", "object": "chat.completion", "choices": ["a"]}));
    assert_eq!(to_json(&Limits::default()), json!({"retries": 3, "mode": "fast"}));
    assert_eq!(to_json(&Limits::default().retries(5).mode(LimitsMode::Slow)), json!({"retries": 5, "mode": "slow"}));
}

#[test]
fn open_enums_and_unions_convert_from_literals() {
    assert_eq!(LimitsMode::from("slow"), LimitsMode::Slow);
    assert_eq!(LimitsMode::from("turbo".to_string()), LimitsMode::Other("turbo".to_string()));
    assert_eq!(SameShapes::from("w"), SameShapes::Word("w".to_string()));
    assert_eq!(SameShapes::from(7), SameShapes::Integer(7));
    assert_eq!(WordOrWords::from("w"), WordOrWords::from("w".to_string()));
    assert_eq!(to_json(&WordOrWords::from(vec!["a".to_string()])), json!(["a"]));
    // An array variant takes an array literal, of `&str` where it holds strings.
    assert_eq!(WordOrWords::from(["a", "b"]), WordOrWords::from(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(to_json(&Content::from([TextPart::from("a")])), json!([{"type": "text", "text": "a"}]));
    let wide = Wide::new("a", "b", "c", "d", "e", "f", "g", 8);
    assert_eq!(to_json(&wide)["h"], json!(8));
}

#[test]
fn a_union_converts_from_each_variant() {
    let pets: Vec<Pet> = vec![Cat::new("Tom").indoor(true).into(), Bird::new(0.3).into()];
    let order = Order::new(Cat::from("Felix"), Square::new(2.0), "gpt-4o-mini").quantity(3).pets(pets);
    assert_eq!(
        to_json(&order),
        json!({
            "pet": {"type": "cat", "name": "Felix"},
            "shape": {"kind": "square", "side": 2.0},
            "model": "gpt-4o-mini",
            "quantity": 3,
            "pets": [{"type": "cat", "name": "Tom", "indoor": true}, {"type": "bird", "wingspan": 0.3}],
        })
    );
}

/// A free-form object is the `json!` value itself, as a hand-written SDK takes it.
#[test]
fn a_free_form_object_is_written_with_json() {
    let schema = json!({"type": "object", "properties": {"city": {"type": "string"}}});
    let tool = Tool::new("weather").parameters(schema.clone());
    assert_eq!(to_json(&tool), json!({"name": "weather", "parameters": schema}));
    let decoded: Tool = serde_json::from_value(json!({"name": "w", "parameters": {"a": [1]}})).unwrap();
    assert_eq!(decoded.parameters.unwrap()["a"][0], 1);
}
