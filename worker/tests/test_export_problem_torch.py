"""``export_graph`` with a ``problem_path`` (what ``kforge translate`` sends), with real torch. Skipped without torch.

On a machine without CUDA (CI) the model is built on the CPU; on torch without ``torch.export`` (Debian's 1.13) the
graph comes from make_fx with core-ATen-like decompositions.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import textwrap
import unittest
from pathlib import Path

from kforge_worker.dispatch import Worker

HAS_TORCH = importlib.util.find_spec("torch") is not None and importlib.util.find_spec("numpy") is not None

PROBLEM = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.linear = nn.Linear(features, features)

    def forward(self, x):
        return torch.nn.functional.hardswish(self.linear(x))


def get_inputs():
    return [torch.randn(8, 16)]


def get_init_inputs():
    return [16]
"""


@unittest.skipUnless(HAS_TORCH, "needs torch and numpy")
class ExportProblemTests(unittest.TestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.path = Path(self.folder.name) / "linear_hardswish.py"
        self.path.write_text(textwrap.dedent(PROBLEM), encoding="utf-8")

    def tearDown(self) -> None:
        self.folder.cleanup()

    def _ask(self, worker: Worker, request: dict) -> dict:
        line, _ = worker.handle_line(json.dumps({"v": 1, "id": 1, **request}))
        return json.loads(line)

    def test_a_problem_path_is_exported_without_loading_it(self) -> None:
        worker = Worker()
        response = self._ask(worker, {"op": "export_graph", "problem_path": str(self.path), "seed": 1001, "device": 0})

        self.assertTrue(response["ok"], response)
        graph = response["graph"]
        self.assertEqual([(entry["name"], entry["role"], entry["shape"]) for entry in graph["inputs"]],
                         [("x", "input", [8, 16]), ("p_linear_weight", "parameter", [16, 16]),
                          ("p_linear_bias", "parameter", [16])])
        targets = [node["target"] for node in graph["nodes"]]
        self.assertTrue(any("addmm" in t or "mm" in t for t in targets), targets)
        self.assertNotIn("aten.hardswish.default", targets)  # decomposed, as core ATen does
        # Nothing was loaded: a request that needs a loaded problem still says so.
        self.assertEqual(self._ask(worker, {"op": "export_graph"})["error"]["kind"], "bad_request")

    def test_a_missing_problem_is_problem_not_found(self) -> None:
        response = self._ask(Worker(), {"op": "export_graph", "problem_path": str(self.path) + ".missing"})

        self.assertFalse(response["ok"])
        self.assertEqual(response["error"]["kind"], "problem_not_found")


if __name__ == "__main__":
    unittest.main()
