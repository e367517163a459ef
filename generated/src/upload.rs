//! Large-file uploads, written by hand on top of the generated clients.
//!
//! [`upload_file`] sends a file of any size (up to OpenAI's 8 GB) through
//! OpenAI's Uploads API: it creates the Upload, reads the file part by part
//! and sends up to `concurrency` parts at once, retries a failed part alone,
//! and completes the Upload with the parts in file order. Memory stays near
//! `concurrency x part_size` whatever the file size. When anything fails after
//! the Upload was created, the Upload is cancelled; so it is when the returned
//! future is dropped (see [`upload_file`]).
//!
//! [`complete_dataset_upload`] is the part of the same flow that the published
//! Nebius spec allows; see its documentation for what is missing.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use md5::{Digest, Md5};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::task::{JoinHandle, JoinSet};

// The runtime's types are every generated client's: nothing here is OpenAI's own but the operations.
use apigen_runtime::{Error, FilePart, RetryPolicy, SendProgress};

use crate::nebius;
use crate::openai::{self, forms, types};

/// The largest part OpenAI accepts ("64 MB"; its own SDK sends 64 MiB parts).
pub const MAX_PART_SIZE: u64 = 64 << 20;

/// The largest file an OpenAI Upload holds ("8 GB", taken as GiB like the part size).
pub const MAX_UPLOAD_SIZE: u64 = 8 << 30;

/// The part size used unless told otherwise: as large as allowed, for the fewest requests.
pub const DEFAULT_PART_SIZE: u64 = MAX_PART_SIZE;

/// Parts sent at once unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The error type of the OpenAI upload operations.
pub type OpenAiError = Error<types::ErrorResponse>;

/// What to upload: a file on disk, or a reader with a known length.
pub struct UploadSource {
    kind: SourceKind,
}

enum SourceKind {
    Path(PathBuf),
    Reader { reader: Box<dyn AsyncRead + Unpin + Send>, length: u64 },
}

impl UploadSource {
    /// A file on disk, read part by part as the upload goes; named after the path
    /// unless [`UploadOptions::filename`] says otherwise.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadSource { kind: SourceKind::Path(path.into()) }
    }

    /// Any reader that yields exactly `length` bytes (the size is declared when
    /// the Upload is created; a reader that yields fewer or more bytes fails the
    /// upload). [`UploadOptions::filename`] is then required.
    pub fn reader(reader: impl AsyncRead + Unpin + Send + 'static, length: u64) -> Self {
        UploadSource { kind: SourceKind::Reader { reader: Box::new(reader), length } }
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SourceKind::Path(path) => f.debug_tuple("Path").field(path).finish(),
            SourceKind::Reader { length, .. } => {
                f.debug_struct("Reader").field("length", length).finish_non_exhaustive()
            }
        }
    }
}

/// An opened source: the reader, its declared length, the name it suggests.
struct OpenedSource {
    reader: Box<dyn AsyncRead + Unpin + Send>,
    length: u64,
    name: Option<String>,
}

impl UploadSource {
    async fn open(self) -> Result<OpenedSource, UploadError> {
        match self.kind {
            SourceKind::Reader { reader, length } => Ok(OpenedSource { reader, length, name: None }),
            SourceKind::Path(path) => {
                let opened = async {
                    let file = tokio::fs::File::open(&path).await?;
                    let length = file.metadata().await?.len();
                    Ok::<_, std::io::Error>((file, length))
                };
                let (file, length) = opened.await.map_err(|source| UploadError::Open { path: path.clone(), source })?;
                let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
                Ok(OpenedSource { reader: Box::new(file), length, name })
            }
        }
    }
}

/// Called as bytes are sent and as parts are acknowledged, to draw a progress bar.
pub type ProgressCallback = Arc<dyn Fn(&UploadProgress) + Send + Sync>;

