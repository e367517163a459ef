//! Errors that carry the file and the place in it.

use std::fmt;
use std::path::PathBuf;

/// Where in a document a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A position from the YAML or JSON parser (1-based).
    LineColumn {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
    },
    /// A JSON pointer into the document, e.g. `#/components/schemas/Foo`.
    Pointer(String),
    /// The document as a whole.
    Document,
    /// A place in another file than the document's own: one that a `$ref` reads.
    InFile {
        /// The file, as the `$ref` names it.
        file: String,
        /// The place in it.
        location: Box<Location>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(pointer) => f.write_str(pointer),
            Location::Document => Ok(()),
            Location::InFile { file, location } => f.write_str(&place(file, location)),
        }
    }
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What it is.
    pub message: String,
}

impl Diagnostic {
    /// A problem at a JSON pointer (`#/components/schemas/Pet`).
    pub fn at(pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic { location: Location::Pointer(pointer.to_string()), message: message.into() }
    }

    /// `file#/pointer: message` (or `file:line:column: message`), for a problem of `file`.
    pub fn render(&self, file: &str) -> String {
        format!("{}: {}", place(file, &self.location), self.message)
    }
}

/// A location written after the file it is in: `file#/a/b`, `file:3:5`, `file`.
fn place(file: &str, location: &Location) -> String {
    match location {
        Location::Document => file.to_string(),
        Location::LineColumn { .. } => format!("{file}:{location}"),
        Location::Pointer(pointer) => format!("{file}{pointer}"),
        Location::InFile { file, location } => place(file, location),
    }
}

/// How many problems one run reports before it stops listing them.
pub const MAX_REPORTED: usize = 50;

/// Problems found while reading one document, reported together.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Diagnostics {
    /// The problems, at most [`MAX_REPORTED`].
    pub items: Vec<Diagnostic>,
    /// Problems found beyond [`MAX_REPORTED`], counted but not listed.
    pub omitted: usize,
    /// Things worth telling that do not stop generation.
    pub warnings: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds a problem, or counts it once [`MAX_REPORTED`] are listed.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.items.len() < MAX_REPORTED {
            self.items.push(diagnostic);
        } else {
            self.omitted += 1;
        }
    }

    /// Adds a problem at a JSON pointer.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Diagnostic::at(pointer, message));
    }

    /// Adds the problems and warnings of another stage.
    pub fn append(&mut self, other: Diagnostics) {
        for item in other.items {
            self.push(item);
        }
        self.omitted += other.omitted;
        self.warnings.extend(other.warnings);
    }

    /// Whether there is no problem (warnings aside).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns collected problems into an error for `file`, or `Ok(())` if there were none.
    pub fn into_result(self, file: &str) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Spec { file: file.to_string(), diagnostics: self })
        }
    }
}

/// Everything that can go wrong in apigen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The document has problems; each names its place.
    #[error("{}", render_spec_problems(file, diagnostics))]
    Spec {
        /// The document.
        file: String,
        /// Its problems.
        diagnostics: Diagnostics,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The options are wrong: no spec, or a customisation that is not Rust
    /// or names what the document does not have.
    #[error("{0}")]
    Config(String),
    /// The thread with a deep stack that reads documents could not start.
    #[error("cannot start a thread to read the document: {0}")]
    Thread(std::io::Error),
    /// The emitted code did not parse; this is a bug in apigen, not in the spec.
    #[error("internal error: generated code for {file} does not parse: {message}")]
    Emit {
        /// The document.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    /// A single located problem in `file`.
    pub fn spec(file: &str, location: Location, message: impl Into<String>) -> Self {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic { location, message: message.into() });
        Error::Spec { file: file.to_string(), diagnostics }
    }
}

fn render_spec_problems(file: &str, diagnostics: &Diagnostics) -> String {
    let mut lines: Vec<String> = diagnostics.items.iter().map(|d| d.render(file)).collect();
    if diagnostics.omitted > 0 {
        lines.push(format!("{file}: ... and {} more problems", diagnostics.omitted));
    }
    lines.join("\n")
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a token to a JSON pointer.
pub fn child_pointer(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", pointer_token(token))
}
