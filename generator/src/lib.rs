//! apigen: Rust models and an async client from OpenAPI 3.0 and 3.1 documents.
//!
//! The pipeline, one module a stage:
//! [`load`] (bytes to a document, 3.1 reconciled with 3.0) ->
//! [`ir`] (references resolved, names chosen, the type model and the operations) ->
//! [`emit`] (tokens for the models and the client) -> [`format`](mod@format) (prettyplease) ->
//! [`write`](mod@write) (atomic output, staleness checks).
//!
//! From a build script:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), apigen::Error> {
//!     let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("api.rs");
//!     apigen::Generator::new().spec("specs/nebius.yaml").generate_to_file(out)
//! }
//! ```
//!
//! and in the crate: `pub mod api { include!(concat!(env!("OUT_DIR"), "/api.rs")); }`.

pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod write;

mod generator;
mod stack;

pub use error::{Diagnostic, Error, Location};
pub use generator::{
    generate, generate_in, vendored_runtime, CrateOptions, Generated, Generator, Options, RuntimeSource,
    BASE64_DEPENDENCY, RUNTIME_VERSION, VENDORED_RUNTIME_PATH,
};
