//! Writes a standalone crate that a test builds with `cargo --offline`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `files` under `dir`, with the workspace's Cargo.lock beside them:
/// it pins the versions the workspace builds with, so no network is needed.
pub fn write_offline_crate(dir: &Path, files: impl IntoIterator<Item = (PathBuf, String)>) {
    for (path, contents) in files {
        apigen::write::write_atomic(&dir.join(path), &contents).unwrap();
    }
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
}

/// Options of a crate named `name` built against the workspace's own
/// `apigen-runtime` (not a release from crates.io, which tests cannot reach),
/// without TLS: they call servers on loopback, and rustls's aws-lc-sys is a C build.
#[allow(dead_code)] // Not every test that includes this module writes a crate.
pub fn crate_options(name: &str) -> apigen::CrateOptions {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    apigen::CrateOptions::new(name).runtime(apigen::RuntimeSource::Path(runtime)).tls(false)
}

/// The target directory of the generated clients that tests build and run
/// (the full OpenAI client, the FastAPI one): they share reqwest, tokio and
/// the rest, built once. It outlives the run, so a later run rebuilds only
/// what changed.
#[allow(dead_code)] // Not every test that includes this module builds a client.
pub fn client_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("clients_target")
}

/// `cargo <subcommand> --offline --quiet` on the crate in `crate_dir`,
/// building into `target_dir` without debug info or incremental caches: the
/// whole OpenAI crate leaves 1.8 GB of those on a CI machine's disk, 350 MB
/// without them, and builds in 70% of the time. Nothing debugs these builds.
pub fn offline_cargo(subcommand: &str, crate_dir: &Path, target_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args([subcommand, "--offline", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    command
}
