//! Emit: the model to Rust tokens. Reads only the IR, never the document.

pub mod client;
pub mod deserialize;
pub mod docs;
pub mod features;
pub mod models;
pub mod security;
pub mod webhooks;

use proc_macro2::TokenStream;

use crate::ir::{Model, TypeRef};

/// What to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmitOptions {
    /// Emit the async client beside the types.
    pub client: bool,
    /// Gate the client behind the cargo feature `client` and each operation
    /// behind its tag's feature (see [`features`]), for `apigen crate`.
    pub cargo_features: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions { client: true, cargo_features: false }
    }
}

/// The whole generated module: `types` and, if asked and there are
/// operations to call, the client.
pub fn emit(model: &Model, options: &EmitOptions) -> TokenStream {
    let with_client = options.client && !model.operations.is_empty();
    let base64 = model.uses(&TypeRef::Base64);
    let types = if with_client && options.cargo_features {
        models::emit_types(&model.types, base64, &|entries| {
            features::cfg_any(&features::type_features(entries, &model.features))
        })
    } else {
        models::emit_types(&model.types, base64, &|_| TokenStream::new())
    };
    // Receiving webhooks needs no operation, but the HTTP-side dependencies the client brings.
    let webhooks =
        if options.client { webhooks::emit_webhooks(model, options.cargo_features) } else { TokenStream::new() };
    if with_client {
        let client = client::emit_client(model, options.cargo_features);
        quote::quote! { #types #client #webhooks }
    } else {
        quote::quote! { #types #webhooks }
    }
}
