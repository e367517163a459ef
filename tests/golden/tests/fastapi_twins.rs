//! FastAPI's `X-Input`/`X-Output` twins that say the same are one type: a
//! column the server returned is sent back as it is.

use golden::fastapi_twins::types::{ColumnSchemaInput, ColumnSchemaOutput, DatasetInput, DatasetOutput};
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
