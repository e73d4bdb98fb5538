//! Print the normalised form of names given on the command line (the
//! language hint from the `HINT` environment variable, a code such as `ta`).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<_> = args
        .iter()
        .map(|a| {
            rollrec_names::normalize(
                a,
                std::env::var("HINT")
                    .ok()
                    .and_then(|h| rollrec_names::Lang::from_code(&h)),
            )
        })
        .collect();
    for n in &names {
        println!("{n}  joined={}  skel={}", n.joined_key(), n.skeleton());
        for t in &n.tokens {
            println!(
                "   {:?} {} key={} skel={}",
                t.kind, t.text, t.key, t.skeleton
            );
        }
    }
    if names.len() == 2 {
        println!(
            "similarity = {:.3}",
            rollrec_names::similarity(&names[0], &names[1])
        );
    }
}
