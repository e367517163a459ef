//! The public entry points: one function for the whole pipeline, and a
//! builder for build scripts in the style of prost-build.

use std::path::{Path, PathBuf};

use crate::emit::{self, EmitOptions, RuntimePath};
use crate::error::{Diagnostic, Error};
use crate::ir::{self, ModelOptions};
use crate::layout::{self, Layout};
use crate::{format, load, write};

/// Everything that changes what is generated, set through its methods (or
/// [`Generator`]'s of the same names).
#[derive(Debug, Clone, Default)]
pub struct Options {
    model: ModelOptions,
    emit: EmitOptions,
    layout: Layout,
}

impl Options {
    /// The defaults: every operation, with the client, open enums, unknown fields kept.
    pub fn new() -> Self {
        Options::default()
    }

    /// Keep unknown string enum values in an `Other` variant (the default)
    /// instead of failing to decode them.
    pub fn open_enums(mut self, open: bool) -> Self {
        self.model.types.open_enums = open;
        self
    }

    /// Keep the properties a response carries beyond those its schema
    /// declares, in an `additional_properties` map of each struct that
    /// responses use (the default), instead of dropping them on decode.
    pub fn keep_unknown_fields(mut self, keep: bool) -> Self {
        self.model.types.keep_unknown_fields = keep;
        self
    }

    /// Webhook events are signed with the Standard Webhooks scheme, so the
    /// `webhooks` module gets `unwrap`, which checks signatures (assumed
    /// anyway when a webhook declares its `webhook-signature` header).
    pub fn standard_webhooks(mut self, signed: bool) -> Self {
        self.model.standard_webhooks = signed;
        self
    }

    /// Generate only operations with this tag (may be given several times).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.model.tags.push(tag.into());
        self
    }

    /// Generate only the operation with this operationId (may be given several times).
    pub fn operation(mut self, operation_id: impl Into<String>) -> Self {
        self.model.operation_ids.push(operation_id.into());
        self
    }

    /// Write one file (the default, for `include!`) or a tree of files a tag (see [`Layout`]).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Emit the async client (the default) or the types only.
    pub fn client(mut self, client: bool) -> Self {
        self.emit.client = client;
        self
    }

    /// Also emit the `server` module: a trait per tag with an async method
    /// per operation, and an axum router that checks requests before calling them.
    pub fn server(mut self, server: bool) -> Self {
        self.emit.server = server;
        self
    }

    /// Put the `server` module behind the cargo feature `server` of the
    /// crate that includes the code, gating nothing else (with
    /// [`Options::cargo_features`] it is behind that feature anyway).
    pub fn server_feature(mut self, gate: bool) -> Self {
        self.emit.server_feature = gate;
        self
    }

    /// Gate the client behind a `client` cargo feature and each operation
    /// behind a feature named after its tag, for a crate whose manifest
    /// declares them ([`CrateOptions::files`] writes one).
    pub fn cargo_features(mut self, gate: bool) -> Self {
        self.emit.cargo_features = gate;
        self
    }

    /// Derive `derive` (a trait path: `Hash`, `schemars::JsonSchema`) on every
    /// struct and enum of `types`, like typify's `with_derive`. A trait the
    /// generator derives already is not derived twice.
    pub fn derive(mut self, derive: impl Into<String>) -> Self {
        self.customizations().derives.push(derive.into());
        self
    }

    /// Derive `derive` on one type, named by its schema name (or its Rust name).
    pub fn type_derive(mut self, type_name: impl Into<String>, derive: impl Into<String>) -> Self {
        self.customizations().type_derives.push((type_name.into(), derive.into()));
        self
    }

    /// Put `attribute` (`#[...]`) on one type, named by its schema name (or
    /// its Rust name), like prost-build's `type_attribute`.
    pub fn type_attribute(mut self, type_name: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.customizations().type_attributes.push((type_name.into(), attribute.into()));
        self
    }

    /// Put `attribute` (`#[...]`) on one field, named `Type.field` by the
    /// type's schema (or Rust) name and the property's (or field's) name,
    /// like prost-build's `field_attribute`.
    pub fn field_attribute(mut self, field: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.customizations().field_attributes.push((field.into(), attribute.into()));
        self
    }

    /// Use the Rust type `rust_type` (`crate::Metadata`) for the component
    /// schema `schema`: it is not generated, and every use of it is
    /// `rust_type`, like prost-build's `extern_path` and typify's
    /// `with_replacement`. The type must serialize as the schema says.
    pub fn replace_type(mut self, schema: impl Into<String>, rust_type: impl Into<String>) -> Self {
        self.customizations().replacements.insert(schema.into(), rust_type.into());
        self
    }

    /// Read strings (or numbers) of `format` (`date-time`, `uuid`, `decimal`)
    /// as `rust_type` (`chrono::DateTime<chrono::Utc>`) instead of `String`.
    /// See [`Options::format_preset`] for the usual ones.
    pub fn format_type(mut self, format: impl Into<String>, rust_type: impl Into<String>) -> Self {
        self.customizations().formats.insert(format.into(), rust_type.into());
        self
    }

    /// [`Options::format_type`] for each format a crate has a type for.
    pub fn format_preset(self, preset: FormatPreset) -> Self {
        preset.formats().iter().fold(self, |generator, (format, rust_type)| generator.format_type(*format, *rust_type))
    }

    /// Name the type of the component schema `schema` `name` (`Body_add_upload_part`
    /// -> `UploadPart`). A name another type has is an error naming both.
    pub fn rename_type(mut self, schema: impl Into<String>, name: impl Into<String>) -> Self {
        self.customizations().type_renames.insert(schema.into(), name.into());
        self
    }

    /// Name the client method of the operation `operation_id` `name`
    /// (snake_case). A name another method has is an error naming both.
    pub fn rename_operation(mut self, operation_id: impl Into<String>, name: impl Into<String>) -> Self {
        self.customizations().operation_renames.insert(operation_id.into(), name.into());
        self
    }

    fn customizations(&mut self) -> &mut ir::Customizations {
        &mut self.model.customizations
    }
}

