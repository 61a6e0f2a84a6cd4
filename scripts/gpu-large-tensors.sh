#!/usr/bin/env bash
# Tensors past .NET's one-array limit (2 GiB) and int32 flat indexes (2^31 elements), end to end on a GPU host (carry a
# publish/ of kforge): each problem of tests/gpu/large/ (or PROBLEMS=path,path) is translated with the pure-cuda
# policy (own kernels only, so the generated indexing is what runs) and checked with kforge verify --check-only, one at
# a time (an 8 GiB input is 24 GiB in each of the worker and the runner for three input sets).
# BUDGET_S (default 250): no step starts or outlives it, so that nothing of this script holds the GPU after it returns
# (on 2026-12-07 an outer `timeout` killed the script, and its kforge verify went on holding 60 GB of the GPU).
# Results: $OUT/large/<stem>.{json,err,translate.json,translate.err} and the memory seen: $OUT/large/memory.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-artifacts/gpu}/large"
mkdir -p "$out/kernels"
export PATH=/usr/local/cuda/bin:$PATH PYTHONUNBUFFERED=1
{ df -h /dev/shm; free -g; nvidia-smi --query-gpu=memory.total,memory.used --format=csv; } > "$out/memory.txt" 2>&1
budget="${BUDGET_S:-250}"
begin=$(date +%s)
left() { echo $(( budget - ($(date +%s) - begin) )); }
problems="${PROBLEMS:-$(ls tests/gpu/large/*.py | tr '\n' ',')}"
for problem in ${problems//,/ }; do
  stem=$(basename "$problem" .py)
  kernel="$out/kernels/$stem/kernel.cu"
  (( $(left) > 30 )) || { echo "$stem: not run (budget of $budget s spent)"; continue; }
  start=$(date +%s)
  timeout -k 10 "$(left)" publish/kforge translate "$problem" --out "$kernel" --library-policy pure-cuda --json \
    > "$out/$stem.translate.json" 2> "$out/$stem.translate.err"
  echo "translate $stem: exit $? in $(( $(date +%s) - start )) s"
  [[ -f $kernel ]] || continue
  start=$(date +%s)
  (( $(left) > 30 )) || { echo "verify $stem: not run (budget of $budget s spent)"; continue; }
  timeout -k 10 "$(left)" publish/kforge verify --problem "$problem" --kernel "$kernel" --check-only --library-policy pure-cuda \
    --json > "$out/$stem.json" 2> "$out/$stem.err"
  code=$?
  verdict=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get('verdict'), d.get('failure_kind') or '')" "$out/$stem.json" 2>/dev/null)
  echo "verify $stem: exit $code in $(( $(date +%s) - start )) s: ${verdict:-no report, see $stem.err}"
  { echo "after $stem:"; free -g | sed -n 2p; } >> "$out/memory.txt"
done
