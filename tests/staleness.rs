//! `generated/` must match what apigen makes from `specs/` today.

use std::path::PathBuf;

#[test]
fn generated_crate_is_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(root.join("specs")).unwrap() {
        let spec = entry.unwrap().path();
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let code = apigen::Generator::new().spec(&spec).emit_rerun_if_changed(false).generate_string().unwrap();
        if let Err(report) = apigen::write::check(&root.join(format!("generated/src/{stem}.rs")), &code) {
            stale.push(report);
        }
    }
    assert!(stale.is_empty(), "{}\n\ngenerated/ is stale: run `cargo run -p apigen -- regenerate`", stale.join("\n\n"));
}
