//! Operations: what the client emitter needs to make one method per operation.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToUpperCamelCase;
use openapiv3::{
    OpenAPI, Operation as SpecOperation, Parameter as SpecParameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody as SpecRequestBody, Response as SpecResponse, StatusCode,
};

use super::compact::Compact;
use super::names::{field_name, type_name, NameSet, Namespace, TagFeatures, UNTAGGED_FEATURE};
use super::pagination::Pagination;
use super::schema::SchemaConverter;
use super::security::{Alternative, Schemes, SecurityScheme};
use super::types::{Docs, TypeRef};
use super::ModelOptions;
use crate::error::{child_pointer, Diagnostic, Diagnostics};
use crate::load::{is_token_byte, AdditionalOperation, PathOperations, ITEM_SCHEMA_KEY, JSON_SEQUENCES};

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The snake_case method name, unique in the client.
    pub method_name: String,
    /// The name of the method that asks for the response as server-sent
    /// events, when the response can also come as `text/event-stream`.
    pub stream_method_name: Option<String>,
    /// The type in `params` that marks this operation's calls, when it has
    /// optional parameters (or an optional body): they are methods of such calls.
    pub marker: Option<String>,
    /// The name in `responses` of the operation's success type, for when it
    /// needs one: an enum when its success statuses carry different bodies,
    /// or an alias of a type too complex to spell in the method's signature.
    pub success_type_name: String,
    /// The name in `responses` of an alias of the operation's error type,
    /// for when that type alone makes the method's signature too complex.
    pub error_type_name: String,
    /// The cargo features that compile the operation: its tags', or `untagged`.
    pub features: Vec<String>,
    pub operation_id: Option<String>,
    /// Upper-case HTTP method, `GET`.
    pub http_method: String,
    /// The path template, `/uploads/{upload_id}/parts`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    /// 2xx responses.
    pub success: Vec<Response>,
    /// Documented 4xx/5xx and `default` responses.
    pub errors: Vec<Response>,
    /// The security alternatives the operation accepts (the document's unless
    /// it has its own); empty when it asks for no credentials.
    pub security: Vec<Alternative>,
    pub pointer: String,
    /// How the operation hands out a list a page at a time, if it does
    /// (filled in by `pagination::detect_pagination` once the types are final).
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub rust_name: String,
    pub wire_name: String,
    pub location: ParameterLocation,
    pub ty: TypeRef,
    pub required: bool,
    /// How a query parameter is written.
    pub style: QueryStyle,
    /// The bounds its schema sets, which the server checks.
    pub bounds: Bounds,
    pub docs: Docs,
}

/// The bounds a parameter's schema sets on its value: `minimum` and
/// `maximum` of a number (as `f64`: integer bounds past 2^53 round), the
/// length of a string in characters, the items of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Bounds {
    /// The bounds of `schema` itself (not of its items or properties).
    fn of(schema: &openapiv3::Schema) -> Bounds {
        use openapiv3::{SchemaKind, Type};
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(t)) => Bounds {
                minimum: t.minimum.map(|bound| bound as f64),
                maximum: t.maximum.map(|bound| bound as f64),
                exclusive_minimum: t.exclusive_minimum,
                exclusive_maximum: t.exclusive_maximum,
                ..Bounds::default()
            },
            SchemaKind::Type(Type::Number(t)) => Bounds {
                minimum: t.minimum,
                maximum: t.maximum,
                exclusive_minimum: t.exclusive_minimum,
                exclusive_maximum: t.exclusive_maximum,
                ..Bounds::default()
            },
            SchemaKind::Type(Type::String(t)) => {
                Bounds { min_length: t.min_length, max_length: t.max_length, ..Bounds::default() }
            }
            SchemaKind::Type(Type::Array(t)) => {
                Bounds { min_items: t.min_items, max_items: t.max_items, ..Bounds::default() }
            }
            _ => Bounds::default(),
        }
    }
}

/// The spec's `style` and `explode` of a query parameter, as one choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `a=1&a=2` (the default).
    FormExploded,
    /// `a=1,2`.
    Form,
    SpaceDelimited,
    PipeDelimited,
    /// `a[key]=value`.
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(TypeRef),
    /// `multipart/form-data`; the type is the struct whose fields are the parts.
    Multipart(TypeRef),
    FormUrlEncoded(TypeRef),
    /// Raw bytes, with the content type to send.
    Binary(String),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The name of the body's argument: `body`, unless a parameter has it.
    pub rust_name: String,
    pub kind: BodyKind,
    pub required: bool,
    pub description: Option<String>,
    /// `(property, content type)` of the multipart parts whose `encoding`
    /// names one content type to send them with, in the spec's order.
    pub part_content_types: Vec<(String, String)>,
    /// The multipart part headers whose value the spec fixes, in its order.
    pub part_headers: Vec<PartHeader>,
}

