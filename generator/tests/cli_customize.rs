//! The customisation flags of `apigen crate`: they reach the library, the
//! manifest lists the crates of the format types, and a typo is an error.

use std::path::PathBuf;
use std::process::{Command, Output};

fn pets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/customized/pets.yaml")
}

fn apigen_crate(dir: &tempfile::TempDir, flags: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .arg("crate")
        .arg(pets())
        .args(["--name", "pets", "-o"])
        .arg(dir.path())
        .args(flags)
        .output()
        .expect("apigen runs")
}

#[test]
fn flags_customize_the_crate() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = apigen_crate(
        &dir,
        &[
            "--format-preset",
            "chrono",
            "--format-type",
            "uuid=uuid::Uuid",
            "--derive",
            "Eq",
            "--type-derive",
            "Body_add_upload_part=Hash",
            "--type-attribute",
            "Pet=#[doc(alias = \"Animal\")]",
            "--field-attribute",
            "Pet.name=#[serde(alias = \"title\")]",
            "--replace",
            "Metadata=serde_json::Map<String, serde_json::Value>",
            "--rename-type",
            "Body_add_upload_part=UploadPart",
            "--rename-operation",
            "getPet=fetch_pet",
        ],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("\nchrono = {") && manifest.contains("\nuuid = {"), "{manifest}");
    // The crate is a tree of files; lines are compared without their indentation, which depends on the file.
    let code = source_lines(&dir.path().join("src"));
    for expected in [
        "pub born: chrono::DateTime<chrono::Utc>,",
        "pub id: uuid::Uuid,",
        "#[derive(Eq, Hash)]\npub struct UploadPart {",
        "#[doc(alias = \"Animal\")]\npub struct Pet {",
        "#[serde(alias = \"title\")]\npub name: String,",
        "pub metadata: Option<serde_json::Map<String, serde_json::Value>>,",
        "pub fn fetch_pet(",
    ] {
        assert!(code.contains(expected), "no `{expected}` in\n{code}");
    }
    assert!(!code.contains("pub struct Metadata"), "the replaced type is not generated");
}

#[test]
fn a_flag_that_is_not_rust_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = apigen_crate(&dir, &["--type-attribute", "Pet=#[doc(alias = \"Animal\""]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`#[doc(alias = \"Animal\"`"), "{stderr}");
}

/// Every `.rs` file under `dir`, in path order, each line without its indentation.
fn source_lines(dir: &std::path::Path) -> String {
    let mut paths: Vec<_> =
        std::fs::read_dir(dir).expect("a source directory").map(|e| e.expect("an entry").path()).collect();
    paths.sort();
    let mut code = String::new();
    for path in paths {
        if path.is_dir() {
            code.push_str(&source_lines(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            for line in std::fs::read_to_string(&path).expect("a source file").lines() {
                code.push_str(line.trim_start());
                code.push('\n');
            }
        }
    }
    code
}
