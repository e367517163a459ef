//! Writes a standalone crate that a test builds with `cargo --offline`.

use std::path::{Path, PathBuf};

/// Writes `files` under `dir`, with the workspace's Cargo.lock beside them:
/// it pins the versions the workspace builds with, so no network is needed.
pub fn write_offline_crate(dir: &Path, files: impl IntoIterator<Item = (PathBuf, String)>) {
    for (path, contents) in files {
        apigen::write::write_atomic(&dir.join(path), &contents).unwrap();
    }
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
}
