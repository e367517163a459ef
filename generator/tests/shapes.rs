//! A campaign over schema *shapes*: seeded, legal OpenAPI 3.0, 3.1 and 3.2
//! documents that combine constructs the way no fixture does (type arrays,
//! `nullable`, `const`, mixed enums, defaults of the wrong type, nested
//! `allOf`/`oneOf`/`anyOf` with `$ref` siblings, discriminators, `not`,
//! `additionalProperties`, `patternProperties`, `prefixItems`, `$defs`,
//! `if`/`then`/`else`, formats, recursion, boolean schemas, odd property
//! names; parameters of every location and style, bodies of many media
//! types, responses, headers, links, callbacks, webhooks, servers, security
//! schemes, and components of every kind referenced by `$ref`). Each
//! document must generate, and its `apigen crate` must pass
//! `cargo clippy --all-targets -- -D warnings`, build (which instantiates
//! generics a check does not), and hold no doctest.
//!
//! The crates are members of one cargo workspace, so that dependencies
//! build once and the members check in one cargo run. Each seed's result is
//! printed; a failing seed's document is kept under the test's target
//! directory (`shapes/docs/seed_N.json`) and reproduces alone with
//! `SHAPES_SEED_START=N SHAPES_SEEDS=1`:
//!
//! ```sh
//! cargo test -p apigen --test shapes -- --nocapture
//! SHAPES_SEEDS=200 cargo test -p apigen --test shapes -- --nocapture
//! ```

#[path = "support/offline_crate.rs"]
mod offline_crate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use offline_crate::{crate_options, offline_cargo, write_offline_crate};
use serde_json::{json, Map, Value};

/// Seeds a run checks unless `SHAPES_SEEDS` says otherwise: within about
/// five minutes of `scripts/test` on two cores once the dependencies are built.
const DEFAULT_SEEDS: u64 = 24;

/// SplitMix64: a few lines, and the same documents on every platform and
/// every release (a crate's generator may change its stream between versions).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Version {
    V3_0,
    V3_1,
    V3_2,
}

impl Version {
    fn text(self) -> &'static str {
        match self {
            Version::V3_0 => "3.0.3",
            Version::V3_1 => "3.1.0",
            Version::V3_2 => "3.2.0",
        }
    }

    /// JSON Schema 2020-12 (3.1 and later) rather than 3.0's subset.
    fn full_json_schema(self) -> bool {
        self >= Version::V3_1
    }
}

/// Component names: plain, differing only in case, digits first, non-ASCII, Rust's own.
const SCHEMA_NAMES: &[&str] = &[
    "Pet",
    "pet",
    "PET",
    "Node",
    "Tree",
    "Item",
    "item_",
    "1st",
    "Ünïcode",
    "日本",
    "Self",
    "Option",
    "Result",
    "Value",
    "Box",
    "Error",
    "Event",
    "Kind",
    "Type",
    "a.b",
    "a-b",
    "Vec",
    "String",
];

/// Property names: numbers, empty, unicode, keywords, duplicates after case folding.
const PROPERTY_NAMES: &[&str] = &[
    "id", "ID", "Id", "name", "kind", "type", "self", "1", "0", "", " ", "é", "naïve", "日本", "a-b", "a_b", "aB",
    "a b", "value", "items", "default", "ref", "r#type", "crate", "_", "__", "status", "data", "next", "+1", "-1",
];

const FORMATS_INTEGER: &[&str] = &["int32", "int64", "uint", "uint32", "uint64", "int8", "unknown-int"];
const FORMATS_NUMBER: &[&str] = &["float", "double", "decimal", "unknown-number"];
const FORMATS_STRING: &[&str] =
    &["date-time", "date", "time", "uuid", "binary", "byte", "password", "email", "uri", "unknown-format"];

struct Builder {
    rng: Rng,
    version: Version,
    /// The component schemas, in the order they were named.
    schemas: Vec<String>,
    /// Object components every discriminated union may name: they require `kind`.
    variants: Vec<String>,
    /// Pointers of the `$defs` of components.
    defs: Vec<String>,
    components: Map<String, Value>,
    operation_ids: BTreeSet<String>,
}

