//! List operations that hand out their results a page at a time, with a
//! cursor for the next page, so that the client can follow the pages.
//!
//! No OpenAPI keyword says an operation pages, so this reads the shape that
//! APIs share (62 of OpenAI's operations among them): a GET with an optional
//! string query parameter that takes the cursor (`after`, `page`, ...), whose
//! response is an object with a list (`data`, `items`, `results`) and either a
//! field holding the next cursor (`next_cursor`, `next_page`, `next`, which is
//! absent or `null` on the last page), or a `has_more` flag and a cursor that
//! names the last item (`last_id`, or the last item's `id`).

use super::operations::{Operation, ParameterLocation, ResponseBody};
use super::types::*;

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The query parameter (wire name) that takes the cursor.
    pub cursor_parameter: String,
    /// The page: the struct the operation answers with.
    pub page: TypeId,
    /// The list field of the page (Rust name), and whether it is an `Option`.
    pub items: FieldAccess,
    /// The type of one item.
    pub item: TypeRef,
    /// The boolean that says more pages follow, when the page has one.
    pub has_more: Option<FieldAccess>,
    pub next_cursor: NextCursor,
}

/// A field of the page struct, as the emitter reaches it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldAccess {
    pub rust_name: String,
    pub optional: bool,
}

/// Where the cursor of the next page comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NextCursor {
    /// A string field of the page (`next_page`, `last_id`).
    Field(FieldAccess),
    /// The `id` field (Rust name) of the page's last item; it is a required string.
    LastItemId(String),
}

/// Query parameters that take a cursor.
const CURSOR_PARAMETERS: [&str; 6] = ["after", "cursor", "page", "page_token", "starting_after", "next_token"];
/// Fields holding the page's items.
const ITEM_FIELDS: [&str; 3] = ["data", "items", "results"];
/// Fields holding the next page's cursor, absent or `null` on the last page.
const NEXT_CURSOR_FIELDS: [&str; 5] = ["next_cursor", "next_page_token", "next_page", "next", "next_token"];
/// Fields naming the last item, a cursor only beside `has_more`.
const LAST_ID_FIELDS: [&str; 1] = ["last_id"];

/// Records on each operation whether and how it pages.
pub fn detect_pagination(space: &TypeSpace, operations: &mut [Operation]) {
    for operation in operations {
        operation.pagination = pagination(space, operation);
    }
}

fn pagination(space: &TypeSpace, operation: &Operation) -> Option<Pagination> {
    if operation.http_method != "GET" {
        return None;
    }
    let cursor_parameter = operation.parameters.iter().find(|p| {
        p.location == ParameterLocation::Query
            && !p.required
            && CURSOR_PARAMETERS.contains(&p.wire_name.as_str())
            && is_string(space, &p.ty)
    })?;
    let [success] = operation.success.as_slice() else { return None };
    let ResponseBody::Json(page_type) = &success.body else { return None };
    let TypeRef::Named(page) = space.resolve(page_type) else { return None };
    let TypeKind::Struct(page_struct) = &space.get(*page).kind else { return None };
    let field = |names: &[&str], accepts: &dyn Fn(&TypeRef) -> bool| {
        names.iter().find_map(|name| {
            page_struct
                .fields
                .iter()
                .find(|f| f.wire_name == *name && !f.flatten && accepts(unwrap_option(space, &f.ty)))
        })
    };
    let items = field(&ITEM_FIELDS, &|ty| matches!(space.resolve(ty), TypeRef::Array(_)))?;
    let TypeRef::Array(item) = space.resolve(unwrap_option(space, &items.ty)) else { return None };
    let has_more = field(&["has_more"], &|ty| matches!(space.resolve(ty), TypeRef::Boolean)).map(|f| access(space, f));
    let next_cursor = match field(&NEXT_CURSOR_FIELDS, &|ty| is_string(space, ty)) {
        Some(next) => NextCursor::Field(access(space, next)),
        // A cursor naming the last item says nothing of whether more follow.
        None if has_more.is_some() => match field(&LAST_ID_FIELDS, &|ty| is_string(space, ty)) {
            Some(last_id) => NextCursor::Field(access(space, last_id)),
            None => NextCursor::LastItemId(item_id(space, item)?),
        },
        None => return None,
    };
    Some(Pagination {
        cursor_parameter: cursor_parameter.wire_name.clone(),
        page: *page,
        items: access(space, items),
        item: (**item).clone(),
        has_more,
        next_cursor,
    })
}

/// The Rust name of an item struct's required string `id`.
fn item_id(space: &TypeSpace, item: &TypeRef) -> Option<String> {
    let TypeRef::Named(id) = space.resolve(item) else { return None };
    let TypeKind::Struct(s) = &space.get(*id).kind else { return None };
    let field = s
        .fields
        .iter()
        .find(|f| f.wire_name == "id" && !f.flatten && matches!(space.resolve(&f.ty), TypeRef::String))?;
    Some(field.rust_name.clone())
}

