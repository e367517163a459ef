//! The HTTP plumbing shared by every client apigen generates: the `Client`,
//! the `Call` that each operation method returns, the `Error` type, and
//! (with the `webhooks` feature) the receiving side of webhooks.
//!
//! Generated code refers to this crate through one path, `::apigen_runtime`
//! unless the generator was told otherwise; `apigen crate --vendor-runtime`
//! writes this very file into the generated crate as `src/runtime.rs`, so it
//! must also compile as a module of another crate (no crate-level attributes
//! beyond lints, no `crate::` paths). Clients of several APIs built on the
//! same runtime share its types: one `Error`, one `RetryPolicy`, one `FilePart`.
//!
//! Everything that sends requests is behind the `client` feature (a
//! default), with reqwest and tokio (so the names above are not links:
//! without it they would lead nowhere); without it the crate is the models'
//! readers ([`de`]) on serde and serde_json alone, all that a generated
//! crate's models need (its `all-types` build).
#![deny(missing_docs)]

pub mod de;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "webhooks")]
pub mod webhooks;

mod unknown_fields;
pub use unknown_fields::UnknownFields;

#[cfg(feature = "base64")]
mod base64_bytes;
#[cfg(feature = "base64")]
pub use base64_bytes::Base64Bytes;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
pub use client::*;
