//! Security: the schemes of `components.securitySchemes`, how each sends its
//! credential, and which of them an operation accepts.

use std::collections::HashMap;

use openapiv3::{APIKeyLocation, OpenAPI, SecurityRequirement};

use super::names::{field_name, Namespace};
use super::operations::resolve_component;
use crate::error::{child_pointer, Diagnostics};

/// One entry of `components.securitySchemes`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`, as security requirements name it.
    pub name: String,
    /// The `Client` method that sets its credential (`with_api_key_auth`).
    pub setter: String,
    /// The `Client` method that sets a token provider for it, for schemes that send a token.
    pub provider_setter: Option<String>,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: apiKey`: the key in the header, query parameter or cookie `name`.
    ApiKey { location: ApiKeyLocation, name: String },
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: http, scheme: bearer`, `oauth2` and `openIdConnect`: a token in
    /// `Authorization: Bearer`, which the client may ask a provider for.
    Bearer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// One security requirement object: every scheme in it must be satisfied.
/// An empty one (`{}`) lets the operation be called anonymously.
pub type Alternative = Vec<SchemeUse>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeUse {
    /// An index into [`super::Model::security_schemes`].
    pub scheme: usize,
    /// The OAuth2 scopes the operation needs (roles for other schemes).
    pub scopes: Vec<String>,
}

/// The schemes of the document, with setter names that no operation method
/// or runtime method uses, and an index by name to resolve requirements.
pub struct Schemes {
    pub schemes: Vec<SecurityScheme>,
    by_name: HashMap<String, usize>,
    /// `mutualTLS` schemes: met by the HTTP client's certificate, so a request sends nothing for them.
    mutual_tls: Vec<String>,
    /// The document's `security`, resolved once for every operation that does not override it.
    document: Vec<Alternative>,
}

impl Schemes {
    /// Setter names come from `client_methods`, the namespace of the
    /// client's methods, after the operations' own names.
    pub fn collect(
        api: &OpenAPI,
        mutual_tls: &[String],
        client_methods: &mut Namespace,
        diagnostics: &mut Diagnostics,
    ) -> Schemes {
        let mut schemes = Vec::new();
        let declared = api.components.iter().flat_map(|c| &c.security_schemes);
        for (name, scheme) in declared {
            let pointer = child_pointer("#/components/securitySchemes", name);
            let Some(scheme) = resolve_component(
                scheme,
                "securitySchemes",
                |c, name| c.security_schemes.get(name),
                api,
                &pointer,
                diagnostics,
            ) else {
                continue;
            };
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::APIKey { location, name, description, .. } => {
                    let location = match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    };
                    (SchemeKind::ApiKey { location, name: name.clone() }, description)
                }
                openapiv3::SecurityScheme::HTTP { scheme, description, .. } => match scheme
                    .to_ascii_lowercase()
                    .as_str()
                {
                    "basic" => (SchemeKind::Basic, description),
                    "bearer" => (SchemeKind::Bearer, description),
                    // RFC 7235 schemes such as `Digest` need a challenge first; the
                    // whole `Authorization` value is the most a client can be given.
                    other => {
                        diagnostics.warn(
                            &child_pointer(&pointer, "scheme"),
                            format!("HTTP authentication scheme `{other}` is not implemented; its credential is sent as the whole `Authorization` header value"),
                        );
                        (
                            SchemeKind::ApiKey { location: ApiKeyLocation::Header, name: "Authorization".to_string() },
                            description,
                        )
                    }
                },
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
            };
            let setter = client_methods.claim(&format!("with_{}", field_name(name)));
            let provider_setter =
                (kind == SchemeKind::Bearer).then(|| client_methods.claim(&format!("{setter}_provider")));
            schemes.push(SecurityScheme {
                name: name.clone(),
                setter,
                provider_setter,
                kind,
                description: description.clone(),
            });
        }
        let by_name = schemes.iter().enumerate().map(|(index, scheme)| (scheme.name.clone(), index)).collect();
        let mut schemes = Schemes { schemes, by_name, mutual_tls: mutual_tls.to_vec(), document: Vec::new() };
        if let Some(security) = &api.security {
            schemes.document = schemes.alternatives(security, "#/security", diagnostics);
        }
        schemes
    }

    /// What an operation accepts: its own `security`, else the document's.
    pub fn for_operation(
        &self,
        security: Option<&Vec<SecurityRequirement>>,
        pointer: &str,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Alternative> {
        match security {
            Some(security) => self.alternatives(security, &child_pointer(pointer, "security"), diagnostics),
            None => self.document.clone(),
        }
    }

    /// The alternatives of a `security` list; one naming an undeclared scheme
    /// can never be satisfied, so it is left out with a warning.
    fn alternatives(
        &self,
        security: &[SecurityRequirement],
        pointer: &str,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Alternative> {
        let mut alternatives = Vec::new();
        'alternatives: for (index, requirement) in security.iter().enumerate() {
            let mut alternative = Vec::new();
            for (name, scopes) in requirement.iter().filter(|(name, _)| !self.mutual_tls.contains(name)) {
                let Some(&scheme) = self.by_name.get(name) else {
                    let place = child_pointer(&format!("{pointer}/{index}"), name);
                    diagnostics.warn(&place, format!("security scheme `{name}` is not declared in components.securitySchemes; this security alternative is left out"));
                    continue 'alternatives;
                };
                alternative.push(SchemeUse { scheme, scopes: scopes.clone() });
            }
            alternatives.push(alternative);
        }
        alternatives
    }
}