/// How far an upload is, as given to [`UploadOptions::progress`]. Reports come
/// one at a time, neither field ever going back, the last one with every part done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes of the file sent so far, counted in 64 KiB steps as the connection
    /// takes them (see [`SendProgress`]). A retried part counts once: its
    /// bytes count again only past where its failed attempt stopped.
    pub bytes_sent: u64,
    /// Parts the server has acknowledged.
    pub parts_done: usize,
    pub total_bytes: u64,
    pub total_parts: usize,
}

/// How [`upload_file`] creates and sends the Upload.
#[derive(Clone)]
pub struct UploadOptions {
    /// Bytes per part: at least 1, at most [`MAX_PART_SIZE`]. Memory use is about
    /// `concurrency x part_size`.
    pub part_size: u64,
    /// Parts sent at once (at least 1).
    pub concurrency: usize,
    pub purpose: types::CreateUploadRequestPurpose,
    /// Must be one OpenAI accepts for the purpose (`text/jsonl` for `batch` and `fine-tune`).
    pub mime_type: String,
    /// The name of the resulting File; defaults to the path's file name.
    pub filename: Option<String>,
    pub expires_after: Option<types::FileExpirationAfter>,
    /// Compute the MD5 of the whole file while reading it and send it on
    /// completion, so that the server checks what it joined.
    pub md5: bool,
    pub progress: Option<ProgressCallback>,
    /// How a failed part is retried: that part alone, after a connection
    /// error, a timeout, or a 408, 409, 429 or 5xx status. Parts are sent by
    /// POST but are always safe to resend (only the id of the attempt that
    /// succeeded joins the Upload), so `retry_non_idempotent` is not read.
    pub retry: RetryPolicy,
}

impl UploadOptions {
    /// The defaults: 64 MiB parts, 4 at once, no MD5, no progress callback,
    /// up to 3 retries of a part.
    pub fn new(purpose: types::CreateUploadRequestPurpose, mime_type: impl Into<String>) -> Self {
        UploadOptions {
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            purpose,
            mime_type: mime_type.into(),
            filename: None,
            expires_after: None,
            md5: false,
            progress: None,
            retry: RetryPolicy { max_retries: 3, ..RetryPolicy::default() },
        }
    }

    /// Checks the options against the file's length.
    fn part_layout(&self, total_bytes: u64) -> Result<PartLayout, UploadError> {
        let invalid = |message: String| Err(UploadError::InvalidOptions(message));
        if self.part_size == 0 || self.part_size > MAX_PART_SIZE {
            return invalid(format!("part_size is {} bytes; it must be between 1 and {MAX_PART_SIZE}", self.part_size));
        }
        if self.concurrency == 0 {
            return invalid("concurrency must be at least 1".into());
        }
        if total_bytes > MAX_UPLOAD_SIZE {
            return invalid(format!("the file has {total_bytes} bytes; an Upload holds at most {MAX_UPLOAD_SIZE}"));
        }
        let part_size = usize::try_from(self.part_size);
        let total_parts = usize::try_from(total_bytes.div_ceil(self.part_size));
        match (part_size, total_parts) {
            (Ok(part_size), Ok(total_parts)) => Ok(PartLayout { part_size, total_parts }),
            _ => {
                invalid(format!("{total_bytes} bytes in parts of {} do not fit this platform's usize", self.part_size))
            }
        }
    }
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .field("purpose", &self.purpose)
            .field("mime_type", &self.mime_type)
            .field("filename", &self.filename)
            .field("expires_after", &self.expires_after)
            .field("md5", &self.md5)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .field("retry", &self.retry)
            .finish()
    }
}

/// How a file is cut into parts.
struct PartLayout {
    part_size: usize,
    total_parts: usize,
}

/// Why [`upload_file`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The options or the file's size break a limit; nothing was sent.
    InvalidOptions(String),
    /// The file could not be opened; nothing was sent.
    Open { path: PathBuf, source: std::io::Error },
    /// Creating the Upload failed; there is nothing to cancel.
    Create(Box<OpenAiError>),
    /// The Upload was created, then something failed, and the Upload was
    /// cancelled (`cancel_error` says why cancelling failed, when it did).
    Aborted { upload_id: String, reason: AbortReason, cancel_error: Option<Box<OpenAiError>> },
}

