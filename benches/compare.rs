//! Compare-engine benchmarks (issue 3's targets: ≤ 10 ms for the Heroku
//! pair, ≤ 100 ms for a 100-page pair, on one core).
//!
//!     cargo bench --bench compare
//!
//! The 100-page pair is synthetic (`trustlens_synth`, fixed seed): a
//! generated document and a revision with reworded, added, removed and moved
//! clauses and renamed sections.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use trustlens::compare::compare;
use trustlens::corpus::Corpus;
use trustlens::lexicon::Lexicon;
use trustlens_synth as synth;

fn benches(c: &mut Criterion) {
    let lexicon = Lexicon::bundled();
    let corpus = Corpus::bundled().expect("bundled corpus");
    let (old, new) = (&corpus.versions[0], &corpus.versions[1]);
    c.bench_function("compare/heroku 2016 → 2023", |b| {
        b.iter(|| black_box(compare(lexicon, old, new)))
    });

    let text = synth::document(42, 100);
    let (a, b) = (
        synth::version("2024-01-01", &text),
        synth::version("2025-01-01", &synth::revise(42, &text, 0.1)),
    );
    eprintln!(
        "synthetic 100-page pair: {} → {} clauses, {} → {} bytes",
        a.doc.clauses.len(),
        b.doc.clauses.len(),
        text.len(),
        synth::revise(42, &text, 0.1).len()
    );
    let mut group = c.benchmark_group("compare");
    group.sample_size(20);
    group.bench_function("synthetic 100 pages", |bench| {
        bench.iter(|| black_box(compare(lexicon, &a, &b)))
    });
    group.finish();
}

criterion_group!(compare_benches, benches);
criterion_main!(compare_benches);