/// A header sent with the multipart parts named `part`.
#[derive(Debug, Clone, PartialEq)]
pub struct PartHeader {
    pub part: String,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`, as its first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    /// `text/event-stream`, each event's data of this type.
    EventStream(TypeRef),
    /// A JSON sequence (`application/jsonl`, `x-ndjson`, `json-seq`) whose
    /// 3.2 `itemSchema` gives each item this type.
    JsonSequence(TypeRef),
    Text,
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    pub body: ResponseBody,
    /// The events' type when the response can also come as
    /// `text/event-stream` (OpenAI's `stream: true`), beside `body`.
    pub event_stream: Option<TypeRef>,
    /// The media type `body` is read as, to ask for with `Accept`.
    pub media_type: Option<String>,
    pub description: String,
    /// The headers the response declares, in the spec's order.
    pub headers: Vec<ResponseHeader>,
    /// The name of the struct that holds `headers` (in the server's
    /// `headers` module), when there are any; set by `name_derived_items`.
    pub headers_type: Option<String>,
}

/// A header a response declares (`responses.<status>.headers`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The field's name in the response's headers struct.
    pub rust_name: String,
    pub wire_name: String,
    /// The header's type; a list is written comma-separated.
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

/// Response headers the HTTP stack writes itself from the body and the
/// connection, so a value from the implementation would contradict it:
/// `Content-Type` (the spec says to ignore it), the framing headers.
const STACK_HEADERS: [&str; 4] = ["content-type", "content-length", "transfer-encoding", "connection"];

impl Status {
    /// A variant name for the status: its reason phrase (`NotFound`), `Status418`, `Status4xx`, `Default`.
    pub fn variant_name(self) -> String {
        let reason = match self {
            Status::Code(code) => match code {
                200 => "Ok",
                201 => "Created",
                202 => "Accepted",
                203 => "NonAuthoritative",
                204 => "NoContent",
                206 => "PartialContent",
                301 => "MovedPermanently",
                302 => "Found",
                304 => "NotModified",
                400 => "BadRequest",
                401 => "Unauthorized",
                402 => "PaymentRequired",
                403 => "Forbidden",
                404 => "NotFound",
                405 => "MethodNotAllowed",
                409 => "Conflict",
                410 => "Gone",
                413 => "PayloadTooLarge",
                415 => "UnsupportedMediaType",
                422 => "UnprocessableEntity",
                429 => "TooManyRequests",
                500 => "InternalServerError",
                501 => "NotImplemented",
                502 => "BadGateway",
                503 => "ServiceUnavailable",
                504 => "GatewayTimeout",
                _ => return format!("Status{code}"),
            },
            Status::Range(digit) => return format!("Status{digit}xx"),
            Status::Default => "Default",
        };
        reason.to_string()
    }
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Collects every operation, resolving parameters, bodies, responses and
/// security, and the security schemes with their `Client` setters.
pub fn collect<'a>(
    api: &'a OpenAPI,
    paths: &'a [(String, ReferenceOr<PathOperations>)],
    additional: &'a [AdditionalOperation],
    mutual_tls: &[String],
    converter: &mut SchemaConverter<'a>,
    options: &ModelOptions,
    diagnostics: &mut Diagnostics,
) -> (Vec<Operation>, Vec<SecurityScheme>) {
    let mut raw = Vec::new();
    let mut seen_ids: HashMap<&str, String> = HashMap::new();
    let mut declared: Vec<(&str, &str, &PathOperations, &SpecOperation, String)> = Vec::new();
    for (template, item) in paths {
        let item_ptr = child_pointer("#/paths", template);
        let ReferenceOr::Item(item) = item else {
            diagnostics.error(&item_ptr, "path item `$ref`s are not supported yet; inline the path item");
            continue;
        };
        for (method, operation) in item.iter() {
            declared.push((template, method, item, operation, child_pointer(&item_ptr, method)));
        }
        // 3.2's `query` and `additionalOperations`, sent with their method as written.
        for extra in additional.iter().filter(|extra| extra.path == *template) {
            let pointer = match extra.method.as_str() {
                "QUERY" => child_pointer(&item_ptr, "query"),
                method => child_pointer(&child_pointer(&item_ptr, "additionalOperations"), method),
            };
            declared.push((template, &extra.method, item, &extra.operation, pointer));
        }
    }
    for (template, method, item, operation, pointer) in declared {
        if let Some(id) = &operation.operation_id {
            if let Some(first) = seen_ids.insert(id.as_str(), pointer.clone()) {
                diagnostics.error(&pointer, format!("duplicate operationId `{id}` (first used at {first})"));
                continue;
            }
        }
        let selected = (options.tags.is_empty()
            || operation.tags.iter().any(|t| options.tags.iter().any(|w| w.eq_ignore_ascii_case(t))))
            && (options.operation_ids.is_empty()
                || operation.operation_id.as_ref().is_some_and(|id| options.operation_ids.contains(id)));
        if selected {
            raw.push((template, method, item, operation, pointer));
        }
    }
    let identities: Vec<_> = raw.iter().map(|(t, m, _, o, _)| (*t, *m, o.operation_id.as_deref())).collect();
    let (names, mut client_methods) = match method_names(&identities, &options.customizations.operation_renames) {
        Ok(names) => names,
        Err(message) => {
            diagnostics.error("#/paths", message);
            return (Vec::new(), Vec::new());
        }
    };
    let schemes = Schemes::collect(api, mutual_tls, &mut client_methods, diagnostics);
    let mut operations = Vec::new();
    for ((template, method, item, operation, pointer), method_name) in raw.into_iter().zip(names) {
        let type_prefix = method_name.to_upper_camel_case();
        let mut parameters = Vec::new();
        let mut parameter_names = Namespace::parameters();
        // Operation-level parameters override path-level ones with the same name and location.
        let mut declared: Vec<(&ReferenceOr<SpecParameter>, String)> = Vec::new();
        for (index, p) in operation.parameters.iter().enumerate() {
            declared.push((p, format!("{pointer}/parameters/{index}")));
        }
        for (index, p) in item.parameters.iter().enumerate() {
            declared.push((p, format!("{}/parameters/{index}", child_pointer("#/paths", template))));
        }
        let mut seen_params = std::collections::HashSet::new();
        for (parameter, parameter_ptr) in declared {
            let Some(parameter) = resolve_parameter(api, parameter, &parameter_ptr, diagnostics) else { continue };
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                SpecParameter::Path { .. } => ParameterLocation::Path,
                SpecParameter::Query { .. } => ParameterLocation::Query,
                SpecParameter::Header { .. } => ParameterLocation::Header,
                SpecParameter::Cookie { .. } => ParameterLocation::Cookie,
            };
            if !seen_params.insert((data.name.clone(), location)) {
                continue;
            }
            let (ty, bounds) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema_ptr = format!("{parameter_ptr}/schema");
                    let ty = converter.type_of(
                        schema,
                        &schema_ptr,
                        &format!("{type_prefix}{}", data.name.to_upper_camel_case()),
                    );
                    // `type_of` has reported what is wrong with the schema; a schema it cannot reach has no bounds.
                    let unreported = &mut Diagnostics::default();
                    let resolved = resolve_component(
                        schema,
                        "schemas",
                        |c, name| c.schemas.get(name),
                        api,
                        &schema_ptr,
                        unreported,
                    );
                    (ty, resolved.map(Bounds::of).unwrap_or_default())
                }
                ParameterSchemaOrContent::Content(_) => (TypeRef::String, Bounds::default()),
            };
            let style = match parameter {
                SpecParameter::Query { style, .. } => query_style(style, data.explode),
                _ => QueryStyle::Form,
            };
            parameters.push(Parameter {
                rust_name: parameter_names
                    .claim_parameter(&field_name(&data.name), !(data.required || location == ParameterLocation::Path)),
                wire_name: data.name.clone(),
                location,
                ty: if location == ParameterLocation::Path { strip_option(ty) } else { ty },
                required: data.required || location == ParameterLocation::Path,
                style,
                bounds,
                docs: Docs {
                    description: data.description.clone(),
                    deprecated: data.deprecated.unwrap_or(false),
                    ..Docs::default()
                },
            });
        }
        for name in template_parameters(template) {
            if !parameters.iter().any(|p| p.location == ParameterLocation::Path && p.wire_name == name) {
                diagnostics.warn(
                    &pointer,
                    format!("path template parameter `{{{name}}}` in `{template}` is not declared; it is generated as a required string"),
                );
                parameters.push(Parameter {
                    rust_name: parameter_names.claim_parameter(&field_name(&name), false),
                    wire_name: name,
                    location: ParameterLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    style: QueryStyle::Form,
                    bounds: Bounds::default(),
                    docs: Docs::default(),
                });
            }
        }
        // Required parameters come first, in path order for path parameters: they become method arguments.
        let path_order = template_parameters(template);
        parameters.sort_by_key(|p| {
            (!p.required, p.location != ParameterLocation::Path, path_order.iter().position(|n| *n == p.wire_name))
        });
        for p in &parameters {
            if p.location == ParameterLocation::Path && !path_order.contains(&p.wire_name) {
                diagnostics.error(
                    &pointer,
                    format!("path parameter `{}` does not appear in the path `{template}`", p.wire_name),
                );
            }
        }
        let body = operation.request_body.as_ref().and_then(|body| {
            let rust_name = parameter_names.claim_body();
            request_body(api, body, converter, &format!("{pointer}/requestBody"), &type_prefix, rust_name, diagnostics)
        });
        let (success, errors) =
            responses(api, &operation.responses, converter, &format!("{pointer}/responses"), &type_prefix, diagnostics);
        let security = schemes.for_operation(operation.security.as_ref(), &pointer, diagnostics);
        let mut built = Operation {
            method_name,
            stream_method_name: None,
            marker: None,
            success_type_name: String::new(),
            error_type_name: String::new(),
            features: Vec::new(),
            operation_id: operation.operation_id.clone(),
            http_method: if METHODS.contains(&method) { method.to_uppercase() } else { method.to_string() },
            path: template.to_string(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            tags: operation.tags.clone(),
            deprecated: operation.deprecated,
            parameters,
            body,
            success,
            errors,
            security,
            pointer,
            pagination: None,
        };
        built.compact();
        operations.push(built);
    }
    operations.shrink_to_fit();
    name_derived_items(&mut operations, &mut client_methods);
    (operations, schemes.schemes)
}

/// Names what the client emitter derives from each operation, each in its
/// own namespace, once every method name is known (so that a derived name
/// never takes a name the spec gave): `_stream` twins beside the methods,
/// markers in `params`, success types in `responses`, the server's
/// response headers structs in `headers`, cargo features.
fn name_derived_items(operations: &mut [Operation], client_methods: &mut Namespace) {
    let mut markers = Namespace::types(&[]);
    let mut success_types = Namespace::types(&[]);
    let mut headers_types = Namespace::types(&[]);
    let mut features = TagFeatures::default();
    for operation in operations.iter_mut() {
        if operation.success.iter().any(|r| r.event_stream.is_some()) {
            operation.stream_method_name = Some(client_methods.claim(&format!("{}_stream", operation.method_name)));
        }
        let type_name = type_name(&operation.method_name);
        if operation.parameters.iter().any(|p| !p.required) || operation.body.as_ref().is_some_and(|b| !b.required) {
            operation.marker = Some(markers.claim(&type_name));
        }
        operation.success_type_name = success_types.claim(&type_name);
        for response in operation.success.iter_mut().chain(&mut operation.errors) {
            if !response.headers.is_empty() {
                response.headers_type =
                    Some(headers_types.claim(&format!("{type_name}{}", response.status.variant_name())));
            }
        }
        operation.features = if operation.tags.is_empty() {
            vec![UNTAGGED_FEATURE.to_string()]
        } else {
            operation.tags.iter().map(|tag| features.feature(tag)).collect::<BTreeSet<_>>().into_iter().collect()
        };
    }
    // After every success type's, so that none of those changes for them.
    for operation in operations.iter_mut() {
        operation.error_type_name = success_types.claim(&format!("{}Error", type_name(&operation.method_name)));
    }
}

fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    match style {
        openapiv3::QueryStyle::Form if explode.unwrap_or(true) => QueryStyle::FormExploded,
        openapiv3::QueryStyle::Form => QueryStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
    }
}

fn strip_option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(inner) => *inner,
        other => other,
    }
}

/// The names in a path template, in order: `/a/{x}/b/{y}` -> `[x, y]`.
pub fn template_parameters(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        names.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    names
}

/// Method names: the operationId in snake_case, with FastAPI's generated
/// path-and-method suffix removed when the shorter name stays unique, or the
/// user's name for it (`renames`, by operationId). A user's name is kept as
/// given: one that another method would take too is an error naming both.
fn method_names(
    operations: &[(&str, &str, Option<&str>)],
    renames: &BTreeMap<String, String>,
) -> Result<(Vec<String>, Namespace), String> {
    let full: Vec<String> = operations
        .iter()
        .map(|(template, method, id)| match id {
            Some(id) => field_name(id),
            None => name_from_path(method, template),
        })
        .collect();
    let short: Vec<Option<String>> = operations
        .iter()
        .map(|(template, method, id)| {
            id.and_then(|id| strip_fastapi_suffix(id, template, method)).map(|s| field_name(&s))
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for name in short.iter().flatten().chain(full.iter()) {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    let renamed: Vec<Option<(&str, &String)>> =
        operations.iter().map(|(_, _, id)| id.and_then(|id| Some((id, renames.get(id)?)))).collect();
    let mut names = Namespace::client_methods();
    let mut renamed_to: HashMap<&str, &str> = HashMap::new();
    for (id, rename) in renamed.iter().flatten() {
        if let Some(other) = renamed_to.insert(rename.as_str(), id) {
            return Err(format!("cannot rename operations `{other}` and `{id}` both to `{rename}`"));
        }
        if names.claim(rename) != **rename {
            return Err(format!("cannot rename operation `{id}` to `{rename}`: the client has a method of that name"));
        }
    }
    let describe = |(template, method, id): &(&str, &str, Option<&str>)| match id {
        Some(id) => format!("operation `{id}`"),
        None => format!("operation `{} {template}`", method.to_uppercase()),
    };
    let mut methods = Vec::with_capacity(operations.len());
    for (((full, short), rename), operation) in full.iter().zip(&short).zip(&renamed).zip(operations) {
        if let Some((_, rename)) = rename {
            methods.push(rename.to_string());
            continue;
        }
        let wanted = match short {
            Some(short) if counts.get(short.as_str()) == Some(&1) => short,
            _ => full,
        };
        if let Some((id, _)) = renamed.iter().flatten().find(|(_, rename)| *rename == wanted) {
            return Err(format!(
                "cannot rename operation `{id}` to `{wanted}`: {} has that method name",
                describe(operation)
            ));
        }
        methods.push(names.claim(wanted));
    }
    Ok((methods, names))
}

/// FastAPI's default id is `{function}{path with non-word characters as _}_{method}`.
pub(super) fn strip_fastapi_suffix(id: &str, template: &str, method: &str) -> Option<String> {
    let path: String = template.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
    let suffix = format!("{path}_{method}");
    let stripped = id.strip_suffix(&suffix)?;
    (!stripped.is_empty()).then(|| stripped.to_string())
}

/// `GET /things/{id}/parts` -> `get_things_by_id_parts`.
fn name_from_path(method: &str, template: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in template.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_string()),
        }
    }
    field_name(&words.join("_"))
}

fn resolve_parameter<'a>(
    api: &'a OpenAPI,
    parameter: &'a ReferenceOr<SpecParameter>,
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a SpecParameter> {
    resolve_component(parameter, "parameters", |c, name| c.parameters.get(name), api, pointer, diagnostics)
}

/// Follows `#/components/<kind>/<name>` references (up to a bound, so a cycle ends in an error).
pub(super) fn resolve_component<'a, T>(
    item: &'a ReferenceOr<T>,
    kind: &str,
    lookup: impl Fn(&'a openapiv3::Components, &str) -> Option<&'a ReferenceOr<T>>,
    api: &'a OpenAPI,
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a T> {
    let mut current = item;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{kind}/");
                let found = reference.strip_prefix(&prefix).and_then(|name| {
                    api.components.as_ref().and_then(|c| lookup(c, &name.replace("~1", "/").replace("~0", "~")))
                });
                match found {
                    Some(next) => current = next,
                    None => {
                        diagnostics.error(
                            &child_pointer(pointer, "$ref"),
                            format!("unresolved $ref `{reference}`: expected `{prefix}Name` naming an existing entry"),
                        );
                        return None;
                    }
                }
            }
        }
    }
    diagnostics.error(pointer, format!("`$ref` cycle among components.{kind}"));
    None
}

