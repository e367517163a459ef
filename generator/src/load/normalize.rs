//! Reconciles OpenAPI 3.1 (JSON Schema 2020-12) with the 3.0 model of the
//! `openapiv3` crate.
//!
//! `openapiv3` models 3.0 only: it has no `type` arrays, no `type: 'null'`, no
//! `const`, no `examples` on schemas, no numeric `exclusiveMinimum`, and it drops
//! the siblings of a `$ref`. Rather than fork it, this pass rewrites the JSON
//! value of a 3.1 (or 3.0) document into the 3.0 shape that says the same
//! thing, before `openapiv3` reads it:
//!
//! | 3.1 | 3.0 shape produced |
//! |---|---|
//! | `type: [T, 'null']` | `type: T, nullable: true` |
//! | `anyOf`/`oneOf` with a `{type: 'null'}` branch | the same without it, `nullable: true`; a lone remaining `$ref` becomes `allOf: [$ref]` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [..]` on a schema | `x-apigen-examples: [..]` (an extension, which `openapiv3` keeps) |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` |
//! | `$ref` with siblings | `allOf: [{$ref}]` plus the siblings |
//! | `prefixItems: [..]` | `x-apigen-prefix-items: [..]` |
//! | `enum: [.., null]` | the same, `nullable: true` (`enum: [null]` admits only `null`) |
//! | `contentMediaType` of a non-JSON type on a string, without `contentEncoding` | `format: binary` (the string is the raw content: a file) |
//! | `contentEncoding: base64` on a string | `format: byte` (bytes written as base64) |
//! | boolean schemas `true` / `false` | `{}` / `{not: {}}` |
//!
//! It also works around `openapiv3` reading `SchemaKind` as an untagged enum,
//! where a `type` beside `oneOf`/`anyOf` wins and the union is silently lost,
//! and integer bounds must fit i64.

use serde_json::{json, Map, Value};

use crate::error::{child_pointer, Diagnostics};

/// The operations of a path item.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Marks a schema that only admits `null`.
pub const NULL_MARKER: &str = "x-apigen-null";
pub const EXAMPLES_KEY: &str = "x-apigen-examples";
pub const PREFIX_ITEMS_KEY: &str = "x-apigen-prefix-items";
/// Integer bounds that do not fit i64, kept for documentation.
pub const WIDE_BOUND_KEY: &str = "x-apigen-wide-bounds";

/// A parameter or header must have a `schema` or a `content`; one with
/// neither (which `openapiv3` refuses without saying why) is read as a
/// string, what its value is on the wire, with a warning.
fn give_missing_schema(object: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    if ["schema", "content", "$ref"].iter().any(|key| object.contains_key(*key)) {
        return;
    }
    object.insert("schema".into(), json!({"type": "string"}));
    diagnostics
        .warnings
        .push(crate::error::Diagnostic::at(pointer, "neither `schema` nor `content`: its value is read as a string"));
}

/// Rewrites every schema of the document in place.
pub fn normalize_document(document: &mut Value, diagnostics: &mut Diagnostics) {
    if let Some(root) = document.as_object_mut() {
        if !root.contains_key("paths") {
            // 3.1 makes `paths` optional; openapiv3 requires it.
            root.insert("paths".into(), json!({}));
        }
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            // So does it `responses`: an operation without them answers nothing the client reads.
            for item in paths.values_mut().filter_map(Value::as_object_mut) {
                for method in METHODS {
                    if let Some(Value::Object(operation)) = item.get_mut(method) {
                        operation.entry("responses").or_insert_with(|| json!({}));
                    }
                }
            }
        }
        for (key, value) in root.iter_mut() {
            match key.as_str() {
                "paths" | "components" | "webhooks" => walk_containers(value, &format!("#/{key}"), diagnostics),
                _ => {}
            }
        }
    }
}

