//! Time and peak heap of the whole pipeline on big ordinary specs: a
//! synthetic 5 MB spec built here (many schemas and properties, a big enum,
//! many operations), in YAML and in JSON, and, when `../shared/specs/openai/`
//! is present, the full OpenAI spec. A counting global allocator gives the peak heap of each run
//! and of each stage; the goal is a peak under 20 times the input.
//!
//! Then the hostile inputs of `tests/bounds_hostile.rs`, each one's size,
//! time and peak heap (a refusal is a result too).
//!
//! `cargo bench -p apigen --bench memory`; with `-- --write-synthetic PATH`
//! it writes the synthetic spec instead, for `/usr/bin/time -v apigen
//! generate PATH -o out.rs` or `apigen crate PATH -o out --name x` (peak
//! RSS adds the allocator's overhead).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use apigen::emit::{self, EmitOptions};
use apigen::ir::{self, ModelOptions};
use apigen::{format, load, Options};

#[path = "../tests/support/hostile.rs"]
mod hostile;

/// The system allocator, counting the bytes live now and at most.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc(layout);
        if !pointer.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    /// The system's own realloc, counted by the change in size: glibc grows a
    /// big block (the generated code, tens of MB, is mapped on its own) in
    /// place or by remapping its pages, without a copy. The default of
    /// `GlobalAlloc` (alloc, copy, dealloc) counted such a block twice at each growth.
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(pointer, layout, new_size);
        if !moved.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

/// Runs `work`, printing its time (as a multiple of `parse_ms` too, once
/// known), the peak heap it added to what was live before and how much more
/// is live after it; returns its result and time in milliseconds.
fn measure<T>(label: &str, input_bytes: usize, parse_ms: Option<f64>, work: impl FnOnce() -> T) -> (T, f64) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let result = work();
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    // What the stage leaves live (its result, less the input it consumed): the next stage's peak comes on top of it.
    let leaves = LIVE.load(Ordering::Relaxed) as f64 - before as f64;
    let of_parse = parse_ms.map(|parse| format!("{:>5.1}x the parse", elapsed / parse)).unwrap_or_default();
    println!(
        "{label:<34} {elapsed:>8.0} ms {of_parse:>16}  peak heap {:>7.1} MB ({:>5.1}x the input), leaves {:>+7.1} MB",
        peak as f64 / MB,
        peak as f64 / input_bytes as f64,
        leaves / MB
    );
    (result, elapsed)
}

/// Each stage on its own (its input already built), then the whole pipeline.
fn report(name: &str, file: &str, bytes: &[u8]) {
    println!("{name}: {:.1} MB", bytes.len() as f64 / MB);
    let size = bytes.len();
    let (value, parse) =
        measure("  parse (within load)", size, None, || load::parse_document(file, bytes).expect("the spec parses"));
    drop(value);
    let parse = Some(parse);
    let (document, _) = measure("  load", size, parse, || load::load(file, bytes).expect("the spec loads"));
    let (model, _) = measure("  build IR", size, parse, || {
        ir::build(&document, &ModelOptions::default()).expect("the model builds")
    });
    drop(document);
    let options = EmitOptions::default();
    let (tokens, _) = measure("  emit, the whole module's tokens", size, parse, || emit::emit(&model, &options));
    let (code, _) = measure("  format those tokens", size, parse, || {
        format::format_module(file, tokens).expect("the code formats")
    });
    drop(code);
    let (code, _) = measure("  emit + format, piece by piece", size, parse, || {
        format::print_pieces(file, "", emit::emit_pieces(&model, &options)).expect("the code formats")
    });
    drop((code, model));
    measure("  total (apigen::generate)", size, parse, || {
        apigen::generate(file, bytes, &Options::default()).expect("the spec generates")
    });
    // As `apigen crate` generates: a tree of files, a part a tag.
    let tree = Options::default().cargo_features(true).layout(apigen::Layout::Tree);
    measure("  total, tree layout (apigen crate)", size, parse, || {
        apigen::generate(file, bytes, &tree).expect("the spec generates")
    });
}

/// Writes one hostile input.
type HostileSpec = fn() -> String;

