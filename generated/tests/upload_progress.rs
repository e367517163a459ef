//! The progress `upload::upload_file` reports: bytes as the parts are sent,
//! before the server acknowledges them, in order, each byte once however
//! often its part was retried.

// The uploads server serves more tests than these.
#[allow(dead_code)]
#[path = "support/uploads_server.rs"]
mod uploads_server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_generated::openai::{types, Client, RetryPolicy};
use apigen_generated::upload::{upload_file, UploadOptions, UploadProgress, UploadSource};
use uploads_server::{UploadsServer, TOKEN};

const PART_SIZE: u64 = 1 << 20;

/// Uploads `length` bytes in parts of [`PART_SIZE`], three at a time, and returns every report.
async fn upload_reporting(server: &UploadsServer, length: usize) -> Vec<UploadProgress> {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = reports.clone();
    let options = UploadOptions {
        part_size: PART_SIZE,
        concurrency: 3,
        filename: Some("data.jsonl".into()),
        progress: Some(Arc::new(move |progress| sink.lock().unwrap().push(*progress))),
        retry: RetryPolicy { initial_backoff: Duration::from_millis(5), ..RetryPolicy::default() },
        ..UploadOptions::new(types::CreateUploadRequestPurpose::Batch, "text/jsonl")
    };
    let content: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
    let source = UploadSource::reader(std::io::Cursor::new(content), length as u64);
    let upload = upload_file(&Client::new(&server.base_url).with_bearer_token(TOKEN), source, options).await;
    assert_eq!(upload.unwrap().status, types::UploadStatus::Completed);
    Arc::try_unwrap(reports).unwrap().into_inner().unwrap()
}

/// Neither field goes back, parts are acknowledged one by one, no more bytes
/// than the file's are counted, and the last report is the whole file.
fn assert_in_order_and_complete(reports: &[UploadProgress], total_bytes: u64, total_parts: usize) {
    for pair in reports.windows(2) {
        assert!(pair[0].bytes_sent <= pair[1].bytes_sent, "{pair:?}");
        assert!((pair[0].parts_done..=pair[0].parts_done + 1).contains(&pair[1].parts_done), "{pair:?}");
    }
    assert!(reports.iter().all(|report| report.bytes_sent <= total_bytes && report.total_bytes == total_bytes));
    let last = reports.last().unwrap();
    assert_eq!((last.bytes_sent, last.parts_done, last.total_parts), (total_bytes, total_parts, total_parts));
}

#[tokio::test]
async fn bytes_are_reported_as_they_are_sent_before_the_parts_are_acknowledged() {
    let server = UploadsServer::start().await;
    // The server answers each part late, after it has read all of it.
    server.state.lock().unwrap().part_delays = vec![Duration::from_millis(200); 3].into();
    let total = 3 * PART_SIZE - 1_000;
    let reports = upload_reporting(&server, total as usize).await;

    assert_in_order_and_complete(&reports, total, 3);
    let before_any_part = reports.iter().filter(|report| report.parts_done == 0).count();
    assert!(before_any_part >= 16, "about one report per 64 KiB before the first answer: {before_any_part}");
    assert!(
        reports.iter().any(|report| report.parts_done == 0 && report.bytes_sent == total),
        "the whole file was counted while the server still held back its answers"
    );
    // A part counts as sent before it is acknowledged: done parts' bytes are counted (the last part is the short one).
    for report in &reports {
        let smallest_done = (report.parts_done as u64 * PART_SIZE).saturating_sub(1_000);
        assert!(report.bytes_sent >= smallest_done, "{report:?}");
    }
}

#[tokio::test]
async fn a_retried_part_counts_once() {
    let server = UploadsServer::start().await;
    // The first part read fails after the server has read it whole, and is sent again.
    server.state.lock().unwrap().part_failures = [503].into();
    let total = 3 * PART_SIZE;
    let reports = upload_reporting(&server, total as usize).await;

    assert_eq!(server.state.lock().unwrap().part_calls, 4, "three parts and one retry");
    assert_in_order_and_complete(&reports, total, 3);
}
