//! A spec whose every doc string hides a Rust block that writes a file
//! (`tests/hostile/docs.json`): the crate `apigen crate` writes for it runs no
//! doctest, even without its manifest's `doctest = false`, and documents and
//! lints clean.

#[path = "support/offline_crate.rs"]
mod offline_crate;

use std::path::Path;
use std::process::Output;

use offline_crate::{crate_options, offline_cargo, write_offline_crate};

fn assert_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn hostile_docs_run_no_doctest() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile/docs.json");
    let generated =
        apigen::Generator::new().spec(&spec).cargo_features(true).emit_rerun_if_changed(false).generate().unwrap();
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile_docs");
    let _ = std::fs::remove_dir_all(&crate_dir);
    let files = crate_options("hostile").files(&generated, true);
    // Without the manifest's second wall, so that the doctests run if the sanitizer lets one through.
    let files = files.into_iter().map(|(path, contents)| {
        if path == Path::new("Cargo.toml") {
            assert!(contents.contains("[lib]\ndoctest = false\n"), "{contents}");
            (path, contents.replace("[lib]\ndoctest = false\n", ""))
        } else {
            (path, contents)
        }
    });
    write_offline_crate(&crate_dir, files);
    let target = crate_dir.join("target");

    let output = offline_cargo("test", &crate_dir, &target).arg("--doc").current_dir(&crate_dir).output().unwrap();
    assert_success("cargo test --doc", &output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("running 0 tests"), "doctests ran:\n{stdout}");
    assert!(!crate_dir.join("pwned").exists(), "a doctest from the spec ran");

    let output =
        offline_cargo("doc", &crate_dir, &target).arg("--no-deps").env("RUSTDOCFLAGS", "-Dwarnings").output().unwrap();
    assert_success("cargo doc", &output);
    let output = offline_cargo("clippy", &crate_dir, &target).args(["--", "-D", "warnings"]).output().unwrap();
    assert_success("cargo clippy", &output);
}
