//! Upload progress counted per byte: the chunks of a [`FilePart`](super::FilePart)
//! are counted as the HTTP connection takes them to write, not when the
//! server answers.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::{Stream, StreamExt};

/// The size of the chunks a counted file is sent in, and so the step of its progress.
pub(super) const CHUNK_SIZE: usize = 64 << 10;

/// A running count of the bytes of files sent, with a callback told each new total.
///
/// Attach it to any number of [`FilePart`](super::FilePart)s with
/// [`FilePart::progress`](super::FilePart::progress), in one request or in
/// several running at once: each file's bytes are counted as the connection
/// takes them to write (files from memory or disk in chunks of 64 KiB,
/// streams in their own chunks), ahead of what the server has read by at
/// most the connection's and the sockets' buffers.
///
/// The total counts each byte of each file once: it is, file by file, the
/// furthest any attempt to send that file got. A request that is retried
/// (by the client's [`RetryPolicy`](super::RetryPolicy), or by resending a
/// clone of the same `FilePart`) adds nothing until it passes where the
/// failed attempt stopped, so the total never goes back, never exceeds the
/// files' sizes, and ends at their sum once every file is sent.
///
/// The callback is called one at a time, with totals in increasing order,
/// from whichever task sends the file: keep it short (draw a bar, store a number).
#[derive(Clone)]
pub struct SendProgress {
    shared: Arc<Shared>,
}

struct Shared {
    sent: AtomicU64,
    /// Held while a total is computed and reported, so that reports arrive in order.
    reporting: Mutex<()>,
    report: Box<dyn Fn(u64) + Send + Sync>,
}

impl SendProgress {
    /// A count starting at 0 that calls `report` with each new total.
    pub fn new(report: impl Fn(u64) + Send + Sync + 'static) -> Self {
        SendProgress {
            shared: Arc::new(Shared { sent: AtomicU64::new(0), reporting: Mutex::new(()), report: Box::new(report) }),
        }
    }

    /// The bytes counted so far.
    pub fn bytes_sent(&self) -> u64 {
        self.shared.sent.load(Ordering::Acquire)
    }

    fn add(&self, bytes: u64) {
        // A callback that panicked leaves nothing inconsistent behind the lock.
        let _in_order = self.shared.reporting.lock().unwrap_or_else(PoisonError::into_inner);
        let total = self.shared.sent.fetch_add(bytes, Ordering::AcqRel) + bytes;
        (self.shared.report)(total);
    }
}

impl std::fmt::Debug for SendProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendProgress").field("bytes_sent", &self.bytes_sent()).finish_non_exhaustive()
    }
}

/// One file's share of a [`SendProgress`]: the furthest any attempt to send it got.
pub(super) struct FileProgress {
    progress: SendProgress,
    furthest: AtomicU64,
}

impl FileProgress {
    pub(super) fn new(progress: &SendProgress) -> Self {
        FileProgress { progress: progress.clone(), furthest: AtomicU64::new(0) }
    }

    /// An attempt has handed `offset` bytes of the file to the connection.
    fn reached(&self, offset: u64) {
        let before = self.furthest.fetch_max(offset, Ordering::AcqRel);
        if offset > before {
            self.progress.add(offset - before);
        }
    }
}

/// The chunks of one attempt to send a file, counted as they are polled.
pub(super) struct Counted<S> {
    chunks: S,
    offset: u64,
    file: Arc<FileProgress>,
}

impl<S> Counted<S> {
    pub(super) fn new(chunks: S, file: Arc<FileProgress>) -> Self {
        Counted { chunks, offset: 0, file }
    }
}

impl<S> Stream for Counted<S>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Unpin,
{
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.chunks.poll_next_unpin(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            self.offset += chunk.len() as u64;
            self.file.reached(self.offset);
        }
        polled
    }
}

/// `bytes` as chunks of [`CHUNK_SIZE`], sharing its buffer.
pub(super) fn chunks_of(bytes: Bytes) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
    let starts = (0..bytes.len()).step_by(CHUNK_SIZE);
    futures_util::stream::iter(starts.map(move |start| Ok(bytes.slice(start..(start + CHUNK_SIZE).min(bytes.len())))))
}