/// `apigen::generate` on each hostile input of `tests/bounds_hostile.rs`.
fn report_hostile() {
    println!("hostile inputs (tests/bounds_hostile.rs), apigen::generate:");
    let inputs: [(&str, HostileSpec); 8] = [
        ("alias used 20,000 times", hostile::aliases_repeated_at_one_level),
        ("aliased schemas", hostile::aliased_schemas),
        ("billion laughs", hostile::nested_aliases),
        ("allOf diamonds", hostile::all_of_diamonds),
        ("mutually referencing", hostile::mutually_referencing_schemas),
        ("allOf copying fields", hostile::all_of_merges_copying_many_fields),
        ("unions of wide structs", hostile::untagged_unions_of_wide_structs),
        ("operations on a chain", hostile::operations_reaching_a_long_chain),
    ];
    for (name, spec) in inputs {
        let spec = spec();
        let label = format!("  {name}, {:.0} KB", spec.len() as f64 / 1024.0);
        let (generated, _) = measure(&label, spec.len(), None, || {
            apigen::generate("hostile.yaml", spec.as_bytes(), &Options::default())
        });
        match generated {
            Ok(generated) => println!("    generated {:.1} MB of code", generated.code.len() as f64 / MB),
            Err(error) => println!("    refused: {}", error.to_string().chars().take(100).collect::<String>()),
        }
    }
}

/// A spec of about `target` bytes in YAML: schemas with documented
/// properties of every kind, one enum of 100,000 values, and CRUD operations.
fn synthetic_spec(target: usize) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nservers: [{url: 'https://api.example.com/v1'}]\n",
    );
    let enum_values: Vec<String> = (0..100_000).map(|value| format!("value_{value}")).collect();
    let mut schemas = format!(
        "components:\n  schemas:\n    BigEnum:\n      type: string\n      enum: [{}]\n",
        enum_values.join(", ")
    );
    let mut paths = String::from("paths:\n");
    let mut count = 0;
    while spec.len() + schemas.len() + paths.len() < target {
        // Each item refers to one of half its number: trees of logarithmic depth, as real specs nest.
        let other = count / 2;
        schemas.push_str(&format!(
            "    Item{count}:\n      type: object\n      description: Item {count}, with a description long enough to be realistic.\n      required: [id, name]\n      properties:\n        id: {{type: string, description: The identifier of the item.}}\n        name: {{type: string, description: A human-readable name.}}\n        size: {{type: integer, format: int64, description: The size in bytes.}}\n        ratio: {{type: number, description: A ratio.}}\n        tags: {{type: array, items: {{type: string}}, description: Free-form tags.}}\n        kind: {{$ref: '#/components/schemas/BigEnum'}}\n        previous: {{$ref: '#/components/schemas/Item{other}'}}\n        metadata: {{type: object, additionalProperties: {{type: string}}, description: Key-value pairs.}}\n        status: {{type: string, enum: [active, inactive, deleted]}}\n"
        ));
        paths.push_str(&format!(
            "  /items{count}/{{id}}:\n    parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n    get:\n      operationId: getItem{count}\n      summary: Get item {count}\n      parameters:\n        - {{name: expand, in: query, schema: {{type: boolean}}}}\n      responses:\n        '200': {{description: The item, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Item{count}'}}}}}}}}\n    post:\n      operationId: updateItem{count}\n      requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Item{count}'}}}}}}}}\n      responses:\n        '200': {{description: Updated, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Item{count}'}}}}}}}}\n"
        ));
        count += 1;
    }
    spec.push_str(&paths);
    spec.push_str(&schemas);
    spec
}

fn main() {
    let synthetic = synthetic_spec(5_000_000);
    // `-- --write-synthetic PATH` saves the spec, to measure the command's peak RSS on it.
    let args: Vec<String> = std::env::args().collect();
    if let Some(path) = args.iter().position(|arg| arg == "--write-synthetic").and_then(|at| args.get(at + 1)) {
        std::fs::write(path, &synthetic).expect("the synthetic spec is written");
        return;
    }
    report("synthetic, YAML", "synthetic.yaml", synthetic.as_bytes());
    // The same document as JSON, as big machine-made specs are usually published.
    let value = load::parse_document("synthetic.yaml", synthetic.as_bytes()).expect("the synthetic spec parses");
    drop(synthetic);
    let json = serde_json::to_string(&value).expect("a JSON value serializes");
    drop(value);
    report("synthetic, JSON", "synthetic.json", json.as_bytes());
    drop(json);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/openai/openapi.yaml");
    match std::fs::read(&path) {
        Ok(bytes) => report("openai (../shared/specs/openai/openapi.yaml)", "openapi.yaml", &bytes),
        Err(_) => eprintln!("skipped: ../shared/specs/openai/openapi.yaml not found (the full OpenAI spec is not part of the repository)"),
    }
    report_hostile();
}