/// The generated module and the warnings met on the way. Fields may be
/// added in any release: it is built by apigen only.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Generated {
    /// The module's source, formatted, with its `@generated` header; with
    /// [`Layout::Tree`], the tree's root file.
    pub code: String,
    /// With [`Layout::Tree`], the tree's other files, relative to the root's directory.
    pub files: Vec<(PathBuf, String)>,
    /// Problems that did not stop generation, each with its place.
    pub warnings: Vec<Diagnostic>,
    /// The tag features the code is gated by (with [`Generator::cargo_features`]).
    pub tag_features: Vec<String>,
    /// The types read or write bytes as base64 text: the code needs the
    /// runtime's `Base64Bytes`, behind its `base64` feature (a vendored
    /// runtime: the `base64` crate, [`BASE64_DEPENDENCY`]).
    pub uses_base64: bool,
    /// The other files that the document's `$ref`s read.
    pub referenced_files: Vec<PathBuf>,
    /// Whether the code has a `webhooks` module, which needs dependencies of its own.
    pub webhooks: bool,
    /// The crates of the user's format types that apigen knows (`chrono`,
    /// `uuid`, `rust_decimal`), as `(name, dependency spec)` of a manifest.
    pub format_dependencies: Vec<(&'static str, &'static str)>,
    /// Whether the code has a `server` module ([`Generator::server`]), which needs the runtime's `server` feature.
    pub server: bool,
}

/// The `base64` crate as a manifest's dependency spec, for a vendored runtime's `Base64Bytes`.
pub const BASE64_DEPENDENCY: (&str, &str) = ("base64", "version = \"0.23\"");

/// Runs the whole pipeline on one document. `file` names it in messages and
/// in the header. A `$ref` to another file is an error: use [`generate_in`]
/// (or [`Generator::spec`]) for documents spread over several files.
pub fn generate(file: &str, bytes: &[u8], options: &Options) -> Result<Generated, Error> {
    crate::stack::on_deep_stack(|| generate_here(file, bytes, None, options))
}

/// [`generate`] for a document whose `$ref`s name other files, read relative to `dir`.
pub fn generate_in(file: &str, bytes: &[u8], dir: &Path, options: &Options) -> Result<Generated, Error> {
    crate::stack::on_deep_stack(|| generate_here(file, bytes, Some(dir), options))
}

fn generate_here(file: &str, bytes: &[u8], dir: Option<&Path>, options: &Options) -> Result<Generated, Error> {
    // Each stage's input is dropped once the next stage has read it, so that
    // the peak is one stage's data, not all of them at once.
    let mut document = load::read(file, bytes, dir)?;
    let mut model = ir::build(&document, &options.model)?;
    let referenced_files = std::mem::take(&mut document.origins.files);
    drop(document);
    let source =
        Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file.to_string());
    let header = format::header(&source);
    // One file is printed a piece at a time as it is emitted, and a tree's
    // files keep their pieces as text, so the whole module's tokens are never alive at once.
    let (code, tree) = match options.layout {
        Layout::OneFile => (format::print_pieces(file, &header, emit::emit_pieces(&model, &options.emit))?, None),
        Layout::Tree => {
            let pieces = emit::emit_pieces(&model, &options.emit);
            (String::new(), Some(layout::split_pieces(file, pieces, &layout::Plan::new(&model))?))
        }
    };
    let tag_features = if options.emit.cargo_features { std::mem::take(&mut model.features) } else { Vec::new() };
    let uses_base64 = model.uses(&ir::TypeRef::Base64);
    let webhooks = options.emit.client && model.webhooks.is_some();
    let server = options.emit.server && !model.operations.is_empty();
    let warnings = std::mem::take(&mut model.warnings);
    drop(model);
    let (code, formatted) = match tree {
        Some(files) => {
            let mut formatted = format::print_files(file, &header, files)?;
            // `split_pieces` puts the root first.
            (formatted.remove(0).1, formatted)
        }
        None => (code, Vec::new()),
    };
    let format_dependencies = format_dependencies(&options.model.customizations);
    Ok(Generated {
        code,
        files: formatted,
        warnings,
        tag_features,
        uses_base64,
        referenced_files,
        webhooks,
        format_dependencies,
        server,
    })
}

/// The known crates that the user's format and replacement types name first (`chrono::..`).
fn format_dependencies(customizations: &ir::Customizations) -> Vec<(&'static str, &'static str)> {
    let types = customizations.formats.values().chain(customizations.replacements.values());
    let first_segments: Vec<&str> =
        types.map(|rust| rust.trim_start_matches("::").split("::").next().unwrap_or("")).collect();
    FORMAT_CRATES.into_iter().filter(|(name, _)| first_segments.contains(name)).collect()
}

/// Generates Rust for one spec; made for `build.rs`.
///
/// ```no_run
/// apigen::Generator::new()
///     .spec("specs/openai.yaml")
///     .tag("Uploads")
///     .generate_to_file("src/openai.rs")?;
/// # Ok::<(), apigen::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Generator {
    spec: Option<PathBuf>,
    options: Options,
    rerun_if_changed: Option<bool>,
    /// As given to [`Generator::runtime_path`], checked when generating.
    runtime_path: Option<String>,
}

impl Generator {
    /// A generator with the default [`Options`] and no spec yet.
    pub fn new() -> Self {
        Generator::default()
    }

