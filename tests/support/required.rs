//! What a test needs from outside the repository (`../shared`, Prism, the
//! FastAPI virtualenv): there, or skipped with a notice, or, when the run
//! requires it through an environment variable (`scripts/test` sets those of
//! the tools it installs), a failure.

use std::path::Path;

/// Whether `path` exists. When it does not, the test fails if `variable` is
/// set, and otherwise prints `skipped: {missing} ...` so that the caller can return.
pub fn present(path: &Path, variable: &str, missing: &str, hint: &str) -> bool {
    if path.exists() {
        return true;
    }
    assert!(std::env::var_os(variable).is_none(), "{variable} is set but {missing} at {}: {hint}", path.display());
    eprintln!("skipped: {missing} at {}; {hint}", path.display());
    false
}
