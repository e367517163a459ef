//! `apigen crate --server`: the server sits behind the cargo feature
//! `server` (the runtime's `server` feature, or axum and the rest optional
//! beside a vendored runtime), each trait behind its tag's feature, and the
//! crate builds warning-free with clippy with the server and without it,
//! with one tag's feature, as types only, and with the runtime vendored.

#[path = "support/offline_crate.rs"]
mod offline_crate;

use offline_crate::{client_target_dir, crate_options, offline_cargo, write_offline_crate};
use std::path::Path;

fn clippy(crate_dir: &Path, features: &[&str]) {
    // Shared with the other generated crates' builds: axum, reqwest and tokio are built once.
    let output = offline_cargo("clippy", crate_dir, &client_target_dir())
        .args(features)
        .args(["--", "-D", "warnings"])
        .output()
        .unwrap();
    assert!(output.status.success(), "clippy {features:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
}

fn operations(client: bool, options: apigen::CrateOptions, dir: &str) -> (apigen::Generated, std::path::PathBuf) {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = apigen::Generator::new()
        .spec(repository.join("tests/fixtures/operations.yaml"))
        .client(client)
        .server(true)
        .cargo_features(client)
        .runtime_path(options.runtime_path())
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap();
    assert!(generated.server);
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    write_offline_crate(&crate_dir, options.files(&generated, client));
    (generated, crate_dir)
}

#[test]
fn the_server_is_a_feature_of_the_crate() {
    let (generated, crate_dir) = operations(true, crate_options("operations"), "server_crate");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    // Not on by default; the runtime's server, whose axum the code names through it.
    assert!(manifest.contains("\nserver = [\"apigen-runtime/server\"]\n"), "{manifest}");
    assert!(!manifest.contains("default = [\"all-types\", \"files\", \"meta\", \"things\", \"untagged\", \"server\"]"));
    assert!(!manifest.contains("axum"), "{manifest}");
    assert!(generated.code.contains("#[cfg(feature = \"server\")]\npub mod server {"));
    assert!(generated.code.contains("use ::apigen_runtime::server as runtime;"), "the runtime's, not a copy");
    assert!(generated.code.contains("#[cfg(all(feature = \"server\", feature = \"things\"))]\n    pub trait Things"));

    clippy(&crate_dir, &[]);
    clippy(&crate_dir, &["--features", "server"]);
    clippy(&crate_dir, &["--no-default-features", "--features", "files,server"]);
    clippy(&crate_dir, &["--no-default-features", "--features", "server"]);
}

#[test]
fn a_types_only_crate_can_have_the_server() {
    let (_, crate_dir) = operations(false, crate_options("operations"), "server_types_only");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains(", default-features = false, features = [\"server\"] }\n"), "{manifest}");
    clippy(&crate_dir, &[]);
}

/// `--vendor-runtime --server`: the runtime's server module is part of the
/// vendored file, behind the crate's `server` feature, and the crate needs no `apigen-runtime`.
#[test]
fn a_vendored_runtime_brings_the_server_module() {
    let options = crate_options("operations").runtime(apigen::RuntimeSource::Vendored);
    let (generated, crate_dir) = operations(true, options, "server_vendored");
    assert!(generated.code.contains("use crate::runtime::server as runtime;"));
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("apigen-runtime"), "{manifest}");
    clippy(&crate_dir, &["--features", "server"]);
    clippy(&crate_dir, &["--no-default-features", "--features", "files"]);
}