fn request_body<'a>(
    api: &'a OpenAPI,
    body: &'a ReferenceOr<SpecRequestBody>,
    converter: &mut SchemaConverter<'a>,
    pointer: &str,
    type_prefix: &str,
    rust_name: String,
    diagnostics: &mut Diagnostics,
) -> Option<RequestBody> {
    let body =
        resolve_component(body, "requestBodies", |c, name| c.request_bodies.get(name), api, pointer, diagnostics)?;
    let content_ptr = format!("{pointer}/content");
    let (media_type, content) = preferred_media_type(body.content.iter().map(|(k, v)| (k.as_str(), v)))?;
    let hint = format!("{type_prefix}Request");
    let schema_type = |converter: &mut SchemaConverter<'a>| {
        media_type_schema(converter, media_type, content, &content_ptr, &hint, TypeRef::Any)
    };
    let essence = essence_of(media_type);
    let kind = if is_json(&essence) {
        BodyKind::Json(schema_type(converter))
    } else if essence == "multipart/form-data" {
        BodyKind::Multipart(schema_type(converter))
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::FormUrlEncoded(schema_type(converter))
    } else if essence.starts_with("text/") {
        BodyKind::Text(media_type.to_string())
    } else {
        BodyKind::Binary(media_type.to_string())
    };
    let (part_content_types, part_headers) = match kind {
        BodyKind::Multipart(_) => {
            let encodings_ptr = child_pointer(&child_pointer(&content_ptr, media_type), "encoding");
            let content_types = content
                .encoding
                .iter()
                .filter_map(|(part, encoding)| {
                    Some((part.clone(), sendable_content_type(encoding.content_type.as_deref()?)?))
                })
                .collect();
            (content_types, fixed_part_headers(&content.encoding, &encodings_ptr, api, diagnostics))
        }
        _ => (Vec::new(), Vec::new()),
    };
    Some(RequestBody {
        rust_name,
        kind,
        required: body.required,
        description: body.description.clone(),
        part_content_types,
        part_headers,
    })
}

