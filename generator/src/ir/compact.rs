//! Drops the growth slack of the model's vectors and strings once each part
//! is built. A `Vec` grown by `push` keeps up to twice the room it needs (and
//! at least 4 elements: a `Parameter` is 320 bytes, so an operation's one
//! parameter held 1,280), and `format!` and the case conversions leave
//! room too: on the synthetic 5 MB spec of `benches/memory.rs` that slack
//! was a third of the model, held while the document is alive beside it.
//! The parts are only read after this (a pass that changes one builds it
//! again or swaps values in place), so the room is never needed again.

use super::operations::{Operation, Parameter, RequestBody, Response, ResponseHeader};
use super::security::SchemeUse;
use super::types::{Docs, EnumVariant, Field, TypeKind, UnionVariant};

/// Gives back the unused capacity of what it owns.
pub(super) trait Compact {
    fn compact(&mut self);
}

impl Compact for String {
    fn compact(&mut self) {
        self.shrink_to_fit();
    }
}

impl<T: Compact> Compact for Vec<T> {
    fn compact(&mut self) {
        self.iter_mut().for_each(Compact::compact);
        self.shrink_to_fit();
    }
}

impl<T: Compact> Compact for Option<T> {
    fn compact(&mut self) {
        if let Some(inner) = self {
            inner.compact();
        }
    }
}

/// `Compact` for each struct, compacting the fields named (those that own vectors or strings).
macro_rules! compact_fields {
    ($($owner:ty: $($field:ident),+;)+) => {
        $(impl Compact for $owner {
            fn compact(&mut self) {
                $(self.$field.compact();)+
            }
        })+
    };
}

compact_fields! {
    Docs: title, description;
    Field: rust_name, wire_name, docs;
    EnumVariant: rust_name, wire_value;
    UnionVariant: rust_name, tag_values;
    Parameter: rust_name, wire_name, docs;
    ResponseHeader: rust_name, wire_name, docs;
    Response: media_type, description, headers;
    RequestBody: rust_name, description;
    SchemeUse: scopes;
    Operation: method_name, http_method, path, pointer, parameters, body, success, errors, security;
}

impl Compact for TypeKind {
    fn compact(&mut self) {
        match self {
            TypeKind::Struct(object) => object.fields.compact(),
            TypeKind::Enum(list) => {
                list.variants.compact();
                list.other_variant.compact();
            }
            TypeKind::Union(union) => union.variants.compact(),
            TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Pending | TypeKind::Replaced => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{build, ModelOptions};

    #[test]
    fn a_built_model_keeps_no_room_unused() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /items:\n    get:\n      operationId: list\n      parameters: [{name: q, in: query, schema: {type: string}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}\ncomponents:\n  schemas:\n    Item: {type: object, properties: {a: {type: string}, b: {type: string}, c: {type: string}}}\n";
        let document = crate::load::load("t.yaml", spec.as_bytes()).unwrap();
        let model = build(&document, &ModelOptions::default()).unwrap();
        let operation = &model.operations[0];
        assert_eq!((operation.parameters.capacity(), operation.success.capacity()), (1, 1));
        let TypeKind::Struct(item) = &model.types.get(model.types.find("Item").unwrap()).kind else {
            panic!("Item is a struct")
        };
        assert_eq!(item.fields.capacity(), item.fields.len());
        assert_eq!(model.types.entries.capacity(), model.types.entries.len());
    }

    #[test]
    fn vectors_and_their_strings_keep_only_what_they_hold() {
        let mut name = String::with_capacity(64);
        name.push_str("value_1");
        let mut variants = Vec::with_capacity(16);
        variants.push(EnumVariant { rust_name: name.clone(), wire_value: name });
        let mut kind = TypeKind::Enum(super::super::types::StringEnum { variants, other_variant: None });
        kind.compact();
        let TypeKind::Enum(list) = kind else { unreachable!("built as an enum above") };
        assert_eq!(list.variants.capacity(), 1);
        assert_eq!(list.variants[0].rust_name.capacity(), "value_1".len());
        assert_eq!(list.variants[0].wire_value, "value_1");
    }
}