/// What made an upload stop after the Upload was created.
#[derive(Debug)]
#[non_exhaustive]
pub enum AbortReason {
    /// Reading the source failed at `offset`.
    Read { offset: u64, source: std::io::Error },
    /// The source ended before the length declared at creation.
    SourceTooShort { declared: u64, read: u64 },
    /// The source held more bytes than declared at creation.
    SourceTooLong { declared: u64 },
    /// Part `index` (0-based, covering `bytes` of the file) still failed after `attempts` tries.
    Part { index: usize, bytes: Range<u64>, attempts: u32, error: Box<OpenAiError> },
    /// Every part was sent but completing the Upload failed.
    Complete(Box<OpenAiError>),
}

impl fmt::Display for AbortReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbortReason::Read { offset, source } => write!(f, "reading the file at byte {offset} failed: {source}"),
            AbortReason::SourceTooShort { declared, read } => {
                write!(f, "the source ended after {read} bytes but {declared} were declared")
            }
            AbortReason::SourceTooLong { declared } => {
                write!(f, "the source holds more than the {declared} bytes declared")
            }
            AbortReason::Part { index, bytes, attempts, error } => write!(
                f,
                "part {index} (bytes {}..{}) failed after {attempts} attempt{}: {}",
                bytes.start,
                bytes.end,
                if *attempts == 1 { "" } else { "s" },
                error
            ),
            AbortReason::Complete(error) => write!(f, "completing the upload failed: {}", error),
        }
    }
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::InvalidOptions(message) => write!(f, "invalid upload: {message}"),
            UploadError::Open { path, source } => write!(f, "cannot open {}: {source}", path.display()),
            UploadError::Create(error) => write!(f, "creating the upload failed: {}", error),
            UploadError::Aborted { upload_id, reason, cancel_error: None } => {
                write!(f, "upload {upload_id} was cancelled: {reason}")
            }
            UploadError::Aborted { upload_id, reason, cancel_error: Some(cancel_error) } => {
                write!(f, "upload {upload_id} failed: {reason}; cancelling it failed too: {}", cancel_error)
            }
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Open { source, .. } => Some(source),
            UploadError::Create(error) => Some(&**error),
            UploadError::Aborted { reason, .. } => match reason {
                AbortReason::Read { source, .. } => Some(source),
                AbortReason::Part { error, .. } | AbortReason::Complete(error) => Some(&**error),
                AbortReason::SourceTooShort { .. } | AbortReason::SourceTooLong { .. } => None,
            },
            UploadError::InvalidOptions(_) => None,
        }
    }
}