impl Builder {
    fn new(seed: u64) -> Builder {
        let mut rng = Rng(seed);
        let version = *rng.pick(&[Version::V3_0, Version::V3_1, Version::V3_2]);
        Builder {
            rng,
            version,
            schemas: Vec::new(),
            variants: Vec::new(),
            defs: Vec::new(),
            components: Map::new(),
            operation_ids: BTreeSet::new(),
        }
    }

    fn reference(kind: &str, name: &str) -> Value {
        json!({ "$ref": format!("#/components/{kind}/{}", name.replace('~', "~0").replace('/', "~1")) })
    }

    fn schema_ref(&mut self) -> Value {
        if !self.defs.is_empty() && self.rng.chance(25) {
            return json!({ "$ref": self.rng.pick(&self.defs).clone() });
        }
        let name = self.rng.pick(&self.schemas).clone();
        Builder::reference("schemas", &name)
    }

    /// A schema that is no bare `$ref` (nor `allOf` of one): a component made
    /// only of one would be an alias, and aliases may make a cycle of nothing
    /// but `$ref`s, which apigen refuses as documented.
    fn named_schema(&mut self, depth: usize) -> Value {
        loop {
            let schema = self.schema(depth);
            // 3.0 ignores the siblings of a `$ref`, and `allOf` of one `$ref` is that type.
            let alone = |map: &Map<String, Value>| map.len() == 1 || !self.version.full_json_schema();
            let is_ref = |schema: &Value| schema.as_object().is_some_and(|map| map.contains_key("$ref") && alone(map));
            let lone_all_of = schema["allOf"].as_array().is_some_and(|parts| parts.len() == 1 && is_ref(&parts[0]));
            if !is_ref(&schema) && !lone_all_of {
                return schema;
            }
        }
    }

    /// Makes `schema` nullable the way the version spells it.
    fn nullable(&mut self, mut schema: Value) -> Value {
        if !self.version.full_json_schema() {
            if schema.get("$ref").is_some() {
                return json!({ "allOf": [schema], "nullable": true });
            }
            schema["nullable"] = json!(true);
            return schema;
        }
        match (schema.get("type").cloned(), self.rng.below(2)) {
            (Some(Value::String(t)), 0) => {
                schema["type"] = json!([t, "null"]);
                schema
            }
            _ => json!({ "anyOf": [schema, { "type": "null" }] }),
        }
    }

    fn scalar_value(&mut self) -> Value {
        match self.rng.below(7) {
            0 => json!("text"),
            1 => json!(self.rng.below(1000) as i64 - 500),
            2 => json!(1.5),
            3 => json!(true),
            4 => Value::Null,
            5 => json!({ "k": [1, "two"] }),
            _ => json!(["a", 1]),
        }
    }

    fn leaf(&mut self) -> Value {
        let full = self.version.full_json_schema();
        let mut schema = match self.rng.below(if full { 12 } else { 9 }) {
            0 => json!({ "type": "string" }),
            1 => json!({ "type": "string", "format": *self.rng.pick(FORMATS_STRING) }),
            2 => json!({ "type": "integer", "format": *self.rng.pick(FORMATS_INTEGER), "minimum": 0 }),
            3 => json!({ "type": "number", "format": *self.rng.pick(FORMATS_NUMBER) }),
            4 => json!({ "type": "boolean" }),
            5 => json!({}),
            6 => {
                let values: Vec<Value> =
                    (0..self.rng.range(1, 4)).map(|i| json!(format!("v{i}-{}", self.rng.below(3)))).collect();
                json!({ "type": "string", "enum": dedup(values) })
            }
            7 => {
                let values = (0..self.rng.range(1, 5)).map(|_| self.scalar_value()).collect();
                json!({ "enum": dedup(values) })
            }
            8 => json!({ "type": "object" }),
            9 => {
                let value = self.scalar_value();
                json!({ "const": value })
            }
            10 => {
                let types = match self.rng.below(4) {
                    0 => json!(["string", "null"]),
                    1 => json!(["integer", "string"]),
                    2 => json!([]),
                    _ => json!(["number", "boolean", "null"]),
                };
                json!({ "type": types })
            }
            _ => match self.rng.below(3) {
                0 => json!({ "type": "string", "contentEncoding": "base64" }),
                1 => json!({ "type": "string", "contentMediaType": "image/png" }),
                _ => {
                    json!({ "type": "string", "contentMediaType": "application/json", "contentSchema": { "type": "object" } })
                }
            },
        };
        if self.rng.chance(15) {
            // Defaults of every kind, the wrong type's too (3.1: `default` is only an annotation).
            schema["default"] = if full { self.scalar_value() } else { json!("x") };
            if !full && schema.get("type") != Some(&json!("string")) {
                schema.as_object_mut().expect("a schema object").remove("default");
            }
        }
        if self.rng.chance(10) {
            schema[*self.rng.pick(&["readOnly", "writeOnly"])] = json!(true);
        }
        if self.rng.chance(15) {
            schema = self.nullable(schema);
        }
        schema
    }

