//! The server side (the `server` feature): routing, reading and checking
//! requests before an implementation sees them, and writing its typed
//! responses. A generated `server` module declares the traits, the request
//! and response types and the handlers, and calls this module for the rest.
//!
//! Requests are read back as the client side of this crate writes them:
//! the same [`QueryStyle`]s, path segments percent-decoded as the client
//! encodes them, the same refusal of segments that would change the path.
//! Like the rest of the crate, it must compile as a module of another crate
//! (`--vendor-runtime`): no `crate::` paths.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use axum::body::Body;
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The credentials an operation asks for, as the client's security schemes name them.
#[doc(hidden)]
pub use super::SchemeKind;
use super::{BoxError, BoxFuture, QueryStyle};

/// The web framework underneath, whose [`Router`](axum::Router) the server
/// builds; generated code names its types through this path, so needs no dependency of its own.
pub use axum;
/// What an implementation's answer becomes.
pub use axum::response::Response;

/// The largest file part of a multipart body, spooled to a temporary file:
/// 8 GiB (OpenAI's largest upload).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 << 30;

/// Limits on what a request may bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The largest JSON, form or text body (and the largest sum of a
    /// multipart body's text parts) read into memory, as the client's default
    /// ([`super::DEFAULT_MAX_BODY_SIZE`]); a larger body is answered 413.
    pub max_body_size: usize,
    /// See [`DEFAULT_MAX_FILE_SIZE`]; a larger file part is answered 413.
    pub max_file_size: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { max_body_size: super::DEFAULT_MAX_BODY_SIZE, max_file_size: DEFAULT_MAX_FILE_SIZE }
    }
}

/// What an implementation may want of a request beyond its typed inputs:
/// credentials, other headers, what axum middleware put in the extensions.
pub struct Context {
    /// The request's method.
    pub method: Method,
    /// The request's URI, path and query as sent.
    pub uri: Uri,
    /// Every header of the request.
    pub headers: HeaderMap,
    /// What middleware put in the request's extensions.
    pub extensions: Extensions,
}

/// Header names only: values may be credentials, which logs must not show.
impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("method", &self.method)
            .field("path", &self.uri.path())
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Context {
    /// The token of an `Authorization: Bearer <token>` header.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// Whether the request asks for server-sent events (`Accept: text/event-stream`).
    pub fn wants_events(&self) -> bool {
        self.headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| value.to_ascii_lowercase().contains("text/event-stream"))
    }
}

/// A body of bytes, read or sent as it arrives: a binary request body, or a binary response.
pub struct BodyStream {
    inner: BoxStream<'static, Result<Bytes, BoxError>>,
}

impl BodyStream {
    /// A body read from a stream of chunks.
    pub fn new<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        BodyStream { inner: stream.map(|chunk| chunk.map_err(Into::into)).boxed() }
    }

    /// Reads the whole body, failing once it passes `limit` bytes.
    pub async fn collect(mut self, limit: usize) -> Result<Vec<u8>, BoxError> {
        let mut bytes = Vec::new();
        while let Some(chunk) = self.inner.next().await {
            let chunk = chunk?;
            if bytes.len() + chunk.len() > limit {
                return Err(format!("the body is larger than {limit} bytes").into());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

impl From<Bytes> for BodyStream {
    fn from(bytes: Bytes) -> Self {
        BodyStream::new(futures_util::stream::iter([Ok::<Bytes, BoxError>(bytes)]))
    }
}

impl From<Vec<u8>> for BodyStream {
    fn from(bytes: Vec<u8>) -> Self {
        BodyStream::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for BodyStream {
    fn from(bytes: &'static [u8]) -> Self {
        BodyStream::from(Bytes::from_static(bytes))
    }
}

impl From<String> for BodyStream {
    fn from(text: String) -> Self {
        BodyStream::from(Bytes::from(text))
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyStream")
    }
}

/// The items of a streamed response: server-sent events, or the lines of a JSON sequence.
pub struct Events<T> {
    inner: BoxStream<'static, T>,
}

impl<T: Send + 'static> Events<T> {
    /// Items sent as the stream yields them.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        Events { inner: stream.boxed() }
    }
}

impl<T: Send + 'static> From<Vec<T>> for Events<T> {
    fn from(items: Vec<T>) -> Self {
        Events::new(futures_util::stream::iter(items))
    }
}

impl<T> fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Events")
    }
}

/// A file part of a multipart request, spooled to a temporary file (deleted
/// when dropped) as it arrived, so that no file is held in memory.
#[derive(Debug)]
pub struct UploadedFile {
    /// The file name the client gave, if any.
    pub file_name: Option<String>,
    /// The part's content type, if any.
    pub content_type: Option<String>,
    /// Its length in bytes.
    pub size: u64,
    file: tokio::fs::File,
}

impl UploadedFile {
    /// The file's bytes, read from disk as the stream is polled.
    pub fn into_stream(self) -> BodyStream {
        use tokio::io::AsyncReadExt;
        let chunks = futures_util::stream::unfold(Some(self.file), |file| async move {
            let mut file = file?;
            let mut buffer = Vec::with_capacity(64 << 10);
            match (&mut file).take(64 << 10).read_to_end(&mut buffer).await {
                Ok(0) => None,
                Ok(_) => Some((Ok(Bytes::from(buffer)), Some(file))),
                Err(error) => Some((Err(error), None)),
            }
        });
        BodyStream::new(chunks)
    }