/// Walks the non-schema parts of the document, normalizing each schema found.
fn walk_containers(value: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            let in_schema_map = pointer == "#/components/schemas";
            if map.get("in").is_some_and(Value::is_string) && map.get("name").is_some_and(Value::is_string) {
                give_missing_schema(map, pointer, diagnostics);
            }
            for (key, child) in map.iter_mut() {
                let child_ptr = child_pointer(pointer, key);
                if key == "headers" {
                    for (name, header) in child.as_object_mut().into_iter().flatten() {
                        if let Value::Object(header) = header {
                            give_missing_schema(header, &child_pointer(&child_ptr, name), diagnostics);
                        }
                    }
                }
                if in_schema_map || key == "schema" {
                    normalize_schema(child, &child_ptr, diagnostics);
                } else if key == "example" || key == "examples" || key.starts_with("x-") {
                    // Example values are data: a key named `schema` in them is not a schema.
                } else if key == "securitySchemes" {
                    // No schemas there, and an `apiKey` scheme's `in` and `name` make no parameter.
                } else {
                    walk_containers(child, &child_ptr, diagnostics);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk_containers(child, &format!("{pointer}/{index}"), diagnostics);
            }
        }
        _ => {}
    }
}

const SCHEMA_LIST_KEYS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_KEYS: [&str; 4] = ["items", "additionalProperties", "not", "contains"];
const SCHEMA_MAP_KEYS: [&str; 3] = ["properties", "patternProperties", "$defs"];

/// Normalizes one schema and, first, every schema nested in it.
pub fn normalize_schema(schema: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    match schema {
        Value::Bool(true) => *schema = json!({}),
        Value::Bool(false) => *schema = json!({"not": {}}),
        Value::Object(map) => {
            normalize_children(map, pointer, diagnostics);
            normalize_object(map, pointer, diagnostics);
        }
        other => diagnostics.error(pointer, format!("expected a schema (a mapping), found {}", kind_of(other))),
    }
}

fn normalize_children(map: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    for key in SCHEMA_LIST_KEYS {
        if let Some(list) = map.get_mut(key) {
            let list_ptr = child_pointer(pointer, key);
            match list {
                Value::Array(items) => {
                    for (index, item) in items.iter_mut().enumerate() {
                        normalize_schema(item, &format!("{list_ptr}/{index}"), diagnostics);
                    }
                }
                other => {
                    diagnostics.error(&list_ptr, format!("`{key}` must be a list of schemas, found {}", kind_of(other)))
                }
            }
        }
    }
    for key in SCHEMA_KEYS {
        match map.get_mut(key) {
            // openapiv3 models `additionalProperties: true/false` itself; as
            // `{}`/`{not: {}}` it would read as a map of any value.
            Some(Value::Bool(_)) if key == "additionalProperties" => {}
            Some(child) => normalize_schema(child, &child_pointer(pointer, key), diagnostics),
            None => {}
        }
    }
    for key in SCHEMA_MAP_KEYS {
        if let Some(children) = map.get_mut(key) {
            let map_ptr = child_pointer(pointer, key);
            match children {
                Value::Object(children) => {
                    for (name, child) in children.iter_mut() {
                        normalize_schema(child, &child_pointer(&map_ptr, name), diagnostics);
                    }
                }
                other => {
                    diagnostics.error(&map_ptr, format!("`{key}` must map names to schemas, found {}", kind_of(other)))
                }
            }
        }
    }
}

fn normalize_object(map: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    if map.contains_key("$ref") && map.len() > 1 {
        // 3.1 allows siblings of `$ref` (descriptions, mostly); 3.0 readers drop them.
        if let Some(reference) = map.remove("$ref") {
            map.insert("allOf".into(), json!([{ "$ref": reference }]));
        }
    }
    normalize_type(map, pointer, diagnostics);
    if let Some(value) = map.remove("const") {
        if value.is_null() {
            map.insert(NULL_MARKER.into(), Value::Bool(true));
        } else {
            map.insert("enum".into(), json!([value]));
        }
    }
    nullable_enum(map);
    binary_content(map);
    if let Some(examples) = map.remove("examples") {
        map.insert(EXAMPLES_KEY.into(), examples);
    }
    if let Some(prefix) = map.remove("prefixItems") {
        map.insert(PREFIX_ITEMS_KEY.into(), prefix);
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(number @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), number);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        keep_integer_bounds_in_i64(map);
    }
    lift_nullable_parts(map);
    remove_null_branches(map, "anyOf");
    remove_null_branches(map, "oneOf");
    separate_composition(map);
}

