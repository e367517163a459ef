//! OpenAPI 3.2 in the 3.0 model of `openapiv3`, which knows none of its
//! additions: like 3.1 (see `normalize`), a 3.2 document is rewritten into
//! the 3.0 shape that says the same thing before `openapiv3` reads it, so
//! the rest of the pipeline has one model to read.
//!
//! | 3.2 | 3.0 shape produced |
//! |---|---|
//! | `in: querystring` with `application/x-www-form-urlencoded` content | `in: query`, `style: form`, `explode: true` with that schema: an object whose fields are the query's pairs |
//! | `itemSchema` of `text/event-stream` | `schema`: the events' `data` (its `contentSchema`, or a string) |
//! | `itemSchema` of a JSON sequence (`application/jsonl`, `application/x-ndjson`, `application/json-seq`) | `schema`: the item, with [`ITEM_SCHEMA_KEY`] marking it as one item of a stream |
//! | `query` and `additionalOperations` of a path item | taken out, read as operations of their own ([`AdditionalOperation`]) |
//!
//! Anything else of 3.2 that changes what a client must send or read
//! (`components.mediaTypes`, `$self`, `discriminator.defaultMapping`,
//! `itemEncoding`, `prefixEncoding`) is reported where it is, not dropped in silence.

use openapiv3::Operation;
use serde_json::{json, Map, Value};

use crate::error::{child_pointer, Diagnostics};

/// Marks a media type whose `schema` describes one item of a JSON sequence.
pub const ITEM_SCHEMA_KEY: &str = "x-apigen-item-schema";

/// The media types of JSON sequences, whose `itemSchema` types each item.
pub const JSON_SEQUENCES: [&str; 3] = ["application/jsonl", "application/x-ndjson", "application/json-seq"];

/// Methods with fields of their own, which `additionalOperations` may not name (3.2 §4.8.9.1).
const FIXED_METHODS: [&str; 9] = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// An operation of a method the 3.0 model has no field for: `QUERY`, or one of `additionalOperations`.
#[derive(Debug, Clone)]
pub struct AdditionalOperation {
    pub path: String,
    /// The method as sent, `QUERY` or `COPY`.
    pub method: String,
    pub operation: Operation,
}

/// Rewrites the 3.2 parts that have a 3.0 shape, before the schemas are normalized.
pub fn rewrite(document: &mut Value, diagnostics: &mut Diagnostics) {
    let Some(root) = document.as_object_mut() else { return };
    if root.contains_key("$self") {
        diagnostics.warn(
            "#/$self",
            "`$self` is not supported: references are resolved against the file as it is read".to_string(),
        );
    }
    if let Some(media_types) = root.get("components").and_then(|c| c.get("mediaTypes")) {
        if media_types.as_object().is_some_and(|m| !m.is_empty()) {
            diagnostics.error("#/components/mediaTypes", "reusable media types (`components.mediaTypes`) are not supported yet; write the media types where they are used");
        }
    }
    for key in ["paths", "components", "webhooks"] {
        if let Some(value) = root.get_mut(key) {
            walk(value, &format!("#/{key}"), diagnostics);
        }
    }
    default_mappings(document, "#", diagnostics);
}

/// `discriminator.defaultMapping` anywhere (schemas included): the unions
/// dispatch only on the values they know.
fn default_mappings(value: &Value, pointer: &str, diagnostics: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            if map.get("discriminator").and_then(|d| d.get("defaultMapping")).is_some() {
                let at = child_pointer(&child_pointer(pointer, "discriminator"), "defaultMapping");
                diagnostics.warn(
                    &at,
                    "`defaultMapping` is not supported: a tag value the union does not list is a decoding error"
                        .to_string(),
                );
            }
            for (key, child) in map {
                if !(key == "example" || key == "examples" || key.starts_with("x-")) {
                    default_mappings(child, &child_pointer(pointer, key), diagnostics);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                default_mappings(item, &format!("{pointer}/{index}"), diagnostics);
            }
        }
        _ => {}
    }
}

