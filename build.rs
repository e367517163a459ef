//! Dogfoods apigen's build-script API: every spec in specs/ becomes a module
//! of this package at build time (see src/lib.rs).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Cargo always sets OUT_DIR for build scripts.
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("OUT_DIR is not set: run this through cargo");
        return ExitCode::FAILURE;
    };
    for name in ["nebius", "openai"] {
        let result = apigen::Generator::new()
            .spec(format!("specs/{name}.yaml"))
            .generate_to_file(out_dir.join(format!("{name}.rs")));
        if let Err(error) = result {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
