//! `From` between FastAPI's `X-Input`/`X-Output` twins that differ, in each
//! direction that always succeeds (`ir/twins.rs` decides which), so a value
//! the server returned is sent back with `.into()`.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::ident;
use crate::ir::names::ADDITIONAL_PROPERTIES_FIELD;
use crate::ir::twins::{FieldSource, TwinConversion};
use crate::ir::{TypeEntry, TypeId, TypeKind, TypeSpace};

/// The conversions grouped by the type they convert into, so each type's
/// declaration finds its own without scanning all of them.
pub fn by_target(conversions: Vec<TwinConversion>) -> HashMap<TypeId, Vec<TwinConversion>> {
    let mut grouped: HashMap<TypeId, Vec<TwinConversion>> = HashMap::new();
    for conversion in conversions {
        grouped.entry(conversion.to).or_default().push(conversion);
    }
    grouped
}

/// The `From` impls of `conversions` (into one type), each also gated as its source type is.
pub fn from_impls(
    space: &TypeSpace,
    conversions: &[TwinConversion],
    gate: &dyn Fn(&[&TypeEntry]) -> TokenStream,
) -> TokenStream {
    conversions.iter().map(|conversion| from_impl(space, conversion, gate)).collect()
}

fn from_impl(
    space: &TypeSpace,
    conversion: &TwinConversion,
    gate: &dyn Fn(&[&TypeEntry]) -> TokenStream,
) -> TokenStream {
    let (source, target) = (space.get(conversion.from), space.get(conversion.to));
    let TypeKind::Struct(target_struct) = &target.kind else { return TokenStream::new() };
    let mut reads_value = conversion.moves_additional;
    let fields = target_struct.fields.iter().zip(&conversion.fields).map(|(field, from)| {
        let name = ident(&field.rust_name);
        let value = match from {
            FieldSource::Same(other) => {
                let other = ident(other);
                quote! { value.#other }
            }
            FieldSource::Some(other) => {
                let other = ident(other);
                quote! { Some(value.#other) }
            }
            FieldSource::Unset => quote! { None },
        };
        reads_value |= *from != FieldSource::Unset;
        quote! { #name: #value, }
    });
    let fields: Vec<TokenStream> = fields.collect();
    let additional = target_struct.additional.as_ref().map(|_| {
        let field = ident(ADDITIONAL_PROPERTIES_FIELD);
        if conversion.moves_additional {
            quote! { #field: value.#field, }
        } else {
            quote! { #field: Default::default(), }
        }
    });
    // A target of unset fields only reads nothing of the source.
    let parameter = if reads_value { ident("value") } else { ident("_value") };
    let (source_name, target_name) = (ident(&source.name), ident(&target.name));
    let source_gate = gate(&[source]);
    quote! {
        #source_gate
        impl From<#source_name> for #target_name {
            fn from(#parameter: #source_name) -> Self {
                Self { #(#fields)* #additional }
            }
        }
    }
}
