//! Untagged unions: only variants of the value's JSON kind are tried, an
//! object goes to the variant that knows most of its properties, and a value
//! no variant reads is an error that says why the closest one did not.

use golden::unions::types::{Annotation, Recipient, StringOrStringArray};

#[test]
fn an_object_goes_to_the_variant_that_knows_its_properties() {
    let value: Annotation = serde_json::from_str(r#"{"text": "a caption"}"#).unwrap();
    assert!(matches!(value, Annotation::Caption(_)), "{value:?}");
    let value: Annotation = serde_json::from_str(r#"{"width": 3}"#).unwrap();
    assert!(matches!(value, Annotation::BoxType(_)), "{value:?}");
}

#[test]
fn no_matching_variant_names_the_closest_and_why() {
    let error = serde_json::from_str::<Recipient>(r#"{"email": 5}"#).unwrap_err().to_string();
    assert!(
        error.starts_with(
            "no variant of `Recipient` matches; as `EmailRef`: invalid type: integer `5`, expected a string"
        ),
        "{error}"
    );
}

#[test]
fn a_variant_that_knows_none_of_the_properties_does_not_swallow_the_object() {
    // `Box` would read it by dropping `text`; the error of `Caption`, which knows `text`, says what is wrong.
    let error = serde_json::from_str::<Annotation>(r#"{"text": 5}"#).unwrap_err().to_string();
    assert!(
        error.starts_with(
            "no variant of `Annotation` matches; as `Caption`: invalid type: integer `5`, expected a string"
        ),
        "{error}"
    );
}

#[test]
fn only_variants_of_the_values_kind_are_tried() {
    // The string variant cannot read an array, so the error is the array variant's.
    let error = serde_json::from_str::<StringOrStringArray>("[1]").unwrap_err().to_string();
    assert!(
        error.starts_with(
            "no variant of `StringOrStringArray` matches; as `Strings`: invalid type: integer `1`, expected a string"
        ),
        "{error}"
    );
    let error = serde_json::from_str::<StringOrStringArray>("true").unwrap_err().to_string();
    assert!(error.starts_with("no variant of `StringOrStringArray` reads a JSON boolean"), "{error}");
}
