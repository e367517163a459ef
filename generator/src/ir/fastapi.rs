//! Names for the schemas FastAPI makes up: a form or multipart body is a
//! component `Body_<operationId>`, and its default operationId ends with the
//! operation's path and method (`add_upload_part_v1_datasets_uploads__upload_id__parts_post`).
//! Such a body is named after the operation without that suffix: `AddUploadPartBody`.

use std::collections::{HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::load::PathOperations;

use super::names::type_name;
use super::operations::strip_fastapi_suffix;

/// The prefix FastAPI puts before an operationId to name its body schema.
const BODY_PREFIX: &str = "Body_";

/// The Rust name wanted for each component schema that is a FastAPI body,
/// by schema name. A body keeps its own name when the shorter one is another
/// schema's or another body's too.
pub fn body_type_names(api: &OpenAPI, paths: &[(String, ReferenceOr<PathOperations>)]) -> HashMap<String, String> {
    let Some(components) = &api.components else { return HashMap::new() };
    let mut wanted: HashMap<String, String> = HashMap::new();
    for (template, item) in paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            let Some(id) = &operation.operation_id else { continue };
            let schema = format!("{BODY_PREFIX}{id}");
            if !components.schemas.contains_key(&schema) {
                continue;
            }
            if let Some(function) = strip_fastapi_suffix(id, template, method) {
                wanted.insert(schema, format!("{}Body", type_name(&function)));
            }
        }
    }
    let taken: HashSet<String> =
        components.schemas.keys().filter(|name| !wanted.contains_key(*name)).map(|name| type_name(name)).collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for name in wanted.values() {
        *uses.entry(name.as_str()).or_default() += 1;
    }
    wanted
        .iter()
        .filter(|(_, name)| uses.get(name.as_str()) == Some(&1) && !taken.contains(*name))
        .map(|(schema, name)| (schema.clone(), name.clone()))
        .collect()
}
