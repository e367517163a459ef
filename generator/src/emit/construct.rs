//! Building values without struct literals: constructors, chainable setters
//! and `From` conversions, so a request reads like one of a hand-written SDK.
//!
//! - A struct gets `new(required…)`: optional fields start unset, unknown-field
//!   maps empty, a required field whose type holds one value only (a `const`)
//!   or that has a spec default starts with it. A struct with no parameter
//!   left gets `Default` instead. Each optional or defaulted field gets a
//!   setter (`.temperature(0.2)`) that wraps the value in `Some`/`Box` itself.
//! - Open enums convert from strings; a union converts from each variant's
//!   type that no other variant shares, and from a string into its string or
//!   open enum variant, else into its one variant that converts from a
//!   string; a struct whose only parameter converts from a string does
//!   too, so `SystemMessage::from("…").into()` makes a message.

use std::collections::{BTreeMap, HashSet};

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::constants::is_constant;
use super::docs::own_doc_attrs;
use super::models::{default_function, default_value, derives_default, ident, type_tokens};
use crate::format::List;
use crate::ir::names::{Namespace, ADDITIONAL_PROPERTIES_FIELD, ARRAY_LENGTH_PARAMETER};
use crate::ir::*;

/// Above this many parameters clippy's `too_many_arguments` fires.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// How a value given to a constructor or setter becomes a field's value.
struct Conversion {
    /// The parameter's type.
    parameter: TokenStream,
    /// Whether the field boxes the value.
    boxed: bool,
    /// Whether the parameter is `impl Into<..>`.
    into: bool,
}

