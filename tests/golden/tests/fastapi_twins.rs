//! FastAPI's `X-Input`/`X-Output` twins that say the same are one type: a
//! column the server returned is sent back as it is.

use golden::fastapi_twins::types::{
    ColumnSchemaInput, ColumnSchemaOutput, DatasetInput, DatasetOutput, LabelInput, LabelOutput,
};
use serde_json::json;

#[test]
fn a_returned_column_is_sent_back_as_it_is() {
    let returned = json!({"name": "tags", "type": {"item": {"item": {"primitive": "string"}}}});
    let column: ColumnSchemaOutput = serde_json::from_value(returned.clone()).unwrap();
    let dataset = DatasetInput { name: "copy".into(), columns: vec![column as ColumnSchemaInput] };
    assert_eq!(serde_json::to_value(&dataset).unwrap(), json!({"name": "copy", "columns": [returned]}));
}

#[test]
fn twins_that_differ_stay_two_types() {
    let output: DatasetOutput = serde_json::from_value(json!({"id": "d1", "name": "n", "columns": []})).unwrap();
    assert_eq!(output.id, "d1");
}

#[test]
fn a_returned_dataset_converts_into_one_to_send() {
    let returned = json!({"id": "d1", "name": "n", "columns": [{"name": "c", "type": {"primitive": "integer"}}]});
    let output: DatasetOutput = serde_json::from_value(returned).unwrap();
    // The output's own `id` is dropped: the server writes it.
    let input = DatasetInput::from(output);
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"name": "n", "columns": [{"name": "c", "type": {"primitive": "integer"}}]})
    );
}

#[test]
fn an_input_converts_into_an_output_that_makes_its_fields_optional() {
    let output: LabelOutput = LabelInput::new("urgent").color("red").into();
    // A response-only type has no setters under a client alone: a struct literal builds it.
    assert_eq!(output, LabelOutput { text: Some("urgent".into()), ..Default::default() });
}
