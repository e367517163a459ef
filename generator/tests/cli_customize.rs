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
    let code = std::fs::read_to_string(dir.path().join("src/lib.rs")).expect("the module");
    for expected in [
        "pub born: chrono::DateTime<chrono::Utc>,",
        "pub id: uuid::Uuid,",
        "#[derive(Eq, Hash)]\n    pub struct UploadPart {",
        "#[doc(alias = \"Animal\")]\n    pub struct Pet {",
        "#[serde(alias = \"title\")]\n        pub name: String,",
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
