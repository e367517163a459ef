//! The intermediate representation: what the emitters read instead of the document.

mod compact;
pub mod customize;
pub mod cycles;
pub mod fastapi;
pub mod names;
pub mod nullable;
pub mod operations;
pub mod pagination;
pub mod prune;
pub mod schema;
pub mod security;
pub mod twins;
pub mod types;
pub mod unions;
pub mod unknown_fields;
pub mod webhooks;

pub use customize::{Customizations, TypeExtras};
pub use operations::*;
pub use pagination::{NextCursor, Pagination};
pub use schema::TypeOptions;
pub use security::{Alternative, ApiKeyLocation, SchemeKind, SchemeUse, SecurityScheme};
pub use types::*;
pub use webhooks::Webhooks;

use std::collections::HashMap;

use crate::error::{Diagnostic, Diagnostics, Error, Location};
use crate::load::Document;

/// Everything the emitters need to know about one document.
#[derive(Debug, Clone)]
pub struct Model {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// `servers[*].url`, in order.
    pub servers: Vec<String>,
    pub types: TypeSpace,
    pub operations: Vec<Operation>,
    /// `components.securitySchemes`, which operations' `security` points into.
    pub security_schemes: Vec<SecurityScheme>,
    /// The event type of the webhooks and callbacks, if the document has any
    /// (and operations are not selected).
    pub webhooks: Option<Webhooks>,
    /// The cargo features of the operations (their tags', `untagged`), sorted.
    pub features: Vec<String>,
    /// Problems that did not stop generation, such as undeclared path parameters.
    pub warnings: Vec<Diagnostic>,
    /// The user's derives and attributes, by the Rust name of the type they go on.
    pub type_extras: HashMap<String, TypeExtras>,
}

/// Builds the type model and the operations of a document.
pub fn build(document: &Document, options: &ModelOptions) -> Result<Model, Error> {
    let api = &document.api;
    let empty = Default::default();
    let schemas = api.components.as_ref().map(|c| &c.schemas).unwrap_or(&empty);
    let customizations = &options.customizations;
    customizations.check()?;
    customizations.check_schemas(schemas)?;
    let mut diagnostics = Diagnostics::default();
    // Selected operations want their own types, not every event's.
    let payloads = (!options.selects_operations())
        .then(|| webhooks::Payloads::collect(&document.paths, &document.webhooks, &mut diagnostics));
    let event_schema = payloads.as_ref().and_then(webhooks::Payloads::event_schema);
    let mut converter = schema::SchemaConverter::new(
        schemas,
        &fastapi::body_type_names(api, &document.paths),
        options.types,
        customizations,
    );
    converter.convert_components();
    let (mut operations, security_schemes) = operations::collect(
        api,
        &document.paths,
        &document.additional_operations,
        &document.mutual_tls_schemes,
        &mut converter,
        options,
        &mut diagnostics,
    );
    let event = event_schema.as_ref().map(|schema| converter.type_of(schema, "#/webhooks", "WebhookEvent"));
    let mut webhooks =
        payloads.zip(event).map(|(payloads, event)| payloads.into_webhooks(event, options.standard_webhooks));
    diagnostics.append(std::mem::take(&mut converter.diagnostics));
    let mut types = converter.space;
    twins::merge_twins(&mut types);
    nullable::unwrap_nullable_aliases(&mut types, &mut operations, webhooks.as_mut().map(|hooks| &mut hooks.event));
    let features = prune::record_usage(&mut types, &mut operations);
    if options.selects_operations() {
        prune::prune(&mut types, &mut operations);
    }
    if options.types.keep_unknown_fields {
        unknown_fields::keep_unknown_fields(&mut types);
    }
    unions::order_untagged_variants(&mut types);
    cycles::break_cycles(&mut types);
    cycles::mark_flatten_cycles(&mut types);
    pagination::detect_pagination(&types, &mut operations);
    // The type list grew by `push`; no pass adds a type after this.
    types.entries.shrink_to_fit();
    document.origins.relocate_all(&mut diagnostics);
    let (type_extras, customization_warnings) = customizations.type_extras(&types);
    let warnings = document
        .warnings
        .iter()
        .cloned()
        .chain(std::mem::take(&mut diagnostics.warnings))
        .chain(customization_warnings)
        .chain(unknown_operation_renames(document, customizations))
        .collect();
    diagnostics.into_result(&document.file)?;
    Ok(Model {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        version: api.info.version.clone(),
        servers: api.servers.iter().map(|s| s.url.clone()).collect(),
        types,
        operations,
        security_schemes,
        webhooks,
        features,
        warnings,
        type_extras,
    })
}

/// A warning for each renamed operationId that the document does not have.
fn unknown_operation_renames(document: &Document, customizations: &Customizations) -> Vec<Diagnostic> {
    let declared: Vec<&str> = document
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| item.iter().map(|(_, operation)| operation))
        .chain(document.additional_operations.iter().map(|extra| &extra.operation))
        .filter_map(|operation| operation.operation_id.as_deref())
        .collect();
    customizations
        .operation_renames
        .keys()
        .filter(|id| !declared.contains(&id.as_str()))
        .map(|id| Diagnostic {
            location: Location::Document,
            message: format!(
                "rename of operation `{id}`: the document has no operation with that operationId; ignored"
            ),
        })
        .collect()
}

impl Model {
    /// Whether some type or operation uses `wanted` (`TypeRef::Base64`, whose
    /// helper type the emitter declares only when it is used).
    pub fn uses(&self, wanted: &TypeRef) -> bool {
        let in_types = self.types.entries.iter().flat_map(|entry| entry.kind.parts());
        let in_operations = self.operations.iter().flat_map(|operation| {
            let parameters = operation.parameters.iter().map(|p| &p.ty);
            let body = operation.body.as_ref().and_then(|body| match &body.kind {
                BodyKind::Json(ty) | BodyKind::Multipart(ty) | BodyKind::FormUrlEncoded(ty) => Some(ty),
                BodyKind::Binary(_) | BodyKind::Text(_) => None,
            });
            let responses = operation.success.iter().chain(&operation.errors).flat_map(|response| {
                let body = match &response.body {
                    ResponseBody::Json(ty) | ResponseBody::EventStream(ty) | ResponseBody::JsonSequence(ty) => Some(ty),
                    ResponseBody::Empty | ResponseBody::Text | ResponseBody::Bytes => None,
                };
                body.into_iter().chain(&response.event_stream)
            });
            parameters.chain(body).chain(responses)
        });
        in_types.chain(in_operations).any(|ty| ty.contains(wanted))
    }
}

/// What to generate and how.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub types: TypeOptions,
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only these operations, by operationId (all when empty).
    pub operation_ids: Vec<String>,
    /// Webhook events are signed with the Standard Webhooks scheme (also
    /// assumed when a webhook declares its `webhook-signature` header).
    pub standard_webhooks: bool,
    /// The user's derives, attributes, replacements, format types and renames.
    pub customizations: Customizations,
}

impl ModelOptions {
    /// Whether only some operations are wanted (and so only the types they use).
    pub fn selects_operations(&self) -> bool {
        !self.tags.is_empty() || !self.operation_ids.is_empty()
    }
}
