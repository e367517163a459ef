//! Upload throughput and peak memory of `upload::upload_file` on loopback.
//! Run by hand, not in CI (README, "Uploading large files"):
//!
//! `cargo bench -p apigen-generated --bench upload -- --size-mib 1024 --concurrency 1,4,8 [--base-url http://127.0.0.1:8911] [--md5] [--progress]`
//!
//! Without `--base-url` it serves the tests' uploads server in this process,
//! counting part bytes without keeping them. Peak RSS (VmHWM) is reset
//! before each run through /proc/self/clear_refs. `--progress` sets a progress
//! callback (which keeps the latest report), so that its cost shows.

#[path = "../tests/support/uploads_server.rs"]
mod uploads_server;

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use apigen_generated::openai::{types, Client};
use apigen_generated::upload::{upload_file, ProgressCallback, UploadOptions, UploadProgress, UploadSource};

struct Settings {
    size_mib: u64,
    concurrency: Vec<usize>,
    base_url: Option<String>,
    md5: bool,
    progress: bool,
}

fn settings() -> Result<Settings, String> {
    let mut settings =
        Settings { size_mib: 1024, concurrency: vec![1, 4, 8], base_url: None, md5: false, progress: false };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--size-mib" => settings.size_mib = value()?.parse().map_err(|e| format!("--size-mib: {e}"))?,
            "--concurrency" => {
                settings.concurrency = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--concurrency: {e}"))?
            }
            "--base-url" => settings.base_url = Some(value()?),
            "--md5" => settings.md5 = true,
            "--progress" => settings.progress = true,
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(settings)
}

/// A file of `size_mib` MiB in the temp dir, filled with a non-repeating-per-MiB pattern.
fn make_file(size_mib: u64) -> std::io::Result<std::path::PathBuf> {
    let path = std::env::temp_dir().join(format!("apigen-upload-bench-{}.jsonl", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let mut block = vec![0u8; 1 << 20];
    for mib in 0..size_mib {
        block.iter_mut().enumerate().for_each(|(i, byte)| *byte = (i as u64 ^ mib) as u8);
        file.write_all(&block)?;
    }
    file.flush()?;
    Ok(path)
}

/// The peak resident set size of this process, in MiB, since the last reset.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Resets the peak RSS to the current RSS (Linux 4.0 and later).
fn reset_peak_rss() {
    // Without it, each figure is the peak since the process started.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let settings = settings()?;
    let base_url = match &settings.base_url {
        Some(url) => url.clone(),
        None => {
            let server = uploads_server::UploadsServer::start().await;
            server.state.lock().map_err(|_| "poisoned")?.discard_part_bytes = true;
            server.base_url
        }
    };
    let client = Client::new(&base_url).with_bearer_token(uploads_server::TOKEN);
    let path = make_file(settings.size_mib)?;
    println!("{} MiB file, server {base_url}, md5 {}, progress {}", settings.size_mib, settings.md5, settings.progress);
    let bytes_reported = Arc::new(AtomicU64::new(0));
    let latest = bytes_reported.clone();
    let progress: Option<ProgressCallback> = settings
        .progress
        .then(|| Arc::new(move |progress: &UploadProgress| latest.store(progress.bytes_sent, Ordering::Relaxed)) as _);
    for &concurrency in &settings.concurrency {
        reset_peak_rss();
        bytes_reported.store(0, Ordering::Relaxed);
        let options = UploadOptions {
            concurrency,
            md5: settings.md5,
            progress: progress.clone(),
            ..UploadOptions::new(types::CreateUploadRequestPurpose::Batch, "text/jsonl")
        };
        let started = Instant::now();
        let outcome = upload_file(&client, UploadSource::path(&path), options).await;
        let seconds = started.elapsed().as_secs_f64();
        if let Err(error) = outcome {
            std::fs::remove_file(&path)?;
            return Err(error.into());
        }
        if settings.progress && bytes_reported.load(Ordering::Relaxed) != settings.size_mib << 20 {
            std::fs::remove_file(&path)?;
            return Err("the last progress report is not the whole file".into());
        }
        let peak = peak_rss_mib().map_or("unknown".to_string(), |mib| format!("{mib} MiB"));
        println!(
            "concurrency {concurrency}: {:.2} s, {:.0} MiB/s, peak RSS {peak}",
            seconds,
            settings.size_mib as f64 / seconds
        );
    }
    std::fs::remove_file(&path)?;
    Ok(())
}
