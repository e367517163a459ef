//! The public corpus as a test: every document in `../shared/specs/corpus/`
//! (published specs of public APIs, see `sources.md` there) generates, and
//! its `apigen crate` passes `cargo clippy -- -D warnings`. Documents whose
//! crate exceeds [`MAX_LINES`] are checked through one tag's crate (or, when
//! they have no tags, one operation's), which prunes the types to those the
//! operations reach.
//!
//! All the crates build into one target directory, so dependencies build
//! once. Every failing document is listed at once, with the lints that fired.
//! `cargo test -p apigen --test corpus -- --nocapture` prints a table: lines,
//! generation time, clippy time and result per document.
//!
//! Without `../shared` the test says `skipped:`, unless `APIGEN_REQUIRE_SHARED`
//! is set (CI has `../shared`), when it fails.

#[path = "support/offline_crate.rs"]
mod offline_crate;
#[path = "../../tests/support/required.rs"]
mod required;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use heck::ToSnakeCase;
use offline_crate::{crate_options, offline_cargo, write_offline_crate};

/// Crates up to this many lines are checked whole.
const MAX_LINES: usize = 60_000;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/corpus");
    let missing = "the public corpus (not part of the repository) is not";
    required::present(&dir, "APIGEN_REQUIRE_SHARED", missing, "it comes with ../shared").then_some(dir)
}

fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut documents: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the corpus directory is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    documents.sort();
    documents
}

/// What happened to one document.
struct Report {
    name: String,
    lines: usize,
    generation: Duration,
    /// What clippy checked: `all`, `tag X` or `operation X`.
    checked: String,
    clippy: Duration,
    /// `None` when all passed; else what failed.
    failure: Option<String>,
}

#[test]
fn every_corpus_document_generates_a_crate_that_passes_clippy() {
    let Some(dir) = corpus_dir() else { return };
    let started = Instant::now();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    let target = work.join("target");
    let reports: Vec<Report> = documents(&dir).iter().map(|path| check(path, &work, &target)).collect();

    println!(
        "\n{:<32} {:>8} {:>9} {:<28} {:>8}  clippy -D warnings",
        "document", "lines", "generate", "checked", "clippy"
    );
    for report in &reports {
        println!(
            "{:<32} {:>8} {:>8.2}s {:<28} {:>7.1}s  {}",
            report.name,
            report.lines,
            report.generation.as_secs_f64(),
            report.checked,
            report.clippy.as_secs_f64(),
            report.failure.as_deref().map_or("ok", |failure| failure.lines().next().unwrap_or("failed"))
        );
    }
    println!("total {:.1}s", started.elapsed().as_secs_f64());

    let failures: Vec<String> =
        reports.iter().filter_map(|r| r.failure.as_ref().map(|failure| format!("{}: {failure}", r.name))).collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus documents failed:\n\n{}",
        failures.len(),
        reports.len(),
        failures.join("\n\n")
    );
}

fn check(path: &Path, work: &Path, target: &Path) -> Report {
    let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
    let mut report = Report {
        name,
        lines: 0,
        generation: Duration::ZERO,
        checked: "all".into(),
        clippy: Duration::ZERO,
        failure: None,
    };
    let generator = apigen::Generator::new().spec(path).cargo_features(true).emit_rerun_if_changed(false);
    let started = Instant::now();
    let generated = match generator.generate() {
        Ok(generated) => generated,
        Err(error) => {
            report.failure = Some(format!("generation failed:\n{error}"));
            return report;
        }
    };
    report.generation = started.elapsed();
    report.lines = generated.code.lines().count();
    let generated = if report.lines <= MAX_LINES {
        generated
    } else {
        let (checked, generator) = one_part(path, generator);
        report.checked = checked;
        match generator.generate() {
            Ok(generated) => generated,
            Err(error) => {
                report.failure = Some(format!("generation of {} failed:\n{error}", report.checked));
                return report;
            }
        }
    };
    let package =
        format!("corpus_{}", Path::new(&report.name).file_stem().expect("a stem").to_string_lossy().to_snake_case());
    let crate_dir = work.join(&package);
    write_offline_crate(&crate_dir, crate_options(&package).files(&generated, true));
    let started = Instant::now();
    let output = offline_cargo("clippy", &crate_dir, target)
        .args(["--message-format=json", "--", "-D", "warnings"])
        .output()
        .expect("cargo runs");
    report.clippy = started.elapsed();
    if !output.status.success() {
        report.failure =
            Some(clippy_failure(&String::from_utf8_lossy(&output.stdout), &String::from_utf8_lossy(&output.stderr)));
    }
    report
}

/// The first tag of the document's operations, or else its first operation.
fn one_part(path: &Path, generator: apigen::Generator) -> (String, apigen::Generator) {
    let document = apigen::load::load_file(path).expect("the document loaded once already");
    let model = apigen::ir::build(&document, &Default::default()).expect("the document built once already");
    if let Some(tag) = model.operations.iter().find_map(|operation| operation.tags.first()) {
        return (format!("tag {tag}"), generator.tag(tag));
    }
    match model.operations.iter().find_map(|operation| operation.operation_id.as_ref()) {
        Some(id) => (format!("operation {id}"), generator.operation(id)),
        None => ("types".into(), generator.client(false)),
    }
}

/// The lints that fired, with counts (`clippy::large_enum_variant x3`), and the first message in full.
fn clippy_failure(stdout: &str, stderr: &str) -> String {
    let mut lints: BTreeMap<String, usize> = BTreeMap::new();
    let mut first = None;
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let at_code = message["message"]["spans"].as_array().is_some_and(|spans| !spans.is_empty());
        // Summaries ("aborting due to 3 previous errors") point at no code.
        if message["reason"] != "compiler-message"
            || !at_code
            || !matches!(message["message"]["level"].as_str(), Some("error" | "warning"))
        {
            continue;
        }
        let code = message["message"]["code"]["code"].as_str().unwrap_or("error without a lint").to_string();
        *lints.entry(code).or_default() += 1;
        first.get_or_insert_with(|| message["message"]["rendered"].as_str().unwrap_or_default().to_string());
    }
    if lints.is_empty() {
        // Not a lint: cargo itself failed.
        return format!("cargo clippy failed:\n{stderr}");
    }
    let summary: Vec<String> = lints.iter().map(|(lint, count)| format!("{lint} x{count}")).collect();
    format!("{}\n{}", summary.join(", "), first.unwrap_or_default())
}
