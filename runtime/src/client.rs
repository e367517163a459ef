//! The client side: the [`Client`] and the [`Call`] of each operation, the
//! [`Request`] it sends, the [`Error`] it returns and the streams it reads,
//! on reqwest and tokio. The crate's `client` feature (a default) compiles
//! it, and the crate root re-exports all of it.

mod json_path;
mod progress;

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt, TryStreamExt};
#[doc(hidden)]
pub use json_path::{from_json, JsonFailure, JsonPath, PathSegment};
pub use progress::SendProgress;
/// The HTTP client underneath, for [`Client::with_http_client`] and [`Hook`]s;
/// generated code names its types through this path, so needs no dependency of its own.
pub use reqwest;
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A boxed future, as [`TokenProvider`]s and decoders return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The default overall timeout of a request: long, as model APIs may think for minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default limit on a JSON or text body (success or error), 256 MiB.
///
/// Large JSON answers are legitimate: a batch of 2,048 embeddings of 3,072
/// floats comes to about 130 MB as pretty-printed JSON, so a lower default
/// would refuse real answers. Files
/// and other binary bodies are [`ByteStream`]s, which this does not limit.
pub const DEFAULT_MAX_BODY_SIZE: usize = 256 << 20;
/// The default limit on one event of a `text/event-stream` body, 16 MiB.
///
/// The largest streamed events seen in practice carry a base64 image of a few
/// MiB; the stream as a whole is not limited.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 << 20;

/// A client of the API: a base URL, an HTTP client, credentials and policies.
///
/// Cloning is cheap (the state is shared), so clones can be moved into tasks
/// that run requests concurrently.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientState>,
}

#[derive(Clone)]
struct ClientState {
    base_url: String,
    http: reqwest::Client,
    credentials: Credentials,
    retry: Option<RetryPolicy>,
    hooks: Vec<Arc<dyn Hook>>,
    limits: Limits,
}

/// How much of a response the client reads into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    body: usize,
    event: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { body: DEFAULT_MAX_BODY_SIZE, event: DEFAULT_MAX_EVENT_SIZE }
    }
}

/// A secret that never shows in `Debug` output, logs or error messages.
#[derive(Clone)]
struct SecretToken(String);

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The credential of one security scheme: an API key or token, a user name
/// and password, or a provider of tokens. Secrets never show in `Debug`
/// output or error messages.
#[derive(Clone)]
pub struct Credential(CredentialKind);

#[derive(Clone)]
enum CredentialKind {
    Token(SecretToken),
    Basic { username: String, password: SecretToken },
    Provider(Arc<dyn TokenProvider>),
}

impl Credential {
    /// An API key, or the token of a bearer, OAuth2 or OpenID Connect scheme.
    pub fn token(token: impl Into<String>) -> Self {
        Credential(CredentialKind::Token(SecretToken(token.into())))
    }

    /// The user name and password of HTTP basic authentication.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credential(CredentialKind::Basic { username: username.into(), password: SecretToken(password.into()) })
    }

    /// Tokens (or API keys) asked of `provider` before every request attempt.
    pub fn provider(provider: impl TokenProvider + 'static) -> Self {
        Credential(CredentialKind::Provider(Arc::new(provider)))
    }

    /// Whether this credential can be sent the way `kind` says.
    fn fits(&self, kind: SchemeKind) -> bool {
        matches!(self.0, CredentialKind::Basic { .. }) == (kind == SchemeKind::Basic)
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            CredentialKind::Token(token) => f.debug_tuple("Token").field(token).finish(),
            CredentialKind::Basic { username, password } => {
                f.debug_struct("Basic").field("username", username).field("password", password).finish()
            }
            CredentialKind::Provider(_) => f.write_str("Provider"),
        }
    }
}

/// The error of a [`TokenProvider`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Hands out the token of a security scheme (typically OAuth2 or OpenID
/// Connect) when a request needs it: it is asked before every attempt, so it
/// can refresh tokens as they expire; caching them is up to it.
///
/// Closures `Fn(&'static [&'static str]) -> impl Future<Output = Result<String, E>>` are providers.
pub trait TokenProvider: Send + Sync {
    /// A token for a request to an operation that needs `scopes` (its OAuth2 scopes, often none).
    fn token(&self, scopes: &'static [&'static str]) -> BoxFuture<'_, Result<String, BoxError>>;
}

impl<F, Fut, E> TokenProvider for F
where
    F: Fn(&'static [&'static str]) -> Fut + Send + Sync,
    Fut: Future<Output = Result<String, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self, scopes: &'static [&'static str]) -> BoxFuture<'_, Result<String, BoxError>> {
        let token = self(scopes);
        Box::pin(async move { token.await.map_err(Into::into) })
    }
}

/// A security scheme of the spec (`components.securitySchemes`), as the generated operations name it.
#[doc(hidden)]
#[derive(Debug)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    /// Where its credential goes.
    pub kind: SchemeKind,
}

