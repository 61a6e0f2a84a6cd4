#!/usr/bin/env bash
# The test command (README): worker unit tests (stdlib unittest) + every .NET test project. Needs no GPU.
# Ends with one line "N passed, N failed[, N skipped]" summing both.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)

# A Python with torch (Debian's CPU python3-torch in CI) also runs the worker's torch tests; without one they are skipped.
torch_python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c "import torch" >/dev/null 2>&1; then torch_python=$candidate; break; fi
done

echo "== worker (python unittest, ${torch_python:-python3 without torch})"
(cd worker && PYTHONPATH=src "${torch_python:-python3}" -m unittest discover -s tests -v) 2>&1 | tee "$results/python.log"
py_status=${PIPESTATUS[0]}
py_line=$(grep -E '^Ran [0-9]+ tests?' "$results/python.log" | tail -1)
py_total=$(echo "$py_line" | grep -oE '[0-9]+' | head -1); py_total=${py_total:-0}
py_failed=0
for n in $(grep -E '^FAILED \(' "$results/python.log" | tail -1 | grep -oE '(failures|errors)=[0-9]+' | grep -oE '[0-9]+'); do py_failed=$((py_failed + n)); done
py_skipped=$(grep -E '^(OK|FAILED) \(' "$results/python.log" | tail -1 | grep -oE 'skipped=[0-9]+' | grep -oE '[0-9]+' || true)
py_failed=${py_failed:-0}; py_skipped=${py_skipped:-0}
if [ "$py_status" -ne 0 ] && [ "$py_failed" -eq 0 ]; then py_failed=1; fi
py_passed=$((py_total - py_failed - py_skipped))

echo "== .NET (dotnet test)"
dotnet test KernelForge.slnx --logger "trx;LogFilePrefix=kf" --results-directory "$results/trx" 2>&1 | tee "$results/dotnet.log"
dn_status=${PIPESTATUS[0]}
read -r dn_passed dn_failed dn_skipped < <(python3 - "$results/trx" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s += int(c.get("notExecuted", 0))
print(p, f, s)
PY
)
if [ "$dn_status" -ne 0 ] && [ "$dn_failed" -eq 0 ]; then dn_failed=1; fi

echo "== generated kernels on the CPU (tests/emulation, needs torch and g++; not GPU evidence)"
em_passed=0; em_failed=0; em_skipped=0
kforge_dll=src/KernelForge.Cli/bin/Debug/net10.0/kforge.dll
if [ -n "$torch_python" ] && command -v g++ >/dev/null 2>&1 && [ -f "$kforge_dll" ]; then
  "$torch_python" tests/emulation/emulate.py --kforge "$kforge_dll" 2>&1 | tee "$results/emulation.log"
  em_status=${PIPESTATUS[0]}
  em_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$results/emulation.log" | tail -1)
  em_passed=$(echo "$em_line" | grep -oE '^[0-9]+'); em_passed=${em_passed:-0}
  em_failed=$(echo "$em_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+'); em_failed=${em_failed:-0}
  if [ "$em_status" -ne 0 ] && [ "$em_failed" -eq 0 ]; then em_failed=1; fi
else
  em_skipped=$("${torch_python:-python3}" -c "import ast,sys; t=ast.parse(open('tests/emulation/emulate.py').read()); print(next(len(n.value.keys) for n in ast.walk(t) if isinstance(n, ast.AnnAssign) and getattr(n.target, 'id', '') == 'CASES'))")
  echo "skipped: no Python with torch, no g++, or no kforge build"
fi

passed=$((py_passed + dn_passed + em_passed)); failed=$((py_failed + dn_failed + em_failed)); skipped=$((py_skipped + dn_skipped + em_skipped))
echo "worker: $py_passed passed, $py_failed failed; dotnet: $dn_passed passed, $dn_failed failed, $dn_skipped skipped; emulation: $em_passed passed, $em_failed failed, $em_skipped skipped"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
