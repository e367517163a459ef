//! Emit: the model to Rust tokens. Reads only the IR, never the document.

pub mod docs;
pub mod models;

use proc_macro2::TokenStream;

use crate::ir::Model;

/// What to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmitOptions {
    /// Emit the async client beside the types.
    pub client: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions { client: true }
    }
}

/// The whole generated module: `types` and, if asked, the client.
pub fn emit(model: &Model, _options: &EmitOptions) -> TokenStream {
    models::emit_types(&model.types)
}