    /// The whole file in memory.
    pub async fn bytes(mut self) -> std::io::Result<Vec<u8>> {
        use tokio::io::AsyncReadExt;
        let mut bytes = Vec::new();
        self.file.read_to_end(&mut bytes).await?;
        Ok(bytes)
    }
}

/// How a multipart field's files become the form's field.
#[doc(hidden)]
pub trait FromFiles: Sized {
    fn from_files(files: Vec<UploadedFile>) -> Option<Self>;
}

impl FromFiles for UploadedFile {
    fn from_files(files: Vec<UploadedFile>) -> Option<Self> {
        let mut files = files.into_iter();
        match (files.next(), files.next()) {
            (Some(file), None) => Some(file),
            _ => None,
        }
    }
}

impl FromFiles for Option<UploadedFile> {
    fn from_files(files: Vec<UploadedFile>) -> Option<Self> {
        if files.is_empty() {
            Some(None)
        } else {
            UploadedFile::from_files(files).map(Some)
        }
    }
}

impl FromFiles for Vec<UploadedFile> {
    fn from_files(files: Vec<UploadedFile>) -> Option<Self> {
        Some(files)
    }
}

impl FromFiles for Option<Vec<UploadedFile>> {
    fn from_files(files: Vec<UploadedFile>) -> Option<Self> {
        Some((!files.is_empty()).then_some(files))
    }
}

/// The parts of a multipart body the spec does not describe field by field.
#[derive(Debug, Default)]
pub struct Parts {
    /// The text parts, name and text, in the order they came.
    pub texts: Vec<(String, String)>,
    /// The file parts, name and file, in the order they came.
    pub files: Vec<(String, UploadedFile)>,
}

/// How the text of a parameter or form field is read: as it is, or as a
/// number or boolean when its type is one.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    Text,
    Scalar,
}

/// The shape of a parameter's value: one value, a list, or an object (`deepObject`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    One(Leaf),
    Many(Leaf),
    Object,
}

/// The bounds a parameter's schema sets (see [`Incoming::within`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    /// Of a string, in characters.
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// Of a list.
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Bounds {
    /// No bound, for generated code to name the bounds it sets and no more.
    pub const NONE: Bounds = Bounds {
        minimum: None,
        maximum: None,
        exclusive_minimum: false,
        exclusive_maximum: false,
        min_length: None,
        max_length: None,
        min_items: None,
        max_items: None,
    };

    /// What is wrong with `value`, as pydantic v2 words it: `(msg, type)`.
    fn problem(&self, value: &serde_json::Value) -> Option<(String, &'static str)> {
        match value {
            serde_json::Value::Number(number) => {
                let number = number.as_f64()?;
                match (self.minimum, self.maximum) {
                    (Some(bound), _) if self.exclusive_minimum && number <= bound => {
                        Some((format!("Input should be greater than {bound}"), "greater_than"))
                    }
                    (Some(bound), _) if number < bound => {
                        Some((format!("Input should be greater than or equal to {bound}"), "greater_than_equal"))
                    }
                    (_, Some(bound)) if self.exclusive_maximum && number >= bound => {
                        Some((format!("Input should be less than {bound}"), "less_than"))
                    }
                    (_, Some(bound)) if number > bound => {
                        Some((format!("Input should be less than or equal to {bound}"), "less_than_equal"))
                    }
                    _ => None,
                }
            }
            serde_json::Value::String(text) => length_problem(
                text.chars().count(),
                (self.min_length, self.max_length),
                "String should have",
                "characters",
                ("string_too_short", "string_too_long"),
            ),
            serde_json::Value::Array(items) => length_problem(
                items.len(),
                (self.min_items, self.max_items),
                "List should have",
                "items",
                ("too_short", "too_long"),
            ),
            _ => None,
        }
    }
}

/// What is wrong with a length outside `(min, max)`: `{subject} at least {min} {unit}`.
fn length_problem(
    length: usize,
    (min, max): (Option<usize>, Option<usize>),
    subject: &str,
    unit: &str,
    (too_short, too_long): (&'static str, &'static str),
) -> Option<(String, &'static str)> {
    match (min, max) {
        (Some(bound), _) if length < bound => Some((format!("{subject} at least {bound} {unit}"), too_short)),
        (_, Some(bound)) if length > bound => Some((format!("{subject} at most {bound} {unit}"), too_long)),
        _ => None,
    }
}

/// The answer to a request without the credentials its operation asks for:
/// 401 with FastAPI's body, challenging with `scheme` when it is an HTTP one.
#[doc(hidden)]
pub fn not_authenticated(scheme: Option<&str>) -> Response {
    let mut response =
        reply_json_value(StatusCode::UNAUTHORIZED, &serde_json::json!({ "detail": "Not authenticated" }));
    if let Some(challenge) = scheme.and_then(|scheme| HeaderValue::from_str(scheme).ok()) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}

/// One entry of a FastAPI-style validation answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Problem {
    loc: Vec<serde_json::Value>,
    msg: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl Problem {
    fn new(location: &str, name: &str, msg: impl Into<String>, kind: &'static str) -> Self {
        Problem { loc: vec![location.into(), name.into()], msg: msg.into(), kind }
    }
}

