//! The server side of a spec: a `server` module beside `types`, with one
//! trait per tag (one async method per operation, typed inputs in
//! `server::requests`, typed answers in `server::responses`), the handlers
//! that check a request before the implementation runs, and `Server`, which
//! builds an axum router from implementations of the traits.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::{form_field, forms, multipart_struct, query_style_variant, FormField};
use super::docs::{code_span, describe, doc_attrs, own_doc_attrs};
use super::models::{ident, type_tokens};
use super::EmitOptions;
use crate::ir::names::{field_name, type_name, Namespace, UNTAGGED_FEATURE};
use crate::ir::*;

/// The cargo feature of the server and its dependencies in crates from `apigen crate`.
pub const FEATURE: &str = "server";

/// What the runtime's `server` module needs beside `serde` and `serde_json`,
/// as `name = { spec }` lines of a manifest that vendors the runtime (the
/// `apigen-runtime` crate lists the same behind its `server` feature). Its
/// `tokio` has every feature the client's has too, so that one line serves both.
pub const DEPENDENCIES: [(&str, &str); 8] = [
    ("axum", "version = \"0.8\", default-features = false, features = [\"tokio\", \"http1\"]"),
    ("multer", "version = \"3\""),
    ("tempfile", "version = \"3\""),
    ("tokio", "version = \"1\", features = [\"time\", \"fs\", \"io-util\", \"rt\"]"),
    ("futures-util", "version = \"0.3\""),
    ("bytes", "version = \"1\""),
    ("percent-encoding", "version = \"2\""),
    ("serde_path_to_error", "version = \"0.1\""),
];

/// Names the server module declares itself (its runtime's public items), and
/// the prelude's traits, which a trait named after a tag would shadow there.
const SERVER_ITEMS: &[&str] = &[
    "Server",
    "Context",
    "Settings",
    "BodyStream",
    "Events",
    "UploadedFile",
    "Parts",
    "Response",
    "Routes",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
];
/// Methods of `Server` besides the one per trait.
const SERVER_METHODS: &[&str] = &["new", "settings", "base_path", "into_router", "routes"];

/// One trait: the operations of one cargo feature (an operation's first).
struct Group<'a> {
    trait_name: String,
    setter: String,
    feature: String,
    /// Each operation, with its method's name in the trait.
    operations: Vec<(&'a Operation, String)>,
}

