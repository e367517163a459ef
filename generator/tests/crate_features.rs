//! `apigen crate` output builds warning-free (clippy included) with every
//! feature, with one tag's feature, and as types only; and a tag's feature
//! leaves out the operations without a tag and the types only other tags use;
//! the crate is a tree of files, a tag's types and operations in files of their own.

#[path = "support/offline_crate.rs"]
mod offline_crate;

use offline_crate::{crate_options, offline_cargo, write_offline_crate};
use std::path::Path;

fn clippy(crate_dir: &Path, features: &[&str]) {
    let output = offline_cargo("clippy", crate_dir, &crate_dir.join("target"))
        .args(features)
        .args(["--", "-D", "warnings"])
        .output()
        .unwrap();
    assert!(output.status.success(), "clippy {features:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn features_select_operations_and_their_types() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = apigen::Generator::new()
        .spec(repository.join("tests/fixtures/operations.yaml"))
        .cargo_features(true)
        .layout(apigen::Layout::Tree)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap();
    assert_eq!(generated.tag_features, ["files", "meta", "things", "untagged"]);
    let file = |path: &str| {
        let found = generated.files.iter().find(|(file, _)| file == Path::new(path));
        found.map(|(_, code)| code.as_str()).unwrap_or_else(|| panic!("no {path} among {:?}", generated.files))
    };
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("crate_features");
    write_offline_crate(&crate_dir, crate_options("operations").files(&generated, true));

    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default = [\"all-types\", \"files\", \"meta\", \"things\", \"untagged\"]"),
        "{manifest}"
    );
    assert!(manifest.contains("untagged = [\"client\"]"), "{manifest}");
    assert!(manifest.contains("files = [\"client\"]"), "{manifest}");
    // `POST /echo` has no tag: a tag's feature, which turns `client` on, leaves it out.
    assert!(file("client/untagged.rs").contains("    #[cfg(feature = \"untagged\")]\n    pub fn post_echo("));
    // `ThingList` is the response of a `things` operation only (it keeps
    // unknown fields, so its `Deserialize` is generated, gated the same way).
    let things = file("types/things.rs");
    assert!(things.contains("#[cfg(any(feature = \"all-types\", feature = \"things\"))]\n#[derive(Debug, Clone, PartialEq, Serialize)]\npub struct ThingList"));
    assert!(things.contains(
        "#[cfg(any(feature = \"all-types\", feature = \"things\"))]\nimpl<'de> Deserialize<'de> for ThingList"
    ));
    assert!(generated.code.contains("\npub mod types;\n"), "{}", generated.code);

    clippy(&crate_dir, &[]);
    clippy(&crate_dir, &["--no-default-features", "--features", "files"]);
    clippy(&crate_dir, &["--no-default-features", "--features", "all-types"]);
}

/// Base64 fields need the runtime's `Base64Bytes`: the manifest turns on its
/// `base64` feature when, and only when, the types use it; a vendored
/// runtime has the type, and the crate the `base64` crate.
#[test]
fn base64_types_bring_their_dependency() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let types_only = |fixture: &str, options: &apigen::CrateOptions| {
        apigen::Generator::new()
            .spec(repository.join(fixture))
            .client(false)
            .runtime_path(options.runtime_path())
            .emit_rerun_if_changed(false)
            .generate()
            .unwrap()
    };
    let options = crate_options("content");
    let generated = types_only("tests/fixtures/content_vocabulary.yaml", &options);
    assert!(generated.uses_base64);
    assert!(!types_only("tests/fixtures/nullable_31.yaml", &options).uses_base64);
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("crate_base64");
    let files = options.files(&generated, false);
    assert!(files[0].1.contains(", default-features = false, features = [\"base64\"] }\n"), "{}", files[0].1);
    assert!(!files[0].1.contains("\nbase64 = "), "{}", files[0].1);
    write_offline_crate(&crate_dir, files);
    clippy(&crate_dir, &[]);

    let vendored = crate_options("content_vendored").runtime(apigen::RuntimeSource::Vendored);
    let files = vendored.files(&types_only("tests/fixtures/content_vocabulary.yaml", &vendored), false);
    assert!(files[0].1.contains("\nbase64 = { version = \"0.23\" }\n"), "{}", files[0].1);
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("crate_base64_vendored");
    write_offline_crate(&crate_dir, files);
    clippy(&crate_dir, &[]);
}