/// Where a security scheme's credential goes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// The key as the value of this header.
    Header(&'static str),
    /// The key as this query parameter.
    Query(&'static str),
    /// The key as this cookie.
    Cookie(&'static str),
    /// `Authorization: Basic`.
    Basic,
    /// `Authorization: Bearer` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
}

/// One scheme of a security alternative, with the scopes the operation needs.
#[doc(hidden)]
pub type Requirement = (&'static SecurityScheme, &'static [&'static str]);

/// The credentials a client holds: one per scheme it was given, one for
/// every bearer scheme without its own, and an API key (from the environment)
/// for every scheme without either.
#[derive(Clone, Debug, Default)]
struct Credentials {
    by_scheme: BTreeMap<String, Credential>,
    bearer: Option<Credential>,
    api_key: Option<Credential>,
}

impl Credentials {
    fn get(&self, scheme: &SecurityScheme) -> Option<&Credential> {
        let bearer = if scheme.kind == SchemeKind::Bearer { self.bearer.as_ref() } else { None };
        let own = self.by_scheme.get(scheme.name).or(bearer).filter(|credential| credential.fits(scheme.kind));
        own.or(self.api_key.as_ref().filter(|key| key.fits(scheme.kind)))
    }

    /// The credentials of the first alternative that the client has every
    /// credential for. None when there is none: the operation may allow
    /// anonymous calls (`{}`), else the server's 401 says what is missing.
    /// An anonymous alternative never wins over one the client can satisfy,
    /// so credentials reach operations where they are optional.
    fn choose(&self, security: &'static [&'static [Requirement]]) -> Vec<(Requirement, &Credential)> {
        security
            .iter()
            .filter(|alternative| !alternative.is_empty())
            .find_map(|alternative| {
                alternative
                    .iter()
                    .map(|requirement| Some((*requirement, self.get(requirement.0)?)))
                    .collect::<Option<Vec<_>>>()
            })
            .unwrap_or_default()
    }
}

/// The credentials of one request, ready to be sent.
#[derive(Default)]
struct Authorization {
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    query: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    basic: Option<(String, String)>,
}

impl Authorization {
    /// Asks providers for their tokens and places every credential; messages name the scheme, never the secret.
    async fn of(chosen: Vec<(Requirement, &Credential)>) -> Result<Authorization, String> {
        let mut authorization = Authorization::default();
        for ((scheme, scopes), credential) in chosen {
            let secret = match &credential.0 {
                CredentialKind::Token(SecretToken(token)) => token.clone(),
                CredentialKind::Provider(provider) => provider
                    .token(scopes)
                    .await
                    .map_err(|error| format!("the token provider of `{}` failed: {error}", scheme.name))?,
                CredentialKind::Basic { username, password } => {
                    authorization.basic = Some((username.clone(), password.0.clone()));
                    continue;
                }
            };
            let header = |name: &str, value: String| {
                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` of `{}` is not a valid header name", scheme.name))?;
                let mut value = reqwest::header::HeaderValue::from_str(&value)
                    .map_err(|_| format!("the credential of `{}` is not a valid header value", scheme.name))?;
                value.set_sensitive(true);
                Ok::<_, String>((name, value))
            };
            match scheme.kind {
                SchemeKind::Bearer => authorization.headers.push(header("authorization", format!("Bearer {secret}"))?),
                SchemeKind::Header(name) => authorization.headers.push(header(name, secret)?),
                SchemeKind::Query(name) => authorization.query.push((name, secret)),
                SchemeKind::Cookie(name) => authorization.cookies.push(format!("{name}={secret}")),
                // `fits` keeps basic credentials for basic schemes.
                SchemeKind::Basic => {}
            }
        }
        Ok(authorization)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.len())
            .field("limits", &self.inner.limits)
            .finish()
    }
}

impl Client {
    /// A client of the API at `base_url` (such as `https://api.example.com/v1`),
    /// with a 600 s request timeout and a 5 s connect timeout.
    ///
    /// Redirects are followed (up to 10) without a `Referer` header, which
    /// would hand the request's path and query to the other server; reqwest
    /// drops `Authorization` and `Cookie` when a redirect leads to another
    /// host or port.
    pub fn new(base_url: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .referer(false)
            .build()
            // Building fails only when the TLS backend cannot start; reqwest's
            // own default client reports that the same way it always does.
            .unwrap_or_else(|_| reqwest::Client::new());
        Self::with_http_client(base_url, http)
    }

    /// A client that sends its requests through `http`: bring your own
    /// proxies, timeouts, TLS settings, redirect and `Referer` policy or middleware.
    pub fn with_http_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_string();
        Client {
            inner: Arc::new(ClientState {
                base_url,
                http,
                credentials: Credentials::default(),
                retry: None,
                hooks: Vec::new(),
                limits: Limits::default(),
            }),
        }
    }

    /// Sends `Authorization: Bearer <token>` to every operation that asks for a
    /// bearer, OAuth2 or OpenID Connect scheme the client has no credential of its own for.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.inner).credentials.bearer = Some(Credential::token(token));
        self
    }

    /// As [`Client::with_bearer_token`], with tokens asked of `provider` before every request attempt.
    pub fn with_token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        Arc::make_mut(&mut self.inner).credentials.bearer = Some(Credential::provider(provider));
        self
    }

    /// Sets the credential of the security scheme named `scheme` in the spec
    /// (the generated `with_<scheme>` methods call this).
    pub fn with_credential(mut self, scheme: &str, credential: Credential) -> Self {
        Arc::make_mut(&mut self.inner).credentials.by_scheme.insert(scheme.to_string(), credential);
        self
    }

    /// Reads the bearer token from the environment variable `variable`
    /// (such as `EXAMPLE_API_KEY`); the error names the variable, never its value.
    pub fn with_bearer_token_from_env(self, variable: &str) -> Result<Self, MissingVariable> {
        match std::env::var(variable) {
            Ok(token) if !token.is_empty() => Ok(self.with_bearer_token(token)),
            _ => Err(MissingVariable(variable.to_string())),
        }
    }

    /// A client configured by the environment: the base URL from
    /// `{prefix}_BASE_URL`, else `default_base_url` (a generated client passes
    /// its spec's first server), and the API key from `{prefix}_API_KEY`, sent
    /// to every operation as its API key, bearer or OAuth2 token unless the
    /// client is given another credential for that scheme. The error names the
    /// missing variable, never a value.
    pub fn from_env(prefix: &str, default_base_url: Option<&str>) -> Result<Self, MissingVariable> {
        let variable = |suffix: &str| {
            let name = format!("{prefix}_{suffix}");
            match std::env::var(&name) {
                Ok(value) if !value.is_empty() => Ok(value),
                _ => Err(MissingVariable(name)),
            }
        };
        let base_url = match (variable("BASE_URL"), default_base_url) {
            (Ok(url), _) => url,
            (Err(_), Some(url)) => url.to_string(),
            (Err(missing), None) => return Err(missing),
        };
        let mut client = Client::new(base_url);
        Arc::make_mut(&mut client.inner).credentials.api_key = Some(Credential::token(variable("API_KEY")?));
        Ok(client)
    }

    /// Retries failed requests as `policy` says. Off by default.
    pub fn with_retries(mut self, policy: RetryPolicy) -> Self {
        Arc::make_mut(&mut self.inner).retry = Some(policy);
        self
    }

    /// The most bytes of a JSON or text body (success or error) read into
    /// memory, [`DEFAULT_MAX_BODY_SIZE`] unless set. A larger body fails with
    /// [`Error::TooLarge`] as soon as its `Content-Length` or its bytes so far
    /// exceed the limit. Binary bodies ([`ByteStream`]) are not limited.
    pub fn with_max_body_size(mut self, bytes: usize) -> Self {
        Arc::make_mut(&mut self.inner).limits.body = bytes;
        self
    }

    /// The most bytes of one event of a `text/event-stream` body (its data
    /// lines and the line being read), [`DEFAULT_MAX_EVENT_SIZE`] unless set.
    /// A larger event ends the [`EventStream`] with [`Error::TooLarge`]; the
    /// stream as a whole may run as long as the server sends.
    pub fn with_max_event_size(mut self, bytes: usize) -> Self {
        Arc::make_mut(&mut self.inner).limits.event = bytes;
        self
    }

    /// Runs `hook` before and after every request (tracing, signing, metrics).
    pub fn with_hook(mut self, hook: impl Hook + 'static) -> Self {
        Arc::make_mut(&mut self.inner).hooks.push(Arc::new(hook));
        self
    }

    /// The base URL that operation paths are appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    #[doc(hidden)]
    pub fn call<T, E>(&self, request: Request, decode: Decoder<T, E>) -> Call<'_, T, E> {
        Call { client: self, request, decode, max_pages: None }
    }
}

/// The environment variable that should hold the API key is unset or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVariable(pub String);

impl fmt::Display for MissingVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the environment variable `{}` is not set or is empty", self.0)
    }
}

impl std::error::Error for MissingVariable {}

/// When to retry a request, and how long to wait in between.
///
/// Only idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS, QUERY) are retried
/// unless `retry_non_idempotent` is set, and only after a connection error, a
/// timeout, or a 408, 409, 429 or 5xx status. The wait is the server's
/// `Retry-After` (or `retry-after-ms`) when it gives one, else an exponential
/// backoff with jitter, never more than `max_backoff`. A body read from a
/// stream cannot be sent twice, so such requests are never retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles with each retry after.
    pub initial_backoff: Duration,
    /// The longest wait, the server's `Retry-After` included.
    pub max_backoff: Duration,
    /// Retry POST and PATCH too (safe when the API deduplicates them).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (counted from 0) after `error`,
    /// for code that retries on its own, such as a part of an upload.
    pub fn delay_after<E>(&self, retry: u32, error: &Error<E>) -> Duration {
        self.delay(retry, error.headers())
    }

    fn delay(&self, retry: u32, headers: Option<&HeaderMap>) -> Duration {
        let header = |name: &str| {
            headers.and_then(|h| h.get(name)).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok())
        };
        let asked = header("retry-after-ms").map(|ms| ms / 1000.0).or_else(|| header("retry-after"));
        if let Some(seconds) = asked.filter(|s| s.is_finite() && *s >= 0.0) {
            return Duration::from_secs_f64(seconds).min(self.max_backoff);
        }
        let backoff = self.initial_backoff.saturating_mul(2u32.saturating_pow(retry)).min(self.max_backoff);
        // Up to a quarter less, so that clients that failed together spread out.
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        backoff.mul_f64(1.0 - f64::from(nanos % 1000) / 4000.0)
    }
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

fn retryable_transport(error: &reqwest::Error) -> bool {
    error.is_timeout() || error.is_connect()
}

/// Code that runs around every request: add tracing, sign requests, count them.
pub trait Hook: Send + Sync {
    /// Called with each request just before it is sent (once per attempt).
    fn before(&self, _request: &mut reqwest::Request) {}
    /// Called with the outcome of each attempt.
    fn after(
        &self,
        _method: &reqwest::Method,
        _url: &reqwest::Url,
        _outcome: Result<&reqwest::Response, &reqwest::Error>,
    ) {
    }
}

/// Everything that can go wrong when calling an operation.
///
/// The headers are boxed so that the combined `Error` stays under clippy's
/// `result_large_err` limit (128 bytes) in the callers' signatures.
///
/// `E` is the type of the error bodies the operation documents; operations
/// that document none (or several kinds) have [`ErrorBody`], the JSON as it
/// came. Every `Error<E>` converts into that `Error` (`Error<ErrorBody>`), so
/// `?` works across calls of different operations, and of different APIs.
#[non_exhaustive]
pub enum Error<E = ErrorBody> {
    /// The request could not be sent or the response not received:
    /// connection failures, timeouts, TLS errors.
    Transport(reqwest::Error),
    /// A status the operation documents as an error, with its decoded body.
    Api {
        /// The response's status.
        status: StatusCode,
        /// The response's headers.
        headers: Box<HeaderMap>,
        /// The body, decoded as the operation documents it.
        body: E,
        /// The body as received.
        raw: Bytes,
    },
    /// A status the operation does not document (or an error body that does
    /// not match the documented schema), with the raw body.
    UnexpectedStatus {
        /// The response's status.
        status: StatusCode,
        /// The response's headers.
        headers: Box<HeaderMap>,
        /// The body as received.
        body: Bytes,
        /// The body parsed as JSON, when it is JSON.
        json: Option<serde_json::Value>,
    },
    /// A success response whose body does not match the spec.
    Decode {
        /// The response's status.
        status: StatusCode,
        /// Where in the body decoding failed (`data[3].status`).
        path: String,
        /// Why it failed there.
        message: String,
        /// The body (or the stream event) as received.
        body: Bytes,
    },
    /// The server sent more than the client reads into memory. Reading stopped there.
    TooLarge {
        /// The response's status.
        status: StatusCode,
        /// The response's headers.
        headers: Box<HeaderMap>,
        /// The limit exceeded: `max_body_size` for a body, `max_event_size`
        /// for a stream event (see [`Client::with_max_body_size`] and
        /// [`Client::with_max_event_size`]).
        setting: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// The request could not be built: a path parameter that would change
    /// the path, a header value that is not valid, a body that did not serialize.
    InvalidRequest(String),
}

/// An error body as the JSON it came as: the body type of operations that
/// document no single error schema, and of [`Error`]s of several operations
/// combined with `?` or `into()`.
///
/// It deliberately does not implement `Serialize` (reach the JSON through
/// `.0` or `Deref`): `From<Error<E>> for Error` takes every serializable `E`,
/// and the compiler keeps that apart from `From<T> for T` by knowing that
/// this type is not one.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct ErrorBody(pub serde_json::Value);

impl std::ops::Deref for ErrorBody {
    type Target = serde_json::Value;