/// The `server` module, or nothing for a document without operations. It
/// names the runtime's `server` module (under the runtime path) as `runtime`.
pub fn emit_server(model: &Model, options: &EmitOptions) -> TokenStream {
    if model.operations.is_empty() {
        return TokenStream::new();
    }
    let (cargo_features, runtime) = (options.cargo_features, options.runtime_path.tokens());
    let groups = groups(model);
    let gate = |features: &[&String]| -> TokenStream {
        if !cargo_features {
            return TokenStream::new();
        }
        match features {
            [] => quote! { #[cfg(feature = #FEATURE)] },
            [one] => quote! { #[cfg(all(feature = #FEATURE, feature = #one))] },
            several => quote! { #[cfg(all(feature = #FEATURE, any(#(feature = #several),*)))] },
        }
    };
    let mut traits = Vec::new();
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    let mut headers = Vec::new();
    let mut handlers = Vec::new();
    let mut declarations = Vec::new();
    let mut setters = Vec::new();
    for group in &groups {
        let group_gate = gate(&[&group.feature]);
        let emitters: Vec<OperationEmitter> = group
            .operations
            .iter()
            .map(|(operation, method)| OperationEmitter {
                space: &model.types,
                schemes: &model.security_schemes,
                operation,
                method,
                runtime: &runtime,
            })
            .collect();
        let methods = emitters.iter().map(OperationEmitter::trait_method);
        let trait_name = ident(&group.trait_name);
        let trait_doc = own_doc_attrs(&format!(
            "The operations of {}: implement them and register the implementation with [`Server::{}`].",
            code_span(&group.feature),
            group.setter
        ));
        traits.push(quote! {
            #trait_doc
            #group_gate
            pub trait #trait_name: Send + Sync + 'static {
                #(#methods)*
            }
        });
        let mut implementations = Vec::new();
        for emitter in &emitters {
            let operation = emitter.operation;
            requests.extend(emitter.request_struct().map(|s| quote! { #group_gate #s }));
            responses.extend(emitter.response_enum().map(|e| quote! { #group_gate #e }));
            headers.extend(emitter.headers_structs().into_iter().map(|s| quote! { #group_gate #s }));
            let handler = emitter.handler(&trait_name);
            handlers.push(quote! { #group_gate #handler });
            let (method, template) = (&operation.http_method, &operation.path);
            let operation_gate = gate(&operation.features.iter().collect::<Vec<_>>());
            declarations.push(quote! { #operation_gate let routes = routes.declare(#method, #template); });
            let handler_name = ident(&operation.method_name);
            implementations.push(quote! {
                let implementation = std::sync::Arc::clone(&service);
                self.routes.implement(#method, #template, std::sync::Arc::new(move |incoming| {
                    let implementation = std::sync::Arc::clone(&implementation);
                    Box::pin(async move { handlers::#handler_name(&*implementation, incoming).await })
                }));
            });
        }
        let setter = ident(&group.setter);
        let setter_doc = own_doc_attrs(&format!("Serves the operations of [`{}`] with `service`.", group.trait_name));
        setters.push(quote! {
            #setter_doc
            #group_gate
            pub fn #setter<S: #trait_name>(mut self, service: std::sync::Arc<S>) -> Self {
                #(#implementations)*
                self
            }
        });
    }
    let forms = forms(
        model,
        &quote! { super::super::types:: },
        &quote! { super::UploadedFile },
        &quote! { #[derive(Debug)] },
        &|features| gate(&features.iter().collect::<Vec<_>>()),
    );
    let server_gate = if options.server_feature && !cargo_features {
        quote! { #[cfg(feature = #FEATURE)] }
    } else {
        gate(&[])
    };
    // `router`, for an implementation of every trait, exists when every trait does.
    let every_feature: Vec<&String> = groups.iter().map(|group| &group.feature).collect();
    let router_gate = if cargo_features {
        quote! { #[cfg(all(feature = #FEATURE, #(feature = #every_feature),*))] }
    } else {
        TokenStream::new()
    };
    let trait_names: Vec<_> = groups.iter().map(|group| ident(&group.trait_name)).collect();
    let group_setters: Vec<_> = groups.iter().map(|group| ident(&group.setter)).collect();
    let forms_module = (!forms.is_empty()).then(|| {
        quote! {
            /// The bodies of `multipart/form-data` operations as they arrive: files as [`UploadedFile`]s, other fields typed.
            pub mod forms {
                #(#forms)*
            }
        }
    });
    let requests_module = (!requests.is_empty()).then(|| {
        quote! {
            /// The inputs of each operation that takes any: its parameters and its body, checked against the spec.
            pub mod requests {
                #(#requests)*
            }
        }
    });
    let responses_module = (!responses.is_empty()).then(|| {
        quote! {
            /// The answers of the operations that document several: a variant per status.
            // Each is a value returned once and written at once.
            #[allow(clippy::large_enum_variant)]
            pub mod responses {
                #(#responses)*
            }
        }
    });
    let headers_module = (!headers.is_empty()).then(|| {
        quote! {
            /// The headers of the answers that declare any, written beside their body.
            pub mod headers {
                #(#headers)*
            }
        }
    });
    quote! {
        /// The server side: implement the traits, then serve [`Server`](server::Server)'s
        /// router. Requests are checked against the spec before an
        /// implementation sees them; a request that does not fit is answered
        /// with FastAPI's `{"detail": [{"loc", "msg", "type"}]}`.
        #server_gate
        pub mod server {
            use #runtime::server as runtime;

            pub use runtime::{BodyStream, Context, Events, Parts, Response, Settings, UploadedFile};

            #forms_module
            #requests_module
            #responses_module
            #headers_module

            #(#traits)*

            /// Builds an axum router from implementations of the traits: operations
            /// of a trait not registered are answered 501, other paths 404, other methods 405.
            pub struct Server {
                routes: runtime::Routes,
            }

            impl std::fmt::Debug for Server {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct("Server").field("routes", &self.routes).finish()
                }
            }

            impl Default for Server {
                fn default() -> Self {
                    Server::new()
                }
            }

            impl Server {
                /// A server of every operation, none implemented yet.
                pub fn new() -> Self {
                    let routes = runtime::Routes::default();
                    #(#declarations)*
                    Server { routes }
                }

                /// Limits on request bodies (the client's by default).
                pub fn settings(mut self, settings: Settings) -> Self {
                    self.routes.settings(settings);
                    self
                }

                /// Serves the API under `base_path` (`/v1`), as a base URL with a path would call it.
                pub fn base_path(mut self, base_path: &str) -> Self {
                    self.routes.base_path(base_path);
                    self
                }

                #(#setters)*

                /// The axum router.
                pub fn into_router(self) -> runtime::axum::Router {
                    self.routes.into_router()
                }
            }

            /// The router of one implementation of every trait.
            #router_gate
            pub fn router<S: #(#trait_names)+*>(service: S) -> runtime::axum::Router {
                let service = std::sync::Arc::new(service);
                Server::new()
                    #(.#group_setters(std::sync::Arc::clone(&service)))*
                    .into_router()
            }

            mod handlers {
                #(#handlers)*
            }
        }
    }
}

/// The traits: operations grouped by their first feature (a tag's, or `untagged`), named by the naming authority.
fn groups(model: &Model) -> Vec<Group<'_>> {
    let mut by_feature: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in &model.operations {
        let feature = operation.features.first().map_or(UNTAGGED_FEATURE, String::as_str);
        by_feature.entry(feature).or_default().push(operation);
    }
    let mut trait_names = Namespace::types(SERVER_ITEMS);
    let mut setters = Namespace::server_methods(SERVER_METHODS);
    by_feature
        .into_iter()
        .map(|(feature, operations)| {
            let mut methods = Namespace::server_methods(&[]);
            let operations = operations
                .into_iter()
                .map(|operation| (operation, methods.claim(&trait_method_name(&operation.method_name))))
                .collect();
            Group {
                trait_name: trait_names.claim(&type_name(feature)),
                setter: setters.claim(&field_name(feature)),
                feature: feature.to_string(),
                operations,
            }
        })
        .collect()
}

/// A trait method takes `&self`, which clippy's `wrong_self_convention` refuses
/// for `into_*`, `from_*` and `*_mut` names (it spares inherent methods such
/// as the client's, as changing those would break an API): those get a prefix.
fn trait_method_name(method_name: &str) -> String {
    if method_name.starts_with("into_") || method_name.starts_with("from_") || method_name.ends_with("_mut") {
        format!("handle_{method_name}")
    } else {
        method_name.to_string()
    }
}

struct OperationEmitter<'a> {
    space: &'a TypeSpace,
    /// The document's security schemes, which the operation's alternatives index.
    schemes: &'a [SecurityScheme],
    operation: &'a Operation,
    /// The operation's method in its trait.
    method: &'a str,
    /// The runtime path (its `QueryStyle` is the client's and the server's).
    runtime: &'a TokenStream,
}

/// How one answer is written.
struct Answer<'a> {
    response: &'a Response,
    /// The variant's name in the operation's enum.
    variant: String,
    /// Whether the implementation chooses the status (a range or `default`).
    chooses_status: bool,
}

impl<'a> OperationEmitter<'a> {
    fn has_inputs(&self) -> bool {
        !self.operation.parameters.is_empty() || self.operation.body.is_some()
    }

    fn request_name(&self) -> TokenStream {
        let name = ident(&self.operation.success_type_name);
        quote! { requests::#name }
    }

    /// The parameter's field type: optional ones are `Option`s.
    fn parameter_type(&self, parameter: &Parameter, types: &TokenStream) -> TokenStream {
        let ty = if parameter.required { parameter.ty.clone() } else { parameter.ty.clone().optional() };
        type_tokens(self.space, &ty, types)
    }

    fn body_type(&self, body: &RequestBody, types: &TokenStream) -> TokenStream {
        let optional = |ty: TokenStream| {
            if body.required {
                ty
            } else {
                quote! { Option<#ty> }
            }
        };
        match &body.kind {
            BodyKind::Json(ty) | BodyKind::FormUrlEncoded(ty) => optional(type_tokens(self.space, ty, types)),
            BodyKind::Multipart(_) => match multipart_struct(self.space, &self.operation.body) {
                Some((id, _)) => {
                    let name = ident(&self.space.get(id).name);
                    optional(quote! { super::forms::#name })
                }
                None => quote! { super::Parts },
            },
            BodyKind::Binary(_) => quote! { super::BodyStream },
            BodyKind::Text(_) => optional(quote! { String }),
        }
    }

    fn request_struct(&self) -> Option<TokenStream> {
        if !self.has_inputs() {
            return None;
        }
        let types = quote! { super::super::types:: };
        let name = ident(&self.operation.success_type_name);
        let parameters = self.operation.parameters.iter().map(|parameter| {
            let field = ident(&parameter.rust_name);
            let ty = self.parameter_type(parameter, &types);
            let location = location_name(parameter.location);
            let mut doc = format!("The {location} parameter {}.", code_span(&parameter.wire_name));
            if let Some(description) = describe(&parameter.docs) {
                doc = format!("{doc}\n\n{description}");
            }
            let docs = doc_attrs(Some(&doc));
            quote! { #docs pub #field: #ty, }
        });
        let body = self.operation.body.as_ref().map(|body| {
            let field = ident(&body.rust_name);
            let ty = self.body_type(body, &types);
            let docs = doc_attrs(Some(body.description.as_deref().unwrap_or("The request body.")));
            quote! { #docs pub #field: #ty, }
        });
        let doc = own_doc_attrs(&format!("The inputs of {}.", code_span(&self.operation_line())));
        Some(quote! {
            #doc
            #[derive(Debug)]
            pub struct #name {
                #(#parameters)*
                #body
            }
        })
    }

    fn operation_line(&self) -> String {
        format!("{} {}", self.operation.http_method, self.operation.path)
    }

    /// Every documented answer, with its variant name; a stream offered beside a body is one more.
    fn answers(&self) -> Vec<Answer<'a>> {
        self.operation
            .success
            .iter()
            .chain(&self.operation.errors)
            .map(|response| Answer {
                response,
                variant: response.status.variant_name(),
                chooses_status: !matches!(response.status, Status::Code(_)),
            })
            .collect()
    }

    /// Whether the answer needs an enum: several documented, a status to
    /// choose, a stream beside a body, or headers beside the body.
    fn answers_with_enum(&self) -> bool {
        let answers = self.answers();
        answers.len() > 1
            || answers
                .iter()
                .any(|a| a.chooses_status || a.response.event_stream.is_some() || a.response.headers_type.is_some())
    }

    fn answer_type(&self) -> TokenStream {
        let types = quote! { super::types:: };
        if self.answers_with_enum() {
            let name = ident(&self.operation.success_type_name);
            return quote! { responses::#name };
        }
        match self.answers().first() {
            Some(answer) => {
                self.body_tokens(&answer.response.body, &types, &quote! { runtime }).unwrap_or_else(|| quote! { () })
            }
            None => quote! { () },
        }
    }

    /// The Rust type of a response body, `None` for no body.
    fn body_tokens(&self, body: &ResponseBody, types: &TokenStream, runtime: &TokenStream) -> Option<TokenStream> {
        match body {
            ResponseBody::Empty => None,
            ResponseBody::Json(ty) => Some(type_tokens(self.space, ty, types)),
            ResponseBody::Text => Some(quote! { String }),
            ResponseBody::Bytes => Some(quote! { #runtime::BodyStream }),
            ResponseBody::EventStream(ty) | ResponseBody::JsonSequence(ty) => {
                let ty = type_tokens(self.space, ty, types);
                Some(quote! { #runtime::Events<#ty> })
            }
        }
    }

    fn response_enum(&self) -> Option<TokenStream> {
        if !self.answers_with_enum() {
            return None;
        }
        let types = quote! { super::super::types:: };
        let name = ident(&self.operation.success_type_name);
        let mut variants = Vec::new();
        for answer in self.answers() {
            let variant = format_ident!("{}", answer.variant);
            let docs = doc_attrs(Some(&status_doc(answer.response)));
            let status = answer.chooses_status.then(|| quote! { super::runtime::axum::http::StatusCode });
            let body = self.body_tokens(&answer.response.body, &types, &quote! { super::runtime });
            let headers = headers_type(answer.response);
            let fields: Vec<TokenStream> = status.into_iter().chain(body).chain(headers.clone()).collect();
            variants.push(if fields.is_empty() {
                quote! { #docs #variant, }
            } else {
                quote! { #docs #variant(#(#fields),*), }
            });
            if let Some(event) = &answer.response.event_stream {
                let variant = format_ident!("{}Events", answer.variant);
                let event = type_tokens(self.space, event, &types);
                let status = answer.chooses_status.then(|| quote! { super::runtime::axum::http::StatusCode, });
                let doc = own_doc_attrs(&format!(
                    "{} As server-sent events (when the request asks for a stream).",
                    status_doc(answer.response)
                ));
                let headers = headers.map(|headers| quote! { , #headers });
                variants.push(quote! { #doc #variant(#status super::runtime::Events<#event> #headers), });
            }
        }
        let doc = own_doc_attrs(&format!("The answers of {}, by status.", code_span(&self.operation_line())));
        Some(quote! {
            #doc
            #[derive(Debug)]
            pub enum #name {
                #(#variants)*
            }
        })
    }

    /// A struct per answer that declares headers: a field per header,
    /// serialized under its wire name (the runtime writes each as text).
    fn headers_structs(&self) -> Vec<TokenStream> {
        let types = quote! { super::super::types:: };
        let mut structs = Vec::new();
        for answer in self.answers() {
            let Some(name) = &answer.response.headers_type else { continue };
            let fields = answer.response.headers.iter().map(|header| {
                let field = ident(&header.rust_name);
                let wire = &header.wire_name;
                let mut doc = format!("The header {}.", code_span(wire));
                if let Some(description) = describe(&header.docs) {
                    doc = format!("{doc}\n\n{description}");
                }
                let docs = doc_attrs(Some(&doc));
                if header.required {
                    let ty = type_tokens(self.space, &header.ty, &types);
                    quote! { #docs #[serde(rename = #wire)] pub #field: #ty, }
                } else {
                    let ty = type_tokens(self.space, &header.ty.clone().optional(), &types);
                    quote! { #docs #[serde(rename = #wire, skip_serializing_if = "Option::is_none")] pub #field: #ty, }
                }
            });
            let doc = own_doc_attrs(&format!(
                "The headers of the {} answer of {}.",
                status_label(answer.response.status),
                code_span(&self.operation_line())
            ));
            let name = ident(name);
            structs.push(quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                pub struct #name {
                    #(#fields)*
                }
            });
        }
        structs
    }

    fn trait_method(&self) -> TokenStream {
        let method = ident(self.method);
        let answer = self.answer_type();
        let request = self.has_inputs().then(|| {
            let request = self.request_name();
            quote! { , request: #request }
        });
        let mut doc = Vec::new();
        let summary = self.operation.summary.as_deref().map(str::trim).filter(|s| !s.is_empty());
        doc.extend(summary.map(str::to_string));
        doc.extend(
            self.operation
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty() && Some(*d) != summary)
                .map(str::to_string),
        );
        doc.push(code_span(&self.operation_line()));
        let docs = doc_attrs(Some(&doc.join("\n\n")));
        quote! {
            #docs
            fn #method(&self, context: Context #request) -> impl std::future::Future<Output = #answer> + Send;
        }
    }

    /// The status a request that does not fit is answered with: 400 where the spec documents it and not 422.
    fn validation_status(&self) -> u16 {
        let documents = |code: u16| self.operation.errors.iter().any(|r| r.status == Status::Code(code));
        if documents(400) && !documents(422) {
            400
        } else {
            422
        }
    }

    fn handler(&self, trait_name: &proc_macro2::Ident) -> TokenStream {
        let method = ident(&self.operation.method_name);
        let types = quote! { super::super::types:: };
        let mut reads = Vec::new();
        // Locals are numbered, not named after the spec's names, which could be `incoming` or `service`.
        let mut names = Vec::new();
        let mut fields = Vec::new();
        for (index, parameter) in self.operation.parameters.iter().enumerate() {
            let name = format_ident!("input{index}");
            fields.push(ident(&parameter.rust_name));
            let wire = &parameter.wire_name;
            let ty = self.parameter_type(parameter, &types);
            let required = parameter.required;
            let shape = shape(self.space, &parameter.ty);
            let read = match parameter.location {
                ParameterLocation::Path => {
                    let leaf = leaf(self.space, &parameter.ty);
                    quote! { incoming.path::<#ty>(#wire, #leaf) }
                }
                ParameterLocation::Query => {
                    let (style, runtime) = (query_style_variant(parameter.style), self.runtime);
                    if parameter.style == QueryStyle::FormExploded && is_object(self.space, &parameter.ty) {
                        let others = self
                            .operation
                            .parameters
                            .iter()
                            .filter(|other| other.location == ParameterLocation::Query && other.wire_name != *wire)
                            .map(|other| &other.wire_name);
                        quote! { incoming.query_fields::<#ty>(#wire, &[#(#others),*], #required) }
                    } else {
                        quote! { incoming.query::<#ty>(#wire, #runtime::QueryStyle::#style, #shape, #required) }
                    }
                }
                ParameterLocation::Header => quote! { incoming.header::<#ty>(#wire, #shape, #required) },
                ParameterLocation::Cookie => {
                    let leaf = leaf(self.space, &parameter.ty);
                    quote! { incoming.cookie::<#ty>(#wire, #leaf, #required) }
                }
            };
            reads.push(quote! { let #name = #read; });
            if parameter.bounds != Bounds::default() {
                let (location, bounds) = (location_name(parameter.location), bounds_tokens(&parameter.bounds));
                reads.push(quote! { incoming.within(#location, #wire, &#name, &#bounds); });
            }
            names.push(name);
        }
        if let Some(body) = &self.operation.body {
            let name = format_ident!("input_body");
            let field = ident(&body.rust_name);
            let ty = self.body_type(body, &types);
            let required = body.required;
            match &body.kind {
                BodyKind::Json(_) => {
                    reads.push(quote! { let #name = incoming.json::<#ty>(#required).await; });
                    names.push(name);
                    fields.push(field);
                }
                BodyKind::FormUrlEncoded(_) => {
                    reads.push(quote! { let #name = incoming.form::<#ty>(#required).await; });
                    names.push(name);
                    fields.push(field);
                }
                BodyKind::Text(_) => {
                    reads.push(quote! { let #name = incoming.text::<#ty>(#required).await; });
                    names.push(name);
                    fields.push(field);
                }
                BodyKind::Binary(_) => {
                    reads.push(quote! { let #name = incoming.bytes(#required); });
                    names.push(name);
                    fields.push(field);
                }
                BodyKind::Multipart(_) => {
                    reads.push(self.multipart_read(&name, body));
                    names.push(name);
                    fields.push(field);
                }
            }
        }
        let status = self.validation_status();
        let check = if names.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                let (#(Some(#names),)*) = (#(#names,)*) else {
                    return incoming.reject(#status);
                };
            }
        };
        let request = self.has_inputs().then(|| {
            let request = self.request_name();
            quote! { , super::#request { #(#fields: #names,)* } }
        });
        let mutable = (!reads.is_empty()).then(|| quote! { mut });
        let authentication = self.authentication();
        let trait_method = ident(self.method);
        let call = quote! { service.#trait_method(context #request).await };
        let answer = self.write_answer(&call);
        quote! {
            pub(super) async fn #method<S: super::#trait_name + ?Sized>(service: &S, #mutable incoming: super::runtime::Incoming) -> super::Response {
                #authentication
                #(#reads)*
                #check
                let context = match incoming.finish(#status) {
                    Ok(context) => context,
                    Err(rejection) => return *rejection,
                };
                #answer
            }
        }
    }

    /// Answers 401 before anything is read when the request lacks the
    /// credentials of every security alternative of the operation (as FastAPI's
    /// security dependencies do); nothing for an operation that asks for none.
    fn authentication(&self) -> TokenStream {
        let alternatives = &self.operation.security;
        if alternatives.is_empty() {
            return TokenStream::new();
        }
        let credential = |scheme_use: &SchemeUse| {
            let kind = super::security::kind_variant(&self.schemes[scheme_use.scheme].kind);
            quote! { super::runtime::SchemeKind::#kind }
        };
        let alternatives = alternatives.iter().map(|alternative| {
            let credentials = alternative.iter().map(credential);
            quote! { &[#(#credentials),*] }
        });
        // The challenge names the first alternative's HTTP scheme, as FastAPI's `HTTPBearer` does.
        let challenge = match self.operation.security[0].first().map(|scheme_use| &self.schemes[scheme_use.scheme].kind)
        {
            Some(SchemeKind::Bearer) => quote! { Some("Bearer") },
            Some(SchemeKind::Basic) => quote! { Some("Basic") },
            _ => quote! { None },
        };
        quote! {
            if !incoming.carries_credentials(&[#(#alternatives),*]) {
                return super::runtime::not_authenticated(#challenge);
            }
        }
    }

    /// Reads a multipart body: into its form struct field by field, or as raw parts.
    fn multipart_read(&self, name: &proc_macro2::Ident, body: &RequestBody) -> TokenStream {
        let required = body.required;
        let Some((id, s)) = multipart_struct(self.space, &self.operation.body) else {
            return quote! {
                let #name = if incoming.multipart(&[], #required).await { incoming.all_parts() } else { None };
            };
        };
        let types = quote! { super::super::types:: };
        let form = ident(&self.space.get(id).name);
        let fields: Vec<&Field> = s.fields.iter().filter(|f| !f.flatten).collect();
        let file_fields: Vec<&String> = fields
            .iter()
            .filter(|f| !matches!(form_field(self.space, &f.ty), FormField::Text))
            .map(|f| &f.wire_name)
            .collect();
        let idents: Vec<_> = (0..fields.len()).map(|index| format_ident!("part{index}")).collect();
        let field_idents = fields.iter().map(|f| ident(&f.rust_name));
        let reads = fields.iter().zip(&idents).map(|(field, field_ident)| {
            let wire = &field.wire_name;
            match form_field(self.space, &field.ty) {
                FormField::Text => {
                    let ty = type_tokens(self.space, &field.ty, &types);
                    let shape = shape(self.space, &field.ty);
                    let required = !field.ty.is_option();
                    quote! { let #field_ident = incoming.part_text::<#ty>(#wire, #shape, #required); }
                }
                _ => quote! { let #field_ident = incoming.part_files(#wire); },
            }
        });
        let form_value = quote! { super::forms::#form { #(#field_idents: #idents),* } };
        let value = if required {
            form_value
        } else {
            quote! { Some(#form_value) }
        };
        quote! {
            let #name = if incoming.multipart(&[#(#file_fields),*], #required).await {
                #(#reads)*
                match (#(#idents,)*) {
                    (#(Some(#idents),)*) => Some(#value),
                    _ => None,
                }
            } else {
                None
            };
        }
    }

    /// Writes the implementation's answer.
    fn write_answer(&self, call: &TokenStream) -> TokenStream {
        if !self.answers_with_enum() {
            return match self.answers().first() {
                Some(answer) if answer.response.body != ResponseBody::Empty => {
                    let write = write_body(
                        self.space,
                        answer.response,
                        &quote! { answer },
                        &status_literal(answer.response.status),
                    );
                    quote! {
                        let answer = #call;
                        #write
                    }
                }
                // No body to write: the status the spec gives, else 200 (3.1 allows no `responses` at all).
                answer => {
                    let status = answer.map_or(quote! { 200u16 }, |answer| status_literal(answer.response.status));
                    quote! {
                        #call;
                        super::runtime::reply_empty(#status)
                    }
                }
            };
        }
        let name = ident(&self.operation.success_type_name);
        let arms = self.answers().into_iter().flat_map(|answer| {
            let variant = format_ident!("{}", answer.variant);
            let status = if answer.chooses_status {
                quote! { status.as_u16() }
            } else {
                status_literal(answer.response.status)
            };
            let status_binding = answer.chooses_status.then(|| quote! { status });
            let body_binding = (answer.response.body != ResponseBody::Empty).then(|| quote! { body });
            let has_headers = answer.response.headers_type.is_some();
            let headers_binding = has_headers.then(|| quote! { headers });
            // The implementation's headers are added to the written answer.
            let with_headers = |write: TokenStream| {
                if has_headers {
                    quote! { super::runtime::with_headers(#write, &headers) }
                } else {
                    write
                }
            };
            let write = with_headers(write_body(self.space, answer.response, &quote! { body }, &status));
            let bindings: Vec<&TokenStream> =
                status_binding.iter().chain(&body_binding).chain(&headers_binding).collect();
            let arm = if bindings.is_empty() {
                quote! { super::responses::#name::#variant => #write, }
            } else {
                quote! { super::responses::#name::#variant(#(#bindings),*) => #write, }
            };
            let events = answer.response.event_stream.as_ref().map(|event| {
                let variant = format_ident!("{}Events", answer.variant);
                let write = with_headers(write_events(self.space, event, &quote! { events }, &status));
                let events_binding = quote! { events };
                let bindings = status_binding.iter().chain(std::iter::once(&events_binding)).chain(&headers_binding);
                quote! { super::responses::#name::#variant(#(#bindings),*) => #write, }
            });
            std::iter::once(arm).chain(events)
        });
        quote! {
            match #call {
                #(#arms)*
            }
        }
    }
}

/// How FastAPI names a parameter's location in `loc`.
fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// The runtime's `Bounds` with the bounds that are set, the others `NONE`'s.
fn bounds_tokens(bounds: &Bounds) -> TokenStream {
    let number = |bound: Option<f64>| bound.map(proc_macro2::Literal::f64_suffixed);
    let count = |bound: Option<usize>| bound.map(proc_macro2::Literal::usize_suffixed);
    let mut fields = Vec::new();
    let limits = [
        ("minimum", number(bounds.minimum)),
        ("maximum", number(bounds.maximum)),
        ("min_length", count(bounds.min_length)),
        ("max_length", count(bounds.max_length)),
        ("min_items", count(bounds.min_items)),
        ("max_items", count(bounds.max_items)),
    ];
    for (field, value) in limits {
        if let Some(value) = value {
            let field = format_ident!("{field}");
            fields.push(quote! { #field: Some(#value), });
        }
    }
    for (field, set) in
        [("exclusive_minimum", bounds.exclusive_minimum), ("exclusive_maximum", bounds.exclusive_maximum)]
    {
        if set {
            let field = format_ident!("{field}");
            fields.push(quote! { #field: true, });
        }
    }
    quote! { super::runtime::Bounds { #(#fields)* ..super::runtime::Bounds::NONE } }
}

/// The type of a response's headers struct, when it declares headers.
fn headers_type(response: &Response) -> Option<TokenStream> {
    let name = ident(response.headers_type.as_deref()?);
    Some(quote! { super::headers::#name })
}

fn status_literal(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => quote! { #code },
        // Only answers with a fixed status are written without one chosen.
        Status::Range(digit) => {
            let code = digit * 100;
            quote! { #code }
        }
        Status::Default => quote! { 500u16 },
    }
}

/// The expression that writes `value`, the body of `response`, with `status`.
fn write_body(space: &TypeSpace, response: &Response, value: &TokenStream, status: &TokenStream) -> TokenStream {
    let media_type = response.media_type.as_deref();
    match &response.body {
        ResponseBody::Empty => quote! { super::runtime::reply_empty(#status) },
        ResponseBody::Json(_) => {
            let media_type = media_type.unwrap_or("application/json");
            quote! { super::runtime::reply_json(#status, &#value, #media_type) }
        }
        ResponseBody::Text => {
            let media_type = media_type.unwrap_or("text/plain");
            quote! { super::runtime::reply_text(#status, #value, #media_type) }
        }
        ResponseBody::Bytes => {
            let media_type = media_type.unwrap_or("application/octet-stream");
            quote! { super::runtime::reply_bytes(#status, #value, #media_type) }
        }
        ResponseBody::JsonSequence(_) => {
            let media_type = media_type.unwrap_or("application/jsonl");
            quote! { super::runtime::reply_json_sequence(#status, #value, #media_type) }
        }
        ResponseBody::EventStream(event) => write_events(space, event, value, status),
    }
}

/// Server-sent events: plain strings are sent as they are, other types as JSON.
fn write_events(space: &TypeSpace, event: &TypeRef, value: &TokenStream, status: &TokenStream) -> TokenStream {
    match space.resolve(event) {
        TypeRef::String => quote! { super::runtime::reply_text_events(#status, #value) },
        _ => quote! { super::runtime::reply_events(#status, #value) },
    }
}

/// `404`, `4XX`, `default`.
fn status_label(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_string(),
    }
}

fn status_doc(response: &Response) -> String {
    let status = match response.status {
        Status::Default => "Any other status".to_string(),
        other => status_label(other),
    };
    let description = response.description.trim();
    if description.is_empty() {
        format!("{status}.")
    } else {
        format!("{status}: {description}")
    }
}

/// How a parameter's text is read: numbers and booleans (and unions, which may be one) as such.
fn leaf(space: &TypeSpace, ty: &TypeRef) -> TokenStream {
    let scalar = match unwrapped(space, ty) {
        TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Boolean => true,
        TypeRef::Named(id) => matches!(space.get(*id).kind, TypeKind::Union(_)),
        _ => false,
    };
    if scalar {
        quote! { super::runtime::Leaf::Scalar }
    } else {
        quote! { super::runtime::Leaf::Text }
    }
}

/// Whether a parameter or form field is an object (a struct or a map).
fn is_object(space: &TypeSpace, ty: &TypeRef) -> bool {
    match unwrapped(space, ty) {
        TypeRef::Map(_) | TypeRef::Any => true,
        TypeRef::Named(id) => matches!(space.get(*id).kind, TypeKind::Struct(_)),
        _ => false,
    }
}

/// The type without its `Option` or `Box`, aliases followed.
fn unwrapped<'a>(space: &'a TypeSpace, ty: &'a TypeRef) -> &'a TypeRef {
    match space.resolve(ty) {
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => space.resolve(inner),
        other => other,
    }
}

/// The shape of a parameter or form field: one value, a list, or an object.
fn shape(space: &TypeSpace, ty: &TypeRef) -> TokenStream {
    if is_object(space, ty) {
        return quote! { super::runtime::Shape::Object };
    }
    match unwrapped(space, ty) {
        TypeRef::Array(item) => {
            let leaf = leaf(space, item);
            quote! { super::runtime::Shape::Many(#leaf) }
        }
        other => {
            let leaf = leaf(space, other);
            quote! { super::runtime::Shape::One(#leaf) }
        }
    }
}
