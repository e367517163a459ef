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
/// every operation that uses one of them. `tag_features` is
/// [`crate::ir::Model::features`], which the types' features index.
pub fn type_features(entries: &[&TypeEntry], tag_features: &[String]) -> BTreeSet<String> {
    let mut features = BTreeSet::from([ALL_TYPES.to_string()]);
    features
        .extend(entries.iter().flat_map(|entry| &entry.features).filter_map(|index| tag_features.get(*index).cloned()));
    features
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", ...))]` for several.
pub fn cfg_any<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote! { #[cfg(feature = #one)] },
        several => quote! { #[cfg(any(#(feature = #several),*))] },
    }
}
