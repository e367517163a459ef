//! The order of untagged union variants. serde tries them in order and keeps
//! the first that reads the value; since structs ignore fields they do not
//! know, a variant that asks for less would swallow values meant for a
//! richer one and drop their extra fields. So variants that require more
//! fields come first, then those that know more fields; the spec's order
//! breaks ties.

use super::types::*;

pub fn order_untagged_variants(space: &mut TypeSpace) {
    for index in 0..space.entries.len() {
        let TypeKind::Union(union) = &space.entries[index].kind else { continue };
        if union.tag.is_some() {
            continue;
        }
        let keys: Vec<(usize, usize)> = union.variants.iter().map(|variant| demands(space, &variant.ty, 0)).collect();
        let mut order: Vec<usize> = (0..keys.len()).collect();
        // Stable: equal demands keep the spec's order.
        order.sort_by_key(|&position| std::cmp::Reverse(keys[position]));
        if let TypeKind::Union(union) = &mut space.entries[index].kind {
            let mut variants: Vec<Option<UnionVariant>> = std::mem::take(&mut union.variants).into_iter().map(Some).collect();
            union.variants = order.into_iter().filter_map(|position| variants[position].take()).collect();
        }
    }
}

/// How much a variant asks of a value: (required fields, known fields) of a
/// struct; for a nested union, the most any of its variants asks.
fn demands(space: &TypeSpace, ty: &TypeRef, depth: usize) -> (usize, usize) {
    // Unions may nest themselves; a few levels tell enough.
    if depth > 4 {
        return (0, 0);
    }
    let ty = match ty {
        TypeRef::Boxed(inner) => inner.as_ref(),
        other => other,
    };
    match space.resolve(ty) {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => (s.fields.iter().filter(|f| f.required && !f.ty.is_option()).count(), s.fields.len()),
            TypeKind::Newtype(inner) => demands(space, inner, depth + 1),
            TypeKind::Union(union) => union.variants.iter().map(|v| demands(space, &v.ty, depth + 1)).max().unwrap_or((0, 0)),
            _ => (0, 0),
        },
        _ => (0, 0),
    }
}
