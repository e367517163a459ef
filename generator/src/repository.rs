//! This repository's own generated crate: `generated/src/<name>/` from each
//! `specs/<name>.yaml`, shared by `apigen regenerate` and the staleness test.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::layout::{Layout, ROOT};
use crate::Generator;

/// Where the generated modules live, relative to the repository root; apigen owns its generated files there.
pub const GENERATED_SOURCES: &str = "generated/src";

/// Every file of the generated modules, with its path under `root`: a tree a spec.
pub fn generated_files(root: &Path) -> Result<Vec<(PathBuf, String)>, Error> {
    let mut files = Vec::new();
    for spec in specs(root)? {
        let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let directory = root.join(GENERATED_SOURCES).join(stem);
        // The server too, behind the crate's `server` feature: the tests serve the client with it.
        let generated = Generator::new()
            .spec(&spec)
            .layout(Layout::Tree)
            .server(true)
            .server_feature(true)
            .emit_rerun_if_changed(false)
            .generate()?;
        files.push((directory.join(ROOT), generated.code));
        files.extend(generated.files.into_iter().map(|(path, code)| (directory.join(path), code)));
    }
    Ok(files)
}

/// `specs/*.yaml`, `*.yml` and `*.json`, sorted.
fn specs(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let dir = root.join("specs");
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}