/// A request being read: the generated handler takes each input from it,
/// then either answers with the problems found or calls the implementation.
#[doc(hidden)]
pub struct Incoming {
    context: Context,
    body: Option<Body>,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    parts: Option<Parts>,
    settings: Settings,
    problems: Vec<Problem>,
    /// An answer other than a validation error (413), which wins over problems.
    refusal: Option<Response>,
}

impl Incoming {
    fn missing(&mut self, location: &str, name: &str) {
        self.problems.push(Problem::new(location, name, "Field required", "missing"));
    }

    /// Reads `value` as `T`, recording a problem at `location`/`name` when it does not fit.
    fn typed<T: DeserializeOwned>(&mut self, location: &str, name: &str, value: serde_json::Value) -> Option<T> {
        match serde_json::from_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.problems.push(Problem::new(location, name, error.to_string(), "value_error"));
                None
            }
        }
    }

    /// Reads an absent input: `None` for an optional one, a problem for a required one.
    fn absent<T: DeserializeOwned>(&mut self, location: &str, name: &str, required: bool) -> Option<T> {
        if required {
            self.missing(location, name);
            return None;
        }
        self.typed(location, name, serde_json::Value::Null)
    }

    /// An absent body: `None` for an optional one, a problem at `["body"]` for a required one.
    fn absent_body<T: DeserializeOwned>(&mut self, required: bool) -> Option<T> {
        if self.refusal.is_some() {
            return None;
        }
        if required {
            self.body_missing();
            return None;
        }
        self.typed_body(serde_json::Value::Null)
    }

    fn body_missing(&mut self) {
        self.problems.push(Problem { loc: vec!["body".into()], msg: "Field required".into(), kind: "missing" });
    }

    fn typed_body<T: DeserializeOwned>(&mut self, value: serde_json::Value) -> Option<T> {
        match serde_json::from_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.problems.push(Problem { loc: vec!["body".into()], msg: error.to_string(), kind: "value_error" });
                None
            }
        }
    }

    /// The path parameter `name`, percent-decoded (the client encodes it as one segment).
    pub fn path<T: DeserializeOwned>(&mut self, name: &str, leaf: Leaf) -> Option<T> {
        match self.path.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()) {
            Some(text) => self.typed("path", name, leaf_value(&text, leaf)),
            None => self.absent("path", name, true),
        }
    }

    /// The query parameter `name`, read back as `style` writes it.
    pub fn query<T: DeserializeOwned>(
        &mut self,
        name: &str,
        style: QueryStyle,
        shape: Shape,
        required: bool,
    ) -> Option<T> {
        let object = |pairs: Vec<(String, &str)>| {
            let fields: serde_json::Map<String, serde_json::Value> =
                pairs.into_iter().map(|(key, text)| (key, leaf_value(text, Leaf::Scalar))).collect();
            (!fields.is_empty()).then_some(serde_json::Value::Object(fields))
        };
        let value = match (style, shape) {
            // `name[key]=value`.
            (QueryStyle::DeepObject, _) => {
                let prefix = format!("{name}[");
                object(
                    self.query
                        .iter()
                        .filter_map(|(key, value)| {
                            let key = key.strip_prefix(&prefix)?.strip_suffix(']')?;
                            Some((key.to_string(), value.as_str()))
                        })
                        .collect(),
                )
            }
            // `name=key,value,key,value`.
            (_, Shape::Object) => {
                let joined = self.query.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
                let items: Vec<&str> = joined.map(|text| text.split(',').collect()).unwrap_or_default();
                object(items.chunks(2).filter_map(|pair| Some((pair.first()?.to_string(), *pair.get(1)?))).collect())
            }
            _ => {
                let values: Vec<&String> = self.query.iter().filter(|(key, _)| key == name).map(|(_, v)| v).collect();
                match (shape, style) {
                    (_, _) if values.is_empty() => None,
                    (Shape::Many(leaf), _) => match style.separator() {
                        None => Some(values.iter().map(|text| leaf_value(text, leaf)).collect()),
                        Some(separator) => {
                            let items = values.iter().flat_map(|text| text.split(separator));
                            Some(items.filter(|item| !item.is_empty()).map(|item| leaf_value(item, leaf)).collect())
                        }
                    },
                    (Shape::One(leaf), _) => values.last().map(|text| leaf_value(text, leaf)),
                    (Shape::Object, _) => None,
                }
            }
        };
        match value {
            Some(value) => self.typed("query", name, value),
            None => self.absent("query", name, required),
        }
    }

    /// An object parameter of `style: form` and `explode: true`, written as a
    /// `key=value` pair per field beside the other parameters: the pairs of
    /// no parameter in `others`; absent when there are none.
    pub fn query_fields<T: DeserializeOwned>(&mut self, name: &str, others: &[&str], required: bool) -> Option<T> {
        let fields: serde_json::Map<String, serde_json::Value> = self
            .query
            .iter()
            .filter(|(key, _)| !others.contains(&key.as_str()))
            .map(|(key, text)| (key.clone(), leaf_value(text, Leaf::Scalar)))
            .collect();
        if fields.is_empty() {
            return self.absent("query", name, required);
        }
        self.typed("query", name, serde_json::Value::Object(fields))
    }

    /// The header `name` (lists comma-separated).
    pub fn header<T: DeserializeOwned>(&mut self, name: &str, shape: Shape, required: bool) -> Option<T> {
        let values: Vec<Option<String>> =
            self.context.headers.get_all(name).iter().map(|value| value.to_str().ok().map(str::to_string)).collect();
        if values.iter().any(Option::is_none) {
            self.problems.push(Problem::new("header", name, "the header is not visible ASCII", "value_error"));
            return None;
        }
        let texts: Vec<String> = values.into_iter().flatten().collect();
        if texts.is_empty() {
            return self.absent("header", name, required);
        }
        let value = match shape {
            Shape::Many(leaf) => {
                texts.iter().flat_map(|text| text.split(',')).map(|item| leaf_value(item.trim(), leaf)).collect()
            }
            Shape::One(leaf) => leaf_value(&texts.join(", "), leaf),
            Shape::Object => leaf_value(&texts.join(", "), Leaf::Text),
        };
        self.typed("header", name, value)
    }

    /// The cookie `name`, percent-decoded as the client encodes it.
    pub fn cookie<T: DeserializeOwned>(&mut self, name: &str, leaf: Leaf, required: bool) -> Option<T> {
        let found = self
            .raw_cookie(name)
            .map(|value| percent_encoding::percent_decode_str(value).decode_utf8().map(|text| text.into_owned()));
        match found {
            Some(Ok(text)) => self.typed("cookie", name, leaf_value(&text, leaf)),
            Some(Err(_)) => {
                self.problems.push(Problem::new("cookie", name, "the cookie is not UTF-8", "value_error"));
                None
            }
            None => self.absent("cookie", name, required),
        }
    }

    /// Records a problem when the parameter `name` read from `location` is
    /// outside `bounds` (an absent or unread one has none).
    pub fn within<T: Serialize>(&mut self, location: &str, name: &str, value: &Option<T>, bounds: &Bounds) {
        let Some(value) = value.as_ref().and_then(|value| serde_json::to_value(value).ok()) else { return };
        if let Some((msg, kind)) = bounds.problem(&value) {
            self.problems.push(Problem::new(location, name, msg, kind));
        }
    }

    /// The cookie `name` as sent.
    fn raw_cookie(&self, name: &str) -> Option<&str> {
        self.context
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// Whether the request carries every credential of one of `alternatives`
    /// (an empty one asks for none). Only presence is checked: whether a
    /// credential is valid is the implementation's to decide, from the `Context`.
    pub fn carries_credentials(&self, alternatives: &[&[SchemeKind]]) -> bool {
        let authorization = |wanted: &str| {
            self.context
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split_once(' '))
                .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case(wanted) && !token.trim().is_empty())
        };
        let carries = |credential: &SchemeKind| match credential {
            SchemeKind::Bearer => authorization("Bearer"),
            SchemeKind::Basic => authorization("Basic"),
            SchemeKind::Header(name) => self.context.headers.contains_key(*name),
            SchemeKind::Query(name) => self.query.iter().any(|(key, _)| key == name),
            SchemeKind::Cookie(name) => self.raw_cookie(name).is_some(),
        };
        alternatives.iter().any(|alternative| alternative.iter().all(carries))
    }

    /// The whole body, up to the settings' limit (a larger one is refused with 413); `None` when absent.
    async fn whole_body(&mut self) -> Option<Bytes> {
        let body = self.body.take()?;
        let limit = self.settings.max_body_size;
        let declared =
            self.context.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            self.refuse_too_large(limit as u64);
            return None;
        }
        match BodyStream::new(body.into_data_stream()).collect(limit).await {
            Ok(bytes) => Some(Bytes::from(bytes)),
            Err(error) => {
                // A stream that passed the limit, or one that broke off.
                if error.to_string().starts_with("the body is larger") {
                    self.refuse_too_large(limit as u64);
                } else {
                    self.problems.push(Problem {
                        loc: vec!["body".into()],
                        msg: error.to_string(),
                        kind: "body_error",
                    });
                }
                None
            }
        }
    }

    fn refuse_too_large(&mut self, limit: u64) {
        let detail = serde_json::json!({ "detail": format!("the request body is larger than {limit} bytes") });
        self.refusal.get_or_insert(reply_json_value(StatusCode::PAYLOAD_TOO_LARGE, &detail));
    }

    /// A JSON body; an empty body is absent.
    pub async fn json<T: DeserializeOwned>(&mut self, required: bool) -> Option<T> {
        let bytes = self.whole_body().await.filter(|bytes| !bytes.is_empty());
        let Some(bytes) = bytes else {
            return self.absent_body(required);
        };
        // As FastAPI: a body declared as something else is not read as JSON (no content type is taken as JSON).
        if let Some(content_type) = self.context.headers.get(header::CONTENT_TYPE) {
            let declared = content_type.to_str().unwrap_or_default();
            let essence = declared.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
                let msg = format!("the body's content type `{}` is not JSON", declared.escape_debug());
                self.problems.push(Problem { loc: vec!["body".into()], msg, kind: "model_attributes_type" });
                return None;
            }
        }
        match super::from_json(&bytes) {
            Ok(value) => Some(value),
            Err(super::JsonFailure { path, error }) => {
                let mut loc = vec![serde_json::Value::from("body")];
                loc.extend(path.0.into_iter().map(|segment| match segment {
                    super::PathSegment::Index(index) => serde_json::Value::from(index),
                    super::PathSegment::Key(key) => serde_json::Value::from(key),
                    super::PathSegment::Unknown => serde_json::Value::from("?"),
                }));
                let kind = if error.is_syntax() || error.is_eof() { "json_invalid" } else { "value_error" };
                self.problems.push(Problem { loc, msg: error.to_string(), kind });
                None
            }
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    pub async fn form<T: DeserializeOwned>(&mut self, required: bool) -> Option<T> {
        let Some(bytes) = self.whole_body().await.filter(|bytes| !bytes.is_empty()) else {
            return self.absent_body(required);
        };
        self.fields("body", &form_urlencoded_pairs(&bytes))
    }

    /// An object of `pairs` (repeated names make lists): read with every value
    /// as text first, then with numbers and booleans as such.
    fn fields<T: DeserializeOwned>(&mut self, location: &str, pairs: &[(String, String)]) -> Option<T> {
        let object = |leaf: Leaf| {
            let mut fields = serde_json::Map::new();
            for (name, text) in pairs {
                let value = leaf_value(text, leaf);
                match fields.get_mut(name) {
                    Some(serde_json::Value::Array(items)) => items.push(value),
                    Some(first) => *first = serde_json::Value::Array(vec![first.take(), value]),
                    None => {
                        fields.insert(name.clone(), value);
                    }
                }
            }
            serde_json::Value::Object(fields)
        };
        if let Ok(value) = serde_json::from_value(object(Leaf::Text)) {
            return Some(value);
        }
        match serde_path_to_error::deserialize(object(Leaf::Scalar)) {
            Ok(value) => Some(value),
            Err(error) => {
                let mut loc = vec![serde_json::Value::from(location)];
                loc.extend(error.path().iter().map(|segment| serde_json::Value::from(segment.to_string())));
                self.problems.push(Problem { loc, msg: error.inner().to_string(), kind: "value_error" });
                None
            }
        }
    }

    /// A text body.
    pub async fn text<T: DeserializeOwned>(&mut self, required: bool) -> Option<T> {
        let Some(bytes) = self.whole_body().await.filter(|bytes| !bytes.is_empty()) else {
            return self.absent_body(required);
        };
        match String::from_utf8(bytes.to_vec()) {
            Ok(text) => self.typed_body(serde_json::Value::String(text)),
            Err(_) => {
                self.problems.push(Problem {
                    loc: vec!["body".into()],
                    msg: "the body is not UTF-8".into(),
                    kind: "string_unicode",
                });
                None
            }
        }
    }

    /// A binary body, read as it arrives (not limited, as the client does not
    /// limit binary bodies). A required one must be sent: a request that
    /// declares none (no length, or a length of 0, and not chunked) is a problem.
    pub fn bytes(&mut self, required: bool) -> Option<BodyStream> {
        use axum::body::HttpBody;
        let body = self.body.take().filter(|body| body.size_hint().exact() != Some(0));
        match body {
            Some(body) => Some(BodyStream::new(body.into_data_stream())),
            None if required => {
                self.body_missing();
                None
            }
            None => Some(BodyStream::from(Bytes::new())),
        }
    }

    /// Reads a `multipart/form-data` body: text parts into memory (together
    /// up to the body limit), parts with a file name or named in `file_fields`
    /// to temporary files. Whether it could be read.
    pub async fn multipart(&mut self, file_fields: &[&str], required: bool) -> bool {
        let content_type = self.context.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let Some(body) = self.body.take() else {
            if required {
                self.problems.push(Problem { loc: vec!["body".into()], msg: "Field required".into(), kind: "missing" });
                return false;
            }
            self.parts = Some(Parts::default());
            return true;
        };
        let boundary = match multer::parse_boundary(content_type) {
            Ok(boundary) => boundary,
            Err(error) => {
                self.problems.push(Problem {
                    loc: vec!["body".into()],
                    msg: format!("not a multipart body: {error}"),
                    kind: "multipart",
                });
                return false;
            }
        };
        match read_parts(body, boundary, file_fields, self.settings).await {
            Ok(parts) => {
                self.parts = Some(parts);
                true
            }
            Err(PartsError::TooLarge(limit)) => {
                self.refuse_too_large(limit);
                false
            }
            Err(PartsError::Invalid(message)) => {
                self.problems.push(Problem { loc: vec!["body".into()], msg: message, kind: "multipart" });
                false
            }
        }
    }

    /// The text part(s) named `name` of the multipart body read last, as `T` (lists take every part).
    pub fn part_text<T: DeserializeOwned>(&mut self, name: &str, shape: Shape, required: bool) -> Option<T> {
        let texts: Vec<String> = match &self.parts {
            Some(parts) => parts.texts.iter().filter(|(key, _)| key == name).map(|(_, text)| text.clone()).collect(),
            None => return None,
        };
        let value = match shape {
            _ if texts.is_empty() => return self.absent("body", name, required),
            Shape::Many(leaf) => texts.iter().map(|text| leaf_value(text, leaf)).collect(),
            Shape::One(leaf) => leaf_value(texts.last().map_or("", String::as_str), leaf),
            Shape::Object => match serde_json::from_str(texts.last().map_or("", String::as_str)) {
                Ok(value) => value,
                Err(error) => {
                    self.problems.push(Problem::new("body", name, format!("not JSON: {error}"), "json_invalid"));
                    return None;
                }
            },
        };
        self.typed("body", name, value)
    }

    /// The file part(s) named `name` of the multipart body read last.
    pub fn part_files<T: FromFiles>(&mut self, name: &str) -> Option<T> {
        let parts = self.parts.as_mut()?;
        let (files, others) = std::mem::take(&mut parts.files).into_iter().partition(|(key, _)| key == name);
        parts.files = others;
        let files: Vec<UploadedFile> = files.into_iter().map(|(_, file)| file).collect();
        let count = files.len();
        let value = T::from_files(files);
        if value.is_none() {
            match count {
                0 => self.missing("body", name),
                _ => self.problems.push(Problem::new(
                    "body",
                    name,
                    format!("expected one file, got {count}"),
                    "value_error",
                )),
            }
        }
        value
    }

    /// Every part of the multipart body read last, for bodies the spec does not describe field by field.
    pub fn all_parts(&mut self) -> Option<Parts> {
        self.parts.take()
    }

    /// The answer to a request whose inputs did not all check: 413 for a
    /// body too large, else `status` (422, or 400 where the spec says so) with
    /// FastAPI's `{"detail": [{"loc", "msg", "type"}]}`.
    pub fn reject(self, status: u16) -> Response {
        if let Some(refusal) = self.refusal {
            return refusal;
        }
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        reply_json_value(status, &serde_json::json!({ "detail": self.problems }))
    }

    /// The request's context, once every input checked; `Err` is the answer when one did not.
    pub fn finish(self, status: u16) -> Result<Context, Box<Response>> {
        if self.refusal.is_some() || !self.problems.is_empty() {
            return Err(Box::new(self.reject(status)));
        }
        Ok(self.context)
    }
}

fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    bytes
        .split(|byte| *byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|byte| *byte == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &pair[..0]),
            };
            (form_decode(key), form_decode(value))
        })
        .collect()
}

/// One `application/x-www-form-urlencoded` name or value: `+` is a space, then percent-decoded.
fn form_decode(bytes: &[u8]) -> String {
    let spaced: Vec<u8> = bytes.iter().map(|&byte| if byte == b'+' { b' ' } else { byte }).collect();
    percent_encoding::percent_decode(&spaced).decode_utf8_lossy().into_owned()
}

/// A value's text as JSON: a number or boolean when `leaf` says its type is one and it reads as one.
fn leaf_value(text: &str, leaf: Leaf) -> serde_json::Value {
    if leaf == Leaf::Scalar {
        if let Ok(value @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) = serde_json::from_str(text) {
            return value;
        }
    }
    serde_json::Value::String(text.to_string())
}

enum PartsError {
    TooLarge(u64),
    Invalid(String),
}

async fn read_parts(
    body: Body,
    boundary: String,
    file_fields: &[&str],
    settings: Settings,
) -> Result<Parts, PartsError> {
    use tokio::io::{AsyncSeekExt, AsyncWriteExt};
    let invalid = |error: multer::Error| PartsError::Invalid(error.to_string());
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut parts = Parts::default();
    let mut text_bytes = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(invalid)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(|mime| mime.to_string());
        if file_name.is_some() || file_fields.contains(&name.as_str()) {
            let spool = tokio::task::spawn_blocking(tempfile::tempfile)
                .await
                .map_err(|error| PartsError::Invalid(format!("cannot spool the part: {error}")))?
                .map_err(|error| PartsError::Invalid(format!("cannot spool the part: {error}")))?;
            let mut file = tokio::fs::File::from_std(spool);
            let mut size = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(invalid)? {
                size += chunk.len() as u64;
                if size > settings.max_file_size {
                    return Err(PartsError::TooLarge(settings.max_file_size));
                }
                file.write_all(&chunk)
                    .await
                    .map_err(|error| PartsError::Invalid(format!("cannot spool the part: {error}")))?;
            }
            file.flush().await.map_err(|error| PartsError::Invalid(format!("cannot spool the part: {error}")))?;
            file.rewind().await.map_err(|error| PartsError::Invalid(format!("cannot spool the part: {error}")))?;
            parts.files.push((name, UploadedFile { file_name, content_type, size, file }));
        } else {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(invalid)? {
                text_bytes += chunk.len();
                if text_bytes > settings.max_body_size {
                    return Err(PartsError::TooLarge(settings.max_body_size as u64));
                }
                bytes.extend_from_slice(&chunk);
            }
            let text =
                String::from_utf8(bytes).map_err(|_| PartsError::Invalid(format!("the part `{name}` is not UTF-8")))?;
            parts.texts.push((name, text));
        }
    }
    Ok(parts)
}

