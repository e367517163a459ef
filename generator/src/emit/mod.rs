//! Emit: the model to Rust tokens. Reads only the IR, never the document.

pub mod api_client;
pub mod client;
pub mod constants;
pub mod construct;
pub mod customize;
pub mod deserialize;
pub mod docs;
pub mod features;
pub mod models;
pub mod security;
pub mod server;
pub mod tagged;
pub mod twins;
pub mod webhooks;

use proc_macro2::TokenStream;

use crate::format::Piece;
use crate::ir::{Model, TypeRef};

/// What to emit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitOptions {
    /// Emit the async client beside the types.
    pub client: bool,
    /// Gate the client behind the cargo feature `client` and each operation
    /// behind its tag's feature (see [`features`]), for `apigen crate`.
    pub cargo_features: bool,
    /// Emit the `server` module: a trait per tag and an axum router (behind
    /// the cargo feature `server` with `cargo_features`).
    pub server: bool,
    /// Gate the `server` module behind the cargo feature `server` without
    /// gating anything else (as `cargo_features` does with the rest).
    pub server_feature: bool,
    /// Where the generated code finds the client runtime.
    pub runtime_path: RuntimePath,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            client: true,
            cargo_features: false,
            server: false,
            server_feature: false,
            runtime_path: RuntimePath::default(),
        }
    }
}

/// The path through which generated code names the client runtime (the
/// `apigen-runtime` crate, or a copy of it vendored as a module), as
/// prost-build's `prost_path`. It is absolute (`::name` or `crate::...`), so
/// that it means the same in every module of the generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimePath(String);

impl RuntimePath {
    /// The crate `apigen-runtime`, as a dependency of the generated code's crate.
    pub const CRATE: &'static str = "::apigen_runtime";

    /// `path` if it is an absolute Rust path, else why not.
    pub fn new(path: &str) -> Result<Self, String> {
        let parsed: syn::Path =
            syn::parse_str(path).map_err(|error| format!("`{path}` is not a Rust path: {error}"))?;
        let absolute = parsed.leading_colon.is_some() || parsed.segments.first().is_some_and(|s| s.ident == "crate");
        if !absolute || parsed.segments.iter().any(|segment| !segment.arguments.is_none()) {
            return Err(format!(
                "the runtime path `{path}` must be absolute, as `::apigen_runtime` or `crate::runtime`"
            ));
        }
        Ok(RuntimePath(path.to_string()))
    }

    /// The path as tokens.
    pub fn tokens(&self) -> TokenStream {
        // `new` parsed it as a path already.
        syn::parse_str::<syn::Path>(&self.0).map(|path| quote::quote! { #path }).expect("a checked runtime path parses")
    }
}

impl Default for RuntimePath {
    fn default() -> Self {
        RuntimePath(RuntimePath::CRATE.to_string())
    }
}

/// The whole generated module: `types` and, if asked and there are
/// operations to call, the client.
pub fn emit(model: &Model, options: &EmitOptions) -> TokenStream {
    crate::format::tokens_of(emit_pieces(model, options))
}

/// [`emit`] in pieces, each built when the one before it has been taken:
/// one a type, then the client, webhooks and server modules.
pub fn emit_pieces<'m>(model: &'m Model, options: &'m EmitOptions) -> impl Iterator<Item = Piece<'m>> + 'm {
    let with_client = options.client && !model.operations.is_empty();
    let base64 = model.uses(&TypeRef::Base64);
    let gated = with_client && options.cargo_features;
    let built = if with_client && !options.server { models::Construction::Sent } else { models::Construction::All };
    let runtime = options.runtime_path.tokens();
    let types = models::emit_types(&model.types, base64, &model.type_extras, built, runtime, move |entries| {
        if gated {
            features::cfg_any(&features::type_features(entries, &model.features))
        } else {
            TokenStream::new()
        }
    });
    let client = std::iter::once_with(move || {
        with_client.then(|| client::emit_client(model, options.cargo_features, &options.runtime_path.tokens()))
    })
    .flatten()
    .flatten();
    // Receiving webhooks needs no operation, but the HTTP-side dependencies the client brings.
    let webhooks = std::iter::once_with(move || match options.client {
        true => webhooks::emit_webhooks(model, options.cargo_features, &options.runtime_path.tokens()),
        false => TokenStream::new(),
    });
    let server = std::iter::once_with(move || match options.server {
        true => server::emit_server(model, options),
        false => TokenStream::new(),
    });
    types.chain(client).chain(webhooks.chain(server).map(Piece::Items))
}