    /// The OpenAPI document (YAML or JSON) to read.
    pub fn spec(mut self, path: impl AsRef<Path>) -> Self {
        self.spec = Some(path.as_ref().to_path_buf());
        self
    }

    /// The path through which the generated code names the client runtime:
    /// `::apigen_runtime` (the `apigen-runtime` crate as a dependency) unless
    /// set, or the module of a vendored copy (see [`vendored_runtime`]) such as
    /// `crate::runtime`. It must be absolute. Modules generated for several
    /// specs into one crate share the runtime the path names: one `Error`,
    /// one `RetryPolicy`, one `FilePart` for all of them.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = Some(path.into());
        self
    }

    /// Print `cargo:rerun-if-changed` for the spec and the files its `$ref`s read. By default this happens
    /// when running in a build script (when `OUT_DIR` is set).
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.rerun_if_changed = Some(emit);
        self
    }

    /// Generates the module as a string.
    pub fn generate_string(&self) -> Result<String, Error> {
        self.generate().map(|generated| generated.code)
    }

    /// Generates the module, with what else the run found.
    pub fn generate(&self) -> Result<Generated, Error> {
        let spec = self.spec.as_ref().ok_or_else(|| Error::Config("no spec given: call `.spec(path)` first".into()))?;
        let rerun_if_changed = self.rerun_if_changed.unwrap_or_else(|| std::env::var_os("OUT_DIR").is_some());
        if rerun_if_changed {
            println!("cargo:rerun-if-changed={}", spec.display());
        }
        let bytes = std::fs::read(spec).map_err(|source| Error::Io { path: spec.clone(), source })?;
        let dir = spec.parent().unwrap_or(Path::new(""));
        let mut options = self.options.clone();
        if let Some(path) = &self.runtime_path {
            options.emit.runtime_path = RuntimePath::new(path).map_err(Error::Config)?;
        }
        let generated = generate_in(&spec.display().to_string(), &bytes, dir, &options)?;
        if rerun_if_changed {
            for file in &generated.referenced_files {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        for warning in &generated.warnings {
            let message = warning.render(&spec.display().to_string());
            if std::env::var_os("OUT_DIR").is_some() {
                println!("cargo:warning={message}");
            } else {
                eprintln!("warning: {message}");
            }
        }
        Ok(generated)
    }

    /// Generates the module into `out`, atomically.
    pub fn generate_to_file(&self, out: impl AsRef<Path>) -> Result<(), Error> {
        let code = self.generate_string()?;
        write::write_atomic(out.as_ref(), &code)
    }

    /// The options set so far.
    pub fn options(&self) -> &Options {
        &self.options
    }
}

/// [`Generator`]'s setters of [`Options`], each calling the one of its options.
macro_rules! option_setters {
    ($($name:ident($($argument:ident: $type:ty),*);)*) => {
        impl Generator {
            $(
                #[doc = concat!("See [`Options::", stringify!($name), "`].")]
                pub fn $name(mut self, $($argument: $type),*) -> Self {
                    self.options = self.options.$name($($argument),*);
                    self
                }
            )*
        }
    };
}

option_setters! {
    open_enums(open: bool);
    keep_unknown_fields(keep: bool);
    standard_webhooks(signed: bool);
    tag(tag: impl Into<String>);
    operation(operation_id: impl Into<String>);
    layout(layout: Layout);
    client(client: bool);
    server(server: bool);
    server_feature(gate: bool);
    cargo_features(gate: bool);
    derive(derive: impl Into<String>);
    type_derive(type_name: impl Into<String>, derive: impl Into<String>);
    type_attribute(type_name: impl Into<String>, attribute: impl Into<String>);
    field_attribute(field: impl Into<String>, attribute: impl Into<String>);
    replace_type(schema: impl Into<String>, rust_type: impl Into<String>);
    format_type(format: impl Into<String>, rust_type: impl Into<String>);
    format_preset(preset: FormatPreset);
    rename_type(schema: impl Into<String>, name: impl Into<String>);
    rename_operation(operation_id: impl Into<String>, name: impl Into<String>);
}

/// Format types of one crate, for [`Options::format_preset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatPreset {
    /// `date-time` as `chrono::DateTime<chrono::Utc>`, `date` as `chrono::NaiveDate`.
    Chrono,
    /// `uuid` as `uuid::Uuid`.
    Uuid,
}

impl FormatPreset {
    fn formats(self) -> &'static [(&'static str, &'static str)] {
        match self {
            FormatPreset::Chrono => &[("date-time", "chrono::DateTime<chrono::Utc>"), ("date", "chrono::NaiveDate")],
            FormatPreset::Uuid => &[("uuid", "uuid::Uuid")],
        }
    }
}

/// The crates whose types formats are mapped to, with serde support, as a
/// manifest's dependency specs. `time` is not among them: its date-time
/// types do not serialize as RFC 3339 without a `#[serde(with)]` per field.
const FORMAT_CRATES: [(&str, &str); 3] = [
    ("chrono", "version = \"0.4\", default-features = false, features = [\"serde\", \"std\"]"),
    ("uuid", "version = \"1\", features = [\"serde\"]"),
    // Its `serde` feature (a default) reads and writes decimals as strings, as `format: decimal` strings are.
    ("rust_decimal", "version = \"1\""),
];

/// What `apigen crate` needs beyond the module.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// The package name (`openai_full`).
    name: String,
    /// Where the crate's client runtime comes from.
    runtime: RuntimeSource,
    /// Whether the client speaks TLS (the runtime's `rustls` feature, or reqwest's when vendored).
    tls: bool,
}

