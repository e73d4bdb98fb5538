//! `rollrec explain`: why an EC entry and an SEC entry were, or were not,
//! taken for one person.

use std::path::PathBuf;

use clap::Args;
use rollrec::{Config, Elector, ElectorKey, NaiveDate, Placement, Roll, RollKind};

use crate::cmd_reconcile::load_params;

/// Arguments of `rollrec explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The assembly (EC) roll, canonical CSV (or a tab, semicolon or
    /// UTF-16 spreadsheet export of it).
    #[arg(long, value_name = "FILE")]
    pub ec: PathBuf,
    /// The local-body (SEC) roll, canonical CSV (or a spreadsheet export).
    #[arg(long, value_name = "FILE")]
    pub sec: PathBuf,
    /// The EC entry: AC/PART/SERIAL, e.g. 12/3/45.
    #[arg(long, value_name = "KEY")]
    pub ec_entry: String,
    /// The SEC entry: LOCAL_BODY/WARD/SERIAL, e.g. GP012-03/2/17.
    #[arg(long, value_name = "KEY")]
    pub sec_entry: String,
    /// The EC roll's qualifying date, YYYY-MM-DD (as given to reconcile).
    #[arg(long, value_name = "DATE")]
    pub ec_date: Option<NaiveDate>,
    /// The SEC roll's qualifying date, YYYY-MM-DD (as given to reconcile).
    #[arg(long, value_name = "DATE")]
    pub sec_date: Option<NaiveDate>,
    /// Engine parameters (JSON, from `reconcile --save-params`) instead of
    /// learning them from the rolls again.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
}

fn entry_line(e: &Elector) -> String {
    let mut s = rollrec::report::describe(e);
    match &e.epic {
        Some(epic) => s.push_str(&format!(", EPIC {epic}")),
        None => s.push_str(", no EPIC"),
    }
    s
}

fn placement(p: Placement, other: &Roll, partner_is_the_other_entry: bool) -> String {
    match p {
        Placement::Paired { probability, .. } if partner_is_the_other_entry => {
            format!("paired with this entry (probability {probability:.4})")
        }
        Placement::Paired { with, probability } => format!(
            "paired with {} (probability {probability:.4})",
            other
                .electors
                .get(with)
                .map_or("?".to_string(), |e| e.key().to_string())
        ),
        Placement::Review { with, probability } => format!(
            "unmatched; review pair (ambiguous_match) with {} (probability {probability:.4})",
            other
                .electors
                .get(with)
                .map_or("?".to_string(), |e| e.key().to_string())
        ),
        Placement::Unmatched => "unmatched".to_string(),
    }
}

/// Runs `rollrec explain`.
pub fn run(args: &ExplainArgs) -> Result<(), Box<dyn std::error::Error>> {
    if args.ec_date.is_some() != args.sec_date.is_some() {
        return Err("give both --ec-date and --sec-date, or neither".into());
    }
    let ec_key = ElectorKey::parse(RollKind::Assembly, &args.ec_entry)?;
    let sec_key = ElectorKey::parse(RollKind::LocalBody, &args.sec_entry)?;
    let params = args.params.as_deref().map(load_params).transpose()?;
    let config = Config::default()
        .dates(args.ec_date, args.sec_date)
        .params(params);
    let (ec, sec) = rollrec::read_roll_files(&args.ec, &args.sec, &config)?;
    let review = rollrec::explain_pair(&ec.roll, &sec.roll, &config, &ec_key, &sec_key)?;
    let x = &review.explanation;
    let mut out = String::new();
    let e = &ec.roll.electors[review.ec];
    let s = &sec.roll.electors[review.sec];
    out.push_str(&format!("EC  {}\n", entry_line(e)));
    out.push_str(&format!("SEC {}\n\n", entry_line(s)));
    if x.passes.is_empty() {
        out.push_str("blocking: no pass proposes this pair, so the engine never compared it\n");
    } else {
        out.push_str(&format!("blocking: proposed by {}\n", x.passes.join(", ")));
    }
    out.push_str(&format!(
        "\n{:<10} {:<5} {:<44} {:>8}\n",
        "field", "level", "meaning", "weight"
    ));
    for f in &x.fields {
        let level = f.level.map_or("-".to_string(), |l| l.to_string());
        out.push_str(&format!(
            "{:<10} {:<5} {:<44} {:>+8.3}\n",
            f.field, level, f.meaning, f.weight
        ));
    }
    out.push_str(&format!("{:<61} {:>+8.3}\n", "prior", x.prior));
    out.push_str(&format!("{:<61} {:>+8.3}\n", "total", x.total));
    let verdict = if x.probability >= x.match_threshold {
        "at or above the match threshold"
    } else if x.probability >= x.review_threshold {
        "in the review band"
    } else {
        "below the review threshold"
    };
    out.push_str(&format!(
        "\nmatch probability {:.4}: {verdict} (match at {}, review at {})\n",
        x.probability, x.match_threshold, x.review_threshold
    ));
    let together =
        matches!(review.ec_placement, Placement::Paired { with, .. } if with == review.sec);
    out.push_str(&format!(
        "EC entry:  {}\n",
        placement(review.ec_placement, &sec.roll, together)
    ));
    out.push_str(&format!(
        "SEC entry: {}\n",
        placement(review.sec_placement, &ec.roll, together)
    ));
    print!("{out}");
    Ok(())
}
