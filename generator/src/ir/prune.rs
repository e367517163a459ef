//! Pruning: when operations are selected (`--tag`, `--operation`), only the
//! types they reach are kept, so `--tag Uploads` of a large spec is a small module.
//!
//! Kept types stay in their original order and keep their names (names are
//! chosen over the whole document, so they do not depend on the selection);
//! only their [`TypeId`]s are renumbered, in the types and in the operations.

use std::collections::BTreeSet;

use super::operations::{BodyKind, Operation, ResponseBody};
use super::types::*;

/// Drops every type that no operation reaches, directly or through other
/// types: those [`record_usage`] found no feature for (every operation has
/// one, `untagged` at least), so it runs first.
pub fn prune(space: &mut TypeSpace, operations: &mut [Operation]) {
    let reachable: Vec<bool> = space.entries.iter().map(|entry| !entry.features.is_empty()).collect();

    // The new id of each kept type: how many kept types come before it.
    let mut new_ids = Vec::with_capacity(reachable.len());
    let mut kept = 0;
    for &keep in &reachable {
        new_ids.push(TypeId(kept));
        kept += usize::from(keep);
    }
    let mut index = 0;
    space.entries.retain(|_| {
        index += 1;
        reachable[index - 1]
    });
    let mut renumber = |id: &mut TypeId| *id = new_ids[id.0];
    for ty in space.entries.iter_mut().flat_map(|entry| kind_type_refs(&mut entry.kind)) {
        for_each_id(ty, &mut renumber);
    }
    for operation in operations.iter_mut() {
        let (request, response) = operation_type_refs(operation);
        for ty in request.into_iter().chain(response) {
            for_each_id(ty, &mut renumber);
        }
    }
}

/// Records in each type the features of the operations that reach it
/// (`TypeEntry::features`), so that a crate compiles a type only with them,
/// and whether responses reach it (`received`) and requests (`sent`). Returns the features of all
/// operations, sorted, which `TypeEntry::features` indexes.
///
/// Reachability is walked once a feature, from the types of all its
/// operations at once: once an operation, many operations reaching one long
/// chain of types made operations x types entries.
pub fn record_usage(space: &mut TypeSpace, operations: &mut [Operation]) -> Vec<String> {
    for entry in &mut space.entries {
        entry.features.clear();
        entry.received = false;
        entry.sent = false;
    }
    let features: Vec<String> = operations
        .iter()
        .flat_map(|operation| operation.features.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut feature_roots = vec![Vec::new(); features.len()];
    let (mut received_roots, mut sent_roots) = (Vec::new(), Vec::new());
    for operation in operations.iter_mut() {
        let indices: Vec<usize> =
            operation.features.iter().filter_map(|feature| features.binary_search(feature).ok()).collect();
        let (request, response) = operation_type_refs(operation);
        let (request, response) = (type_ids(request), type_ids(response));
        for index in indices {
            feature_roots[index].extend(request.iter().chain(&response));
        }
        received_roots.extend(response);
        sent_roots.extend(request);
    }
    for (index, roots) in feature_roots.into_iter().enumerate() {
        mark_reachable(space, roots, |entry| {
            let first_visit = entry.features.last() != Some(&index);
            if first_visit {
                entry.features.push(index);
            }
            first_visit
        });
    }
    mark_reachable(space, received_roots, |entry| !std::mem::replace(&mut entry.received, true));
    mark_reachable(space, sent_roots, |entry| !std::mem::replace(&mut entry.sent, true));
    features
}

/// Visits every type reachable from `roots`; `visit` marks an entry and says
/// whether it was unmarked, i.e. whether to go on to the types it uses.
fn mark_reachable(space: &mut TypeSpace, mut pending: Vec<TypeId>, mut visit: impl FnMut(&mut TypeEntry) -> bool) {
    while let Some(id) = pending.pop() {
        let entry = &mut space.entries[id.0];
        if visit(entry) {
            pending.extend(type_ids(kind_type_refs(&mut entry.kind)));
        }
    }
}

fn type_ids(refs: Vec<&mut TypeRef>) -> Vec<TypeId> {
    let mut ids = Vec::new();
    for ty in refs {
        for_each_id(ty, &mut |id| ids.push(*id));
    }
    ids
}

/// Every type use of a declaration, `additionalProperties` included.
fn kind_type_refs(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).chain(s.additional.as_mut()).collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::Enum(_) | TypeKind::Pending | TypeKind::Replaced => Vec::new(),
    }
}

/// Every type use of an operation: parameters and request body, then responses.
pub(super) fn operation_type_refs(operation: &mut Operation) -> (Vec<&mut TypeRef>, Vec<&mut TypeRef>) {
    let mut request: Vec<&mut TypeRef> = operation.parameters.iter_mut().map(|p| &mut p.ty).collect();
    if let Some(body) = operation.body.as_mut() {
        if let BodyKind::Json(ty) | BodyKind::Multipart(ty) | BodyKind::FormUrlEncoded(ty) = &mut body.kind {
            request.push(ty);
        }
    }
    let mut response = Vec::new();
    for answer in operation.success.iter_mut().chain(operation.errors.iter_mut()) {
        if let ResponseBody::Json(ty) | ResponseBody::EventStream(ty) | ResponseBody::JsonSequence(ty) =
            &mut answer.body
        {
            response.push(ty);
        }
        response.extend(answer.event_stream.as_mut());
    }
    (request, response)
}

fn for_each_id(ty: &mut TypeRef, f: &mut impl FnMut(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) => f(id),
        other => other.parts_mut().into_iter().for_each(|part| for_each_id(part, f)),
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{build, ModelOptions, ResponseBody, TypeKind, TypeRef};

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: Pruning, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      tags: [A]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}
  /b:
    get:
      operationId: getB
      tags: [B]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}
components:
  schemas:
    Unused: {type: object, properties: {x: {type: string}}}
    A: {type: object, properties: {part: {$ref: '#/components/schemas/Part'}, extra: {type: object, additionalProperties: {$ref: '#/components/schemas/Extra'}}}}
    Part: {type: object, properties: {back: {$ref: '#/components/schemas/A'}}}
    Extra: {type: string, enum: [x]}
    B: {type: object, properties: {y: {type: string}}}
"#;

    #[test]
    fn keeps_only_types_reached_from_selected_operations() {
        let document = crate::load::load("pruning.yaml", SPEC.as_bytes()).unwrap();
        let options = ModelOptions { tags: vec!["A".into()], ..ModelOptions::default() };
        let model = build(&document, &options).unwrap();
        let names: Vec<&str> = model.types.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["A", "Part", "Extra"]);
        // Ids were renumbered: the response and the recursive field point at `A`, now first.
        assert_eq!(model.operations[0].success[0].body, ResponseBody::Json(TypeRef::Named(crate::ir::TypeId(0))));
        let TypeKind::Struct(part) = &model.types.entries[1].kind else { panic!("Part is a struct") };
        assert!(format!("{:?}", part.fields[0].ty).contains("TypeId(0)"));
    }

    #[test]
    fn keeps_everything_without_a_selection() {
        let document = crate::load::load("pruning.yaml", SPEC.as_bytes()).unwrap();
        let model = build(&document, &ModelOptions::default()).unwrap();
        assert_eq!(model.types.entries.len(), 5);
    }
}