/// The part headers of a multipart `encoding` whose value the schema fixes
/// (`const`, a one-value `enum`, or a `default`). Any other value only the
/// caller knows, and form structs are shared by every operation that sends
/// their schema, so those are a warning naming the call's `.part_header`.
fn fixed_part_headers(
    encodings: &indexmap::IndexMap<String, openapiv3::Encoding>,
    encodings_ptr: &str,
    api: &OpenAPI,
    diagnostics: &mut Diagnostics,
) -> Vec<PartHeader> {
    let mut fixed = Vec::new();
    for (part, encoding) in encodings {
        let headers_ptr = child_pointer(&child_pointer(encodings_ptr, part), "headers");
        // The part's `contentType` governs; the spec says to ignore this one.
        for (name, header) in encoding.headers.iter().filter(|(name, _)| !name.eq_ignore_ascii_case("content-type")) {
            let header_ptr = child_pointer(&headers_ptr, name);
            let Some(header) =
                resolve_component(header, "headers", |c, name| c.headers.get(name), api, &header_ptr, diagnostics)
            else {
                continue;
            };
            let value = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => resolve_component(
                    schema,
                    "schemas",
                    |c, name| c.schemas.get(name),
                    api,
                    &format!("{header_ptr}/schema"),
                    diagnostics,
                )
                .and_then(fixed_value),
                ParameterSchemaOrContent::Content(_) => None,
            };
            match value {
                Some(value) if !name.is_empty() && name.bytes().all(is_token_byte) && value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) => fixed.push(PartHeader { part: part.clone(), name: name.clone(), value }),
                Some(_) => diagnostics.warn(&header_ptr, format!("the part header `{}` is not a valid header name and value, so it is not sent", name.escape_debug())),
                None => diagnostics.warn(
                    &header_ptr,
                    format!("the spec fixes no value for the part header `{}`; a caller can send one with `.part_header({part:?}, {name:?}, value)`", name.escape_debug()),
                ),
            }
        }
    }
    fixed
}

