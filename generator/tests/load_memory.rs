//! The load stage's peak heap, counted by a global allocator (so in a test
//! binary of its own: every test of a binary shares the counter). Loading
//! must not copy the whole document: resolving references used to clone it,
//! doubling the stage's peak for documents whose parse is lean (JSON).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to `System` unchanged; only the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grow(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grow(new_size);
        }
        moved
    }
}

fn grow(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak heap `work` adds to what is live when it starts.
fn peak_of<R>(work: impl FnOnce() -> R) -> (R, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let result = work();
    (result, PEAK.load(Ordering::Relaxed) - start)
}

/// 50,000 extension objects in JSON (2.3 MB): parsing peaks at about the
/// document's size, and the rest of the load stage must stay near it.
#[test]
fn loading_does_not_copy_the_document() {
    let items: Vec<String> =
        (0..50_000).map(|index| format!(r#"{{"a": {index}, "b": [1, 2, 3], "c": {{"d": "x"}}}}"#)).collect();
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "x-data": [{}]}}"#,
        items.join(", ")
    );
    let (parsed, parse_peak) = peak_of(|| apigen::load::parse_document("big.json", spec.as_bytes()).unwrap());
    drop(parsed);
    let (loaded, load_peak) = peak_of(|| apigen::load::load("big.json", spec.as_bytes()).unwrap());
    drop(loaded);
    assert!(load_peak < parse_peak * 3 / 2, "loading peaks at {load_peak} bytes, parsing alone at {parse_peak}");
}
