//! Load: bytes to an `openapiv3` document, 3.0 and 3.1 reconciled.

mod libyaml;
mod nesting;
mod normalize;
mod parse;
mod path_operations;
mod paths;
mod resolve;
mod v3_2;
mod yaml;

use normalize::METHODS;
pub use normalize::{EXAMPLES_KEY, NULL_MARKER, PREFIX_ITEMS_KEY, WIDE_BOUND_KEY};
pub use parse::{parse_document, MAX_DEPTH};
pub use path_operations::{PathItems, PathOperations};
pub use resolve::{Origins, MAX_FILES, MAX_FILE_BYTES};
pub use v3_2::{is_token_byte, AdditionalOperation, ITEM_SCHEMA_KEY, JSON_SEQUENCES};

use std::path::Path;

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{child_pointer, Diagnostic, Diagnostics, Error, Location};

/// A loaded document: the `openapiv3` model plus the name it was read from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name (or other label) used in messages.
    pub file: String,
    /// The document but its `paths`, which are in [`Document::paths`].
    pub api: OpenAPI,
    /// The path items, in order, each as its template and what the IR reads of it.
    pub paths: PathItems,
    /// Problems met while loading that do not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// Where the components that references hoisted came from.
    pub origins: Origins,
    /// The 3.1 `webhooks`, in order, which the 3.0 model has no place for.
    pub webhooks: Vec<(String, ReferenceOr<PathItem>)>,
    /// 3.2 operations of methods the 3.0 model has no field for (`QUERY`, `additionalOperations`).
    pub additional_operations: Vec<AdditionalOperation>,
    /// The 3.1 `mutualTLS` security schemes, by name, which the 3.0 model cannot hold.
    pub mutual_tls_schemes: Vec<String>,
}

/// Which OpenAPI version a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    V3_0,
    V3_1,
    V3_2,
}

/// Loads a document from its bytes: parse, check the version, resolve
/// references, normalize 3.1 to the 3.0 model, and read it into `openapiv3`,
/// reporting every problem found with its JSON pointer. References to other
/// files are errors: without a directory there is nothing to read them from
/// (see [`load_file`]).
pub fn load(file: &str, bytes: &[u8]) -> Result<Document, Error> {
    crate::stack::on_deep_stack(|| read(file, bytes, None))
}

/// [`load`] on the calling thread's stack, for callers already on a deep
/// one; references to other files are read relative to `dir`.
pub(crate) fn read(file: &str, bytes: &[u8], dir: Option<&Path>) -> Result<Document, Error> {
    let mut value = parse_document(file, bytes)?;
    let version = spec_version(file, &value)?;
    let mut diagnostics = Diagnostics::default();
    let origins = resolve::resolve_references(&mut value, file, dir, &mut diagnostics);
    let mut shape = Diagnostics::default();
    if version == SpecVersion::V3_2 {
        v3_2::rewrite(&mut value, &mut shape);
    }
    normalize::normalize_document(&mut value, &mut shape);
    let additional_operations = v3_2::take_additional_operations(&mut value, &mut shape)
        .into_iter()
        .filter_map(|(path, method, operation, pointer)| {
            Some(AdditionalOperation {
                path,
                method,
                operation: read_unreported_part(operation, &pointer, &mut shape)?,
            })
        })
        .collect();
    let webhooks = read_webhooks(&mut value, &mut shape);
    let mutual_tls_schemes = take_mutual_tls_schemes(&mut value, &mut shape);
    let read = read_openapi(value, &mut shape);
    origins.relocate_all(&mut shape);
    diagnostics.append(shape);
    let warnings = std::mem::take(&mut diagnostics.warnings);
    diagnostics.into_result(file)?;
    match read {
        Some((api, paths)) => Ok(Document {
            file: file.to_string(),
            api,
            paths,
            warnings,
            origins,
            webhooks,
            additional_operations,
            mutual_tls_schemes,
        }),
        None => Err(Error::spec(file, Location::Document, "the document could not be read")),
    }
}

/// Reads the file at `path` and loads it, with the files its references name.
pub fn load_file(path: &Path) -> Result<Document, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    crate::stack::on_deep_stack(|| {
        read(&path.display().to_string(), &bytes, Some(path.parent().unwrap_or(Path::new(""))))
    })
}

