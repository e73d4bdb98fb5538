//! Per-name cost of `normalize` on typical roll names (about 15 bytes of
//! Latin, 20-40 bytes of native script), one benchmark per script.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rollrec_names::{Lang, normalize};

const NAMES: &[(&str, &str, Option<Lang>)] = &[
    ("latin", "Sunita Devi", None),
    ("latin_initials", "K. Ramesh Kumar", None),
    ("devanagari", "मोहन सिंह", Some(Lang::Hindi)),
    ("bengali", "দেবাশিস দাস", Some(Lang::Bengali)),
    ("gurmukhi", "ਹਰਜੀਤ ਕੌਰ", Some(Lang::Punjabi)),
    ("gujarati", "રમેશભાઈ શાહ", Some(Lang::Gujarati)),
    ("odia", "ସୁଜାତା ସାହୁ", Some(Lang::Odia)),
    ("tamil", "க. முருகன்", Some(Lang::Tamil)),
    ("telugu", "శ్రీనివాస్ రావు", Some(Lang::Telugu)),
    ("kannada", "ಮಂಜುನಾಥ್", Some(Lang::Kannada)),
    ("malayalam", "മോഹൻലാൽ", Some(Lang::Malayalam)),
    // Latin names keyed with the roll's language folds.
    ("latin_tamil_roll", "S. Chellamuthu", Some(Lang::Tamil)),
    ("latin_punjab_roll", "Hardeep Kaur", Some(Lang::Punjabi)),
    // Both words rewritten by the Punjabi spelling folds (initial cluster, eh).
    ("latin_punjab_folds", "Pradeep Mehta", Some(Lang::Punjabi)),
    ("latin_bengal_roll", "Debasish Biswas", Some(Lang::Bengali)),
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize");
    for (label, name, hint) in NAMES {
        group.bench_function(*label, |b| b.iter(|| normalize(black_box(name), *hint)));
    }
    group.bench_function("all_11_names", |b| {
        b.iter(|| {
            for (_, name, hint) in &NAMES[..11] {
                black_box(normalize(black_box(name), *hint));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