/// An enum that lists `null` (pydantic's `Literal['a', None]`) admits it,
/// whether or not its `type` says so.
fn nullable_enum(map: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = map.get("enum") else { return };
    if !values.iter().any(Value::is_null) {
        return;
    }
    if values.iter().all(Value::is_null) {
        map.remove("enum");
        map.remove("type");
        map.insert(NULL_MARKER.into(), Value::Bool(true));
    } else {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// JSON Schema's `contentEncoding: base64` is 3.0's `format: byte`. Its
/// `contentMediaType` without `contentEncoding` says the string is the
/// content itself: for anything but JSON or text that is binary data
/// (FastAPI's `UploadFile` is `{type: string, contentMediaType:
/// application/octet-stream}`), which 3.0 spells `format: binary`. Other
/// encodings (`base64url`, `quoted-printable`) stay strings.
fn binary_content(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) == Some("string")
        && map.get("contentEncoding").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case("base64"))
    {
        map.insert("format".into(), Value::String("byte".into()));
        return;
    }
    let Some(media_type) = map.get("contentMediaType").and_then(Value::as_str) else { return };
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let textual = essence.starts_with("text/") || essence == "application/json" || essence.ends_with("+json");
    if textual
        || map.contains_key("contentEncoding")
        || map.contains_key("format")
        || map.get("type").and_then(Value::as_str) != Some("string")
    {
        return;
    }
    map.insert("format".into(), Value::String("binary".into()));
}

/// `allOf: [$ref: X, {nullable: true}]` (OpenAI's "X or null" in 3.0 style):
/// the part adds no shape, only nullability, so the parent takes it.
fn lift_nullable_parts(map: &mut Map<String, Value>) {
    let Some(Value::Array(parts)) = map.get_mut("allOf") else { return };
    let before = parts.len();
    parts.retain(|part| !is_nullable_only(part));
    if parts.len() < before {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

fn is_nullable_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|part| {
        part.get("nullable") == Some(&Value::Bool(true))
            && part.keys().all(|key| matches!(key.as_str(), "nullable" | "description" | "title"))
    })
}

const KNOWN_TYPES: [&str; 7] = ["string", "number", "integer", "boolean", "array", "object", "null"];

/// `type: [T, 'null']` and `type: 'null'`.
fn normalize_type(map: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let types: Vec<String> = match map.get("type") {
        None => return,
        Some(Value::String(single)) => vec![single.clone()],
        Some(Value::Array(list)) => {
            let mut names = Vec::new();
            for item in list {
                match item.as_str() {
                    Some(name) => names.push(name.to_string()),
                    None => {
                        diagnostics.error(
                            &child_pointer(pointer, "type"),
                            format!("`type` entries must be strings, found {}", kind_of(item)),
                        );
                        return;
                    }
                }
            }
            names
        }
        Some(other) => {
            diagnostics.error(
                &child_pointer(pointer, "type"),
                format!("`type` must be a string or a list of strings, found {}", kind_of(other)),
            );
            return;
        }
    };
    if let Some(unknown) = types.iter().find(|t| !KNOWN_TYPES.contains(&t.as_str())) {
        diagnostics.error(
            &child_pointer(pointer, "type"),
            format!("unknown type `{unknown}`; expected one of {}", KNOWN_TYPES.join(", ")),
        );
        return;
    }
    let non_null: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    if non_null.len() < types.len() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match non_null.as_slice() {
        [] => {
            map.remove("type");
            map.insert(NULL_MARKER.into(), Value::Bool(true));
        }
        [single] => {
            map.insert("type".into(), Value::String((*single).clone()));
        }
        several => {
            let branches: Vec<Value> = several.iter().map(|t| json!({ "type": t })).collect();
            map.remove("type");
            map.insert("anyOf".into(), Value::Array(branches));
        }
    }
}

