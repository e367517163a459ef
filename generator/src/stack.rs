//! A known stack for the recursive stages, whatever thread calls apigen.
//!
//! Reading schemas through openapiv3 (serde's buffering of untagged and
//! flattened types) and parsing the emitted code with syn both recurse once or
//! more per nesting level, tens of kilobytes of stack each in debug builds: a
//! schema nested 60 levels deep overflowed the 2 MiB of a spawned thread
//! (tokio workers and test threads have that much). Run on a thread with this
//! much stack (reserved, and only touched as deep as needed), the document
//! depth limit [`crate::load::MAX_DEPTH`] decides what can be read, not the caller.

use crate::error::Error;

const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` on a thread of its own with [`STACK_BYTES`] of stack.
pub(crate) fn on_deep_stack<T: Send>(work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        match deep_stack_thread("apigen").spawn_scoped(scope, work) {
            // A panic here is a bug in apigen; it surfaces unchanged, as if run on the calling thread.
            Ok(worker) => worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(source) => Err(Error::Thread(source)),
        }
    })
}

/// A thread named `name` with [`STACK_BYTES`] of stack, for work that recurses as deep as the document nests.
pub(crate) fn deep_stack_thread(name: &str) -> std::thread::Builder {
    std::thread::Builder::new().name(name.into()).stack_size(STACK_BYTES)
}