/// Where a crate written by [`CrateOptions::files`] gets the client runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// The `apigen-runtime` crate of this version requirement, from crates.io.
    Version(String),
    /// The `apigen-runtime` crate in this directory (a checkout of apigen).
    Path(PathBuf),
    /// A copy of the runtime's source, written as `src/runtime.rs`: no
    /// dependency on `apigen-runtime`, but on what it depends on. The module
    /// must be generated with [`Generator::runtime_path`]`(`[`VENDORED_RUNTIME_PATH`]`)`.
    Vendored,
}

impl Default for RuntimeSource {
    /// The runtime release that matches this generator.
    fn default() -> Self {
        RuntimeSource::Version(RUNTIME_VERSION.to_string())
    }
}

/// The version requirement on `apigen-runtime` that this generator's code needs.
pub const RUNTIME_VERSION: &str = "0.1";

/// The runtime path of a crate that vendors the runtime ([`RuntimeSource::Vendored`]).
pub const VENDORED_RUNTIME_PATH: &str = "crate::runtime";

/// The runtime's source as one module file, for a crate to vendor (as
/// `src/runtime.rs`, named by [`Generator::runtime_path`]): the text of the
/// `apigen-runtime` crate, comments and all, with its `client` module
/// inlined, its `webhooks` module when `webhooks` is true, its `server`
/// module when `server` is (for code generated with [`Generator::server`]),
/// and `Base64Bytes` when `base64` is ([`Generated::uses_base64`]: it needs
/// the `base64` crate), each left out otherwise. Several generated modules
/// of one crate share one vendored copy.
pub fn vendored_runtime(webhooks: bool, server: bool, base64: bool) -> String {
    vendor(ModuleGates {
        client: Some(""),
        webhooks: webhooks.then_some(""),
        server: server.then_some(""),
        base64: base64.then_some(""),
    })
}

/// The attribute lines that a vendored runtime puts before each of its
/// optional modules (nothing: always compiled), or `None` to leave it out.
#[derive(Debug, Clone, Copy)]
struct ModuleGates<'a> {
    client: Option<&'a str>,
    webhooks: Option<&'a str>,
    server: Option<&'a str>,
    base64: Option<&'a str>,
}

/// [`vendored_runtime`], each optional module behind its gate.
fn vendor(gates: ModuleGates) -> String {
    let inline = |declaration: &str, gate: Option<&str>, name: &str, source: &str, runtime: String| {
        let module = gate.map_or(String::new(), |gate| format!("{gate}pub mod {name} {{\n{source}}}\n"));
        runtime.replacen(declaration, &module, 1)
    };
    // `progress`, `unknown_fields` and `de`'s `tagged` are private to their modules, so not ones for `inline`.
    let private = |name: &str, source: &str, text: String| {
        text.replacen(&format!("\nmod {name};\n"), &format!("\nmod {name} {{\n{source}}}\n"), 1)
    };
    let client = private("progress", crate::ir::names::RUNTIME_PROGRESS, crate::ir::names::RUNTIME_CLIENT.to_string());
    let client = private("json_path", crate::ir::names::RUNTIME_JSON_PATH, client);
    // The client is private too, and the root re-exports it.
    let client_module = gates
        .client
        .map_or(String::new(), |gate| format!("{gate}mod client {{\n{client}}}\n{gate}pub use client::*;\n"));
    let runtime = crate::ir::names::RUNTIME.replacen(CLIENT_DECLARATION, &client_module, 1);
    let runtime = private("unknown_fields", crate::ir::names::RUNTIME_UNKNOWN_FIELDS, runtime);
    let de = private("tagged", crate::ir::names::RUNTIME_DE_TAGGED, crate::ir::names::RUNTIME_DE.to_string());
    let runtime = inline(DE_DECLARATION, Some(""), "de", &de, runtime);
    // Private and re-exported, as the client.
    let base64_module = gates.base64.map_or(String::new(), |gate| {
        format!(
            "{gate}mod base64_bytes {{\n{}}}\n{gate}pub use base64_bytes::Base64Bytes;\n",
            crate::ir::names::RUNTIME_BASE64
        )
    });
    let runtime = runtime.replacen(BASE64_DECLARATION, &base64_module, 1);
    let runtime = inline(WEBHOOKS_DECLARATION, gates.webhooks, "webhooks", crate::ir::names::RUNTIME_WEBHOOKS, runtime);
    // The server module's unit tests stay in apigen-runtime.
    let server = crate::ir::names::RUNTIME_SERVER.replacen(SERVER_TESTS_DECLARATION, "", 1);
    let vendored = inline(SERVER_DECLARATION, gates.server, "server", &server, runtime);
    format!(
        "// @generated by apigen {}: the source of apigen-runtime, vendored. Do not edit by hand.\n{vendored}",
        env!("CARGO_PKG_VERSION")
    )
}

/// How the runtime's `lib.rs` declares its `client` module and re-exports it (a test checks it does).
const CLIENT_DECLARATION: &str =
    "#[cfg(feature = \"client\")]\nmod client;\n#[cfg(feature = \"client\")]\npub use client::*;\n";
/// How the runtime's `lib.rs` declares its `Base64Bytes` module and re-exports it (a test checks it does).
const BASE64_DECLARATION: &str =
    "#[cfg(feature = \"base64\")]\nmod base64_bytes;\n#[cfg(feature = \"base64\")]\npub use base64_bytes::Base64Bytes;\n";
/// How the runtime's `lib.rs` declares its `webhooks` module (a test checks it does).
const WEBHOOKS_DECLARATION: &str = "#[cfg(feature = \"webhooks\")]\npub mod webhooks;\n";
/// How the runtime's `lib.rs` declares its `server` module (a test checks it does).
const SERVER_DECLARATION: &str = "#[cfg(feature = \"server\")]\npub mod server;\n";
/// How the runtime's `server` module declares its unit tests, a file of their own.
const SERVER_TESTS_DECLARATION: &str = "#[cfg(test)]\nmod tests; // Its own file, which a vendored copy leaves out.\n";
/// How the runtime's `lib.rs` declares its `de` module, the models' readers.
const DE_DECLARATION: &str = "pub mod de;\n";