fn access(space: &TypeSpace, field: &Field) -> FieldAccess {
    FieldAccess { rust_name: field.rust_name.clone(), optional: space.resolve(&field.ty).is_option() }
}

/// The type inside an `Option`, seen through aliases.
fn unwrap_option<'a>(space: &'a TypeSpace, ty: &'a TypeRef) -> &'a TypeRef {
    match space.resolve(ty) {
        TypeRef::Option(inner) => inner,
        _ => ty,
    }
}

fn is_string(space: &TypeSpace, ty: &TypeRef) -> bool {
    matches!(space.resolve(unwrap_option(space, ty)), TypeRef::String)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{build, ModelOptions};

    /// One operation per shape: OpenAI's files (`last_id`), fine-tuning jobs
    /// (the last item's `id`) and usage (`page` and `next_page`), and three that do not page.
    const SPEC: &str = r##"
openapi: 3.1.0
info: { title: Pages, version: "1" }
paths:
  /files:
    get:
      operationId: list_files
      parameters: [{ $ref: "#/components/parameters/after" }, { name: limit, in: query, schema: { type: integer } }]
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/FileList" } } } } }
  /jobs:
    get:
      operationId: list_jobs
      parameters: [{ $ref: "#/components/parameters/after" }]
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/JobList" } } } } }
  /usage:
    get:
      operationId: list_usage
      parameters: [{ name: page, in: query, schema: { type: string } }]
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/UsagePage" } } } } }
  /unflagged:
    get:
      operationId: list_without_flag
      parameters: [{ $ref: "#/components/parameters/after" }]
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Unflagged" } } } } }
  /search:
    post:
      operationId: search
      parameters: [{ $ref: "#/components/parameters/after" }]
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/FileList" } } } } }
  /everything:
    get:
      operationId: list_everything
      responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/FileList" } } } } }
components:
  parameters:
    after: { name: after, in: query, schema: { type: string } }
  schemas:
    Item:
      type: object
      required: [id]
      properties: { id: { type: string } }
    FileList:
      type: object
      required: [data, has_more, last_id]
      properties:
        data: { type: array, items: { $ref: "#/components/schemas/Item" } }
        has_more: { type: boolean }
        last_id: { anyOf: [{ type: string }, { type: "null" }] }
    JobList:
      type: object
      required: [data, has_more]
      properties:
        data: { type: array, items: { $ref: "#/components/schemas/Item" } }
        has_more: { type: boolean }
    UsagePage:
      type: object
      required: [data]
      properties:
        data: { type: array, items: { type: object } }
        next_page: { type: string }
    Unflagged:
      type: object
      required: [data]
      properties:
        data: { type: array, items: { $ref: "#/components/schemas/Item" } }
        last_id: { type: string }
"##;

    fn paginations() -> Vec<(String, Option<Pagination>)> {
        let document = crate::load::load("pages.yaml", SPEC.as_bytes()).unwrap();
        let model = build(&document, &ModelOptions::default()).unwrap();
        model.operations.into_iter().map(|operation| (operation.method_name, operation.pagination)).collect()
    }

    fn field(rust_name: &str, optional: bool) -> FieldAccess {
        FieldAccess { rust_name: rust_name.into(), optional }
    }

    /// What the emitter needs to know of a list operation: the cursor parameter, where the next cursor comes from, and the end flag.
    type Shape = (String, NextCursor, Option<FieldAccess>);

    #[test]
    fn each_cursor_shape_is_recognised() {
        let found: Vec<(String, Option<Shape>)> = paginations()
            .into_iter()
            .map(|(name, pagination)| (name, pagination.map(|p| (p.cursor_parameter, p.next_cursor, p.has_more))))
            .collect();
        let expected: Vec<(String, Option<Shape>)> = [
            (
                "list_files",
                Some(("after".to_string(), NextCursor::Field(field("last_id", true)), Some(field("has_more", false)))),
            ),
            (
                "list_jobs",
                Some(("after".to_string(), NextCursor::LastItemId("id".into()), Some(field("has_more", false)))),
            ),
            ("list_usage", Some(("page".to_string(), NextCursor::Field(field("next_page", true)), None))),
            // No `has_more`, so `last_id` may not end the pages: not followed.
            ("list_without_flag", None),
            // A POST is not a read of a list.
            ("search", None),
            // No cursor parameter.
            ("list_everything", None),
        ]
        .into_iter()
        .map(|(name, shape)| (name.to_string(), shape))
        .collect();
        assert_eq!(found, expected);
    }
}
