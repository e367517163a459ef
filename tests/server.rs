//! Server goldens: the fixtures, generated with the client and the server
//! (`Generator::server`), compared with the files of the `server-golden`
//! crate (`EXPECTORATE=overwrite cargo test --test server` rewrites them),
//! which compiles them and serves them in its tests. The servers of the specs
//! in `specs/` are `generated/`'s (its `server` feature), which
//! `tests/staleness.rs` keeps current.

use std::path::PathBuf;

use apigen::Options;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The inputs with a server golden, and their module names.
const INPUTS: [(&str, &str); 4] = [
    ("headers", "tests/server-golden/fixtures/headers.yaml"),
    ("names", "tests/server-golden/fixtures/names.yaml"),
    ("operations", "tests/fixtures/operations.yaml"),
    ("parameters", "tests/server-golden/fixtures/parameters.yaml"),
];

#[test]
fn server_golden_files_match() {
    let options = Options::new().server(true);
    let mut modules = String::from("//! Every server golden file as a module: one that does not compile fails the build.\n//! Written by tests/server.rs; do not edit by hand.\n\n");
    for (module, path) in INPUTS {
        let bytes = std::fs::read(root().join(path)).unwrap();
        let generated = apigen::generate(path, &bytes, &options).unwrap_or_else(|e| panic!("{e}"));
        assert!(generated.server, "{path} has operations, so a server");
        expectorate::assert_contents(root().join(format!("tests/server-golden/src/{module}.rs")), &generated.code);
        modules.push_str(&format!("#[rustfmt::skip]\npub mod {module};\n"));
    }
    expectorate::assert_contents(root().join("tests/server-golden/src/lib.rs"), &modules);
}
