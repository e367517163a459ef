//! A client generated from what a real FastAPI + pydantic v2 server serves as
//! /openapi.json, run against that server (tests/fastapi/app.py): uploads
//! with multipart file parts, a recursive schema, nullable enums, binary
//! downloads and typed 422 errors.
//!
//! `scripts/test` installs the app's pinned requirements into
//! `tests/fastapi/.venv` and sets `APIGEN_REQUIRE_FASTAPI=1`; without the
//! virtualenv the test says `skipped:` unless that variable is set.

#[path = "support/offline_crate.rs"]
mod offline_crate;
#[path = "../../tests/support/required.rs"]
mod required;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use offline_crate::{client_target_dir, crate_options, offline_cargo, write_offline_crate};
use sha2::{Digest, Sha256};

fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fastapi")
}

/// The virtualenv's Python, or `None` (with a notice) when it is missing and the run does not require it.
fn python() -> Option<PathBuf> {
    let python = app_dir().join(".venv/bin/python");
    let hint = "create it with `python3 -m venv tests/fastapi/.venv && tests/fastapi/.venv/bin/pip install -r tests/fastapi/requirements.txt` (scripts/test does)";
    required::present(&python, "APIGEN_REQUIRE_FASTAPI", "no FastAPI virtualenv", hint).then_some(python)
}

/// uvicorn serving the app on a port the system picks; killed when dropped, panics included.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(python: &Path) -> Server {
        let mut child = Command::new(python)
            .args(["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "0"])
            .current_dir(app_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("uvicorn starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (found, port) = mpsc::channel();
        // uvicorn names the port it bound once it listens; its later log lines are passed on.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("Uvicorn running on http://127.0.0.1:").nth(1) {
                    let _ = found.send(rest.split_whitespace().next().and_then(|p| p.parse::<u16>().ok()));
                }
                eprintln!("uvicorn: {line}");
            }
        });
        let mut server = Server { child, port: 0 };
        server.port = port.recv_timeout(Duration::from_secs(60)).ok().flatten().expect("uvicorn listens within 60 s");
        server
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The body of `GET path`, over HTTP/1.0 so that the server closes the connection after it.
    fn get(&self, path: &str) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the server accepts connections");
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP response");
        let head = String::from_utf8_lossy(&response[..head_end]);
        assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "GET {path}: {head}");
        response[head_end + 4..].to_vec()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parts the client sends: bytes that are not UTF-8, and a part over 1 MB.
fn write_parts(dir: &Path) -> serde_json::Value {
    let not_utf8: Vec<u8> = [0xff, 0xfe, 0x00, 0x80, b'\r', b'\n', 0xc3].repeat(37);
    let large: Vec<u8> = (0..1_500_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let parts: Vec<serde_json::Value> = [("part-1.bin", not_utf8), ("part-2.bin", large)]
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, &bytes).unwrap();
            let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({"path": path, "sha256": sha256})
        })
        .collect();
    serde_json::Value::Array(parts)
}

/// Adds the test program's dev-dependencies to the generated manifest.
fn with_dev_dependencies(files: &mut [(PathBuf, String)]) {
    let (_, manifest) = files.iter_mut().find(|(path, _)| path == Path::new("Cargo.toml")).unwrap();
    assert!(manifest.contains("\n# Standalone"), "the generated manifest changed shape:\n{manifest}");
    *manifest = manifest.replacen(
        "\n# Standalone",
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\n# Standalone",
        1,
    );
}

#[test]
fn generated_client_runs_the_upload_flow_against_fastapi() {
    let Some(python) = python() else { return };
    let server = Server::start(&python);
    let spec = server.get("/openapi.json");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fastapi");
    let spec_path = work.join("openapi.json");
    apigen::write::write_atomic(&spec_path, std::str::from_utf8(&spec).expect("the spec is UTF-8")).unwrap();

    let generated = apigen::Generator::new()
        .spec(&spec_path)
        .cargo_features(true)
        .emit_rerun_if_changed(false)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let crate_dir = work.join("datasets");
    let mut files = crate_options("datasets").files(&generated, true);
    with_dev_dependencies(&mut files);
    files.push((PathBuf::from("tests/flow.rs"), std::fs::read_to_string(app_dir().join("client_flow.rs")).unwrap()));
    write_offline_crate(&crate_dir, files);
    let parts = write_parts(&work);

    // Warnings are looked for in the output: RUSTFLAGS=-Dwarnings would rebuild the shared dependencies.
    let output = offline_cargo("test", &crate_dir, &client_target_dir())
        .args(["--test", "flow"])
        .env("FASTAPI_BASE_URL", server.base_url())
        .env("FASTAPI_PARTS", parts.to_string())
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the flow failed:\n{stdout}\n{stderr}");
    assert!(!stderr.contains("warning"), "the generated crate or its test has warnings:\n{stderr}");
    assert!(stdout.contains("test result: ok. 3 passed"), "{stdout}");
}