    fn deref(&self) -> &serde_json::Value {
        &self.0
    }
}

impl<E: Serialize> From<Error<E>> for Error {
    /// Forgets the operation's error type: a documented body is kept as its JSON.
    fn from(error: Error<E>) -> Self {
        match error {
            Error::Api { status, headers, body, raw } => {
                // The raw body decoded as `E`, so it is JSON; serializing `E` is the fallback.
                let json = serde_json::from_slice(&raw).or_else(|_| serde_json::to_value(&body));
                Error::Api { status, headers, body: ErrorBody(json.unwrap_or_default()), raw }
            }
            Error::Transport(error) => Error::Transport(error),
            Error::UnexpectedStatus { status, headers, body, json } => {
                Error::UnexpectedStatus { status, headers, body, json }
            }
            Error::Decode { status, path, message, body } => Error::Decode { status, path, message, body },
            Error::TooLarge { status, headers, setting, limit } => Error::TooLarge { status, headers, setting, limit },
            Error::InvalidRequest(message) => Error::InvalidRequest(message),
        }
    }
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::TooLarge { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The response headers, when a response was received and kept.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::UnexpectedStatus { headers, .. } | Error::TooLarge { headers, .. } => {
                Some(&**headers)
            }
            _ => None,
        }
    }

    /// The server's request id (`x-request-id`), to quote to its support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers().and_then(|h| h.get("x-request-id")).and_then(|v| v.to_str().ok())
    }

    /// Whether sending the request again may succeed: after a connection
    /// error, a timeout, or a 408, 409, 429 or 5xx status (see [`RetryPolicy`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(error) => retryable_transport(error),
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => retryable_status(*status),
            Error::Decode { .. } | Error::TooLarge { .. } | Error::InvalidRequest(_) => false,
        }
    }

    /// The raw response body, when one was received.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Api { raw: body, .. } | Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Error::Api { status, headers, body, raw } => f
                .debug_struct("Api")
                .field("status", status)
                .field("headers", headers)
                .field("body", &Clipped(body))
                .field("raw", &BodyText(raw))
                .finish(),
            Error::UnexpectedStatus { status, headers, body, json } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("headers", headers)
                .field("body", &BodyText(body))
                .field("json", &json.as_ref().map(|_| "<parsed>"))
                .finish(),
            Error::Decode { status, path, message, body } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("path", &Clipped(path))
                .field("message", &Clipped(message))
                .field("body", &BodyText(body))
                .finish(),
            Error::TooLarge { status, headers, setting, limit } => f
                .debug_struct("TooLarge")
                .field("status", status)
                .field("headers", headers)
                .field("setting", setting)
                .field("limit", limit)
                .finish(),
            Error::InvalidRequest(message) => f.debug_tuple("InvalidRequest").field(&Clipped(message)).finish(),
        }
    }
}

/// How many bytes of a body or message errors show; the rest is counted.
const SHOWN_TEXT: usize = 1024;

/// Shows a body as text when it is UTF-8, which API bodies nearly always are.
struct BodyText<'a>(&'a Bytes);

impl fmt::Debug for BodyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(self.0) {
            Ok(text) => fmt::Debug::fmt(&Clipped(text), f),
            Err(_) => write!(f, "<{} bytes>", self.0.len()),
        }
    }
}

/// `Debug` of the value, cut after [`SHOWN_TEXT`] bytes: server bodies can be huge.
struct Clipped<T>(T);

impl<T: fmt::Debug> fmt::Debug for Clipped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write_clipped(f, format_args!("{:#?}", self.0))
        } else {
            write_clipped(f, format_args!("{:?}", self.0))
        }
    }
}

/// How many bytes of an error body's message `Display` shows: a line, not a page.
const SUMMARY_TEXT: usize = 300;

/// The keys under which error bodies carry their message, most telling first:
/// `{"message": ..}`, `{"error": {"message": ..}}`, `{"detail": [{"msg": ..}]}`,
/// OAuth2's `error_description`, RFC 9457's `detail` and `title`.
const MESSAGE_KEYS: [&str; 7] = ["message", "detail", "error_description", "msg", "error", "title", "description"];

/// The message of a JSON error body: the first non-empty string under one of
/// [`MESSAGE_KEYS`], looked for in nested objects and arrays too.
fn message_of(value: &serde_json::Value) -> Option<&str> {
    match value {
        serde_json::Value::String(text) if !text.trim().is_empty() => Some(text),
        // serde_json refuses documents nested over 128 levels, which bounds the recursion.
        serde_json::Value::Object(fields) => MESSAGE_KEYS.iter().find_map(|key| fields.get(*key).and_then(message_of)),
        serde_json::Value::Array(items) => items.iter().find_map(message_of),
        _ => None,
    }
}

/// `: ` and the most useful part of an error body, capped: its message when
/// it is JSON that has one, else its start when it is text; nothing when empty.
fn write_summary(f: &mut fmt::Formatter<'_>, body: &[u8]) -> fmt::Result {
    let json = serde_json::from_slice::<serde_json::Value>(body).ok();
    let text = match json.as_ref().and_then(message_of) {
        Some(message) => message,
        None => match std::str::from_utf8(body) {
            Ok(text) => text.trim(),
            Err(_) => return Ok(()),
        },
    };
    if text.is_empty() {
        return Ok(());
    }
    write_capped(f, format_args!(": {text}"), SUMMARY_TEXT)
}

/// Writes `text` up to [`SHOWN_TEXT`] bytes (on a char boundary), then how many bytes were left out.
fn write_clipped(f: &mut fmt::Formatter<'_>, text: fmt::Arguments<'_>) -> fmt::Result {
    write_capped(f, text, SHOWN_TEXT)
}

/// Writes `text` up to `room` bytes (on a char boundary), then how many bytes were left out.
fn write_capped(f: &mut fmt::Formatter<'_>, text: fmt::Arguments<'_>, room: usize) -> fmt::Result {
    let mut clip = Clip { out: f, room, left_out: 0 };
    fmt::write(&mut clip, text)?;
    match clip.left_out {
        0 => Ok(()),
        more => write!(f, "… ({more} bytes more)"),
    }
}

/// A writer that passes on the first `room` bytes and counts the others.
struct Clip<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    room: usize,
    left_out: usize,
}

impl fmt::Write for Clip<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut end = text.len().min(self.room);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        // Once a char did not fit, nothing after it may be shown either.
        self.room = if end < text.len() { 0 } else { self.room - end };
        self.left_out += text.len() - end;
        self.out.write_str(&text[..end])
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(f, "request failed: {error}"),
            Error::Api { status, raw, .. } => {
                write!(f, "the API answered {status}")?;
                write_summary(f, raw)
            }
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "unexpected status {status}")?;
                write_summary(f, body)
            }
            Error::Decode { status, path, message, .. } => write_clipped(
                f,
                format_args!("the {status} response body does not match the spec at `{path}`: {message}"),
            ),
            Error::TooLarge { status, setting, limit, .. } => {
                write!(f, "the {status} response is larger than the client's {setting} of {limit} bytes")
            }
            Error::InvalidRequest(message) => write_clipped(f, format_args!("invalid request: {message}")),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            _ => None,
        }
    }
}

/// A success response with its status and headers, from [`Call::send_with_response`].
#[derive(Debug)]
pub struct Response<T> {
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub value: T,
    /// The body as received, when it was read whole (JSON and text bodies):
    /// the way to fields the spec does not declare.
    pub raw: Option<Bytes>,
}

