"""The translator on this repository's own problems, without a GPU: trace → translate → run on the CPU → compare with Model.

For each problem under problems/level*: its integer size constants are shrunk (so a CPU stand-in can run every CUDA
thread), the Model is traced to ATen ops with Debian's torch (make_fx with core-ATen-like decompositions; torch 1.13
has no torch.export, so graphs resemble but do not equal what the GPU host's torch 2.x exports), written as a schema v1
graph with the worker's own encoder, translated with `kforge translate --graph`, built against include/cuda_runtime.h,
run under AddressSanitizer, and compared with the Model's own float64 output.

Prints one line per problem: ok, gap (the translator declined: a coverage gap, with its diagnostic), FAIL (a translated
kernel gave wrong results or crashed: a translator bug), or skip (tracing or shrinking failed). Ends with
"N passed, N failed" where gaps and skips count as neither. Not GPU evidence; see README.md.

    /usr/bin/python3 tests/emulation/problems.py --kforge src/KernelForge.Cli/bin/Debug/net10.0/kforge.dll [--only relu,conv2d]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "worker" / "src"))
sys.path.insert(0, str(HERE))

from emulate import asan_preload, build_emulation, run_entry  # noqa: E402
from kforge_worker.legacy_capture import trace_graph  # noqa: E402
from kforge_worker.problem import execute_problem, model_state, read_problem  # noqa: E402
from kforge_worker.reference import float64_copy  # noqa: E402


def shrink(value: int) -> int:
    """Smaller sizes that keep divisibility for the common cases (channels vs groups, even lengths)."""
    if value >= 16384:
        return max(64, value // 1024)
    if value >= 4096:
        return max(16, value // 256)
    if value >= 512:
        return max(16, value // 32)
    if value >= 64:
        return max(8, value // 8)
    return value


def trace(torch, model, inputs) -> tuple[dict, list]:
    """The graph as kforge translate captures it on this torch (legacy_capture: make_fx with CORE_ATEN_LIKE), and the
    kernel's arguments in ABI order (inputs, then problem.model_state: parameters, buffers, tensor attributes)."""
    graph = trace_graph(torch, model, inputs, decompose=True)
    state = [tensor for _, tensor, _ in model_state(model, torch.Tensor)]
    return graph, [*inputs, *state]


def check(path: Path, kforge: list[str], work: Path, asan: str, timeout_s: int, library_policy: str = "allow-libraries") -> tuple[str, str]:
    import torch
    source = read_problem(str(path))
    namespace = execute_problem(source)
    for key, value in list(namespace.items()):
        if isinstance(value, int) and not isinstance(value, bool) and not key.startswith("_"):
            namespace[key] = shrink(value)
    try:
        torch.manual_seed(0)
        model = namespace["Model"](*namespace["get_init_inputs"]())  # training mode, as the worker runs it
        torch.manual_seed(1)
        inputs = list(namespace["get_inputs"]())
        if any(not isinstance(t, torch.Tensor) or not (t.is_floating_point() or t.dtype == torch.int64) for t in inputs):
            return "skip", "an input that is neither float nor int64 (the translator takes float32, and int64 converted to float)"
        # Before the trace: make_fx tags the tensors it traces (torch 1.13 keeps its proxies in their __dict__), after
        # which a tensor attribute (self.h0) no longer deep-copies.
        model64 = float64_copy(model, [])
        graph, arguments = trace(torch, model, inputs)
    except Exception as error:  # noqa: BLE001 - any failure here is the tracer's or the shrink's, reported as a skip
        return "skip", f"trace: {type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}"
    stem = f"{path.parent.name}_{path.stem}"
    graph_path, cu_path = work / f"{stem}.json", work / f"{stem}.cu"
    graph_path.write_text(json.dumps(graph, indent=1))
    translate = subprocess.run([*kforge, "translate", str(path), "--graph", str(graph_path), "-o", str(cu_path), "--json",
                                "--library-policy", library_policy],
                               capture_output=True, text=True, cwd=ROOT)
    if translate.returncode == 3:
        try:
            diagnostics = json.loads(translate.stdout).get("diagnostics", [])
            return "gap", str(diagnostics[0])[:240] if diagnostics else translate.stderr.strip()[-200:]
        except json.JSONDecodeError:
            return "gap", translate.stderr.strip()[-200:]
    if translate.returncode != 0:
        return "FAIL", f"translate exited {translate.returncode}: {(translate.stdout + translate.stderr).strip()[-300:]}"
    library, error = build_emulation(cu_path, work / f"{stem}.so")
    if library is None:
        return "FAIL", error
    with torch.no_grad():
        expected = model64(*[t.double() if t.is_floating_point() else t for t in inputs])
    expected = list(expected) if isinstance(expected, (tuple, list)) else [expected]
    tensors_path = work / f"{stem}.pt"
    torch.save({"arguments": arguments, "expected": expected}, tensors_path)
    env = dict(os.environ, LD_PRELOAD=asan, ASAN_OPTIONS="detect_leaks=0")
    try:
        run = subprocess.run([sys.executable, __file__, "--child", str(library), str(tensors_path)],
                             capture_output=True, text=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return "skip", f"the CPU stand-in took over {timeout_s} s (too many CUDA threads even shrunk)"
    detail = (run.stdout + run.stderr).strip().splitlines()
    if run.returncode == 0:
        return "ok", detail[-1] if detail else ""
    return "FAIL", "\n".join(detail[-12:])


def child(library: str, tensors_path: str) -> int:
    import torch
    data = torch.load(tensors_path)
    arguments = [(t.float() if t.is_floating_point() else t).contiguous() for t in data["arguments"]]
    return run_entry(torch, library, arguments, data["expected"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kforge", help="the kforge executable (or kforge.dll, run with dotnet)")
    parser.add_argument("--only", help="comma-separated problem stems")
    parser.add_argument("--files", help="comma-separated problem files to check instead of problems/level* (e.g. a new "
                                        "problem before it joins the suite)")
    parser.add_argument("--levels", default="1,2,3")
    parser.add_argument("--keep", help="keep the generated files in this folder")
    parser.add_argument("--timeout", type=int, default=180, help="seconds one problem may run on the CPU stand-in (default 180)")
    parser.add_argument("--library-policy", default="allow-libraries", choices=["allow-libraries", "pure-cuda"],
                        help="passed to kforge translate: GEMMs on cuBLAS (the CPU stand-in in include/cublas_v2.h) or own kernels")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kforge-problems-"))
    work.mkdir(parents=True, exist_ok=True)
    kforge = [args.kforge] if not args.kforge.endswith(".dll") else ["dotnet", args.kforge]
    wanted = set(args.only.split(",")) if args.only else None
    asan = asan_preload()
    counts = {"ok": 0, "FAIL": 0, "gap": 0, "skip": 0}
    if args.files:
        paths = [Path(file).resolve() for file in args.files.split(",")]
    else:
        paths = [path for level in args.levels.split(",")
                 for path in sorted((ROOT / "problems" / f"level{level.strip()}").glob("*.py"))
                 if wanted is None or path.stem in wanted]
    for path in paths:
        verdict, detail = check(path, kforge, work, asan, args.timeout, args.library_policy)
        counts[verdict] += 1
        print(f"{verdict:<4} {path.parent.name}/{path.stem}: {detail}", flush=True)
    print(f"translated and right: {counts['ok']}; wrong: {counts['FAIL']}; coverage gaps: {counts['gap']}; skipped: {counts['skip']}")
    print(f"{counts['ok']} passed, {counts['FAIL']} failed")
    return 0 if counts["FAIL"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