impl CrateOptions {
    /// Options for a crate named `name` that depends on the `apigen-runtime` release of this generator.
    pub fn new(name: impl Into<String>) -> Self {
        CrateOptions { name: name.into(), runtime: RuntimeSource::default(), tls: true }
    }

    /// Whether the client speaks TLS (on by default): off, the crate builds
    /// no TLS library (rustls on aws-lc-rs, a C build) and calls `http://` URLs only.
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Where the crate gets the client runtime (by default the `apigen-runtime` release of this generator).
    pub fn runtime(mut self, runtime: RuntimeSource) -> Self {
        self.runtime = runtime;
        self
    }

    /// The runtime path the crate's module must be generated with ([`Generator::runtime_path`]).
    pub fn runtime_path(&self) -> &'static str {
        match self.runtime {
            RuntimeSource::Vendored => VENDORED_RUNTIME_PATH,
            _ => RuntimePath::CRATE,
        }
    }

    /// The files of a standalone crate around a generated module: `(relative path, contents)`.
    ///
    /// With a client, its dependencies are optional, behind the feature
    /// `client`; each of `tag_features` (`untagged` among them) enables `client` and its operations;
    /// `all-types` compiles every type. All are on by default, so that
    /// `default-features = false, features = ["uploads"]` compiles the
    /// uploads operations only and `features = ["all-types"]` the models only.
    pub fn files(&self, generated: &Generated, client: bool) -> Vec<(PathBuf, String)> {
        let mut manifest = format!(
            "# @generated by apigen {}. Do not edit by hand.\n[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n",
            env!("CARGO_PKG_VERSION"),
            self.name
        );
        // Docs come from the spec: should a code block ever slip through as Rust,
        // `cargo test` still must not run it.
        manifest.push_str("[lib]\ndoctest = false\n\n");
        let optional = if client { ", optional = true" } else { "" };
        // Dependencies every build needs are listed once, unconditionally (a
        // key twice is invalid TOML): the formats' crates, and the runtime
        // crate, as the models read through its `de` module (or base64 for a
        // vendored runtime's `Base64Bytes`). The
        // client's and the server's own are optional, behind their features.
        let runtime = self.runtime_dependencies(generated, client);
        let mut always: Vec<(&str, String)> =
            generated.format_dependencies.iter().map(|(name, spec)| (*name, spec.to_string())).collect();
        let (every_build, behind_features): (Vec<_>, Vec<_>) = runtime
            .dependencies
            .into_iter()
            .filter(|(name, _)| !always.iter().any(|(listed, _)| listed == name))
            .partition(|(name, _)| !client || runtime.every_build.contains(name));
        always.extend(every_build);
        let listed = |name: &str| always.iter().any(|(listed, _)| *listed == name);
        // `dep:NAME` of a dependency listed unconditionally is no feature's.
        let enables = |names: Vec<String>| -> String {
            let enabled = names.into_iter().filter(|name| !name.strip_prefix("dep:").is_some_and(&listed));
            enabled.map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
        };
        if client {
            let features = &generated.tag_features;
            let default: Vec<String> = std::iter::once(emit::features::ALL_TYPES)
                .chain(features.iter().map(String::as_str))
                .map(|f| format!("\"{f}\""))
                .collect();
            manifest.push_str(&format!("[features]\ndefault = [{}]\n", default.join(", ")));
            manifest.push_str(&format!("{} = []\n", emit::features::ALL_TYPES));
            manifest.push_str(&format!("{} = [{}]\n", emit::features::CLIENT, enables(runtime.client)));
            for feature in features {
                manifest.push_str(&format!("{feature} = [\"{}\"]\n", emit::features::CLIENT));
            }
            if generated.server {
                manifest.push_str(&format!("{} = [{}]\n", emit::server::FEATURE, enables(runtime.server)));
            }
            manifest.push('\n');
        }
        // `raw_value`: the runtime keeps unknown fields and reads tagged unions through serde_json's `RawValue`.
        manifest.push_str(
            "[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = { version = \"1\", features = [\"raw_value\"] }\n",
        );
        for (name, spec) in &always {
            manifest.push_str(&format!("{name} = {{ {spec} }}\n"));
        }
        for (name, spec) in &behind_features {
            manifest.push_str(&format!("{name} = {{ {spec}{optional} }}\n"));
        }
        manifest.push_str("\n# Standalone: not part of any enclosing workspace.\n[workspace]\n");
        let mut lib = generated.code.clone();
        let mut files = Vec::new();
        if self.runtime == RuntimeSource::Vendored {
            // Every build compiles the runtime's root (the models' readers);
            // its client part only for what needs it, as the dependencies.
            let gate = |features: &[&str]| match features {
                [] => String::new(),
                [one] => format!("#[cfg(feature = \"{one}\")]\n"),
                several => {
                    let each: Vec<String> = several.iter().map(|feature| format!("feature = \"{feature}\"")).collect();
                    format!("#[cfg(any({}))]\n", each.join(", "))
                }
            };
            // A crate without the client has no features: what it has is always compiled.
            let (client_gate, webhooks_gate, server_gate) = match client {
                true => {
                    let client_or_server: &[&str] = match generated.server {
                        true => &[emit::features::CLIENT, emit::server::FEATURE],
                        false => &[emit::features::CLIENT],
                    };
                    (gate(client_or_server), gate(&[emit::features::CLIENT]), gate(&[emit::server::FEATURE]))
                }
                false => (String::new(), String::new(), String::new()),
            };
            let gates = ModuleGates {
                client: (client || generated.webhooks || generated.server).then_some(client_gate.as_str()),
                webhooks: generated.webhooks.then_some(webhooks_gate.as_str()),
                server: generated.server.then_some(server_gate.as_str()),
                // The models use it: every build.
                base64: generated.uses_base64.then_some(""),
            };
            lib.push_str("\n/// The client runtime and the models' readers, vendored.\npub mod runtime;\n");
            files.push((PathBuf::from("src/runtime.rs"), vendor(gates)));
        }
        files.extend(generated.files.iter().map(|(path, code)| (Path::new("src").join(path), code.clone())));
        files.insert(0, (PathBuf::from("src/lib.rs"), lib));
        files.insert(0, (PathBuf::from("Cargo.toml"), manifest));
        files
    }

    /// What the manifest lists for the runtime: the `apigen-runtime` crate
    /// without its default features (the client, TLS), which the crate's
    /// `client` feature turns on (`webhooks` too when the module receives
    /// webhooks) and its `server` feature the runtime's server; or what a
    /// vendored copy needs.
    fn runtime_dependencies(&self, generated: &Generated, client: bool) -> RuntimeDependencies {
        let location = match &self.runtime {
            RuntimeSource::Version(version) => format!("version = \"{version}\""),
            // TOML basic strings take JSON's escapes, which `{:?}` of a `str` matches for paths.
            RuntimeSource::Path(path) => format!("path = {:?}", path.display().to_string()),
            RuntimeSource::Vendored => return self.vendored_dependencies(generated, client),
        };
        let on = |features: &[(&str, bool)]| -> Vec<String> {
            features.iter().filter(|(_, on)| *on).map(|(feature, _)| feature.to_string()).collect()
        };
        // A crate without the client has no features: its server is always there.
        let features = on(&[
            ("\"base64\"", generated.uses_base64),
            ("\"webhooks\"", !client && generated.webhooks),
            ("\"server\"", !client && generated.server),
        ]);
        let features =
            if features.is_empty() { String::new() } else { format!(", features = [{}]", features.join(", ")) };
        let client_features = on(&[("client", true), ("rustls", self.tls), ("webhooks", generated.webhooks)]);
        RuntimeDependencies {
            dependencies: vec![("apigen-runtime", format!("{location}, default-features = false{features}"))],
            every_build: vec!["apigen-runtime"],
            client: client_features.iter().map(|feature| format!("apigen-runtime/{feature}")).collect(),
            server: vec!["apigen-runtime/server".into()],
        }
    }

    /// [`CrateOptions::runtime_dependencies`] of a vendored runtime: the
    /// client's dependencies behind `client`, and the server's behind
    /// `server` with the client's, as the server shares the client's part.
    /// Without the client, a crate needs them for its server or webhooks only.
    fn vendored_dependencies(&self, generated: &Generated, client: bool) -> RuntimeDependencies {
        // `Base64Bytes`, which the models use: every build.
        let base64 = || generated.uses_base64.then_some(BASE64_DEPENDENCY);
        if !(client || generated.server || generated.webhooks) {
            let dependencies: Vec<(&str, String)> =
                base64().map(|(name, spec)| (name, spec.to_string())).into_iter().collect();
            let every_build = dependencies.iter().map(|(name, _)| *name).collect();
            return RuntimeDependencies { dependencies, every_build, ..RuntimeDependencies::default() };
        }
        let tls = if self.tls { ", \"rustls\"" } else { "" };
        let reqwest = format!("version = \"0.13\", default-features = false, features = [{REQWEST_FEATURES}{tls}]");
        let webhooks = emit::webhooks::DEPENDENCIES.iter().filter(|_| generated.webhooks);
        let mut dependencies: Vec<(&str, String)> = std::iter::once(("reqwest", reqwest))
            .chain(CLIENT_DEPENDENCIES.iter().chain(webhooks).map(|(name, spec)| (*name, spec.to_string())))
            .collect();
        let client: Vec<&str> = dependencies.iter().map(|(name, _)| *name).collect();
        for (name, spec) in emit::server::DEPENDENCIES.iter().filter(|_| generated.server) {
            // The server's spec of one both need has the client's features too.
            match dependencies.iter_mut().find(|(listed, _)| listed == name) {
                Some(listed) => listed.1 = spec.to_string(),
                None => dependencies.push((name, spec.to_string())),
            }
        }
        let enable = |names: &[&str]| names.iter().map(|name| format!("dep:{name}")).collect();
        let every: Vec<&str> = dependencies.iter().map(|(name, _)| *name).collect();
        let mut every_build = Vec::new();
        if let Some((name, spec)) = base64() {
            if !every.contains(&name) {
                dependencies.push((name, spec.to_string()));
            }
            every_build.push(name);
        }
        RuntimeDependencies { client: enable(&client), server: enable(&every), dependencies, every_build }
    }
}

