#!/usr/bin/env bash
# One device call in bounded steps (carry artifacts/kforge-publish.tar.gz, a publish/ of kforge): each step runs in its
# own process group, is killed when its seconds are up, and its output folder is packed into $OUT/<step>.tgz as soon as
# it ends, so a call cut short by the device's time limit still brings back what finished. Logs: $OUT/logs/<step>.log.
#
#   STEPS="probe:35:bash tests/gpu/cudnn/probe.sh
#   c:110:python3 tests/gpu/run_suite.py --kforge publish/kforge --out \$OUT/c --skip-cases --skip-throughput --levels 1,2 --translated conv2d,conv1d --check-only --verify-jobs 4
#   a:100:python3 tests/gpu/run_suite.py --kforge publish/kforge --out \$OUT/a --skip-translated --repeat 1 --throughput-after 1 --variants 50 --only relu_abi" \
#     bash scripts/gpu-bounded-call.sh
#
# A step is name:seconds:command, one per line; the command may use $OUT (escaped as above). Used for the 2026-12-07
# (sixth session) call, docs/results/2026-12-07f-h100-cudnn-throughput.md.
set -uo pipefail
cd "$(dirname "$0")/.."
[[ -d publish ]] || tar -xzf artifacts/kforge-publish.tar.gz
export PATH=/usr/local/cuda/bin:$PATH PYTHONUNBUFFERED=1
OUT="${OUT:-artifacts/gpu}"
export OUT
mkdir -p "$OUT/logs"
nvidia-smi > "$OUT/logs/nvidia-smi.txt" 2>&1
while IFS= read -r step; do
  [[ -z $step ]] && continue
  name=${step%%:*}; rest=${step#*:}; secs=${rest%%:*}; command=${rest#*:}
  setsid bash -c "$command" > "$OUT/logs/$name.log" 2>&1 &
  pid=$! end=$(( $(date +%s) + secs ))
  while kill -0 $pid 2>/dev/null; do
    if (( $(date +%s) > end )); then echo "$name: killed after $secs s" >> "$OUT/logs/$name.log"; kill -- -$pid; sleep 2; kill -9 -- -$pid 2>/dev/null; break; fi
    sleep 1
  done
  wait $pid; echo "$name exit $? at $(date +%T)"
  [[ -d "$OUT/$name" ]] && (cd "$OUT" && tar -czf "$name.tgz" "$name" && rm -rf "$name")
done <<< "${STEPS:?set STEPS to name:seconds:command lines}"
