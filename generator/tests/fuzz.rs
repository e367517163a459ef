//! Property tests: no input makes apigen panic, and whatever it generates parses.
//!
//! CI runs proptest's default 256 cases per property. To search longer:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test -p apigen --release --test fuzz
//! ```
//!
//! A failure prints the smallest input proptest found; turn it into a named
//! test in `tests/bad_specs.rs` (or below) before fixing it.

use apigen::{generate, Options};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Runs the whole pipeline; when it succeeds, the output must be Rust that parses.
fn assert_generates_rust_or_reports(file: &str, bytes: &[u8]) {
    match generate(file, bytes, &Options::default()) {
        Ok(generated) => {
            if let Err(error) = syn::parse_file(&generated.code) {
                panic!("generated code does not parse: {error}\n{}", generated.code);
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

/// Text made mostly of YAML's and JSON's indicators, so it reaches deep into the parsers.
fn yamlish_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("openapi: 3.1.0\n".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(": ".to_string()),
        Just(", ".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("|\n".to_string()),
        Just("&a ".to_string()),
        Just("*a ".to_string()),
        Just("<<: ".to_string()),
        Just("? ".to_string()),
        Just("# c\n".to_string()),
        Just("!!str ".to_string()),
        Just("---\n".to_string()),
        "[a-z0-9$#/~.]{1,8}",
        Just("-9223372036854776000".to_string()),
        Just("1e999".to_string()),
    ];
    prop::collection::vec(pieces, 0..80).prop_map(|pieces| pieces.concat())
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z$/{}~ ]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keyword(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Keys that OpenAPI gives meaning to, and a few it does not.
fn keyword() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "openapi",
        "info",
        "title",
        "version",
        "paths",
        "components",
        "schemas",
        "type",
        "items",
        "properties",
        "required",
        "anyOf",
        "oneOf",
        "allOf",
        "$ref",
        "nullable",
        "enum",
        "const",
        "get",
        "responses",
        "200",
        "content",
        "schema",
        "parameters",
        "name",
        "in",
        "x-y",
        "additionalProperties",
        "prefixItems",
        "discriminator",
    ])
    .prop_map(str::to_string)
}

const SCHEMA_NAMES: [&str; 7] = ["Pet", "pet", "Type", "self", "A-B", "Option", "x²"];

fn schema_ref() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => prop::sample::select(SCHEMA_NAMES.to_vec()).prop_map(|name| json!({"$ref": format!("#/components/schemas/{name}")})),
        1 => Just(json!({"$ref": "#/components/schemas/Missing"})),
        1 => Just(json!({"$ref": "other.yaml#/Pet"})),
    ]
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["string", "integer", "number", "boolean", "null", "object", "array"])
            .prop_map(|t| json!({"type": t})),
        prop::sample::select(vec!["int32", "uint64", "binary", "float", "date-time", "weird"])
            .prop_map(|f| json!({"type": "string", "format": f})),
        prop::collection::vec("[a-z0-9 +./-]{0,5}", 1..4).prop_map(|values| json!({"type": "string", "enum": values})),
        "[a-z]{0,4}".prop_map(|value| json!({"const": value})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": ["integer", "string"]})),
        Just(json!({"type": "integer", "minimum": -9.223372036854776e18})),
        Just(json!({})),
        Just(json!(true)),
        Just(json!({"required": ["a"]})),
        schema_ref(),
    ]
}

fn property_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "type",
        "additional_properties",
        "self",
        "1st",
        "foo-bar",
        "Foo",
        "",
        "@id",
        "variant",
        "Ⓐ",
        "\u{301}é",
    ])
    .prop_map(str::to_string)
}

fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(5, 48, 4, |inner| {
        let list = prop::collection::vec(inner.clone(), 1..4);
        prop_oneof![
            (prop::collection::vec((property_name(), inner.clone()), 0..4), prop::collection::vec(property_name(), 0..2)).prop_map(
                |(properties, required)| json!({"type": "object", "properties": properties.into_iter().collect::<Map<_, _>>(), "required": required})
            ),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            inner.clone().prop_map(|value| json!({"type": "object", "additionalProperties": value})),
            list.clone().prop_map(|branches| json!({"anyOf": branches})),
            list.clone().prop_map(|branches| json!({"oneOf": branches, "discriminator": {"propertyName": "type"}})),
            list.clone().prop_map(|parts| json!({"allOf": parts})),
            list.clone().prop_map(|items| json!({"prefixItems": items})),
            (list, inner.clone()).prop_map(|(branches, property)| json!({"anyOf": branches, "type": "object", "properties": {"x": property}})),
            inner.clone().prop_map(|schema| json!({"anyOf": [schema, {"type": "null"}], "description": "d"})),
            inner.prop_map(|schema| match schema {
                Value::Object(mut map) => {
                    map.insert("nullable".into(), json!(true));
                    Value::Object(map)
                }
                other => other,
            }),
        ]
    })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop::sample::select(vec!["listPets", "list_pets", "get", "type", "a-b"])),
        prop::collection::vec((prop::sample::select(vec!["id", "q", "type"]), prop::sample::select(vec!["path", "query", "header"]), schema()), 0..3),
        prop::option::of((prop::sample::select(vec!["application/json", "multipart/form-data", "text/plain", "application/octet-stream"]), schema())),
        prop::collection::vec((prop::sample::select(vec!["200", "201", "204", "4XX", "default"]), prop::option::of(schema())), 1..3),
    )
        .prop_map(|(id, parameters, body, responses)| {
            let mut operation = json!({
                "parameters": parameters.into_iter().map(|(name, location, schema)| json!({"name": name, "in": location, "required": location == "path", "schema": schema})).collect::<Vec<_>>(),
                "responses": responses.into_iter().map(|(status, schema)| {
                    let response = match schema {
                        Some(schema) => json!({"description": "r", "content": {"application/json": {"schema": schema}}}),
                        None => json!({"description": "r"}),
                    };
                    (status.to_string(), response)
                }).collect::<Map<_, _>>(),
            });
            if let Some(id) = id {
                operation["operationId"] = json!(id);
            }
            if let Some((media_type, schema)) = body {
                operation["requestBody"] = json!({"content": {media_type: {"schema": schema}}});
            }
            operation
        })
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["3.0.3", "3.1.0"]),
        prop::collection::vec((prop::sample::select(SCHEMA_NAMES.to_vec()), schema()), 0..6),
        prop::collection::vec(
            (prop::sample::select(vec!["/pets", "/pets/{id}", "/{type}/{id}", "/a/{b}/c"]), prop::sample::select(vec!["get", "post", "delete"]), operation()),
            0..4,
        ),
    )
        .prop_map(|(version, schemas, operations)| {
            let mut paths = Map::new();
            for (template, method, operation) in operations {
                let item = paths.entry(template.to_string()).or_insert_with(|| json!({}));
                item[method] = operation;
            }
            json!({
                "openapi": version,
                "info": {"title": "fuzz", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas.into_iter().map(|(name, schema)| (name.to_string(), schema)).collect::<Map<_, _>>()},
            })
        })
}

/// Found by `generated_documents_give_rust_that_parses`: finding the tag of a
/// union whose branch merges the union back in recursed without end.
#[test]
fn union_whose_branch_merges_the_union_itself() {
    let spec = br##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"pet": {"oneOf": [{"$ref": "#/components/schemas/pet", "nullable": true}]}}}}"##;
    assert_generates_rust_or_reports("pet.json", spec);
}

/// Found while auditing: `is_alphanumeric` kept `²`, and `Ident::new` panicked on `X²`.
#[test]
fn names_with_characters_no_identifier_may_hold() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \"x²\": {type: object, properties: {\"a²\": {type: string}, Ⓐ: {type: string, enum: [½, ²]}}}\n";
    assert_generates_rust_or_reports("names.yaml", spec.as_bytes());
}

/// Found by `generated_documents_give_rust_that_parses`: flattening a union
/// into an object built the union again when its branch merged it back in.
/// An inline type is now known before it is built, so reaching it again refers to it.
#[test]
fn union_merged_back_into_its_own_branch() {
    let spec = br##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"X": {"anyOf": [{"allOf": [{}, {"$ref": "#/components/schemas/X"}]}]}}}}"##;
    assert_generates_rust_or_reports("x.json", spec);
}

/// Found by `generated_documents_give_rust_that_parses`, the same recursion
/// through a property that merges its own parent.
#[test]
fn property_merging_its_own_parent() {
    let spec = br##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"Type": {"properties": {"Foo": {"allOf": [true, {"$ref": "#/components/schemas/Type"}]}}}}}}"##;
    assert_generates_rust_or_reports("type.json", spec);
}

proptest! {
    #[test]
    fn the_loader_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = apigen::load::load("fuzz.yaml", &bytes);
    }

    #[test]
    fn the_loader_takes_any_yamlish_text(text in yamlish_text()) {
        let _ = apigen::load::load("fuzz.yaml", text.as_bytes());
    }

    #[test]
    fn the_pipeline_takes_any_json_value(value in arbitrary_json()) {
        let json = serde_json::to_vec(&value).expect("a JSON value serializes");
        assert_generates_rust_or_reports("fuzz.json", &json);
    }

    #[test]
    fn generated_documents_give_rust_that_parses(document in document()) {
        let json = serde_json::to_vec(&document).expect("a JSON value serializes");
        assert_generates_rust_or_reports("fuzz.json", &json);
        let yaml = serde_yaml::to_string(&document).expect("a JSON value serializes as YAML");
        assert_generates_rust_or_reports("fuzz.yaml", yaml.as_bytes());
    }
}
