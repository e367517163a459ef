//! Legal specs whose names clash with what the generated code uses itself
//! (`tests/hostile/names_*`: runtime methods, helper types, locals, keywords,
//! non-ASCII tags, allOf cycles) generate code that passes
//! `cargo clippy -- -D warnings`. They are built as one crate, to build once:
//! `apigen crate` of the spec whose tags make the manifest's features, and
//! every other spec as a module beside it; each a tree of files (`names_part_modules`:
//! tags whose modules clash with the tree's own).

#[path = "support/offline_crate.rs"]
mod offline_crate;

use std::path::{Path, PathBuf};

use offline_crate::{crate_options, offline_cargo, write_offline_crate};

/// The spec that becomes the crate itself: its tags are no feature names as they are.
const CRATE_SPEC: &str = "names_non_ascii_tag.yaml";

fn hostile_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("names_") && (n.ends_with(".yaml") || n.ends_with(".json")))
        })
        .collect();
    specs.sort();
    specs
}

fn generator(spec: &Path) -> apigen::Generator {
    apigen::Generator::new().spec(spec).layout(apigen::Layout::Tree).emit_rerun_if_changed(false)
}

/// Whether cargo and crates.io both take `name` as a feature name.
fn is_portable_feature(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

#[test]
fn hostile_names_build_clippy_clean() {
    let specs = hostile_specs();
    let crate_spec =
        specs.iter().find(|spec| spec.ends_with(CRATE_SPEC)).expect("the crate's spec is among the hostile specs");
    let generated = generator(crate_spec)
        .cargo_features(true)
        .generate()
        .unwrap_or_else(|e| panic!("{}: {e}", crate_spec.display()));
    assert!(generated.tag_features.iter().all(|f| is_portable_feature(f)), "{:?}", generated.tag_features);
    let unique: std::collections::BTreeSet<&String> = generated.tag_features.iter().collect();
    assert_eq!(unique.len(), generated.tag_features.len(), "{:?}", generated.tag_features);

    let mut files = crate_options("hostile_names").files(&generated, true);
    let mut modules = String::new();
    for spec in specs.iter().filter(|spec| *spec != crate_spec) {
        let module = spec.file_stem().unwrap().to_str().unwrap().to_string();
        let generated = generator(spec).generate().unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        modules.push_str(&format!("pub mod {module};\n"));
        let directory = PathBuf::from("src").join(&module);
        files.push((directory.join(apigen::layout::ROOT), generated.code));
        files.extend(generated.files.into_iter().map(|(path, code)| (directory.join(path), code)));
    }
    let lib = files.iter_mut().find(|(path, _)| path == Path::new("src/lib.rs")).unwrap();
    lib.1.push_str(&modules);

    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile_names");
    let _ = std::fs::remove_dir_all(crate_dir.join("src"));
    write_offline_crate(&crate_dir, files);
    let output =
        offline_cargo("clippy", &crate_dir, &crate_dir.join("target")).args(["--", "-D", "warnings"]).output().unwrap();
    assert!(output.status.success(), "clippy failed:\n{}", String::from_utf8_lossy(&output.stderr));
}
