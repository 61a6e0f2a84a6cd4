"""lint_problem: each finding from a crafted reference, none from a healthy one; the op through the protocol."""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import random
import tempfile
import textwrap
import unittest
from pathlib import Path
from typing import Any
from unittest import mock

from kforge_worker.check import OutputReference
from kforge_worker.dispatch import Worker
from kforge_worker.lint import (CODES, WEIGHT_SEED_OFFSET, RebuiltModel, _fill_passes, _filled, _passes_everywhere,
                                lint_references, summarize)
from kforge_worker.protocol import TensorSpec
from kforge_worker.reference import LoadedProblem

HAS_NUMPY = importlib.util.find_spec("numpy") is not None
HAS_TORCH = HAS_NUMPY and importlib.util.find_spec("torch") is not None
EXAMPLES = Path(__file__).resolve().parent.parent / "protocol-examples"
E32 = 1e-7  # a typical eager float32 error for unit-scale values


def reference(values: list[float], e32: float = E32, dtype: str = "float32", name: str = "output0") -> OutputReference:
    return OutputReference(TensorSpec(name, (len(values),), dtype, "output"), list(values), e32)


def signed(seed: int, count: int = 64, scale: float = 1.0) -> list[float]:
    """Unit-scale signed values, different for every seed: the reference of a healthy problem."""
    draw = random.Random(seed)
    return [scale * draw.gauss(0.0, 1.0) for _ in range(count)]


def one_output(*per_set: list[float], **options: Any) -> list[list[OutputReference]]:
    return [[reference(values, **options)] for values in per_set]


def codes(findings: list[Any]) -> list[str]:
    return [finding.code for finding in findings]


HEALTHY = one_output(signed(1), signed(2), signed(3))
ALL_BUT_WEIGHTS = [code for code in CODES if code != "weight_independent"]


class HealthyProblemTests(unittest.TestCase):
    def test_healthy_reference_has_no_findings_and_every_code_but_weights_is_checked(self) -> None:
        findings, checked = lint_references(HEALTHY)
        self.assertEqual(findings, [])
        self.assertEqual(checked, ALL_BUT_WEIGHTS)

    def test_weight_dependent_rebuild_has_no_finding_and_weights_are_checked(self) -> None:
        rebuilt = RebuiltModel(42 + WEIGHT_SEED_OFFSET, [signed(99)], (), 2)
        findings, checked = lint_references(HEALTHY, rebuilt)
        self.assertEqual(findings, [])
        self.assertEqual(checked, list(CODES))

    def test_one_input_set_cannot_be_checked_for_input_independence(self) -> None:
        findings, checked = lint_references(one_output(signed(1)))
        self.assertEqual(findings, [])
        self.assertNotIn("input_independent", checked)

    def test_large_signed_outputs_pass_kernelbench_only_when_correct(self) -> None:
        findings, _ = lint_references(one_output(signed(1, scale=1e3), signed(2, scale=1e3)))
        self.assertEqual(findings, [])


class ZeroOutputTests(unittest.TestCase):
    def test_all_zero_reference_lets_zeros_pass_strict(self) -> None:
        findings, _ = lint_references(one_output([0.0] * 8, [0.0] * 8, [0.0] * 8))
        self.assertIn("zero_output_passes", codes(findings))
        self.assertNotIn("zero_output_passes_kernelbench", codes(findings))  # strict already says it
        self.assertNotIn("constant_output_passes", codes(findings))  # zero is the constant
        finding = findings[codes(findings).index("zero_output_passes")]
        self.assertEqual(finding.output, 0)
        self.assertTrue(finding.message.startswith("output0: "))
        self.assertIn("torch.randn", finding.message)

    def test_values_within_ten_e32_of_zero_pass_strict(self) -> None:
        near_zero = [1e-7, -3e-7, 5e-7]  # below 10 * e32 = 1e-6
        findings, _ = lint_references(one_output(near_zero, [-x for x in near_zero]))
        self.assertIn("zero_output_passes", codes(findings))

    def test_small_outputs_let_zeros_pass_only_under_kernelbench(self) -> None:
        findings, _ = lint_references(one_output(signed(1, scale=1e-3), signed(2, scale=1e-3)))
        self.assertNotIn("zero_output_passes", codes(findings))
        self.assertIn("zero_output_passes_kernelbench", codes(findings))
        self.assertIn("tiny_outputs", codes(findings))

    def test_zeros_must_pass_on_every_input_set(self) -> None:
        findings, _ = lint_references(one_output([0.0] * 64, signed(2)))
        self.assertNotIn("zero_output_passes", codes(findings))
        self.assertNotIn("tiny_outputs", codes(findings))