/// Uploads a file through OpenAI's Uploads API and returns the completed Upload
/// (its `file` is the resulting File).
///
/// Parts are read one after the other and sent `options.concurrency` at a
/// time; each is kept in memory until the server acknowledges it, so that a
/// failed part is retried alone (see [`UploadOptions::retry`]). The parts are joined in
/// file order whatever order they finished in.
///
/// On failure after the Upload was created, the Upload is cancelled before the
/// error is returned, and the error says which part failed and why. Dropping
/// the future before it finishes (a `tokio::select!` on Ctrl-C, a timeout)
/// cancels the Upload too: the cancel request is spawned on the current tokio
/// runtime, so it is sent only while that runtime keeps running.
///
/// ```no_run
/// use std::time::Duration;
/// use apigen_generated::openai::{types, Client};
/// use apigen_generated::upload::{upload_file, UploadOptions, UploadSource};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::default().with_bearer_token_from_env("OPENAI_API_KEY")?;
/// let options = UploadOptions { md5: true, ..UploadOptions::new(types::CreateUploadRequestPurpose::Batch, "text/jsonl") };
/// let upload = tokio::select! {
///     upload = upload_file(&client, UploadSource::path("requests.jsonl"), options) => upload?,
///     // Giving up (or Ctrl-C, with tokio's `signal` feature) drops the future: the Upload is cancelled.
///     _ = tokio::time::sleep(Duration::from_secs(3600)) => return Err("too slow".into()),
/// };
/// println!("file {}", upload.file.map(|file| file.id).unwrap_or_default());
/// # Ok(()) }
/// ```
pub async fn upload_file(
    client: &openai::Client,
    source: UploadSource,
    options: UploadOptions,
) -> Result<types::Upload, UploadError> {
    let OpenedSource { reader, length, name } = source.open().await?;
    let layout = options.part_layout(length)?;
    let filename = options
        .filename
        .clone()
        .or(name)
        .ok_or_else(|| UploadError::InvalidOptions("a reader needs `filename` in the options".into()))?;
    let declared_bytes =
        i64::try_from(length).map_err(|_| UploadError::InvalidOptions(format!("{length} bytes is too large")))?;
    let request = types::CreateUploadRequest {
        filename,
        purpose: options.purpose.clone(),
        bytes: declared_bytes,
        mime_type: options.mime_type.clone(),
        expires_after: options.expires_after.clone(),
    };
    let upload = client.create_upload(&request).await.map_err(|error| UploadError::Create(Box::new(error)))?;

    let mut cancel_on_drop = CancelOnDrop { client: client.clone(), upload_id: Some(upload.id.clone()) };
    let sending = PartSender { client, upload_id: &upload.id, layout, total_bytes: length, options: &options };
    let outcome = sending.run(reader).await;
    let cancel_error = match &outcome {
        // Cancel here rather than from the guard, so that the caller knows how it went.
        Err(_) => client.cancel_upload(&upload.id).await.err().map(Box::new),
        Ok(_) => None,
    };
    cancel_on_drop.disarm();
    outcome.map_err(|reason| UploadError::Aborted { upload_id: upload.id, reason, cancel_error })
}

/// Cancels the Upload when dropped while still armed: the upload future was
/// dropped before it finished.
struct CancelOnDrop {
    client: openai::Client,
    upload_id: Option<String>,
}

impl CancelOnDrop {
    fn disarm(&mut self) {
        self.upload_id = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        let Some(upload_id) = self.upload_id.take() else { return };
        // Without a runtime nothing can be sent; the Upload then expires by itself.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let client = self.client.clone();
        runtime.spawn(async move {
            // Nobody is left to tell of a failure: the Upload expires anyway.
            let _ = client.cancel_upload(&upload_id).await;
        });
    }
}

/// Sends the parts of one Upload and completes it.
struct PartSender<'a> {
    client: &'a openai::Client,
    upload_id: &'a str,
    layout: PartLayout,
    total_bytes: u64,
    options: &'a UploadOptions,
}

/// A part read from the source, waiting to be sent.
struct Part {
    index: usize,
    bytes: Range<u64>,
    data: Bytes,
}

