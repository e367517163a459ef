//! Hostile inputs of modest size that used to take minutes or gigabytes:
//! each must finish (no timing asserts: a quadratic or exponential stage
//! would take minutes here, which CI notices) with a located error or
//! generated code. Peak time and memory in release are in the README.

use apigen::Options;

#[path = "support/hostile.rs"]
mod hostile;

fn generate(file: &str, spec: &str) -> Result<String, String> {
    apigen::generate(file, spec.as_bytes(), &Options::default())
        .map(|generated| generated.code)
        .map_err(|error| error.to_string())
}

/// The lines of the item that starts with `start`, up to its closing brace.
fn item<'c>(code: &'c str, start: &str) -> Vec<&'c str> {
    let from = code.find(start).unwrap_or_else(|| panic!("no `{start}` in the output"));
    code[from..].lines().take_while(|line| line.trim() != "}").collect()
}

/// An anchor of 1,000 values used 20,000 times: 20 million values from 80 KB.
#[test]
fn yaml_aliases_repeated_at_one_level_are_bounded() {
    let spec = hostile::aliases_repeated_at_one_level();
    let error = generate("aliases.yaml", &spec).unwrap_err();
    assert!(error.starts_with("aliases.yaml:4:"), "{error}");
    assert!(error.contains("the document expands to more than 250000 values through YAML aliases"), "{error}");
}

/// One anchored schema of 990 properties aliased 500 times: half a million
/// fields from 16 KB (8.7 s and 800 MB before the budget was halved and floored at 250k).
#[test]
fn aliased_schemas_are_bounded() {
    let spec = hostile::aliased_schemas();
    let error = generate("schemas.yaml", &spec).unwrap_err();
    assert!(error.starts_with("schemas.yaml:6:"), "{error}");
    assert!(error.contains("the document expands to more than 250000 values"), "{error}");
}

/// Aliases of aliases ("billion laughs"): nine levels of ten copies, a
/// billion values from a few hundred bytes. serde_yaml's count of alias uses
/// stops this one before the value budget does.
#[test]
fn nested_yaml_aliases_are_bounded() {
    let spec = hostile::nested_aliases();
    let error = generate("lol.yaml", &spec).unwrap_err();
    assert_eq!(error, "lol.yaml: invalid YAML: repetition limit exceeded");
}

/// Aliases within the budget are expanded as usual: a schema shared by anchor.
#[test]
fn modest_yaml_aliases_still_load() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: &shape {type: object, properties: {x: {type: string}}}\n    B: *shape\n";
    let code = generate("shared.yaml", spec).unwrap();
    assert!(code.contains("pub struct A") && code.contains("pub struct B"), "{code}");
}

/// Each level merges the one below twice (`allOf: [$ref, $ref]`): 2^60 paths
/// through the merge, one schema each.
#[test]
fn all_of_diamonds_merge_each_schema_once() {
    let (levels, spec) = (hostile::DIAMOND_LEVELS, hostile::all_of_diamonds());
    let code = generate("diamond.yaml", &spec).unwrap();
    let top = item(&code, &format!("pub struct D{levels} "));
    assert_eq!(top.iter().filter(|line| line.ends_with(": Option<String>,")).count(), levels + 1, "{top:#?}");
}

/// 150 schemas that each hold all the others by value: 22,500 edges in one
/// strongly connected component, broken in one pass.
#[test]
fn mutually_referencing_schemas_are_boxed_in_one_pass() {
    let (count, spec) = (hostile::MESH_SCHEMAS, hostile::mutually_referencing_schemas());
    let code = generate("mesh.yaml", &spec).unwrap();
    // S0 comes first: each of its fields closes a cycle.
    let first = item(&code, "pub struct S0 ");
    assert_eq!(first.iter().filter(|line| line.contains(": Option<Box<S")).count(), count, "{first:#?}");
}

/// 300 objects that each merge one schema of 2,000 properties: 600k fields
/// from 42 KB (11.6 s, 990 MB), refused at the first object past the bound.
#[test]
fn all_of_merges_copying_many_fields_are_bounded() {
    let spec = hostile::all_of_merges_copying_many_fields();
    let error = generate("wide.yaml", &spec).unwrap_err();
    assert_eq!(error, "wide.yaml#/components/schemas/O125: `allOf` merging makes more than 250000 fields in all, counting this schema's; apigen merges at most that many");
}

/// 800 untagged unions of the same two structs of 3,000 properties: each
/// union listed every variant's properties, and gathered each branch's
/// properties again to look for a tag: 4.8 million names from 136 KB (8 s,
/// 1.1 GB and 177 MB of code in release); each struct's names are gathered
/// and written once now.
#[test]
fn untagged_unions_list_each_struct_s_properties_once() {
    let (structs, spec) = (hostile::UNION_STRUCTS, hostile::untagged_unions_of_wide_structs());
    let code = generate("unions.yaml", &spec).unwrap();
    let mentions = code.matches("\"p2999\"").count();
    assert_eq!(mentions, structs, "`\"p2999\"` is listed {mentions} times");
    assert!(code.len() < 20 * spec.len(), "{} bytes of code from {} of spec", code.len(), spec.len());
}

/// 3,500 operations that all return the head of a chain of 3,500 types
/// (850 KB): recording which operations reach each type made 12 million
/// entries, and gating each type read them all again (`apigen crate` 4.4 s,
/// 181 MB in release); one walk a feature now, each type holding its features.
#[test]
fn types_reached_by_many_operations_record_each_feature_once() {
    let (types, spec) = (hostile::CHAIN_TYPES, hostile::operations_reaching_a_long_chain());
    let document = apigen::load::load("chain.yaml", spec.as_bytes()).unwrap();
    let model = apigen::ir::build(&document, &apigen::ir::ModelOptions::default()).unwrap();
    assert_eq!(model.features, ["a", "b"]);
    let last = model.types.entries.iter().find(|entry| entry.name == format!("T{}", types - 1)).unwrap();
    assert_eq!(last.features, [0, 1]);
}
