#!/usr/bin/env bash
# Correctness sweep of the built-in translator on a GPU host, in one go (carry a publish/ of kforge):
#  1. a smoke test of run-time launch counting (CUPTI): an honest kernel must pass, 05b (launches nothing) must fail;
#  2. every problem of --levels translated (12 at a time) and its kernel checked with kforge verify --check-only,
#     6 sessions sharing the GPU (correctness only: no timing is taken, so sharing spoils nothing).
# If the smoke test fails, the sweep runs with launch counting off so that one broken check cannot hide the rest.
# Results: $OUT/smoke and $OUT/sweep (results.json, suite.log, translated/<problem>/{kernel.cu,graph.json}).
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-artifacts/gpu}"
budget="${SWEEP_BUDGET_S:-420}"
mkdir -p "$out/smoke" "$out/sweep"
export PATH=/usr/local/cuda/bin:$PATH PYTHONUNBUFFERED=1
nvidia-smi > "$out/nvidia-smi.txt" 2>&1
timeout 150 python3 tests/gpu/run_suite.py --kforge publish/kforge --out "$out/smoke" --skip-throughput --skip-translated \
  --only relu_abi,05b_loose_constant_mse_loss_abi --repeat 1 --case-timeout 120 > "$out/smoke/suite.out" 2>&1
if grep -q "^PASS  relu_abi" "$out/smoke/suite.out" && grep -q "^PASS .*05b_loose" "$out/smoke/suite.out"; then
  echo "launch counting smoke test passed"
else
  echo "launch counting smoke test FAILED; sweeping with KFORGE_LAUNCH_COUNTING=off"; export KFORGE_LAUNCH_COUNTING=off
fi
timeout $((budget + 90)) python3 tests/gpu/run_suite.py --kforge publish/kforge --out "$out/sweep" --case-timeout 240 --skip-cases \
  --skip-throughput --levels "${LEVELS:-1,2,3}" --translate-jobs 12 --check-only --verify-jobs 6 --translated-budget "$budget" \
  > "$out/sweep/suite.out" 2>&1
find "$out" -name 'kforge.db*' -delete
tail -3 "$out/smoke/suite.out" "$out/sweep/suite.out"
