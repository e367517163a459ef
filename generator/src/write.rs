//! Write: atomic file output and the `--check` comparison.

use std::path::Path;

use crate::error::Error;

/// Writes `contents` to `path` through a temporary file in the same
/// directory and a rename, so an interrupted run never leaves a half file.
/// An unchanged file is not touched, so its timestamp does not trigger rebuilds.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), Error> {
    let io_error = |source| Error::Io { path: path.to_path_buf(), source };
    if std::fs::read(path).is_ok_and(|existing| existing == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io_error)?;
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".to_string());
    let temporary = path.with_file_name(format!(".{file_name}.apigen-{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents).map_err(|source| Error::Io { path: temporary.clone(), source })?;
    std::fs::rename(&temporary, path).map_err(|source| {
        let _ = std::fs::remove_file(&temporary);
        Error::Io { path: path.to_path_buf(), source }
    })
}

/// How many diff lines `--check` shows before it cuts the diff short.
#[cfg(feature = "cli")]
const MAX_DIFF_LINES: usize = 40;

/// Compares `path` with what it should contain. `Err` holds the report: with
/// the `cli` feature, a short unified diff.
pub fn check(path: &Path, expected: &str) -> Result<(), String> {
    let actual = match std::fs::read_to_string(path) {
        Ok(actual) => actual,
        Err(error) => return Err(format!("{}: cannot read ({error}); it must be generated", path.display())),
    };
    if actual == expected {
        return Ok(());
    }
    Err(stale_report(path, &actual, expected))
}

#[cfg(not(feature = "cli"))]
fn stale_report(path: &Path, _actual: &str, _expected: &str) -> String {
    format!("{} is stale", path.display())
}

#[cfg(feature = "cli")]
fn stale_report(path: &Path, actual: &str, expected: &str) -> String {
    let diff = similar::TextDiff::from_lines(actual, expected);
    let unified = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("{} (on disk)", path.display()), "(generated now)")
        .to_string();
    let mut lines: Vec<&str> = unified.lines().collect();
    let total = lines.len();
    lines.truncate(MAX_DIFF_LINES);
    let mut report = format!("{} is stale:\n{}", path.display(), lines.join("\n"));
    if total > MAX_DIFF_LINES {
        report.push_str(&format!("\n... ({} more diff lines)", total - MAX_DIFF_LINES));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_checks() {
        let dir = std::env::temp_dir().join(format!("apigen-write-{}", std::process::id()));
        let path = dir.join("out.rs");
        write_atomic(&path, "a\nb\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nb\n");
        assert!(check(&path, "a\nb\n").is_ok());
        let report = check(&path, "a\nc\n").unwrap_err();
        assert!(report.contains("out.rs is stale"), "{report}");
        #[cfg(feature = "cli")]
        assert!(report.contains("-b") && report.contains("+c"), "{report}");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