impl<T> Response<T> {
    /// The same response with its value changed by `change`.
    pub fn map<U>(self, change: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, value: change(self.value), raw: self.raw }
    }
}

/// A file to send: from memory, from a path (read as it is sent), or from a stream.
///
/// Clones share a stream, which can be sent only once.
#[derive(Clone)]
pub struct FilePart {
    source: FileSource,
    file_name: Option<String>,
    mime_type: Option<String>,
    /// Shared by clones, so that a resent clone does not count twice.
    progress: Option<Arc<progress::FileProgress>>,
}

type ByteChunks = BoxStream<'static, Result<Bytes, std::io::Error>>;
/// A stream and its length, taken out when first sent.
type OnceStream = Arc<Mutex<Option<(ByteChunks, Option<u64>)>>>;

#[derive(Clone)]
enum FileSource {
    Bytes(Bytes),
    Path(PathBuf),
    Stream(OnceStream),
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            FileSource::Bytes(bytes) => format!("{} bytes", bytes.len()),
            FileSource::Path(path) => format!("file {}", path.display()),
            FileSource::Stream(_) => "stream".to_string(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("mime_type", &self.mime_type)
            .finish()
    }
}

impl FilePart {
    /// A file held in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        FilePart { source: FileSource::Bytes(data.into()), file_name: None, mime_type: None, progress: None }
    }

    /// A file on disk, streamed when the request is sent; named after the path.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart { source: FileSource::Path(path), file_name, mime_type: None, progress: None }
    }

    /// A file read from a stream of chunks; `length` when known (some servers need it).
    pub fn stream<S>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        FilePart {
            source: FileSource::Stream(Arc::new(Mutex::new(Some((stream.boxed(), length))))),
            file_name: None,
            mime_type: None,
            progress: None,
        }
    }

    /// The file name sent with the part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The MIME type sent with the part (`application/octet-stream` if unset).
    pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    fn resendable(&self) -> bool {
        !matches!(self.source, FileSource::Stream(_))
    }

    /// Counts this file's bytes into `progress` as they are sent (see [`SendProgress`]).
    pub fn progress(mut self, progress: &SendProgress) -> Self {
        self.progress = Some(Arc::new(progress::FileProgress::new(progress)));
        self
    }

    async fn body(&self) -> Result<(reqwest::Body, Option<u64>), String> {
        let opened = match &self.source {
            FileSource::Bytes(bytes) => OpenedFile::Bytes(bytes.clone()),
            FileSource::Path(path) => {
                let file =
                    tokio::fs::File::open(path).await.map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                let length = file.metadata().await.map_err(|e| format!("cannot read {}: {e}", path.display()))?.len();
                OpenedFile::File(file, length)
            }
            FileSource::Stream(stream) => {
                let taken = stream.lock().map_err(|_| "the file stream was poisoned".to_string())?.take();
                let (chunks, length) = taken.ok_or_else(|| "a file stream can be sent only once".to_string())?;
                OpenedFile::Stream(chunks, length)
            }
        };
        let length = opened.length();
        let Some(file_progress) = &self.progress else { return Ok((opened.into_body(), length)) };
        // Counted in chunks, so that progress moves while one file is being sent.
        let chunks: ByteChunks = match opened {
            OpenedFile::Bytes(bytes) => progress::chunks_of(bytes).boxed(),
            OpenedFile::File(file, _) => {
                tokio_util::io::ReaderStream::with_capacity(file, progress::CHUNK_SIZE).boxed()
            }
            OpenedFile::Stream(chunks, _) => chunks,
        };
        Ok((reqwest::Body::wrap_stream(progress::Counted::new(chunks, file_progress.clone())), length))
    }

    async fn into_part(self) -> Result<reqwest::multipart::Part, String> {
        let (body, length) = self.body().await?;
        let mut part = match length {
            Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
            None => reqwest::multipart::Part::stream(body),
        };
        // Servers take a part with a file name as a file upload. reqwest puts
        // CR and LF in the part's headers as they are (after a backslash), so
        // they are encoded as browsers do (WHATWG HTML, multipart/form-data).
        let file_name = self.file_name.as_deref().unwrap_or("file");
        part = part.file_name(file_name.replace('\r', "%0D").replace('\n', "%0A").replace('"', "%22"));
        let mime_type = self.mime_type.as_deref().unwrap_or("application/octet-stream");
        part.mime_str(mime_type).map_err(|_| format!("`{mime_type}` is not a valid MIME type"))
    }
}

/// A [`FilePart`]'s content, ready to be sent once.
enum OpenedFile {
    Bytes(Bytes),
    File(tokio::fs::File, u64),
    Stream(ByteChunks, Option<u64>),
}

impl OpenedFile {
    fn length(&self) -> Option<u64> {
        match self {
            OpenedFile::Bytes(bytes) => Some(bytes.len() as u64),
            OpenedFile::File(_, length) => Some(*length),
            OpenedFile::Stream(_, length) => *length,
        }
    }

    fn into_body(self) -> reqwest::Body {
        match self {
            OpenedFile::Bytes(bytes) => reqwest::Body::from(bytes),
            OpenedFile::File(file, _) => reqwest::Body::from(file),
            OpenedFile::Stream(chunks, _) => reqwest::Body::wrap_stream(chunks),
        }
    }
}

/// How a query parameter is written, as the spec's `style` and `explode` say.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `a=1&a=2`; objects as `key=value` pairs.
    FormExploded,
    /// `a=1,2`.
    Form,
    SpaceDelimited,
    PipeDelimited,
    /// `a[key]=value`.
    DeepObject,
}

impl QueryStyle {
    /// What joins a list's items in one value (`a=1,2`); `None` when each item is a pair of its own.
    pub fn separator(self) -> Option<&'static str> {
        match self {
            QueryStyle::FormExploded | QueryStyle::DeepObject => None,
            QueryStyle::Form => Some(","),
            QueryStyle::SpaceDelimited => Some(" "),
            QueryStyle::PipeDelimited => Some("|"),
        }
    }
}

/// Which error statuses an operation documents.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusSet {
    Code(u16),
    /// `4XX`, by its first digit.
    Range(u16),
    /// `default`: every status.
    Any,
}

impl StatusSet {
    fn contains(self, status: StatusCode) -> bool {
        match self {
            StatusSet::Code(code) => status.as_u16() == code,
            StatusSet::Range(digit) => status.as_u16() / 100 == digit,
            StatusSet::Any => true,
        }
    }
}

enum RequestBody {
    None,
    Json(serde_json::Value),
    Form(Vec<(String, String)>),
    Multipart(Vec<(String, FormValue)>),
    File { content_type: String, file: FilePart },
    Text { content_type: String, text: String },
}

enum FormValue {
    /// A text part, with the content type the spec's `encoding` gives it, if any.
    Text(String, Option<&'static str>),
    File(FilePart),
}

/// One operation's request, as the generated method describes it.
#[doc(hidden)]
pub struct Request {
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: RequestBody,
    /// `(part, name, value)`: headers of the multipart parts named `part`.
    part_headers: Vec<(String, reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    security: &'static [&'static [Requirement]],
    accept: Option<String>,
    timeout: Option<Duration>,
    documented_errors: &'static [StatusSet],
    /// The first thing found wrong while building, reported when the call is awaited.
    problem: Option<String>,
}

impl Request {
    /// A request to `template` (the spec's path, `{name}` placeholders filled in by [`Request::path`]).
    pub fn new(method: reqwest::Method, template: &str) -> Self {
        Request {
            method,
            path: template.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            body: RequestBody::None,
            part_headers: Vec::new(),
            security: &[],
            accept: None,
            timeout: None,
            documented_errors: &[],
            problem: None,
        }
    }

    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// Fills in the path parameter `name`, percent-encoded so that no value can change the path.
    pub fn path(mut self, name: &str, value: &impl Serialize) -> Self {
        match path_segment(name, value) {
            Ok(segment) => self.path = self.path.replace(&format!("{{{name}}}"), &segment),
            Err(problem) => self.fail(problem),
        }
        self
    }

    /// Sets the query parameter `name`, replacing an earlier value; `None` removes it.
    pub fn query(mut self, name: &str, value: &impl Serialize, style: QueryStyle) -> Self {
        let deep_prefix = format!("{name}[");
        self.query.retain(|(key, _)| key != name && !key.starts_with(&deep_prefix));
        match serde_json::to_value(value) {
            Ok(value) => query_pairs(name, &value, style, &mut self.query),
            Err(error) => self.fail(format!("query parameter `{name}`: {error}")),
        }
        self
    }

