//! Receiving webhooks: the event of a request body, and the check of its
//! Standard Webhooks signature (<https://www.standardwebhooks.com>) where
//! the API signs its events.
//!
//! A generated client's `webhooks` module adds the API's event type and
//! `decode_event` (and `unwrap`, which checks the signature first, for APIs that sign).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;

/// How far a signed event's timestamp may be from now, as in the Standard
/// Webhooks libraries.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why an incoming event was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A signature header is missing or not text.
    MissingHeader(&'static str),
    /// The secret is not `whsec_` followed by base64.
    InvalidSecret,
    /// `webhook-timestamp` is not a number of seconds.
    InvalidTimestamp,
    /// The timestamp is further from now than the tolerance: a replay, or a clock off.
    TimestampOutOfTolerance,
    /// No `v1` signature of `webhook-signature` matches the body.
    InvalidSignature,
    /// The body does not decode as an event.
    Decode {
        /// Where in the body decoding failed.
        path: String,
        /// Why it failed there.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => write!(f, "the webhook header `{name}` is missing"),
            WebhookError::InvalidSecret => f.write_str("the webhook secret is not valid base64 after `whsec_`"),
            WebhookError::InvalidTimestamp => f.write_str("the webhook timestamp is not a number of seconds"),
            WebhookError::TimestampOutOfTolerance => f.write_str("the webhook timestamp is too far from now"),
            WebhookError::InvalidSignature => f.write_str("no webhook signature matches the body"),
            WebhookError::Decode { path, message } => {
                write!(f, "the webhook body does not match the spec at `{path}`: {message}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Decodes a webhook body into `T`, without checking any signature.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    super::from_json(body).map_err(|super::JsonFailure { path, error }| WebhookError::Decode {
        path: path.to_string(),
        message: error.to_string(),
    })
}

/// The headers of a request, as any HTTP library holds them.
pub trait Headers {
    /// The value of the header `name` (lower case), if present and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl Headers for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|value| value.to_str().ok())
    }
}

impl<S: std::hash::BuildHasher> Headers for std::collections::HashMap<String, String, S> {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// Checks the Standard Webhooks signature of `body` at the current time,
/// with [`DEFAULT_TOLERANCE`].
pub fn verify(body: &[u8], headers: &impl Headers, secret: &str) -> Result<(), WebhookError> {
    verify_at(body, headers, secret, SystemTime::now(), DEFAULT_TOLERANCE)
}

/// Checks the signature as at `now`: one of the space-separated `v1,<base64>`
/// signatures of `webhook-signature` must be the HMAC-SHA256, keyed with the
/// secret, of `{webhook-id}.{webhook-timestamp}.{body}`, compared in constant
/// time, and the timestamp at most `tolerance` from `now`. A secret
/// `whsec_<base64>` is the key it encodes; any other secret is used as it is
/// (as several providers' SDKs do).
pub fn verify_at(
    body: &[u8],
    headers: &impl Headers,
    secret: &str,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    use base64::Engine as _;
    use hmac::Mac as _;

    let header = |name: &'static str| headers.header(name).ok_or(WebhookError::MissingHeader(name));
    let (id, timestamp, signatures) =
        (header("webhook-id")?, header("webhook-timestamp")?, header("webhook-signature")?);
    let seconds: u64 = timestamp.trim().parse().map_err(|_| WebhookError::InvalidTimestamp)?;
    let sent = UNIX_EPOCH + Duration::from_secs(seconds);
    let drift = now.duration_since(sent).unwrap_or_else(|early| early.duration());
    if drift > tolerance {
        return Err(WebhookError::TimestampOutOfTolerance);
    }
    let key = match secret.strip_prefix("whsec_") {
        Some(encoded) => {
            base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|_| WebhookError::InvalidSecret)?
        }
        None => secret.as_bytes().to_vec(),
    };
    let signed = || {
        // HMAC takes a key of any length, so this never fails.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).map_err(|_| WebhookError::InvalidSecret)?;
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        Ok::<_, WebhookError>(mac)
    };
    for candidate in signatures.split(' ') {
        let Some(encoded) = candidate.strip_prefix("v1,") else { continue };
        let Ok(signature) = base64::engine::general_purpose::STANDARD.decode(encoded) else { continue };
        // `verify_slice` compares in constant time.
        if signed()?.verify_slice(&signature).is_ok() {
            return Ok(());
        }
    }
    Err(WebhookError::InvalidSignature)
}
