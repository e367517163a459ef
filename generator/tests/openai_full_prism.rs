//! Every operation of the published OpenAI spec, called by the generated
//! client against Prism serving that spec: once in static mode and in
//! dynamic mode with fixed seeds.
//!
//! The spec is third-party data, read from `../shared/specs/openai/`; the test
//! skips, saying so, when it is not there. A harness crate is generated: for
//! each operation it builds the arguments from sample values (the schema's
//! own example when it has one, else a minimal value of the type), sends the
//! call, and prints one line per call. The test requires that every operation
//! was called and that every response Prism sent decoded, unless Prism itself
//! reported that response as breaking the spec (some of the spec's own
//! examples do). Requests Prism found invalid (the samples cannot know every
//! pattern or format) are counted by cause and printed.
//!
//! Issue 15's six programs (`openai_examples/`), written as a user of the
//! crate writes them, are built beside the harness with warnings denied and
//! run against the static Prism: each must succeed and print what the spec's
//! examples answer.

#[path = "support/offline_crate.rs"]
mod offline_crate;
#[path = "support/openai_spec.rs"]
mod openai_spec;
#[path = "../../tests/support/prism.rs"]
mod prism;
#[path = "../../tests/support/required.rs"]
mod required;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::emit::models::type_tokens;
use apigen::ir::{self, BodyKind, Model, Operation, ResponseBody, TypeKind, TypeRef, TypeSpace};
use offline_crate::{client_target_dir, crate_options, offline_cargo, write_offline_crate};
use serde_json::{json, Value};

const SEEDS: [&str; 3] = ["1", "7", "2026"];

/// Static answers built from the spec's own examples that break its schema
/// where Prism does not notice (it reports the first violation only, and not
/// inside discriminated unions): `(operation, what the client reports)`.
const KNOWN_EXAMPLE_DEFECTS: [(&str, &str); 8] = [
    // `OutputTextContent` requires `logprobs`; the example's message content has none.
    ("create_response", "missing field `logprobs`"),
    ("get_response", "missing field `logprobs`"),
    ("cancel_response", "missing field `logprobs`"),
    ("beta_create_response", "missing field `logprobs`"),
    ("beta_get_response", "missing field `logprobs`"),
    ("beta_cancel_response", "missing field `logprobs`"),
    // `OutputMessage` requires `id`; the property examples that make up this answer leave it out.
    ("compactconversation", "missing field `id`"),
    ("beta_compactconversation", "missing field `id`"),
];

const HARNESS_MANIFEST: &str = "[package]\nname = \"harness\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
    openai_full = { path = \"..\" }\nserde = \"1\"\nserde_json = \"1\"\nreqwest = { version = \"0.13\", default-features = false }\n\
    futures-util = \"0.3\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\n[workspace]\n";

/// Issue 15's programs: (name, source, what its output must contain).
const PROGRAMS: [(&str, &str, &str); 6] = [
    ("chat_completion", include_str!("openai_examples/chat_completion.rs"), "0: Some("),
    ("chat_completion_stream", include_str!("openai_examples/chat_completion_stream.rs"), "Hello"),
    ("chat_tool_call", include_str!("openai_examples/chat_tool_call.rs"), "("),
    ("embeddings", include_str!("openai_examples/embeddings.rs"), "dimensions"),
    ("list_files", include_str!("openai_examples/list_files.rs"), "bytes)"),
    ("upload_file", include_str!("openai_examples/upload_file.rs"), "uploaded "),
];

/// The programs as examples of the harness crate, warnings denied (a
/// `RUSTFLAGS` of `-Dwarnings` would rebuild the whole crate beside the harness's build).
fn program_files() -> impl Iterator<Item = (PathBuf, String)> {
    PROGRAMS.iter().map(|(name, source, _)| {
        (PathBuf::from(format!("examples/{name}.rs")), format!("#![deny(warnings)]\n{source}"))
    })
}

/// The spec as JSON, with its own streamed chat completion example (in
/// `x-oaiMeta`, which Prism does not read) as the example of the
/// `text/event-stream` answer: Prism cannot make events from a schema
/// (it answers 500, "Cannot serialise complex objects as text").
fn with_streamed_example(spec_dir: &Path, target: &Path) -> PathBuf {
    let mut spec: Value = serde_json::from_slice(&std::fs::read(spec_dir.join("openapi.json")).unwrap()).unwrap();
    let operation = spec.pointer_mut("/paths/~1chat~1completions/post").expect("the spec has POST /chat/completions");
    let streamed = operation["x-oaiMeta"]["examples"]
        .as_array()
        .and_then(|examples| examples.iter().find(|example| example["title"] == "Streaming"))
        .and_then(|example| example["response"].as_str())
        .expect("the chat completion has a streamed example");
    // The example lists the chunks' JSON, one blank line apart, with `....` for those left out.
    let events: String = streamed
        .split("\n\n")
        .filter(|chunk| serde_json::from_str::<Value>(chunk).is_ok())
        .map(|chunk| format!("data: {chunk}\n\n"))
        .collect();
    operation["responses"]["200"]["content"]["text/event-stream"]["example"] =
        json!(format!("{events}data: [DONE]\n\n"));
    let path = target.join("openapi-streamed-example.json");
    std::fs::write(&path, serde_json::to_string(&spec).unwrap()).unwrap();
    path
}

/// Runs each program against Prism serving `spec`, as a user would: the
/// client comes from `OPENAI_BASE_URL` and `OPENAI_API_KEY`. Prism answers
/// a request that breaks the spec with an error, which fails the program.
fn run_programs(spec: &Path, upload: &Path) {
    let Some(server) = prism::Prism::start(spec.to_str().unwrap(), None) else { return };
    for (name, _, expected) in PROGRAMS {
        let output = Command::new(client_target_dir().join("debug/examples").join(name))
            .arg(upload)
            .env("OPENAI_BASE_URL", &server.base_url)
            .env("OPENAI_API_KEY", "sk-test")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "the program {name} failed:\n{stdout}\n{stderr}");
        assert!(stdout.contains(expected), "the program {name} printed no `{expected}`:\n{stdout}");
        eprintln!("{name}: {}", stdout.lines().next().unwrap_or_default());
    }
}

