//! Golden checks: each fixture's generated module is compared with its
//! committed golden file (`EXPECTORATE=overwrite cargo test --test golden`
//! rewrites them), and the golden crate in tests/golden compiles them all,
//! so a golden file that does not compile fails the build.
//!
//! The round-trip tests in tests/golden/tests/examples.rs are generated here
//! too, from the `example`/`examples` of every schema.

use std::path::{Path, PathBuf};

use apigen::ir::{self, ModelOptions, TypeKind};
use apigen::{Generator, Options};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture and every spec of the repository, with the module name of its golden file.
fn inputs() -> Vec<(String, PathBuf)> {
    let mut inputs = Vec::new();
    for dir in ["tests/fixtures", "specs"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")) {
                let stem = path.file_stem().unwrap().to_string_lossy().replace(['-', '.'], "_");
                let module = if dir == "specs" { format!("spec_{stem}") } else { stem };
                inputs.push((module, path));
            }
        }
    }
    inputs
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

#[test]
fn golden_files_match() {
    let mut modules = String::from("//! Every golden file as a module: a golden that does not compile fails the build.\n//! Written by tests/golden.rs; do not edit by hand.\n\n");
    for (module, path) in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        // Fixtures may name files beside them (tests/fixtures/references/).
        let dir = path.parent().expect("a fixture's directory");
        let generated =
            apigen::generate_in(&relative(&path), &bytes, dir, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        expectorate::assert_contents(root().join(format!("tests/golden/src/{module}.rs")), &generated.code);
        modules.push_str(&format!("#[rustfmt::skip]\npub mod {module};\n"));
    }
    modules.push_str(&format!("#[rustfmt::skip]\npub mod {CUSTOMIZED};\n"));
    modules.push_str("/// The user's own types that the customized module uses (hand-written).\npub mod custom;\n");
    expectorate::assert_contents(root().join("tests/golden/src/lib.rs"), &modules);
}

/// The module generated with every customisation hook (tests/golden/tests/customized.rs uses it).
const CUSTOMIZED: &str = "customized";

fn customized_spec() -> PathBuf {
    root().join("tests/fixtures/customized/pets.yaml")
}

/// A generator with every customisation hook, on tests/fixtures/customized/pets.yaml.
fn customized() -> Generator {
    Generator::new()
        .spec(customized_spec())
        .emit_rerun_if_changed(false)
        .derive("Eq")
        .type_derive("Body_add_upload_part", "Hash")
        .type_derive("Kind", "std::hash::Hash")
        .type_attribute("Pet", "#[doc(alias = \"Animal\")]")
        .field_attribute("Pet.name", "#[serde(alias = \"title\")]")
        .replace_type("Metadata", "crate::custom::Metadata")
        .format_preset(apigen::FormatPreset::Chrono)
        .format_preset(apigen::FormatPreset::Uuid)
        .rename_type("Body_add_upload_part", "UploadPart")
        .rename_operation("getPet", "fetch_pet")
}

#[test]
fn customized_golden_matches() {
    let generated = customized().generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    expectorate::assert_contents(root().join(format!("tests/golden/src/{CUSTOMIZED}.rs")), &generated.code);
}

#[test]
fn customizations_naming_nothing_are_warnings_or_errors_naming_it() {
    let warned = customized().type_derive("Missing", "Hash").rename_operation("noSuchOperation", "x").generate();
    let warnings: Vec<String> = warned.unwrap().warnings.iter().map(|w| w.message.clone()).collect();
    assert!(warnings.iter().any(|w| w.contains("`Missing`")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("`noSuchOperation`")), "{warnings:?}");
    let error = customized().replace_type("Missing", "u8").generate().unwrap_err().to_string();
    assert!(error.contains("`Missing`"), "{error}");
    let error = customized().rename_type("Kind", "Pet").generate().unwrap_err().to_string();
    assert!(error.contains("`Kind`") && error.contains("`Pet`"), "{error}");
    let error = customized().rename_operation("addUploadPart", "fetch_pet").generate().unwrap_err().to_string();
    assert!(error.contains("`addUploadPart`") && error.contains("`getPet`"), "{error}");
    let error = Generator::new().spec(customized_spec()).rename_operation("getPet", "add_upload_part").generate();
    let error = error.unwrap_err().to_string();
    assert!(error.contains("`getPet`") && error.contains("`addUploadPart`"), "{error}");
    let error = customized().rename_operation("getPet", "with_bearer_token").generate().unwrap_err().to_string();
    assert!(error.contains("`with_bearer_token`") && error.contains("client has a method"), "{error}");
    let error = customized().type_attribute("Pet", "#[derive(Hash").generate().unwrap_err().to_string();
    assert!(error.contains("`#[derive(Hash`"), "{error}");
}

#[test]
fn example_round_trip_tests_are_current() {
    let mut tests = String::from(
        "//! Each schema example deserializes into its generated type and serializes back to an equivalent value.\n//! Written by tests/golden.rs from the specs' examples; do not edit by hand.\n\nmod support;\nuse support::round_trip;\n",
    );
    for (module, path) in inputs() {
        let document = apigen::load::load_file(&path).unwrap();
        let model = ir::build(&document, &ModelOptions::default()).unwrap();
        for entry in &model.types.entries {
            if entry.examples.is_empty() || matches!(entry.kind, TypeKind::Pending) {
                continue;
            }
            let examples = serde_json::to_string(&entry.examples).unwrap();
            let test_name = format!("{module}_{}", heck_snake(&entry.name));
            let ty = format!("golden::{module}::types::{}", entry.name);
            // Every use of a nullable enum, struct or union is an `Option` of it, and so are its examples.
            let ty = if declares_nullable(&document, entry) { format!("Option<{ty}>") } else { ty };
            tests.push_str(&format!(
                "\n#[test]\n#[rustfmt::skip]\nfn {test_name}() {{\n    round_trip::<{ty}>(r#\"{examples}\"#);\n}}\n"
            ));
        }
    }
    expectorate::assert_contents(root().join("tests/golden/tests/examples.rs"), &tests);
}

/// A nullable component schema: its type is of the non-null values, and its uses are `Option`s of it.
fn declares_nullable(document: &apigen::load::Document, entry: &ir::TypeEntry) -> bool {
    let Some(name) = entry.pointer.strip_prefix("#/components/schemas/") else { return false };
    let schemas = document.api.components.as_ref().map(|c| &c.schemas);
    let schema = schemas.and_then(|s| s.get(&name.replace("~1", "/").replace("~0", "~"))).and_then(|s| s.as_item());
    schema.is_some_and(|schema| schema.schema_data.nullable)
}

fn heck_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Output is deterministic: the same input gives byte-identical output.
#[test]
fn output_is_deterministic() {
    for (_, path) in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        let dir = path.parent().expect("a fixture's directory");
        let first = apigen::generate_in("x", &bytes, dir, &Options::default()).unwrap().code;
        let second = apigen::generate_in("x", &bytes, dir, &Options::default()).unwrap().code;
        assert!(first == second, "{} generated differently twice", path.display());
    }
}