impl PartSender<'_> {
    async fn run(&self, mut reader: Box<dyn AsyncRead + Unpin + Send>) -> Result<types::Upload, AbortReason> {
        let total_parts = self.layout.total_parts;
        // Grown as parts finish, so that tiny parts do not allocate ahead.
        let mut part_ids: Vec<Option<String>> = Vec::new();
        let start = UploadProgress { bytes_sent: 0, parts_done: 0, total_bytes: self.total_bytes, total_parts };
        let progress = self.options.progress.clone().map(|callback| ProgressReporter::new(callback, start));
        let mut digest = self.options.md5.then(FileDigest::default);
        // Dropping the set (on error, or when the future is dropped) aborts the parts in flight.
        let mut in_flight = JoinSet::new();

        for index in 0..total_parts {
            // Wait for a free slot before reading, so that at most `concurrency` parts are in memory.
            if in_flight.len() >= self.options.concurrency {
                if let Some(joined) = in_flight.join_next().await {
                    self.record(finished_part(joined), &mut part_ids, progress.as_ref())?;
                }
            }
            let part = self.read_part(&mut reader, index).await?;
            if let Some(digest) = &mut digest {
                digest.update(part.data.clone()).await;
            }
            in_flight.spawn(send_part(
                self.client.clone(),
                self.upload_id.to_string(),
                part,
                self.options.retry.clone(),
                progress.as_ref().map(|progress| progress.bytes.clone()),
            ));
        }
        self.check_source_ended(&mut reader).await?;
        while let Some(joined) = in_flight.join_next().await {
            self.record(finished_part(joined), &mut part_ids, progress.as_ref())?;
        }

        let md5 = match digest {
            Some(digest) => Some(digest.finish().await),
            None => None,
        };
        let part_ids = part_ids.into_iter().flatten().collect();
        self.client
            .complete_upload(self.upload_id, &types::CompleteUploadRequest { part_ids, md5 })
            .await
            .map_err(|error| AbortReason::Complete(Box::new(error)))
    }

    /// Reads part `index` whole; a source that ends early is an error.
    async fn read_part(&self, reader: &mut (dyn AsyncRead + Unpin + Send), index: usize) -> Result<Part, AbortReason> {
        let start = index as u64 * self.layout.part_size as u64;
        let end = (start + self.layout.part_size as u64).min(self.total_bytes);
        let mut data = vec![0; (end - start) as usize];
        let mut filled = 0;
        while filled < data.len() {
            let offset = start + filled as u64;
            match reader.read(&mut data[filled..]).await {
                Ok(0) => return Err(AbortReason::SourceTooShort { declared: self.total_bytes, read: offset }),
                Ok(read) => filled += read,
                Err(source) => return Err(AbortReason::Read { offset, source }),
            }
        }
        Ok(Part { index, bytes: start..end, data: Bytes::from(data) })
    }

    /// After the declared length, the source must be at its end.
    async fn check_source_ended(&self, reader: &mut (dyn AsyncRead + Unpin + Send)) -> Result<(), AbortReason> {
        let mut probe = [0u8; 1];
        match reader.read(&mut probe).await {
            Ok(0) => Ok(()),
            Ok(_) => Err(AbortReason::SourceTooLong { declared: self.total_bytes }),
            Err(source) => Err(AbortReason::Read { offset: self.total_bytes, source }),
        }
    }

    /// Notes a finished part: its id in file order, and the progress.
    fn record(
        &self,
        finished: Result<(Part, String), AbortReason>,
        part_ids: &mut Vec<Option<String>>,
        progress: Option<&ProgressReporter>,
    ) -> Result<(), AbortReason> {
        let (part, part_id) = finished?;
        if part_ids.len() <= part.index {
            part_ids.resize(part.index + 1, None);
        }
        part_ids[part.index] = Some(part_id);
        if let Some(progress) = progress {
            progress.report.update(|progress| progress.parts_done += 1);
        }
        Ok(())
    }
}

/// The progress of one upload: the bytes counted as the parts are sent, and
/// the parts acknowledged, both told to the caller's callback.
struct ProgressReporter {
    report: Arc<Report>,
    /// Given to every part, so that they all add to one count.
    bytes: SendProgress,
}

/// The latest [`UploadProgress`], updated and reported under one lock so
/// that reports from parts sent at once arrive in order.
struct Report {
    latest: Mutex<UploadProgress>,
    callback: ProgressCallback,
}

impl Report {
    fn update(&self, change: impl FnOnce(&mut UploadProgress)) {
        // A callback that panicked leaves a consistent value behind the lock.
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        change(&mut latest);
        (self.callback)(&latest);
    }
}

impl ProgressReporter {
    fn new(callback: ProgressCallback, start: UploadProgress) -> Self {
        let report = Arc::new(Report { latest: Mutex::new(start), callback });
        let on_bytes = report.clone();
        // `SendProgress` gives its totals in order, one at a time.
        let bytes = SendProgress::new(move |sent| on_bytes.update(|progress| progress.bytes_sent = sent));
        ProgressReporter { report, bytes }
    }
}