fn spec_version(file: &str, value: &Value) -> Result<SpecVersion, Error> {
    let Some(root) = value.as_object() else {
        return Err(Error::spec(
            file,
            Location::Pointer("#".into()),
            format!("expected an OpenAPI document (a mapping) at the top level, found {}", normalize::kind_of(value)),
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        return Err(Error::spec(
            file,
            Location::Pointer("#/swagger".into()),
            format!(
                "Swagger {} documents are not supported; convert the document to OpenAPI 3.0 or 3.1 first",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match root.get("openapi") {
        None => Err(Error::spec(
            file,
            Location::Pointer("#".into()),
            "missing `openapi` version field; is this an OpenAPI document?",
        )),
        Some(Value::String(version)) if version.starts_with("3.0.") || version == "3.0" => Ok(SpecVersion::V3_0),
        Some(Value::String(version)) if version.starts_with("3.1.") || version == "3.1" => Ok(SpecVersion::V3_1),
        Some(Value::String(version)) if version.starts_with("3.2.") || version == "3.2" => Ok(SpecVersion::V3_2),
        Some(other) => Err(Error::spec(
            file,
            Location::Pointer("#/openapi".into()),
            format!("unsupported OpenAPI version {other}; apigen reads 3.0.x, 3.1.x and 3.2.x"),
        )),
    }
}

/// Takes the `webhooks` out of the document and reads them as path items, one by one.
fn read_webhooks(value: &mut Value, diagnostics: &mut Diagnostics) -> Vec<(String, ReferenceOr<PathItem>)> {
    let entries = take_entries(value, &["webhooks"]);
    if let Some(root) = value.as_object_mut() {
        root.remove("webhooks");
    }
    entries
        .into_iter()
        .filter_map(|(name, item)| {
            let item = read_unreported_part(item, &child_pointer("#/webhooks", &name), diagnostics)?;
            Some((name, item))
        })
        .collect()
}

/// Takes the `mutualTLS` schemes out of `components.securitySchemes`: the
/// client certificate is the HTTP client's business, not a request's.
fn take_mutual_tls_schemes(value: &mut Value, diagnostics: &mut Diagnostics) -> Vec<String> {
    let Some(schemes) = value.pointer_mut("/components/securitySchemes").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &names {
        schemes.remove(name);
        diagnostics.warn(
            &child_pointer("#/components/securitySchemes", name),
            format!("`{name}` is mutual TLS: give the client certificate to the reqwest client passed to `Client::with_http_client`; requests send nothing for it"),
        );
    }
    names
}

/// Reads the document into `openapiv3`, its path items apart. The schemas
/// and path items are read one by one so that one bad entry does not hide the others.
fn read_openapi(mut value: Value, diagnostics: &mut Diagnostics) -> Option<(OpenAPI, PathItems)> {
    let schemas = take_entries(&mut value, &["components", "schemas"]);
    let paths = take_entries(&mut value, &["paths"]);
    let mut api: OpenAPI = read_part(value, "#", diagnostics)?;
    let components = api.components.get_or_insert_with(Default::default);
    // Room for every entry at once: a map grown by doubling keeps up to as
    // much again unused, and in openapiv3 a schema is 1 KB.
    components.schemas.reserve_exact(schemas.len());
    for (name, schema) in schemas {
        let pointer = child_pointer("#/components/schemas", &name);
        if let Some(schema) = read_unreported_part(schema, &pointer, diagnostics) {
            components.schemas.insert(name, schema);
        }
    }
    let mut path_items = Vec::with_capacity(paths.len());
    for (template, mut item) in paths {
        let pointer = child_pointer("#/paths", &template);
        if let Some(problem) = paths::template_problem(&template) {
            diagnostics.error(&pointer, problem);
            continue;
        }
        // Each operation on its own: serde loses the place inside the path item's untagged `ReferenceOr`.
        let operations: Vec<(&'static str, Value)> = match item.as_object_mut() {
            Some(map) if !map.contains_key("$ref") => {
                METHODS.iter().filter_map(|method| map.remove(*method).map(|operation| (*method, operation))).collect()
            }
            _ => Vec::new(),
        };
        let Some(item) = read_unreported_part::<ReferenceOr<PathItem>>(item, &pointer, diagnostics) else {
            continue;
        };
        let operations: Vec<(&'static str, Operation)> = operations
            .into_iter()
            .filter_map(|(method, operation)| {
                Some((method, read_unreported_part(operation, &child_pointer(&pointer, method), diagnostics)?))
            })
            .collect();
        let item = match item {
            ReferenceOr::Item(item) => ReferenceOr::Item(PathOperations::new(item, operations)),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        };
        path_items.push((template, item));
    }
    Some((api, path_items))
}

/// Reads a part unless normalization already reported a problem in it: serde
/// would only report the same problem again, less precisely.
fn read_unreported_part<T: DeserializeOwned>(value: Value, pointer: &str, diagnostics: &mut Diagnostics) -> Option<T> {
    let already_reported = diagnostics.items.iter().any(|item| match &item.location {
        Location::Pointer(at) => at.strip_prefix(pointer).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        _ => false,
    });
    if already_reported {
        None
    } else {
        read_part(value, pointer, diagnostics)
    }
}

/// Removes the mapping at `path` from `value`, leaving an empty one, and returns its entries.
fn take_entries(value: &mut Value, path: &[&str]) -> Vec<(String, Value)> {
    let mut cursor = value;
    for key in path {
        match cursor.get_mut(*key) {
            Some(next) => cursor = next,
            None => return Vec::new(),
        }
    }
    match cursor {
        Value::Object(map) => std::mem::take(map).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn read_part<T: DeserializeOwned>(value: Value, pointer: &str, diagnostics: &mut Diagnostics) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(part) => Some(part),
        Err(error) => {
            let mut at = pointer.to_string();
            for segment in error.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => at = format!("{at}/{index}"),
                    serde_path_to_error::Segment::Map { key } => at = child_pointer(&at, key),
                    serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
                }
            }
            diagnostics.error(&at, simplify_serde_message(&error.inner().to_string()));
            None
        }
    }
}

/// serde's message for an untagged enum names the Rust type; say what the document lacks instead.
fn simplify_serde_message(message: &str) -> String {
    if message.starts_with("data did not match any variant of untagged enum ReferenceOr") {
        "expected a `$ref` or an object of the right shape here".to_string()
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swagger_2_is_refused_with_a_pointer() {
        let err = load("old.yaml", b"swagger: '2.0'\ninfo: {title: t, version: '1'}\n").unwrap_err().to_string();
        assert_eq!(err, "old.yaml#/swagger: Swagger 2.0 documents are not supported; convert the document to OpenAPI 3.0 or 3.1 first");
    }

    #[test]
    fn a_list_is_not_a_document() {
        let err = load("list.yaml", b"- a\n- b\n").unwrap_err().to_string();
        assert!(err.contains("found a list"), "{err}");
    }

    #[test]
    fn operations_without_responses_load_and_errors_name_the_operation() {
        let doc = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /users:\n    get: {operationId: list}\n";
        let document = load("t.yaml", doc).unwrap();
        let (template, item) = &document.paths[0];
        let (method, get) = item.as_item().and_then(|item| item.iter().next()).unwrap();
        assert_eq!((template.as_str(), method), ("/users", "get"));
        assert!(get.responses.responses.is_empty() && get.responses.default.is_none());
        let doc = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /users:\n    get: {}\n    post: {parameters: [{name: x, in: nowhere}]}\n";
        let err = load("t.yaml", doc).unwrap_err().to_string();
        assert!(err.starts_with("t.yaml#/paths/~1users/post/parameters/0: unknown variant `nowhere`"), "{err}");
    }

    #[test]
    fn the_schema_and_path_maps_keep_no_room_unused() {
        // 1,100 is past a power of two: a map grown by doubling would hold room for 1,792.
        let paths: String =
            (0..1_100).map(|i| format!("  /p{i}:\n    get: {{responses: {{'200': {{description: ok}}}}}}\n")).collect();
        let schemas: String = (0..1_100).map(|i| format!("    S{i}: {{type: string}}\n")).collect();
        let doc = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n{schemas}"
        );
        let document = load("t.yaml", doc.as_bytes()).unwrap();
        assert_eq!(document.paths.capacity(), 1_100);
        assert_eq!(document.api.components.unwrap().schemas.capacity(), 1_100);
    }

    #[test]
    fn unknown_type_names_its_place() {
        let doc = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: strnig}}}\n    B: {type: strng}\n";
        let err = load("t.yaml", doc).unwrap_err().to_string();
        assert!(err.contains("t.yaml#/components/schemas/A/properties/x/type: unknown type `strnig`"), "{err}");
        assert!(err.contains("t.yaml#/components/schemas/B/type: unknown type `strng`"), "{err}");
    }
}
