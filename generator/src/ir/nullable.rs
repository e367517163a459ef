//! Nullable aliases: a schema that is only a nullable shape (`Metadata:
//! anyOf [{type: object, ...}, {type: 'null'}]`) becomes an alias of the
//! non-null type, and each use of it an `Option` of the alias. An alias of
//! an `Option` would make an optional field read as a required one
//! (`pub metadata: Metadata`) and keep constructors and setters from seeing
//! that it is optional.
//!
//! The Rust types stay what they were (`Option<Metadata>` with `Metadata =
//! BTreeMap<..>` is the old `Metadata`), so values decode and encode as before.

use std::collections::HashSet;

use super::operations::{Operation, ParameterLocation};
use super::prune::operation_type_refs;
use super::types::*;

/// Rewrites every alias of an `Option` (directly or through other aliases)
/// to the non-null type, and every use of one to an `Option` of it. Path
/// parameters, which are never null, stay as they are.
pub fn unwrap_nullable_aliases(space: &mut TypeSpace, operations: &mut [Operation], event: Option<&mut TypeRef>) {
    let nullable = nullable_aliases(space);
    if nullable.is_empty() {
        return;
    }
    for (index, entry) in space.entries.iter_mut().enumerate() {
        match &mut entry.kind {
            TypeKind::Alias(target) if nullable.contains(&TypeId(index)) => {
                if let TypeRef::Option(inner) = target {
                    *target = std::mem::replace(inner.as_mut(), TypeRef::Any);
                }
                // The alias itself is not wrapped: its uses are.
                wrap_inside(target, &nullable);
            }
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|field| wrap(&mut field.ty, &nullable));
                s.additional.iter_mut().for_each(|ty| wrap(ty, &nullable));
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|variant| wrap(&mut variant.ty, &nullable)),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => wrap(ty, &nullable),
            TypeKind::Enum(_) | TypeKind::Replaced | TypeKind::Pending => {}
        }
    }
    for operation in operations.iter_mut() {
        let (request, response) = operation_type_refs(operation);
        request.into_iter().chain(response).for_each(|ty| wrap(ty, &nullable));
        for parameter in &mut operation.parameters {
            if parameter.location == ParameterLocation::Path {
                if let TypeRef::Option(inner) = &mut parameter.ty {
                    parameter.ty = std::mem::replace(inner.as_mut(), TypeRef::Any);
                }
            }
        }
    }
    if let Some(event) = event {
        wrap(event, &nullable);
    }
}

/// The aliases whose target is an `Option`, or another such alias.
fn nullable_aliases(space: &TypeSpace) -> HashSet<TypeId> {
    let mut nullable = HashSet::new();
    loop {
        let found: Vec<TypeId> = (0..space.entries.len())
            .map(TypeId)
            .filter(|id| !nullable.contains(id))
            .filter(|id| match &space.get(*id).kind {
                TypeKind::Alias(TypeRef::Option(_)) => true,
                TypeKind::Alias(TypeRef::Named(target)) => nullable.contains(target),
                _ => false,
            })
            .collect();
        if found.is_empty() {
            return nullable;
        }
        nullable.extend(found);
    }
}

/// Makes each use of a nullable alias in `ty` an `Option` of it (once).
fn wrap(ty: &mut TypeRef, nullable: &HashSet<TypeId>) {
    match ty {
        TypeRef::Named(id) if nullable.contains(id) => *ty = TypeRef::Named(*id).optional(),
        TypeRef::Option(inner) if matches!(inner.as_ref(), TypeRef::Named(id) if nullable.contains(id)) => {}
        _ => wrap_inside(ty, nullable),
    }
}

/// [`wrap`] for the parts of `ty`, not `ty` itself.
fn wrap_inside(ty: &mut TypeRef, nullable: &HashSet<TypeId>) {
    ty.parts_mut().into_iter().for_each(|part| wrap(part, nullable));
}

#[cfg(test)]
mod tests {
    use crate::ir::{build, ModelOptions, ResponseBody, TypeKind, TypeRef};

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: Nullable aliases, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Metadata'}}}
components:
  schemas:
    Metadata:
      anyOf:
        - {type: object, additionalProperties: {type: string}}
        - {type: 'null'}
    Same: {$ref: '#/components/schemas/Metadata'}
    Id: {type: [string, 'null']}
    Item:
      type: object
      required: [tags]
      properties:
        metadata: {$ref: '#/components/schemas/Metadata'}
        same: {$ref: '#/components/schemas/Same'}
        tags: {type: array, items: {$ref: '#/components/schemas/Metadata'}}
"#;

    #[test]
    fn aliases_are_of_the_non_null_type_and_their_uses_optional() {
        let document = crate::load::load("nullable.yaml", SPEC.as_bytes()).unwrap();
        let model = build(&document, &ModelOptions::default()).unwrap();
        let types = &model.types;
        let id = |name: &str| types.find(name).unwrap();
        let optional = |name: &str| TypeRef::Named(id(name)).optional();
        assert_eq!(types.get(id("Metadata")).kind, TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::String))));
        assert_eq!(types.get(id("Same")).kind, TypeKind::Alias(TypeRef::Named(id("Metadata"))));
        let TypeKind::Struct(item) = &types.get(id("Item")).kind else { panic!("Item is a struct") };
        let field_types: Vec<&TypeRef> = item.fields.iter().map(|field| &field.ty).collect();
        let tags = TypeRef::Array(Box::new(optional("Metadata")));
        assert_eq!(field_types, [&optional("Metadata"), &optional("Same"), &tags]);
        let operation = &model.operations[0];
        assert_eq!(operation.success[0].body, ResponseBody::Json(optional("Metadata")));
        assert_eq!(operation.parameters[0].ty, TypeRef::Named(id("Id")), "a path parameter is never null");
    }
}
