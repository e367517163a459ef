//! Every golden file as a module: a golden that does not compile fails the build.
//! Written by tests/golden.rs; do not edit by hand.

pub mod base64_aliases_only;
pub mod composition;
pub mod content_vocabulary;
pub mod discriminator_fallback;
pub mod enums_and_names;
pub mod nullable_30;
pub mod nullable_31;
pub mod nullable_enums;
pub mod nullable_refs;
pub mod openapi30;
pub mod openapi32;
pub mod operations;
pub mod recursive;
pub mod references;
pub mod security;
pub mod unions;
pub mod unknown_fields;
pub mod webhook_events;
pub mod spec_nebius;
pub mod spec_openai;
