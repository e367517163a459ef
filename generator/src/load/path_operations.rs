//! Path items as the IR reads them: their parameters and their operations.
//!
//! openapiv3's `PathItem` holds the `Operation` of each of the eight methods
//! inline, 8.7 KB an item however many it has (an `Operation` is 1 KB): on
//! the synthetic 5 MB spec of `benches/memory.rs` (2,500 items of two
//! operations) that was 16 MB of the loaded document, alive while the IR is
//! built beside it. The IR reads nothing else of a path item.

use openapiv3::{Operation, Parameter, PathItem, ReferenceOr};

/// A document's path items, in order: each template with what the IR reads of its item.
pub type PathItems = Vec<(String, ReferenceOr<PathOperations>)>;

/// The parameters and operations of one path item.
#[derive(Debug, Clone, Default)]
pub struct PathOperations {
    /// The parameters every operation of the item shares.
    pub parameters: Vec<ReferenceOr<Parameter>>,
    /// The operations, each with its lower-case method, in the order of
    /// [`PathItem::iter`] (`get`, `put`, `post`, ...).
    pub operations: Vec<(&'static str, Operation)>,
}

impl PathOperations {
    /// Keeps what the IR reads of `item`, whose operations were read on their own.
    pub(super) fn new(item: PathItem, operations: Vec<(&'static str, Operation)>) -> Self {
        let mut operations = operations;
        operations.shrink_to_fit();
        PathOperations { parameters: item.parameters, operations }
    }

    /// Each operation with its lower-case method, as [`PathItem::iter`] gives them.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        self.operations.iter().map(|(method, operation)| (*method, operation))
    }
}
