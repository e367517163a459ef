//! Cargo features of a generated crate: `client` for the HTTP client and its
//! dependencies, one feature per tag for that group of operations, and
//! `all-types` for every model. A crate built with `--features uploads`
//! compiles the uploads operations and only the types they use.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

pub use crate::ir::names::{ALL_TYPES_FEATURE as ALL_TYPES, CLIENT_FEATURE as CLIENT};
use crate::ir::{Operation, TypeEntry};

/// The features that enable an operation: its tags' (or `untagged`), as the IR named them.
pub fn operation_features(operation: &Operation) -> BTreeSet<String> {
    operation.features.iter().cloned().collect()
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