    /// Sets the header `name` (lists are comma-separated); `None` sends nothing.
    pub fn header(mut self, name: &str, value: &impl Serialize) -> Self {
        self.headers.retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                let joined = items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(",");
                self.headers.push((name.to_string(), joined));
            }
            Ok(value) => self.headers.extend(scalar_text(&value).map(|text| (name.to_string(), text))),
            Err(error) => self.fail(format!("header `{name}`: {error}")),
        }
        self
    }

    /// Adds the cookie `name` to the `Cookie` header, its value
    /// percent-encoded so that it stays one cookie; `None` sends nothing.
    pub fn cookie(mut self, name: &str, value: &impl Serialize) -> Self {
        // RFC 6265 cookie-octets, less `%` so that the encoding can be undone.
        const COOKIE_OCTETS: &percent_encoding::AsciiSet =
            &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');
        if !is_token(name) {
            self.fail(format!("cookie name `{}` is not an RFC 6265 token", name.escape_debug()));
            return self;
        }
        match serde_json::to_value(value) {
            Ok(value) => {
                if let Some(text) = scalar_text(&value) {
                    let pair = format!("{name}={}", percent_encoding::utf8_percent_encode(&text, COOKIE_OCTETS));
                    match self.headers.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case("cookie")) {
                        Some((_, cookies)) => *cookies = format!("{cookies}; {pair}"),
                        None => self.headers.push(("Cookie".to_string(), pair)),
                    }
                }
            }
            Err(error) => self.fail(format!("cookie `{name}`: {error}")),
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = RequestBody::Json(value),
            Err(error) => self.fail(format!("the JSON body did not serialize: {error}")),
        }
        self
    }

    /// Sends `body` as `application/x-www-form-urlencoded`.
    pub fn form(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(fields)) => {
                let mut pairs = Vec::new();
                for (name, value) in &fields {
                    query_pairs(name, value, QueryStyle::FormExploded, &mut pairs);
                }
                self.body = RequestBody::Form(pairs);
            }
            Ok(_) => self.fail("a form body must be an object".to_string()),
            Err(error) => self.fail(format!("the form body did not serialize: {error}")),
        }
        self
    }

    /// Adds text parts to a multipart body: one per item for lists, none for `None`.
    pub fn part_text(mut self, name: &str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                for item in &items {
                    self.push_part(name, FormValue::Text(part_text(item), None));
                }
            }
            Ok(value) => self.push_part(name, FormValue::Text(part_text(&value), None)),
            Err(error) => self.fail(format!("form field `{name}`: {error}")),
        }
        self
    }

    /// Adds a text part for each field of `body`, for multipart bodies the spec does not describe field by field.
    pub fn part_fields(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(fields)) => {
                for (name, value) in &fields {
                    self = self.part_text(name, value);
                }
            }
            Ok(_) => self.fail("a multipart body must be an object".to_string()),
            Err(error) => self.fail(format!("the multipart body did not serialize: {error}")),
        }
        self
    }

    /// Adds file parts to a multipart body.
    pub fn part_files(mut self, name: &str, files: impl IntoIterator<Item = FilePart>) -> Self {
        for file in files {
            self.push_part(name, FormValue::File(file));
        }
        self
    }

    /// Gives the parts named `name` the content type the spec's multipart
    /// `encoding` declares; a file's own MIME type wins.
    pub fn part_content_type(mut self, name: &str, content_type: &'static str) -> Self {
        if let RequestBody::Multipart(fields) = &mut self.body {
            for (_, value) in fields.iter_mut().filter(|(field, _)| field == name) {
                match value {
                    FormValue::Text(_, declared) => *declared = Some(content_type),
                    FormValue::File(file) => {
                        file.mime_type.get_or_insert_with(|| content_type.to_string());
                    }
                }
            }
        }
        self
    }

    /// Sends the header `name` with the multipart parts named `part`,
    /// replacing an earlier value; parts the body does not have get nothing.
    pub fn part_header(mut self, part: &str, name: &str, value: &str) -> Self {
        match checked_header(name, value) {
            Ok((name, value)) => {
                self.part_headers.retain(|(field, key, _)| field != part || *key != name);
                self.part_headers.push((part.to_string(), name, value));
            }
            Err(problem) => self.fail(format!("part `{}`: {problem}", part.escape_debug())),
        }
        self
    }

    fn push_part(&mut self, name: &str, value: FormValue) {
        match &mut self.body {
            RequestBody::Multipart(fields) => fields.push((name.to_string(), value)),
            body => *body = RequestBody::Multipart(vec![(name.to_string(), value)]),
        }
    }

    /// Sends `file` as the whole body, with its MIME type or else `content_type`.
    pub fn file(mut self, content_type: &str, file: FilePart) -> Self {
        let content_type = file.mime_type.clone().unwrap_or_else(|| content_type.to_string());
        self.body = RequestBody::File { content_type, file };
        self
    }

    /// Sends `text` as the whole body.
    pub fn text(mut self, content_type: &str, text: String) -> Self {
        self.body = RequestBody::Text { content_type: content_type.to_string(), text };
        self
    }

    /// The security alternatives the operation accepts: the client sends the
    /// credentials of the first one it has every credential for.
    pub fn security(mut self, alternatives: &'static [&'static [Requirement]]) -> Self {
        self.security = alternatives;
        self
    }

    /// The media type to ask for (the one the operation's result is read as).
    pub fn accept(mut self, media_type: &str) -> Self {
        self.accept = Some(media_type.to_string());
        self
    }

    /// The error statuses the operation documents (their bodies decode as its error type).
    pub fn errors(mut self, statuses: &'static [StatusSet]) -> Self {
        self.documented_errors = statuses;
        self
    }

    fn idempotent(&self) -> bool {
        use reqwest::Method;
        // QUERY (OpenAPI 3.2, an HTTP draft) is safe and idempotent like GET.
        [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(&self.method)
            || self.method.as_str() == "QUERY"
    }

    fn resendable(&self) -> bool {
        match &self.body {
            RequestBody::File { file, .. } => file.resendable(),
            RequestBody::Multipart(fields) => fields.iter().all(|(_, value)| match value {
                FormValue::File(file) => file.resendable(),
                FormValue::Text(..) => true,
            }),
            _ => true,
        }
    }

    async fn build(&self, state: &ClientState) -> Result<Attempt, String> {
        let url = self.url(&state.base_url)?;
        let mut builder = state.http.request(self.method.clone(), url.clone());
        let mut authorization = Authorization::of(state.credentials.choose(self.security)).await?;
        if !self.query.is_empty() {
            builder = builder.query(&self.query);
        }
        if !authorization.query.is_empty() {
            builder = builder.query(&authorization.query);
        }
        if let Some(accept) = &self.accept {
            builder = builder.header(reqwest::header::ACCEPT, accept.as_str());
        }
        for (name, value) in &self.headers {
            // One `Cookie` header carries the cookie parameters and the credentials.
            if name.eq_ignore_ascii_case("cookie") && !authorization.cookies.is_empty() {
                authorization.cookies.insert(0, value.clone());
                continue;
            }
            let (name, value) = checked_header(name, value)?;
            builder = builder.header(name, value);
        }
        if !authorization.cookies.is_empty() {
            let mut cookies = reqwest::header::HeaderValue::from_str(&authorization.cookies.join("; "))
                .map_err(|_| "the `Cookie` header is not a valid header value".to_string())?;
            cookies.set_sensitive(true);
            builder = builder.header(reqwest::header::COOKIE, cookies);
        }
        for (name, value) in authorization.headers {
            builder = builder.header(name, value);
        }
        if let Some((username, password)) = authorization.basic {
            builder = builder.basic_auth(username, Some(password));
        }
        builder = match &self.body {
            RequestBody::None => builder,
            RequestBody::Json(value) => builder.json(value),
            RequestBody::Form(pairs) => builder.form(pairs),
            RequestBody::Text { content_type, text } => {
                builder.header(reqwest::header::CONTENT_TYPE, content_type.as_str()).body(text.clone())
            }
            RequestBody::File { content_type, file } => {
                let (body, length) = file.body().await?;
                let builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_str());
                let builder = match length {
                    Some(length) => builder.header(reqwest::header::CONTENT_LENGTH, length),
                    None => builder,
                };
                builder.body(body)
            }
            RequestBody::Multipart(fields) => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    let part = match value {
                        FormValue::Text(text, None) => reqwest::multipart::Part::text(text.clone()),
                        FormValue::Text(text, Some(content_type)) => reqwest::multipart::Part::text(text.clone())
                            .mime_str(content_type)
                            .map_err(|_| format!("`{content_type}` is not a valid MIME type"))?,
                        FormValue::File(file) => file.clone().into_part().await?,
                    };
                    let headers: reqwest::header::HeaderMap = self
                        .part_headers
                        .iter()
                        .filter(|(part, ..)| part == name)
                        .map(|(_, key, value)| (key.clone(), value.clone()))
                        .collect();
                    // `Part::headers` replaces the part's headers, which hold none of ours until now.
                    let part = if headers.is_empty() { part } else { part.headers(headers) };
                    form = form.part(name.clone(), part);
                }
                builder.multipart(form)
            }
        };
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        let request = builder.build().map_err(|error| format!("cannot build the request to {url}: {error}"))?;
        Ok(Attempt { request, secret_in_url: !authorization.query.is_empty() })
    }

    /// The base URL with the path appended. Path parameters are encoded, but
    /// the template comes from the spec, so whatever it holds (`@host`,
    /// `/../`), the result must stay on the base URL's origin and under its path.
    fn url(&self, base_url: &str) -> Result<reqwest::Url, String> {
        let base = reqwest::Url::parse(base_url)
            .map_err(|error| format!("the base URL `{base_url}` is not valid: {error}"))?;
        let url = reqwest::Url::parse(&format!("{base_url}{}", self.path))
            .map_err(|error| format!("the path `{}` does not make a valid URL: {error}", self.path))?;
        let base_path = base.path().trim_end_matches('/');
        let under_base =
            url.path().strip_prefix(base_path).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if url.origin() != base.origin()
            || !under_base
            || url.username() != base.username()
            || url.password() != base.password()
        {
            return Err(format!("the path `{}` would leave the base URL {base}", self.path));
        }
        Ok(url)
    }
}

