//! The `webhooks` module: the event type of the API's webhooks and
//! callbacks, decoding an incoming body into it, and for APIs that sign
//! their events with Standard Webhooks, `unwrap`, which checks the signature first.

use proc_macro2::TokenStream;
use quote::quote;

use super::features::{ALL_TYPES, CLIENT};
use super::models::type_tokens;
use crate::ir::Model;

/// What the runtime's `webhooks` module needs beyond the client's dependencies
/// (its cargo feature `webhooks`), as `name = { spec }` lines of a manifest
/// that vendors the runtime.
pub const DEPENDENCIES: [(&str, &str); 3] =
    [("hmac", "version = \"0.12\""), ("sha2", "version = \"0.10\""), ("base64", "version = \"0.23\"")];

/// The module, or nothing for a document without webhooks or callbacks.
/// `runtime` is the path of the client runtime, whose `webhooks` module does the work.
pub fn emit_webhooks(model: &Model, cargo_features: bool, runtime: &TokenStream) -> TokenStream {
    let Some(webhooks) = &model.webhooks else { return TokenStream::new() };
    let event = type_tokens(&model.types, &webhooks.event, &quote! { super::types:: });
    // The event types are compiled with `all-types`, the dependencies with `client`.
    let gate = cargo_features.then(|| quote! { #[cfg(all(feature = #CLIENT, feature = #ALL_TYPES))] });
    let names = webhooks.names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    let event_doc = format!(" An event of one of the webhooks and callbacks of the API: {names}.");
    let unwrap = webhooks.signed.then(|| {
        quote! {
            /// Checks the event's Standard Webhooks signature against `secret`
            /// (`whsec_...`) with [`verify`], then decodes it: what the API's own
            /// SDKs call `webhooks.unwrap(body, headers, secret)`.
            pub fn unwrap(body: &[u8], headers: &impl Headers, secret: &str) -> Result<Event, WebhookError> {
                verify(body, headers, secret)?;
                decode(body)
            }
        }
    });
    quote! {
        /// Receiving the API's webhooks and callbacks: [`Event`](webhooks::Event), and how to read one from a request.
        #gate
        pub mod webhooks {
            pub use #runtime::webhooks::{decode, verify, verify_at, Headers, WebhookError, DEFAULT_TOLERANCE};

            #[doc = #event_doc]
            pub type Event = #event;

            /// Decodes an event from a request body, without checking any signature.
            pub fn decode_event(body: &[u8]) -> Result<Event, WebhookError> {
                decode(body)
            }

            #unwrap
        }
    }
}
