//! The server of the full OpenAI spec (read from `../shared/`, skipped
//! without it) builds warning-free with clippy with one tag's feature
//! (`uploads`) and with every feature.

#[path = "support/offline_crate.rs"]
mod offline_crate;

use offline_crate::{client_target_dir, crate_options, offline_cargo, write_offline_crate};
use std::path::Path;

#[test]
fn full_server_builds_with_one_tag_and_with_everything() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/openai/openapi.yaml");
    if !spec.exists() {
        eprintln!("skipped: {} is absent", spec.display());
        return;
    }
    let generated = apigen::Generator::new()
        .spec(&spec)
        .server(true)
        .cargo_features(true)
        .layout(apigen::Layout::Tree)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap();
    assert!(generated.server);
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openai_full_server");
    write_offline_crate(&crate_dir, crate_options("openai_full_server").files(&generated, true));
    for features in [&["--no-default-features", "--features", "uploads,server"][..], &["--features", "server"]] {
        let output = offline_cargo("clippy", &crate_dir, &client_target_dir())
            .args(features)
            .args(["--", "-D", "warnings"])
            .output()
            .unwrap();
        assert!(output.status.success(), "clippy {features:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
}