/// `--vendor-runtime`: the runtime's source is a module of the crate, which
/// depends on what the runtime needs instead of `apigen-runtime`, and builds
/// warning-free with the webhooks module inlined, with the client and without.
#[test]
fn a_vendored_runtime_builds_without_the_runtime_crate() {
    let options = crate_options("vendored").runtime(apigen::RuntimeSource::Vendored);
    let generated = webhook_events(&options);
    assert!(generated.webhooks);
    assert!(generated.code.contains("crate::runtime::Client"), "the module names the vendored runtime");
    let files = options.files(&generated, true);
    assert!(!files[0].1.contains("apigen-runtime"), "{}", files[0].1);
    // Every build compiles the vendored runtime's models' readers; its client and webhooks come with `client`.
    assert!(files[0].1.contains("\nhmac = { version = \"0.12\", optional = true }\n"), "{}", files[0].1);
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("crate_vendored");
    write_offline_crate(&crate_dir, files);
    clippy(&crate_dir, &[]);
    clippy(&crate_dir, &["--no-default-features", "--features", "all-types"]);
}

/// The webhook events fixture (operations and webhooks), for a crate of `options`.
fn webhook_events(options: &apigen::CrateOptions) -> apigen::Generated {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    apigen::Generator::new()
        .spec(repository.join("tests/fixtures/webhook_events.yaml"))
        .cargo_features(true)
        .runtime_path(options.runtime_path())
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap()
}

/// The normal dependencies of the crate in `crate_dir` built with `features`, one crate a line.
fn dependency_tree(crate_dir: &Path, features: &[&str]) -> String {
    let output = offline_cargo("tree", crate_dir, &crate_dir.join("target"))
        .args(["--edges", "normal", "--prefix", "none"])
        .args(features)
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo tree {features:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A models-only build (`all-types`) reads through the runtime's `de`
/// module and nothing else of it: no HTTP stack, whether the crate depends
/// on `apigen-runtime` or vendors it; the client's build has one.
#[test]
fn a_models_only_build_has_no_http_dependencies() {
    for (name, runtime) in [("models_only", None), ("models_only_vendored", Some(apigen::RuntimeSource::Vendored))] {
        let options = crate_options(name);
        let options = match runtime {
            Some(runtime) => options.runtime(runtime),
            None => options,
        };
        let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        write_offline_crate(&crate_dir, options.files(&webhook_events(&options), true));
        let models = dependency_tree(&crate_dir, &["--no-default-features", "--features", "all-types"]);
        for http in ["reqwest ", "tokio ", "hyper ", "hmac "] {
            assert!(!models.contains(http), "{name}: the models-only build depends on {http}:\n{models}");
        }
        assert!(dependency_tree(&crate_dir, &[]).contains("reqwest "), "{name}: the client needs reqwest");
    }
}

#[test]
fn a_runtime_path_must_be_absolute() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generate = |path: &str| {
        apigen::Generator::new()
            .spec(repository.join("tests/fixtures/operations.yaml"))
            .runtime_path(path)
            .emit_rerun_if_changed(false)
            .generate()
    };
    for relative in ["runtime", "super::runtime", "self::runtime", "not a path", "::a<T>"] {
        let error = generate(relative).unwrap_err().to_string();
        assert!(error.contains(relative) || error.contains("not a Rust path"), "{relative}: {error}");
    }
    let code = generate("crate::client_runtime").unwrap().code;
    assert!(code.contains("crate::client_runtime::Request::new(") && !code.contains("apigen_runtime"));
}
