#!/usr/bin/env python3
"""rollrec vs Splink on the same synthetic rolls: wall time and pairwise
precision / recall / F1, per scenario, in one run.

Run through run.sh, which sets up the virtual environment:

    benches/splink/run.sh --electors 20000

For each scenario the rolls come from `rollrec synth` (seed 7, default
rates). rollrec is timed as the release binary `rollrec reconcile` (read,
match, write the report) and scored with `rollrec eval`; its "to pairs"
time is the part of that run that matches Splink's timed part (reading,
training, scoring and linking; see `time_to_pairs`). Splink (DuckDB
backend) is timed from reading the two CSV files to having its predicted
pairs in hand, and scored here with the same rule as `rollrec eval` (see
`pair_scores`). Splink's configuration is described in benches/README.md.
"""

import argparse
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import splink
import splink.comparison_library as cl
import splink.comparison_level_library as cll
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

SCENARIOS = ["derived", "derived-bilingual", "independent"]
PERSON_KINDS = {
    "pair",
    "missing_in_sec",
    "missing_in_ec",
    "attribute_mismatch",
    "wrong_ward",
    "duplicate_in_ec",
    "duplicate_in_sec",
}


def ec_key(ac, part, serial):
    return f"ec|{int(ac)}|{int(part)}|{int(serial)}"


def sec_key(body, ward, serial):
    return f"sec|{body}|{int(ward)}|{int(serial)}"


def read_truth(path):
    """Person of every key, and the number of true pairs of every person,
    exactly as rollrec-eval reads them."""
    con = duckdb.connect()
    rows = con.execute(
        f"select kind, ec_ac_no, ec_part_no, ec_serial_no, sec_local_body,"
        f" sec_ward_no, sec_serial_no, group_id"
        f" from read_csv('{path}', all_varchar=true, header=true)"
    ).fetchall()
    person = {}
    truth_pairs = defaultdict(int)
    n_truth = 0
    for kind, ac, part, serial, body, ward, sserial, group in rows:
        if kind not in PERSON_KINDS or not group:
            continue
        ek = ec_key(ac, part, serial) if ac else None
        sk = sec_key(body, ward, sserial) if body else None
        if ek:
            person[ek] = group
        if sk:
            person[sk] = group
        if kind == "pair" and ek and sk:
            truth_pairs[group] += 1
            n_truth += 1
    return person, truth_pairs, n_truth


