"""``functionalize`` with real torch: this repository's problems (sizes shrunk) end to end. Skipped without torch.

Uses torch.export where torch has it (2.1+) and make_fx otherwise (Debian's torch 1.13 in CI), on the CPU, or on
CUDA where torch sees a device. Each test writes the functional file, checks it on three seeds, and the file is then
loaded by the worker's own load_problem, as any problem is.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import tempfile
import textwrap
import unittest
from pathlib import Path
from unittest import mock
from typing import Any

from kforge_worker.dispatch import Worker

HAS_TORCH = importlib.util.find_spec("torch") is not None and importlib.util.find_spec("numpy") is not None
PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
SIZE = re.compile(r"^([a-z_][a-z0-9_]*) = (\d+)$", re.MULTILINE)

BRANCHY = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return x


def get_inputs():
    return [torch.randn(8, 8)]


def get_init_inputs():
    return []
"""


# Running statistics (eval mode uses them) and a buffer of its own, registered before the parameters.
BUFFERED = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.rand(16) + 0.5)
        self.linear = nn.Linear(32, 16)
        self.bn = nn.BatchNorm1d(16)
        with torch.no_grad():
            self.bn.running_mean.normal_()
            self.bn.running_var.uniform_(0.5, 2.0)

    def forward(self, x):
        return torch.relu(self.bn(self.linear(x))) * self.scale


def get_inputs():
    return [torch.randn(64, 32)]


def get_init_inputs():
    return []
