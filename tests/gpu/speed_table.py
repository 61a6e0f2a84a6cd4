"""Markdown speed table of translated kernels timed by run_suite.py (without --check-only), with the issue's targets.

    python3 tests/gpu/speed_table.py RESULTS.json [MORE_RESULTS.json ...]

Stdlib only. Reads the rows run_suite.py wrote for "translated <problem>" (each carries kforge verify's --json report);
a problem's row comes from the last file that has it. Per level: how many were timed and accepted, the geometric mean
of the speedups over torch eager and over torch.compile, and, for memory-bound problems (the memory floor is the
larger floor, or no compute floor is known), how many reach 0.85 of the bandwidth floor. Rows that were only checked
(verdict "correct") or rejected are listed without speed; they never enter a mean.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOOR_TARGET = 0.85


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def memory_bound(timing: dict) -> bool:
    memory, compute = timing.get("memory_floor_us"), timing.get("compute_floor_us")
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
    print("| level | problem | verdict | median µs | eager µs | torch.compile µs | × eager | × compile | floor µs | fraction of floor | bound |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
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
            print(f"| {level} | {stem} | {verdict} {reason} | – | – | – | – | – | – | – | – |")
            continue
        bound = "memory" if memory_bound(timing) else "compute"
        floor = timing.get("memory_floor_us") if bound == "memory" else timing.get("compute_floor_us")
        median = candidate.get("median_us")
        fraction = floor / median if floor and median else None  # of the larger floor; kforge's is the memory one
        # A problem with several variants (problem[fp32], problem[tf32]) counts once, with its fastest accepted one.
        base = stem.split("[")[0]
        best = level_stats["best"].get(base)
        if best is None or (median or math.inf) < best[0]:
            level_stats["best"][base] = (median or math.inf, timing.get("speedup_over_eager"),
                                         timing.get("speedup_over_compiled"), fraction if bound == "memory" else None)
        print(f"| {level} | {stem} | accepted | {fmt(median)} | {fmt(eager.get('median_us'))} | "
              f"{fmt(compiled.get('median_us'))} | {fmt(timing.get('speedup_over_eager'))} | "
              f"{fmt(timing.get('speedup_over_compiled'))} | {fmt(floor)} | {fmt(fraction, 3)} | {bound} |")
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
