//! The `types` module: one Rust declaration per named type of the model.

use std::collections::HashMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use super::constants::{constant_declaration, is_constant};
use super::construct::{self, StringConversions};
use super::deserialize::{
    enum_deserialize, reads_enum, reads_struct, struct_deserialize, unknown_fields_type, Missing,
};
use super::docs::{describe, doc_attrs};
use crate::format::{List, Piece};
use crate::ir::names::ADDITIONAL_PROPERTIES_FIELD;
use crate::ir::unions::{known_properties, property_tables};
use crate::ir::*;

/// An identifier from a name the IR already made valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust spelling of a type use. `path` is how the `types` module is reached from where it is used.
pub fn type_tokens(space: &TypeSpace, ty: &TypeRef, path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).name);
            quote! { #path #name }
        }
        TypeRef::String => quote! { String },
        TypeRef::Boolean => quote! { bool },
        TypeRef::Integer(IntegerType::I32) => quote! { i32 },
        TypeRef::Integer(IntegerType::I64) => quote! { i64 },
        TypeRef::Integer(IntegerType::U32) => quote! { u32 },
        TypeRef::Integer(IntegerType::U64) => quote! { u64 },
        TypeRef::Float(FloatType::F32) => quote! { f32 },
        TypeRef::Float(FloatType::F64) => quote! { f64 },
        TypeRef::Bytes => quote! { Vec<u8> },
        TypeRef::Base64 => quote! { #path Base64Bytes },
        TypeRef::Any => quote! { serde_json::Value },
        TypeRef::External(rust) => super::customize::external_type(rust),
        TypeRef::Array(item) => {
            let item = type_tokens(space, item, path);
            quote! { Vec<#item> }
        }
        // A free-form object is a `Value`, as async-openai types a tool's
        // `parameters`: `json!({...})` is then the value itself, where a map
        // would take `serde_json::from_value(..)?` (serde_json has no
        // infallible conversion from `Value` to a map). The IR keeps it an
        // object, so unions still tell it apart from other JSON kinds.
        TypeRef::Map(value) if **value == TypeRef::Any => quote! { serde_json::Value },
        TypeRef::Map(value) => {
            let value = type_tokens(space, value, path);
            quote! { std::collections::BTreeMap<String, #value> }
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| type_tokens(space, item, path));
            quote! { ( #(#items,)* ) }
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(space, inner, path);
            quote! { Option<#inner> }
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(space, inner, path);
            quote! { Box<#inner> }
        }
    }
}

/// The `types` module with every declaration, in pieces: each type's
/// declaration is built only when the one before it has been printed.
/// `gate` gives the `cfg` attribute of each type (empty when nothing is
/// gated). `base64` re-exports [`TypeRef::Base64`]'s type from the runtime
/// (its `base64` feature). `extras` are the user's derives and attributes by type name.
/// `built` says which types get constructors, setters and conversions (see
/// [`Construction`]). `runtime` is the path of the runtime, whose `de` module
/// has the readers.
pub fn emit_types<'m>(
    space: &'m TypeSpace,
    base64: bool,
    extras: &'m HashMap<String, TypeExtras>,
    built: Construction,
    runtime: TokenStream,
    gate: impl Fn(&[&TypeEntry]) -> TokenStream + 'm,
) -> impl Iterator<Item = Piece<'m>> + 'm {
    let strings = StringConversions::new(space, &|entry| built.builds(entry));
    let twins = super::twins::by_target(crate::ir::twins::conversions(space));
    // Untagged unions compare objects against the property tables of their variants.
    let has_untagged = space.entries.iter().any(|e| matches!(&e.kind, TypeKind::Union(u) if u.tag.is_none()));
    let known_tables = has_untagged.then(|| known_tables(space, &runtime));
    // Not gated by features: operations may use it with no named type around it.
    let base64_type = base64.then(|| quote! { pub use #runtime::Base64Bytes; });
    // Aliases derive nothing; a module of aliases only (or of none) would not use serde's traits.
    let derivers: Vec<&TypeEntry> = space
        .entries
        .iter()
        .filter(|e| !matches!(e.kind, TypeKind::Alias(_) | TypeKind::Pending | TypeKind::Replaced))
        .collect();
    let serde_gate = gate(&derivers);
    let serde_use = (!derivers.is_empty()).then(|| quote! { #serde_gate use serde::{Deserialize, Serialize}; });
    let header = quote! {
        /// Data types of the API: request and response bodies and their parts.
        // Unions of large and small structs and enums of API names are what the
        // spec says; boxing them or renaming variants would hide that.
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        pub mod types
    };
    let parts = space.entries.iter().enumerate().flat_map(|(index, entry)| Part::ALL.map(|part| (index, entry, part)));
    let declarations = parts.flat_map(move |(index, entry, part)| {
        let extra = extras.get(&entry.name);
        let items = match part {
            Part::Twins => {
                let twin_conversions = twins.get(&TypeId(index)).map_or(&[][..], Vec::as_slice);
                super::twins::from_impls(space, twin_conversions, &gate)
            }
            _ => declaration(space, &strings, entry, extra, built.builds(entry), &runtime, part),
        };
        let type_gate = gate(&[entry]);
        let list = list_item(entry, extra, part).map(|list| {
            let type_gate = type_gate.clone();
            Piece::List(list.map_item(move |item| finish(part, extra, item, &type_gate)))
        });
        let items = (!items.is_empty()).then(|| Piece::Items(finish(part, extra, items, &type_gate)));
        list.into_iter().chain(items)
    });
    let helpers = quote! { #known_tables #base64_type };
    [Piece::Open { header, inner: TokenStream::new() }, Piece::Items(serde_use.unwrap_or_default())]
        .into_iter()
        .chain(declarations)
        .chain([Piece::Items(helpers), Piece::Close])
}

/// The `known` module: one table a type that untagged unions read, named
/// after it, with the object properties the type knows itself and the tables
/// of the types it reads through. Unions point at their variants' tables, so
/// each name is written once however many unions reach the type.
fn known_tables(space: &TypeSpace, runtime: &TokenStream) -> TokenStream {
    let tables: Vec<TokenStream> = property_tables(space)
        .into_iter()
        .map(|id| {
            let (names, parts) = known_properties(space, id);
            let table = ident(&space.get(id).name);
            let parts = parts.into_iter().map(|part| ident(&space.get(part).name));
            quote! { pub static #table: Properties = Properties { names: &[#(#names),*], parts: &[#(&#parts),*] }; }
        })
        .collect();
    // Unions of scalars only read no object: no table, no module.
    if tables.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// The object properties of the types untagged unions read, a table a type.
        // Tables are plain data, not gated: features that leave out every
        // union reaching a table leave it unread.
        #[allow(dead_code, non_upper_case_globals)]
        mod known {
            use #runtime::de::Properties;

            #(#tables)*
        }
    }
}

/// A part's items with the user's extras on the type (the first item of
/// [`Part::Type`]) and the type's `gate` on each item.
fn finish(part: Part, extras: Option<&TypeExtras>, items: TokenStream, gate: &TokenStream) -> TokenStream {
    let items = match part {
        Part::Type => super::customize::apply(extras, items),
        _ => items,
    };
    gate_items(items, gate)
}

/// Puts `gate` on each item of a declaration (a type and its impls).
fn gate_items(items: TokenStream, gate: &TokenStream) -> TokenStream {
    if gate.is_empty() {
        return items;
    }
    // The declarations are built above from valid items; if they did not
    // parse, the formatter would report it as an internal error anyway.
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => file.items.iter().map(|item| quote! { #gate #item }).collect(),
        Err(_) => items,
    }
}

/// The parts of a type's declaration, in the order of the text. Each is its
/// own piece, built when drawn, so only one part's tokens are alive at once;
/// an enum spells its values in its type, its `as_str` and its `From<&str>`,
/// each an item whose list is built a chunk at a time ([`list_item`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The type itself, with the user's extras.
    Type,
    /// An enum's methods and trait impls that read or write its values.
    Methods,
    /// Constructors and `From` conversions ([`construct`]).
    Conversions,
    /// `From` conversions between a type and its twins.
    Twins,
}

impl Part {
    const ALL: [Part; 4] = [Part::Type, Part::Methods, Part::Conversions, Part::Twins];
}

/// The item of `part` with a list as long as the enum's values, built and
/// printed a chunk of them at a time ([`List`]) before the part's other items:
/// an enum of 100,000 values took about 40 MB of tokens an item.
fn list_item<'m>(entry: &'m TypeEntry, extras: Option<&TypeExtras>, part: Part) -> Option<List<'m>> {
    let TypeKind::Enum(e) = &entry.kind else { return None };
    // A constant is a unit struct with its own impls, all in its declaration.
    if e.constant().is_some() {
        return None;
    }
    let name = ident(&entry.name);
    match part {
        Part::Type => {
            Some(enum_declaration(name, doc_attrs(describe(&entry.docs).as_deref()), e, reads_enum(e, extras)))
        }
        Part::Methods => Some(enum_as_str(name, e)),
        Part::Conversions => construct::enum_from_str(name, e),
        Part::Twins => None,
    }
}

/// The `part` of a type's declaration but its [`list_item`] (empty if the
/// type has none; the twins are not built here).
fn declaration(
    space: &TypeSpace,
    strings: &StringConversions,
    entry: &TypeEntry,
    extras: Option<&TypeExtras>,
    built: bool,
    runtime: &TokenStream,
    part: Part,
) -> TokenStream {
    let name = ident(&entry.name);
    let docs = || doc_attrs(describe(&entry.docs).as_deref());
    let here = TokenStream::new();
    match (&entry.kind, part) {
        (TypeKind::Struct(s), Part::Type) => {
            struct_declaration(space, &name, docs(), s, reads_struct(s, extras), runtime)
        }
        (TypeKind::Struct(s), Part::Conversions) if built => construct::struct_construction(space, strings, &name, s),
        (TypeKind::Enum(e), Part::Type) => match e.constant() {
            Some(value) => constant_declaration(&name, docs(), value, runtime),
            None => TokenStream::new(),
        },
        (TypeKind::Enum(e), Part::Methods) if e.constant().is_none() => {
            enum_methods(&name, reads_enum(e, extras).then_some(runtime))
        }
        (TypeKind::Enum(e), Part::Conversions) if e.constant().is_none() => construct::enum_from_string(&name, e),
        (TypeKind::Union(u), Part::Type) => union_declaration(space, &name, docs(), u, runtime),
        (TypeKind::Union(u), Part::Conversions) if built => construct::union_conversions(space, strings, &name, u),
        (TypeKind::Alias(target), Part::Type) => {
            let target = type_tokens(space, target, &here);
            let docs = docs();
            quote! { #docs pub type #name = #target; }
        }
        (TypeKind::Newtype(target), Part::Type) => {
            let target = type_tokens(space, target, &here);
            let docs = docs();
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        // Every reserved entry is filled in by the converter; an empty one would be a bug, shown as `Value`.
        (TypeKind::Pending, Part::Type) => {
            let docs = docs();
            quote! { #docs pub type #name = serde_json::Value; }
        }
        _ => TokenStream::new(),
    }
}

/// Which types get constructors, setters and `From` conversions
/// ([`construct`]). They are a third of a large API's code and of its
/// compile time, and they serve building values: a client builds what it
/// sends, never what only responses carry, so a client alone leaves them
/// out of response-only types (received, not sent: `TypeEntry::received`,
/// `TypeEntry::sent`), which stay plain data with public fields. A server
/// builds its responses, and a types-only module may be used either way,
/// so there every type gets them; so does a type no operation reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construction {
    /// Every type.
    All,
    /// Every type but the response-only ones.
    Sent,
}

impl Construction {
    fn builds(self, entry: &TypeEntry) -> bool {
        self == Construction::All || entry.sent || !entry.received
    }
}

/// Whether a struct derives `Default`: each field is optional or a constant.
pub(super) fn derives_default(space: &TypeSpace, s: &Struct) -> bool {
    s.fields.iter().all(|f| f.ty.is_option() || is_constant(space, &f.ty))
}

/// `reader` is the runtime's path when the struct gets a generated `Deserialize` ([`reads_struct`]).
fn struct_declaration(
    space: &TypeSpace,
    name: &Ident,
    docs: TokenStream,
    s: &Struct,
    reads: bool,
    runtime: &TokenStream,
) -> TokenStream {
    let here = TokenStream::new();
    let default = if derives_default(space, s) {
        quote! { Default, }
    } else {
        TokenStream::new()
    };
    let fields = s.fields.iter().map(|field| {
        let field_ident = ident(&field.rust_name);
        let ty = type_tokens(space, &field.ty, &here);
        let docs = doc_attrs(describe(&field.docs).as_deref());
        let mut serde_args = Vec::new();
        if field.flatten {
            serde_args.push(quote! { flatten });
            if field.serialize_through_value {
                let path = format!("{}::de::through_value", runtime).replace(' ', "");
                serde_args.push(quote! { serialize_with = #path });
            }
        } else if field.rust_name != field.wire_name {
            let wire = &field.wire_name;
            serde_args.push(quote! { rename = #wire });
        }
        // `resolve` sees through aliases of nullable schemas (`Metadata = Option<..>`).
        if !field.required && space.resolve(&field.ty).is_option() {
            // Absent stays absent: an unset optional field is not sent as `null`.
            serde_args.push(quote! { default, skip_serializing_if = "Option::is_none" });
        }
        if default_value(space, field).is_some() {
            let function = format!("{name}::{}", default_function(field));
            serde_args.push(quote! { default = #function });
        }
        let serde = if serde_args.is_empty() {
            TokenStream::new()
        } else {
            quote! { #[serde(#(#serde_args),*)] }
        };
        quote! { #docs #serde pub #field_ident: #ty, }
    });
    // A required field with a spec default reads as that default when a server leaves it out.
    let default_functions: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|field| {
            let value = default_value(space, field)?;
            let function = ident(&default_function(field));
            let ty = type_tokens(space, &field.ty, &here);
            Some(quote! { fn #function() -> #ty { #value } })
        })
        .collect();
    let default_impl = (!default_functions.is_empty()).then(|| quote! { impl #name { #(#default_functions)* } });
    let (derive_deserialize, deserialize_impl) = if reads {
        let missing = |field: &Field| {
            if space.resolve(&field.ty).is_option() {
                Missing::None
            } else if default_value(space, field).is_some() {
                Missing::Default(ident(&default_function(field)))
            } else {
                Missing::Required
            }
        };
        (TokenStream::new(), struct_deserialize(name, s, &missing, runtime))
    } else {
        (quote! { , Deserialize }, TokenStream::new())
    };
    let additional = s.additional.as_ref().map(|value| {
        let ty = unknown_fields_type(value, type_tokens(space, value, &here), runtime);
        let field = ident(ADDITIONAL_PROPERTIES_FIELD);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub #field: #ty,
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize #derive_deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #default_impl
        #deserialize_impl
    }
}

pub(super) fn default_function(field: &Field) -> String {
    format!("default_{}", field.rust_name.trim_start_matches("r#"))
}

/// The spec's `default` of a required, non-nullable field as a Rust
/// expression, for the scalar and string-enum types it can be written for.
pub(super) fn default_value(space: &TypeSpace, field: &Field) -> Option<TokenStream> {
    if !field.required || field.flatten || field.ty.is_option() {
        return None;
    }
    let value = field.docs.default.as_ref()?;
    match (&field.ty, value) {
        (TypeRef::String, Value::String(text)) => Some(quote! { #text.to_string() }),
        (TypeRef::Boolean, Value::Bool(flag)) => Some(quote! { #flag }),
        (TypeRef::Integer(integer), Value::Number(number)) => {
            // A default the type cannot hold (`-1` for a `uint32`) is left to the docs.
            let n = number.as_i64().map(i128::from).or_else(|| number.as_u64().map(i128::from));
            let literal = proc_macro2::Literal::i128_unsuffixed(n.filter(|n| integer.holds(*n))?);
            Some(quote! { #literal })
        }
        (TypeRef::Float(_), Value::Number(number)) => number.as_f64().map(|n| {
            let literal = proc_macro2::Literal::f64_unsuffixed(n);
            quote! { #literal }
        }),
        (TypeRef::Named(id), Value::String(text)) => match &space.get(*id).kind {
            TypeKind::Enum(e) => {
                let enum_name = ident(&space.get(*id).name);
                if e.constant().is_some() {
                    return Some(quote! { #enum_name });
                }
                match (e.variants.iter().find(|v| &v.wire_value == text), &e.other_variant) {
                    (Some(variant), _) => {
                        let variant = ident(&variant.rust_name);
                        Some(quote! { #enum_name::#variant })
                    }
                    (None, Some(other)) => {
                        let other = ident(other);
                        Some(quote! { #enum_name::#other(#text.to_string()) })
                    }
                    (None, None) => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// `read_by_hand` when the enum gets a generated `Deserialize` ([`reads_enum`]), so derives none.
fn enum_declaration(name: Ident, docs: TokenStream, e: &StringEnum, read_by_hand: bool) -> List<'_> {
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { #[serde(rename = #wire)] #variant, }
    });
    let other_variant = e.other_variant.as_ref().map(|other| {
        let other = ident(other);
        quote! {
            /// A value this version of the spec does not list, kept as received.
            #[serde(untagged)]
            #other(String),
        }
    });
    let derive_deserialize = (!read_by_hand).then(|| quote! { , Deserialize });
    let item = move |variants: TokenStream| {
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize #derive_deserialize)]
            pub enum #name {
                #variants
            }
        }
    };
    List::new(item, variants.chain(other_variant))
}

/// An enum's `as_str`.
fn enum_as_str(name: Ident, e: &StringEnum) -> List<'_> {
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { Self::#variant => #wire, }
    });
    let other_arm = e.other_variant.as_ref().map(|other| {
        let other = ident(other);
        quote! { Self::#other(value) => value, }
    });
    let item = move |arms: TokenStream| {
        quote! {
            impl #name {
                /// The value as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #arms
                    }
                }
            }
        }
    };
    List::new(item, arms.chain(other_arm))
}

/// An enum's `Display`, and its reader if `reader` (the runtime's path) is given.
fn enum_methods(name: &Ident, reader: Option<&TokenStream>) -> TokenStream {
    let deserialize_impl = reader.map(|runtime| enum_deserialize(name, runtime));
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #deserialize_impl
    }
}

fn union_declaration(
    space: &TypeSpace,
    name: &Ident,
    docs: TokenStream,
    u: &Union,
    runtime: &TokenStream,
) -> TokenStream {
    let here = TokenStream::new();
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let variant = ident(&v.rust_name);
            let ty = type_tokens(space, &v.ty, &here);
            quote! { #variant(#ty), }
        })
        .collect();
    let Some(tag) = &u.tag else {
        let union_name = name.to_string();
        let readers = u.variants.iter().map(|v| {
            let variant = ident(&v.rust_name);
            let variant_name = &v.rust_name;
            let kind = v.json_kind;
            let known = match v.properties_of {
                Some(id) => {
                    let table = ident(&space.get(id).name);
                    quote! { Some(&known::#table) }
                }
                None => quote! { None },
            };
            // The variant's constructor tells `deserialize` which type to read.
            quote! { (#variant_name, #kind, #known, |value| Deserialize::deserialize(value).map(Self::#variant)), }
        });
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = serde_json::Value::deserialize(deserializer)?;
                    #runtime::de::read_untagged(#union_name, &value, &[#(#readers)*])
                }
            }
        };
    };
    let reader = super::tagged::tagged_deserialize(name, tag, &u.variants, runtime);
    let write_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        if v.tag_in_struct {
            quote! { Self::#variant(inner) => inner.serialize(serializer), }
        } else {
            let tag_value = v.tag_values.first().cloned().unwrap_or_default();
            quote! {
                Self::#variant(inner) => {
                    let mut value = serde_json::to_value(inner).map_err(serde::ser::Error::custom)?;
                    if let Some(object) = value.as_object_mut() {
                        object.insert(#tag.to_string(), serde_json::Value::String(#tag_value.to_string()));
                    }
                    value.serialize(serializer)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #reader

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#write_arms)*
                }
            }
        }
    }
}
