//! apigen: Rust models and an async client from OpenAPI 3.0 and 3.1 documents.
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
//!
//! [`Generator`] takes the options, customisations among them (derives,
//! attributes, replaced types, format types, renames); [`generate`] runs on a
//! document in memory with [`Options`].
//!
//! # Stability
//!
//! The public API is what this page documents. Option types keep their
//! fields private behind setters, and the public structs and enums are
//! `#[non_exhaustive]`, so that a new option, field or error variant is not a
//! breaking change. The pipeline's stages (load -> ir -> emit -> format ->
//! write) are public for this repository's tests and benchmarks only: they
//! are hidden from the documentation and may change in any release.
//!
//! The `cli` feature (on by default) builds the `apigen` command and its
//! dependencies; a build script turns it off with `default-features = false`.
#![deny(missing_docs)]

#[doc(hidden)]
pub mod emit;
#[doc(hidden)]
pub mod error;
#[doc(hidden)]
pub mod format;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod layout;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod repository;
#[doc(hidden)]
pub mod write;

mod generator;
mod stack;

pub use error::{Diagnostic, Diagnostics, Error, Location};
pub use generator::{
    generate, generate_in, vendored_runtime, CrateOptions, FormatPreset, Generated, Generator, Options, RuntimeSource,
    BASE64_DEPENDENCY, RUNTIME_VERSION, VENDORED_RUNTIME_PATH,
};
pub use layout::Layout;
