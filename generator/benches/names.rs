//! Unique names when thousands collide: a string enum whose values all map
//! to one Rust variant name (`x!`, `x#`, `x$!`, ... are all `X`), through the
//! whole pipeline. Dedup was quadratic (8,192 values: 14 s, 16,384: 108 s).
//!
//! `cargo bench -p apigen --bench names`

use apigen::Options;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// `count` distinct enum values that differ only in characters no identifier may hold.
fn colliding_enum_spec(count: usize) -> String {
    const SYMBOLS: [char; 8] = ['!', '#', '$', '%', '&', '(', ')', '*'];
    let values: Vec<String> = (0..count)
        .map(|mut n| {
            let mut value = String::from("\"x");
            loop {
                value.push(SYMBOLS[n % 8]);
                n /= 8;
                if n == 0 {
                    break;
                }
            }
            value + "\""
        })
        .collect();
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
        "components": {{"schemas": {{"E": {{"type": "string", "enum": [{}]}}}}}}}}"#,
        values.join(", ")
    )
}

fn colliding_names(c: &mut Criterion) {
    let mut group = c.benchmark_group("colliding_enum_values");
    group.sample_size(10);
    for count in [8_192, 16_384] {
        let spec = colliding_enum_spec(count);
        group.bench_with_input(BenchmarkId::from_parameter(count), &spec, |b, spec| {
            b.iter(|| apigen::generate("spec.json", spec.as_bytes(), &Options::default()).expect("the spec generates"))
        });
    }
    group.finish();
}

criterion_group!(benches, colliding_names);
criterion_main!(benches);