"""


def shrunk(source: str) -> str:
    """The problem with its top-level size constants cut down (64 and more -> an eighth), so the CPU runs it fast."""
    return SIZE.sub(lambda m: f"{m.group(1)} = {max(8, int(m.group(2)) // 8) if int(m.group(2)) >= 64 else m.group(2)}",
                    source)


def device_name() -> int | str:
    import torch
    return 0 if torch.cuda.is_available() else "cpu"


@unittest.skipUnless(HAS_TORCH, "torch and numpy are not installed; these run where torch is")
class FunctionalizeTorchTests(unittest.TestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = folder.name
        self.worker = Worker()
        self.next_id = 0
        logger = logging.getLogger("kforge_worker")
        previous = logger.level
        logger.setLevel(logging.ERROR)  # the make_fx warning is expected here
        self.addCleanup(logger.setLevel, previous)

    def send(self, op: str, **fields: Any) -> dict[str, Any]:
        self.next_id += 1
        text, _ = self.worker.handle_line(json.dumps({"v": 1, "id": self.next_id, "op": op, **fields}))
        return json.loads(text)

    def functionalize(self, name: str, source: str) -> tuple[dict[str, Any], str]:
        problem = os.path.join(self.folder, name + ".py")
        Path(problem).write_text(source, encoding="utf-8")
        output = os.path.join(self.folder, "out", name + "_functional.py")
        return self.send("functionalize", problem_path=problem, output_path=output, seeds=[1001, 2002, 3003],
                         device=device_name()), output

    def assert_functionalizes(self, relative: str) -> str:
        name = Path(relative).stem
        response, output = self.functionalize(name, shrunk((PROBLEMS / relative).read_text(encoding="utf-8")))

        self.assertTrue(response["ok"], response.get("error"))
        self.assertTrue(response["matches"], response["sets"])
        self.assertEqual([1001, 2002, 3003], [entry["seed"] for entry in response["sets"]])
        for entry in response["sets"]:
            self.assertLessEqual(entry["max_abs_error"], entry["allowed_max_abs_error"])
        loaded = self.send("load_problem", problem_path=output, seeds=[1001], shm_dir=os.path.join(self.folder, "shm"),
                           device=device_name())
        self.assertTrue(loaded["ok"], loaded.get("error"))
        return Path(output).read_text(encoding="utf-8")

    def test_relu_has_no_parameters(self) -> None:
        text = self.assert_functionalizes("level1/relu.py")

        self.assertIn("torch.ops.aten.relu.default(x)", text)
        self.assertIn("def forward(self, x, fn=module_fn):\n        return fn(x)", text)

    def test_conv2d_takes_weight_and_bias(self) -> None:
        text = self.assert_functionalizes("level1/conv2d.py")

        self.assertIn("def module_fn(x, p_conv_weight, p_conv_bias):", text)
        self.assertIn("self.register_parameter('conv_weight', parameters['conv.weight'])", text)

    def test_layer_norm_parameters_keep_their_seeded_values(self) -> None:
        self.assert_functionalizes("level1/layer_norm.py")

    def test_batch_norm_with_batch_statistics(self) -> None:
        self.assert_functionalizes("level1/batch_norm2d.py")

    def test_running_statistics_and_buffers_are_passed_after_parameters(self) -> None:
        response, output = self.functionalize("buffered", BUFFERED)

        self.assertTrue(response["ok"], response.get("error"))
        self.assertTrue(response["matches"], response["sets"])
        text = Path(output).read_text(encoding="utf-8")
        self.assertIn("self.register_buffer('bn_running_mean', buffers['bn.running_mean'])", text)
        self.assertIn("return fn(x, self.linear_weight, self.linear_bias, self.bn_weight, self.bn_bias, self.scale, "
                      "self.bn_running_mean, self.bn_running_var, self.bn_num_batches_tracked, )",
                      re.sub(r"\(\s+", "(", re.sub(r",\s+", ", ", text)))

    def test_a_wrong_form_is_written_and_reported_on_every_seed(self) -> None:
        from kforge_worker import functionalize as module
        real = module.functional_source

        def swapped(*args: Any, **kwargs: Any) -> str:  # weight and bias change places: a plausible generator bug
            return real(*args, **kwargs).replace("fn(x, self.norm_weight, self.norm_bias)",
                                                 "fn(x, self.norm_bias, self.norm_weight)")

        source = shrunk((PROBLEMS / "level1/layer_norm.py").read_text(encoding="utf-8"))
        with mock.patch.object(module, "functional_source", swapped):
            response, output = self.functionalize("layer_norm", source)

        self.assertTrue(response["ok"], response.get("error"))
        self.assertFalse(response["matches"])
        self.assertTrue(all(not entry["passed"] and "exceeds" in entry["message"] for entry in response["sets"]))
        self.assertTrue(os.path.exists(output))

    def test_data_dependent_branch_is_not_translatable_with_its_line(self) -> None:
        response, output = self.functionalize("branchy", BRANCHY)

        self.assertFalse(response["ok"])
        self.assertEqual("not_translatable", response["error"]["kind"])
        self.assertEqual(7, response["error"]["line"])
        self.assertIn("branchy.py:7", response["error"]["message"])
        self.assertFalse(os.path.exists(output))

    def test_compare_outputs_catches_each_kind_of_difference(self) -> None:
        import torch

        from kforge_worker.functionalize import compare_outputs
        reference = torch.tensor([1.0, 2.0, float("nan")])
        reference64 = reference.double()

        self.assertTrue(compare_outputs(torch, 1, [reference.clone()], [reference], [reference64]).passed)
        cases = {
            "outputs": ([reference, reference], [reference], [reference64]),
            "float32[2]": ([reference[:2]], [reference], [reference64]),
            "exceeds": ([reference + 1e-3], [reference], [reference64]),
            "non-finite": ([torch.tensor([1.0, 2.0, 3.0])], [reference], [reference64]),
            "integer": ([torch.tensor([1, 3])], [torch.tensor([1, 2])], [torch.tensor([1, 2])]),
        }
        for expected, (got, ref32, ref64) in cases.items():
            with self.subTest(expected):
                result = compare_outputs(torch, 1, got, ref32, ref64)
                self.assertFalse(result.passed)
                self.assertIn(expected, result.message)

    def test_rounding_within_four_times_eager_error_passes(self) -> None:
        import torch

        from kforge_worker.functionalize import compare_outputs
        exact = torch.tensor([1000.0, 1.0], dtype=torch.float64)
        eager = torch.tensor([1000.001, 1.0])  # eager errs by about 1e-3 here, so 4e-3 is allowed (floor: 1e-3)

        within = compare_outputs(torch, 1, [torch.tensor([999.998, 1.0])], [eager], [exact])
        beyond = compare_outputs(torch, 1, [torch.tensor([999.996, 1.0])], [eager], [exact])

        self.assertTrue(within.passed, within.message)
        self.assertFalse(beyond.passed)
        self.assertAlmostEqual(4 * (1000.001 - 1000.0), beyond.allowed_max_abs_error, delta=1e-4)


class ShrinkTests(unittest.TestCase):
    def test_only_top_level_sizes_of_64_and_more_shrink(self) -> None:
        source = textwrap.dedent("""\
            batch_size = 4096
            kernel_size = 3
            x = 5  # not a bare int line
                inner = 1024
            """)

        self.assertEqual("batch_size = 512\nkernel_size = 3\nx = 5  # not a bare int line\n    inner = 1024\n",
                         shrunk(source))


if __name__ == "__main__":
    unittest.main()
