#!/usr/bin/env bash
# Correctness sweep of the built-in translator on a GPU host, in one go (carry a publish/ of kforge):
#  1. a smoke test of run-time launch counting (CUPTI): an honest kernel must pass, 28 (a decoy kernel never launched)
#     must be rejected;
#  2. every problem of --levels translated (5 at a time) and its kernel checked with kforge verify --check-only,
#     4 sessions sharing the GPU (correctness only: no timing is taken, so sharing spoils nothing; 6 sessions and 12
#     exports ran the 80 GB H100 out of memory on the 1 GiB problems).
# If the smoke test fails, the sweep runs with launch counting off so that one broken check cannot hide the rest.
# Results: $OUT/smoke, $OUT/sweep (results.json, suite.log) and $OUT/translated.tgz (<problem>/{kernel.cu,graph.json}).
# EXCLUDE=stem,stem leaves problems out (e.g. those already verified); LEVELS=1,2,3 picks the levels;
# TRANSLATE_JOBS and VERIFY_JOBS (5 and 4) size the pools (an H200's 139 GB takes more sessions than an H100's 80).
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-artifacts/gpu}"
budget="${SWEEP_BUDGET_S:-420}"
mkdir -p "$out/smoke" "$out/sweep"
export PATH=/usr/local/cuda/bin:$PATH PYTHONUNBUFFERED=1
nvidia-smi > "$out/nvidia-smi.txt" 2>&1
timeout 150 python3 tests/gpu/run_suite.py --kforge publish/kforge --out "$out/smoke" --skip-throughput --skip-translated \
  --only relu_abi,28_decoy_kernel_mse_loss_abi --repeat 1 --case-timeout 120 > "$out/smoke/suite.out" 2>&1
if grep -q "^PASS  relu_abi" "$out/smoke/suite.out" && grep -q "^PASS .*28_decoy" "$out/smoke/suite.out"; then
  echo "launch counting smoke test passed"
else
  echo "launch counting smoke test FAILED; sweeping with KFORGE_LAUNCH_COUNTING=off"; export KFORGE_LAUNCH_COUNTING=off
fi
timeout $((budget + 90)) python3 tests/gpu/run_suite.py --kforge publish/kforge --out "$out/sweep" --case-timeout 240 --skip-cases \
  --skip-throughput --levels "${LEVELS:-1,2,3}" --translate-jobs "${TRANSLATE_JOBS:-5}" --check-only --verify-jobs "${VERIFY_JOBS:-4}" --translated-budget "$budget" ${EXCLUDE:+--exclude "$EXCLUDE"} \
  > "$out/sweep/suite.out" 2>&1
find "$out" -name 'kforge.db*' -delete
# One archive instead of hundreds of files (a device call returns a limited number of files).
tar -czf "$out/translated.tgz" -C "$out/sweep" translated && rm -rf "$out/sweep/translated"
tail -3 "$out/smoke/suite.out" "$out/sweep/suite.out"
