#!/usr/bin/env bash
# The prepared GPU run: one call on a lent GPU machine (CuPy, PyTorch and JAX are installed there).
#
#   bash benchmarks/gpu_run.sh            # writes into $OUT (default benchmarks/results/gpu/)
#
# array-api-compat, array-api-strict, hypothesis and tqdm travel as wheels in .whl/ (pip download them
# on the developer machine first: python -m pip download -d .whl array-api-compat array-api-strict
# hypothesis tqdm). Steps, each logged to its own file:
#   1. the test suite on CuPy and torch-CUDA (FEATLEARN_BACKENDS), slow tests included;
#   2. the one-step and three-layer benchmarks on CuPy and torch (float32, GPU sizes);
#   3. the race at the benchmark sizes: featlearn on CuPy vs the hand-written script on CuPy and on torch-CUDA;
#   4. featlearn check at paper scale on CuPy, with its report (goal: <= 5 minutes on one H200).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-benchmarks/results/gpu}
mkdir -p "$OUT"
python -m pip install -q --no-index --find-links .whl array-api-compat array-api-strict hypothesis tqdm 2>&1 | tail -2
python -m pip install -q --no-deps --no-build-isolation -e . 2>&1 | tail -2
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$OUT/machine.txt" 2>&1
python -c "import cupy, torch; print('cupy', cupy.__version__, 'torch', torch.__version__)" >> "$OUT/machine.txt" 2>&1

FEATLEARN_BACKENDS=numpy,cupy,torch timeout 420 python -m pytest -q -p no:cacheprovider tests -x \
  > "$OUT/pytest_gpu.txt" 2>&1; echo "pytest rc=$?" >> "$OUT/pytest_gpu.txt"

for b in cupy torch; do
  dev=""; [ "$b" = torch ] && dev="--device cuda"
  timeout 120 python benchmarks/bench_one_step.py --backend "$b" $dev --dtype float32 \
    > "$OUT/one_step_${b}.txt" 2>&1
done
timeout 120 python benchmarks/bench_three_layer.py --backend cupy --n 1048576 > "$OUT/three_layer_cupy.txt" 2>&1
timeout 240 python benchmarks/race.py --size large --gpu --repeats 3 --out "$OUT/race_gpu_large.md" \
  > "$OUT/race_gpu_large.txt" 2>&1

/usr/bin/time -v timeout 600 featlearn check --backend cupy --scale paper --quiet \
  --json "$OUT/paper_cupy.json" --report "$OUT/paper_cupy" > "$OUT/paper_cupy.txt" 2>&1
echo "done; outputs in $OUT"
