//! Generated `Deserialize` impls where serde's derive is slow to run and to compile.
//!
//! A struct that keeps unknown properties in a `#[serde(flatten)]` map makes
//! serde's derive buffer every property of the object as its internal
//! `Content` before reading a single field (2.4x slower than a plain struct
//! on OpenAI's file list), and an open enum's `#[serde(untagged)]` variant
//! makes it buffer the string the same way. The impls here read the object
//! once: a known property goes to its field, any other straight into the
//! map; a string enum matches the borrowed string and allocates only for a
//! value it does not know. The shared machinery is the runtime's `de`
//! module, generic once rather than once a type.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::models::ident;
use crate::ir::names::ADDITIONAL_PROPERTIES_FIELD;
use crate::ir::{Field, StringEnum, Struct, TypeExtras, TypeRef};

/// Whether [`struct_deserialize`] reads this struct: it keeps unknown
/// properties and has no flattened part (which reads the remaining
/// properties itself, so only serde's buffering can share them out), and
/// the user's extras leave serde's derive nothing to honour.
pub fn reads_struct(s: &Struct, extras: Option<&TypeExtras>) -> bool {
    s.additional.is_some() && !s.fields.iter().any(|field| field.flatten) && !needs_serde_derive(extras)
}

/// Whether [`enum_deserialize`] reads this enum: it is open, and the user's
/// extras leave serde's derive nothing to honour.
pub fn reads_enum(e: &StringEnum, extras: Option<&TypeExtras>) -> bool {
    e.other_variant.is_some() && !needs_serde_derive(extras)
}

/// The user's attributes on a type or its fields may be `#[serde(...)]`
/// ones (an `alias`, a `rename`), which only serde's derive reads, and a
/// user's derive of `Deserialize` would clash with a generated impl.
fn needs_serde_derive(extras: Option<&TypeExtras>) -> bool {
    extras.is_some_and(|extras| {
        !extras.attributes.is_empty()
            || !extras.field_attributes.is_empty()
            || extras.derives.iter().any(|derive| derive.rsplit("::").next().map(str::trim) == Some("Deserialize"))
    })
}

/// The type of a struct's `additional_properties`: the properties a schema
/// leaves untyped (all those it does not declare, or `additionalProperties:
/// true`) are kept as their JSON text, parsed only when read; a typed
/// `additionalProperties` is a map of its type.
pub fn unknown_fields_type(value: &TypeRef, value_tokens: TokenStream, runtime: &TokenStream) -> TokenStream {
    if *value == TypeRef::Any {
        quote! { #runtime::UnknownFields }
    } else {
        quote! { std::collections::BTreeMap<String, #value_tokens> }
    }
}

/// How a field whose property is absent is filled in.
pub enum Missing {
    /// An `Option` (also through an alias): `None`.
    None,
    /// A required field with a spec default: the function that gives it.
    Default(Ident),
    /// A required field: an error naming the property.
    Required,
}

/// `Deserialize` for a struct that [`reads_struct`]: one pass over the
/// object's properties. The behaviour is the derive's: a missing required
/// property is a `missing field` error, an absent or `null` optional one is
/// `None`, a property given twice is a `duplicate field` error, and the
/// object may be given as a map only.
/// `runtime` is the path of the runtime.
pub fn struct_deserialize(
    name: &Ident,
    s: &Struct,
    missing: &dyn Fn(&Field) -> Missing,
    runtime: &TokenStream,
) -> TokenStream {
    let slots: Vec<Ident> = (0..s.fields.len()).map(|index| ident(&format!("field_{index}"))).collect();
    let known_arms = s.fields.iter().enumerate().map(|(index, field)| {
        let wire = &field.wire_name;
        let index = Literal::usize_unsuffixed(index);
        quote! { #wire => Some(#index), }
    });
    // `known` gives only the indices of the fields, so the last field's arm takes what the others leave.
    let read_arms = s.fields.iter().zip(&slots).enumerate().map(|(index, (field, slot))| {
        let wire = &field.wire_name;
        let pattern = if index + 1 == s.fields.len() {
            quote! { #runtime::de::Key::Known(_) }
        } else {
            let index = Literal::usize_unsuffixed(index);
            quote! { #runtime::de::Key::Known(#index) }
        };
        quote! { #pattern => #runtime::de::field(&mut #slot, &mut map, #wire)?, }
    });
    let no_known_field = s.fields.is_empty().then(|| quote! { #runtime::de::Key::Known(_) => {} });
    // A `match` of `_` alone is clippy's `match_single_binding`.
    let known = match s.fields.is_empty() {
        true => quote! { |_: &str| None },
        false => quote! { |name: &str| match name { #(#known_arms)* _ => None } },
    };
    let values = s.fields.iter().zip(&slots).map(|(field, slot)| {
        let field_ident = ident(&field.rust_name);
        let wire = &field.wire_name;
        let value = match missing(field) {
            Missing::None => quote! { #slot.unwrap_or_default() },
            Missing::Default(function) => quote! { #slot.unwrap_or_else(#name::#function) },
            Missing::Required => quote! { #runtime::de::required(#slot, #wire)? },
        };
        quote! { #field_ident: #value, }
    });
    // Untyped ones are kept as their text ([`unknown_fields_type`]), typed ones read into their map.
    let (new_map, keep_other, map_value) = if s.additional == Some(TypeRef::Any) {
        (
            quote! { #runtime::de::UnknownMembers::default() },
            quote! { additional.capture(&name, &mut map)? },
            quote! { additional.finish() },
        )
    } else {
        (
            quote! { std::collections::BTreeMap::new() },
            quote! { additional.insert(name.into_owned(), map.next_value()?) },
            quote! { additional },
        )
    };
    let map_field = ident(ADDITIONAL_PROPERTIES_FIELD);
    let expecting = format!("struct {name}");
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #runtime::de::object(deserializer)
            }
        }

        impl<'de> #runtime::de::Object<'de> for #name {
            const EXPECTING: &'static str = #expecting;

            fn read<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #(let mut #slots = None;)*
                let mut additional = #new_map;
                let known = #known;
                while let Some(key) = map.next_key_seed(#runtime::de::KeySeed(known))? {
                    match key {
                        #(#read_arms)*
                        #no_known_field
                        #runtime::de::Key::Other(name) => {
                            #keep_other;
                        }
                    }
                }
                Ok(#name {
                    #(#values)*
                    #map_field: #map_value,
                })
            }
        }
    }
}

/// `Deserialize` for an open enum ([`reads_enum`]): through its `From<&str>`
/// and `From<String>` ([`super::construct::enum_from_str`]), which match a
/// known value on the borrowed string and keep another in the `Other` variant.
pub fn enum_deserialize(name: &Ident, runtime: &TokenStream) -> TokenStream {
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #runtime::de::open_enum(deserializer)
            }
        }
    }
}
