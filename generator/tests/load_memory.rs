//! Peak heap of the load stage and of emit and format, counted by a global
//! allocator (so in a test binary of its own; its tests take turns, since
//! they share the counter). Loading must not copy the whole document:
//! resolving references used to clone it, doubling the stage's peak for
//! documents whose parse is lean (JSON). Emitting and formatting one file
//! must not hold the whole module's tokens, nor a long list's syntax tree.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use apigen::emit::{self, EmitOptions};
use apigen::ir::{self, ModelOptions};

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

/// The tests of this binary run on several threads: each holds this while
/// it runs, so that no other test allocates during its measures.
static ALONE: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The peak heap `work` adds to what is live when it starts.
fn peak_of<R>(work: impl FnOnce() -> R) -> (R, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let result = work();
    (result, PEAK.load(Ordering::Relaxed) - start)
}

/// 50,000 extension objects in JSON (2.3 MB).
fn extension_objects() -> String {
    let items: Vec<String> =
        (0..50_000).map(|index| format!(r#"{{"a": {index}, "b": [1, 2, 3], "c": {{"d": "x"}}}}"#)).collect();
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "x-data": [{}]}}"#,
        items.join(", ")
    )
}

/// Parsing peaks at about the document's size, and the rest of the load
/// stage must stay near it.
#[test]
fn loading_does_not_copy_the_document() {
    let _alone = alone();
    assert_loads_near_its_parse("big.json", &extension_objects());
}

/// Loading `spec` peaks under 1.5 times parsing it.
fn assert_loads_near_its_parse(file: &str, spec: &str) {
    let (parsed, parse_peak) = peak_of(|| apigen::load::parse_document(file, spec.as_bytes()).unwrap());
    drop(parsed);
    let (loaded, load_peak) = peak_of(|| apigen::load::load(file, spec.as_bytes()).unwrap());
    drop(loaded);
    assert!(load_peak < parse_peak * 3 / 2, "loading peaks at {load_peak} bytes, parsing alone at {parse_peak}");
}

/// 2,000 path items of two operations each: openapiv3's `PathItem` holds all
/// eight methods' operations inline (8.7 KB), and its map grew by doubling;
/// the loaded document keeps each item's operations only.
#[test]
fn path_items_load_without_room_for_absent_operations() {
    let _alone = alone();
    let paths: String = (0..2_000)
        .map(|i| format!("  /items{i}/{{id}}:\n    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n    get:\n      operationId: get{i}\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Item'}}}}}}}}}}\n    post:\n      operationId: update{i}\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/Item'}}}}}}}}\n      responses: {{'204': {{description: done}}}}\n"))
        .collect();
    let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    Item: {{type: object}}\n");
    assert_loads_near_its_parse("paths.yaml", &spec);
}

/// YAML is read event by event into the value, as JSON is: serde_yaml's
/// list of the whole document's events (three times the value) is not held.
#[test]
fn parsing_yaml_holds_no_list_of_events() {
    let _alone = alone();
    let json = extension_objects();
    let value = apigen::load::parse_document("big.json", json.as_bytes()).unwrap();
    let yaml = serde_yaml::to_string(&value).unwrap();
    drop(value);
    let (parsed, json_peak) = peak_of(|| apigen::load::parse_document("big.json", json.as_bytes()).unwrap());
    drop(parsed);
    let (parsed, yaml_peak) = peak_of(|| apigen::load::parse_document("big.yaml", yaml.as_bytes()).unwrap());
    drop(parsed);
    assert!(yaml_peak < json_peak * 3 / 2, "the YAML parse peaks at {yaml_peak} bytes, the JSON one at {json_peak}");
}

/// The peaks of emitting `spec`'s whole module as tokens, and of emitting
/// and formatting it piece by piece as `apigen generate` does.
fn emit_peaks(spec: &str) -> (usize, usize) {
    let document = apigen::load::load("spec.yaml", spec.as_bytes()).unwrap();
    let model = ir::build(&document, &ModelOptions::default()).unwrap();
    drop(document);
    let options = EmitOptions::default();
    let (tokens, tokens_peak) = peak_of(|| emit::emit(&model, &options));
    drop(tokens);
    let (code, printed_peak) =
        peak_of(|| apigen::format::print_pieces("spec.yaml", "", emit::emit_pieces(&model, &options)).unwrap());
    assert!(code.contains("pub enum") || code.contains("pub struct"));
    (tokens_peak, printed_peak)
}

/// 2,000 schemas: printed piece by piece, the module's tokens are never all alive.
#[test]
fn one_file_is_printed_without_the_whole_module_s_tokens() {
    let _alone = alone();
    let schemas: String = (0..2_000)
        .map(|i| format!("    Item{i}:\n      type: object\n      properties:\n        id: {{type: string}}\n        size: {{type: integer}}\n"))
        .collect();
    let spec =
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}");
    let (tokens_peak, printed_peak) = emit_peaks(&spec);
    assert!(
        printed_peak < tokens_peak / 2,
        "printing peaks at {printed_peak} bytes, the module's tokens at {tokens_peak}"
    );
}

/// A spec whose one schema is a string enum of 20,000 values, each `prefix` and a number.
fn long_enum_spec(prefix: &str) -> String {
    let values: Vec<String> = (0..20_000).map(|i| format!("{prefix}{i}")).collect();
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Big:\n      type: string\n      enum: [{}]\n",
        values.join(", ")
    )
}

/// An enum of 20,000 short values (its items are printed on worker threads):
/// its variants and the arms of its `match`es are printed a chunk at a time,
/// so its syntax tree (more than its tokens) never is alive.
#[test]
fn a_long_enum_is_printed_without_its_syntax_tree() {
    let _alone = alone();
    let (tokens_peak, printed_peak) = emit_peaks(&long_enum_spec("value_"));
    assert!(
        printed_peak < tokens_peak * 3 / 2,
        "printing peaks at {printed_peak} bytes, the module's tokens at {tokens_peak}"
    );
}

/// The items of an enum of 20,000 long values (which spell them three times:
/// the variants, `as_str`, `From<&str>`), each over 1 MB of text and so
/// printed on the calling thread, are built one at a time, each when its
/// piece is drawn: the enum's whole tokens are never alive.
#[test]
fn a_long_enum_s_items_are_built_one_at_a_time() {
    let _alone = alone();
    let (tokens_peak, printed_peak) = emit_peaks(&long_enum_spec("a_value_named_at_some_length_"));
    assert!(
        printed_peak < tokens_peak * 3 / 4,
        "printing peaks at {printed_peak} bytes, the module's tokens at {tokens_peak}"
    );
}

/// A client of 2,000 operations: the `impl` of their methods is printed a
/// chunk of methods at a time, so its syntax tree is never alive whole.
#[test]
fn a_long_client_impl_is_printed_without_its_syntax_tree() {
    let _alone = alone();
    let paths: String = (0..2_000)
        .map(|i| format!("  /items{i}:\n    get:\n      operationId: getItem{i}\n      parameters:\n        - {{name: expand, in: query, schema: {{type: boolean}}}}\n      responses:\n        '200': {{description: The item, content: {{application/json: {{schema: {{type: string}}}}}}}}\n"))
        .collect();
    let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
    let (tokens_peak, printed_peak) = emit_peaks(&spec);
    assert!(
        printed_peak < tokens_peak * 3 / 2,
        "printing peaks at {printed_peak} bytes, the module's tokens at {tokens_peak}"
    );
}