/// The lines a crate's manifest has for its runtime.
#[derive(Debug, Default)]
struct RuntimeDependencies {
    /// `(name, spec)` of each dependency.
    dependencies: Vec<(&'static str, String)>,
    /// The dependencies every build needs (the models read through the
    /// runtime's `de` module); the others are optional in a crate with features.
    every_build: Vec<&'static str>,
    /// What the crate's `client` feature turns on (`dep:NAME`, `NAME/feature`).
    client: Vec<String>,
    /// What its `server` feature turns on.
    server: Vec<String>,
}

/// reqwest's features that the runtime uses, TLS apart (`rustls` with [`CrateOptions::tls`]).
const REQWEST_FEATURES: &str = "\"json\", \"multipart\", \"stream\", \"query\", \"form\"";

/// What the client runtime needs besides reqwest, as `name = { spec }` lines
/// of a manifest that vendors it (the `apigen-runtime` crate lists the same).
const CLIENT_DEPENDENCIES: [(&str, &str); 5] = [
    ("futures-util", "version = \"0.3\""),
    ("bytes", "version = \"1\""),
    ("percent-encoding", "version = \"2\""),
    ("tokio", "version = \"1\", features = [\"time\", \"fs\"]"),
    ("tokio-util", "version = \"0.7\", features = [\"io\"]"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// chrono's types (not the user's own `crate::` one) put chrono, with serde, among the dependencies.
    #[test]
    fn format_types_bring_their_crates_into_the_manifest() {
        let options = Options::new().format_preset(FormatPreset::Chrono).replace_type("Metadata", "crate::Metadata");
        let format_dependencies = format_dependencies(&options.model.customizations);
        assert_eq!(format_dependencies.iter().map(|(name, _)| *name).collect::<Vec<_>>(), ["chrono"]);
        let generated = Generated { format_dependencies, ..generated(false) };
        let manifest = &CrateOptions::new("dates").files(&generated, true)[0].1;
        assert!(
            manifest.contains(
                "\nchrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n"
            ),
            "{manifest}"
        );
    }

    /// Webhooks need `base64` under `client`, base64 fields need it always: one key, unconditional.
    #[test]
    fn a_dependency_needed_twice_is_listed_once() {
        let generated = Generated { uses_base64: true, ..generated(true) };
        let files = CrateOptions::new("both").runtime(RuntimeSource::Vendored).files(&generated, true);
        let manifest = &files[0].1;
        assert_eq!(manifest.matches("\nbase64 = ").count(), 1, "{manifest}");
        assert!(manifest.contains("\nbase64 = { version = \"0.23\" }\n"), "{manifest}");
        assert!(!manifest.contains("dep:base64"), "{manifest}");
        assert!(manifest.contains("\nhmac = { version = \"0.12\", optional = true }\n"), "{manifest}");
        assert!(manifest.contains("\nclient = [\"dep:reqwest\", "), "{manifest}");
        // The models' `Base64Bytes`, inlined for every build.
        assert!(files[2].1.contains("\nmod base64_bytes {\n//! Bytes that travel as base64"), "{}", files[2].1);
        assert!(files[2].1.contains("\npub use base64_bytes::Base64Bytes;\n"), "{}", files[2].1);
        syn::parse_file(&files[2].1).expect("the vendored runtime parses");
        // With the runtime as a dependency, its `base64` feature, for every build.
        let manifest = &CrateOptions::new("both").files(&generated, true)[0].1;
        assert!(!manifest.contains("\nbase64 = "), "{manifest}");
        let runtime = "\napigen-runtime = { version = \"0.1\", default-features = false, features = [\"base64\"] }\n";
        assert!(manifest.contains(runtime), "{manifest}");
    }

    /// A module with one tag feature, receiving webhooks or not, and nothing else.
    fn generated(webhooks: bool) -> Generated {
        Generated {
            code: "// the module\n".into(),
            files: Vec::new(),
            warnings: Vec::new(),
            tag_features: vec!["uploads".into()],
            uses_base64: false,
            referenced_files: Vec::new(),
            webhooks,
            format_dependencies: Vec::new(),
            server: false,
        }
    }

    /// The models read through the runtime's `de` module: every build needs
    /// the runtime, without its client, which the crate's `client` turns on.
    #[test]
    fn a_crate_depends_on_the_runtime_crate_by_default() {
        let files = CrateOptions::new("api").files(&generated(true), true);
        let manifest = &files[0].1;
        assert!(
            manifest.contains("\napigen-runtime = { version = \"0.1\", default-features = false }\n"),
            "{manifest}"
        );
        assert!(
            manifest.contains(
                "\nclient = [\"apigen-runtime/client\", \"apigen-runtime/rustls\", \"apigen-runtime/webhooks\"]\n"
            ),
            "{manifest}"
        );
        assert!(!manifest.contains("reqwest"), "{manifest}");
        assert_eq!(files.len(), 2);
        let path = CrateOptions::new("api").runtime(RuntimeSource::Path("../run time".into()));
        for client in [false, true] {
            let manifest = &path.files(&generated(false), client)[0].1;
            let runtime = "\napigen-runtime = { path = \"../run time\", default-features = false }\n";
            assert!(manifest.contains(runtime), "{manifest}");
        }
    }

    #[test]
    fn a_vendored_runtime_is_the_runtime_source_with_webhooks_inlined_or_left_out() {
        assert!(crate::ir::names::RUNTIME.contains(WEBHOOKS_DECLARATION));
        assert!(crate::ir::names::RUNTIME.contains(CLIENT_DECLARATION));
        assert!(crate::ir::names::RUNTIME_CLIENT.contains("\nmod progress;\n"));
        assert!(crate::ir::names::RUNTIME_CLIENT.contains("\nmod json_path;\n"));
        assert!(crate::ir::names::RUNTIME.contains("\nmod unknown_fields;\n"));
        assert!(crate::ir::names::RUNTIME.contains(DE_DECLARATION));
        assert!(crate::ir::names::RUNTIME_DE.contains("\nmod tagged;\n"));
        assert!(crate::ir::names::RUNTIME.contains(BASE64_DECLARATION));
        let options = CrateOptions::new("api").runtime(RuntimeSource::Vendored);
        assert_eq!(options.runtime_path(), "crate::runtime");
        let files = options.files(&generated(true), true);
        let paths: Vec<_> = files.iter().map(|(path, _)| path.to_string_lossy().into_owned()).collect();
        assert_eq!(paths, ["Cargo.toml", "src/lib.rs", "src/runtime.rs"]);
        assert!(files[0].1.contains("\nreqwest = "), "{}", files[0].1);
        assert!(files[1].1.ends_with("vendored.\npub mod runtime;\n"), "{}", files[1].1);
        let with_webhooks = &files[2].1;
        assert!(with_webhooks.contains("pub mod de {\n//! The readers that generated models call"));
        // The crate's `client` feature compiles the runtime's client and webhooks.
        assert!(with_webhooks.contains("\n#[cfg(feature = \"client\")]\nmod client {\n//! The client side"));
        assert!(with_webhooks.contains("\n#[cfg(feature = \"client\")]\npub use client::*;\n"));
        assert!(with_webhooks.contains("\n#[cfg(feature = \"client\")]\npub mod webhooks {\n//! Receiving webhooks"));
        assert!(!with_webhooks.contains("feature = \"webhooks\""));
        // Comments of the runtime's source survive: it is copied as text.
        assert!(with_webhooks.contains("// `declared` is at most `limit` here, so it fits."));
        assert!(with_webhooks.contains("\nmod progress {\n//! Upload progress"));
        assert!(with_webhooks.contains("\nmod json_path {\n//! Where in a JSON body"));
        assert!(with_webhooks.contains("\nmod unknown_fields {\n//! [`UnknownFields`]"));
        assert!(with_webhooks.contains("\nmod tagged {\n//! Tagged unions"));
        let without = vendored_runtime(false, false, false);
        assert!(!without.contains("mod webhooks"));
        assert!(!without.contains("mod server"));
        assert!(without.contains("\nmod client {\n") && !without.contains("feature = \"client\""));
        assert!(!without.contains("Base64Bytes") && !without.contains("feature = \"base64\""));
        syn::parse_file(with_webhooks).expect("the vendored runtime parses");
        syn::parse_file(&without).expect("the vendored runtime parses");
        // Types only: the models' readers, no client and none of its dependencies.
        let files = options.files(&generated(false), false);
        assert!(!files[0].1.contains("reqwest") && !files[0].1.contains("tokio"), "{}", files[0].1);
        assert!(!files[2].1.contains("mod client") && files[2].1.contains("\npub mod de {\n"), "{}", files[2].1);
        syn::parse_file(&files[2].1).expect("the vendored runtime parses");
    }

    /// The server's part of the runtime is inlined with the server: behind the
    /// crate's `server` feature in a crate with features, always in one without.
    #[test]
    fn a_vendored_runtime_has_the_server_module_when_the_code_has_a_server() {
        assert!(crate::ir::names::RUNTIME.contains(SERVER_DECLARATION));
        assert!(crate::ir::names::RUNTIME_SERVER.contains(SERVER_TESTS_DECLARATION));
        let with_server = vendored_runtime(false, true, false);
        assert!(with_server.contains("\npub mod server {\n//! The server side"));
        assert!(!with_server.contains(SERVER_TESTS_DECLARATION), "the server's unit tests stay in apigen-runtime");
        let options = CrateOptions::new("api").runtime(RuntimeSource::Vendored);
        let generated = Generated { server: true, ..generated(false) };
        let files = options.files(&generated, true);
        let manifest = &files[0].1;
        // The server shares the client's part of the runtime, and needs its dependencies too.
        assert!(
            manifest.contains("\nserver = [\"dep:reqwest\", \"dep:futures-util\", \"dep:bytes\", \"dep:percent-encoding\", \"dep:tokio\", \"dep:tokio-util\", \"dep:axum\", \"dep:multer\", \"dep:tempfile\", \"dep:serde_path_to_error\"]\n"),
            "{manifest}"
        );
        assert!(manifest.contains("\nreqwest = { version = \"0.13\", default-features = false, "), "{manifest}");
        assert_eq!(manifest.matches("\ntokio = ").count(), 1, "{manifest}");
        let declaration = "/// The client runtime and the models' readers, vendored.\npub mod runtime;\n";
        assert!(files[1].1.ends_with(declaration), "{}", files[1].1);
        assert!(files[2].1.contains("\n#[cfg(feature = \"server\")]\npub mod server {\n"));
        assert!(files[2].1.contains("\n#[cfg(any(feature = \"client\", feature = \"server\"))]\nmod client {\n"));
        syn::parse_file(&files[2].1).expect("the vendored runtime parses");
        // Types only: no features, the server and the client's part always there.
        let files = options.files(&generated, false);
        assert!(!files[0].1.contains("[features]") && files[0].1.contains("\naxum = { "), "{}", files[0].1);
        assert!(files[0].1.contains("\nreqwest = { "), "{}", files[0].1);
        assert!(files[1].1.ends_with(declaration), "{}", files[1].1);
        assert!(files[2].1.contains("\npub mod server {\n") && files[2].1.contains("\nmod client {\n"));
    }

    /// Without TLS, a crate builds no TLS library: the runtime's `rustls` off, or reqwest's.
    #[test]
    fn a_crate_without_tls_turns_off_the_runtime_default_features() {
        let manifest = &CrateOptions::new("api").files(&generated(false), true)[0].1;
        assert!(manifest.contains("\nclient = [\"apigen-runtime/client\", \"apigen-runtime/rustls\"]\n"), "{manifest}");
        let manifest = &CrateOptions::new("api").tls(false).files(&generated(false), true)[0].1;
        assert!(manifest.contains("\nclient = [\"apigen-runtime/client\"]\n"), "{manifest}");
        let vendored = CrateOptions::new("api").runtime(RuntimeSource::Vendored);
        assert!(vendored.clone().files(&generated(false), true)[0].1.contains("\"form\", \"rustls\"]"));
        assert!(!vendored.tls(false).files(&generated(false), true)[0].1.contains("rustls"));
    }
}