/// The one value a header schema allows (`const` is a one-value `enum` once
/// loaded), or else its `default`, as header text.
fn fixed_value(schema: &openapiv3::Schema) -> Option<String> {
    use openapiv3::{SchemaKind, Type};
    let values: Vec<serde_json::Value> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            t.enumeration.iter().flatten().map(|v| serde_json::Value::from(v.as_str())).collect()
        }
        SchemaKind::Type(Type::Integer(t)) => {
            t.enumeration.iter().flatten().map(|&v| serde_json::Value::from(v)).collect()
        }
        SchemaKind::Type(Type::Number(t)) => {
            t.enumeration.iter().flatten().map(|&v| serde_json::Value::from(v)).collect()
        }
        SchemaKind::Type(Type::Boolean(t)) => {
            t.enumeration.iter().flatten().map(|&v| serde_json::Value::from(v)).collect()
        }
        SchemaKind::Any(any) => any.enumeration.iter().filter(|v| !v.is_null()).cloned().collect(),
        _ => Vec::new(),
    };
    let value = match values.as_slice() {
        [only] => only,
        _ => schema.schema_data.default.as_ref()?,
    };
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// The content type to send a part with: a list (`image/png, image/jpeg`)
/// or a range (`image/*`) says what the server accepts, not what to send,
/// and what is not `type/subtype` could not be sent at all.
fn sendable_content_type(declared: &str) -> Option<String> {
    let declared = declared.trim();
    let essence = declared.split(';').next().unwrap_or_default().trim();
    let is_token =
        |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    let single = essence.split_once('/').is_some_and(|(kind, subtype)| is_token(kind) && is_token(subtype));
    (single && !declared.contains(',') && declared.is_ascii() && !declared.contains(['\r', '\n']))
        .then(|| declared.to_string())
}

