//! Formatting on every core, in order: jobs are handed to worker threads in
//! batches, through a queue of a few batches a thread (so that only that
//! much text waits at once, however fast the emitter is), and their results
//! are put back in the jobs' order as they come.
//!
//! rayon's `par_bridge` does not keep the order, and its ordered collectors
//! need the whole input at once; the emitter yields pieces one by one.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::error::Error;

/// Batches queued a thread: enough that a thread finds the next one waiting
/// when it finishes one, few enough that the pieces' text stays small.
const QUEUED_PER_THREAD: usize = 4;

/// The weight (a job's text, in bytes) at which a batch is sent: most pieces
/// are a type or two, a few KB, and a queue's send and receive, which can
/// wake a thread, cost about what formatting a small one does (a tenth of
/// `apigen crate`'s samples went to the queue when each went alone).
const BATCH_WEIGHT: usize = 64 * 1024;

/// The threads to format on: one a core.
pub(super) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `work` on each of `jobs` on `threads` threads, and gives `take` the
/// results in the jobs' order; `weight` is a job's size, to batch them by.
pub(super) fn map_in_order<J: Send, R: Send>(
    threads: usize,
    jobs: impl IntoIterator<Item = J>,
    weight: impl Fn(&J) -> usize,
    work: impl Fn(J) -> R + Sync,
    mut take: impl FnMut(R),
) -> Result<(), Error> {
    let mut jobs = jobs.into_iter();
    let batches = std::iter::from_fn(|| {
        let (mut batch, mut batch_weight) = (Vec::new(), 0);
        while batch_weight < BATCH_WEIGHT {
            let Some(job) = jobs.next() else { break };
            batch_weight += weight(&job);
            batch.push(job);
        }
        (!batch.is_empty()).then_some(batch)
    });
    std::thread::scope(|scope| {
        // Made in the scope, so that an early return drops the queue and the workers started so far stop.
        let (queue, queued) = mpsc::sync_channel::<(usize, Vec<J>)>(threads * QUEUED_PER_THREAD);
        // The workers share the queue's receiving end; when they all stop (a
        // panic), it is dropped and the sender below stops waiting for room.
        let queued = Arc::new(Mutex::new(queued));
        let (results, finished) = mpsc::channel::<(usize, Vec<R>)>();
        for _ in 0..threads {
            let (queued, results, work) = (Arc::clone(&queued), results.clone(), &work);
            crate::stack::deep_stack_thread("apigen-format")
                .spawn_scoped(scope, move || loop {
                    // The lock is released as soon as a batch is received.
                    let batch = queued.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
                    let Ok((index, batch)) = batch else { break };
                    if results.send((index, batch.into_iter().map(work).collect())).is_err() {
                        break;
                    }
                })
                .map_err(Error::Thread)?;
        }
        drop((queued, results));
        // Results that came before those ahead of them.
        let mut early = BTreeMap::new();
        let mut next = 0;
        let mut arrive = |(index, results): (usize, Vec<R>)| {
            early.insert(index, results);
            while let Some(results) = early.remove(&next) {
                results.into_iter().for_each(&mut take);
                next += 1;
            }
        };
        for job in batches.enumerate() {
            // Waits while the queue is full; fails only when every worker stopped.
            if queue.send(job).is_err() {
                break;
            }
            finished.try_iter().for_each(&mut arrive);
        }
        drop(queue);
        finished.iter().for_each(&mut arrive);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come in the jobs' order, whichever thread finishes first.
    #[test]
    fn results_keep_the_jobs_order() {
        let mut taken = Vec::new();
        let work = |job: u64| {
            // Early jobs take longest, so later ones finish first.
            std::thread::sleep(std::time::Duration::from_micros(1000 / (job + 1)));
            job * 2
        };
        // A job weighs a third of a batch: batches of three, and one of one.
        map_in_order(3, 0..100u64, |_| BATCH_WEIGHT.div_ceil(3), work, |result| taken.push(result)).unwrap();
        assert_eq!(taken, (0..100u64).map(|job| job * 2).collect::<Vec<_>>());
    }
}
