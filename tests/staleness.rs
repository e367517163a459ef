//! `generated/` must match what apigen makes from `specs/` today: every
//! file of each module's tree, and no generated file it no longer makes.

use std::path::PathBuf;

#[test]
fn generated_crate_is_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files = apigen::repository::generated_files(&root).unwrap();
    if let Err(stale) = apigen::write::check_tree(&root.join(apigen::repository::GENERATED_SOURCES), &files) {
        panic!("{}\n\ngenerated/ is stale: run `cargo run -p apigen -- regenerate`", stale.join("\n\n"));
    }
}