pub(super) fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// JSON first, then forms, then anything else, so that a body offered in
/// several encodings is sent in the one the client types best.
fn preferred_media_type<'a, T>(media_types: impl Iterator<Item = (&'a str, T)>) -> Option<(&'a str, T)> {
    media_types.min_by_key(|(name, _)| {
        let essence = essence_of(name);
        if is_json(&essence) {
            0
        } else if essence == "multipart/form-data" {
            1
        } else if essence == "application/x-www-form-urlencoded" {
            2
        } else if essence == "text/event-stream" {
            3
        } else {
            4
        }
    })
}

fn responses<'a>(
    api: &'a OpenAPI,
    responses: &'a openapiv3::Responses,
    converter: &mut SchemaConverter<'a>,
    pointer: &str,
    type_prefix: &str,
    diagnostics: &mut Diagnostics,
) -> (Vec<Response>, Vec<Response>) {
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let entries = responses
        .responses
        .iter()
        .map(|(code, r)| {
            let status = match code {
                StatusCode::Code(code) => Status::Code(*code),
                StatusCode::Range(range) => Status::Range(*range),
            };
            (status, code.to_string(), r)
        })
        .chain(responses.default.iter().map(|r| (Status::Default, "default".to_string(), r)));
    let success_count = responses.responses.keys().filter(|c| is_success(c)).count();
    for (status, key, response) in entries {
        let response_ptr = child_pointer(pointer, &key);
        let Some(response) =
            resolve_component(response, "responses", |c, name| c.responses.get(name), api, &response_ptr, diagnostics)
        else {
            continue;
        };
        let is_ok = matches!(status, Status::Code(200..=299) | Status::Range(2));
        let hint = match (is_ok, success_count > 1) {
            (true, false) => format!("{type_prefix}Response"),
            (true, true) => format!("{type_prefix}Response{key}"),
            (false, _) => {
                format!("{type_prefix}Error{}", if key == "default" { "Default".to_string() } else { key.clone() })
            }
        };
        let content_ptr = format!("{response_ptr}/content");
        let (body, media_type) = response_body(response, converter, &content_ptr, &hint);
        let event_stream = match body {
            ResponseBody::EventStream(_) => None,
            _ => event_stream_alternative(response, converter, &content_ptr, &format!("{hint}Event")),
        };
        let headers = response_headers(api, &response.headers, converter, &response_ptr, &hint, diagnostics);
        let response = Response {
            status,
            body,
            event_stream,
            media_type,
            description: response.description.clone(),
            headers,
            headers_type: None,
        };
        if is_ok {
            success.push(response);
        } else {
            errors.push(response);
        }
    }
    // Statuses are matched in this order, so `204` must come before `2XX`
    // (else its arm is unreachable), and both before `default`; the
    // document's order stays within each kind.
    let specificity = |response: &Response| match response.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    };
    success.sort_by_key(specificity);
    errors.sort_by_key(specificity);
    (success, errors)
}

