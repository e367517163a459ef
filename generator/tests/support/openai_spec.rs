//! The published OpenAI spec, which is not part of the repository: it is read
//! from `../shared/specs/openai/` beside it when that is there.

use std::path::{Path, PathBuf};

/// The spec's directory, or `None` after saying the test is skipped.
pub fn openai_spec_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/openai");
    let missing = "the full OpenAI spec (not part of the repository) is not";
    crate::required::present(&dir.join("openapi.yaml"), "APIGEN_REQUIRE_SHARED", missing, "it comes with ../shared")
        .then_some(dir)
}
