//! Generation throughput: electors per second, all three files written into
//! memory (no disk), for each scenario.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rollrec_synth::{Scenario, SynthConfig, generate_to};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    let electors = 50_000u64;
    group.throughput(Throughput::Elements(electors));
    for scenario in Scenario::ALL {
        let cfg = SynthConfig {
            electors,
            seed: 9,
            ..SynthConfig::for_scenario(scenario)
        };
        group.bench_function(scenario.as_str(), |b| {
            b.iter(|| {
                let (mut ec, mut sec, mut truth) = (Vec::new(), Vec::new(), Vec::new());
                generate_to(&cfg, &mut ec, &mut sec, &mut truth).expect("generates");
                (ec.len(), sec.len(), truth.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