/// The headers a response declares, `$ref`s to `components.headers`
/// followed, but for those the HTTP stack writes ([`STACK_HEADERS`]). A
/// header described by `content` rather than a schema is text.
fn response_headers<'a>(
    api: &'a OpenAPI,
    headers: &'a indexmap::IndexMap<String, ReferenceOr<openapiv3::Header>>,
    converter: &mut SchemaConverter<'a>,
    response_ptr: &str,
    hint: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<ResponseHeader> {
    let headers_ptr = child_pointer(response_ptr, "headers");
    let mut field_names = NameSet::default();
    let mut declared = Vec::new();
    for (name, header) in headers {
        if STACK_HEADERS.iter().any(|stack| name.eq_ignore_ascii_case(stack)) {
            continue;
        }
        let header_ptr = child_pointer(&headers_ptr, name);
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            diagnostics.warn(
                &header_ptr,
                format!("`{}` is not a valid header name, so the header is left out", name.escape_debug()),
            );
            continue;
        }
        let Some(header) =
            resolve_component(header, "headers", |c, name| c.headers.get(name), api, &header_ptr, diagnostics)
        else {
            continue;
        };
        let ty = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => converter.type_of(
                schema,
                &format!("{header_ptr}/schema"),
                &format!("{hint}Header{}", name.to_upper_camel_case()),
            ),
            ParameterSchemaOrContent::Content(_) => TypeRef::String,
        };
        declared.push(ResponseHeader {
            rust_name: field_names.claim(&field_name(name), "_"),
            wire_name: name.clone(),
            ty: strip_option(ty),
            required: header.required,
            docs: Docs {
                description: header.description.clone(),
                deprecated: header.deprecated.unwrap_or(false),
                ..Docs::default()
            },
        });
    }
    declared
}