/// A JSON answer.
#[doc(hidden)]
pub fn reply_json(status: u16, value: &impl Serialize, content_type: &str) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => reply(status, content_type, Body::from(bytes)),
        Err(error) => internal_error(&format!("the response did not serialize: {error}")),
    }
}

fn reply_json_value(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn internal_error(message: &str) -> Response {
    reply_json_value(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({ "detail": message }))
}

fn reply(status: u16, content_type: &str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// `response` with the headers of an answer's headers struct (a field per
/// header, serialized under its name): text as it is, numbers and booleans
/// as JSON writes them, lists comma-separated, objects as `key,value` pairs
/// (OpenAPI's `simple` style). A value that cannot be a header is a 500, as
/// the answer would not be what the spec promises.
#[doc(hidden)]
pub fn with_headers(mut response: Response, headers: &impl Serialize) -> Response {
    let fields = match serde_json::to_value(headers) {
        Ok(serde_json::Value::Object(fields)) => fields,
        Ok(_) => return internal_error("the response headers are not a struct"),
        Err(error) => return internal_error(&format!("the response headers did not serialize: {error}")),
    };
    for (name, value) in fields {
        let text = match &value {
            serde_json::Value::Array(items) => items.iter().map(header_item).collect::<Vec<_>>().join(","),
            serde_json::Value::Object(pairs) => {
                pairs.iter().flat_map(|(key, value)| [key.clone(), header_item(value)]).collect::<Vec<_>>().join(",")
            }
            other => header_item(other),
        };
        match (axum::http::HeaderName::try_from(name.as_str()), HeaderValue::try_from(text)) {
            (Ok(name), Ok(value)) => {
                response.headers_mut().append(name, value);
            }
            _ => return internal_error(&format!("the response header `{name}` is not a valid header")),
        }
    }
    response
}

/// One value of a header: a string without its quotes, anything else as JSON.
fn header_item(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// An answer without a body.
#[doc(hidden)]
pub fn reply_empty(status: u16) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// A text answer.
#[doc(hidden)]
pub fn reply_text(status: u16, text: String, content_type: &str) -> Response {
    reply(status, content_type, Body::from(text))
}

/// A binary answer, sent as the stream yields it.
#[doc(hidden)]
pub fn reply_bytes(status: u16, bytes: BodyStream, content_type: &str) -> Response {
    reply(status, content_type, Body::from_stream(bytes))
}

/// Server-sent events, each item's JSON as its data.
#[doc(hidden)]
pub fn reply_events<T: Serialize + Send + 'static>(status: u16, events: Events<T>) -> Response {
    let frames = events.inner.map(|item| {
        let data = serde_json::to_string(&item).map_err(|error| -> BoxError { Box::new(error) })?;
        Ok::<Bytes, BoxError>(Bytes::from(sse_frame(&data)))
    });
    reply(status, "text/event-stream", Body::from_stream(frames))
}

/// Server-sent events whose data is each item's text.
#[doc(hidden)]
pub fn reply_text_events<T: AsRef<str> + Send + 'static>(status: u16, events: Events<T>) -> Response {
    let frames = events.inner.map(|item| Ok::<Bytes, BoxError>(Bytes::from(sse_frame(item.as_ref()))));
    reply(status, "text/event-stream", Body::from_stream(frames))
}

/// One event: a `data:` line per line of `data` (any of CR LF, CR, LF ends a line), then a blank line.
fn sse_frame(data: &str) -> String {
    let mut frame = String::with_capacity(data.len() + 8);
    for line in data.split("\r\n").flat_map(|line| line.split(['\r', '\n'])) {
        frame.push_str("data: ");
        frame.push_str(line);
        frame.push('\n');
    }
    frame.push('\n');
    frame
}

/// A JSON sequence: each item's JSON on a line (after a record separator for `application/json-seq`).
#[doc(hidden)]
pub fn reply_json_sequence<T: Serialize + Send + 'static>(
    status: u16,
    items: Events<T>,
    content_type: &str,
) -> Response {
    let separated = content_type.trim().to_ascii_lowercase().starts_with("application/json-seq");
    let lines = items.inner.map(move |item| {
        let mut line = if separated { vec![0x1e] } else { Vec::new() };
        serde_json::to_writer(&mut line, &item).map_err(|error| -> BoxError { Box::new(error) })?;
        line.push(b'\n');
        Ok::<Bytes, BoxError>(Bytes::from(line))
    });
    reply(status, content_type, Body::from_stream(lines))
}

