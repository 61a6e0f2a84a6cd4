#!/usr/bin/env bash
# The test command (README): worker unit tests (stdlib unittest) + every .NET test project. Needs no GPU.
# Ends with one line "N passed, N failed[, N skipped]" summing both.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)

echo "== worker (python unittest)"
(cd worker && PYTHONPATH=src python3 -m unittest discover -s tests -v) 2>&1 | tee "$results/python.log"
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

passed=$((py_passed + dn_passed)); failed=$((py_failed + dn_failed)); skipped=$((py_skipped + dn_skipped))
echo "worker: $py_passed passed, $py_failed failed; dotnet: $dn_passed passed, $dn_failed failed, $dn_skipped skipped"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
