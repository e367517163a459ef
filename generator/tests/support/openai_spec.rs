//! The published OpenAI spec, which is not part of the repository: it is read
//! from `../shared/specs/openai/` beside it when that is there.

use std::path::{Path, PathBuf};

/// The spec's directory, or `None` after saying the test is skipped.
pub fn openai_spec_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/openai");
    if dir.join("openapi.yaml").exists() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/specs/openai/openapi.yaml not found (the full OpenAI spec is not part of the repository)");
        None
    }
}