    fn object(&mut self, depth: usize) -> Value {
        let mut properties = Map::new();
        for _ in 0..self.rng.range(0, 5) {
            let name = self.rng.pick(PROPERTY_NAMES).to_string();
            let schema = self.schema(depth);
            properties.insert(name, schema);
        }
        let mut required: Vec<Value> = properties.keys().filter(|_| self.rng.chance(50)).map(|k| json!(k)).collect();
        if self.rng.chance(15) {
            // A required property that is not declared.
            required.push(json!("undeclared"));
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = json!(dedup(required));
        }
        match self.rng.below(6) {
            0 => schema["additionalProperties"] = json!(true),
            1 => schema["additionalProperties"] = json!(false),
            2 => schema["additionalProperties"] = self.schema(depth),
            _ => {}
        }
        if self.version.full_json_schema() {
            if self.rng.chance(15) {
                schema["patternProperties"] = json!({ "^x-": self.schema(depth) });
            }
            if self.rng.chance(10) {
                schema["unevaluatedProperties"] = json!(false);
            }
            if self.rng.chance(10) {
                schema["dependentSchemas"] = json!({ "id": { "required": ["name"] } });
            }
            if self.rng.chance(10) {
                schema["if"] = json!({ "properties": { "kind": { "const": "a" } } });
                schema["then"] = json!({ "required": ["id"] });
                schema["else"] = json!({ "required": ["name"] });
            }
        }
        schema
    }

    fn schema(&mut self, depth: usize) -> Value {
        if depth == 0 || self.rng.chance(35) {
            return match self.rng.below(10) {
                0 | 1 if !self.schemas.is_empty() => self.schema_ref(),
                2 if self.version.full_json_schema() => json!(*self.rng.pick(&[true, false, true])),
                _ => self.leaf(),
            };
        }
        let depth = depth - 1;
        let full = self.version.full_json_schema();
        let mut schema = match self.rng.below(if full { 12 } else { 10 }) {
            0 | 1 => self.object(depth),
            2 => json!({ "type": "array", "items": self.schema(depth) }),
            3 => json!({ "type": "object", "additionalProperties": self.schema(depth) }),
            4 => {
                let parts = self.parts(depth);
                json!({ "allOf": parts })
            }
            5 => {
                let parts = self.parts(depth);
                json!({ "oneOf": parts })
            }
            6 => {
                let parts = self.parts(depth);
                json!({ "anyOf": parts })
            }
            7 => self.discriminated(),
            8 => json!({ "not": self.schema(depth) }),
            9 if !self.schemas.is_empty() => {
                // A `$ref` with siblings: 3.0 ignores them, 3.1 applies them.
                let mut reference = self.schema_ref();
                reference["description"] = json!("A reference with siblings.");
                if full {
                    reference["properties"] = json!({ "extra": { "type": "string" } });
                }
                reference
            }
            10 if full => {
                let items: Vec<Value> = (0..self.rng.range(1, 3)).map(|_| self.schema(depth)).collect();
                let rest = if self.rng.chance(50) { json!(false) } else { self.schema(depth) };
                json!({ "type": "array", "prefixItems": items, "items": rest })
            }
            11 if full => json!({ "type": "array", "items": false }),
            _ => self.object(depth),
        };
        if self.rng.chance(20) {
            schema["description"] =
                json!("Some *text* with `code`, a [link](https://example.com) and\n\n```\nnot rust\n```");
        }
        if self.rng.chance(10) {
            schema = self.nullable(schema);
        }
        schema
    }

