//! The API's own `Client` and `Call`: thin wrappers of the runtime's, so that
//! the operations and the optional parameters can be their inherent methods
//! (Rust allows inherent methods only on a crate's own types), while errors,
//! retry policies, files, hooks and credentials stay the runtime's types,
//! the same for every API.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code_span, doc_attrs, own_doc_attrs};

/// The `Client` struct, its constructors and the runtime client's builders
/// (forwarded, so that they return this `Client`: a test checks that none is
/// missing), `Default`
/// and `from_env`. `default_url` is the spec's first server, when usable;
/// `title` names the environment variables (see [`env_prefix`]).
pub fn client(
    runtime: &TokenStream,
    gate: &Option<TokenStream>,
    default_url: Option<&str>,
    title: &str,
) -> TokenStream {
    let prefix = env_prefix(title);
    let (key, base_url) = (format!("{prefix}_API_KEY"), format!("{prefix}_BASE_URL"));
    let default_base_url = default_url.map(|url| {
        let doc = doc_attrs(Some(&format!("The spec's first server, {}.", code_span(url))));
        quote! {
            #doc
            #gate
            pub const DEFAULT_BASE_URL: &str = #url;

            #gate
            impl Default for Client {
                /// A client of [`DEFAULT_BASE_URL`].
                fn default() -> Self {
                    Client::new(DEFAULT_BASE_URL)
                }
            }
        }
    });
    let (fallback, fallback_doc) = match default_url {
        Some(_) => (quote! { Some(DEFAULT_BASE_URL) }, "else [`DEFAULT_BASE_URL`]"),
        None => (quote! { None }, "which must be set, as the spec names no server"),
    };
    let from_env_doc = own_doc_attrs(&format!(
        "A client of the base URL in {} ({fallback_doc}) with the API key in {}, sent to every operation as its API key or token unless the client is given another credential for that scheme. The error names the missing variable, never a value.",
        code_span(&base_url),
        code_span(&key),
    ));
    quote! {
        /// A client of the API: the runtime's client, with a method per operation.
        /// Cloning is cheap; the runtime client's methods are reachable through `Deref`.
        #gate
        #[derive(Clone, Debug)]
        pub struct Client(#runtime::Client);

        #default_base_url

        #gate
        impl Client {
            /// A client of the API at `base_url`, with a 600 s request timeout and a 5 s connect timeout.
            pub fn new(base_url: impl Into<String>) -> Self {
                Client(#runtime::Client::new(base_url))
            }

            /// A client that sends its requests through `http`: bring your own
            /// proxies, timeouts, TLS settings, redirect policy or middleware.
            pub fn with_http_client(base_url: impl Into<String>, http: #runtime::reqwest::Client) -> Self {
                Client(#runtime::Client::with_http_client(base_url, http))
            }

            #from_env_doc
            pub fn from_env() -> Result<Self, MissingVariable> {
                #runtime::Client::from_env(#prefix, #fallback).map(Client)
            }

            /// Sends `Authorization: Bearer <token>` to every operation that asks for a bearer,
            /// OAuth2 or OpenID Connect scheme the client has no credential of its own for.
            pub fn with_bearer_token(self, token: impl Into<String>) -> Self {
                Client(self.0.with_bearer_token(token))
            }

            /// As [`Client::with_bearer_token`], with tokens asked of `provider` before every request attempt.
            pub fn with_token_provider(self, provider: impl TokenProvider + 'static) -> Self {
                Client(self.0.with_token_provider(provider))
            }

            /// Sets the credential of the security scheme named `scheme` in the spec.
            pub fn with_credential(self, scheme: &str, credential: Credential) -> Self {
                Client(self.0.with_credential(scheme, credential))
            }

            /// Reads the bearer token from the environment variable `variable`;
            /// the error names the variable, never its value.
            pub fn with_bearer_token_from_env(self, variable: &str) -> Result<Self, MissingVariable> {
                self.0.with_bearer_token_from_env(variable).map(Client)
            }

            /// Retries failed requests as `policy` says. Off by default.
            pub fn with_retries(self, policy: RetryPolicy) -> Self {
                Client(self.0.with_retries(policy))
            }

            /// The most bytes of a JSON or text body read into memory (256 MiB unless set).
            pub fn with_max_body_size(self, bytes: usize) -> Self {
                Client(self.0.with_max_body_size(bytes))
            }

            /// The most bytes of one event of a `text/event-stream` body (16 MiB unless set).
            pub fn with_max_event_size(self, bytes: usize) -> Self {
                Client(self.0.with_max_event_size(bytes))
            }

            /// Runs `hook` before and after every request (tracing, signing, metrics).
            pub fn with_hook(self, hook: impl Hook + 'static) -> Self {
                Client(self.0.with_hook(hook))
            }
        }

        #gate
        impl std::ops::Deref for Client {
            type Target = #runtime::Client;

            fn deref(&self) -> &#runtime::Client {
                &self.0
            }
        }

        #gate
        impl From<#runtime::Client> for Client {
            /// The API's client around a runtime client (one configured for another API, say).
            fn from(client: #runtime::Client) -> Self {
                Client(client)
            }
        }

        #gate
        impl From<Client> for #runtime::Client {
            fn from(client: Client) -> Self {
                client.0
            }
        }
    }
}

