//! The whole pipeline on the full OpenAI spec (models and client), phase by phase:
//! parse (bytes to a JSON value, the floor), load (to the `openapiv3`
//! document, parse included), build the IR, emit tokens, format with
//! prettyplease, and the total: as one file, and as `apigen crate`'s tree of
//! files (cut by the layout stage and formatted a file a core). The spec is not part of the repository: it is
//! read from `../shared/specs/openai/` beside it, and the bench skips when it
//! is absent.
//!
//! It allocates with mimalloc, as the `apigen` command does (main.rs).
//!
//! `cargo bench -p apigen --bench pipeline`

use std::path::Path;

use apigen::emit::{self, EmitOptions};
use apigen::ir::{self, ModelOptions};
use apigen::{format, load, Layout, Options};
use criterion::{criterion_group, criterion_main, Criterion};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FILE: &str = "openapi.yaml";

fn pipeline(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/openai").join(FILE);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "skipped: ../shared/specs/openai/{FILE} not found (the full OpenAI spec is not part of the repository)"
        );
        return;
    };
    let model_options = ModelOptions::default();
    let emit_options = EmitOptions::default();
    let document = load::load(FILE, &bytes).expect("the spec loads");
    let model = ir::build(&document, &model_options).expect("the model builds");
    let tokens = emit::emit(&model, &emit_options);

    let mut group = c.benchmark_group("openai_full");
    group.sample_size(10);
    group.bench_function("parse", |b| b.iter(|| load::parse_document(FILE, &bytes)));
    group.bench_function("load", |b| b.iter(|| load::load(FILE, &bytes)));
    group.bench_function("build_ir", |b| b.iter(|| ir::build(&document, &model_options)));
    group.bench_function("emit", |b| b.iter(|| emit::emit(&model, &emit_options)));
    group.bench_function("format", |b| b.iter(|| format::format_module(FILE, tokens.clone())));
    // The defaults, as `model_options` and `emit_options` are.
    let options = Options::default();
    group.bench_function("total", |b| b.iter(|| apigen::generate(FILE, &bytes, &options)));
    let tree = options.clone().layout(Layout::Tree);
    group.bench_function("total_tree", |b| b.iter(|| apigen::generate(FILE, &bytes, &tree)));
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