fn rust_type(space: &TypeSpace, ty: &TypeRef) -> String {
    type_tokens(space, ty, &"openai_full::types::".parse().unwrap()).to_string()
}

/// A value of `ty`: a named type's first example, else the smallest value
/// with every required field.
fn sample(space: &TypeSpace, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::Named(id) => {
            let entry = space.get(*id);
            if let Some(example) = entry.examples.first() {
                return example.clone();
            }
            match &entry.kind {
                TypeKind::Struct(s) => {
                    let mut object = serde_json::Map::new();
                    for field in s.fields.iter().filter(|f| f.required && !f.flatten) {
                        object.insert(
                            field.wire_name.clone(),
                            if depth > 8 { Value::Null } else { sample(space, &field.ty, depth + 1) },
                        );
                    }
                    Value::Object(object)
                }
                TypeKind::Enum(e) => e.variants.first().map_or(json!("value"), |v| json!(v.wire_value)),
                TypeKind::Union(u) => {
                    let Some(variant) = u.variants.first() else { return Value::Null };
                    let mut value = sample(space, &variant.ty, depth + 1);
                    if let (Some(tag), Some(tag_value), Some(object)) =
                        (&u.tag, variant.tag_values.first(), value.as_object_mut())
                    {
                        object.insert(tag.clone(), json!(tag_value));
                    }
                    value
                }
                TypeKind::Alias(target) | TypeKind::Newtype(target) => sample(space, target, depth + 1),
                // The test generates without customisations, so nothing is replaced.
                TypeKind::Pending | TypeKind::Replaced => Value::Null,
            }
        }
        TypeRef::String => json!("sample"),
        TypeRef::Boolean => json!(true),
        TypeRef::Integer(_) => json!(1),
        TypeRef::Float(_) => json!(1.0),
        TypeRef::Bytes => json!(""),
        // Base64 of no bytes.
        TypeRef::Base64 => json!(""),
        TypeRef::Any | TypeRef::Map(_) => json!({}),
        TypeRef::Array(_) => json!([]),
        TypeRef::Tuple(items) => Value::Array(items.iter().map(|item| sample(space, item, depth + 1)).collect()),
        TypeRef::Option(_) | TypeRef::External(_) => Value::Null,
        TypeRef::Boxed(inner) => sample(space, inner, depth),
    }
}

/// A Rust expression that decodes `value` as `ty`.
fn decoded(space: &TypeSpace, ty: &TypeRef, value: &Value) -> String {
    format!("from_json::<{}>(r#\"{}\"#)", rust_type(space, ty), value)
}

/// The argument expression for a parameter, as the generated method takes it.
fn argument(space: &TypeSpace, ty: &TypeRef, value: &Value) -> String {
    match ty {
        TypeRef::String => format!("{:?}", value.as_str().unwrap_or("sample")),
        TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Boolean => decoded(space, ty, value),
        TypeRef::Array(_) => format!("&{}[..]", decoded(space, ty, value)),
        TypeRef::Option(_) if value.is_null() => "None".to_string(),
        TypeRef::Option(inner) => format!("Some({})", argument(space, inner, value)),
        other => format!("&{}", decoded(space, other, value)),
    }
}

