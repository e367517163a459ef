//! Every golden file as a module: a golden that does not compile fails the build.
//! Written by tests/golden.rs; do not edit by hand.

#[rustfmt::skip]
pub mod base64_aliases_only;
#[rustfmt::skip]
pub mod composition;
#[rustfmt::skip]
pub mod construct;
#[rustfmt::skip]
pub mod content_vocabulary;
#[rustfmt::skip]
pub mod decode;
#[rustfmt::skip]
pub mod discriminator_fallback;
#[rustfmt::skip]
pub mod enums_and_names;
#[rustfmt::skip]
pub mod fastapi_twins;
#[rustfmt::skip]
pub mod nullable_30;
#[rustfmt::skip]
pub mod nullable_31;
#[rustfmt::skip]
pub mod nullable_enums;
#[rustfmt::skip]
pub mod nullable_refs;
#[rustfmt::skip]
pub mod openapi30;
#[rustfmt::skip]
pub mod openapi32;
#[rustfmt::skip]
pub mod operations;
#[rustfmt::skip]
pub mod recursive;
#[rustfmt::skip]
pub mod references;
#[rustfmt::skip]
pub mod security;
#[rustfmt::skip]
pub mod shape_rules;
#[rustfmt::skip]
pub mod unions;
#[rustfmt::skip]
pub mod unknown_fields;
#[rustfmt::skip]
pub mod variant_names;
#[rustfmt::skip]
pub mod webhook_events;
#[rustfmt::skip]
pub mod spec_nebius;
#[rustfmt::skip]
pub mod spec_openai;
#[rustfmt::skip]
pub mod customized;
/// The user's own types that the customized module uses (hand-written).
pub mod custom;