    fn parts(&mut self, depth: usize) -> Vec<Value> {
        (0..self.rng.range(1, 4))
            .map(
                |_| {
                    if self.rng.chance(40) && !self.schemas.is_empty() {
                        self.schema_ref()
                    } else {
                        self.schema(depth)
                    }
                },
            )
            .collect()
    }

    /// A `oneOf`/`anyOf` of object components that require `kind`, with a
    /// discriminator, its mapping sometimes.
    fn discriminated(&mut self) -> Value {
        let count = self.rng.range(1, self.variants.len());
        let mut names: Vec<String> = (0..count).map(|_| self.rng.pick(&self.variants).clone()).collect();
        names.sort();
        names.dedup();
        let branches: Vec<Value> = names.iter().map(|name| Builder::reference("schemas", name)).collect();
        let mut discriminator = json!({ "propertyName": "kind" });
        if self.rng.chance(50) {
            let mapping: Map<String, Value> = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    (format!("k{i}-{}", name.to_lowercase()), Builder::reference("schemas", name)["$ref"].clone())
                })
                .collect();
            discriminator["mapping"] = Value::Object(mapping);
        }
        let keyword = if self.rng.chance(70) { "oneOf" } else { "anyOf" };
        json!({ keyword: branches, "discriminator": discriminator })
    }

    fn component_schemas(&mut self) {
        let count = self.rng.range(3, 8);
        let mut names: Vec<String> = (0..count).map(|_| self.rng.pick(SCHEMA_NAMES).to_string()).collect();
        names.sort();
        names.dedup();
        // Named first, so that schemas can refer to any of them: recursion, direct and mutual.
        self.schemas = names.clone();
        self.variants = (0..self.rng.range(1, 3)).map(|i| format!("Variant{i}")).collect();
        let mut schemas = Map::new();
        for variant in self.variants.clone() {
            let mut object = self.object(1);
            object["properties"]["kind"] = json!({ "type": "string" });
            let mut required = object.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
            required.push(json!("kind"));
            object["required"] = json!(dedup(required));
            schemas.insert(variant, object);
        }
        let defs_owner = (self.version.full_json_schema() && self.rng.chance(50)).then(|| names[0].clone());
        if let Some(owner) = &defs_owner {
            let owner = Builder::reference("schemas", owner)["$ref"].as_str().expect("a pointer").to_string();
            self.defs.push(format!("{owner}/$defs/Inner"));
        }
        for name in names {
            let mut schema = self.named_schema(3);
            if defs_owner.as_ref() == Some(&name) {
                let inner = self.named_schema(2);
                if !schema.is_object() {
                    schema = json!({ "allOf": [schema] });
                }
                schema["$defs"] = json!({ "Inner": inner });
            }
            schemas.insert(name, schema);
        }
        self.schemas.extend(self.variants.clone());
        self.components.insert("schemas".into(), Value::Object(schemas));
    }

    fn parameter_schema(&mut self, style: &str) -> Value {
        match style {
            "deepObject" => {
                json!({ "type": "object", "properties": { "a": { "type": "string" }, "b": { "type": "integer" } } })
            }
            _ => match self.rng.below(4) {
                0 => json!({ "type": "array", "items": self.leaf() }),
                1 => {
                    json!({ "type": "object", "properties": { "x": { "type": "integer" }, "y": { "type": "string" } } })
                }
                _ => self.leaf(),
            },
        }
    }

    fn parameter(&mut self, location: &str, name: &str) -> Value {
        let styles: &[&str] = match location {
            "path" => &["simple", "label", "matrix"],
            "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            "header" => &["simple"],
            _ => &["form"],
        };
        let style = *self.rng.pick(styles);
        let mut parameter = json!({ "name": name, "in": location, "style": style });
        if self.rng.chance(50) {
            parameter["explode"] = json!(self.rng.chance(50));
        }
        if location == "path" || self.rng.chance(30) {
            parameter["required"] = json!(true);
        }
        match self.rng.below(10) {
            0 => {
                parameter.as_object_mut().expect("an object").remove("style");
                parameter.as_object_mut().expect("an object").remove("explode");
                parameter["content"] = json!({ "application/json": { "schema": self.schema(1) } });
            }
            // Without a schema: a value of any kind.
            1 if location != "path" => {}
            _ => parameter["schema"] = self.parameter_schema(style),
        }
        if self.rng.chance(10) {
            parameter["deprecated"] = json!(true);
        }
        parameter
    }

    fn media_types(&mut self) -> Map<String, Value> {
        let mut content = Map::new();
        for _ in 0..self.rng.range(1, 3) {
            let media = *self.rng.pick(&[
                "application/json",
                "*/*",
                "application/vnd.api+json",
                "multipart/form-data",
                "application/x-www-form-urlencoded",
                "application/octet-stream",
                "text/plain",
                "application/xml",
            ]);
            let value = match media {
                "multipart/form-data" => {
                    let mut object = self.object(1);
                    object["properties"]["file"] = json!({ "type": "string", "format": "binary" });
                    let mut media = json!({ "schema": object });
                    if self.rng.chance(50) {
                        media["encoding"] = json!({
                            "file": { "contentType": "image/png, image/jpeg", "headers": { "X-Part": { "schema": { "type": "string", "const": "fixed" } } } }
                        });
                    }
                    media
                }
                "application/x-www-form-urlencoded" => json!({ "schema": self.object(1) }),
                "application/octet-stream" => json!({ "schema": { "type": "string", "format": "binary" } }),
                "text/plain" => json!({ "schema": { "type": "string" } }),
                _ => json!({ "schema": self.schema(2) }),
            };
            content.insert(media.into(), value);
        }
        content
    }

    fn response(&mut self) -> Value {
        let mut response = json!({ "description": "A response." });
        if self.rng.chance(70) {
            response["content"] = Value::Object(self.media_types());
        }
        if self.rng.chance(30) {
            response["headers"] = json!({
                "X-Rate-Limit": { "schema": { "type": "integer" }, "required": true },
                "X-Other": { "description": "no schema of its own", "content": { "text/plain": { "schema": { "type": "string" } } } },
            });
            if self.components.contains_key("headers") {
                response["headers"]["X-Shared"] = Builder::reference("headers", "Shared");
            }
        }
        if self.rng.chance(20) {
            response["links"] =
                json!({ "Next": { "operationId": "missingIsFine", "parameters": { "id": "$response.body#/id" } } });
        }
        response
    }

    fn operation(&mut self, path_parameters: &[String]) -> Value {
        let mut operation = Map::new();
        if self.rng.chance(85) {
            let id = loop {
                let id = format!(
                    "{}{}",
                    self.rng.pick(&["get", "list", "create", "do-it", "Ünï", "self", "type", "1op"]),
                    self.rng.below(50)
                );
                if self.operation_ids.insert(id.clone()) {
                    break id;
                }
            };
            operation.insert("operationId".into(), json!(id));
        }
        if self.rng.chance(50) {
            operation.insert("tags".into(), json!([*self.rng.pick(&["pets", "Pets", "日本", "store-front", "a b"])]));
        }
        let mut parameters: Vec<Value> = path_parameters.iter().map(|name| self.parameter("path", name)).collect();
        for _ in 0..self.rng.range(0, 4) {
            let location = *self.rng.pick(&["query", "header", "cookie"]);
            let name = format!(
                "{}{}",
                self.rng.pick(&["limit", "q", "X-Trace", "filter", "session", "type", "é"]),
                self.rng.below(3)
            );
            if !parameters.iter().any(|p| p["name"] == json!(name) && p["in"] == json!(location)) {
                parameters.push(self.parameter(location, &name));
            }
        }
        if self.components.contains_key("parameters") && self.rng.chance(50) {
            parameters.push(Builder::reference("parameters", "Shared"));
        }
        operation.insert("parameters".into(), json!(parameters));
        if self.rng.chance(50) {
            let body = match self.rng.below(3) {
                0 if self.components.contains_key("requestBodies") => Builder::reference("requestBodies", "Shared"),
                _ => json!({ "content": self.media_types(), "required": self.rng.chance(50) }),
            };
            operation.insert("requestBody".into(), body);
        }
        let mut responses = Map::new();
        for _ in 0..self.rng.range(1, 4) {
            let status = *self.rng.pick(&["200", "201", "204", "2XX", "400", "4XX", "404", "default", "302"]);
            let response = match self.rng.below(4) {
                0 if self.components.contains_key("responses") => Builder::reference("responses", "Shared"),
                _ if status == "204" => json!({ "description": "No content." }),
                _ => self.response(),
            };
            responses.insert(status.into(), response);
        }
        operation.insert("responses".into(), Value::Object(responses));
        if self.rng.chance(15) {
            let body = self.media_types();
            operation.insert(
                "callbacks".into(),
                json!({ "onEvent": { "{$request.body#/callbackUrl}": { "post": {
                    "requestBody": { "content": body },
                    "responses": { "200": { "description": "Received." } }
                } } } }),
            );
        }
        if self.rng.chance(20) {
            operation.insert("security".into(), self.security_requirement());
        }
        Value::Object(operation)
    }

    fn security_requirement(&mut self) -> Value {
        let names: Vec<String> = self
            .components
            .get("securitySchemes")
            .and_then(Value::as_object)
            .map(|schemes| schemes.keys().cloned().collect())
            .unwrap_or_default();
        if names.is_empty() {
            return json!([{}]);
        }
        let anonymous = self.rng.chance(20);
        let alternatives: Vec<Value> = (0..self.rng.range(1, 3))
            .map(|_| {
                let name = self.rng.pick(&names).clone();
                let scopes = if self.rng.chance(30) { json!(["read"]) } else { json!([]) };
                json!({ name: scopes })
            })
            .chain(anonymous.then(|| json!({})))
            .collect();
        json!(alternatives)
    }

    fn security_schemes(&mut self) {
        let mut schemes = Map::new();
        let kinds = [
            ("api_key_header", json!({ "type": "apiKey", "in": "header", "name": "X-Api-Key" })),
            ("apiKeyQuery", json!({ "type": "apiKey", "in": "query", "name": "key" })),
            ("cookie", json!({ "type": "apiKey", "in": "cookie", "name": "SESSION" })),
            ("basic", json!({ "type": "http", "scheme": "basic" })),
            ("Bearer", json!({ "type": "http", "scheme": "bearer", "bearerFormat": "JWT" })),
            ("digest", json!({ "type": "http", "scheme": "digest" })),
            (
                "oauth",
                json!({ "type": "oauth2", "flows": {
                    "clientCredentials": { "tokenUrl": "https://example.com/token", "scopes": { "read": "Read." } },
                    "authorizationCode": { "authorizationUrl": "https://example.com/auth", "tokenUrl": "https://example.com/token", "scopes": {} },
                    "implicit": { "authorizationUrl": "https://example.com/auth", "scopes": { "read": "Read." } },
                    "password": { "tokenUrl": "https://example.com/token", "scopes": {} }
                } }),
            ),
            (
                "oidc",
                json!({ "type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known/openid-configuration" }),
            ),
        ];
        for (name, scheme) in kinds {
            if self.rng.chance(40) {
                schemes.insert(name.into(), scheme);
            }
        }
        if self.version.full_json_schema() && self.rng.chance(30) {
            schemes.insert("mtls".into(), json!({ "type": "mutualTLS" }));
        }
        if !schemes.is_empty() {
            self.components.insert("securitySchemes".into(), Value::Object(schemes));
        }
    }

    /// Components other than schemas, each named `Shared`, for operations to reference.
    fn other_components(&mut self) {
        if self.rng.chance(50) {
            let parameter = self.parameter("query", "shared");
            self.components.insert("parameters".into(), json!({ "Shared": parameter }));
        }
        if self.rng.chance(50) {
            let schema = self.leaf();
            self.components.insert("headers".into(), json!({ "Shared": { "schema": schema } }));
        }
        if self.rng.chance(50) {
            let response = self.response();
            self.components.insert("responses".into(), json!({ "Shared": response }));
        }
        if self.rng.chance(50) {
            let content = self.media_types();
            self.components.insert("requestBodies".into(), json!({ "Shared": { "content": content } }));
        }
    }

    fn document(mut self) -> Value {
        self.component_schemas();
        self.security_schemes();
        self.other_components();
        let mut paths = Map::new();
        let mut path_items = Map::new();
        for index in 0..self.rng.range(1, 4) {
            let parameters: Vec<String> = (0..self.rng.range(0, 2))
                .map(|i| format!("{}{i}", self.rng.pick(&["id", "name", "ÿ", "type"])))
                .collect();
            let template: String = parameters.iter().map(|p| format!("/{{{p}}}")).collect();
            let path = format!("/r{index}{template}");
            let mut item = Map::new();
            for _ in 0..self.rng.range(1, 3) {
                let method = *self.rng.pick(&["get", "post", "put", "delete", "patch", "head", "options", "trace"]);
                let operation = self.operation(&parameters);
                item.insert(method.into(), operation);
            }
            if self.version == Version::V3_2 && self.rng.chance(30) {
                let operation = self.operation(&parameters);
                item.insert("query".into(), operation);
            }
            if self.version.full_json_schema() && self.rng.chance(30) {
                let name = format!("Item{index}");
                path_items.insert(name.clone(), Value::Object(item));
                paths.insert(path, Builder::reference("pathItems", &name));
            } else {
                paths.insert(path, Value::Object(item));
            }
        }
        if !path_items.is_empty() {
            self.components.insert("pathItems".into(), Value::Object(path_items));
        }
        let mut document = json!({
            "openapi": self.version.text(),
            "info": { "title": "Shapes", "version": "1.0.0" },
            "paths": paths,
        });
        if self.rng.chance(60) {
            document["servers"] = json!([{
                "url": "https://{region}.example.com/{base}",
                "variables": { "region": { "default": "eu", "enum": ["eu", "us"] }, "base": { "default": "v1" } }
            }]);
        }
        if self.rng.chance(40) {
            document["security"] = self.security_requirement();
        }
        if self.version.full_json_schema() && self.rng.chance(40) {
            let body = self.media_types();
            document["webhooks"] = json!({ "thing.created": { "post": {
                "requestBody": { "content": body },
                "responses": { "200": { "description": "Received." } }
            } } });
        }
        document["components"] = Value::Object(self.components);
        document
    }
}

