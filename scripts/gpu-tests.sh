#!/usr/bin/env bash
# GPU test suite in one go: builds the self-contained linux-x64 kforge when the .NET SDK is here, then runs
# tests/gpu/run_suite.py on the GPU (end-to-end verify of honest and adversarial kernels, stability, the
# no-GPU environment error, compile latency and evaluation throughput). Logs and results go to $OUT or artifacts/gpu.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-artifacts/gpu}"
mkdir -p "$out"
if command -v dotnet >/dev/null 2>&1; then
  dotnet publish src/KernelForge.Cli -c Release -r linux-x64 --self-contained -o publish -nologo -v quiet || exit 1
fi
if [ ! -x publish/kforge ]; then
  echo "gpu-tests: publish/kforge is missing; run this script once on a machine with the .NET 10 SDK (or carry publish/)." >&2
  exit 2
fi
# Cases of one problem share a kforge session (one problem load, one reference timing), honest kernels first in each;
# extra arguments go after these (e.g. --skip-translated, --only relu_abi,noop_abi, --order file).
PYTHONUNBUFFERED=1 python3 tests/gpu/run_suite.py --kforge publish/kforge --out "$out" --batch --order by-problem "$@"
