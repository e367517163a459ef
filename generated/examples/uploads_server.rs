//! The tests' uploads server as a process of its own, for the upload
//! benchmarks (README, "Uploading large files"): it counts the bytes of each
//! part without keeping them, and stops by itself.
//!
//! `cargo run --release -p apigen-generated --example uploads_server -- --port 8911 --seconds 600`

// The tests use more of the server than this.
#[allow(dead_code)]
#[path = "../tests/support/uploads_server.rs"]
mod uploads_server;

use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut port = 8911u16;
    let mut seconds = 600u64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|e| format!("--port: {e}"))?,
            "--seconds" => seconds = value.parse().map_err(|e| format!("--seconds: {e}"))?,
            _ => return Err(format!("unknown flag {flag} (known: --port, --seconds)")),
        }
    }
    let server = uploads_server::UploadsServer::start_on(&format!("127.0.0.1:{port}")).await;
    server.state.lock().map_err(|_| "poisoned")?.discard_part_bytes = true;
    println!("serving {} for {seconds} s (bearer token {})", server.base_url, uploads_server::TOKEN);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    Ok(())
}