fn dedup(values: Vec<Value>) -> Vec<Value> {
    let mut unique: Vec<Value> = Vec::new();
    for value in values {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    unique
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name}={v} is no number")))
}

/// What happened to one seed.
struct Outcome {
    seed: u64,
    version: &'static str,
    lines: usize,
    failure: Option<String>,
}

#[test]
fn shapes_generate_crates_that_pass_clippy() {
    let count = env_number("SHAPES_SEEDS", DEFAULT_SEEDS);
    let start = env_number("SHAPES_SEED_START", 0);
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shapes");
    let docs = work.join("docs");
    let crates = work.join("crates");
    // Members of an earlier run would join this one's workspace.
    let _ = std::fs::remove_dir_all(&crates);
    std::fs::create_dir_all(&docs).unwrap();

    let mut outcomes = Vec::new();
    let mut members = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for seed in start..start + count {
        let document = Builder::new(seed).document();
        let version = match document["openapi"].as_str() {
            Some("3.0.3") => "3.0",
            Some("3.1.0") => "3.1",
            _ => "3.2",
        };
        let path = docs.join(format!("seed_{seed}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&document).unwrap()).unwrap();
        let layout = if seed % 2 == 0 { apigen::Layout::OneFile } else { apigen::Layout::Tree };
        let generator =
            apigen::Generator::new().spec(&path).layout(layout).cargo_features(true).emit_rerun_if_changed(false);
        let mut outcome = Outcome { seed, version, lines: 0, failure: None };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| generator.generate())) {
            Err(_) => outcome.failure = Some("apigen panicked".into()),
            Ok(Err(error)) => outcome.failure = Some(format!("generation failed: {error}")),
            Ok(Ok(generated)) => {
                outcome.lines = generated.code.lines().count()
                    + generated.files.iter().map(|(_, code)| code.lines().count()).sum::<usize>();
                let member = format!("seed_{seed}");
                for (file, contents) in crate_options(&member).files(&generated, true) {
                    files.push((Path::new("crates").join(&member).join(file), as_member(contents)));
                }
                members.push(member);
            }
        }
        outcomes.push(outcome);
    }
    let workspace = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("\"crates/{m}\"")).collect::<Vec<_>>().join(", ")
    );
    files.push((PathBuf::from("Cargo.toml"), workspace));
    let _ = std::fs::remove_file(work.join("Cargo.toml"));
    write_offline_crate(&work, files);

    let target = work.join("target");
    // Clippy checks without building; a build also instantiates the
    // generics (serde's, for one), which can fail where a check passes.
    let checks: [(&str, &[&str]); 2] = [
        ("clippy", &["--workspace", "--all-targets", "--keep-going", "--message-format=json", "--", "-D", "warnings"]),
        ("build", &["--workspace", "--lib", "--keep-going", "--message-format=json"]),
    ];
    let mut failed: BTreeMap<String, String> = BTreeMap::new();
    for (subcommand, args) in checks.into_iter().filter(|_| !members.is_empty()) {
        let output = offline_cargo(subcommand, &work, &target).args(args).output().expect("cargo runs");
        let lints = lints_by_member(&String::from_utf8_lossy(&output.stdout));
        assert!(
            output.status.success() || !lints.is_empty(),
            "cargo {subcommand} failed without a message at code:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        for (member, lints) in lints {
            failed.entry(member).or_insert(format!("cargo {subcommand}: {lints}"));
        }
    }
    let built: Vec<&String> = members.iter().filter(|member| !failed.contains_key(*member)).collect();
    if !built.is_empty() {
        let mut doctests = offline_cargo("test", &work, &target);
        doctests.args(["--workspace", "--doc"]);
        for member in failed.keys() {
            doctests.args(["--exclude", member]);
        }
        let output = doctests.output().expect("cargo runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let found: Vec<&str> =
            stdout.lines().filter(|l| l.starts_with("running ") && *l != "running 0 tests").collect();
        assert!(output.status.success(), "cargo test --doc failed:\n{}", String::from_utf8_lossy(&output.stderr));
        assert!(found.is_empty(), "doc comments hold doctests: {found:?}\n{stdout}");
    }
    for outcome in &mut outcomes {
        if let Some(failure) = failed.remove(&format!("seed_{}", outcome.seed)) {
            outcome.failure = Some(failure);
        }
    }

    println!("\n{:>6} {:>4} {:>7}  result", "seed", "oas", "lines");
    for outcome in &outcomes {
        let result = outcome.failure.as_deref().map_or("ok", |f| f.lines().next().unwrap_or("failed"));
        println!("{:>6} {:>4} {:>7}  {result}", outcome.seed, outcome.version, outcome.lines);
    }
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|o| {
            o.failure
                .as_ref()
                .map(|f| format!("seed {} ({}):\n{f}", o.seed, docs.join(format!("seed_{}.json", o.seed)).display()))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} seeds failed:\n\n{}", failures.len(), outcomes.len(), failures.join("\n\n"));
}

