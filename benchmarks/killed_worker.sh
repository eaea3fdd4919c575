#!/usr/bin/env bash
# `featlearn check --workers 2` with one Dask worker SIGKILLed part-way, against the serial run (issue 20, faults).
#
#   bash benchmarks/killed_worker.sh [SCALE] [extra options of benchmarks/killed_worker.py]
#
#   bash benchmarks/killed_worker.sh paper                 # ~25 min serial + ~15 min Dask on an idle 2-core CPU
#   bash benchmarks/killed_worker.sh quick                 # a few minutes: tries the script out
#   bash benchmarks/killed_worker.sh paper --kill-after-seconds 600 --serial-json /tmp/serial-paper.json
#
# Runs at low priority (nice), logs to WORKDIR/killed_worker-SCALE.log (default WORKDIR /tmp/featlearn-killed-worker,
# which also keeps serial.log, dask.log, events.jsonl and the two --json files; the serial JSON is reused by a
# later run of the same source tree). Writes benchmarks/results/killed_worker_SCALE_numpy.{md,json}.
# Exit status: 0 identical results after a real mid-task kill, 1 results differ, 2 no kill happened / no JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-paper}
shift || true
WORKDIR=${FEATLEARN_KILLED_WORKER_DIR:-/tmp/featlearn-killed-worker}
mkdir -p "$WORKDIR"
LOG="$WORKDIR/killed_worker-$SCALE.log"
echo "commit $(git rev-parse HEAD) $(git status --porcelain | grep -q . && echo '(uncommitted changes)'), log $LOG"
set +e
nice -n 10 python benchmarks/killed_worker.py --scale "$SCALE" --workdir "$WORKDIR" "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
echo "exit status $rc (0: identical after a mid-task kill; 1: results differ; 2: no kill or no JSON)" | tee -a "$LOG"
exit "$rc"
