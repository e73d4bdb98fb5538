#!/bin/sh
# rollrec vs Splink: sets up its own virtual environment under
# target/splink-venv (once), builds the release binary, and runs compare.py
# with the arguments given, e.g.
#
#   benches/splink/run.sh --electors 20000
#   benches/splink/run.sh --electors 250000 --scenarios derived
#
# A benchmark, not a CI step. Needs python3 (3.10 or newer) with venv, and
# network access to PyPI the first time.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv=$root/target/splink-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'splink>=4' duckdb
fi
(cd "$root" && cargo build --release -p rollrec-cli --quiet)
exec "$venv/bin/python" "$root/benches/splink/compare.py" --rollrec "$target/release/rollrec" "$@"