/// The crate's manifest as a workspace member: without the table that makes
/// it standalone, and with doctests on (the manifest turns them off should a
/// code block slip through; the campaign checks that none does).
fn as_member(contents: String) -> String {
    if !contents.contains("[package]") {
        return contents;
    }
    contents.replace("\n[workspace]\n", "\n").replace("[lib]\ndoctest = false\n", "")
}

/// Each member's lints: the count of each, then each lint's first message in full.
fn lints_by_member(stdout: &str) -> BTreeMap<String, String> {
    let mut lints: BTreeMap<String, BTreeMap<String, (usize, String)>> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        let at_code = message["message"]["spans"].as_array().is_some_and(|spans| !spans.is_empty());
        // Summaries ("aborting due to 3 previous errors") point at no code.
        if message["reason"] != "compiler-message"
            || !at_code
            || !matches!(message["message"]["level"].as_str(), Some("error" | "warning"))
        {
            continue;
        }
        let member = message["target"]["name"].as_str().unwrap_or("?").to_string();
        let code = message["message"]["code"]["code"].as_str().unwrap_or("error without a lint").to_string();
        let rendered = message["message"]["rendered"].as_str().unwrap_or_default().to_string();
        lints.entry(member).or_default().entry(code).or_insert((0, rendered)).0 += 1;
    }
    lints
        .into_iter()
        .map(|(member, lints)| {
            let summary: Vec<String> = lints.iter().map(|(lint, (count, _))| format!("{lint} x{count}")).collect();
            let firsts: Vec<&str> = lints.values().map(|(_, rendered)| rendered.as_str()).collect();
            (member, format!("{}\n{}", summary.join(", "), firsts.join("")))
        })
        .collect()
}
