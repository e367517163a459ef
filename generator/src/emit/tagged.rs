//! The `Deserialize` of a tagged union: the runtime's `de::tagged` buffers
//! the object and finds its tag, and the generated `Tagged` impl picks the
//! variant that reads the buffered members. serde's internally tagged enums
//! cannot be used: they remove the tag before the variant's struct, which
//! declares the tag as a field of its own, reads the object.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::models::ident;
use crate::ir::UnionVariant;

/// `Deserialize` and the runtime's `Tagged` for the union `name`, whose
/// `variants` the member `tag` names; `runtime` is the runtime's path.
pub fn tagged_deserialize(name: &Ident, tag: &str, variants: &[UnionVariant], runtime: &TokenStream) -> TokenStream {
    let read_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let values = &v.tag_values;
        // A struct without the tag would keep it among its additional properties.
        let read = if v.tag_in_struct {
            quote! { variant.read() }
        } else {
            quote! { variant.read_without_tag() }
        };
        quote! { #(#values)|* => #read.map(Self::#variant), }
    });
    let expected =
        variants.iter().flat_map(|v| v.tag_values.iter()).map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #runtime::de::tagged(deserializer)
            }
        }

        impl<'de> #runtime::de::Tagged<'de> for #name {
            const TAG: &'static str = #tag;
            const EXPECTED: &'static str = #expected;

            fn read_variant<E: serde::de::Error>(variant: #runtime::de::Variant<'de, E>) -> Result<Self, E> {
                match variant.tag() {
                    #(#read_arms)*
                    _ => Err(variant.unknown()),
                }
            }
        }
    }
}
