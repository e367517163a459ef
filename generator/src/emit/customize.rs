//! The user's derives and attributes, added to the declarations the models
//! emitter made (see [`crate::ir::customize`]), and the user's types.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;

use crate::ir::customize::parse_attributes;
use crate::ir::TypeExtras;

/// The tokens of a Rust type of the user's ([`crate::ir::TypeRef::External`]).
pub fn external_type(rust: &str) -> TokenStream {
    // `Customizations::check` refused every type that does not parse before the IR was built.
    syn::parse_str::<syn::Type>(rust).expect("checked by Customizations::check").into_token_stream()
}

/// `declaration` (a type and its impls) with the user's extras on the type:
/// derives it does not have yet, attributes, and attributes of its fields.
pub fn apply(extras: Option<&TypeExtras>, declaration: TokenStream) -> TokenStream {
    let Some(extras) = extras else { return declaration };
    // The declarations are built from valid items; if they did not parse, the
    // formatter would report it as an internal error anyway.
    let Ok(mut file) = syn::parse2::<syn::File>(declaration.clone()) else { return declaration };
    if let Some(item) = file.items.first_mut() {
        let (attributes, fields) = match item {
            syn::Item::Struct(item) => (&mut item.attrs, Some(&mut item.fields)),
            syn::Item::Enum(item) => (&mut item.attrs, None),
            _ => return declaration,
        };
        let derived = derived(attributes);
        let derives: Vec<syn::Path> = extras
            .derives
            .iter()
            .map(|derive| syn::parse_str::<syn::Path>(derive).expect("checked by Customizations::check"))
            .filter(|derive| !derived.iter().any(|known| last_segment(known) == last_segment(derive)))
            .collect();
        if !derives.is_empty() {
            attributes.push(syn::parse_quote! { #[derive(#(#derives),*)] });
        }
        attributes.extend(extras.attributes.iter().flat_map(|attribute| user_attributes(attribute)));
        for field in fields.into_iter().flat_map(|fields| fields.iter_mut()) {
            let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
            let wanted = extras.field_attributes.iter().filter(|(field_name, _)| *field_name == name);
            field.attrs.extend(wanted.flat_map(|(_, attribute)| user_attributes(attribute)));
        }
    }
    file.items.iter().map(|item| quote! { #item }).collect()
}

fn user_attributes(attribute: &str) -> Vec<syn::Attribute> {
    // `Customizations::check` refused every attribute that does not parse.
    parse_attributes(attribute).expect("checked by Customizations::check")
}

/// The traits a type's `#[derive]`s name.
fn derived(attributes: &[syn::Attribute]) -> Vec<syn::Path> {
    let derives = attributes.iter().filter(|attribute| attribute.path().is_ident("derive"));
    derives
        .filter_map(|attribute| {
            attribute.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).ok()
        })
        .flatten()
        .collect()
}

/// `Hash` of `std::hash::Hash`: a trait derived twice does not compile, however it is spelled.
fn last_segment(path: &syn::Path) -> String {
    path.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extras(derives: &[&str], attributes: &[&str], fields: &[(&str, &str)]) -> TypeExtras {
        TypeExtras {
            derives: derives.iter().map(ToString::to_string).collect(),
            attributes: attributes.iter().map(ToString::to_string).collect(),
            field_attributes: fields.iter().map(|(f, a)| (f.to_string(), a.to_string())).collect(),
        }
    }

    #[test]
    fn adds_derives_not_yet_derived_and_attributes() {
        let declaration = quote! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Pet { pub name: String, pub age: i64 }
            impl Pet {}
        };
        let extras = extras(
            &["Eq", "std::hash::Hash", "std::clone::Clone"],
            &["#[non_exhaustive]"],
            &[("name", "#[doc = \"The name.\"]")],
        );
        let code = apply(Some(&extras), declaration).to_string();
        assert!(code.contains("# [derive (Eq , std :: hash :: Hash)]"), "{code}");
        assert!(code.contains("# [non_exhaustive]"), "{code}");
        assert!(code.contains("# [doc = \"The name.\"] pub name"), "{code}");
        assert!(code.contains("impl Pet"), "{code}");
    }

    #[test]
    fn nothing_to_add_keeps_the_declaration() {
        let declaration = quote! { pub enum A { B } };
        assert_eq!(apply(None, declaration.clone()).to_string(), declaration.to_string());
    }
}
