#!/usr/bin/env bash
# The paper-scale run on a CPU, resumable: the report of `featlearn check --scale paper` (seed 0) and the
# paper-scale seed spread (seeds 0-2; seed 0 is read back from the same store, not recomputed).
#
#   bash benchmarks/paper_cpu.sh [STORE]     # STORE (default /tmp/featlearn-paper) keeps every finished cell:
#                                            # re-run the same command after an interruption to resume
#
# Writes benchmarks/results/paper_cpu_numpy/ (report.md, claims.json, run.json, figures; run.json holds wall
# time, CPU time, compute time of all cells and peak memory), benchmarks/results/paper_cpu_numpy/time.txt
# (GNU time -v of the check) and benchmarks/results/seed_spread_paper_numpy.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-/tmp/featlearn-paper}
OUT=benchmarks/results/paper_cpu_numpy
mkdir -p "$STORE" "$OUT"
TIME=(); command -v /usr/bin/time > /dev/null && TIME=(/usr/bin/time -v -o "$OUT/time.txt")
set +e
"${TIME[@]}" featlearn check --scale paper --seed 0 --store "$STORE/seed0" --report "$OUT"
rc=$?
set -e
echo "featlearn check exit status $rc (1 = a claim failed: a finding to document, see the report)"
python benchmarks/seed_spread.py --scale paper --seeds 3 --store "$STORE"
