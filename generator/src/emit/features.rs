//! Cargo features of a generated crate: `client` for the HTTP client and its
//! dependencies, one feature per tag for that group of operations, and
//! `all-types` for every model. A crate built with `--features uploads`
//! compiles the uploads operations and only the types they use.

use std::collections::BTreeSet;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Operation, TypeEntry};

/// The runtime, the client and the HTTP dependencies.
pub const CLIENT: &str = "client";
/// Every type of the spec, whether or not an enabled operation uses it.
pub const ALL_TYPES: &str = "all-types";
/// The operations without a tag. They get a feature of their own, not
/// `client`'s: every tag feature turns `client` on, so with them on `client`
/// a user who asked for one tag would compile every untagged operation too
/// (31 of OpenAI's 288, with their types).
pub const UNTAGGED: &str = "untagged";

/// The feature of a tag: `Fine-tuning` -> `fine-tuning`.
pub fn tag_feature(tag: &str) -> String {
    let name = tag.to_kebab_case();
    match name.as_str() {
        "" => UNTAGGED.to_string(),
        CLIENT | ALL_TYPES | "default" | "full" => format!("{name}-api"),
        _ => name,
    }
}

/// The features that enable an operation: its tags' (or `untagged` when it has none).
pub fn operation_features(operation: &Operation) -> BTreeSet<String> {
    if operation.tags.is_empty() {
        BTreeSet::from([UNTAGGED.to_string()])
    } else {
        operation.tags.iter().map(|tag| tag_feature(tag)).collect()
    }
}

/// The features that compile the given types: `all-types`, and those of
/// every operation that uses one of them.
pub fn type_features(entries: &[&TypeEntry], operations: &[Operation]) -> BTreeSet<String> {
    let mut features = BTreeSet::from([ALL_TYPES.to_string()]);
    for index in entries.iter().flat_map(|entry| &entry.used_by) {
        features.extend(operations.get(*index).map(operation_features).unwrap_or_default());
    }
    features
}

/// Every tag feature of the operations (`untagged` among them when some
/// operation has no tag), sorted.
pub fn tag_features(operations: &[Operation]) -> Vec<String> {
    operations.iter().flat_map(operation_features).collect::<BTreeSet<_>>().into_iter().collect()
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", ...))]` for several.
pub fn cfg_any<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote! { #[cfg(feature = #one)] },
        several => quote! { #[cfg(any(#(feature = #several),*))] },
    }
}