/// What runs one operation.
#[doc(hidden)]
pub type Handler = Arc<dyn Fn(Incoming) -> BoxFuture<'static, Response> + Send + Sync>;

/// A piece of a path template's segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Parameter(String),
}

struct Route {
    method: Method,
    template: &'static str,
    segments: Vec<Vec<Piece>>,
    handler: Option<Handler>,
}

/// The operations of a server, by method and path template; those not
/// implemented are answered 501.
#[doc(hidden)]
#[derive(Default)]
pub struct Routes {
    routes: Vec<Route>,
    settings: Settings,
    base_path: String,
}

impl fmt::Debug for Routes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let implemented = self.routes.iter().filter(|route| route.handler.is_some()).count();
        f.debug_struct("Routes")
            .field("operations", &self.routes.len())
            .field("implemented", &implemented)
            .field("settings", &self.settings)
            .field("base_path", &self.base_path)
            .finish()
    }
}

impl Routes {
    /// Declares the operation `method template`, answered 501 until it is implemented.
    pub fn declare(mut self, method: &'static str, template: &'static str) -> Self {
        // The generator checked that the method is an HTTP token; should one not be, nothing routes to it.
        if let Ok(method) = Method::from_bytes(method.as_bytes()) {
            // A fixed query (`/responses?beta=true`) is not part of the route.
            let path = template.split('?').next().unwrap_or_default();
            let segments = path.split('/').skip(1).map(template_pieces).collect();
            self.routes.push(Route { method, template, segments, handler: None });
        }
        self
    }