/// The `Call` struct: the runtime's call, marked with the operation (`P`)
/// whose optional parameters are its methods, with the runtime call's methods.
pub fn call(runtime: &TokenStream, gate: &Option<TokenStream>) -> TokenStream {
    quote! {
        /// One call of an operation: await it to send it. Before that, the
        /// operation's optional parameters and per-call extras can be set.
        ///
        /// `P` marks the operation when it has optional parameters.
        #gate
        #[must_use = "a call does nothing until it is awaited"]
        pub struct Call<'a, T, E = ErrorBody, P = ()> {
            inner: #runtime::Call<'a, T, E>,
            operation: std::marker::PhantomData<fn() -> P>,
        }

        #gate
        impl<'a, T, E, P> From<#runtime::Call<'a, T, E>> for Call<'a, T, E, P> {
            fn from(inner: #runtime::Call<'a, T, E>) -> Self {
                Call { inner, operation: std::marker::PhantomData }
            }
        }

        #gate
        impl<T, E, P> std::fmt::Debug for Call<'_, T, E, P> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.inner, f)
            }
        }

        #gate
        impl<'a, T, E, P> Call<'a, T, E, P> {
            /// The runtime's call, without the operation's parameter methods.
            pub fn into_inner(self) -> #runtime::Call<'a, T, E> {
                self.inner
            }

            #[doc(hidden)]
            pub fn map_request(self, change: impl FnOnce(#runtime::Request) -> #runtime::Request) -> Self {
                self.inner.map_request(change).into()
            }

            /// Adds a header to this call.
            pub fn header(self, name: &str, value: &str) -> Self {
                self.inner.header(name, value).into()
            }

            /// Sends the header `name` with the multipart parts named `part`.
            pub fn part_header(self, part: &str, name: &str, value: &str) -> Self {
                self.inner.part_header(part, name, value).into()
            }

            /// Adds a query parameter to this call.
            pub fn query(self, name: &str, value: &str) -> Self {
                self.inner.query(name, value).into()
            }

            /// Adds a field to the JSON body (for fields the spec does not have yet).
            pub fn extra_body(self, name: &str, value: impl serde::Serialize) -> Self {
                self.inner.extra_body(name, value).into()
            }

            /// The overall timeout of this call, instead of the client's.
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                self.inner.timeout(timeout).into()
            }
        }

        #gate
        impl<T: Send + 'static, E: serde::de::DeserializeOwned + Send + 'static, P> Call<'_, T, E, P> {
            /// Sends the call and returns the value with the response's status, headers and raw body.
            pub async fn send_with_response(self) -> Result<Response<T>, Error<E>> {
                self.inner.send_with_response().await
            }

            /// Sends the call and returns the decoded value.
            pub async fn send(self) -> Result<T, Error<E>> {
                self.inner.send().await
            }
        }

        #gate
        impl<T: #runtime::Page + Send + 'static, E: serde::de::DeserializeOwned + Send + 'static, P> Call<'_, T, E, P>
        where
            T::Item: Send + 'static,
        {
            /// Asks for at most `pages` pages in this list call's `pages()` and
            /// `items()` (its own page included). Unlimited unless set.
            pub fn max_pages(self, pages: usize) -> Self {
                self.inner.max_pages(pages).into()
            }
        }

        #gate
        impl<'a, T: Send + 'static, E: serde::de::DeserializeOwned + Send + 'static, P> std::future::IntoFuture for Call<'a, T, E, P> {
            type Output = Result<T, Error<E>>;
            type IntoFuture = #runtime::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                std::future::IntoFuture::into_future(self.inner)
            }
        }
    }
}

/// The prefix of the environment variables `from_env` reads: the ASCII words
/// of the spec's title in upper case joined by `_`, less a last word `API`
/// (`OpenAI API` -> `OPENAI`, as providers name their variables); `API` when
/// nothing is left.
pub fn env_prefix(title: &str) -> String {
    let upper = title.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let words = match words.split_last() {
        Some((&"API", rest)) if !rest.is_empty() => rest,
        _ => &words[..],
    };
    match words.join("_") {
        prefix if prefix.is_empty() => "API".to_string(),
        prefix => prefix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_the_title_without_api() {
        assert_eq!(env_prefix("OpenAI API"), "OPENAI");
        assert_eq!(env_prefix("Nebius OpenAI-compatible inference API"), "NEBIUS_OPENAI_COMPATIBLE_INFERENCE");
        assert_eq!(env_prefix("API"), "API");
        assert_eq!(env_prefix("Ünïcode ☃ v2"), "N_CODE_V2");
        assert_eq!(env_prefix(""), "API");
    }

    /// The runtime client's methods that build a client: those that take no
    /// `&self`, or take `self` by value.
    fn builders(file: &syn::File, type_name: &str) -> Vec<String> {
        let impls = file.items.iter().filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        });
        let mut names: Vec<String> = impls
            .filter(|block| {
                let ty = &block.self_ty;
                quote!(#ty).to_string() == type_name
            })
            .flat_map(|block| &block.items)
            .filter_map(|item| match item {
                syn::ImplItem::Fn(function) => Some(function),
                _ => None,
            })
            .filter(|function| !matches!(function.sig.inputs.first(), Some(syn::FnArg::Receiver(r)) if r.reference.is_some()))
            .map(|function| function.sig.ident.to_string())
            .collect();
        names.sort();
        names
    }

    /// A builder added to the runtime's `Client` must be forwarded, or it would return the runtime's client.
    #[test]
    fn every_builder_of_the_runtime_client_is_forwarded() {
        let runtime: syn::File = syn::parse_str(crate::ir::names::RUNTIME_CLIENT).expect("the runtime parses");
        let emitted = client(&quote! { ::apigen_runtime }, &None, Some("https://example.com"), "Example API");
        let emitted: syn::File = syn::parse2(emitted).expect("the emitted client parses");
        assert_eq!(builders(&runtime, "Client"), builders(&emitted, "Client"));
    }
}
