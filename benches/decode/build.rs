//! Generates apigen's types for the full OpenAI spec from `../shared` beside
//! the repository (third-party data, not committed). Without it the bench
//! says `skipped:` and measures nothing.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo::rustc-check-cfg=cfg(openai_spec)");
    // Cargo always sets both for build scripts.
    let (Some(out_dir), Some(manifest_dir)) = (std::env::var_os("OUT_DIR"), std::env::var_os("CARGO_MANIFEST_DIR"))
    else {
        eprintln!("OUT_DIR or CARGO_MANIFEST_DIR is not set: run this through cargo");
        return ExitCode::FAILURE;
    };
    let spec = PathBuf::from(manifest_dir).join("../../../shared/specs/openai/openapi.yaml");
    if !spec.exists() {
        println!("cargo::warning=skipped: {} is absent, the bench measures nothing", spec.display());
        return ExitCode::SUCCESS;
    }
    let result =
        apigen::Generator::new().spec(&spec).client(false).generate_to_file(PathBuf::from(out_dir).join("openai.rs"));
    if let Err(error) = result {
        eprintln!("{error}");
        return ExitCode::FAILURE;
    }
    println!("cargo::rustc-cfg=openai_spec");
    ExitCode::SUCCESS
}