    /// Implements the operation declared as `method template`.
    pub fn implement(&mut self, method: &'static str, template: &'static str, handler: Handler) {
        if let Some(route) =
            self.routes.iter_mut().find(|route| route.method.as_str() == method && route.template == template)
        {
            route.handler = Some(handler);
        }
    }

    /// Limits on what a request may bring.
    pub fn settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// Serves the operations under `base_path` (`/v1`).
    pub fn base_path(&mut self, base_path: &str) {
        self.base_path = base_path.trim_end_matches('/').to_string();
    }

    /// An axum router answering every request: the operations, 404 for
    /// other paths, 405 (with `Allow`) for other methods of a path.
    pub fn into_router(self) -> axum::Router {
        let routes = Arc::new(self);
        axum::Router::new().fallback(move |request: axum::extract::Request| {
            let routes = Arc::clone(&routes);
            async move { routes.dispatch(request).await }
        })
    }

    async fn dispatch(&self, request: axum::extract::Request) -> Response {
        let (parts, body) = request.into_parts();
        let not_found = || reply_json_value(StatusCode::NOT_FOUND, &serde_json::json!({ "detail": "Not Found" }));
        let Some(path) = parts.uri.path().strip_prefix(self.base_path.as_str()) else { return not_found() };
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        // Of the routes matching the path, the one with the most literal text first (`/files/list` before `/files/{id}`).
        let mut matching: Vec<(&Route, Vec<(String, String)>)> = self
            .routes
            .iter()
            .filter_map(|route| match_path(&route.segments, &segments).map(|parameters| (route, parameters)))
            .collect();
        if matching.is_empty() {
            return not_found();
        }
        matching.sort_by_key(|(route, _)| std::cmp::Reverse(literal_length(&route.segments)));
        let Some(position) = matching.iter().position(|(route, _)| route.method == parts.method) else {
            let mut allowed: Vec<&str> = matching.iter().map(|(route, _)| route.method.as_str()).collect();
            allowed.sort_unstable();
            allowed.dedup();
            let mut response = reply_json_value(
                StatusCode::METHOD_NOT_ALLOWED,
                &serde_json::json!({ "detail": "Method Not Allowed" }),
            );
            if let Ok(allow) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, allow);
            }
            return response;
        };
        let (route, path) = matching.swap_remove(position);
        let Some(handler) = &route.handler else {
            return reply_json_value(StatusCode::NOT_IMPLEMENTED, &serde_json::json!({ "detail": "Not Implemented" }));
        };
        let query = form_urlencoded_pairs(parts.uri.query().unwrap_or_default().as_bytes());
        let incoming = Incoming {
            context: Context {
                method: parts.method,
                uri: parts.uri,
                headers: parts.headers,
                extensions: parts.extensions,
            },
            body: Some(body),
            path,
            query,
            parts: None,
            settings: self.settings,
            problems: Vec::new(),
            refusal: None,
        };
        handler(incoming).await
    }
}