/// Visits the objects outside schemas and examples.
fn walk(value: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            if map.get("in").and_then(Value::as_str) == Some("querystring") {
                querystring(map, pointer, diagnostics);
            }
            let is_content = pointer.ends_with("/content");
            for (key, child) in map.iter_mut() {
                let child_ptr = child_pointer(pointer, key);
                if is_content {
                    if let Value::Object(media) = child {
                        item_schema(key, media, &child_ptr, diagnostics);
                    }
                }
                let data = key == "schema"
                    || key == "schemas"
                    || key == "example"
                    || key == "examples"
                    || key.starts_with("x-");
                if !data {
                    walk(child, &child_ptr, diagnostics);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{pointer}/{index}"), diagnostics);
            }
        }
        _ => {}
    }
}

/// `in: querystring`: the whole query string, described by one form-encoded schema.
fn querystring(map: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    let content = map.remove("content");
    let schema = content.as_ref().and_then(Value::as_object).and_then(|content| {
        match content.iter().collect::<Vec<_>>().as_slice() {
            [(media_type, media)]
                if media_type
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded") =>
            {
                media.get("schema").cloned()
            }
            _ => None,
        }
    });
    match schema {
        Some(schema) => {
            map.insert("in".into(), json!("query"));
            map.insert("style".into(), json!("form"));
            map.insert("explode".into(), json!(true));
            map.insert("schema".into(), schema);
        }
        None => {
            diagnostics.error(&child_pointer(pointer, "content"), "a `querystring` parameter is supported with one `application/x-www-form-urlencoded` media type and its schema");
            // Read as a plain query parameter so that the rest of the document is still checked.
            map.insert("in".into(), json!("query"));
            map.insert("schema".into(), json!({"type": "string"}));
        }
    }
}

/// `itemSchema`: the type of each item of a streamed response.
fn item_schema(media_type: &str, media: &mut Map<String, Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    for key in ["itemEncoding", "prefixEncoding"] {
        if media.contains_key(key) {
            diagnostics.warn(
                &child_pointer(pointer, key),
                format!(
                    "`{key}` (streamed multipart) is not supported; parts are sent as `encoding` and the schema say"
                ),
            );
        }
    }
    let Some(item) = media.remove("itemSchema") else { return };
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence == "text/event-stream" {
        // 3.2 describes an event as `{event, data, id, retry}`; the client hands out the data.
        let data = item.pointer("/properties/data");
        let schema = match data.and_then(|data| data.get("contentSchema")) {
            Some(content_schema) => content_schema.clone(),
            None => {
                if data.is_none() {
                    diagnostics.warn(
                        &child_pointer(pointer, "itemSchema"),
                        "the events' `data` is not described; events are read as text".to_string(),
                    );
                }
                json!({"type": "string"})
            }
        };
        media.insert("schema".into(), schema);
    } else if JSON_SEQUENCES.contains(&essence.as_str()) {
        media.insert("schema".into(), item);
        media.insert(ITEM_SCHEMA_KEY.into(), Value::Bool(true));
    } else {
        diagnostics.warn(&child_pointer(pointer, "itemSchema"), format!("`itemSchema` of `{media_type}` is not supported (only server-sent events and JSON sequences stream items); the body is read whole"));
    }
}

/// Takes `query` and `additionalOperations` out of every path item and reads them.
pub fn take_additional_operations(
    document: &mut Value,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, String, Value, String)> {
    let mut taken = Vec::new();
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return taken };
    for (template, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let item_ptr = child_pointer("#/paths", template);
        if let Some(operation) = item.remove("query") {
            taken.push((template.clone(), "QUERY".to_string(), operation, child_pointer(&item_ptr, "query")));
        }
        let Some(additional) = item.remove("additionalOperations") else { continue };
        let additional_ptr = child_pointer(&item_ptr, "additionalOperations");
        let Value::Object(additional) = additional else {
            diagnostics.error(&additional_ptr, "`additionalOperations` must map methods to operations");
            continue;
        };
        for (method, operation) in additional {
            let pointer = child_pointer(&additional_ptr, &method);
            if FIXED_METHODS.contains(&method.to_ascii_lowercase().as_str()) {
                diagnostics.error(
                    &pointer,
                    format!(
                        "`{method}` has a field of its own in a path item; `additionalOperations` is for other methods"
                    ),
                );
            } else if method.is_empty() || !method.bytes().all(is_token_byte) {
                diagnostics.error(
                    &pointer,
                    format!("`{method}` is not an HTTP method (a token of letters, digits and !#$%&'*+-.^_`|~)"),
                );
            } else {
                taken.push((template.clone(), method, operation, pointer));
            }
        }
    }
    taken
}

/// RFC 9110's `tchar`.
pub fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}
