"""Markdown speed table of translated kernels timed by run_suite.py (without --check-only), with the issue's targets.

    python3 tests/gpu/speed_table.py RESULTS.json [MORE_RESULTS.json ...]

Stdlib only. Reads the rows run_suite.py wrote for "translated <problem>" (each carries kforge verify's --json report);
a problem's row comes from the last file that has it. Per level: how many were timed and accepted, the geometric mean
of the speedups over torch eager and over torch.compile, and, for memory-bound problems (the memory floor is the
larger floor, or no compute floor is known), how many reach 0.85 of the bandwidth floor. Rows that were only checked
(verdict "correct") or rejected are listed without speed; they never enter a mean.

The compute floor is counted at the precision the reference runs in: torch runs fp32 convolutions on TF32 tensor cores
(torch.backends.cudnn.allow_tf32 is on by default) and fp32 matrix products on CUDA cores (matmul.allow_tf32 is off),
and strict precision holds our kernels to the same. So a problem with a convolution gets the TF32 dense rate for all of
its flops and any other the fp32 CUDA-core rate (a problem with both gets TF32 throughout, which keeps the floor a lower
bound). The "bound" column compares that floor with the memory floor. kforge's own compute floor (compute_floor_us)
uses the FP8 rate whatever the precision, a floor no kernel can beat, too low to say how far a kernel is from its own.
"""
from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOOR_TARGET = 0.85
# Dense peak rates in flops per second, by compute capability, from NVIDIA's datasheets: H100 SXM5 TF32 494.7 TFLOPS,
# FP32 66.9 TFLOPS (NVIDIA H100 Tensor Core GPU datasheet); A100 SXM4 TF32 156 TFLOPS, FP32 19.5 TFLOPS (NVIDIA A100
# Tensor Core GPU datasheet). Dense: without 2:4 sparsity.
RATES = {"9.0": {"tf32": 494.7e12, "fp32": 66.9e12}, "8.0": {"tf32": 156e12, "fp32": 19.5e12}}


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def precision_floor(report: dict) -> tuple[str, float | None]:
    """The precision whose rate counts the problem's flops ("tf32" when it has a convolution, else "fp32"), and its
    compute floor in µs; None where the flops or the GPU's rates are unknown."""
    problem = report.get("problem") or {}
    try:
        source = (ROOT / str(problem.get("path") or "")).read_text()
    except OSError:
        source = ""
    precision = "tf32" if re.search(r"\bconv", source, re.IGNORECASE) else "fp32"
    rate = RATES.get(str((report.get("environment") or {}).get("compute_capability")), {}).get(precision)
    flops = problem.get("flops")
    return precision, (flops / rate * 1e6 if flops and rate else None)


def memory_bound(timing: dict, compute: float | None) -> bool:
    memory = timing.get("memory_floor_us")
    return memory is not None and (compute is None or memory >= compute)


def load_rows(path: Path) -> list[dict]:
    """Rows of a run_suite results.json, or of a `kforge verify --json` document (one result, or a batch's
    {"results": [...]}: each kernel of a batch becomes its own row, named problem[kernel file stem])."""
    try:
        document = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        print(f"skipped {path}: {error}", file=sys.stderr)
        return []
    if isinstance(document, list):
        return [row for row in document if row.get("problem") and row.get("report")]
    results = document.get("results") if isinstance(document, dict) and "results" in document else [document]
    rows = []
    for report in results:
        problem = (report.get("problem") or {}).get("name") or path.stem
        label = Path(str((report.get("candidate") or {}).get("origin") or "")).stem
        rows.append({"problem": f"{problem}[{label}]" if len(results) > 1 and label else problem, "report": report})
    return rows


def main() -> int:
    rows: dict[str, dict] = {}
    for path in sys.argv[1:]:
        for row in load_rows(Path(path)):
            rows[row["problem"]] = row
    levels = {p.stem: p.parent.name for p in (ROOT / "problems").glob("level*/*.py")}
    levels.update({stem: levels.get(stem.split("[")[0], "?") for stem in rows})
    stats: dict[str, dict] = {}  # per level: "best" {problem: (median, x eager, x compile, memory fraction)}, "other" [kernel]
    print("| level | problem | verdict | median µs | eager µs | torch.compile µs | × eager | × compile | memory floor µs | "
          "compute floor µs (precision) | fraction of floor | bound |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for stem in sorted(rows, key=lambda s: (levels.get(s, "?"), s)):
        report = rows[stem]["report"]
        level = levels.get(stem, "?")
        timing = report.get("timing") or {}
        candidate = timing.get("candidate") or {}
        eager, compiled = timing.get("eager") or {}, timing.get("compiled") or {}
        level_stats = stats.setdefault(level, {"best": {}, "other": []})
        verdict = report.get("verdict", "?")
        if verdict != "accepted":
            level_stats["other"].append(stem)
            reason = report.get("failure_kind") or ""
            print(f"| {level} | {stem} | {verdict} {reason} | – | – | – | – | – | – | – | – | – |")
            continue
        precision, compute = precision_floor(report)
        bound = "memory" if memory_bound(timing, compute) else "compute"
        floor = timing.get("memory_floor_us") if bound == "memory" else compute
        median = candidate.get("median_us")
        fraction = floor / median if floor and median else None  # of the larger floor
        # A problem with several variants (problem[fp32], problem[tf32]) counts once, with its fastest accepted one.
        base = stem.split("[")[0]
        best = level_stats["best"].get(base)
        if best is None or (median or math.inf) < best[0]:
            level_stats["best"][base] = (median or math.inf, timing.get("speedup_over_eager"),
                                         timing.get("speedup_over_compiled"), fraction if bound == "memory" else None)
        print(f"| {level} | {stem} | accepted | {fmt(median)} | {fmt(eager.get('median_us'))} | "
              f"{fmt(compiled.get('median_us'))} | {fmt(timing.get('speedup_over_eager'))} | "
              f"{fmt(timing.get('speedup_over_compiled'))} | {fmt(timing.get('memory_floor_us'))} | {fmt(compute)} ({precision}) | "
              f"{fmt(fraction, 3)} | {bound} |")
    print()
    for level in sorted(stats):
        best = list(stats[level]["best"].values())
        over_eager = [entry[1] for entry in best if entry[1]]
        over_compiled = [entry[2] for entry in best if entry[2]]
        memory = [entry[3] for entry in best if entry[3] is not None]
        reached = sum(1 for f in memory if f >= FLOOR_TARGET)
        print(f"- {level}: {len(best)} problems timed and accepted, {len(stats[level]['other'])} kernels not; geometric-mean "
              f"speedup {fmt(geomean(over_eager))}x over eager, {fmt(geomean(over_compiled))}x over torch.compile; "
              f"memory-bound at >= {FLOOR_TARGET} of the bandwidth floor: {reached} of {len(memory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