/// `{id}.json` -> `[Parameter(id), Literal(.json)]`.
fn template_pieces(segment: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else { break };
        if start > 0 {
            pieces.push(Piece::Literal(rest[..start].to_string()));
        }
        pieces.push(Piece::Parameter(rest[start + 1..start + length].to_string()));
        rest = &rest[start + length + 1..];
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Literal(rest.to_string()));
    }
    pieces
}

fn literal_length(segments: &[Vec<Piece>]) -> usize {
    segments
        .iter()
        .flatten()
        .map(|piece| match piece {
            Piece::Literal(text) => text.len(),
            Piece::Parameter(_) => 0,
        })
        .sum()
}

/// The parameters of `segments` (raw, percent-encoded) when they match the template's.
fn match_path(template: &[Vec<Piece>], segments: &[&str]) -> Option<Vec<(String, String)>> {
    if template.len() != segments.len() {
        return None;
    }
    let mut parameters = Vec::new();
    for (pieces, raw) in template.iter().zip(segments) {
        // The client encodes a value as one segment; decoding it undoes that.
        let text = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
        let mut rest: &str = &text;
        for (index, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Literal(literal) => rest = rest.strip_prefix(literal.as_str())?,
                Piece::Parameter(name) => {
                    let end = match pieces.get(index + 1) {
                        Some(Piece::Literal(next)) => rest.find(next.as_str())?,
                        _ => rest.len(),
                    };
                    let value = &rest[..end];
                    if super::changes_path(value) {
                        return None;
                    }
                    parameters.push((name.clone(), value.to_string()));
                    rest = &rest[end..];
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(parameters)
}

#[cfg(test)]
mod tests; // Its own file, which a vendored copy leaves out.