fn is_null_only(schema: &Value) -> bool {
    schema.get(NULL_MARKER) == Some(&Value::Bool(true))
}

/// Drops `{type: 'null'}` branches of a union and marks the schema nullable.
fn remove_null_branches(map: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(branches)) = map.get_mut(key) else { return };
    let before = branches.len();
    branches.retain(|branch| !is_null_only(branch));
    if branches.len() == before {
        return;
    }
    map.insert("nullable".into(), Value::Bool(true));
    let remaining = match map.get(key) {
        Some(Value::Array(branches)) => branches.clone(),
        _ => return,
    };
    match remaining.as_slice() {
        [] => {
            map.remove(key);
            map.insert(NULL_MARKER.into(), Value::Bool(true));
        }
        [only] => {
            map.remove(key);
            hoist_single_branch(map, only.clone());
        }
        _ => {}
    }
}

/// `anyOf: [X, null]` is `X` made nullable: merge X into the parent, keeping
/// the parent's own description, title and default.
fn hoist_single_branch(map: &mut Map<String, Value>, branch: Value) {
    let Value::Object(branch) = branch else { return };
    if branch.contains_key("$ref") {
        let all_of = map.entry("allOf").or_insert_with(|| json!([]));
        if let Value::Array(parts) = all_of {
            parts.insert(0, Value::Object(branch));
        }
        return;
    }
    for (key, value) in branch {
        if key == "nullable" {
            continue;
        }
        map.entry(key).or_insert(value);
    }
}

/// openapiv3 reads `SchemaKind` as an untagged enum tried in the order
/// type, `oneOf`, `allOf`, `anyOf`: a `type` beside a composition wins and the
/// composition is silently lost, and `oneOf` beside `allOf` hides the `allOf`.
/// So when a schema composes, its own object shape and its union become parts
/// of one `allOf`, and a bare `type` (which the parts carry) is dropped.
fn separate_composition(map: &mut Map<String, Value>) {
    let has_union = map.contains_key("oneOf") || map.contains_key("anyOf");
    let has_all_of = map.contains_key("allOf");
    if !has_union && !has_all_of {
        return;
    }
    let has_object_shape = ["properties", "additionalProperties", "required"].iter().any(|k| map.contains_key(*k));
    if !(has_object_shape || (has_union && has_all_of)) {
        map.remove("type");
        return;
    }
    let mut parts = match map.remove("allOf") {
        Some(Value::Array(parts)) => parts,
        _ => Vec::new(),
    };
    let object_part = take_keys(map, &["type", "properties", "required", "additionalProperties"]);
    if has_object_shape {
        parts.push(Value::Object(object_part));
    }
    if has_union {
        parts.push(Value::Object(take_keys(map, &["oneOf", "anyOf", "discriminator"])));
    }
    map.insert("allOf".into(), Value::Array(parts));
}

fn take_keys(map: &mut Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    let mut taken = Map::new();
    for key in keys {
        if let Some(value) = map.remove(*key) {
            taken.insert((*key).into(), value);
        }
    }
    taken
}

/// openapiv3 stores integer bounds as i64; a bound beyond that range (OpenAI's
/// `minimum: -9223372036854776000`, which is -2^63 rounded through f64) or a
/// fractional one moves to an extension so the schema still reads as an integer.
fn keep_integer_bounds_in_i64(map: &mut Map<String, Value>) {
    for key in ["minimum", "maximum", "multipleOf"] {
        let fits = match map.get(key) {
            None => continue,
            Some(Value::Number(n)) => n.as_i64().is_some(),
            Some(_) => false,
        };
        if !fits {
            if let Some(value) = map.remove(key) {
                let wide = map.entry(WIDE_BOUND_KEY).or_insert_with(|| json!({}));
                if let Value::Object(wide) = wide {
                    wide.insert(key.into(), value);
                }
            }
        }
    }
}

pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema: Value) -> Value {
        let mut schema = schema;
        let mut diagnostics = Diagnostics::default();
        normalize_schema(&mut schema, "#", &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        schema
    }

    #[test]
    fn parameters_and_headers_without_schema_are_strings() {
        let mut document = json!({"components": {"securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "k"}}},
            "paths": {"/a": {"get": {
            "parameters": [{"name": "q", "in": "query"}, {"name": "p", "in": "query", "content": {"text/plain": {}}}],
            "responses": {"200": {"description": "ok", "headers": {"X-A": {"description": "none"}}}}
        }}}});
        let mut diagnostics = Diagnostics::default();
        normalize_document(&mut document, &mut diagnostics);
        let operation = &document["paths"]["/a"]["get"];
        assert_eq!(operation["parameters"][0]["schema"], json!({"type": "string"}));
        assert_eq!(operation["parameters"][1].get("schema"), None);
        assert_eq!(operation["responses"]["200"]["headers"]["X-A"]["schema"], json!({"type": "string"}));
        assert_eq!(document["components"]["securitySchemes"]["key"].get("schema"), None);
        let places: Vec<String> = diagnostics.warnings.iter().map(|w| w.location.to_string()).collect();
        assert_eq!(places, ["#/paths/~1a/get/parameters/0", "#/paths/~1a/get/responses/200/headers/X-A"]);
    }

    #[test]
    fn any_of_with_null_becomes_nullable() {
        let schema = normalized(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "T"}));
        assert_eq!(schema, json!({"type": "string", "nullable": true, "title": "T"}));
    }

    #[test]
    fn nullable_ref_becomes_all_of() {
        let schema = normalized(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
        assert_eq!(schema, json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}));
    }

    #[test]
    fn type_arrays_and_const() {
        assert_eq!(normalized(json!({"type": ["integer", "null"]})), json!({"type": "integer", "nullable": true}));
        assert_eq!(normalized(json!({"type": "string", "const": "x"})), json!({"type": "string", "enum": ["x"]}));
        assert_eq!(
            normalized(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn wide_integer_bounds_move_aside() {
        let schema = normalized(json!({"type": "integer", "minimum": -9.223372036854776e18, "maximum": 5}));
        assert_eq!(schema["maximum"], json!(5));
        assert!(schema.get("minimum").is_none());
        assert_eq!(schema[WIDE_BOUND_KEY]["minimum"], json!(-9.223372036854776e18));
    }

    #[test]
    fn enums_listing_null_are_nullable() {
        let typed = normalized(json!({"type": ["string", "null"], "enum": ["on", "off", null]}));
        assert_eq!(typed, json!({"type": "string", "nullable": true, "enum": ["on", "off", null]}));
        assert_eq!(normalized(json!({"enum": ["on", null]})), json!({"enum": ["on", null], "nullable": true}));
        assert_eq!(normalized(json!({"enum": [null]})), json!({NULL_MARKER: true}));
        assert_eq!(normalized(json!({"enum": ["on"]})), json!({"enum": ["on"]}));
    }

    #[test]
    fn non_json_content_media_types_are_binary() {
        let upload = json!({"type": "string", "contentMediaType": "application/octet-stream"});
        assert_eq!(normalized(upload)["format"], json!("binary"));
        let image = json!({"type": ["string", "null"], "contentMediaType": "image/png"});
        assert_eq!(
            normalized(image),
            json!({"type": "string", "nullable": true, "contentMediaType": "image/png", "format": "binary"})
        );
        for textual in ["application/json", "application/geo+json", "text/csv; charset=utf-8"] {
            assert!(
                normalized(json!({"type": "string", "contentMediaType": textual})).get("format").is_none(),
                "{textual}"
            );
        }
        // Encoded content is text in the document, decoded by the base64 rule instead.
        let encoded = json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"});
        assert_eq!(normalized(encoded)["format"], json!("byte"));
        let url_safe = json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64url"});
        assert!(normalized(url_safe).get("format").is_none());
    }

    #[test]
    fn ref_siblings_are_kept() {
        let schema = normalized(json!({"$ref": "#/x", "description": "d"}));
        assert_eq!(schema, json!({"allOf": [{"$ref": "#/x"}], "description": "d"}));
    }
}