fn file_part() -> &'static str {
    "openai_full::FilePart::bytes(&b\"sample file\"[..]).file_name(\"sample.jsonl\")"
}

/// The body argument of an operation.
fn body_argument(space: &TypeSpace, kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) | BodyKind::FormUrlEncoded(ty) => format!("&{}", decoded(space, ty, &sample(space, ty, 0))),
        BodyKind::Multipart(ty) => {
            let TypeRef::Named(id) = space.resolve(ty) else {
                return format!("&{}", decoded(space, ty, &sample(space, ty, 0)));
            };
            let entry = space.get(*id);
            let TypeKind::Struct(s) = &entry.kind else {
                return format!("&{}", decoded(space, ty, &sample(space, ty, 0)));
            };
            let mut fields = String::new();
            for field in s.fields.iter().filter(|f| !f.flatten) {
                let is_file = |ty: &TypeRef| matches!(space.resolve(ty), TypeRef::Bytes);
                let inner = match &field.ty {
                    TypeRef::Option(inner) => inner.as_ref(),
                    other => other,
                };
                let files_union = matches!(space.resolve(inner), TypeRef::Named(id) if matches!(&space.get(*id).kind, TypeKind::Union(u) if u.variants.iter().any(|v| is_file(&v.ty) || matches!(space.resolve(&v.ty), TypeRef::Array(item) if is_file(item)))));
                let value = match space.resolve(inner) {
                    TypeRef::Bytes => file_part().to_string(),
                    TypeRef::Array(item) if is_file(item) => format!("vec![{}]", file_part()),
                    _ if files_union => format!("vec![{}]", file_part()),
                    _ if !field.required => "None".to_string(),
                    _ => decoded(space, &field.ty, &sample(space, &field.ty, 0)),
                };
                let value = if field.ty.is_option() && value != "None" { format!("Some({value})") } else { value };
                let _ = writeln!(fields, "            {}: {value},", field.rust_name);
            }
            format!("openai_full::forms::{} {{\n{fields}        }}", entry.name)
        }
        BodyKind::Binary(_) => file_part().to_string(),
        BodyKind::Text(_) => "\"sample\"".to_string(),
    }
}

/// One async function per operation; it returns what to print.
fn call_function(space: &TypeSpace, index: usize, operation: &Operation) -> String {
    let mut arguments: Vec<String> = operation
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let value = match (&p.ty, p.location) {
                (TypeRef::String, ir::ParameterLocation::Path) => json!(format!("{}_123", p.wire_name)),
                (ty, _) => sample(space, ty, 0),
            };
            argument(space, &p.ty, &value)
        })
        .collect();
    if let Some(body) = operation.body.as_ref().filter(|b| b.required) {
        arguments.push(body_argument(space, &body.kind));
    }
    let collect = match operation.success.first().map(|r| &r.body) {
        Some(ResponseBody::Bytes) => ".collect().await.map_err(|e| format!(\"body: {e}\"))?",
        Some(ResponseBody::EventStream(_)) => ".count().await",
        _ => "",
    };
    format!(
        "async fn call_{index}(client: &openai_full::Client) -> Result<(), String> {{\n    \
         let _value = client.{}({}).await.map_err(describe)?{collect};\n    Ok(())\n}}\n",
        operation.method_name,
        arguments.join(", ")
    )
}

fn harness_main(model: &Model) -> String {
    let mut code = String::from(
        "#![allow(unused_imports, clippy::all)]\n\
         use futures_util::StreamExt;\n\
         use std::sync::{Arc, Mutex};\n\n\
         fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> T {\n    \
             serde_json::from_str(json).unwrap_or_else(|e| panic!(\"sample {json} does not decode: {e}\"))\n}\n\n\
         fn describe<E: std::fmt::Debug>(error: openai_full::Error<E>) -> String {\n    \
             match error {\n        \
                 openai_full::Error::Decode { path, message, .. } => format!(\"DECODE at {path}: {message}\"),\n        \
                 other => match other.status() {\n            \
                     Some(status) => format!(\"status {}\", status.as_u16()),\n            \
                     None => format!(\"{other}\"),\n        \
                 },\n    \
             }\n}\n\n\
         /// The first violation Prism reported for the last request.\n\
         #[derive(Clone, Default)]\n\
         struct Violations(Arc<Mutex<Option<String>>>);\n\n\
         impl openai_full::Hook for Violations {\n    \
             fn after(&self, _: &reqwest::Method, _: &reqwest::Url, outcome: Result<&reqwest::Response, &reqwest::Error>) {\n        \
                 let found = outcome.ok().and_then(|r| r.headers().get(\"sl-violations\")).and_then(|v| v.to_str().ok())\n            \
                     .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())\n            \
                     .and_then(|v| v.get(0).cloned())\n            \
                     .map(|v| format!(\"{} {}: {}\", v[\"location\"][0].as_str().unwrap_or(\"?\"), v[\"code\"].as_str().unwrap_or(\"?\"), v[\"message\"].as_str().unwrap_or(\"?\")));\n        \
                 *self.0.lock().unwrap() = found;\n    \
             }\n}\n\n",
    );
    for (index, operation) in model.operations.iter().enumerate() {
        code.push_str(&call_function(&model.types, index, operation));
    }
    code.push_str("\n#[tokio::main]\nasync fn main() {\n    let base_url = std::env::args().nth(1).expect(\"base URL\");\n    let violations = Violations::default();\n    let client = openai_full::Client::new(base_url).with_bearer_token(\"sk-test\").with_hook(violations.clone());\n");
    for (index, operation) in model.operations.iter().enumerate() {
        let _ = writeln!(
            code,
            "    let outcome = call_{index}(&client).await;\n    let violation = violations.0.lock().unwrap().take();\n    match (outcome, violation) {{\n        (Ok(()), None) => println!(\"OK {name}\"),\n        (Ok(()), Some(v)) => println!(\"VIOLATION {name}: {{v}}\"),\n        (Err(e), v) => println!(\"FAIL {name}: {{e}} {{}}\", v.unwrap_or_default()),\n    }}",
            name = operation.method_name
        );
    }
    code.push_str("}\n");
    code
}