def pair_scores(pairs, truth):
    """Pairwise scores, counted as rollrec-eval counts them: a predicted pair
    (distinct EC key, SEC key) is correct when both entries are the same
    person; a person with n true pairs earns at most n correct pairs (so
    pairing a duplicate's copy instead of the original counts, pairing both
    does not); tp = sum over persons of min(true, correct)."""
    person, truth_pairs, n_truth = truth
    distinct = set(pairs)
    correct = defaultdict(int)
    for ek, sk in distinct:
        a, b = person.get(ek), person.get(sk)
        if a is not None and a == b:
            correct[a] += 1
    tp = sum(min(c, truth_pairs.get(p, 0)) for p, c in correct.items())
    run = len(distinct)
    precision = tp / run if run else None
    recall = tp / n_truth if n_truth else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision and recall
        else None
    )
    return {
        "truth": n_truth,
        "run": run,
        "tp": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def one_to_one(scored):
    """Greedy best-first: each entry in at most one pair (the rule rollrec
    applies), ties broken by key so the result is deterministic."""
    used_ec, used_sec, kept = set(), set(), []
    for p, ek, sk in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if ek in used_ec or sk in used_sec:
            continue
        used_ec.add(ek)
        used_sec.add(sk)
        kept.append((ek, sk))
    return kept


def run_rollrec(binary, rolls, run_dir, dates):
    cmd = [
        binary, "reconcile",
        "--ec", str(rolls / "ec.csv"),
        "--sec", str(rolls / "sec.csv"),
        "--out", str(run_dir),
        "--ec-date", dates[0],
        "--sec-date", dates[1],
    ]
    t = time.perf_counter()
    done = subprocess.run(cmd, check=True, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    to_pairs = time_to_pairs(done.stderr)
    report = run_dir.parent / "rollrec-eval.json"
    subprocess.run(
        [binary, "eval", "--truth", str(rolls / "truth.csv"), "--run", str(run_dir),
         "--report", str(report)],
        check=True, capture_output=True,
    )
    ev = json.loads(report.read_text())
    matches = duckdb.connect().execute(
        f"select ec_ac_no, ec_part_no, ec_serial_no, sec_local_body, sec_ward_no,"
        f" sec_serial_no from read_csv('{run_dir / 'matches.csv'}', all_varchar=true)"
    ).fetchall()
    pairs = [(ec_key(a, p, s), sec_key(b, w, ss)) for a, p, s, b, w, ss in matches]
    return wall, to_pairs, ev["pairs"], pairs


# The steps of `rollrec reconcile` that do what Splink's timed part does:
# read both rolls, train, score and decide the links (rollrec also makes
# them one-to-one). Left out: within-roll duplicates, the report's checks
# and writing the report, which Splink's timed part has no counterpart of.
TO_PAIRS = ("prepare", "block", "compare", "train", "score", "assign")


def time_to_pairs(progress):
    """Seconds from the start of reading to the one-to-one pairs, summed
    from the progress lines `rollrec reconcile` prints."""
    secs = {}
    for line in progress.splitlines():
        m = re.match(r"both rolls read in ([0-9.]+)s", line)
        if m:
            secs["read"] = float(m.group(1))
        m = re.match(r"\s+(\w+) done \(([0-9.]+)s\)", line)
        if m:
            secs[m.group(1)] = float(m.group(2))
    missing = [k for k in ("read",) + TO_PAIRS if k not in secs]
    if missing:
        sys.exit(f"rollrec reconcile printed no time for {', '.join(missing)}:\n{progress}")
    return sum(secs[k] for k in ("read",) + TO_PAIRS)


# Comparable columns, the same for both rolls. The SEC roll's AC is its
# back-reference when present (derived scenarios) and otherwise the AC of
# its local body (`GP012-03` lies in AC 12: the local-body to AC table a
# user would take from the delimitation); `part` is only known on the SEC
# side through the back-reference. Names: the English twin when a roll
# carries one, else the printed name, lower case, dots and runs of spaces
# folded. SEC ages are moved back to the EC qualifying date.
PREP_SQL = """
create or replace table {table} as
select
  {key_sql} as unique_id,
  {ac_sql} as ac,
  try_cast(nullif(part_no, '') as integer) as part,
  nullif(lower(regexp_replace(trim(coalesce(nullif(name_en, ''), name)), '[.\\s]+', ' ', 'g')), '') as name_x,
  nullif(lower(regexp_replace(trim(coalesce(nullif(relative_name_en, ''), relative_name)), '[.\\s]+', ' ', 'g')), '') as rel_x,
  try_cast(nullif(age, '') as double) - {age_shift} as age_adj,
  nullif(upper(trim(gender)), '') as gender,
  nullif(upper(regexp_replace(regexp_replace(trim(house_no), '^(?i)h\\.?\\s*no\\.?\\s*', ''), '[\\s./-]', '', 'g')), '') as house,
  nullif(upper(regexp_replace(epic_no, '\\s', '', 'g')), '') as epic
from read_csv('{path}', all_varchar=true, header=true)
"""


def run_splink(rolls, offset_years, u_pairs):
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute(PREP_SQL.format(
        table="ec_prep", path=rolls / "ec.csv", age_shift="0",
        key_sql="'ec|' || cast(ac_no as integer) || '|' || cast(part_no as integer)"
                " || '|' || cast(serial_no as integer)",
        ac_sql="cast(ac_no as integer)",
    ))
    con.execute(PREP_SQL.format(
        table="sec_prep", path=rolls / "sec.csv", age_shift=repr(offset_years),
        key_sql="'sec|' || local_body || '|' || cast(ward_no as integer)"
                " || '|' || cast(serial_no as integer)",
        ac_sql="coalesce(try_cast(nullif(ac_no, '') as integer),"
               " try_cast(regexp_extract(local_body, '^[A-Z]+0*([0-9]+)', 1) as integer))",
    ))
    n_ec = con.execute("select count(*) from ec_prep").fetchall()[0][0]
    n_sec = con.execute("select count(*) from sec_prep").fetchall()[0][0]

    db_api = DuckDBAPI(con)
    ec = db_api.register("ec_prep", dataset_display_name="ec")
    sec = db_api.register("sec_prep", dataset_display_name="sec")
    age = cl.CustomComparison(
        output_column_name="age_adj",
        comparison_levels=[
            cll.NullLevel("age_adj"),
            cll.AbsoluteDifferenceLevel("age_adj", 0.6),
            cll.AbsoluteDifferenceLevel("age_adj", 2.6),
            cll.AbsoluteDifferenceLevel("age_adj", 6.6),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="link_only",
        # Each EC elector is at most once in the SEC roll.
        probability_two_random_records_match=1.0 / max(n_ec, n_sec),
        comparisons=[
            cl.NameComparison("name_x").configure(term_frequency_adjustments=True),
            cl.NameComparison("rel_x"),
            age,
            cl.ExactMatch("gender"),
            cl.ExactMatch("house"),
            cl.ExactMatch("epic"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("ac", "part", "name_x"),
            block_on("ac", "name_x", "rel_x"),
            block_on("ac", "rel_x", "house"),
            block_on("epic"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([ec, sec], settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=7)
    # m by EM, in two sessions so that every comparison is trained in one
    # of them: blocked on name + relative (trains age, gender, house, EPIC),
    # then on EPIC (trains name and relative name as well).
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("ac", "name_x", "rel_x")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("epic"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    rows = con.execute(
        f"select unique_id_l, unique_id_r, match_probability from {pred.physical_name}"
    ).fetchall()
    wall = time.perf_counter() - t
    scored = []
    for a, b, p in rows:
        ek, sk = (a, b) if a.startswith("ec|") else (b, a)
        scored.append((p, ek, sk))
    return wall, scored


def fmt(x, digits=4):
    return "-" if x is None else f"{x:.{digits}f}"


def main():
    here = Path(__file__).resolve().parent
    root = here.parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--electors", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--rollrec", default=str(root / "target/release/rollrec"))
    ap.add_argument("--work", default="/tmp/rollrec-splink")
    ap.add_argument("--u-pairs", type=float, default=5e6,
                    help="random pairs for Splink's u estimate")
    args = ap.parse_args()

    print(f"splink {splink.__version__}, duckdb {duckdb.__version__}, python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = []
    for sc in args.scenarios.split(","):
        base = Path(args.work) / f"{sc}-{args.electors}"
        rolls = base / "rolls"
        subprocess.run(
            [args.rollrec, "synth", "--scenario", sc, "--electors", str(args.electors),
             "--seed", str(args.seed), "--out", str(rolls), "-q"],
            check=True,
        )
        synth = json.loads((rolls / "synth.json").read_text())
        dates = (synth["ec_date"], synth["sec_date"])
        days = (duckdb.connect().execute(
            f"select date '{dates[1]}' - date '{dates[0]}'").fetchall()[0][0])
        offset = days / 365.2425
        truth = read_truth(rolls / "truth.csv")

        r_wall, r_to_pairs, r_eval, r_pairs = run_rollrec(args.rollrec, rolls, base / "run", dates)
        r_here = pair_scores(r_pairs, truth)
        # The script's counting must agree with rollrec eval's.
        assert r_here["tp"] == r_eval["tp"] and r_here["run"] == r_eval["run"], (
            r_here, r_eval)

        s_wall, scored = run_splink(rolls, offset, args.u_pairs)
        s_raw = pair_scores([(e, s) for _, e, s in scored], truth)
        s_121 = pair_scores(one_to_one(scored), truth)
        for name, wall, to_pairs, sc_ in [("rollrec", r_wall, r_to_pairs, r_eval),
                                          ("splink", s_wall, s_wall, s_raw),
                                          ("splink 1:1", s_wall, s_wall, s_121)]:
            row = {"scenario": sc, "electors": args.electors, "tool": name,
                   "wall_s": wall, "to_pairs_s": to_pairs,
                   "run_pairs": sc_["run"], "truth_pairs": sc_["truth"],
                   "tp": sc_["tp"], "precision": sc_["precision"],
                   "recall": sc_["recall"], "f1": sc_["f1"]}
            results.append(row)
            print(f"{sc:18} {name:10} wall {wall:8.2f} s  to pairs {to_pairs:6.2f} s  "
                  f"pairs {sc_['run']:8}  "
                  f"P {fmt(sc_['precision'])}  R {fmt(sc_['recall'])}  "
                  f"F1 {fmt(sc_['f1'])}", flush=True)
    out = Path(args.work) / f"results-{args.electors}.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"results in {out}")


if __name__ == "__main__":
    main()
