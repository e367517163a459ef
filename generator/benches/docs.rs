//! Doc comment sanitizing on text built to be slow: 300 KB runs of `[` and
//! `<`, which took the previous, quadratic sanitizer 83-104 s, and of inline
//! links and HTML tags left open.
//!
//! `cargo bench -p apigen --bench docs`

use apigen::emit::docs::sanitize;
use criterion::{criterion_group, criterion_main, Criterion};

fn long_runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("sanitize_300kb");
    group.sample_size(10);
    for run in ["[", "<", "[a](", "<b "] {
        let text = run.repeat(300_000 / run.len());
        group.bench_function(run, |b| b.iter(|| sanitize(&text)));
    }
    group.finish();
}

criterion_group!(benches, long_runs);
criterion_main!(benches);