class ConstantOutputTests(unittest.TestCase):
    def test_nearly_constant_reference_lets_its_mean_pass(self) -> None:
        per_set = [[2.0 + 1e-9 * x for x in signed(seed)] for seed in (1, 2, 3)]
        findings, _ = lint_references(one_output(*per_set))
        self.assertIn("constant_output_passes", codes(findings))
        self.assertNotIn("zero_output_passes", codes(findings))
        message = findings[codes(findings).index("constant_output_passes")].message
        self.assertIn("the constant 2 ", message)

    def test_one_constant_serves_all_input_sets(self) -> None:
        # Each set is constant on its own, but the sets differ: no single number passes them all.
        findings, _ = lint_references(one_output([1.0] * 16, [3.0] * 16))
        self.assertNotIn("constant_output_passes", codes(findings))
        self.assertNotIn("input_independent", codes(findings))

    def test_spread_beyond_strict_is_not_constant(self) -> None:
        per_set = [[2.0 + 1e-3 * x for x in signed(seed)] for seed in (1, 2)]
        findings, _ = lint_references(one_output(*per_set))
        self.assertNotIn("constant_output_passes", codes(findings))


class InputIndependenceTests(unittest.TestCase):
    def test_same_reference_on_every_set_is_flagged(self) -> None:
        findings, _ = lint_references(one_output(signed(1), signed(1), signed(1)))
        self.assertEqual(codes(findings), ["input_independent"])
        self.assertIn("get_inputs()", findings[0].message)

    def test_differences_within_strict_still_count_as_the_same(self) -> None:
        first = signed(1)
        findings, _ = lint_references(one_output(first, [x + 5e-7 for x in first]))
        self.assertEqual(codes(findings), ["input_independent"])

    def test_one_different_set_clears_it(self) -> None:
        findings, _ = lint_references(one_output(signed(1), signed(1), signed(3)))
        self.assertEqual(findings, [])


class WeightIndependenceTests(unittest.TestCase):
    def test_same_outputs_from_other_weights_are_flagged_for_the_whole_problem(self) -> None:
        rebuilt = RebuiltModel(7961, [[x + 1e-8 for x in signed(1)]], (), 3)
        findings, checked = lint_references(HEALTHY, rebuilt)
        self.assertEqual(codes(findings), ["weight_independent"])
        self.assertIsNone(findings[0].output)
        self.assertIn("seed 7961", findings[0].message)
        self.assertIn("other parameters", findings[0].message)
        self.assertIn("weight_independent", checked)

    def test_deterministic_parameters_are_named(self) -> None:
        rebuilt = RebuiltModel(7961, [signed(1)], ("norm.weight", "norm.bias"), 2)
        findings, _ = lint_references(HEALTHY, rebuilt)
        self.assertEqual(codes(findings), ["weight_independent"])
        self.assertIn("norm.weight, norm.bias", findings[0].message)
        self.assertIn("initialized deterministically", findings[0].message)

    def test_every_output_must_match(self) -> None:
        references = [[reference(signed(seed)), reference(signed(seed + 10), name="output1")] for seed in (1, 2)]
        rebuilt = RebuiltModel(7961, [signed(1), signed(50)], (), 1)
        findings, _ = lint_references(references, rebuilt)
        self.assertEqual(findings, [])


class ReferenceShapeTests(unittest.TestCase):
    def test_non_finite_reference_is_counted_per_set(self) -> None:
        first = signed(1)
        first[3] = math.nan
        second = signed(2)
        second[0], second[1] = math.inf, -math.inf
        findings, _ = lint_references(one_output(first, second, signed(3)))
        self.assertEqual(codes(findings), ["non_finite_reference"])
        self.assertIn("3 NaN or infinite elements (input sets 0, 1, 64 elements each)", findings[0].message)

    def test_non_finite_reference_never_lets_a_finite_fill_pass(self) -> None:
        findings, _ = lint_references(one_output([1.0, math.nan], [1.0, math.nan]))
        self.assertEqual(codes(findings), ["non_finite_reference", "input_independent"])

    def test_tiny_outputs_below_kernelbench_atol(self) -> None:
        findings, _ = lint_references(one_output(signed(1, scale=2e-3), signed(2, scale=2e-3)))
        tiny = findings[codes(findings).index("tiny_outputs")]
        self.assertIn("below kernelbench's atol 0.01", tiny.message)
        findings, _ = lint_references(one_output(signed(1, scale=0.1), signed(2, scale=0.1)))
        self.assertNotIn("tiny_outputs", codes(findings))

    def test_integer_outputs_are_not_checked_for_tiny_values(self) -> None:
        findings, checked = lint_references(one_output([0, 0, 0], [0, 0, 0], dtype="int64"))
        self.assertNotIn("tiny_outputs", checked)
        self.assertEqual(codes(findings), ["zero_output_passes", "input_independent"])

    def test_findings_name_their_output(self) -> None:
        references = [[reference(signed(seed)), reference([0.0] * 4, name="output1")] for seed in (1, 2)]
        findings, _ = lint_references(references)
        self.assertEqual({(f.code, f.output) for f in findings},
                         {("zero_output_passes", 1), ("input_independent", 1), ("tiny_outputs", 1)})
        self.assertTrue(all(f.message.startswith("output1: ") for f in findings))


