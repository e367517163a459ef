//! Lenient decoding of required fields that have a spec default: a server
//! that leaves them out still decodes, with the spec's default; a required
//! field without a default is still an error.

use golden::composition::types::{RequiredWithDefaults, RequiredWithDefaultsOrder};

#[test]
fn absent_required_fields_take_the_spec_default() {
    let value: RequiredWithDefaults = serde_json::from_str(r#"{"note": "n"}"#).unwrap();
    assert_eq!(value.object, "list");
    assert_eq!(value.limit, 20);
    assert!(value.strict);
    assert_eq!(value.ratio, 0.5);
    assert_eq!(value.order, RequiredWithDefaultsOrder::Desc);
}

#[test]
fn a_required_field_without_default_is_still_required() {
    let error = serde_json::from_str::<RequiredWithDefaults>("{}").unwrap_err();
    assert!(error.to_string().contains("missing field `note`"), "{error}");
}
