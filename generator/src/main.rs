//! The `apigen` command: one-off generation, standalone crates, and regeneration of this repository's `generated/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigen::{repository, write, CrateOptions, Error, FormatPreset, Generator, Layout, RuntimeSource};
use clap::{Args, Parser, Subcommand, ValueEnum};

// Every identifier, punctuation and group of the emitted tokens is an
// allocation of its own: with glibc's allocator, `malloc` and `free` were a
// third of a generation's samples (README, "Generation speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h, which libmimalloc-sys does not
/// name; the enum keeps retired options as placeholders, so its values do
/// not move between releases.
const MIMALLOC_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc return freed memory to the system at once rather than
/// 10 ms later: a generation frees and allocates in bursts, and with the
/// delay its peak RSS on the OpenAI spec was twice glibc's (97-110 MB against
/// 55 MB for `apigen crate`), without it 61 MB, for the same CPU time.
fn purge_freed_memory_at_once() {
    // SAFETY: `mi_option_set` only stores an option's value; mimalloc reads
    // it at its next purge, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MIMALLOC_PURGE_DELAY, 0) }
}

#[derive(Parser)]
#[command(name = "apigen", version, about = "Generate Rust models and an async client from OpenAPI 3.0/3.1 documents")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate one Rust module from a spec.
    Generate {
        spec: PathBuf,
        /// The .rs file to write.
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        selection: Selection,
    },
    /// Generate a complete standalone crate from a spec (models at NAME::types), a file a tag.
    Crate {
        spec: PathBuf,
        /// The crate directory to write.
        #[arg(short, long)]
        output: PathBuf,
        /// The package name.
        #[arg(long)]
        name: String,
        /// Write the client runtime into the crate as src/runtime.rs instead of depending on apigen-runtime.
        #[arg(long)]
        vendor_runtime: bool,
        #[command(flatten)]
        selection: Selection,
    },
    /// Rewrite generated/src/<name>/ from every specs/<name>.yaml of this repository.
    Regenerate {
        /// The repository root (the directory with specs/ and generated/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only compare; exit non-zero with a diff when a file is stale.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Args)]
struct Selection {
    /// Only compare with what is on disk; exit non-zero with a diff when it is stale.
    #[arg(long)]
    check: bool,
    /// Generate only operations with this tag (repeatable).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Generate only this operationId (repeatable).
    #[arg(long = "operation")]
    operations: Vec<String>,
    /// Generate the types only, without the client.
    #[arg(long)]
    types_only: bool,
    /// Fail on string enum values the spec does not list, instead of keeping them.
    #[arg(long)]
    closed_enums: bool,
    /// Drop response properties the spec does not declare, instead of keeping them in `additional_properties`.
    #[arg(long)]
    drop_unknown_fields: bool,
    /// The API signs its webhook events with Standard Webhooks (`webhook-signature`): generate `webhooks::unwrap`, which checks them.
    #[arg(long)]
    standard_webhooks: bool,
    /// Also generate the server side: a trait per tag and an axum router (behind the feature `server` with `crate`).
    #[arg(long)]
    server: bool,
    #[command(flatten)]
    customization: Customization,
}

/// The library's customisation hooks (see `Generator`), each flag repeatable.
#[derive(Args)]
struct Customization {
    /// Derive TRAIT on every generated struct and enum (`--derive Hash`).
    #[arg(long = "derive", value_name = "TRAIT")]
    derives: Vec<String>,
    /// Derive a trait on one type: `TYPE=TRAIT` (`--type-derive Pet=Hash`).
    #[arg(long = "type-derive", value_name = "TYPE=TRAIT", value_parser = key_value)]
    type_derives: Vec<(String, String)>,
    /// Put an attribute on one type: `TYPE=#[...]`.
    #[arg(long = "type-attribute", value_name = "TYPE=ATTRIBUTE", value_parser = key_value)]
    type_attributes: Vec<(String, String)>,
    /// Put an attribute on one field: `TYPE.FIELD=#[...]`.
    #[arg(long = "field-attribute", value_name = "TYPE.FIELD=ATTRIBUTE", value_parser = key_value)]
    field_attributes: Vec<(String, String)>,
    /// Use your own Rust type for a component schema, which is not generated: `SCHEMA=PATH`.
    #[arg(long = "replace", value_name = "SCHEMA=TYPE", value_parser = key_value)]
    replacements: Vec<(String, String)>,
    /// Read strings of a format as a Rust type: `FORMAT=TYPE` (`date-time=chrono::DateTime<chrono::Utc>`).
    #[arg(long = "format-type", value_name = "FORMAT=TYPE", value_parser = key_value)]
    format_types: Vec<(String, String)>,
    /// Read the formats a crate has types for as its types.
    #[arg(long = "format-preset", value_enum)]
    format_presets: Vec<Preset>,
    /// Name a component schema's type: `SCHEMA=NAME`.
    #[arg(long = "rename-type", value_name = "SCHEMA=NAME", value_parser = key_value)]
    type_renames: Vec<(String, String)>,
    /// Name an operation's client method: `OPERATION_ID=NAME`.
    #[arg(long = "rename-operation", value_name = "OPERATION_ID=NAME", value_parser = key_value)]
    operation_renames: Vec<(String, String)>,
}

/// `--format-preset`'s values, one a [`FormatPreset`].
#[derive(Clone, Copy, ValueEnum)]
enum Preset {
    /// `date-time` and `date` as chrono's types.
    Chrono,
    /// `uuid` as `uuid::Uuid`.
    Uuid,
}

/// `KEY=VALUE`, split at the first `=` (a value such as an attribute may hold more).
fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{text}`")),
    }
}

impl Customization {
    fn apply(&self, generator: Generator) -> Generator {
        let mut generator = self.derives.iter().fold(generator, |g, derive| g.derive(derive));
        generator = self.type_derives.iter().fold(generator, |g, (ty, derive)| g.type_derive(ty, derive));
        generator = self.type_attributes.iter().fold(generator, |g, (ty, attribute)| g.type_attribute(ty, attribute));
        generator =
            self.field_attributes.iter().fold(generator, |g, (field, attribute)| g.field_attribute(field, attribute));
        generator = self.replacements.iter().fold(generator, |g, (schema, rust)| g.replace_type(schema, rust));
        generator = self.format_presets.iter().fold(generator, |g, preset| {
            g.format_preset(match preset {
                Preset::Chrono => FormatPreset::Chrono,
                Preset::Uuid => FormatPreset::Uuid,
            })
        });
        generator = self.format_types.iter().fold(generator, |g, (format, rust)| g.format_type(format, rust));
        generator = self.type_renames.iter().fold(generator, |g, (schema, name)| g.rename_type(schema, name));
        self.operation_renames.iter().fold(generator, |g, (id, name)| g.rename_operation(id, name))
    }
}

impl Selection {
    fn generator(&self, spec: &Path) -> Generator {
        let mut generator = Generator::new()
            .spec(spec)
            .client(!self.types_only)
            .open_enums(!self.closed_enums)
            .keep_unknown_fields(!self.drop_unknown_fields)
            .standard_webhooks(self.standard_webhooks)
            .server(self.server)
            .emit_rerun_if_changed(false);
        for tag in &self.tags {
            generator = generator.tag(tag);
        }
        for operation in &self.operations {
            generator = generator.operation(operation);
        }
        self.customization.apply(generator)
    }
}

/// What a run found: `Err` holds what to print.
enum Failure {
    Error(Error),
    Stale(Vec<String>),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Error(error)
    }
}

fn main() -> ExitCode {
    purge_freed_memory_at_once();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Error(error)) => {
            // A spec error lists one located problem a line.
            for line in error.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Stale(reports)) => {
            for report in reports {
                eprintln!("{report}");
            }
            eprintln!("run without --check (or `cargo run -p apigen -- regenerate`) to update");
            ExitCode::from(2)
        }
    }
}

/// Writes the files of a tree whose generated files under `owned` are all
/// apigen's (see [`write::write_tree`]), or with `check` compares them.
fn write_or_check(owned: &Path, files: &[(PathBuf, String)], check: bool) -> Result<(), Failure> {
    if check {
        write::check_tree(owned, files).map_err(Failure::Stale)
    } else {
        Ok(write::write_tree(owned, files)?)
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Generate { spec, output, selection } => {
            let code = selection.generator(&spec).generate_string()?;
            if selection.check {
                write::check(&output, &code).map_err(|report| Failure::Stale(vec![report]))
            } else {
                Ok(write::write_atomic(&output, &code)?)
            }
        }
        Command::Crate { spec, output, name, vendor_runtime, selection } => {
            let mut options = CrateOptions::new(name);
            if vendor_runtime {
                options = options.runtime(RuntimeSource::Vendored);
            }
            let generated = selection
                .generator(&spec)
                .cargo_features(!selection.types_only)
                .layout(Layout::Tree)
                .runtime_path(options.runtime_path())
                .generate()?;
            let files = options.files(&generated, !selection.types_only);
            let files: Vec<(PathBuf, String)> =
                files.into_iter().map(|(path, contents)| (output.join(path), contents)).collect();
            write_or_check(&output.join("src"), &files, selection.check)
        }
        Command::Regenerate { root, check } => {
            write_or_check(&root.join(repository::GENERATED_SOURCES), &repository::generated_files(&root)?, check)
        }
    }
}
