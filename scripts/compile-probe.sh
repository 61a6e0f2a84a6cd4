#!/usr/bin/env bash
# Compile-latency probe: times nvcc on one ABI kernel with variants of the flags, cold (fresh output each time),
# and prints nvcc's own per-phase times. Diagnostic only; writes under $1 (default: a temp folder).
set -u
out="${1:-$(mktemp -d)}"; mkdir -p "$out"
nvcc="${NVCC:-nvcc}"; src="${2:-examples/softmax_abi.cu}"
cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '.'); cc="${cc:-${CC_FALLBACK:-90}}"
arch="${cc}"; [ "$cc" = "90" ] && arch="90a"
base=(-O3 -lineinfo -gencode=arch=compute_${arch},code=sm_${arch} -Xcompiler -fPIC -shared -cudart shared -Xptxas -v -I abi ${CCBIN:+-ccbin $CCBIN})
time_it() { # name, extra flags...
  local name="$1"; shift; local t=""
  for i in 1 2 3 4 5; do
    local s=$(date +%s%N)
    "$nvcc" "${base[@]}" "$@" -o "$out/$name-$i.so" "$src" >/dev/null 2>&1 || echo "$name failed"
    local e=$(date +%s%N); t="$t $(( (e - s) / 1000000 ))"
  done
  echo "$name ms:$t"
}
time_it baseline
time_it host_O0 -Xcompiler -O0
time_it no_lineinfo_host_O0 -Xcompiler -O0 -Xptxas -O3
time_it ptx_O1 -Xptxas -O1
"$nvcc" "${base[@]}" -time "$out/phases.csv" -o "$out/phases.so" "$src" >/dev/null 2>&1
cat "$out/phases.csv"
"$nvcc" "${base[@]}" --dryrun -o "$out/dry.so" "$src" 2>&1 | tee "$out/dryrun.txt"
base_c=(); for a in "${base[@]}"; do [ "$a" = "-shared" ] || base_c+=("$a"); done
# Object only (no device link step: not needed without -rdc), then a plain host link.
t=""
for i in 1 2 3 4 5; do
  s=$(date +%s%N)
  "$nvcc" "${base_c[@]}" -c -o "$out/obj-$i.o" "$src" >/dev/null 2>&1 || echo "obj failed"
  ${CCBIN:-g++} -shared -o "$out/obj-$i.so" "$out/obj-$i.o" -L"$(dirname "$(command -v "$nvcc")")/../lib64" -lcudart || echo "link failed"
  e=$(date +%s%N); t="$t $(( (e - s) / 1000000 ))"
done
echo "object_then_link ms:$t"
"$nvcc" "${base_c[@]}" -c --dryrun -o "$out/dry.o" "$src" 2>&1 | tee "$out/dryrun_c.txt"
"$nvcc" "${base_c[@]}" -c -time "$out/phases_c.csv" -o "$out/phases_c.o" "$src" >/dev/null 2>&1; cat "$out/phases_c.csv"
