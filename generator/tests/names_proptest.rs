//! Random specs whose operationIds, parameters, schemas, properties and tags
//! are drawn from names the generated code uses itself (keywords, runtime
//! methods, helper types, locals), names that differ only in case or `_`,
//! digits and non-ASCII: the code parses, and every namespace of it holds
//! each name once. Compiling each case would be too slow; `hostile_names.rs`
//! compiles a fixed sample.

use std::collections::{BTreeMap, HashSet};

use apigen::{generate, Options};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const PIECES: &[&str] = &[
    "self",
    "Self",
    "type",
    "box",
    "crate",
    "super",
    "fn",
    "async",
    "r#type",
    "new",
    "call",
    "base_url",
    "with_bearer_token",
    "with_hook",
    "clone",
    "default",
    "header",
    "header_param",
    "query",
    "request",
    "body",
    "request_body",
    "paginate",
    "pages",
    "items",
    "send",
    "timeout",
    "map_request",
    "into_future",
    "add",
    "deref",
    "next",
    "from",
    "additional_properties",
    "additionalProperties",
    "UntaggedVariant",
    "Option",
    "Box",
    "Result",
    "Vec",
    "String",
    "Serialize",
    "x",
    "x_stream",
    "stream",
    "a_1",
    "a1",
    "A1",
    "1st",
    "2",
    "0",
    "用户",
    "Größe",
    "é",
    "🦀",
    "foo",
    "Foo",
    "FOO",
    "foo_",
    "_foo",
    "f_oo",
    "",
    "-",
    "a-b",
    "a b",
    "a.b",
    "a+b",
    "client",
    "all-types",
    "untagged",
];

/// A name made of one or two pieces.
fn nasty_name() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(PIECES);
    (piece.clone(), prop::option::of((prop::sample::select(&["", "_", "-", " "][..]), piece))).prop_map(
        |(first, rest)| match rest {
            Some((joint, second)) => format!("{first}{joint}{second}"),
            None => first.to_string(),
        },
    )
}

fn parameter() -> impl Strategy<Value = Value> {
    (nasty_name(), prop::sample::select(&["query", "header", "path"][..]), any::<bool>()).prop_map(|(name, location, required)| {
        // `{}` is no path template (the loader refuses it), so an empty name goes in the query.
        let location = if name.is_empty() && location == "path" { "query" } else { location };
        json!({"name": name, "in": location, "required": required || location == "path", "schema": {"type": "string"}})
    })
}

/// Responses: no body, two success bodies (an enum in `responses`), or JSON or events (a `_stream` twin).
fn responses() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"204": {"description": "none"}})),
        Just(json!({
            "200": {"description": "text", "content": {"application/json": {"schema": {"type": "string"}}}},
            "201": {"description": "number", "content": {"application/json": {"schema": {"type": "integer"}}}}
        })),
        Just(json!({"200": {"description": "either", "content": {
            "application/json": {"schema": {"type": "string"}},
            "text/event-stream": {"schema": {"type": "string"}}
        }}})),
    ]
}

fn operation() -> impl Strategy<Value = (String, Value)> {
    let body = prop::option::of(any::<bool>());
    (nasty_name(), prop::collection::vec(nasty_name(), 0..3), prop::collection::vec(parameter(), 0..5), body, responses()).prop_map(
        |(id, tags, parameters, body, responses)| {
            let mut operation = json!({"operationId": id, "tags": tags, "parameters": parameters, "responses": responses});
            if let Some(required) = body {
                operation["requestBody"] = json!({"required": required, "content": {"application/json": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}});
            }
            (id, operation)
        },
    )
}

fn schema(names: Vec<String>) -> impl Strategy<Value = Value> {
    let properties = prop::collection::vec(nasty_name(), 1..5);
    let union = prop::collection::vec(prop::sample::select(names), 2..4);
    prop_oneof![
        (properties, any::<bool>()).prop_map(|(properties, open)| {
            let properties: Map<String, Value> = properties.into_iter().map(|p| (p, json!({"type": "string"}))).collect();
            let mut schema = json!({"type": "object", "properties": properties});
            if open {
                schema["additionalProperties"] = json!({"type": "integer"});
            }
            schema
        }),
        union.prop_map(|targets| json!({"oneOf": targets.iter().map(|t| json!({"$ref": format!("#/components/schemas/{t}")})).collect::<Vec<_>>()})),
    ]
}

fn spec() -> impl Strategy<Value = Value> {
    let schema_names =
        prop::collection::btree_set(nasty_name(), 1..5).prop_map(|names| names.into_iter().collect::<Vec<_>>());
    let schemas = schema_names.prop_flat_map(|names| {
        let count = names.len();
        (Just(names.clone()), prop::collection::vec(schema(names), count))
    });
    (prop::collection::vec(operation(), 1..6), schemas).prop_map(|(operations, (names, schemas))| {
        let mut paths = Map::new();
        let mut ids = HashSet::new();
        for (index, (id, operation)) in operations.into_iter().enumerate() {
            // A duplicate operationId is an error of the spec, not a clash of names.
            if !ids.insert(id) {
                continue;
            }
            let path_parameters: Vec<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| format!("/{{{}}}", p["name"].as_str().unwrap_or_default()))
                .collect();
            paths.insert(format!("/p{index}{}", path_parameters.concat()), json!({"post": operation}));
        }
        let schemas: Map<String, Value> = names.into_iter().zip(schemas).collect();
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
    })
}

/// The names an item declares in the type namespace of its module.
fn type_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