fn is_success(code: &StatusCode) -> bool {
    matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2))
}

/// The body of a response, in the media type the client asks for.
fn response_body<'a>(
    response: &'a SpecResponse,
    converter: &mut SchemaConverter<'a>,
    content_ptr: &str,
    hint: &str,
) -> (ResponseBody, Option<String>) {
    // A JSON alternative that is a bare string beside a binary body (OpenAI's
    // video and skill downloads) is not the content: take the bytes.
    let bare_string = |content: &openapiv3::MediaType| matches!(&content.schema, Some(ReferenceOr::Item(schema)) if matches!(&schema.schema_kind, openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) if s.format == openapiv3::VariantOrUnknownOrEmpty::Empty && s.enumeration.is_empty()));
    let has_binary =
        response.content.keys().any(|name| !is_json(&essence_of(name)) && !essence_of(name).starts_with("text/"));
    let offered = response
        .content
        .iter()
        .filter(|(name, content)| !(has_binary && is_json(&essence_of(name)) && bare_string(content)));
    let Some((media_type, content)) = preferred_media_type(offered.map(|(k, v)| (k.as_str(), v))) else {
        return (ResponseBody::Empty, None);
    };
    (read_body(media_type, content, converter, content_ptr, hint), Some(media_type.to_string()))
}

/// `Text/Plain; charset=utf-8` -> `text/plain`.
pub(super) fn essence_of(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn read_body<'a>(
    media_type: &str,
    content: &'a openapiv3::MediaType,
    converter: &mut SchemaConverter<'a>,
    content_ptr: &str,
    hint: &str,
) -> ResponseBody {
    let essence = essence_of(media_type);
    let mut schema_type = || media_type_schema(converter, media_type, content, content_ptr, hint, TypeRef::Any);
    if is_json(&essence) {
        ResponseBody::Json(schema_type())
    } else if essence == "text/event-stream" {
        ResponseBody::EventStream(schema_type())
    } else if JSON_SEQUENCES.contains(&essence.as_str()) && content.extensions.contains_key(ITEM_SCHEMA_KEY) {
        ResponseBody::JsonSequence(schema_type())
    } else if essence.starts_with("text/") {
        ResponseBody::Text
    } else {
        ResponseBody::Bytes
    }
}

/// The event type of a `text/event-stream` offered beside another media type.
fn event_stream_alternative<'a>(
    response: &'a SpecResponse,
    converter: &mut SchemaConverter<'a>,
    content_ptr: &str,
    hint: &str,
) -> Option<TypeRef> {
    let (media_type, content) = response.content.iter().find(|(name, _)| essence_of(name) == "text/event-stream")?;
    Some(media_type_schema(converter, media_type, content, content_ptr, hint, TypeRef::String))
}

/// The type of a media type's schema, or `absent` when it declares none.
fn media_type_schema<'a>(
    converter: &mut SchemaConverter<'a>,
    media_type: &str,
    content: &'a openapiv3::MediaType,
    content_ptr: &str,
    hint: &str,
    absent: TypeRef,
) -> TypeRef {
    match &content.schema {
        Some(schema) => converter.type_of(schema, &format!("{}/schema", child_pointer(content_ptr, media_type)), hint),
        None => absent,
    }
}

impl Diagnostics {
    /// Records a warning: generation goes on, and the CLI prints it.
    pub fn warn(&mut self, pointer: &str, message: String) {
        self.warnings.push(Diagnostic::at(pointer, message));
    }
}

#[cfg(test)]
mod tests {
    use super::sendable_content_type;

    #[test]
    fn only_one_concrete_content_type_is_sent() {
        for sendable in ["image/png", "application/json; charset=utf-8", " text/csv "] {
            assert_eq!(sendable_content_type(sendable).as_deref(), Some(sendable.trim()), "{sendable}");
        }
        for not_sendable in
            ["image/png, image/jpeg", "image/*", "*/*", "png", "", "a/b/c", "text/plain\r\nX: y", "bild/\u{e4}"]
        {
            assert_eq!(sendable_content_type(not_sendable), None, "{not_sendable:?}");
        }
    }
}
