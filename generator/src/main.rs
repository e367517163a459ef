//! The `apigen` command: one-off generation, standalone crates, and regeneration of this repository's `generated/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigen::{write, CrateOptions, Error, Generator, RuntimeSource};
use clap::{Args, Parser, Subcommand};

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
    /// Generate a complete standalone crate from a spec (models at NAME::types).
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
    /// Rewrite generated/src/<name>.rs from every specs/<name>.yaml of this repository.
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
}

impl Selection {
    fn generator(&self, spec: &Path) -> Generator {
        let mut generator = Generator::new()
            .spec(spec)
            .client(!self.types_only)
            .open_enums(!self.closed_enums)
            .keep_unknown_fields(!self.drop_unknown_fields)
            .standard_webhooks(self.standard_webhooks)
            .emit_rerun_if_changed(false);
        for tag in &self.tags {
            generator = generator.tag(tag);
        }
        for operation in &self.operations {
            generator = generator.operation(operation);
        }
        generator
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

/// Writes each file, or with `check` compares it, collecting stale reports.
fn write_or_check(files: &[(PathBuf, String)], check: bool) -> Result<(), Failure> {
    if !check {
        for (path, contents) in files {
            write::write_atomic(path, contents)?;
        }
        return Ok(());
    }
    let stale: Vec<String> = files.iter().filter_map(|(path, contents)| write::check(path, contents).err()).collect();
    if stale.is_empty() {
        Ok(())
    } else {
        Err(Failure::Stale(stale))
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Generate { spec, output, selection } => {
            let code = selection.generator(&spec).generate_string()?;
            write_or_check(&[(output, code)], selection.check)
        }
        Command::Crate { spec, output, name, vendor_runtime, selection } => {
            let mut options = CrateOptions::new(name);
            if vendor_runtime {
                options.runtime = RuntimeSource::Vendored;
            }
            let generated = selection
                .generator(&spec)
                .cargo_features(!selection.types_only)
                .runtime_path(options.runtime_path())
                .generate()?;
            let files = options.files(&generated, !selection.types_only);
            let files: Vec<(PathBuf, String)> =
                files.into_iter().map(|(path, contents)| (output.join(path), contents)).collect();
            write_or_check(&files, selection.check)
        }
        Command::Regenerate { root, check } => {
            let mut files = Vec::new();
            for spec in repository_specs(&root)? {
                let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let code = Generator::new().spec(&spec).emit_rerun_if_changed(false).generate_string()?;
                files.push((root.join("generated/src").join(format!("{stem}.rs")), code));
            }
            write_or_check(&files, check)
        }
    }
}

/// `specs/*.yaml`, `*.yml` and `*.json`, sorted.
fn repository_specs(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let dir = root.join("specs");
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}
