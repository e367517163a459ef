//! FastAPI's twins: with separate input and output schemas (its default in
//! Pydantic 2), a model whose two forms differ comes out as `X-Input` and
//! `X-Output`, and so does every model that contains one, even where the two
//! then say the same. Twins that differ only by name and documentation are
//! one type: the input becomes an alias of the output, so a value the server
//! returned can be sent back as it is.

use std::collections::{BTreeSet, HashMap};

use super::types::*;

const SCHEMAS: &str = "#/components/schemas/";
const INPUT_SUFFIX: &str = "-Input";
const OUTPUT_SUFFIX: &str = "-Output";

/// Makes each `X-Input` (and each inline type within it) that has the same
/// shape as its `X-Output` an alias of it. Twins may hold each other (a
/// recursive model), so all pairs are assumed equal first and those that
/// differ are dropped until none does.
pub fn merge_twins(space: &mut TypeSpace) {
    let by_pointer: HashMap<&str, TypeId> =
        space.entries.iter().enumerate().map(|(index, entry)| (entry.pointer.as_str(), TypeId(index))).collect();
    let mut pairs: BTreeSet<(TypeId, TypeId)> = space
        .entries
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let output = output_pointer(&entry.pointer)?;
            by_pointer.get(output.as_str()).map(|output| (TypeId(index), *output))
        })
        .collect();
    loop {
        let differing: Vec<(TypeId, TypeId)> = pairs
            .iter()
            .filter(|(input, output)| !same_kind(&space.get(*input).kind, &space.get(*output).kind, &pairs))
            .copied()
            .collect();
        if differing.is_empty() {
            break;
        }
        for pair in differing {
            pairs.remove(&pair);
        }
    }
    for (input, output) in pairs {
        space.entries[input.0].kind = TypeKind::Alias(TypeRef::Named(output));
    }
}

/// `#/components/schemas/X-Input/properties/a` -> `#/components/schemas/X-Output/properties/a`.
fn output_pointer(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix(SCHEMAS)?;
    let (name, inside) = rest.split_once('/').map_or((rest, ""), |(name, inside)| (name, inside));
    let base = name.strip_suffix(INPUT_SUFFIX).filter(|base| !base.is_empty())?;
    let separator = if inside.is_empty() { "" } else { "/" };
    Some(format!("{SCHEMAS}{base}{OUTPUT_SUFFIX}{separator}{inside}"))
}

/// Whether two declarations have the same shape, twins in `pairs` counting as the same type.
fn same_kind(input: &TypeKind, output: &TypeKind, pairs: &BTreeSet<(TypeId, TypeId)>) -> bool {
    let same = |a: &TypeRef, b: &TypeRef| same_ref(a, b, pairs);
    match (input, output) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            a.closed == b.closed
                && a.fields.len() == b.fields.len()
                && a.fields.iter().zip(&b.fields).all(|(a, b)| {
                    a.wire_name == b.wire_name
                        && a.rust_name == b.rust_name
                        && a.required == b.required
                        && a.nullable == b.nullable
                        && a.flatten == b.flatten
                        && same(&a.ty, &b.ty)
                })
                && match (&a.additional, &b.additional) {
                    (Some(a), Some(b)) => same(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                }
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => a == b,
        // Variant names come from the twins' names; the alias takes the output's.
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            a.tag == b.tag
                && a.variants.len() == b.variants.len()
                && a.variants.iter().zip(&b.variants).all(|(a, b)| {
                    a.tag_values == b.tag_values && a.tag_in_struct == b.tag_in_struct && same(&a.ty, &b.ty)
                })
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) | (TypeKind::Newtype(a), TypeKind::Newtype(b)) => same(a, b),
        _ => false,
    }
}

fn same_ref(input: &TypeRef, output: &TypeRef, pairs: &BTreeSet<(TypeId, TypeId)>) -> bool {
    match (input, output) {
        (TypeRef::Named(a), TypeRef::Named(b)) => a == b || pairs.contains(&(*a, *b)),
        (TypeRef::Array(a), TypeRef::Array(b))
        | (TypeRef::Map(a), TypeRef::Map(b))
        | (TypeRef::Option(a), TypeRef::Option(b))
        | (TypeRef::Boxed(a), TypeRef::Boxed(b)) => same_ref(a, b, pairs),
        (TypeRef::Tuple(a), TypeRef::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_ref(a, b, pairs))
        }
        (a, b) => a == b,
    }
}

