//! Security schemes: the `security_schemes` module that describes them to the
//! runtime, the `Client` method that sets each one's credential, and the
//! alternatives each operation passes to its request.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ir::*;

/// The variant of the runtime's `SchemeKind` that `kind` is, unqualified:
/// the client's schemes and the server's credential checks both name it.
pub(super) fn kind_variant(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::ApiKey { location: ApiKeyLocation::Header, name } => quote! { Header(#name) },
        SchemeKind::ApiKey { location: ApiKeyLocation::Query, name } => quote! { Query(#name) },
        SchemeKind::ApiKey { location: ApiKeyLocation::Cookie, name } => quote! { Cookie(#name) },
        SchemeKind::Basic => quote! { Basic },
        SchemeKind::Bearer => quote! { Bearer },
    }
}

/// The `security_schemes` module and the credential setters, beside the
/// client; `runtime` is the path of the client runtime.
pub fn emit_schemes(
    schemes: &[SecurityScheme],
    gate_client: &Option<TokenStream>,
    runtime: &TokenStream,
) -> TokenStream {
    if schemes.is_empty() {
        return TokenStream::new();
    }
    let constants = schemes.iter().map(|scheme| {
        let constant = constant(scheme);
        let name = &scheme.name;
        let kind = kind_variant(&scheme.kind);
        let doc = format!(" `{name}`.");
        quote! {
            #[doc = #doc]
            pub const #constant: SecurityScheme = SecurityScheme { name: #name, kind: SchemeKind::#kind };
        }
    });
    let setters = schemes.iter().map(setters);
    quote! {
        /// The security schemes of the spec, as operations name them.
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        #gate_client
        pub mod security_schemes {
            use #runtime::{SchemeKind, SecurityScheme};
            #(#constants)*
        }

        #gate_client
        impl Client {
            #(#setters)*
        }
    }
}

/// `API_KEY_AUTH` for the scheme whose setter is `with_api_key_auth` (setters are unique).
fn constant(scheme: &SecurityScheme) -> Ident {
    format_ident!("{}", scheme.setter.trim_start_matches("with_").to_uppercase())
}

fn setters(scheme: &SecurityScheme) -> TokenStream {
    let name = &scheme.name;
    let setter = format_ident!("{}", scheme.setter);
    let how = match &scheme.kind {
        SchemeKind::ApiKey { location, name: key } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("an API key sent as the {place} `{key}`")
        }
        SchemeKind::Basic => "HTTP basic authentication".to_string(),
        SchemeKind::Bearer => "a token sent as `Authorization: Bearer`".to_string(),
    };
    let docs = doc_attrs(Some(&format!(
        "Sets the credential of the security scheme `{name}`: {how}. Operations that accept it send it.{}",
        scheme.description.as_deref().map(|d| format!("\n\n{}", d.trim())).unwrap_or_default()
    )));
    let main = match scheme.kind {
        SchemeKind::Basic => quote! {
            #docs
            pub fn #setter(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.with_credential(#name, Credential::basic(username, password))
            }
        },
        SchemeKind::ApiKey { .. } => quote! {
            #docs
            pub fn #setter(self, key: impl Into<String>) -> Self {
                self.with_credential(#name, Credential::token(key))
            }
        },
        SchemeKind::Bearer => quote! {
            #docs
            pub fn #setter(self, token: impl Into<String>) -> Self {
                self.with_credential(#name, Credential::token(token))
            }
        },
    };
    let provider = scheme.provider_setter.as_ref().map(|provider_setter| {
        let method = format_ident!("{}", provider_setter);
        let doc = format!(
            " As [`Client::{}`], with tokens asked of `provider` before every request attempt (to refresh them).",
            scheme.setter
        );
        quote! {
            #[doc = #doc]
            pub fn #method(self, provider: impl TokenProvider + 'static) -> Self {
                self.with_credential(#name, Credential::provider(provider))
            }
        }
    });
    quote! { #main #provider }
}

/// The `.security(...)` step of an operation's request; nothing when it
/// asks for no credentials.
pub fn request_security(schemes: &[SecurityScheme], security: &[Alternative]) -> Option<TokenStream> {
    if security.iter().all(Vec::is_empty) {
        return None;
    }
    let alternatives = security.iter().map(|alternative| {
        let requirements = alternative.iter().map(|requirement| {
            // The IR's indices point into its own scheme list.
            let constant = constant(&schemes[requirement.scheme]);
            let scopes = &requirement.scopes;
            quote! { (&security_schemes::#constant, &[#(#scopes),*]) }
        });
        quote! { &[#(#requirements),*] }
    });
    Some(quote! { .security(&[#(#alternatives),*]) })
}
