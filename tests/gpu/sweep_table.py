"""Markdown table of a translator sweep (run_suite.py --check-only): one row per problem, later runs overriding earlier.

    python3 tests/gpu/sweep_table.py RESULTS.json [MORE_RESULTS.json ...]

Stdlib only. A problem's row comes from the last results.json that has it, so a re-run of failures overrides them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    rows: dict[str, dict] = {}
    for path in sys.argv[1:]:
        for row in json.loads(Path(path).read_text()):
            if row.get("problem"):
                rows[row["problem"]] = row
    levels = {p.stem: p.parent.name for p in (ROOT / "problems").glob("level*/*.py")}
    counts: dict[str, dict[str, int]] = {}
    print("| level | problem | outcome | detail |")
    print("|---|---|---|---|")
    for stem in sorted(rows, key=lambda s: (levels.get(s, "?"), s)):
        row = rows[stem]
        detail = row["detail"].replace("|", "\\|").replace("\n", " ")
        outcome = ("coverage gap" if "coverage gap" in detail else "correct" if row["passed"] else "FAILED")
        level = levels.get(stem, "?")
        counts.setdefault(level, {}).setdefault(outcome, 0)
        counts[level][outcome] += 1
        print(f"| {level} | {stem} | {outcome} | {detail[:220]} |")
    print()
    for level in sorted(counts):
        total = sum(1 for p in levels.values() if p == level)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts[level].items()))
        print(f"- {level}: {summary} (of {total} problems in the suite)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
