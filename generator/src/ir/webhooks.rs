//! Webhooks and callbacks: requests the API sends to its users. Their
//! payloads become one event type that a receiver decodes an incoming body
//! into: the union of the payloads (tagged when they carry a discriminating
//! property, such as OpenAI's `type`), or the payload when there is one.

use openapiv3::{PathItem, ReferenceOr, Schema, SchemaData, SchemaKind};

use super::operations::{essence_of, is_json};
use super::types::TypeRef;
use crate::error::{child_pointer, Diagnostics};
use crate::load::PathOperations;

/// What the emitter needs for the `webhooks` module.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// The type an incoming event decodes into.
    pub event: TypeRef,
    /// The webhooks and callbacks, as `name` or `operation callback`, for the docs.
    pub names: Vec<String>,
    /// Whether events are signed with the Standard Webhooks scheme
    /// (`webhook-id`, `webhook-timestamp`, `webhook-signature` headers).
    pub signed: bool,
}

/// The headers of a Standard Webhooks signature; a webhook that declares
/// them is signed that way.
const SIGNATURE_HEADERS: [&str; 3] = ["webhook-id", "webhook-timestamp", "webhook-signature"];

/// The JSON payload schemas of every webhook and callback, and what they are called.
pub struct Payloads<'a> {
    schemas: Vec<&'a ReferenceOr<Schema>>,
    names: Vec<String>,
    declares_signature: bool,
}

impl<'a> Payloads<'a> {
    pub fn collect(
        paths: &'a [(String, ReferenceOr<PathOperations>)],
        webhooks: &'a [(String, ReferenceOr<PathItem>)],
        diagnostics: &mut Diagnostics,
    ) -> Payloads<'a> {
        let mut payloads = Payloads { schemas: Vec::new(), names: Vec::new(), declares_signature: false };
        for (name, item) in webhooks {
            let pointer = child_pointer("#/webhooks", name);
            match item {
                ReferenceOr::Item(item) => payloads.add(name.clone(), item, &pointer, diagnostics),
                ReferenceOr::Reference { .. } => diagnostics.warn(
                    &pointer,
                    format!("webhook path item `$ref`s are not supported yet; the webhook `{name}` is left out"),
                ),
            }
        }
        for (template, item) in paths {
            let ReferenceOr::Item(item) = item else { continue };
            for (method, operation) in item.iter() {
                for (callback, expressions) in &operation.callbacks {
                    let callback_ptr = child_pointer(
                        &child_pointer(&child_pointer(&child_pointer("#/paths", template), method), "callbacks"),
                        callback,
                    );
                    let owner = operation
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| format!("{} {template}", method.to_uppercase()));
                    for (expression, item) in expressions {
                        payloads.add(
                            format!("{owner} {callback}"),
                            item,
                            &child_pointer(&callback_ptr, expression),
                            diagnostics,
                        );
                    }
                }
            }
        }
        payloads
    }

    fn add(&mut self, name: String, item: &'a PathItem, pointer: &str, diagnostics: &mut Diagnostics) {
        for (method, operation) in item.iter() {
            let operation_ptr = child_pointer(pointer, method);
            self.declares_signature |=
                operation.parameters.iter().chain(&item.parameters).any(|parameter| match parameter {
                    ReferenceOr::Item(openapiv3::Parameter::Header { parameter_data, .. }) => {
                        SIGNATURE_HEADERS.contains(&parameter_data.name.to_ascii_lowercase().as_str())
                    }
                    _ => false,
                });
            let body = match &operation.request_body {
                Some(ReferenceOr::Item(body)) => body,
                Some(ReferenceOr::Reference { .. }) => {
                    diagnostics.warn(
                        &child_pointer(&operation_ptr, "requestBody"),
                        format!(
                            "request body `$ref`s of webhooks are not supported yet; the webhook `{name}` is left out"
                        ),
                    );
                    continue;
                }
                None => continue,
            };
            match body.content.iter().find(|(media_type, _)| is_json(&essence_of(media_type))) {
                Some((_, content)) => {
                    if let Some(schema) = &content.schema {
                        if !self.schemas.contains(&schema) {
                            self.schemas.push(schema);
                        }
                        self.names.push(name.clone());
                    }
                }
                None => diagnostics.warn(
                    &child_pointer(&operation_ptr, "requestBody"),
                    format!("the webhook `{name}` sends no JSON body; it is left out"),
                ),
            }
        }
    }

    /// The schema of an event: the one payload, or a `oneOf` of them all
    /// (which the union rules turn into a tagged enum when they can).
    pub fn event_schema(&self) -> Option<ReferenceOr<Schema>> {
        match self.schemas.as_slice() {
            [] => None,
            [one] => Some((*one).clone()),
            several => Some(ReferenceOr::Item(Schema {
                schema_data: SchemaData {
                    description: Some("An event that the API sends to a webhook or callback.".to_string()),
                    ..Default::default()
                },
                schema_kind: SchemaKind::OneOf { one_of: several.iter().map(|schema| (*schema).clone()).collect() },
            })),
        }
    }

    pub fn into_webhooks(self, event: TypeRef, standard_webhooks: bool) -> Webhooks {
        Webhooks { event, names: self.names, signed: standard_webhooks || self.declares_signature }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{build, ModelOptions, TypeKind, TypeRef};

    const UNSIGNED: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  newPet:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Pet'}\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {id: {type: integer}}}\n";

    fn webhooks(options: &ModelOptions) -> (super::Webhooks, crate::ir::Model) {
        let document = crate::load::load("t.yaml", UNSIGNED.as_bytes()).unwrap();
        let model = build(&document, options).unwrap();
        (model.webhooks.clone().expect("the webhook is read"), model)
    }

    #[test]
    fn one_webhook_is_its_payload_and_signing_is_an_option() {
        let (hooks, model) = webhooks(&ModelOptions::default());
        let TypeRef::Named(id) = hooks.event else { panic!("{:?}", hooks.event) };
        assert_eq!(model.types.get(id).name, "Pet");
        assert!(matches!(model.types.get(id).kind, TypeKind::Struct(_)));
        assert_eq!(hooks.names, ["newPet"]);
        assert!(!hooks.signed, "no signature header is declared");
        assert!(webhooks(&ModelOptions { standard_webhooks: true, ..ModelOptions::default() }).0.signed);
    }

    #[test]
    fn selected_operations_leave_webhooks_out() {
        let document = crate::load::load("t.yaml", UNSIGNED.as_bytes()).unwrap();
        let model = build(&document, &ModelOptions { tags: vec!["a".into()], ..ModelOptions::default() }).unwrap();
        assert_eq!(model.webhooks, None);
    }
}