#[test]
fn every_operation_against_prism() {
    let Some(spec_dir) = openai_spec::openai_spec_dir() else { return };
    let spec = spec_dir.join("openapi.yaml");
    let bytes = std::fs::read(&spec).unwrap();
    let document = apigen::load::load("openapi.yaml", &bytes).unwrap();
    let model = ir::build(&document, &Default::default()).unwrap();
    let options = apigen::Options::new().cargo_features(true).layout(apigen::Layout::Tree);
    let generated = apigen::generate("openapi.yaml", &bytes, &options).unwrap();

    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openai_full_client");
    let harness_dir = crate_dir.join("harness");
    write_offline_crate(&crate_dir, crate_options("openai_full").files(&generated, true));
    write_offline_crate(
        &harness_dir,
        [
            (PathBuf::from("Cargo.toml"), HARNESS_MANIFEST.to_string()),
            (PathBuf::from("src/main.rs"), harness_main(&model)),
        ]
        .into_iter()
        .chain(program_files()),
    );
    let upload = harness_dir.join("train.jsonl");
    std::fs::write(&upload, "{\"prompt\": \"a\", \"completion\": \"b\"}\n").unwrap();
    let build =
        offline_cargo("build", &harness_dir, &client_target_dir()).args(["--bins", "--examples"]).output().unwrap();
    assert!(build.status.success(), "the harness did not build:\n{}", String::from_utf8_lossy(&build.stderr));

    run_programs(&with_streamed_example(&spec_dir, &crate_dir), &upload);

    let mut modes: Vec<(String, Option<&str>)> = vec![("static".into(), None)];
    modes.extend(SEEDS.iter().map(|seed| (format!("dynamic seed {seed}"), Some(*seed))));
    let mut decode_failures = Vec::new();
    for (mode, seed) in modes {
        let Some(server) = prism::Prism::start(spec.to_str().unwrap(), seed) else { return };
        let output = Command::new(client_target_dir().join("debug/harness")).arg(&server.base_url).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{mode}: the harness failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), model.operations.len(), "{mode}: every operation is called once");
        let mut causes: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for line in &lines {
            let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
            let (name, cause) = rest.split_once(": ").unwrap_or((rest, ""));
            let cause = match kind {
                "OK" => "ok".to_string(),
                _ => format!("{kind} {}", cause.split(" at ").next().unwrap_or(cause)),
            };
            // A body Prism itself flags as breaking the spec (the spec's own
            // example is wrong) may fail to decode; any other must decode.
            let known = seed.is_none()
                && KNOWN_EXAMPLE_DEFECTS
                    .iter()
                    .any(|(operation, message)| *operation == name && line.contains(message));
            if cause.contains("DECODE") && !line.contains(" response ") && !known {
                decode_failures.push(format!("{mode}: {line}"));
            }
            causes.entry(cause).or_default().push(name);
        }
        eprintln!("\n{mode}: {} operations", lines.len());
        for (cause, names) in &causes {
            eprintln!(
                "  {:4} {cause}{}",
                names.len(),
                if cause == "ok" {
                    String::new()
                } else {
                    format!(" ({})", names.iter().take(4).cloned().collect::<Vec<_>>().join(", "))
                }
            );
        }
    }
    assert!(decode_failures.is_empty(), "responses from Prism that did not decode:\n{}", decode_failures.join("\n"));
}