class FillShortcutTests(unittest.TestCase):
    """The min/max shortcut of _fill_passes must agree with the full comparison it skips."""

    def test_shortcut_agrees_with_the_full_comparison(self) -> None:
        from kforge_worker.check import TOLERANCES
        cases = [[0.0] * 4, [1e-7, -9e-7], [1e-6, -2e-6], signed(1), signed(2, scale=1e-3), [2.0 + 1e-9, 2.0],
                 [5e-3, -5e-3, 1e-2], [1.0, 1.0 + 2e-6], [-3.0]]
        for values in cases:
            for value in (0.0, sum(values) / len(values), 2.0, 1e-2):
                for policy in ("strict", "kernelbench"):
                    with self.subTest(values=values, value=value, policy=policy):
                        per_set = [reference(values)]
                        tolerance = TOLERANCES[policy]
                        full = _passes_everywhere(per_set, lambda r: _filled(r.expected, value), tolerance)
                        quick = _fill_passes(per_set, [summarize(values)], value, tolerance)
                        self.assertEqual(quick is None, full is None)


@unittest.skipUnless(HAS_NUMPY, "numpy is not installed; the numpy path runs on the GPU host")
class NumpyParityTests(unittest.TestCase):
    def test_arrays_give_the_same_findings_as_sequences(self) -> None:
        import numpy as np
        nan_set = signed(1)
        nan_set[2] = math.nan
        cases = [HEALTHY, one_output([0.0] * 8, [0.0] * 8), one_output(signed(1, scale=1e-3), signed(2, scale=1e-3)),
                 one_output(*[[2.0 + 1e-9 * x for x in signed(s)] for s in (1, 2)]), one_output(signed(1), signed(1)),
                 one_output(nan_set, signed(2))]
        for case in cases:
            arrays = [[OutputReference(r.spec, np.array(r.expected, dtype=np.float64), r.float32_error) for r in s]
                      for s in case]
            with self.subTest(case=codes(lint_references(case)[0])):
                self.assertEqual(lint_references(arrays), lint_references(case))
        rebuilt = RebuiltModel(7, [np.array(signed(1))], (), 1)
        arrays = [[OutputReference(r.spec, np.array(r.expected), r.float32_error) for r in s] for s in HEALTHY]
        self.assertEqual(codes(lint_references(arrays, rebuilt)[0]), ["weight_independent"])

    def test_summary_of_an_array_matches_the_sequence(self) -> None:
        import numpy as np
        values = signed(4) + [math.inf]
        array, sequence = summarize(np.array(values).reshape(5, 13)), summarize(values)
        self.assertEqual((array.count, array.finite_count, array.minimum, array.maximum),
                         (sequence.count, sequence.finite_count, sequence.minimum, sequence.maximum))
        self.assertAlmostEqual(array.finite_sum, sequence.finite_sum, places=12)


