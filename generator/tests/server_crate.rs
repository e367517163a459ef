//! `apigen crate --server`: the server sits behind the cargo feature
//! `server` (axum and the rest optional), each trait behind its tag's
//! feature, and the crate builds warning-free with clippy with the server
//! and without it, with one tag's feature, and as types only.

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

fn operations(client: bool) -> (apigen::Generated, std::path::PathBuf) {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = apigen::Generator::new()
        .spec(repository.join("tests/fixtures/operations.yaml"))
        .client(client)
        .server(true)
        .cargo_features(client)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap();
    assert!(generated.server);
    let crate_dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(if client { "server_crate" } else { "server_types_only" });
    write_offline_crate(&crate_dir, crate_options("operations").files(&generated, client));
    (generated, crate_dir)
}

#[test]
fn the_server_is_a_feature_of_the_crate() {
    let (generated, crate_dir) = operations(true);
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    // Not on by default; tokio listed once, with the features of both sides.
    assert!(
        manifest.contains("\nserver = [\"dep:axum\", \"dep:multer\", \"dep:tempfile\", \"dep:tokio\""),
        "{manifest}"
    );
    assert!(!manifest.contains("default = [\"all-types\", \"files\", \"meta\", \"things\", \"untagged\", \"server\"]"));
    assert_eq!(manifest.matches("\ntokio = ").count(), 1, "{manifest}");
    assert!(manifest.contains("\naxum = { version = \"0.8\", default-features = false, features = [\"tokio\", \"http1\"], optional = true }"), "{manifest}");
    assert!(generated.code.contains("#[cfg(feature = \"server\")]\npub mod server {"));
    assert!(generated.code.contains("#[cfg(all(feature = \"server\", feature = \"things\"))]\n    pub trait Things"));

    clippy(&crate_dir, &[]);
    clippy(&crate_dir, &["--features", "server"]);
    clippy(&crate_dir, &["--no-default-features", "--features", "files,server"]);
    clippy(&crate_dir, &["--no-default-features", "--features", "server"]);
}

#[test]
fn a_types_only_crate_can_have_the_server() {
    let (_, crate_dir) = operations(false);
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest
            .contains("\naxum = { version = \"0.8\", default-features = false, features = [\"tokio\", \"http1\"] }"),
        "{manifest}"
    );
    assert!(!manifest.contains("reqwest"), "{manifest}");
    clippy(&crate_dir, &[]);
}
