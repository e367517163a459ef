//! The whole published OpenAI spec, end to end (types only).
//!
//! The spec is third-party data and is not part of the repository: these
//! tests read it from `../shared/specs/openai/` beside the repository and
//! skip, saying so, when it is not there.
//!
//! `full_crate_builds_and_decodes_the_examples` generates the types-only
//! crate plus a harness binary that decodes every operation's documented
//! response example (and the JSON bodies of its curl request examples) into
//! the generated type, writes it back and compares, then builds and runs it
//! offline with the versions of the workspace's Cargo.lock.
//!
//! Many of OpenAI's examples break their own schema (they leave out required
//! properties, give `null` where it is not allowed, ...), so an independent
//! JSON Schema 2020-12 validator (the `jsonschema` crate) judges each example
//! against its schema first. The claim: every example that conforms to its
//! schema round-trips; one that does not may fail, and the report gives the
//! validator's reason for each.

#[path = "support/offline_crate.rs"]
mod offline_crate;
#[path = "support/openai_spec.rs"]
mod openai_spec;
#[path = "../../tests/support/required.rs"]
mod required;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use apigen::emit::models::type_tokens;
use apigen::error::child_pointer;
use apigen::ir::{self, BodyKind, ModelOptions, Operation, Response, ResponseBody, Status, TypeSpace};
use apigen::Options;
use jsonschema::Draft;
use offline_crate::{crate_options, offline_cargo, write_offline_crate};
use openai_spec::openai_spec_dir;
use serde_json::{json, Value};

fn types_only() -> Options {
    Options::new().client(false)
}

/// The generated code without its first line, which names the source file.
fn without_header(code: &str) -> &str {
    code.split_once('\n').map_or(code, |(_, rest)| rest)
}

#[test]
fn yaml_and_json_give_the_same_code() {
    let Some(dir) = openai_spec_dir() else { return };
    let generate = |name: &str| {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        apigen::generate(name, &bytes, &types_only()).unwrap().code
    };
    let (yaml, json) = (generate("openapi.yaml"), generate("openapi.json"));
    assert!(without_header(&yaml) == without_header(&json), "openapi.yaml and openapi.json generate different code");
}

/// One example to check: which operation, which Rust type, which schema (a
/// JSON pointer into the document), which JSON text.
struct Case {
    label: String,
    type_path: String,
    schema: String,
    json: String,
}

/// What the examples of the spec gave.
#[derive(Default)]
struct Collected {
    cases: Vec<Case>,
    /// Examples that are not JSON (SSE transcripts, JSON with comments or trailing commas, ...).
    not_json: Vec<String>,
}

/// `x-oaiMeta.examples` is one example object or a list of them.
fn example_objects(meta: &Value) -> Vec<&Value> {
    match meta.get("examples") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(example @ Value::Object(_)) => vec![example],
        _ => Vec::new(),
    }
}