fn methods(block: &syn::ItemImpl) -> impl Iterator<Item = String> + '_ {
    block.items.iter().filter_map(|item| match item {
        syn::ImplItem::Fn(function) => Some(function.sig.ident.to_string()),
        _ => None,
    })
}

/// The names of a method's arguments.
fn arguments(function: &syn::ImplItemFn) -> Vec<String> {
    let names = function.sig.inputs.iter().filter_map(|input| match input {
        syn::FnArg::Typed(typed) => match &*typed.pat {
            syn::Pat::Ident(name) => Some(name.ident.to_string()),
            _ => None,
        },
        syn::FnArg::Receiver(_) => None,
    });
    names.collect()
}

/// Each generated method's arguments are distinct, and none is `request`,
/// the local that every method body and setter closure binds.
fn assert_arguments_distinct(block: &syn::ItemImpl) {
    for item in &block.items {
        let syn::ImplItem::Fn(function) = item else { continue };
        let arguments = arguments(function);
        assert_unique(&format!("the arguments of {}", function.sig.ident), &arguments);
        assert!(!arguments.iter().any(|a| a == "request"), "{} takes `request`", function.sig.ident);
    }
}

/// The last segment of an impl's type and, for `Call<.., params::Marker>`, the marker.
fn self_type(block: &syn::ItemImpl) -> (String, Option<String>) {
    let syn::Type::Path(path) = &*block.self_ty else { return (String::new(), None) };
    let Some(last) = path.path.segments.last() else { return (String::new(), None) };
    let marker = match &last.arguments {
        syn::PathArguments::AngleBracketed(arguments) => arguments.args.iter().find_map(|argument| match argument {
            syn::GenericArgument::Type(syn::Type::Path(marker))
                if marker.path.segments.first().is_some_and(|s| s.ident == "params") =>
            {
                marker.path.segments.last().map(|s| s.ident.to_string())
            }
            _ => None,
        }),
        _ => None,
    };
    (last.ident.to_string(), marker)
}

fn assert_unique(namespace: &str, names: &[String]) {
    let mut seen = HashSet::new();
    for name in names {
        assert!(seen.insert(name), "`{name}` twice in {namespace}: {names:?}");
    }
}

/// Every namespace of the generated module holds each name once: the client's
/// methods (the runtime's among them), each call's methods (the runtime's,
/// the setters and pagination of its marker), the types of each module, and
/// the fields of each struct.
fn assert_names_unique(file: &syn::File) {
    let mut client_methods = Vec::new();
    let mut generic_call_methods = Vec::new();
    let mut marker_methods: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut visit_impls = |items: &[syn::Item], runtime: bool| {
        for item in items {
            let syn::Item::Impl(block) = item else { continue };
            if !runtime {
                assert_arguments_distinct(block);
            }
            match self_type(block) {
                (name, _) if name == "Client" && block.trait_.is_none() => client_methods.extend(methods(block)),
                (name, None) if name == "Call" => generic_call_methods.extend(methods(block)),
                (name, Some(marker)) if name == "Call" => {
                    marker_methods.entry(marker).or_default().extend(methods(block))
                }
                _ => {}
            }
        }
    };
    visit_impls(&file.items, false);
    for item in &file.items {
        let syn::Item::Mod(module) = item else { continue };
        let Some((_, items)) = &module.content else { continue };
        if module.ident == "runtime" {
            visit_impls(items, true);
        }
        let types: Vec<String> = items.iter().filter_map(type_name).collect();
        assert_unique(&format!("module {}", module.ident), &types);
        for item in items {
            if let syn::Item::Struct(s) = item {
                let fields: Vec<String> =
                    s.fields.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)).collect();
                assert_unique(&format!("struct {}", s.ident), &fields);
            }
        }
    }
    assert_unique("Client", &client_methods);
    for (marker, methods) in marker_methods {
        let all: Vec<String> = generic_call_methods.iter().cloned().chain(methods).collect();
        assert_unique(&format!("Call of {marker}"), &all);
    }
}

fn is_portable_feature(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

proptest! {
    #[test]
    fn nasty_names_give_valid_unique_names(spec in spec()) {
        let bytes = serde_json::to_vec(&spec).unwrap();
        let options = Options::new().cargo_features(true);
        let generated = generate("spec.json", &bytes, &options).unwrap_or_else(|e| panic!("{e}\n{spec:#}"));
        let file = syn::parse_file(&generated.code).unwrap_or_else(|e| panic!("does not parse: {e}\n{}", generated.code));
        assert_names_unique(&file);
        assert_unique("features", &generated.tag_features);
        for feature in &generated.tag_features {
            prop_assert!(is_portable_feature(feature), "{feature:?}");
        }
    }
}

#[test]
#[should_panic(expected = "`new` twice in Client")]
fn a_method_beside_the_runtimes_is_caught() {
    let file = syn::parse_str("mod runtime { impl Client { fn new() {} } } impl Client { fn new(&self) {} }").unwrap();
    assert_names_unique(&file);
}

#[test]
#[should_panic(expected = "`header` twice in Call of ListThings")]
fn a_setter_beside_the_calls_methods_is_caught() {
    let file = syn::parse_str("mod runtime { impl<'a, T, E, P> Call<'a, T, E, P> { fn header() {} } } impl<T> Call<'_, T, E, params::ListThings> { fn header() {} }").unwrap();
    assert_names_unique(&file);
}

#[test]
#[should_panic(expected = "takes `request`")]
fn a_setter_argument_named_request_is_caught() {
    let file = syn::parse_str("impl<T> Call<'_, T, E, params::A> { fn request(self, request: &str) -> Self { self } }")
        .unwrap();
    assert_names_unique(&file);
}
