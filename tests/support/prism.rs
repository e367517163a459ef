//! Starts `@stainless-api/prism-cli` (installed by `scripts/test` into
//! `tests/prism/`) on 127.0.0.1 for one spec, and stops it when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Prism {
    child: Child,
    pub base_url: String,
}

/// The workspace's root (where `Cargo.lock` is), for a test of any of its crates.
fn repository_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Every crate of the workspace is inside it, so an ancestor holds the lockfile.
    manifest.ancestors().find(|dir| dir.join("Cargo.lock").exists()).expect("inside the workspace").to_path_buf()
}

/// Prism's executable, or `None` (with a notice) when it is not installed
/// and the run does not require it. `scripts/test` installs it and sets
/// `APIGEN_REQUIRE_PRISM=1`, so in CI a missing Prism fails the test.
fn prism_binary() -> Option<PathBuf> {
    let binary = repository_root().join("tests/prism/node_modules/.bin/prism");
    let hint = "install it with `npm ci --prefix tests/prism` (scripts/test does)";
    crate::required::present(&binary, "APIGEN_REQUIRE_PRISM", "Prism is not installed", hint).then_some(binary)
}

impl Prism {
    /// Serves `spec` (relative to the repository root); `seed` switches to dynamic mode.
    pub fn start(spec: &str, seed: Option<&str>) -> Option<Prism> {
        let binary = prism_binary()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let mut command = Command::new(binary);
        command.arg("mock").arg(repository_root().join(spec)).args(["-h", "127.0.0.1", "-p", &port.to_string()]);
        if let Some(seed) = seed {
            command.args(["--dynamic", "--seed", seed]);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("Prism starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (ready, listening) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Prism is listening") {
                    let _ = ready.send(());
                }
            }
        });
        let prism = Prism { child, base_url: format!("http://127.0.0.1:{port}") };
        listening.recv_timeout(Duration::from_secs(120)).expect("Prism listens within 120 s");
        Some(prism)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