/// A response example is a string holding JSON, or already a JSON value, or an object with its own `response`.
fn response_text(response: &Value) -> Option<String> {
    match response {
        Value::String(text) => Some(text.clone()),
        Value::Object(object) if object.contains_key("response") => response_text(&object["response"]),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The `-d '...'` JSON body of a curl example.
fn curl_body(curl: &str) -> Option<&str> {
    let start = curl.find("-d '")? + 4;
    let length = curl[start..].find('\'')?;
    Some(&curl[start..start + length])
}

fn type_path(space: &TypeSpace, ty: &ir::TypeRef) -> String {
    type_tokens(space, ty, &"openai_full::types::".parse().unwrap()).to_string()
}

/// The examples of every operation that has them, each with the type and the
/// schema apigen reads it as. `spec` is the JSON document.
fn collect_cases(spec: &Value, model: &ir::Model) -> Collected {
    let mut collected = Collected::default();
    for operation in &model.operations {
        let Some(meta) = at(spec, &operation.pointer).get("x-oaiMeta") else { continue };
        let name = operation.operation_id.clone().unwrap_or_else(|| operation.method_name.clone());
        let response = operation.success.iter().find_map(|response| match &response.body {
            ResponseBody::Json(ty) => Some((type_path(&model.types, ty), response_schema(spec, operation, response))),
            _ => None,
        });
        let request = match operation.body.as_ref().map(|body| &body.kind) {
            Some(BodyKind::Json(ty)) => Some((type_path(&model.types, ty), request_schema(spec, operation))),
            _ => None,
        };
        for (index, example) in example_objects(meta).into_iter().enumerate() {
            let label = format!("{name} example {index}");
            let mut add = |what: &str, target: &Option<(String, String)>, text: &str| {
                let Some((type_path, schema)) = target else { return };
                let label = format!("{label} {what}");
                if serde_json::from_str::<Value>(text).is_ok() {
                    collected.cases.push(Case {
                        label,
                        type_path: type_path.clone(),
                        schema: schema.clone(),
                        json: text.to_string(),
                    });
                } else {
                    collected.not_json.push(label);
                }
            };
            if let Some(text) = example.get("response").and_then(response_text) {
                add("response", &response, &text);
            }
            if let Some(body) = example.pointer("/request/curl").and_then(Value::as_str).and_then(curl_body) {
                add("request", &request, body);
            }
        }
    }
    collected
}

/// The value at a JSON pointer (`#/...`) of the document, which must be there.
fn at<'a>(spec: &'a Value, pointer: &str) -> &'a Value {
    spec.pointer(pointer.trim_start_matches('#')).unwrap_or_else(|| panic!("openapi.json has nothing at {pointer}"))
}

/// `pointer`, or where the `$ref` there leads: responses and request bodies may be components.
fn past_ref(spec: &Value, pointer: String) -> String {
    match at(spec, &pointer).get("$ref").and_then(Value::as_str) {
        Some(target) => past_ref(spec, target.to_string()),
        None => pointer,
    }
}

/// Where the schema of a response is: the status and media type apigen read it from.
fn response_schema(spec: &Value, operation: &Operation, response: &Response) -> String {
    let status = match response.status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_string(),
    };
    let media_type = response.media_type.as_deref().expect("a JSON response names its media type");
    let response = past_ref(spec, child_pointer(&format!("{}/responses", operation.pointer), &status));
    format!("{}/schema", child_pointer(&format!("{response}/content"), media_type))
}

/// Where the schema of a JSON request body is.
fn request_schema(spec: &Value, operation: &Operation) -> String {
    let body = past_ref(spec, format!("{}/requestBody", operation.pointer));
    let content = at(spec, &format!("{body}/content")).as_object().expect("content maps media types");
    let media_type = content
        .keys()
        .find(|name| name.starts_with("application/json"))
        .unwrap_or_else(|| panic!("{body} has no application/json content"));
    format!("{}/schema", child_pointer(&format!("{body}/content"), media_type))
}

/// The document as a JSON Schema 2020-12 validator must read it to judge the
/// examples as apigen reads the spec (generator/src/load/normalize.rs):
///
/// - `nullable: true`, OpenAPI 3.0's keyword that this 3.1 spec still uses, is
///   "this schema or null": `{anyOf: [the schema without it, {type: 'null'}]}`.
///   An `allOf` member that says nothing but `nullable: true` (beside a
///   description or title) makes the whole schema nullable that way.
/// - 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`, also still used,
///   make `minimum`/`maximum` exclusive: 2020-12 spells that as a number.
/// - `oneOf` is read as `anyOf`: OpenAI's branches overlap, and the generated
///   code takes a matching branch rather than requiring exactly one. This only
///   lets more examples count as valid, so the test gets stricter, not looser.
/// - `required` is a set, as for apigen: a name listed twice counts once.
///
/// normalize.rs's other rewrites (type lists, `const`, `$ref` siblings,
/// `prefixItems`, ...) restate 3.1 in 3.0 words with the same meaning, which a
/// 2020-12 validator reads as it is. `format` is not asserted (see `schema_verdicts`).
fn read_like_apigen(document: &mut Value, schema_map: bool) {
    match document {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if schema_map || key == "schema" {
                    read_schema_like_apigen(child);
                } else if !(key == "example" || key == "examples" || key.starts_with("x-")) {
                    // Example values are data, not schemas; `schemas` is components.schemas.
                    read_like_apigen(child, key == "schemas");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| read_like_apigen(item, false)),
        _ => {}
    }
}

const SUBSCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMAS: [&str; 10] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];
const SUBSCHEMA_MAPS: [&str; 4] = ["properties", "patternProperties", "$defs", "dependentSchemas"];

fn read_schema_like_apigen(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let mut nullable = map.remove("nullable") == Some(Value::Bool(true));
    if let Some(Value::Array(parts)) = map.get_mut("allOf") {
        let before = parts.len();
        parts.retain(|part| !is_nullable_only(part));
        nullable |= parts.len() < before;
        if parts.is_empty() {
            map.remove("allOf");
        }
    }
    if let Some(Value::Array(names)) = map.get_mut("required") {
        // One schema of the spec names properties twice, which 2020-12 forbids
        // (`uniqueItems`) and the validator then miscounts as missing.
        let mut seen = HashSet::new();
        names.retain(|name| seen.insert(name.to_string()));
    }
    for (key, child) in map.iter_mut() {
        match child {
            Value::Array(items) if SUBSCHEMA_LISTS.contains(&key.as_str()) => {
                items.iter_mut().for_each(read_schema_like_apigen)
            }
            Value::Object(children) if SUBSCHEMA_MAPS.contains(&key.as_str()) => {
                children.values_mut().for_each(read_schema_like_apigen)
            }
            _ if SUBSCHEMAS.contains(&key.as_str()) => read_schema_like_apigen(child),
            _ => {}
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(&Value::Bool(is_exclusive)) = map.get(exclusive) {
            map.remove(exclusive);
            if let Some(bound) = map.remove(bound).filter(|_| is_exclusive) {
                map.insert(exclusive.into(), bound);
            }
        }
    }
    if let Some(branches) = map.remove("oneOf") {
        if map.contains_key("anyOf") {
            // Both unions must hold: the second becomes a part of an `allOf`.
            let parts = map.entry("allOf").or_insert_with(|| json!([]));
            parts.as_array_mut().expect("allOf is a list").push(json!({ "anyOf": branches }));
        } else {
            map.insert("anyOf".into(), branches);
        }
    }
    if nullable {
        let alone = std::mem::take(map);
        *schema = json!({ "anyOf": [alone, { "type": "null" }] });
    }
}

/// An `allOf` member that adds only nullability, as normalize.rs's `is_nullable_only` reads it.
fn is_nullable_only(part: &Value) -> bool {
    part.as_object().is_some_and(|part| {
        part.get("nullable") == Some(&Value::Bool(true))
            && part.keys().all(|key| matches!(key.as_str(), "nullable" | "description" | "title"))
    })
}

/// The base URI the document is registered under for the validator.
const DOCUMENT_URI: &str = "urn:apigen:openai";

/// Each case's verdict from an independent JSON Schema 2020-12 validator (the
/// `jsonschema` crate), with `$ref`s resolved in the whole document read as
/// apigen reads it: `Err` holds its first complaint.
fn schema_verdicts(mut spec: Value, cases: &[Case]) -> Vec<Result<(), String>> {
    read_like_apigen(&mut spec, false);
    let registry = jsonschema::Registry::new()
        .add(DOCUMENT_URI, Draft::Draft202012.create_resource(spec))
        .unwrap()
        .prepare()
        .unwrap();
    // `format` is an annotation in 2020-12, and apigen checks none.
    let options =
        jsonschema::options().with_draft(Draft::Draft202012).with_registry(&registry).should_validate_formats(false);
    // One validator per schema: building one compiles everything it references.
    let mut validators = HashMap::new();
    cases
        .iter()
        .map(|case| {
            let validator = validators.entry(case.schema.as_str()).or_insert_with(|| {
                let reference = json!({ "$ref": format!("{DOCUMENT_URI}{}", uri_fragment(&case.schema)) });
                options.build(&reference).unwrap_or_else(|error| panic!("{}: {error}", case.schema))
            });
            let example: Value = serde_json::from_str(&case.json).unwrap();
            validator.validate(&example).map_err(|error| format!("at #{}: {}", error.instance_path(), error.masked()))
        })
        .collect()
}

/// A JSON pointer as a URI fragment: the braces of path templates (and any
/// other character a fragment may not hold) are percent-encoded.
fn uri_fragment(pointer: &str) -> String {
    pointer
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"#/-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// The harness: each case decodes with `serde_json` (through
/// `serde_path_to_error`, so a failure names the JSON path), encodes back, and
/// is compared with the round-trip rule of the golden tests (tests/golden/tests/support).
fn harness_main(cases: &[Case], support: &Path) -> String {
    let checks: String = cases.iter().map(|case| format!("    check::<{}>,\n", case.type_path)).collect();
    format!(
        "#[allow(dead_code)]\n#[path = {support:?}]\nmod support;\n\n\
         const CHECKS: &[fn(&str) -> Result<(), String>] = &[\n{checks}];\n\n\
         fn check<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<(), String> {{\n\
         \x20   let before: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;\n\
         \x20   let typed: T = serde_path_to_error::deserialize(&before)\n\
         \x20       .map_err(|e| format!(\"does not decode into {{}} at {{}}: {{}}\", std::any::type_name::<T>(), e.path(), e.inner()))?;\n\
         \x20   let after = serde_json::to_value(&typed).map_err(|e| e.to_string())?;\n\
         \x20   if support::equivalent(&before, &after) {{ Ok(()) }} else {{ Err(format!(\"round trip changed the value: {{after}}\")) }}\n\
         }}\n\n\
         fn main() {{\n\
         \x20   let cases: Vec<(String, String)> = serde_json::from_str(&std::fs::read_to_string(std::env::args().nth(1).expect(\"cases file\")).expect(\"readable\")).expect(\"cases\");\n\
         \x20   let mut decoded = 0;\n\
         \x20   for ((label, json), check) in cases.iter().zip(CHECKS) {{\n\
         \x20       match check(json) {{\n\
         \x20           Ok(()) => decoded += 1,\n\
         \x20           Err(error) => println!(\"FAIL {{label}}: {{error}}\"),\n\
         \x20       }}\n\
         \x20   }}\n\
         \x20   println!(\"decoded {{decoded}} / {{}}\", cases.len());\n\
         }}\n"
    )
}

/// Adds a dependency line to the generated crate's manifest, for the harness
/// alone (the types-only crate does not need it).
fn add_harness_dependency(files: &mut [(PathBuf, String)], line: &str) {
    let (_, manifest) = files.iter_mut().find(|(path, _)| path == Path::new("Cargo.toml")).unwrap();
    assert!(manifest.contains("\n[dependencies]\n"), "no [dependencies] table in the generated manifest:\n{manifest}");
    *manifest = manifest.replacen("\n[dependencies]\n", &format!("\n[dependencies]\n{line}\n"), 1);
}

#[test]
fn full_crate_builds_and_decodes_the_examples() {
    let Some(dir) = openai_spec_dir() else { return };
    let bytes = std::fs::read(dir.join("openapi.yaml")).unwrap();
    // As `apigen crate` writes it: a tree of files.
    let options = types_only().layout(apigen::Layout::Tree);
    let generated = apigen::generate("openapi.yaml", &bytes, &options).unwrap();
    let document = apigen::load::load("openapi.yaml", &bytes).unwrap();
    let model = ir::build(&document, &ModelOptions::default()).unwrap();
    // The same document as JSON (see yaml_and_json_give_the_same_code), read as plain JSON
    // for the examples and the schemas an independent validator judges them by.
    let spec: Value = serde_json::from_slice(&std::fs::read(dir.join("openapi.json")).unwrap()).unwrap();
    let collected = collect_cases(&spec, &model);
    let verdicts = schema_verdicts(spec, &collected.cases);

    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openai_full");
    let support = repository.join("tests/golden/tests/support/mod.rs").canonicalize().unwrap();
    let mut files = crate_options("openai_full").files(&generated, false);
    add_harness_dependency(&mut files, "serde_path_to_error = \"0.1\"");
    files.push((PathBuf::from("src/main.rs"), harness_main(&collected.cases, &support)));
    write_offline_crate(&crate_dir, files);
    let pairs: Vec<(&str, &str)> =
        collected.cases.iter().map(|case| (case.label.as_str(), case.json.as_str())).collect();
    let cases_file = crate_dir.join("cases.json");
    std::fs::write(&cases_file, serde_json::to_string(&pairs).unwrap()).unwrap();

    let output = offline_cargo("run", &crate_dir, &crate_dir.join("target"))
        .arg("--")
        .arg(&cases_file)
        .env("RUSTFLAGS", "-Dwarnings")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the generated crate failed to build or run:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Label -> the harness's error, for the examples that do not round-trip.
    let failures: HashMap<&str, &str> =
        stdout.lines().filter_map(|line| line.strip_prefix("FAIL ")?.split_once(": ")).collect();
    let summary = stdout.lines().last().unwrap_or_default();
    eprintln!("{summary} parseable ({} not JSON: {})", collected.not_json.len(), collected.not_json.join(", "));

    let failure_of = |case: &Case| failures.get(case.label.as_str()).copied();
    let accepted = verdicts.iter().filter(|verdict| verdict.is_ok()).count();
    let rejected: Vec<(&Case, &String)> = collected
        .cases
        .iter()
        .zip(&verdicts)
        .filter_map(|(case, verdict)| Some((case, verdict.as_ref().err()?)))
        .collect();
    let rejected_failing = rejected.iter().filter(|(case, _)| failure_of(case).is_some()).count();
    eprintln!(
        "the schema accepts {accepted} of {}; of the {} it rejects, {rejected_failing} do not round-trip:",
        verdicts.len(),
        rejected.len()
    );
    for (case, complaint) in &rejected {
        match failure_of(case) {
            Some(failure) => eprintln!("  schema-invalid, fails: {}: {complaint}\n    {failure}", case.label),
            None => eprintln!("  schema-invalid, round-trips: {}: {complaint}", case.label),
        }
    }
    // Against a vacuous pass: a validator that rejected everything (a broken `$ref`
    // resolution, a misread dialect) would excuse every failure. It accepts 274 of
    // the 362 (76%) today; two thirds leaves the spec's examples room to get
    // somewhat worse.
    assert!(
        accepted * 3 >= verdicts.len() * 2,
        "the schema accepts only {accepted} of {} examples: is the validator reading the spec right?",
        verdicts.len()
    );
    let valid_failures: Vec<String> = collected
        .cases
        .iter()
        .zip(&verdicts)
        .filter(|(_, verdict)| verdict.is_ok())
        .filter_map(|(case, _)| Some(format!("{}: {}", case.label, failure_of(case)?)))
        .collect();
    assert!(
        valid_failures.is_empty(),
        "{} examples that conform to their schema do not round-trip:\n{}",
        valid_failures.len(),
        valid_failures.join("\n")
    );
}
