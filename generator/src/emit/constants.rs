//! Constants: a `const` (or an enum of one value) is a unit struct that
//! writes its value and reads nothing else, so a field of it (a union's tag,
//! most often) can never be given a wrong value and takes its `Default`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{TypeKind, TypeRef, TypeSpace};

/// Whether a use of a type is a constant, whose only value is its `Default`.
pub fn is_constant(space: &TypeSpace, ty: &TypeRef) -> bool {
    matches!(space.resolve(ty), TypeRef::Named(id) if matches!(&space.get(*id).kind, TypeKind::Enum(e) if e.constant().is_some()))
}

/// The declaration of a constant `name` whose wire value is `value`; it is
/// read by the runtime's one visitor of constants (`runtime` is its path).
pub fn constant_declaration(name: &Ident, docs: TokenStream, value: &str, runtime: &TokenStream) -> TokenStream {
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct #name;

        impl #name {
            /// The value as it appears on the wire, the only one there is.
            pub const VALUE: &str = #value;

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #runtime::de::constant(deserializer, Self::VALUE).map(|()| #name)
            }
        }
    }
}