/// How a field of a twin is filled when one twin becomes the other.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSource {
    /// The other twin's field of the same wire name, as it is.
    Same(String),
    /// The other twin's required field, into this optional one.
    Some(String),
    /// The other twin has no such field; this optional one is left unset.
    Unset,
}

/// `From<from> for to` between twins that differ (those that do not are one
/// type): each field of `to`, in order, with where its value comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct TwinConversion {
    pub from: TypeId,
    pub to: TypeId,
    pub fields: Vec<FieldSource>,
    /// Whether `from`'s unknown properties become `to`'s (else `to`'s start empty, if it keeps any).
    pub moves_additional: bool,
}

/// The conversions between differing `X-Input`/`X-Output` structs that
/// always succeed, in each direction that has one: every field of the target
/// is a field of the source with the same type (a required one may fill an
/// optional one), or optional and left unset. Fields only the source has
/// are dropped (an output's `id` when sending it back). Nested twins that
/// differ are not converted into each other, so a struct holding one has no
/// conversion. Run on the final type space: names and ids no longer change.
pub fn conversions(space: &TypeSpace) -> Vec<TwinConversion> {
    let by_pointer: HashMap<&str, TypeId> =
        space.entries.iter().enumerate().map(|(index, entry)| (entry.pointer.as_str(), TypeId(index))).collect();
    let mut found = Vec::new();
    for (index, entry) in space.entries.iter().enumerate() {
        let Some(output) = output_pointer(&entry.pointer).and_then(|pointer| by_pointer.get(pointer.as_str()).copied())
        else {
            continue;
        };
        let input = TypeId(index);
        for (from, to) in [(input, output), (output, input)] {
            if let Some(conversion) = conversion(space, from, to) {
                found.push(conversion);
            }
        }
    }
    found
}

fn conversion(space: &TypeSpace, from: TypeId, to: TypeId) -> Option<TwinConversion> {
    let (TypeKind::Struct(source), TypeKind::Struct(target)) = (&space.get(from).kind, &space.get(to).kind) else {
        return None;
    };
    let same = |a: &TypeRef, b: &TypeRef| same_resolved(space, a, b, 0);
    let fields = target
        .fields
        .iter()
        .map(|field| {
            let other = source.fields.iter().find(|other| other.wire_name == field.wire_name && !other.flatten);
            match (other, &field.ty) {
                (Some(other), ty) if !field.flatten && same(&other.ty, ty) => {
                    Some(FieldSource::Same(other.rust_name.clone()))
                }
                (Some(other), TypeRef::Option(inner)) if same(&other.ty, inner) => {
                    Some(FieldSource::Some(other.rust_name.clone()))
                }
                (None, TypeRef::Option(_)) => Some(FieldSource::Unset),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()?;
    // Unknown properties go along where both keep them alike; else the target's start empty.
    let moves_additional = match (&source.additional, &target.additional) {
        (Some(a), Some(b)) if same(a, b) => true,
        (Some(_), Some(_)) => return None,
        _ => false,
    };
    Some(TwinConversion { from, to, fields, moves_additional })
}

/// Whether two uses are one Rust type: aliases (merged twins among them) are seen through.
fn same_resolved(space: &TypeSpace, a: &TypeRef, b: &TypeRef, depth: usize) -> bool {
    let (a, b) = (space.resolve(a), space.resolve(b));
    // Aliases do not refer to themselves, so this ends; the bound is a guard.
    if depth > space.entries.len() {
        return false;
    }
    let same = |a: &TypeRef, b: &TypeRef| same_resolved(space, a, b, depth + 1);
    match (a, b) {
        (TypeRef::Array(a), TypeRef::Array(b))
        | (TypeRef::Map(a), TypeRef::Map(b))
        | (TypeRef::Option(a), TypeRef::Option(b))
        | (TypeRef::Boxed(a), TypeRef::Boxed(b)) => same(a, b),
        (TypeRef::Tuple(a), TypeRef::Tuple(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_pointer_has_its_output_twin() {
        assert_eq!(output_pointer("#/components/schemas/A-Input").as_deref(), Some("#/components/schemas/A-Output"));
        assert_eq!(
            output_pointer("#/components/schemas/A-Input/properties/b").as_deref(),
            Some("#/components/schemas/A-Output/properties/b")
        );
        assert_eq!(output_pointer("#/components/schemas/-Input"), None);
        assert_eq!(output_pointer("#/components/schemas/A-Output"), None);
        assert_eq!(output_pointer("#/paths/~1a-Input"), None);
    }
}
