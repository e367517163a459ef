//! The hostile inputs of `bounds_hostile.rs`, each of modest size, that used
//! to take minutes or gigabytes; the memory bench (`cargo bench -p apigen
//! --bench memory`) times each and prints its peak heap.

pub const HEADER: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// An anchor of 1,000 values used 20,000 times: 20 million values from 80 KB.
pub fn aliases_repeated_at_one_level() -> String {
    format!("{HEADER}x-items: &items [{}]\nx-uses: [{}]\n", vec!["1"; 1000].join(","), vec!["*items"; 20_000].join(","))
}

/// One anchored schema of 990 properties aliased 500 times: half a million
/// fields from 16 KB.
pub fn aliased_schemas() -> String {
    let properties: Vec<String> = (0..990).map(|index| format!("p{index}: {{}}")).collect();
    let mut spec = format!(
        "{HEADER}components:\n  schemas:\n    S0: &schema {{type: object, properties: {{{}}}}}\n",
        properties.join(", ")
    );
    for index in 1..500 {
        spec.push_str(&format!("    S{index}: *schema\n"));
    }
    spec
}

/// Aliases of aliases ("billion laughs"): nine levels of ten copies, a
/// billion values from a few hundred bytes.
pub fn nested_aliases() -> String {
    let mut spec = format!("{HEADER}x-0: &l0 [1,1,1,1,1,1,1,1,1,1]\n");
    for level in 1..9 {
        spec.push_str(&format!("x-{level}: &l{level} [{}]\n", vec![format!("*l{}", level - 1); 10].join(",")));
    }
    spec
}

/// Levels of [`all_of_diamonds`].
pub const DIAMOND_LEVELS: usize = 60;

/// Each level merges the one below twice (`allOf: [$ref, $ref]`): 2^60 paths
/// through the merge, one schema each.
pub fn all_of_diamonds() -> String {
    let mut spec =
        format!("{HEADER}components:\n  schemas:\n    D0: {{type: object, properties: {{p0: {{type: string}}}}}}\n");
    for level in 1..=DIAMOND_LEVELS {
        let below = format!("{{$ref: '#/components/schemas/D{}'}}", level - 1);
        spec.push_str(&format!("    D{level}: {{allOf: [{below}, {below}, {{type: object, properties: {{p{level}: {{type: string}}}}}}]}}\n"));
    }
    spec
}

/// Schemas of [`mutually_referencing_schemas`].
pub const MESH_SCHEMAS: usize = 150;

/// 150 schemas that each hold all the others by value: 22,500 edges in one
/// strongly connected component.
pub fn mutually_referencing_schemas() -> String {
    let mut spec = format!("{HEADER}components:\n  schemas:\n");
    for index in 0..MESH_SCHEMAS {
        let properties: Vec<String> =
            (0..MESH_SCHEMAS).map(|target| format!("p{target}: {{$ref: '#/components/schemas/S{target}'}}")).collect();
        spec.push_str(&format!("    S{index}: {{type: object, properties: {{{}}}}}\n", properties.join(", ")));
    }
    spec
}

/// 300 objects that each merge one schema of 2,000 properties: 600k fields
/// from 42 KB.
pub fn all_of_merges_copying_many_fields() -> String {
    let properties: Vec<String> = (0..2000).map(|index| format!("p{index}: {{}}")).collect();
    let mut spec = format!(
        "{HEADER}components:\n  schemas:\n    Big: {{type: object, properties: {{{}}}}}\n",
        properties.join(", ")
    );
    for index in 0..300 {
        spec.push_str(&format!("    O{index}: {{allOf: [{{$ref: '#/components/schemas/Big'}}, {{type: object}}]}}\n"));
    }
    spec
}

/// Structs of [`untagged_unions_of_wide_structs`].
pub const UNION_STRUCTS: usize = 2;

/// 800 untagged unions of the same two structs of 3,000 properties (136 KB):
/// 4.8 million names if each union listed its variants' properties.
pub fn untagged_unions_of_wide_structs() -> String {
    let (properties, unions) = (3000, 800);
    let mut spec = format!("{HEADER}components:\n  schemas:\n");
    for index in 0..UNION_STRUCTS {
        let names: Vec<String> = (0..properties).map(|property| format!("p{property}: {{}}")).collect();
        spec.push_str(&format!("    S{index}: {{type: object, properties: {{{}}}}}\n", names.join(", ")));
    }
    let variants: Vec<String> =
        (0..UNION_STRUCTS).map(|index| format!("{{$ref: '#/components/schemas/S{index}'}}")).collect();
    for index in 0..unions {
        spec.push_str(&format!("    U{index}: {{oneOf: [{}]}}\n", variants.join(", ")));
    }
    spec
}

/// Types of [`operations_reaching_a_long_chain`].
pub const CHAIN_TYPES: usize = 3500;

/// 3,500 operations that all return the head of a chain of 3,500 types
/// (850 KB): 12 million entries if each type recorded each operation.
pub fn operations_reaching_a_long_chain() -> String {
    let operations = 3500;
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for index in 0..operations {
        let tag = ["a", "b"][index % 2];
        let response =
            "{'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/T0'}}}}}";
        spec.push_str(&format!(
            "  /o{index}: {{get: {{operationId: o{index}, tags: [{tag}], responses: {response}}}}}\n"
        ));
    }
    spec.push_str("components:\n  schemas:\n");
    for index in 0..CHAIN_TYPES - 1 {
        spec.push_str(&format!(
            "    T{index}: {{type: object, properties: {{n: {{$ref: '#/components/schemas/T{}'}}}}}}\n",
            index + 1
        ));
    }
    spec.push_str(&format!("    T{}: {{type: object}}\n", CHAIN_TYPES - 1));
    spec
}