impl Conversion {
    /// The field's value from the parameter `name`.
    fn value(&self, name: &Ident) -> TokenStream {
        let value = if self.into {
            quote! { #name.into() }
        } else {
            quote! { #name }
        };
        if self.boxed {
            quote! { Box::new(#value) }
        } else {
            value
        }
    }
}

/// Parameters take `impl Into<T>` except for numbers and booleans, where a
/// literal (`512`) would not know which type to be; a `Box` is made inside.
fn conversion(space: &TypeSpace, ty: &TypeRef) -> Conversion {
    let here = TokenStream::new();
    let (ty, boxed) = match ty {
        TypeRef::Boxed(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let spelled = type_tokens(space, ty, &here);
    let literal_typed = matches!(
        space.resolve(ty),
        TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Boolean | TypeRef::Tuple(_) | TypeRef::Option(_)
    );
    if literal_typed {
        Conversion { parameter: spelled, boxed, into: false }
    } else {
        Conversion { parameter: quote! { impl Into<#spelled> }, boxed, into: true }
    }
}

/// The value a required field starts with when `new` does not ask for it:
/// the only value of a constant (its `Default`), or the spec's default.
fn fixed_value(space: &TypeSpace, field: &Field) -> Option<TokenStream> {
    if is_constant(space, &field.ty) {
        return Some(quote! { Default::default() });
    }
    default_value(space, field).map(|_| {
        let function = ident(&default_function(field));
        quote! { Self::#function() }
    })
}

/// What `new` does with each field.
enum Start {
    Parameter,
    Fixed(TokenStream),
    Unset,
}

fn start(space: &TypeSpace, field: &Field) -> Start {
    if field.ty.is_option() {
        Start::Unset
    } else if let Some(value) = fixed_value(space, field) {
        Start::Fixed(value)
    } else {
        Start::Parameter
    }
}

/// The constructor (or `Default`), the setters and the string conversions of a struct.
pub fn struct_construction(space: &TypeSpace, strings: &StringConversions, name: &Ident, s: &Struct) -> TokenStream {
    let starts: Vec<Start> = s.fields.iter().map(|field| start(space, field)).collect();
    let parameters: Vec<(&Field, Conversion)> = s
        .fields
        .iter()
        .zip(&starts)
        .filter(|(_, start)| matches!(start, Start::Parameter))
        .map(|(field, _)| (field, conversion(space, &field.ty)))
        .collect();
    let initializers = s.fields.iter().zip(&starts).map(|(field, start)| {
        let field_ident = ident(&field.rust_name);
        let value = match start {
            Start::Parameter => {
                let conversion = conversion(space, &field.ty);
                if !conversion.into && !conversion.boxed {
                    return quote! { #field_ident, };
                }
                conversion.value(&field_ident)
            }
            Start::Fixed(value) => value.clone(),
            Start::Unset => quote! { None },
        };
        quote! { #field_ident: #value, }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = ident(ADDITIONAL_PROPERTIES_FIELD);
        quote! { #field: Default::default(), }
    });
    let body = quote! { Self { #(#initializers)* #additional } };
    let constructor = if derives_default(space, s) {
        // `Default` is derived beside the declaration.
        TokenStream::new()
    } else if parameters.is_empty() {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    #body
                }
            }
        }
    } else {
        let names = parameters.iter().map(|(field, _)| ident(&field.rust_name));
        let types = parameters.iter().map(|(_, conversion)| &conversion.parameter);
        // The spec requires each of them; a builder would move the check to run time.
        let allow = (parameters.len() > CLIPPY_MAX_ARGUMENTS).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        let docs = own_doc_attrs("A value with the required fields; the optional ones are unset.");
        quote! {
            impl #name {
                #docs
                #allow
                pub fn new(#(#names: #types),*) -> Self {
                    #body
                }
            }
        }
    };
    let setters = setters(space, name, s, &starts);
    let from_string = strings.string_parameter(space, s).map(|_| {
        quote! {
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::new(value)
                }
            }

            impl From<String> for #name {
                fn from(value: String) -> Self {
                    Self::new(value)
                }
            }
        }
    });
    quote! { #constructor #setters #from_string }
}

/// A setter per optional field and per field `new` fills with a spec default.
fn setters(space: &TypeSpace, name: &Ident, s: &Struct, starts: &[Start]) -> TokenStream {
    let associated: Vec<String> =
        s.fields.iter().filter(|field| default_value(space, field).is_some()).map(default_function).collect();
    let mut names = Namespace::struct_setters(&associated);
    let setters: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(starts)
        .filter_map(|(field, start)| {
            let (conversion, wrap) = match (start, &field.ty) {
                (Start::Unset, TypeRef::Option(inner)) => (conversion(space, inner), true),
                // A one-value enum has nothing to set.
                (Start::Fixed(_), ty) if default_value(space, field).is_some() => (conversion(space, ty), false),
                _ => return None,
            };
            let setter = ident(&names.claim_setter(&field.rust_name));
            let field_ident = ident(&field.rust_name);
            let parameter = &conversion.parameter;
            let value = conversion.value(&ident("value"));
            let value = if wrap {
                quote! { Some(#value) }
            } else {
                value
            };
            Some(quote! {
                pub fn #setter(mut self, value: #parameter) -> Self {
                    self.#field_ident = #value;
                    self
                }
            })
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    let docs = own_doc_attrs("Setters of the fields `new` leaves unset or at their default, to chain after it.");
    quote! {
        #docs
        impl #name {
            #(#setters)*
        }
    }
}

/// Which named types the generated code lets callers make from `&str` and
/// `String`: open enums, unions with a variant that is a string or an open
/// enum or else exactly one variant that converts (of a `SystemMessage` and a
/// `UserMessage`, a string would be neither), and structs whose constructor's
/// one parameter converts.
///
/// Structs and unions may hold each other in cycles, and "exactly one" does
/// not grow with the set, so it is found in two passes: the types that could
/// convert at all (any variant that converts will do), then, until nothing
/// changes, those removed that break the rule against what is left. What is
/// left only shrinks, so a union's one converting variant never disappears
/// from under it unnoticed.
pub struct StringConversions {
    types: HashSet<TypeId>,
}

impl StringConversions {
    /// `built` says which types get their constructions (enums get theirs always).
    pub fn new(space: &TypeSpace, built: &dyn Fn(&TypeEntry) -> bool) -> Self {
        let ids = || (0..space.entries.len()).map(TypeId);
        let mut conversions = StringConversions { types: HashSet::new() };
        // A struct or union without its constructions has no `From<&str>` to go through.
        let emitted = |id: &TypeId| matches!(space.get(*id).kind, TypeKind::Enum(_)) || built(space.get(*id));
        loop {
            let found: Vec<TypeId> = ids()
                .filter(|id| emitted(id) && !conversions.types.contains(id) && conversions.qualifies(space, *id, false))
                .collect();
            if found.is_empty() {
                break;
            }
            conversions.types.extend(found);
        }
        loop {
            let broken: Vec<TypeId> =
                ids().filter(|id| conversions.types.contains(id) && !conversions.qualifies(space, *id, true)).collect();
            if broken.is_empty() {
                return conversions;
            }
            broken.iter().for_each(|id| {
                conversions.types.remove(id);
            });
        }
    }

    /// Whether a type converts from strings, given the types in the set do;
    /// `strict` asks a union without a string-like variant for exactly one that converts.
    fn qualifies(&self, space: &TypeSpace, id: TypeId, strict: bool) -> bool {
        match &space.get(id).kind {
            TypeKind::Enum(e) => e.other_variant.is_some(),
            TypeKind::Union(u) if strict => self.string_variant(space, u).is_some(),
            TypeKind::Union(u) => u.variants.iter().any(|v| self.converts(space, &v.ty)),
            TypeKind::Struct(s) => self.string_parameter(space, s).is_some(),
            TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Replaced | TypeKind::Pending => false,
        }
    }

    /// Whether a value of `ty` can be made from `&str` and `String`.
    fn converts(&self, space: &TypeSpace, ty: &TypeRef) -> bool {
        match space.resolve(ty) {
            TypeRef::String => true,
            TypeRef::Boxed(inner) => self.converts(space, inner),
            TypeRef::Named(id) => self.types.contains(id),
            _ => false,
        }
    }

    /// The variant a string becomes: the first that is a string or an open
    /// enum, else the only one that converts from a string.
    fn string_variant<'a>(&self, space: &TypeSpace, u: &'a Union) -> Option<&'a UnionVariant> {
        let direct = |v: &&UnionVariant| match space.resolve(&v.ty) {
            TypeRef::String => true,
            TypeRef::Named(id) => matches!(&space.get(*id).kind, TypeKind::Enum(e) if e.other_variant.is_some()),
            _ => false,
        };
        u.variants.iter().find(direct).or_else(|| {
            let mut converting = u.variants.iter().filter(|v| self.converts(space, &v.ty));
            match (converting.next(), converting.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })
    }

    /// The one parameter of a struct's constructor, if it has one and it converts from a string.
    fn string_parameter<'a>(&self, space: &TypeSpace, s: &'a Struct) -> Option<&'a Field> {
        let mut parameters = s.fields.iter().filter(|field| matches!(start(space, field), Start::Parameter));
        match (parameters.next(), parameters.next()) {
            (Some(field), None) if conversion(space, &field.ty).into && self.converts(space, &field.ty) => Some(field),
            _ => None,
        }
    }
}

/// `From<&str>` for an open enum: listed values become their variant (a
/// [`List`] of arms, one a value).
pub fn enum_from_str(name: Ident, e: &StringEnum) -> Option<List<'_>> {
    let other = ident(e.other_variant.as_ref()?);
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { #wire => Self::#variant, }
    });
    let item = move |arms: TokenStream| {
        let read = if arms.is_empty() {
            quote! { Self::#other(value.to_string()) }
        } else {
            quote! {
                match value {
                    #arms
                    other => Self::#other(other.to_string()),
                }
            }
        };
        quote! {
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    #read
                }
            }
        }
    };
    Some(List::new(item, arms))
}

/// `From<String>` for an enum with a variant for other values, through [`enum_from_str`].
pub fn enum_from_string(name: &Ident, e: &StringEnum) -> TokenStream {
    let Some(other) = &e.other_variant else { return TokenStream::new() };
    let other = ident(other);
    quote! {
        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#other(_) => Self::#other(value),
                    listed => listed,
                }
            }
        }
    }
}

/// `From` each variant's type for a union (those two variants share are left
/// out, as is the union itself), and from strings through its string variant.
pub fn union_conversions(space: &TypeSpace, strings: &StringConversions, name: &Ident, u: &Union) -> TokenStream {
    let here = TokenStream::new();
    let own = name.to_string();
    let source_of = |v: &UnionVariant| {
        let unboxed = match &v.ty {
            TypeRef::Boxed(inner) => inner.as_ref(),
            other => other,
        };
        type_tokens(space, &canonical(space, unboxed, 0), &here).to_string()
    };
    let mut sharing: BTreeMap<String, usize> = BTreeMap::new();
    for variant in &u.variants {
        *sharing.entry(source_of(variant)).or_default() += 1;
    }
    // (source type with aliases seen through, as spelled, the variant it makes, whether the value needs `.into()`).
    let mut sources: Vec<(String, TokenStream, &UnionVariant, bool)> = Vec::new();
    for variant in &u.variants {
        let source = source_of(variant);
        if sharing[&source] > 1 || source == own {
            continue;
        }
        let unboxed = match &variant.ty {
            TypeRef::Boxed(inner) => inner.as_ref(),
            other => other,
        };
        sources.push((source, type_tokens(space, unboxed, &here), variant, false));
    }
    if let Some(variant) = strings.string_variant(space, u) {
        for spelled in [quote! { &str }, quote! { String }] {
            let source = spelled.to_string();
            // `From<Word>` with `type Word = String` is `From<String>` already.
            if !sources.iter().any(|(taken, ..)| *taken == source) {
                // A `String` into a variant that is one (through an alias) needs no conversion.
                let into = source != source_of(variant);
                sources.push((source, spelled, variant, into));
            }
        }
    }
    let arrays: TokenStream =
        sources.iter().map(|(_, _, variant, _)| array_conversions(space, name, variant)).collect();
    let conversions: TokenStream = sources
        .into_iter()
        .map(|(_, spelled, variant, into)| {
            let variant_ident = ident(&variant.rust_name);
            let value = Conversion { into, ..conversion(space, &variant.ty) }.value(&ident("value"));
            quote! {
                impl From<#spelled> for #name {
                    fn from(value: #spelled) -> Self {
                        Self::#variant_ident(#value)
                    }
                }
            }
        })
        .collect();
    quote! { #conversions #arrays }
}

/// For a variant that is an array, which already converts from its `Vec`:
/// `From<[T; N]>`, and for an array of strings `From<[&str; N]>`, so a list
/// is written as a literal (`["a", "b"]`) as a hand-written SDK takes it.
/// Each is unique among the union's conversions as the `Vec` it mirrors is.
fn array_conversions(space: &TypeSpace, name: &Ident, variant: &UnionVariant) -> TokenStream {
    let TypeRef::Array(item) = space.resolve(&variant.ty) else { return TokenStream::new() };
    let variant_ident = ident(&variant.rust_name);
    let item_type = type_tokens(space, item, &TokenStream::new());
    // A schema named `N` is `NType` (ir/names.rs), so the item type never means the length.
    let length = ident(ARRAY_LENGTH_PARAMETER);
    let strings = matches!(space.resolve(item), TypeRef::String).then(|| {
        quote! {
            impl<const #length: usize> From<[&str; #length]> for #name {
                fn from(value: [&str; #length]) -> Self {
                    Self::#variant_ident(value.into_iter().map(Into::into).collect())
                }
            }
        }
    });
    quote! {
        impl<const #length: usize> From<[#item_type; #length]> for #name {
            fn from(value: [#item_type; #length]) -> Self {
                Self::#variant_ident(value.into())
            }
        }

        #strings
    }
}

/// `ty` with every alias replaced by what it stands for: two variants whose
/// types differ only by aliases are one type to the compiler.
fn canonical(space: &TypeSpace, ty: &TypeRef, depth: usize) -> TypeRef {
    let ty = space.resolve(ty);
    // Aliases never refer to themselves (those become newtypes), so this ends; the bound is a guard.
    if depth > space.entries.len() {
        return ty.clone();
    }
    let inner = |inner: &TypeRef| Box::new(canonical(space, inner, depth + 1));
    match ty {
        TypeRef::Array(item) => TypeRef::Array(inner(item)),
        TypeRef::Map(value) => TypeRef::Map(inner(value)),
        TypeRef::Option(value) => TypeRef::Option(inner(value)),
        TypeRef::Boxed(value) => TypeRef::Boxed(inner(value)),
        TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(|item| canonical(space, item, depth + 1)).collect()),
        other => other.clone(),
    }
}
