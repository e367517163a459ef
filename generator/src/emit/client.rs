//! The client: one method per operation on the API's `Client` (which wraps
//! the runtime's, see [`super::api_client`]), plus the multipart form
//! structs, the markers of calls with optional parameters, and the enums of
//! operations that answer with several kinds of success. The runtime itself
//! is a crate (or a vendored module) that the code names through one path.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::api_client;
use super::docs::{code_span, describe, doc_attrs, own_doc_attrs};
use super::features::{cfg_any, operation_features, CLIENT};
use super::models::{ident, type_tokens};
use super::security::{emit_schemes, request_security};
use crate::format::{List, Piece};
use crate::ir::*;

/// Everything the client needs, to be placed beside the `types` module;
/// `runtime` is the path of the client runtime. `impl Client`, a method an
/// operation, is a [`List`] built a chunk of methods at a time as it prints;
/// the calls' setters after it are built once it has printed.
pub fn emit_client<'m>(
    model: &'m Model,
    cargo_features: bool,
    runtime: &TokenStream,
) -> impl Iterator<Item = Piece<'m>> + 'm {
    let forms = forms(
        model,
        &quote! { super::types:: },
        &quote! { super::FilePart },
        &quote! { #[derive(Debug, Clone)] },
        &|features| {
            if cargo_features {
                cfg_any(features)
            } else {
                TokenStream::new()
            }
        },
    );
    let gate_client = cargo_features.then(|| cfg_any([&CLIENT.to_string()]));
    let mut markers = Vec::new();
    let mut success_types = Vec::new();
    // Each page type, with how it pages and the features of the operations that answer with it.
    let mut pages: BTreeMap<usize, (&Pagination, BTreeSet<String>)> = BTreeMap::new();
    for operation in &model.operations {
        let emitter = OperationEmitter::new(model, operation, cargo_features, runtime);
        markers.extend(emitter.marker_declaration());
        success_types.extend(emitter.success(&emitter.marker_type()).1);
        success_types.extend(emitter.error_alias());
        if let Some(pagination) = &operation.pagination {
            pages
                .entry(pagination.page.0)
                .or_insert_with(|| (pagination, BTreeSet::new()))
                .1
                .extend(operation_features(operation));
        }
    }
    let default_url = model.servers.first().filter(|url| url.starts_with("http") && !url.contains('{'));
    let client = api_client::client(runtime, &gate_client, default_url.map(String::as_str), &model.title);
    let call = api_client::call(runtime, &gate_client);
    let security = emit_schemes(&model.security_schemes, &gate_client, runtime);
    let forms_module = (!forms.is_empty()).then(|| {
        quote! {
            /// The bodies of `multipart/form-data` operations: files as [`FilePart`]s, other fields typed.
            #gate_client
            pub mod forms {
                #(#forms)*
            }
        }
    });
    let markers_module = (!markers.is_empty()).then(|| {
        quote! {
            /// Markers of the calls that take optional parameters; the parameters are methods of [`Call`].
            #gate_client
            pub mod params {
                #(#markers)*
            }
        }
    });
    let success_module = (!success_types.is_empty()).then(|| {
        quote! {
            /// Results of the operations that answer with different bodies for different
            /// success statuses, and names of result types too long for a signature.
            // Each is a value returned once and matched at once, not stored by
            // the thousand; boxing a large body would only add an allocation.
            #gate_client
            #[allow(clippy::large_enum_variant)]
            pub mod responses {
                #(#success_types)*
            }
        }
    });
    let head = quote! {
        #gate_client
        pub use #runtime::{ByteStream, Credential, Error, ErrorBody, EventStream, FilePart, Hook, MissingVariable, Response, ResultStream, RetryPolicy, TokenProvider};

        #client
        #call
        #security
        #forms_module
        #markers_module
        #success_module
    };
    let item = move |methods: TokenStream| {
        quote! {
            #gate_client
            impl Client {
                #methods
            }
        }
    };
    let method_runtime = runtime.clone();
    let methods = model
        .operations
        .iter()
        .map(move |operation| OperationEmitter::new(model, operation, cargo_features, &method_runtime).methods());
    let runtime = runtime.clone();
    let tail = std::iter::once_with(move || {
        let setters = model
            .operations
            .iter()
            .filter_map(|operation| OperationEmitter::new(model, operation, cargo_features, &runtime).setters());
        let page_impls = pages.into_values().map(|(pagination, features)| {
            let gate = if cargo_features { cfg_any(&features) } else { TokenStream::new() };
            page_impl(&model.types, pagination, &quote! { types:: }, &runtime, gate)
        });
        Piece::Items(quote! {
            #(#setters)*
            #(#page_impls)*
        })
    });
    [Piece::Items(head), Piece::List(List::new(item, methods))].into_iter().chain(tail)
}

/// The runtime's `Page` for the answer of a list operation: where its items and its next cursor are.
fn page_impl(
    space: &TypeSpace,
    pagination: &Pagination,
    types: &TokenStream,
    runtime: &TokenStream,
    gate: TokenStream,
) -> TokenStream {
    let page = type_tokens(space, &TypeRef::Named(pagination.page), types);
    let item = type_tokens(space, &pagination.item, types);
    let items = ident(&pagination.items.rust_name);
    let into_items = if pagination.items.optional {
        quote! { self.#items.unwrap_or_default() }
    } else {
        quote! { self.#items }
    };
    let stop = pagination.has_more.as_ref().map(|has_more| {
        let field = ident(&has_more.rust_name);
        let last_page = if has_more.optional {
            quote! { self.#field == Some(false) }
        } else {
            quote! { !self.#field }
        };
        quote! {
            if #last_page {
                return None;
            }
        }
    });
    let cursor = match &pagination.next_cursor {
        NextCursor::Field(cursor) => {
            let field = ident(&cursor.rust_name);
            if cursor.optional {
                quote! { self.#field.clone() }
            } else {
                quote! { Some(self.#field.clone()) }
            }
        }
        NextCursor::LastItemId(id) => {
            let id = ident(id);
            let list = if pagination.items.optional {
                quote! { self.#items.as_ref()? }
            } else {
                quote! { self.#items }
            };
            quote! { #list.last().map(|item| item.#id.clone()) }
        }
    };
    quote! {
        #gate
        impl #runtime::Page for #page {
            type Item = #item;

            fn next_cursor(&self) -> Option<String> {
                #stop
                #cursor
            }

            fn into_items(self) -> Vec<#item> {
                #into_items
            }
        }
    }
}

/// How a multipart field is sent.
pub(super) enum FormField {
    /// One file, optional or not.
    File {
        optional: bool,
    },
    /// Several files (an array of binary, or a union of a file and an array of files).
    Files {
        optional: bool,
    },
    Text,
}

pub(super) fn form_field(space: &TypeSpace, ty: &TypeRef) -> FormField {
    let (optional, inner) = match ty {
        TypeRef::Option(inner) => (true, space.resolve(inner)),
        other => (false, space.resolve(other)),
    };
    let is_file = |ty: &TypeRef| matches!(space.resolve(ty), TypeRef::Bytes);
    match inner {
        TypeRef::Bytes => FormField::File { optional },
        TypeRef::Array(item) if is_file(item) => FormField::Files { optional },
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Union(union)
                if union.variants.iter().any(|v| {
                    is_file(&v.ty) || matches!(space.resolve(&v.ty), TypeRef::Array(item) if is_file(item))
                }) =>
            {
                FormField::Files { optional }
            }
            _ => FormField::Text,
        },
        _ => FormField::Text,
    }
}

/// The struct of a multipart body, when the spec describes it field by field.
pub(super) fn multipart_struct<'a>(space: &'a TypeSpace, body: &Option<RequestBody>) -> Option<(TypeId, &'a Struct)> {
    match body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Multipart(ty)) => match space.resolve(ty) {
            TypeRef::Named(id) => match &space.get(*id).kind {
                TypeKind::Struct(s) => Some((*id, s)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The struct of each multipart body: files as `file` (the client's
/// `FilePart`, the server's `UploadedFile`), other fields typed (`types` is
/// how the `types` module is reached); `gate` compiles each with the
/// features of the operations that send it.
pub(super) fn forms(
    model: &Model,
    types: &TokenStream,
    file: &TokenStream,
    derive: &TokenStream,
    gate: &dyn Fn(&BTreeSet<String>) -> TokenStream,
) -> Vec<TokenStream> {
    let space = &model.types;
    // Each form struct, with the features of the operations that send it.
    let mut structs: BTreeMap<usize, (&Struct, BTreeSet<String>)> = BTreeMap::new();
    for operation in &model.operations {
        if let Some((id, s)) = multipart_struct(space, &operation.body) {
            structs.entry(id.0).or_insert_with(|| (s, BTreeSet::new())).1.extend(operation_features(operation));
        }
    }
    structs
        .into_iter()
        .map(|(id, (s, features))| {
            let gate = gate(&features);
            let entry = space.get(TypeId(id));
            let name = ident(&entry.name);
            let docs = doc_attrs(describe(&entry.docs).as_deref());
            let fields = s.fields.iter().filter(|f| !f.flatten).map(|field| {
                let field_ident = ident(&field.rust_name);
                let docs = doc_attrs(describe(&field.docs).as_deref());
                let ty = match form_field(space, &field.ty) {
                    FormField::File { optional: false } => file.clone(),
                    FormField::File { optional: true } => quote! { Option<#file> },
                    FormField::Files { optional: false } => quote! { Vec<#file> },
                    FormField::Files { optional: true } => quote! { Option<Vec<#file>> },
                    FormField::Text => type_tokens(space, &field.ty, types),
                };
                quote! { #docs pub #field_ident: #ty, }
            });
            quote! {
                #docs
                #gate
                #derive
                pub struct #name {
                    #(#fields)*
                }
            }
        })
        .collect()
}

#[derive(Clone)]
struct OperationEmitter<'a> {
    space: &'a TypeSpace,
    schemes: &'a [SecurityScheme],
    operation: &'a Operation,
    /// How the `types` module is reached from the code being emitted.
    types: TokenStream,
    /// How the `responses` module is reached from it (empty inside it).
    responses: TokenStream,
    /// The path of the client runtime.
    runtime: TokenStream,
    /// The `cfg` that compiles the operation only with its features (or nothing).
    gate: TokenStream,
}

/// What a success response decodes into.
struct Success {
    ty: TokenStream,
    decoder: TokenStream,
}

impl<'a> OperationEmitter<'a> {
    /// The emitter of a client's method, which reaches the types through `types::`.
    fn new(model: &'a Model, operation: &'a Operation, cargo_features: bool, runtime: &TokenStream) -> Self {
        OperationEmitter {
            space: &model.types,
            schemes: &model.security_schemes,
            operation,
            types: quote! { types:: },
            responses: quote! { responses:: },
            runtime: runtime.clone(),
            gate: if cargo_features { cfg_any(&operation_features(operation)) } else { TokenStream::new() },
        }
    }

    /// The marker of the operation's calls, if they take optional parameters.
    fn marker_declaration(&self) -> Option<TokenStream> {
        let op = self.operation;
        let marker = ident(op.marker.as_deref()?);
        let doc = own_doc_attrs(&format!(
            "Marks a call of [`Client::{}`](super::Client::{}).",
            op.method_name, op.method_name
        ));
        let gate = &self.gate;
        Some(quote! {
            #doc
            #gate
            #[derive(Debug)]
            pub enum #marker {}
        })
    }

    /// The methods of the operation's calls that set its optional parameters (and page), if it has a marker.
    fn setters(&self) -> Option<TokenStream> {
        let op = self.operation;
        op.marker.as_ref()?;
        let error_type = self.error_type();
        let optional: Vec<&Parameter> = op.parameters.iter().filter(|p| !p.required).collect();
        let marker_type = self.marker_type();
        let mut setters = self.setter_methods(&optional, &error_type, &marker_type);
        // The cursor parameter is optional, so a list operation always has a marker.
        if let Some(pagination) = &op.pagination {
            setters.extend(self.pagination_methods(pagination, &error_type, &marker_type));
        }
        Some(setters)
    }

    /// `, params::Marker` if the operation's calls take optional parameters, the last type argument of its `Call`.
    fn marker_type(&self) -> TokenStream {
        match self.operation.marker.as_deref().map(ident) {
            Some(marker) => quote! { , params::#marker },
            None => TokenStream::new(),
        }
    }

    /// The operation's methods of `Client`: the call, and its `_stream` twin if it has one.
    fn methods(&self) -> TokenStream {
        let op = self.operation;
        let method = ident(&op.method_name);
        let error_type = self.error_type();
        let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
        let marker_type = self.marker_type();

        let mut arguments: Vec<TokenStream> = required
            .iter()
            .map(|p| {
                let name = ident(&p.rust_name);
                let ty = self.argument_type(&p.ty);
                quote! { #name: #ty }
            })
            .collect();
        let mut building: Vec<TokenStream> =
            required.iter().map(|p| self.set_parameter(p, &ident(&p.rust_name))).collect();
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            let body_name = ident(&body.rust_name);
            let (ty, send) = self.body(&body.kind, &quote! { #body_name });
            arguments.push(quote! { #body_name: #ty });
            building.push(send);
        }
        if let Some(media_type) = op.success.first().and_then(|r| r.media_type.as_deref()) {
            building.push(quote! { .accept(#media_type) });
        }
        building.extend(request_security(self.schemes, &op.security));
        let statuses = self.documented_error_statuses();
        let runtime = &self.runtime;
        if !statuses.is_empty() {
            building.push(quote! { .errors(&[#(#statuses),*]) });
        }
        let http_method = match op.http_method.as_str() {
            "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" => {
                let constant = format_ident!("{}", op.http_method);
                quote! { #runtime::reqwest::Method::#constant }
            }
            // 3.2's QUERY and custom methods; the loader refused any that is not a token.
            other => {
                let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
                quote! { #runtime::reqwest::Method::from_bytes(#bytes).expect("apigen checked that the method is an HTTP token") }
            }
        };
        let template = &op.path;
        let request = quote! {
            let request = #runtime::Request::new(#http_method, #template) #(#building)*;
        };

        let (success, _) = self.success(&marker_type);
        let success_type = &success.ty;
        let decoder = &success.decoder;
        let docs = doc_attrs(Some(&self.method_docs()));
        let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
        let gate = &self.gate;
        let mut methods = quote! {
            #docs
            #gate
            #deprecated
            pub fn #method(&self, #(#arguments),*) -> Call<'_, #success_type, #error_type #marker_type> {
                #request
                Call::from(self.call(request, #decoder))
            }
        };
        let event_type = op.success.iter().find_map(|r| r.event_stream.as_ref());
        if let (Some(stream_method), Some(event_type)) = (&op.stream_method_name, event_type) {
            methods.extend(self.stream_method(
                &ident(stream_method),
                &arguments,
                &request,
                event_type,
                &error_type,
                &marker_type,
            ));
        }
        methods
    }

    /// The `_stream` twin of a method whose response can also be an event stream.
    fn stream_method(
        &self,
        stream_method: &Ident,
        arguments: &[TokenStream],
        request: &TokenStream,
        event_type: &TypeRef,
        error_type: &TokenStream,
        marker_type: &TokenStream,
    ) -> TokenStream {
        let op = self.operation;
        let event = type_tokens(self.space, event_type, &self.types);
        let decoder = self.event_decoder(event_type, error_type);
        // OpenAI-style APIs stream only when the body asks for it.
        let asks_for_stream = self.json_body_field("stream").then(|| quote! { .extra_body("stream", true) });
        let doc = own_doc_attrs(&format!(
            "Like [`Client::{}`], but the response comes as a stream of server-sent events.",
            op.method_name
        ));
        let gate = &self.gate;
        quote! {
            #doc
            #gate
            pub fn #stream_method(&self, #(#arguments),*) -> Call<'_, EventStream<#event, #error_type>, #error_type #marker_type> {
                #request
                let request = request.accept("text/event-stream");
                Call::from(self.call(request, #decoder)) #asks_for_stream
            }
        }
    }

    fn json_body_field(&self, wire_name: &str) -> bool {
        match self.operation.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(ty)) => match self.space.resolve(ty) {
                TypeRef::Named(id) => {
                    matches!(&self.space.get(*id).kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.wire_name == wire_name))
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn method_docs(&self) -> String {
        let op = self.operation;
        let mut parts = Vec::new();
        let summary = op.summary.as_deref().map(str::trim).filter(|s| !s.is_empty());
        parts.extend(summary.map(str::to_string));
        parts.extend(
            op.description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty() && Some(*d) != summary)
                .map(str::to_string),
        );
        let tags = if op.tags.is_empty() {
            String::new()
        } else {
            format!(" (tag {})", op.tags.iter().map(|t| code_span(t)).collect::<Vec<_>>().join(", "))
        };
        parts.push(format!("{}{tags}", code_span(&format!("{} {}", op.http_method, op.path))));
        let documented: Vec<String> = op
            .parameters
            .iter()
            .filter_map(|p| {
                p.docs
                    .description
                    .as_ref()
                    .map(|d| format!("- `{}`: {}", p.rust_name, d.trim().replace(['\r', '\n'], " ")))
            })
            .collect();
        if !documented.is_empty() {
            parts.push(format!("# Parameters\n{}", documented.join("\n")));
        }
        if op.deprecated {
            parts.push("Deprecated.".to_string());
        }
        parts.join("\n\n")
    }

    /// How a parameter is taken: strings and slices by reference, numbers by value.
    fn argument_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote! { &str },
            TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Boolean => type_tokens(self.space, ty, &self.types),
            TypeRef::Array(item) => {
                let item = type_tokens(self.space, item, &self.types);
                quote! { &[#item] }
            }
            TypeRef::Option(inner) => {
                let inner = self.argument_type(inner);
                quote! { Option<#inner> }
            }
            other => {
                let ty = type_tokens(self.space, other, &self.types);
                quote! { &#ty }
            }
        }
    }

    /// The builder step that sends one parameter's value.
    fn set_parameter(&self, parameter: &Parameter, value: &Ident) -> TokenStream {
        let wire = &parameter.wire_name;
        let by_ref = quote! { &#value };
        let runtime = &self.runtime;
        match parameter.location {
            ParameterLocation::Path => quote! { .path(#wire, #by_ref) },
            ParameterLocation::Query => {
                let style = query_style_variant(parameter.style);
                quote! { .query(#wire, #by_ref, #runtime::QueryStyle::#style) }
            }
            ParameterLocation::Header => quote! { .header(#wire, #by_ref) },
            ParameterLocation::Cookie => quote! { .cookie(#wire, #by_ref) },
        }
    }

    /// The argument type of a body and the builder step that sends it.
    fn body(&self, kind: &BodyKind, value: &TokenStream) -> (TokenStream, TokenStream) {
        match kind {
            BodyKind::Json(ty) => {
                let ty = type_tokens(self.space, ty, &self.types);
                (quote! { &#ty }, quote! { .json(#value) })
            }
            BodyKind::FormUrlEncoded(ty) => {
                let ty = type_tokens(self.space, ty, &self.types);
                (quote! { &#ty }, quote! { .form(#value) })
            }
            BodyKind::Multipart(ty) => {
                let part_content_types = self.operation.body.iter().flat_map(|body| &body.part_content_types);
                let part_headers = self.operation.body.iter().flat_map(|body| &body.part_headers);
                let part_steps: Vec<TokenStream> = part_content_types
                    .map(|(part, content_type)| quote! { .part_content_type(#part, #content_type) })
                    .chain(part_headers.map(|header| {
                        let (part, name, value) = (&header.part, &header.name, &header.value);
                        quote! { .part_header(#part, #name, #value) }
                    }))
                    .collect();
                match multipart_struct(self.space, &self.operation.body) {
                    Some((id, s)) => {
                        let name = ident(&self.space.get(id).name);
                        let parts = s.fields.iter().filter(|f| !f.flatten).map(|field| {
                            let field_ident = ident(&field.rust_name);
                            let wire = &field.wire_name;
                            match form_field(self.space, &field.ty) {
                                FormField::File { optional: false } => {
                                    quote! { .part_files(#wire, [#value.#field_ident]) }
                                }
                                FormField::File { optional: true } | FormField::Files { optional: false } => {
                                    quote! { .part_files(#wire, #value.#field_ident) }
                                }
                                FormField::Files { optional: true } => {
                                    quote! { .part_files(#wire, #value.#field_ident.into_iter().flatten()) }
                                }
                                FormField::Text => quote! { .part_text(#wire, &#value.#field_ident) },
                            }
                        });
                        (quote! { forms::#name }, quote! { #(#parts)* #(#part_steps)* })
                    }
                    None => {
                        let ty = type_tokens(self.space, ty, &self.types);
                        (quote! { &#ty }, quote! { .part_fields(#value) #(#part_steps)* })
                    }
                }
            }
            BodyKind::Binary(content_type) => (quote! { FilePart }, quote! { .file(#content_type, #value) }),
            BodyKind::Text(content_type) => (quote! { &str }, quote! { .text(#content_type, #value.to_string()) }),
        }
    }

    /// The type of documented error bodies: the one schema they share, or the runtime's JSON `ErrorBody`.
    /// The error type as the method's signature spells it: an alias in
    /// `responses` ([`Self::error_alias`]) or the type itself.
    fn error_type(&self) -> TokenStream {
        match self.error_alias() {
            Some(_) => {
                let (responses, name) = (&self.responses, ident(&self.operation.error_type_name));
                quote! { #responses #name }
            }
            None => self.spelled_error_type(),
        }
    }

    /// The declaration of an alias of the error type, when beside even the
    /// simplest success type it makes the signature too complex for clippy
    /// (an inline tuple of maps, say).
    fn error_alias(&self) -> Option<TokenStream> {
        let error_type = self.spelled_error_type();
        let marker = self.operation.marker.as_deref().map(ident).map(|marker| quote! { , params::#marker });
        if type_complexity(&quote! { Call<'_, (), #error_type #marker> }) <= CLIPPY_TYPE_COMPLEXITY_THRESHOLD {
            return None;
        }
        let nested = OperationEmitter { types: quote! { super::types:: }, ..self.clone() };
        let (name, aliased, gate) = (ident(&self.operation.error_type_name), nested.spelled_error_type(), &self.gate);
        let doc = format!(
            " What [`Client::{}`](super::Client::{}) answers with an error.",
            self.operation.method_name, self.operation.method_name
        );
        Some(quote! {
            #[doc = #doc]
            #gate
            pub type #name = #aliased;
        })
    }

    fn spelled_error_type(&self) -> TokenStream {
        let mut bodies = self.operation.errors.iter().filter_map(|r| match &r.body {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        });
        match bodies.next() {
            Some(first) if bodies.all(|ty| ty == first) => type_tokens(self.space, first, &self.types),
            _ => {
                let runtime = &self.runtime;
                quote! { #runtime::ErrorBody }
            }
        }
    }

    /// The error statuses whose JSON bodies decode as the error type.
    fn documented_error_statuses(&self) -> Vec<TokenStream> {
        let runtime = &self.runtime;
        self.operation
            .errors
            .iter()
            .filter(|r| matches!(r.body, ResponseBody::Json(_)))
            .map(|r| match r.status {
                Status::Code(code) => quote! { #runtime::StatusSet::Code(#code) },
                Status::Range(digit) => quote! { #runtime::StatusSet::Range(#digit) },
                Status::Default => quote! { #runtime::StatusSet::Any },
            })
            .collect()
    }

    fn decoder(&self, body: &ResponseBody, error_type: &TokenStream) -> Success {
        let runtime = &self.runtime;
        match body {
            ResponseBody::Empty => {
                Success { ty: quote! { () }, decoder: quote! { #runtime::decode_empty::<#error_type> } }
            }
            ResponseBody::Json(ty) => {
                let ty = type_tokens(self.space, ty, &self.types);
                Success { decoder: quote! { #runtime::decode_json::<#ty, #error_type> }, ty }
            }
            ResponseBody::Text => {
                Success { ty: quote! { String }, decoder: quote! { #runtime::decode_text::<#error_type> } }
            }
            ResponseBody::Bytes => Success {
                ty: quote! { #runtime::ByteStream },
                decoder: quote! { #runtime::decode_bytes::<#error_type> },
            },
            ResponseBody::JsonSequence(item) => {
                let ty = type_tokens(self.space, item, &self.types);
                Success {
                    ty: quote! { #runtime::EventStream<#ty, #error_type> },
                    decoder: quote! { #runtime::decode_json_sequence::<#ty, #error_type> },
                }
            }
            ResponseBody::EventStream(event) => {
                let ty = type_tokens(self.space, event, &self.types);
                Success {
                    ty: quote! { #runtime::EventStream<#ty, #error_type> },
                    decoder: self.event_decoder(event, error_type),
                }
            }
        }
    }

    /// Events whose schema is a plain string are passed on as text; others are JSON.
    fn event_decoder(&self, event: &TypeRef, error_type: &TokenStream) -> TokenStream {
        let runtime = &self.runtime;
        match self.space.resolve(event) {
            TypeRef::String => quote! { #runtime::decode_text_events::<#error_type> },
            _ => {
                let ty = type_tokens(self.space, event, &self.types);
                quote! { #runtime::decode_events::<#ty, #error_type> }
            }
        }
    }

    /// The success result: one type when every 2xx response has the same
    /// body (behind an alias in `responses` when the method's return type
    /// would be too complex for clippy), else an enum with a variant per status.
    fn success(&self, marker_type: &TokenStream) -> (Success, Option<TokenStream>) {
        let error_type = &self.error_type();
        let responses = &self.operation.success;
        let name = ident(&self.operation.success_type_name);
        let gate = &self.gate;
        // The declaration lives in the `responses` module, one level down.
        let nested =
            OperationEmitter { types: quote! { super::types:: }, responses: TokenStream::new(), ..self.clone() };
        let first = responses.first().map_or(&ResponseBody::Empty, |first| &first.body);
        if responses.iter().all(|r| r.body == *first) {
            let success = self.decoder(first, error_type);
            let success_type = &success.ty;
            if type_complexity(&quote! { Call<'_, #success_type, #error_type #marker_type> })
                <= CLIPPY_TYPE_COMPLEXITY_THRESHOLD
            {
                return (success, None);
            }
            let aliased = nested.decoder(first, &nested.error_type()).ty;
            let doc = format!(
                " What [`Client::{}`](super::Client::{}) answers.",
                self.operation.method_name, self.operation.method_name
            );
            let alias = quote! {
                #[doc = #doc]
                #gate
                pub type #name = #aliased;
            };
            return (Success { ty: quote! { responses::#name }, decoder: success.decoder }, Some(alias));
        }
        let error_type = nested.error_type();
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        for (index, response) in responses.iter().enumerate() {
            let variant = format_ident!("{}", status_variant(response.status));
            let Success { ty, decoder } = nested.decoder(&response.body, &error_type);
            let docs = doc_attrs(Some(&response.description));
            let pattern = match response.status {
                // The last response also takes statuses the spec does not list.
                _ if index == responses.len() - 1 => quote! { _ },
                Status::Code(code) => quote! { #code },
                Status::Range(digit) => {
                    let (low, high) = (digit * 100, digit * 100 + 99);
                    quote! { #low..=#high }
                }
                Status::Default => quote! { _ },
            };
            if response.body == ResponseBody::Empty {
                variants.push(quote! { #docs #variant, });
                arms.push(quote! { #pattern => #decoder(response).await.map(|r| r.map(|()| Self::#variant)), });
            } else {
                variants.push(quote! { #docs #variant(#ty), });
                arms.push(quote! { #pattern => #decoder(response).await.map(|r| r.map(Self::#variant)), });
            }
        }
        let doc = own_doc_attrs(&format!(
            "What [`Client::{}`](super::Client::{}) answers, by status.",
            self.operation.method_name, self.operation.method_name
        ));
        let runtime = &nested.runtime;
        let declaration = quote! {
            #doc
            #gate
            #[derive(Debug)]
            pub enum #name {
                #(#variants)*
            }

            #gate
            impl #name {
                #[doc(hidden)]
                pub fn decode(response: #runtime::reqwest::Response) -> #runtime::Decoding<Self, #error_type> {
                    Box::pin(async move {
                        match response.status().as_u16() {
                            #(#arms)*
                        }
                    })
                }
            }
        };
        (Success { ty: quote! { responses::#name }, decoder: quote! { responses::#name::decode } }, Some(declaration))
    }

    /// `pages()` and `items()` of a list operation's `Call`.
    fn pagination_methods(
        &self,
        pagination: &Pagination,
        error_type: &TokenStream,
        marker_type: &TokenStream,
    ) -> TokenStream {
        let page = type_tokens(self.space, &TypeRef::Named(pagination.page), &self.types);
        let item = type_tokens(self.space, &pagination.item, &self.types);
        let cursor = &pagination.cursor_parameter;
        let source = match &pagination.next_cursor {
            NextCursor::Field(field) => format!("the previous page's `{}`", field.rust_name),
            NextCursor::LastItemId(id) => format!("the {} of the previous page's last item", code_span(id)),
        };
        let end = match &pagination.has_more {
            Some(has_more) => format!("until a page's `{}` is false", has_more.rust_name),
            None => "until a page gives no cursor".to_string(),
        };
        let pages_doc = own_doc_attrs(&format!("This call's page and the ones after it, a request each: each next request sets {} to {source}, {end}. An error ends the stream.", code_span(cursor)));
        let items_doc = own_doc_attrs("The items of [`pages`](Self::pages), one by one.");
        let (gate, runtime) = (&self.gate, &self.runtime);
        quote! {
            #gate
            impl<'a> Call<'a, #page, #error_type #marker_type> {
                #pages_doc
                pub fn pages(self) -> #runtime::ResultStream<'a, #page, #error_type> {
                    self.into_inner().paginate(#cursor)
                }

                #items_doc
                pub fn items(self) -> #runtime::ResultStream<'a, #item, #error_type> {
                    self.into_inner().paginate_items(#cursor)
                }
            }
        }
    }

    /// Methods of the operation's `Call` for its optional parameters (and optional body).
    fn setter_methods(
        &self,
        optional: &[&Parameter],
        error_type: &TokenStream,
        marker_type: &TokenStream,
    ) -> TokenStream {
        let methods = optional.iter().map(|p| {
            let name = ident(&p.rust_name);
            let value_type = match &p.ty {
                TypeRef::Option(inner) => inner.as_ref(),
                other => other,
            };
            let ty = self.argument_type(value_type);
            let set = self.set_parameter(p, &name);
            let docs = doc_attrs(describe(&p.docs).as_deref());
            quote! {
                #docs
                pub fn #name(self, #name: #ty) -> Self {
                    self.map_request(|request| request #set)
                }
            }
        });
        let body = self.operation.body.as_ref().filter(|b| !b.required).map(|body| {
            let body_name = ident(&body.rust_name);
            let (ty, send) = self.body(&body.kind, &quote! { #body_name });
            let docs = doc_attrs(body.description.as_deref().or(Some("The request body.")));
            quote! {
                #docs
                pub fn body(self, #body_name: #ty) -> Self {
                    self.map_request(|request| request #send)
                }
            }
        });
        let gate = &self.gate;
        quote! {
            #gate
            impl<T> Call<'_, T, #error_type #marker_type> {
                #(#methods)*
                #body
            }
        }
    }
}

/// The runtime's `QueryStyle` variant (the client's and the server's) of a parameter's style.
pub(super) fn query_style_variant(style: QueryStyle) -> Ident {
    format_ident!(
        "{}",
        match style {
            QueryStyle::FormExploded => "FormExploded",
            QueryStyle::Form => "Form",
            QueryStyle::SpaceDelimited => "SpaceDelimited",
            QueryStyle::PipeDelimited => "PipeDelimited",
            QueryStyle::DeepObject => "DeepObject",
        }
    )
}

/// Clippy's `type_complexity` score of a type: each named type, slice, array
/// or tuple counts ten times how deeply it is nested, a reference one.
fn type_complexity(ty: &TokenStream) -> u64 {
    fn score(ty: &syn::Type, nest: u64) -> u64 {
        match ty {
            syn::Type::Reference(reference) => 1 + score(&reference.elem, nest),
            syn::Type::Ptr(pointer) => 1 + score(&pointer.elem, nest),
            syn::Type::Infer(_) => 1,
            syn::Type::Slice(slice) => 10 * nest + score(&slice.elem, nest + 1),
            syn::Type::Array(array) => 10 * nest + score(&array.elem, nest + 1),
            syn::Type::Tuple(tuple) => 10 * nest + tuple.elems.iter().map(|elem| score(elem, nest + 1)).sum::<u64>(),
            syn::Type::Path(path) => {
                let arguments = path.path.segments.iter().flat_map(|segment| match &segment.arguments {
                    syn::PathArguments::AngleBracketed(arguments) => arguments.args.iter().collect(),
                    _ => Vec::new(),
                });
                10 * nest
                    + arguments
                        .map(|argument| match argument {
                            syn::GenericArgument::Type(inner) => score(inner, nest + 1),
                            _ => 0,
                        })
                        .sum::<u64>()
            }
            _ => 0,
        }
    }
    // The emitter spells types it built itself; one that does not parse scores nothing.
    syn::parse2::<syn::Type>(ty.clone()).map_or(0, |ty| score(&ty, 1))
}

/// A variant name for a success status: `Ok`, `Created`, `NoContent`, `Status207`.
fn status_variant(status: Status) -> String {
    match status {
        Status::Code(200) => "Ok".into(),
        Status::Code(201) => "Created".into(),
        Status::Code(202) => "Accepted".into(),
        Status::Code(203) => "NonAuthoritative".into(),
        Status::Code(204) => "NoContent".into(),
        Status::Code(205) => "ResetContent".into(),
        Status::Code(206) => "PartialContent".into(),
        Status::Code(code) => format!("Status{code}"),
        Status::Range(_) | Status::Default => "Other".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_complexity_scores_as_clippy_does() {
        // Call 10, Vec 20, Vec 30, u8 40, Value 20.
        assert_eq!(type_complexity(&quote! { Call<'_, Vec<Vec<u8>>, serde_json::Value> }), 120);
        assert_eq!(type_complexity(&quote! { &[(String, i64)] }), 1 + 10 + 20 + 30 + 30);
        let nested = quote! { Call<'_, Vec<Vec<std::collections::BTreeMap<String, Vec<types::Thing>>>>, serde_json::Value, params::GetGrid> };
        assert!(type_complexity(&nested) > CLIPPY_TYPE_COMPLEXITY_THRESHOLD);
    }
}
