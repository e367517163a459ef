//! How untagged unions choose a variant. Decoding tries the variants that
//! read the value's JSON kind ([`UnionVariant::json_kind`]; the others could
//! only fail) in turn and keeps the first that reads it; since structs accept
//! properties they do not declare, a variant that asks for less would
//! swallow values meant for a richer one. So for an object, the variants that
//! declare more of its properties are tried first ([`UnionVariant::properties_of`]);
//! among equals, and for other values, the order set here: variants that
//! require more fields first, then those that know more fields, then the
//! spec's order.

use std::collections::BTreeSet;

use super::types::*;

/// How deep the walks below follow nested types: unions may nest themselves,
/// and a few levels tell enough.
const MAX_DEPTH: usize = 4;

pub fn order_untagged_variants(space: &mut TypeSpace) {
    for index in 0..space.entries.len() {
        let TypeKind::Union(union) = &space.entries[index].kind else { continue };
        if union.tag.is_some() {
            continue;
        }
        let facts: Vec<((usize, usize), Option<TypeId>, &'static str)> = union
            .variants
            .iter()
            .map(|variant| {
                (demands(space, &variant.ty, 0), properties_of(space, &variant.ty), json_kind(space, &variant.ty, 0))
            })
            .collect();
        let TypeKind::Union(union) = &mut space.entries[index].kind else { continue };
        let mut variants: Vec<((usize, usize), UnionVariant)> = std::mem::take(&mut union.variants)
            .into_iter()
            .zip(facts)
            .map(|(variant, (demand, properties_of, json_kind))| {
                (demand, UnionVariant { properties_of, json_kind, ..variant })
            })
            .collect();
        // Stable: equal demands keep the spec's order.
        variants.sort_by_key(|(demand, _)| std::cmp::Reverse(*demand));
        union.variants = variants.into_iter().map(|(_, variant)| variant).collect();
    }
}

/// The named type whose object properties a type knows: a struct, a union
/// or a newtype, seen through `Box`, `Option` and aliases.
pub fn properties_of(space: &TypeSpace, ty: &TypeRef) -> Option<TypeId> {
    let ty = match ty {
        TypeRef::Boxed(inner) | TypeRef::Option(inner) => inner.as_ref(),
        other => other,
    };
    let TypeRef::Named(id) = space.resolve(ty) else { return None };
    matches!(space.get(*id).kind, TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Newtype(_)).then_some(*id)
}

/// The object properties a type knows itself (sorted) and the types whose
/// properties it knows too: a struct's fields and its flattened parts, a
/// union's tag and its variants, a newtype's inner type. Kept apart, so that
/// each type's names are listed once however many unions reach it.
pub fn known_properties(space: &TypeSpace, id: TypeId) -> (BTreeSet<&str>, BTreeSet<TypeId>) {
    let mut names = BTreeSet::new();
    let mut parts = BTreeSet::new();
    match &space.get(id).kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                if field.flatten {
                    parts.extend(properties_of(space, &field.ty));
                } else {
                    names.insert(field.wire_name.as_str());
                }
            }
        }
        TypeKind::Union(union) => {
            names.extend(union.tag.as_deref());
            parts.extend(union.variants.iter().filter_map(|variant| properties_of(space, &variant.ty)));
        }
        TypeKind::Newtype(inner) => parts.extend(properties_of(space, inner)),
        TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::Pending | TypeKind::Replaced => {}
    }
    (names, parts)
}

/// The types whose [`known_properties`] untagged unions read: those their
/// variants reach, each once, in [`TypeId`] order.
pub fn property_tables(space: &TypeSpace) -> BTreeSet<TypeId> {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<TypeId> = space
        .entries
        .iter()
        .filter_map(|entry| match &entry.kind {
            TypeKind::Union(union) if union.tag.is_none() => Some(union),
            _ => None,
        })
        .flat_map(|union| union.variants.iter().filter_map(|variant| variant.properties_of))
        .collect();
    while let Some(id) = pending.pop() {
        if reached.insert(id) {
            pending.extend(known_properties(space, id).1);
        }
    }
    reached
}

/// The kind of JSON value a type reads, or `""` when it may read several.
fn json_kind(space: &TypeSpace, ty: &TypeRef, depth: usize) -> &'static str {
    if depth > MAX_DEPTH {
        return "";
    }
    match space.resolve(ty) {
        TypeRef::String | TypeRef::Base64 => "string",
        TypeRef::Boolean => "boolean",
        TypeRef::Integer(_) | TypeRef::Float(_) => "number",
        TypeRef::Array(_) | TypeRef::Tuple(_) | TypeRef::Bytes => "array",
        TypeRef::Map(_) => "object",
        TypeRef::Boxed(inner) => json_kind(space, inner, depth + 1),
        // `Option` reads `null` too.
        TypeRef::Any | TypeRef::Option(_) | TypeRef::External(_) => "",
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(_) => "object",
            TypeKind::Enum(_) => "string",
            TypeKind::Newtype(inner) => json_kind(space, inner, depth + 1),
            TypeKind::Union(union) => {
                let mut kinds = union.variants.iter().map(|variant| json_kind(space, &variant.ty, depth + 1));
                let first = kinds.next().unwrap_or("");
                if kinds.all(|kind| kind == first) {
                    first
                } else {
                    ""
                }
            }
            TypeKind::Alias(_) | TypeKind::Pending | TypeKind::Replaced => "",
        },
    }
}

/// How much a variant asks of a value: (required fields, known fields) of a
/// struct; for a nested union, the most any of its variants asks.
fn demands(space: &TypeSpace, ty: &TypeRef, depth: usize) -> (usize, usize) {
    if depth > MAX_DEPTH {
        return (0, 0);
    }
    let ty = match ty {
        TypeRef::Boxed(inner) => inner.as_ref(),
        other => other,
    };
    match space.resolve(ty) {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => {
                (s.fields.iter().filter(|f| f.required && !f.ty.is_option()).count(), s.fields.len())
            }
            TypeKind::Newtype(inner) => demands(space, inner, depth + 1),
            TypeKind::Union(union) => {
                union.variants.iter().map(|v| demands(space, &v.ty, depth + 1)).max().unwrap_or((0, 0))
            }
            _ => (0, 0),
        },
        _ => (0, 0),
    }
}