/// A request ready to send, and whether its URL holds a credential (which
/// errors must then not show).
struct Attempt {
    request: reqwest::Request,
    secret_in_url: bool,
}

/// A path parameter as one path segment: every byte but unreserved ones is
/// percent-encoded, and `.`/`..`/empty values, which URL parsers would
/// resolve away, are refused.
pub(crate) fn path_segment(name: &str, value: &impl Serialize) -> Result<String, String> {
    const UNRESERVED: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    let value = serde_json::to_value(value).map_err(|error| format!("path parameter `{name}`: {error}"))?;
    let text = scalar_text(&value).unwrap_or_default();
    if changes_path(&text) {
        return Err(format!("path parameter `{name}` cannot be {text:?}: it would change the request path"));
    }
    Ok(percent_encoding::utf8_percent_encode(&text, UNRESERVED).to_string())
}

/// Whether a path parameter's value would change the path it fills in:
/// URL parsers resolve `.` and `..` away, and an empty segment matches no
/// template. The client refuses to send these, the server to route them.
pub(crate) fn changes_path(value: &str) -> bool {
    value.is_empty() || value == "." || value == ".."
}

/// A header as it may be sent: the name a token, the value visible ASCII,
/// spaces and tabs only (RFC 9110 without obs-text), as CR or LF would end the header.
fn checked_header(
    name: &str,
    value: &str,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), String> {
    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{}` is not a valid header name", name.escape_debug()))?;
    if !value.bytes().all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte)) {
        return Err(format!("the value of header `{name}` has a character other than visible ASCII, space or tab"));
    }
    let value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
    Ok((name, value))
}

/// Whether `name` is an HTTP token (RFC 9110), as cookie names must be.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// A scalar as it is written in a URL or header; `None` for null.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// A form part's text: strings as they are, anything else as JSON.
fn part_text(value: &serde_json::Value) -> String {
    scalar_text(value).unwrap_or_else(|| "null".to_string())
}

pub(crate) fn query_pairs(name: &str, value: &serde_json::Value, style: QueryStyle, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) => {
            let texts = items.iter().filter_map(scalar_text);
            match style.separator() {
                Some(separator) => out.push((name.to_string(), texts.collect::<Vec<_>>().join(separator))),
                None => out.extend(texts.map(|text| (name.to_string(), text))),
            }
        }
        serde_json::Value::Object(fields) => match style {
            QueryStyle::DeepObject => {
                for (key, value) in fields {
                    query_pairs(&format!("{name}[{key}]"), value, QueryStyle::FormExploded, out);
                }
            }
            QueryStyle::FormExploded => {
                out.extend(fields.iter().filter_map(|(key, value)| scalar_text(value).map(|text| (key.clone(), text))))
            }
            _ => {
                let joined = fields
                    .iter()
                    .filter_map(|(key, value)| scalar_text(value).map(|text| format!("{key},{text}")))
                    .collect::<Vec<_>>();
                out.push((name.to_string(), joined.join(",")));
            }
        },
        scalar => out.extend(scalar_text(scalar).map(|text| (name.to_string(), text))),
    }
}

/// The future of a decoded response.
#[doc(hidden)]
pub type Decoding<T, E> = BoxFuture<'static, Result<Response<T>, Error<E>>>;

/// Turns a success response into the operation's result.
#[doc(hidden)]
pub type Decoder<T, E> = fn(reqwest::Response) -> Decoding<T, E>;

/// Decodes a JSON body.
#[doc(hidden)]
pub fn decode_json<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
    response: reqwest::Response,
) -> Decoding<T, E> {
    Box::pin(async move {
        let (status, headers, body) = read(response).await?;
        match from_json(&body) {
            Ok(value) => Ok(Response { status, headers, value, raw: Some(body) }),
            Err(JsonFailure { path, error }) => {
                Err(Error::Decode { status, path: path.to_string(), message: error.to_string(), body })
            }
        }
    })
}

/// Accepts any body and returns nothing: for 204 and other bodiless responses.
#[doc(hidden)]
pub fn decode_empty<E: Send + 'static>(response: reqwest::Response) -> Decoding<(), E> {
    Box::pin(async move {
        let (status, headers, body) = read(response).await?;
        Ok(Response { status, headers, value: (), raw: Some(body) })
    })
}

/// Decodes a text body.
#[doc(hidden)]
pub fn decode_text<E: Send + 'static>(response: reqwest::Response) -> Decoding<String, E> {
    Box::pin(async move {
        let (status, headers, body) = read(response).await?;
        match String::from_utf8(body.to_vec()) {
            Ok(value) => Ok(Response { status, headers, value, raw: Some(body) }),
            Err(error) => Err(Error::Decode { status, path: ".".to_string(), message: error.to_string(), body }),
        }
    })
}

/// Hands over a binary body as a stream, without reading it.
#[doc(hidden)]
pub fn decode_bytes<E: Send + 'static>(response: reqwest::Response) -> Decoding<ByteStream, E> {
    Box::pin(async move {
        let (status, headers) = (response.status(), response.headers().clone());
        Ok(Response { status, headers, value: ByteStream { inner: response.bytes_stream().boxed() }, raw: None })
    })
}

/// Hands over a `text/event-stream` body as a stream of events decoded from JSON.
#[doc(hidden)]
pub fn decode_events<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
    response: reqwest::Response,
) -> Decoding<EventStream<T, E>, E> {
    events(response, |data| {
        from_json(data.as_bytes()).map_err(|JsonFailure { path, error }| (path.to_string(), error.to_string()))
    })
}

/// Hands over a `text/event-stream` body as a stream of the events' text.
#[doc(hidden)]
pub fn decode_text_events<E: Send + 'static>(response: reqwest::Response) -> Decoding<EventStream<String, E>, E> {
    events(response, |data| Ok(data.to_string()))
}

/// Hands over a JSON sequence body (JSON Lines, NDJSON, `application/json-seq`)
/// as a stream of its items, each decoded as it arrives.
#[doc(hidden)]
pub fn decode_json_sequence<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
    response: reqwest::Response,
) -> Decoding<EventStream<T, E>, E> {
    Box::pin(async move {
        let (status, headers) = (response.status(), response.headers().clone());
        // The state: the body, the bytes of records not yet complete, and whether the body ended.
        let state = (response.bytes_stream().boxed(), Vec::new(), false);
        let items = futures_util::stream::unfold(state, move |(mut body, mut pending, mut ended)| async move {
            loop {
                // Records end at a newline; json-seq also starts each with RS (0x1E).
                let end = pending.iter().position(|byte| *byte == b'\n' || *byte == 0x1E);
                let record: Vec<u8> = match end {
                    Some(end) => pending.drain(..=end).collect(),
                    None if ended => std::mem::take(&mut pending),
                    None => {
                        match body.next().await {
                            Some(Ok(chunk)) => pending.extend_from_slice(&chunk),
                            Some(Err(error)) => return Some((Err(Error::Transport(error)), (body, Vec::new(), true))),
                            None => ended = true,
                        }
                        continue;
                    }
                };
                let record = record.trim_ascii_start().trim_ascii_end();
                let record = record.strip_suffix(&[0x1E]).unwrap_or(record);
                if !record.is_empty() {
                    let item = from_json(record).map_err(|JsonFailure { path, error }| Error::Decode {
                        status,
                        path: path.to_string(),
                        message: error.to_string(),
                        body: Bytes::copy_from_slice(record),
                    });
                    return Some((item, (body, pending, ended)));
                }
                if ended && pending.is_empty() {
                    return None;
                }
            }
        })
        .boxed();
        Ok(Response { status, headers, value: EventStream { inner: items }, raw: None })
    })
}

/// An event's data to a value, or the path and message of why not.
type ParseEvent<T> = fn(&str) -> Result<T, (String, String)>;

fn events<T: Send + 'static, E: Send + 'static>(
    response: reqwest::Response,
    parse: ParseEvent<T>,
) -> Decoding<EventStream<T, E>, E> {
    Box::pin(async move {
        let (status, headers) = (response.status(), response.headers().clone());
        let limit = limits(&response).event;
        let state = EventsState {
            headers: headers.clone(),
            body: response.bytes_stream().boxed(),
            parser: EventParser::new(limit),
            ready: VecDeque::new(),
            done: false,
        };
        let events = futures_util::stream::unfold(state, move |mut state| async move {
            loop {
                if let Some(event) = state.ready.pop_front() {
                    return Some((event, state));
                }
                if state.done {
                    return None;
                }
                match state.body.next().await {
                    Some(Ok(chunk)) => {
                        let mut parsed = Vec::new();
                        let outcome = state.parser.push(&chunk, &mut parsed);
                        state.ready.extend(parsed.into_iter().map(Ok));
                        if outcome.is_err() {
                            let headers = Box::new(std::mem::take(&mut state.headers));
                            state.ready.push_back(Err(Error::TooLarge {
                                status,
                                headers,
                                setting: "max_event_size",
                                limit,
                            }));
                            state.done = true;
                        }
                    }
                    Some(Err(error)) => {
                        state.ready.push_back(Err(Error::Transport(error)));
                        state.done = true;
                    }
                    // An event not ended by a blank line is dropped, as WHATWG says.
                    None => state.done = true,
                }
            }
        })
        .filter_map(move |event| async move {
            match event {
                // Some APIs end their streams with this sentinel, which is not an event.
                Ok(event) if event.data.trim() == "[DONE]" => None,
                Ok(event) => Some(parse(&event.data).map_err(|(path, message)| Error::Decode {
                    status,
                    path,
                    message: match event.id.as_str() {
                        "" => format!("event `{}`: {message}", event.event),
                        id => format!("event `{}` (id `{id}`): {message}", event.event),
                    },
                    body: Bytes::from(event.data),
                })),
                Err(error) => Some(Err(error)),
            }
        })
        .boxed();
        Ok(Response { status, headers, value: EventStream { inner: events }, raw: None })
    })
}

/// An event stream being read: the body, the parser, and what it parsed but has not handed out yet.
struct EventsState<E> {
    /// The response's, for an error about an event too large.
    headers: HeaderMap,
    body: BoxStream<'static, reqwest::Result<Bytes>>,
    parser: EventParser,
    ready: VecDeque<Result<ServerEvent, Error<E>>>,
    done: bool,
}

/// One event of a `text/event-stream` body.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    /// The `event` field, or `message` when the event has none.
    pub event: String,
    /// The `data` lines, joined with `\n`.
    pub data: String,
    /// The last `id` the stream gave, in this event or an earlier one.
    pub id: String,
}

/// A `text/event-stream` event (or line) longer than the parser's limit.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTooLarge;

/// A `text/event-stream` parser that follows WHATWG HTML's "event stream
/// interpretation": lines end with CR, LF or CRLF; `data` lines are joined
/// with `\n`; a blank line dispatches; `:` starts a comment; a leading BOM is
/// skipped. `retry` is ignored, as this client never reconnects.
///
/// Each byte is looked at once however the body is cut into chunks, and an
/// event or line longer than `max_event_size` bytes is refused rather than
/// buffered. Crates fall short here: `eventsource-stream` 0.2 scans its whole
/// buffer again on each chunk (a 16 MiB line took 52 s), and neither it nor
/// `sse-stream` 0.3 limits how much of a line it buffers.
#[doc(hidden)]
pub struct EventParser {
    max_event_size: usize,
    /// The bytes of a line whose end has not arrived yet.
    line: Vec<u8>,
    /// The last line ended with CR, so a LF at the start of the next chunk belongs to it.
    after_cr: bool,
    /// Whether the start of the stream (and a BOM there) has been read.
    started: bool,
    event: String,
    data: String,
    id: String,
}

impl EventParser {
    pub fn new(max_event_size: usize) -> Self {
        EventParser {
            max_event_size,
            line: Vec::new(),
            after_cr: false,
            started: false,
            event: String::new(),
            data: String::new(),
            id: String::new(),
        }
    }

    /// Parses the next chunk of the body, adding the events it completes to `out`.
    pub fn push(&mut self, mut chunk: &[u8], out: &mut Vec<ServerEvent>) -> Result<(), EventTooLarge> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if chunk.is_empty() {
            return Ok(());
        }
        if !self.started {
            // The BOM may arrive split across chunks: keep its start until it is whole.
            self.line.extend_from_slice(chunk);
            if self.line.len() < BOM.len() && BOM.starts_with(&self.line) {
                return Ok(());
            }
            self.started = true;
            let mut start = std::mem::take(&mut self.line);
            if start.starts_with(BOM) {
                start.drain(..BOM.len());
            }
            return self.push(&start, out);
        }
        if std::mem::take(&mut self.after_cr) {
            chunk = chunk.strip_prefix(b"\n").unwrap_or(chunk);
        }
        while let Some(end) = chunk.iter().position(|&byte| byte == b'\n' || byte == b'\r') {
            let line_size = self.line.len() + end;
            if line_size > self.max_event_size {
                return Err(EventTooLarge);
            }
            if self.line.is_empty() {
                self.line_ended(&chunk[..end], out)?;
            } else {
                let mut line = std::mem::take(&mut self.line);
                line.extend_from_slice(&chunk[..end]);
                self.line_ended(&line, out)?;
            }
            let crlf = chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n');
            self.after_cr = chunk[end] == b'\r' && end + 1 == chunk.len();
            chunk = &chunk[end + if crlf { 2 } else { 1 }..];
        }
        if self.line.len() + chunk.len() + self.data.len() > self.max_event_size {
            return Err(EventTooLarge);
        }
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    fn line_ended(&mut self, line: &[u8], out: &mut Vec<ServerEvent>) -> Result<(), EventTooLarge> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        let (field, value) = match line.iter().position(|&byte| byte == b':') {
            Some(0) => return Ok(()),
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        // The stream is UTF-8 with errors replaced; lines split at ASCII bytes, so no char is cut.
        let value = String::from_utf8_lossy(value);
        match field {
            b"event" => self.event = value.into_owned(),
            b"data" => {
                if self.data.len() + value.len() + 1 > self.max_event_size {
                    return Err(EventTooLarge);
                }
                self.data.push_str(&value);
                self.data.push('\n');
            }
            b"id" if !value.contains('\0') => self.id = value.into_owned(),
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut Vec<ServerEvent>) {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        let event = if event.is_empty() { "message".to_string() } else { event };
        out.push(ServerEvent { event, data, id: self.id.clone() });
    }
}

/// The limits of the client that received `response` (see [`send`]).
fn limits(response: &reqwest::Response) -> Limits {
    response.extensions().get::<Limits>().copied().unwrap_or_default()
}

/// Reads a whole body, failing as soon as it is known to exceed the client's `max_body_size`.
async fn read<E>(mut response: reqwest::Response) -> Result<(StatusCode, HeaderMap, Bytes), Error<E>> {
    let (status, headers) = (response.status(), response.headers().clone());
    let limit = limits(&response).body;
    let too_large = |headers| Error::TooLarge { status, headers: Box::new(headers), setting: "max_body_size", limit };
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(too_large(headers));
    }
    // `declared` is at most `limit` here, so it fits.
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
        if chunk.len() > limit - body.len() {
            return Err(too_large(headers));
        }
        if body.capacity() - body.len() < chunk.len() {
            // Grow by doubling as `Vec` does, but never past the limit.
            let capacity = (body.capacity() * 2).max(body.len() + chunk.len()).min(limit);
            body.reserve_exact(capacity - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, headers, Bytes::from(body)))
}

/// A binary response body, read as it arrives.
pub struct ByteStream {
    inner: BoxStream<'static, reqwest::Result<Bytes>>,
}

impl ByteStream {
    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, reqwest::Error> {
        let mut all = Vec::new();
        while let Some(chunk) = self.inner.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(all))
    }
}

impl Stream for ByteStream {
    type Item = reqwest::Result<Bytes>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}

/// The events of a `text/event-stream` response, each decoded as `T`. An
/// event that does not decode yields an [`Error::Decode`] holding its data.
pub struct EventStream<T, E = ErrorBody> {
    inner: BoxStream<'static, Result<T, Error<E>>>,
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStream")
    }
}

/// One call of an operation: await it to send it. Before that, per-call
/// extras can be added without leaving the typed API.
///
/// A generated client wraps it in a `Call` of its own, which adds the
/// operation's optional parameters as methods.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E = ErrorBody> {
    client: &'a Client,
    request: Request,
    decode: Decoder<T, E>,
    /// For list operations: how many pages `pages()` and `items()` ask for at most.
    max_pages: Option<usize>,
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").field("method", &self.request.method).field("path", &self.request.path).finish()
    }
}

impl<T, E> Call<'_, T, E> {
    #[doc(hidden)]
    pub fn map_request(mut self, change: impl FnOnce(Request) -> Request) -> Self {
        self.request = change(self.request);
        self
    }

    /// Adds a header to this call.
    pub fn header(self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_string(), value.to_string());
        self.map_request(|mut request| {
            request.headers.push((name, value));
            request
        })
    }

    /// Sends the header `name` with the multipart parts named `part` (for a
    /// header the spec declares for the part without fixing its value).
    pub fn part_header(self, part: &str, name: &str, value: &str) -> Self {
        let (part, name, value) = (part.to_string(), name.to_string(), value.to_string());
        self.map_request(|request| request.part_header(&part, &name, &value))
    }

    /// Adds a query parameter to this call.
    pub fn query(self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_string(), value.to_string());
        self.map_request(|mut request| {
            request.query.push((name, value));
            request
        })
    }

    /// Adds a field to the JSON body (for fields the spec does not have yet).
    pub fn extra_body(self, name: &str, value: impl Serialize) -> Self {
        let name = name.to_string();
        let value = serde_json::to_value(value);
        self.map_request(|mut request| {
            match (&mut request.body, value) {
                (RequestBody::Json(serde_json::Value::Object(fields)), Ok(value)) => {
                    fields.insert(name, value);
                }
                (_, Err(error)) => request.fail(format!("extra body field `{name}`: {error}")),
                _ => request.fail(format!("extra body field `{name}`: the operation has no JSON object body")),
            }
            request
        })
    }

    /// The overall timeout of this call, instead of the client's.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.map_request(|mut request| {
            request.timeout = Some(timeout);
            request
        })
    }
}

impl<T: Send + 'static, E: DeserializeOwned + Send + 'static> Call<'_, T, E> {
    /// Sends the call and returns the value with the response's status, headers and raw body.
    pub async fn send_with_response(self) -> Result<Response<T>, Error<E>> {
        send(self.client, &self.request, self.decode).await
    }

    /// Sends the call and returns the decoded value.
    pub async fn send(self) -> Result<T, Error<E>> {
        self.send_with_response().await.map(|response| response.value)
    }
}

/// One page of a list operation: its items, and the cursor of the page after it.
pub trait Page {
    /// The type of the page's items.
    type Item;
    /// The cursor that asks for the next page; `None` on the last page.
    fn next_cursor(&self) -> Option<String>;
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
}

/// The pages or the items of a list operation, as they arrive; an error ends it.
pub type ResultStream<'a, T, E> = BoxStream<'a, Result<T, Error<E>>>;

impl<'a, T: Page + Send + 'static, E: DeserializeOwned + Send + 'static> Call<'a, T, E>
where
    T::Item: Send + 'static,
{
    /// Asks for at most `pages` pages in this list call's `pages()` and
    /// `items()` (its own page included), however many the server says there
    /// are. Unlimited unless set.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// The pages from this call's on: each next request is this one with the
    /// query parameter `cursor_parameter` set to the previous page's cursor.
    /// A cursor seen before ends the stream: following it would loop.
    #[doc(hidden)]
    pub fn paginate(self, cursor_parameter: &'static str) -> ResultStream<'a, T, E> {
        let Call { client, request, decode, max_pages, .. } = self;
        let seen: HashSet<String> =
            request.query.iter().filter(|(key, _)| key == cursor_parameter).map(|(_, value)| value.clone()).collect();
        // The state is the request of the next page (`None` once there is none) and the cursors sent so far.
        futures_util::stream::unfold((Some(request), seen), move |(request, mut seen)| async move {
            let request = request?;
            match send(client, &request, decode).await {
                Err(error) => Some((Err(error), (None, seen))),
                Ok(response) => {
                    let page = response.value;
                    let next = page
                        .next_cursor()
                        .filter(|cursor| !cursor.is_empty() && seen.insert(cursor.clone()))
                        .map(|cursor| request.query(cursor_parameter, &cursor, QueryStyle::FormExploded));
                    Some((Ok(page), (next, seen)))
                }
            }
        })
        // `take` stops before asking for the page past the limit.
        .take(max_pages.unwrap_or(usize::MAX))
        .boxed()
    }

    /// The items of [`Call::paginate`]'s pages, one by one.
    #[doc(hidden)]
    pub fn paginate_items(self, cursor_parameter: &'static str) -> ResultStream<'a, T::Item, E> {
        self.paginate(cursor_parameter)
            .map_ok(|page| futures_util::stream::iter(page.into_items().into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// Sends `request` (again on each retry the client's policy allows) and decodes the answer.
/// A thin shell over [`exchange`], which holds the retry loop once rather
/// than once per operation's types.
async fn send<T, E: DeserializeOwned>(
    client: &Client,
    request: &Request,
    decode: Decoder<T, E>,
) -> Result<Response<T>, Error<E>> {
    match exchange(client, request).await {
        Ok(response) => decode(response).await,
        Err(Failure::Status(response)) => Err(error_response(response, request.documented_errors).await),
        Err(Failure::InvalidRequest(problem)) => Err(Error::InvalidRequest(problem)),
        Err(Failure::Transport(error)) => Err(Error::Transport(error)),
    }
}

/// How [`exchange`] failed, before the error body is decoded as the operation's type.
enum Failure {
    InvalidRequest(String),
    Transport(reqwest::Error),
    /// A status that is not a success, no retry left for it.
    Status(reqwest::Response),
}

/// Sends `request`, again on each retry the client's policy allows, up to a success response.
async fn exchange(client: &Client, request: &Request) -> Result<reqwest::Response, Failure> {
    if let Some(problem) = &request.problem {
        return Err(Failure::InvalidRequest(problem.clone()));
    }
    let state = &client.inner;
    let mut retry = 0;
    loop {
        let Attempt { request: mut attempt, secret_in_url } =
            request.build(state).await.map_err(Failure::InvalidRequest)?;
        for hook in &state.hooks {
            hook.before(&mut attempt);
        }
        let (method, url) = (attempt.method().clone(), attempt.url().clone());
        let outcome =
            state.http.execute(attempt).await.map_err(|error| if secret_in_url { error.without_url() } else { error });
        for hook in &state.hooks {
            hook.after(&method, &url, outcome.as_ref());
        }
        let may_retry = state.retry.as_ref().filter(|policy| {
            retry < policy.max_retries && (request.idempotent() || policy.retry_non_idempotent) && request.resendable()
        });
        let outcome = outcome.map(|mut response| {
            // Decoders are plain functions that generated code names, so the
            // limits they read by ride along with the response.
            response.extensions_mut().insert(state.limits);
            response
        });
        match outcome {
            Err(error) => match may_retry {
                Some(policy) if retryable_transport(&error) => tokio::time::sleep(policy.delay(retry, None)).await,
                _ => return Err(Failure::Transport(error)),
            },
            Ok(response) if response.status().is_success() => return Ok(response),
            Ok(response) => match may_retry {
                Some(policy) if retryable_status(response.status()) => {
                    tokio::time::sleep(policy.delay(retry, Some(response.headers()))).await
                }
                _ => return Err(Failure::Status(response)),
            },
        }
        retry += 1;
    }
}

async fn error_response<E: DeserializeOwned>(response: reqwest::Response, documented: &[StatusSet]) -> Error<E> {
    let (status, headers, body) = match read::<E>(response).await {
        Ok(parts) => parts,
        Err(error) => return error,
    };
    let typed =
        documented.iter().any(|set| set.contains(status)).then(|| serde_json::from_slice::<E>(&body).ok()).flatten();
    match typed {
        Some(decoded) => Error::Api { status, headers: Box::new(headers), body: decoded, raw: body },
        None => Error::UnexpectedStatus {
            json: serde_json::from_slice(&body).ok(),
            status,
            headers: Box::new(headers),
            body,
        },
    }
}

impl<'a, T: Send + 'static, E: DeserializeOwned + Send + 'static> IntoFuture for Call<'a, T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
