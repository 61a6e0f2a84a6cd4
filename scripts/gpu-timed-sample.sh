#!/usr/bin/env bash
# Timed verification of translated kernels on a GPU host, alone on the GPU (carry a publish/ of kforge).
#  1. every problem of PROBLEMS is translated (6 at a time: exports only, before any timing starts); a problem named
#     with ":tf32" is translated a second time with --convolution-math tf32-tensor-cores;
#  2. each problem is verified and timed with one `kforge verify` (its variants as one batch: the reference, eager and
#     torch.compile are loaded and timed once, each kernel checked and timed), one problem at a time, until BUDGET_S
#     seconds have passed since the start.
# Results: $OUT/timed/<problem>.json (kforge verify --json), <problem>.err, translate logs, kernels/<problem>/*.cu.
# Table: python3 tests/gpu/speed_table.py $OUT/timed/*.json. PROBLEMS=level1,level2 times every problem of those levels
# (translations first, about 20 s each over 6 jobs; SKIP= leaves some out). The reports are also bundled as
# $OUT/timed-reports.tgz: on a device call, delete $OUT/timed after the script, since only a few loose files come back.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-artifacts/gpu}/timed"
budget="${BUDGET_S:-400}"
problems="${PROBLEMS:-hardswish,log_softmax,layer_norm,conv2d:tf32}"
# PROBLEMS=level1,level2 (or all) names every problem of those levels, for the suite's speed table (about 35 s a problem:
# split it over device calls with SKIP=stem,stem,... listing the ones already timed).
if [[ $problems =~ ^(all|level[0-9](,level[0-9])*)$ ]]; then
  [[ $problems == all ]] && problems=level1,level2,level3
  problems=$(for level in ${problems//,/ }; do ls problems/"$level"/*.py; done | xargs -n1 basename | sed 's/\.py$//' | paste -sd, -)
fi
if [[ -n ${SKIP:-} ]]; then
  problems=$(tr , '\n' <<< "$problems" | grep -vxF -f <(tr , '\n' <<< "$SKIP") | paste -sd, -)
fi
mkdir -p "$out/kernels"
export PATH=/usr/local/cuda/bin:$PATH PYTHONUNBUFFERED=1
start=$(date +%s)
path_of() { ls problems/level*/"$1".py 2>/dev/null | head -1; }

translate() {  # problem stem, math, kernel path
  local problem; problem=$(path_of "$1")
  publish/kforge translate "$problem" --out "$3" --convolution-math "$2" --json > "$3.translate.json" 2> "$3.translate.err"
  echo "translate $1 ($2): exit $?"
}
export -f translate path_of
jobs=()
for entry in ${problems//,/ }; do
  stem=${entry%%:*}; mkdir -p "$out/kernels/$stem"
  jobs+=("$stem fp32-fma $out/kernels/$stem/fp32.cu")
  [[ $entry == *:tf32 ]] && jobs+=("$stem tf32-tensor-cores $out/kernels/$stem/tf32.cu")
done
printf '%s\n' "${jobs[@]}" | xargs -P 6 -L 1 bash -c 'translate "$0" "$1" "$2"'
echo "translated in $(( $(date +%s) - start )) s"

for entry in ${problems//,/ }; do
  stem=${entry%%:*}
  elapsed=$(( $(date +%s) - start ))
  if (( elapsed > budget )); then echo "verify $stem: not run (budget of $budget s spent)"; continue; fi
  kernels=()
  for kernel in "$out/kernels/$stem/fp32.cu" "$out/kernels/$stem/tf32.cu"; do [[ -s $kernel ]] && kernels+=(--kernel "$kernel"); done
  if (( ${#kernels[@]} == 0 )); then echo "verify $stem: nothing translated"; continue; fi
  t0=$(date +%s)
  timeout 200 publish/kforge verify --problem "$(path_of "$stem")" "${kernels[@]}" --json --archive "$out/kforge.db" \
    > "$out/$stem.json" 2> "$out/$stem.err"
  echo "verify $stem: exit $?, $(( $(date +%s) - t0 )) s"
done
rm -f "$out"/kforge.db*
python3 tests/gpu/speed_table.py "$out"/*.json > "$out/table.md" 2>&1
# One archive of the reports: the device returns only a few loose files from $OUT (2026-12-07: 10 of 18 were left out).
tar -czf "$out/../timed-reports.tgz" -C "$out" --exclude kernels . && echo "reports: $(cd "$out/.." && pwd)/timed-reports.tgz"
tail -12 "$out/table.md"