type PartOutcome = Result<(Part, String), AbortReason>;

/// The outcome of a finished part task. The tasks are never aborted while
/// joined, so a join error can only be a panic, which is passed on.
fn finished_part(joined: Result<PartOutcome, tokio::task::JoinError>) -> PartOutcome {
    joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()))
}

/// Sends one part, retrying it alone; returns it with the id the server gave it.
async fn send_part(
    client: openai::Client,
    upload_id: String,
    part: Part,
    retry: RetryPolicy,
    progress: Option<SendProgress>,
) -> PartOutcome {
    let mut data = FilePart::bytes(part.data.clone()).file_name(format!("part-{}", part.index));
    if let Some(progress) = &progress {
        data = data.progress(progress);
    }
    let mut attempts = 1;
    loop {
        // Clones share the buffer and the part's progress: a retry re-sends without copying or counting twice.
        let request = forms::AddUploadPartRequest { data: data.clone() };
        match client.add_upload_part(&upload_id, request).await {
            Ok(sent) => return Ok((part, sent.id)),
            Err(error) if attempts <= retry.max_retries && error.is_retryable() => {
                tokio::time::sleep(retry.delay_after(attempts - 1, &error)).await;
                attempts += 1;
            }
            Err(error) => {
                return Err(AbortReason::Part {
                    index: part.index,
                    bytes: part.bytes,
                    attempts,
                    error: Box::new(error),
                })
            }
        }
    }
}

/// The MD5 of the whole file, fed part by part in file order. Hashing runs on
/// tokio's blocking pool so that it overlaps with reading the next part.
#[derive(Default)]
struct FileDigest {
    hashing: Option<JoinHandle<Md5>>,
}

impl FileDigest {
    async fn update(&mut self, data: Bytes) {
        let mut hasher = self.take_hasher().await;
        self.hashing = Some(tokio::task::spawn_blocking(move || {
            hasher.update(&data);
            hasher
        }));
    }

    /// The digest as lowercase hex.
    async fn finish(mut self) -> String {
        let digest = self.take_hasher().await.finalize();
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    async fn take_hasher(&mut self) -> Md5 {
        match self.hashing.take() {
            // The task is never aborted, so an error is a panic, passed on.
            Some(hashing) => hashing.await.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic())),
            None => Md5::new(),
        }
    }
}

/// Completes a Nebius datasets upload with every part the server lists, in
/// the order they were created (the server's order for parts created in the
/// same second).
///
/// The published Nebius spec (`specs/nebius.yaml`) has only two operations of
/// this flow: listing an upload's parts and completing the upload. Creating an
/// upload (`POST /v1/datasets/uploads`) appears in the rendered reference
/// without its schema, and adding a part, reading or cancelling an upload are
/// not published at all; nothing here invents them, so the upload has to be
/// created and its parts sent by other means. The listed parts carry no part
/// number, so creation time is the only order the API gives: send parts one
/// after the other when the order matters, or complete with your own list
/// through `nebius::Client::complete_upload`.
pub async fn complete_dataset_upload(
    client: &nebius::Client,
    upload_id: &str,
    ai_project_id: Option<&str>,
) -> Result<nebius::types::UploadResponse, Error<nebius::types::HttpValidationError>> {
    let mut listing = client.list_upload_parts(upload_id);
    if let Some(project) = ai_project_id {
        listing = listing.ai_project_id(project);
    }
    let mut parts = listing.await?.data;
    // A stable sort keeps the server's order among equal timestamps.
    parts.sort_by_key(|part| part.created_at);
    let part_ids = parts.into_iter().map(|part| part.id).collect();
    let mut completing = client.complete_upload(upload_id, &nebius::types::CompleteUploadRequest { part_ids });
    if let Some(project) = ai_project_id {
        completing = completing.ai_project_id(project);
    }
    completing.await
}
