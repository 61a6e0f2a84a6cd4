"""GPU test suite: runs the published kforge end to end on a GPU host and checks every verdict.

Stdlib only (the GPU host has Python; this file needs nothing from PyPI). Prints one row per case and ends with
"N passed, N failed". Also writes results.json and a Markdown summary under --out.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def verify(kforge: str, problem: str, kernels: list[str], archive: Path, extra_env: dict[str, str] | None = None,
           timeout_s: int = 900) -> tuple[int, dict | None, str, float]:
    env = dict(os.environ)
    env.update(extra_env or {})
    cmd = [kforge, "verify", "--problem", problem, "--json", "--archive", str(archive)]
    for kernel in kernels:
        cmd += ["--kernel", kernel]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout_s, cwd=ROOT)
    wall_s = time.monotonic() - started
    try:
        doc = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        doc = None
    return proc.returncode, doc, proc.stderr, wall_s


class Suite:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.rows: list[dict] = []

    def record(self, name: str, passed: bool, detail: str, **extra: object) -> None:
        self.rows.append({"name": name, "passed": passed, "detail": detail, **extra})
        print(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}", flush=True)


def run_cases(args: argparse.Namespace, suite: Suite, cache_dir: Path) -> None:
    cases = json.loads((ROOT / "tests/gpu/cases.json").read_text())
    env = {"KFORGE_CACHE_DIR": str(cache_dir)}
    for case in cases:
        repeats = int(case.get("repeat", 1))
        medians = []
        for attempt in range(repeats):
            code, doc, stderr, wall_s = verify(args.kforge, case["problem"], [case["kernel"]], args.out / "kforge.db", env)
            name = f"{Path(case['kernel']).name} on {Path(case['problem']).stem}" + (f" (run {attempt + 1})" if repeats > 1 else "")
            if doc is None:
                suite.record(name, False, f"exit {code}, no JSON; stderr: {stderr.strip()[-400:]}")
                break
            (args.out / "reports").mkdir(exist_ok=True)
            verdict = doc["verdict"]
            kind = doc.get("failure_kind")
            timing = doc["timing"]
            cand = timing.get("candidate") or {}
            compile_info = doc.get("compile") or {}
            ok = verdict == case["expect"] and (case["expect"] == "accepted" or kind == case.get("reason"))
            ok = ok and code == (0 if verdict == "accepted" else 1)
            if verdict == "accepted" and doc.get("warnings") and case.get("no_warnings", False):
                ok = False
            detail = f"{verdict}" + (f" ({kind}: {(doc.get('failure_message') or '')[:160]})" if kind else "")
            if cand:
                medians.append(cand["median_us"])
                detail += (f"; median {cand['median_us']:.2f} us, IQR {cand['iqr_us']:.2f}, n={cand['sample_count']}"
                           f"; eager {fmt(timing.get('eager'))} compile {fmt(timing.get('compiled'))}"
                           f"; speedup {num(timing.get('speedup_over_eager'))}x / {num(timing.get('speedup_over_compiled'))}x"
                           f"; floor {num(timing.get('fraction_of_floor'), 3)}")
            suite.record(name, ok, detail, expect=case["expect"], verdict=verdict, failure_kind=kind,
                         median_us=cand.get("median_us"), compile_seconds=compile_info.get("seconds"),
                         cache_hit=compile_info.get("cache_hit"), report=doc)
        if repeats > 1 and len(medians) == repeats:
            spread = (max(medians) - min(medians)) / min(medians)
            suite.record(f"stability of {Path(case['kernel']).name}", spread < 0.03,
                         f"medians {', '.join(f'{m:.2f}' for m in medians)} us, spread {spread * 100:.2f}% (< 3% required)")


def fmt(timing: dict | None) -> str:
    return "-" if not timing else f"{timing['median_us']:.2f} us"


def num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def run_no_gpu(args: argparse.Namespace, suite: Suite) -> None:
    code, doc, stderr, _ = verify(args.kforge, "problems/level1/relu.py", ["examples/relu_abi.cu"], args.out / "kforge.db",
                                  {"CUDA_VISIBLE_DEVICES": ""}, timeout_s=120)
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    ok = code == 2 and len(lines) == 1 and "Traceback" not in stderr and "   at " not in stderr
    suite.record("no visible GPU -> one-sentence environment error, exit 2", ok, f"exit {code}; stderr: {stderr.strip()[:300]}")


def run_throughput(args: argparse.Namespace, suite: Suite) -> None:
    """Generates distinct small kernels (variants of one honest kernel) and verifies them as one batch."""
    variants_dir = Path(tempfile.mkdtemp(prefix="kforge-variants-"))
    template = (ROOT / "examples/relu_abi.cu").read_text()
    kernels = []
    for index in range(args.variants):
        path = variants_dir / f"relu_variant_{index:03d}.cu"
        # A distinct source per variant (a comment and a differently named unused constant) defeats the build cache.
        path.write_text(f"// variant {index}\nstatic const int kforge_variant_{index} = {index};\n" + template)
        kernels.append(str(path))
    cache_dir = Path(tempfile.mkdtemp(prefix="kforge-cache-"))
    code, doc, stderr, wall_s = verify(args.kforge, "problems/level1/relu.py", kernels, args.out / "kforge.db",
                                       {"KFORGE_CACHE_DIR": str(cache_dir)}, timeout_s=1800)
    if doc is None:
        suite.record("throughput batch", False, f"exit {code}; stderr {stderr.strip()[-400:]}")
        return
    results = doc.get("results", [])
    accepted = sum(1 for r in results if r["verdict"] == "accepted")
    per_hour = len(results) / wall_s * 3600 if wall_s > 0 else 0
    compile_s = sorted(r["compile"]["seconds"] for r in results if r.get("compile"))
    suite.record("throughput batch", accepted == len(results) == args.variants,
                 f"{len(results)} candidates ({accepted} accepted) in {wall_s:.1f} s wall = {per_hour:.0f} candidates/hour "
                 f"(target >= 3000); compile p50 with the pool full {statistics.median(compile_s):.2f} s",
                 candidates=len(results), wall_seconds=wall_s, candidates_per_hour=per_hour)
    shutil.rmtree(variants_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kforge", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--variants", type=int, default=60)
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    args.kforge = str(Path(args.kforge).resolve())
    suite = Suite(args.out)
    cache_dir = Path(tempfile.mkdtemp(prefix="kforge-cache-"))
    run_no_gpu(args, suite)
    run_cases(args, suite, cache_dir)
    # Cold-cache compile latency: the first run of each distinct kernel above compiled with an empty cache.
    cold = [r["compile_seconds"] for r in suite.rows if r.get("compile_seconds") is not None and r.get("cache_hit") is False]
    warm = [r["compile_seconds"] for r in suite.rows if r.get("compile_seconds") is not None and r.get("cache_hit") is True]
    if cold:
        p50 = statistics.median(cold)
        suite.record("compile latency (cold cache, one kernel at a time)", p50 <= 1.5,
                     f"p50 {p50:.2f} s over {len(cold)} builds (target <= 1.5 s); cache hits p50 "
                     f"{statistics.median(warm) if warm else float('nan'):.3f} s over {len(warm)}")
    if not args.skip_throughput:
        run_throughput(args, suite)
    (args.out / "results.json").write_text(json.dumps(
        [{k: v for k, v in row.items() if k != "report"} for row in suite.rows], indent=2))
    (args.out / "reports.json").write_text(json.dumps([row.get("report") for row in suite.rows if row.get("report")], indent=1))
    passed = sum(1 for row in suite.rows if row["passed"])
    failed = len(suite.rows) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
