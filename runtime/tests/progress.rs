//! Upload progress per byte against an in-process server that reads request
//! bodies slowly: the count moves while a file is on its way, follows what
//! the server has read, and counts a retried file once.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::reqwest::Method;
use apigen_runtime::{decode_json, Client, FilePart, Request, RetryPolicy, SendProgress};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::put;
use axum::Router;
use futures_util::StreamExt;

/// What the server has seen: the bytes of bodies read so far, and the requests.
#[derive(Default)]
struct Server {
    read: AtomicU64,
    requests: AtomicUsize,
}

/// How the server answers request number `n` (from 0): how many bytes of its
/// body it reads (all with `None`) and the status it then gives.
type Script = fn(usize) -> (Option<u64>, StatusCode);

/// Serves `PUT /file`, reading each body in the chunks it arrives in with a
/// pause after each, so that the client waits on the socket.
async fn serve(script: Script) -> (String, Arc<Server>) {
    let server = Arc::new(Server::default());
    let app = Router::new()
        .route(
            "/file",
            put(move |State(server): State<Arc<Server>>, body: Body| async move {
                let (limit, status) = script(server.requests.fetch_add(1, Ordering::SeqCst));
                let mut read = 0;
                let mut chunks = body.into_data_stream();
                while limit.map_or(true, |limit| read < limit) {
                    let Some(Ok(chunk)) = chunks.next().await else { break };
                    read += chunk.len() as u64;
                    server.read.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                (status, format!("{read}"))
            }),
        )
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), server)
}

/// `(bytes counted, bytes the server had read)` at each report.
type Reports = Arc<Mutex<Vec<(u64, u64)>>>;

fn recording(server: &Arc<Server>) -> (SendProgress, Reports) {
    let reports = Reports::default();
    let (sink, server) = (reports.clone(), server.clone());
    let progress = SendProgress::new(move |sent| sink.lock().unwrap().push((sent, server.read.load(Ordering::SeqCst))));
    (progress, reports)
}

async fn put_file(client: &Client, file: FilePart) -> Result<u64, apigen_runtime::Error> {
    let request = Request::new(Method::PUT, "/file").file("application/octet-stream", file);
    client.call(request, decode_json::<u64, _>).await
}

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

/// Reports in increasing order, every one within the file, the last one the whole file.
fn assert_counted_once(reports: &[(u64, u64)], total: u64) {
    let sent: Vec<u64> = reports.iter().map(|(sent, _)| *sent).collect();
    assert!(sent.windows(2).all(|pair| pair[0] < pair[1]), "{sent:?}");
    assert_eq!(sent.last(), Some(&total), "{sent:?}");
}

#[tokio::test]
async fn progress_moves_with_the_bytes_the_server_reads() {
    const TOTAL: u64 = 48 << 20;
    let (base_url, server) = serve(|_| (None, StatusCode::OK)).await;
    let (progress, reports) = recording(&server);
    let file = FilePart::bytes(content(TOTAL as usize)).progress(&progress);
    assert_eq!(put_file(&Client::new(base_url), file).await.unwrap(), TOTAL);

    let reports = reports.lock().unwrap();
    assert_counted_once(&reports, TOTAL);
    assert!(reports.len() >= 16, "about one report per 64 KiB: {}", reports.len());
    assert_eq!(progress.bytes_sent(), TOTAL);
    // Only the connection's and the sockets' buffers (about 6 MiB here) lie
    // between the count and the server: a body counted as it is built, or
    // buffered whole before it is sent, would run 32 MiB or more ahead.
    let lead = reports.iter().map(|(sent, read)| sent.saturating_sub(*read)).max().unwrap();
    assert!(lead < 16 << 20, "the count ran {lead} bytes ahead of the server");
}

#[tokio::test]
async fn parts_sent_at_once_add_to_one_count_in_order() {
    const PART: u64 = 3 << 20;
    let (base_url, server) = serve(|_| (None, StatusCode::OK)).await;
    let (progress, reports) = recording(&server);
    let client = Client::new(base_url);
    let sends = (0..4).map(|_| put_file(&client, FilePart::bytes(content(PART as usize)).progress(&progress)));
    for sent in futures_util::future::join_all(sends).await {
        assert_eq!(sent.unwrap(), PART);
    }
    assert_counted_once(&reports.lock().unwrap(), 4 * PART);
}

#[tokio::test]
async fn a_retried_file_counts_once() {
    const TOTAL: u64 = 4 << 20;
    // The first attempt stops being read halfway, the second is read whole:
    // both fail, and the third succeeds.
    let script: Script = |request| match request {
        0 => (Some(TOTAL / 2), StatusCode::SERVICE_UNAVAILABLE),
        1 => (None, StatusCode::SERVICE_UNAVAILABLE),
        _ => (None, StatusCode::OK),
    };
    let (base_url, server) = serve(script).await;
    let (progress, reports) = recording(&server);
    let retry = RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(5), ..RetryPolicy::default() };
    let client = Client::new(base_url).with_retries(retry);
    // From a file on disk, so that the retries open it again.
    let path = std::env::temp_dir().join(format!("apigen-progress-{}.bin", std::process::id()));
    std::fs::write(&path, content(TOTAL as usize)).unwrap();
    let sent = put_file(&client, FilePart::path(&path).progress(&progress)).await;
    std::fs::remove_file(&path).unwrap();

    assert_eq!(sent.unwrap(), TOTAL);
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
    assert!(server.read.load(Ordering::SeqCst) > 2 * TOTAL, "the file was sent more than twice");
    assert_counted_once(&reports.lock().unwrap(), TOTAL);
}