class LintProblemOpTests(unittest.TestCase):
    def setUp(self) -> None:
        self.worker = Worker()
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)

    def send(self, message: dict[str, Any]) -> dict[str, Any]:
        text, done = self.worker.handle_line(json.dumps(message))
        self.assertFalse(done)
        return json.loads(text)

    def test_lint_before_load_problem_is_a_bad_request(self) -> None:
        response = self.send({"v": 1, "id": 11, "op": "lint_problem"})
        self.assertEqual((response["id"], response["ok"], response["error"]["kind"]), (11, False, "bad_request"))
        self.assertIn("load_problem first", response["error"]["message"])

    def test_lint_of_a_loaded_problem_answers_findings_and_checked(self) -> None:
        references = one_output([0.0] * 4, [0.0] * 4)
        outputs = (references[0][0].spec,)
        self.worker._problem = LoadedProblem("p.py", "cpu", None, [(), ()], outputs, references)
        with mock.patch("kforge_worker.lint.rebuild_model", return_value=None) as rebuild:
            response = self.send({"v": 1, "id": 12, "op": "lint_problem"})
        rebuild.assert_called_once_with(self.worker._problem, 0 + WEIGHT_SEED_OFFSET)
        self.assertEqual(set(response), {"v", "id", "ok", "findings", "checked"})
        self.assertEqual((response["id"], response["ok"]), (12, True))
        self.assertEqual([(f["code"], f["output"]) for f in response["findings"]],
                         [("zero_output_passes", 0), ("input_independent", 0), ("tiny_outputs", 0)])
        for finding in response["findings"]:
            self.assertEqual(set(finding), {"code", "output", "message"})
        self.assertEqual(response["checked"], ALL_BUT_WEIGHTS)

    def test_golden_example_uses_known_codes_in_order(self) -> None:
        request, response = (json.loads(line) for line in
                             (EXAMPLES / "lint_problem.jsonl").read_text(encoding="utf-8").splitlines())
        self.assertEqual(set(request), {"v", "id", "op"})
        self.assertEqual(response["checked"], [code for code in CODES if code in response["checked"]])
        for finding in response["findings"]:
            self.assertEqual(set(finding), {"code", "output", "message"})
            self.assertIn(finding["code"], response["checked"])
        self.assertIn(None, [finding["output"] for finding in response["findings"]])


@unittest.skipUnless(HAS_TORCH, "torch and numpy are not installed; these run on the GPU host")
class TorchLintTests(unittest.TestCase):
    """load_problem then lint_problem on tiny problems, on CUDA where available and the CPU otherwise."""

    MODEL = """\
        import torch
        import torch.nn as nn


        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                {init}

            def forward(self, x):
                {forward}


        def get_inputs():
            return [{draw}]


        def get_init_inputs():
            return []
        """

    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = folder.name
        self.worker = Worker()
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)

    def lint(self, init: str, forward: str, draw: str = "torch.randn(32, 64)") -> dict[str, Any]:
        import torch
        path = os.path.join(self.folder, "problem.py")
        source = textwrap.dedent(self.MODEL).format(init=init, forward=forward, draw=draw)
        Path(path).write_text(source, encoding="utf-8")
        device = 0 if torch.cuda.is_available() else "cpu"
        loaded, _ = self.worker.handle_line(json.dumps({
            "v": 1, "id": 1, "op": "load_problem", "problem_path": path, "seeds": [5, 6, 7],
            "shm_dir": os.path.join(self.folder, "shm"), "device": device}))
        self.assertIs(json.loads(loaded)["ok"], True, loaded)
        text, _ = self.worker.handle_line('{"v":1,"id":2,"op":"lint_problem"}')
        response = json.loads(text)
        self.assertIs(response["ok"], True, text)
        return response

    def found(self, response: dict[str, Any]) -> list[tuple[str, int | None]]:
        return [(finding["code"], finding["output"]) for finding in response["findings"]]

    def test_healthy_linear_problem_is_clean_and_weights_are_checked(self) -> None:
        response = self.lint("self.linear = nn.Linear(64, 16)", "return self.linear(x)")
        self.assertEqual(response["findings"], [])
        self.assertEqual(response["checked"], list(CODES))

    def test_relu_of_non_negative_draws_lets_zeros_pass(self) -> None:
        response = self.lint("pass", "return torch.relu(-x)", draw="torch.rand(32, 64)")
        self.assertEqual(self.found(response), [("zero_output_passes", 0), ("input_independent", 0),
                                                ("tiny_outputs", 0)])
        self.assertNotIn("weight_independent", response["checked"])  # no parameters

    def test_default_layer_norm_parameters_are_weight_independent(self) -> None:
        response = self.lint("self.norm = nn.LayerNorm(64)", "return self.norm(x)")
        self.assertEqual(self.found(response), [("weight_independent", None)])
        self.assertIn("norm.weight, norm.bias", response["findings"][0]["message"])

    def test_a_cancelled_bias_is_weight_independent(self) -> None:
        response = self.lint("self.bias = nn.Parameter(torch.randn(1))",
                             "y = x + self.bias\n        return y - y.mean(dim=-1, keepdim=True)")
        self.assertEqual(self.found(response), [("weight_independent", None)])
        self.assertIn("other parameters", response["findings"][0]["message"])

    def test_fixed_inputs_are_input_independent(self) -> None:
        response = self.lint("self.linear = nn.Linear(64, 16)", "return self.linear(x)", draw="torch.ones(32, 64)")
        self.assertEqual(self.found(response), [("input_independent", 0)])


if __name__ == "__main__":
    unittest.main()
