"""The functional form without torch: graph schema v1 dicts -> Python source, run against a fake ``torch.ops``.

The fake records every call, so the tests check what module_fn computes (which op, which arguments, in which order)
and that the file is a KernelBench-format problem (the worker's own read_problem accepts it).
"""

from __future__ import annotations

import ast
import json
import os
import tempfile
import unittest
from pathlib import Path
from typing import Any

from kforge_worker.errors import WorkerError
from kforge_worker.functional import ProblemText, functional_source, module_fn_source, python_string_literal
from kforge_worker.legacy_capture import rename_inputs
from kforge_worker.problem import read_problem

GRAPHS = Path(__file__).resolve().parents[2] / "tests" / "KernelForge.Translation.Tests" / "Graphs"
PROBLEM = ProblemText("problems/level1/p.py", "import torch\nclass Model: pass\ndef get_inputs(): return []\n"
                                              "def get_init_inputs(): return []\n", "ab" * 32)


def tensor(name: str, role: str = "input", target: str | None = None, shape: list[int] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "shape": shape or [4], "dtype": "float32", "role": role}
    if target is not None:
        entry["target"] = target
    return entry


def node(name: str, target: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    return {"name": name, "target": target, "args": list(args), "kwargs": kwargs, "shape": [4], "dtype": "float32"}


def graph(inputs: list[dict[str, Any]], nodes: list[dict[str, Any]], outputs: list[str]) -> dict[str, Any]:
    return {"schema_version": 1, "inputs": inputs, "nodes": nodes, "outputs": outputs}


def ref(name: str) -> dict[str, str]:
    return {"node": name}


class FakeTorch:
    """``torch.ops.<ns>.<op>.<overload>(...)`` returns ``(target, args, kwargs)``; dtypes and layouts are strings."""

    float32 = "torch.float32"
    strided = "torch.strided"

    def __init__(self) -> None:
        self.ops = _Path("")


class _Path:
    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> "_Path":
        return _Path(f"{self._path}.{name}" if self._path else name)

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return self._path, args, kwargs


class FakeTensor:
    device = "fake:3"


def run_module_fn(source_lines: list[str], *arguments: Any) -> Any:
    namespace: dict[str, Any] = {"torch": FakeTorch()}
    exec(compile("\n".join(source_lines), "<module_fn>", "exec"), namespace)  # generated code under test
    return namespace["module_fn"](*arguments)


class ModuleFnTests(unittest.TestCase):
    def test_relu_is_one_aten_call_returning_it(self) -> None:
        lines = module_fn_source(graph([tensor("x")], [node("relu", "aten.relu.default", ref("x"))], ["relu"]))

        self.assertIn("    relu = torch.ops.aten.relu.default(x)", lines)
        self.assertEqual("    return relu", lines[-1])
        self.assertEqual(("aten.relu.default", ("X",), {}), run_module_fn(lines, "X"))

    def test_golden_layer_norm_graph_unpacks_the_tuple_and_takes_parameters_in_abi_order(self) -> None:
        layer_norm = json.loads((GRAPHS / "layer_norm.json").read_text(encoding="utf-8"))

        lines = module_fn_source(layer_norm)

        self.assertEqual("def module_fn(x, p_norm_weight, p_norm_bias):", lines[0])
        self.assertIn("    getitem = native_layer_norm[0]", lines)
        self.assertIn("    native_layer_norm = torch.ops.aten.native_layer_norm.default(x, [8192], p_norm_weight, "
                      "p_norm_bias, 1e-05)", lines)
        # The fake op returns (target, args, kwargs); getitem 0 of it is the target.
        self.assertEqual("aten.native_layer_norm.default", run_module_fn(lines, "X", "W", "B"))

    def test_several_outputs_return_a_tuple_in_order(self) -> None:
        lines = module_fn_source(graph([tensor("x")], [node("neg", "aten.neg.default", ref("x")),
                                                       node("exp", "aten.exp.default", ref("neg"))], ["exp", "x", "neg"]))

        self.assertEqual("    return (exp, x, neg)", lines[-1])

    def test_constants_keep_their_exact_values(self) -> None:
        lines = module_fn_source(graph([tensor("x")], [node(
            "full", "aten.full.default", [2, 3], {"float": "nan"}, dtype={"dtype": "float32"},
            layout={"layout": "strided"}, pin_memory=False),
            node("mul", "aten.mul.Tensor", ref("x"), 0.1), node("clamp", "aten.clamp.default", ref("mul"), {"float": "-inf"}, None),
            node("gelu", "aten.gelu.default", ref("clamp"), approximate="tanh")], ["full", "gelu"]))
        text = "\n".join(lines)

        self.assertIn("torch.ops.aten.full.default([2, 3], float('nan'), dtype=torch.float32, layout=torch.strided, "
                      "pin_memory=False)", text)
        self.assertIn("torch.ops.aten.mul.Tensor(x, 0.1)", text)
        self.assertIn("torch.ops.aten.clamp.default(mul, float('-inf'), None)", text)
        self.assertIn("torch.ops.aten.gelu.default(clamp, approximate='tanh')", text)

    def test_device_arguments_use_the_first_arguments_device_not_the_export_device(self) -> None:
        lines = module_fn_source(graph([tensor("x")], [node("zeros", "aten.zeros.default", [4], device={"device": "cuda:0"})],
                                       ["zeros"]))

        self.assertNotIn("cuda", "\n".join(lines))
        self.assertEqual(("aten.zeros.default", ([4],), {"device": "fake:3"}), run_module_fn(lines, FakeTensor()))

    def test_unused_getitem_is_left_out_but_used_ones_stay(self) -> None:
        lines = module_fn_source(graph([tensor("x")], [node("max_1", "aten.max.dim", ref("x"), 0),
                                                       node("getitem", "getitem", ref("max_1"), 0),
                                                       node("getitem_1", "getitem", ref("max_1"), 1)], ["getitem"]))

        self.assertIn("    getitem = max_1[0]", lines)
        self.assertFalse(any("getitem_1" in line for line in lines))

    def test_names_that_shadow_what_module_fn_uses_are_renamed(self) -> None:
        lines = module_fn_source(graph([tensor("torch"), tensor("device")],
                                       [node("float", "aten.add.Tensor", ref("torch"), ref("device"))], ["float"]))

        self.assertEqual("def module_fn(v_torch, v_device):", lines[0])
        self.assertEqual(("aten.add.Tensor", (1, 2), {}), run_module_fn(lines, 1, 2))

    def test_unknown_argument_encoding_names_the_node(self) -> None:
        bad = graph([tensor("x")], [node("weird", "aten.relu.default", {"symint": "s0"})], ["weird"])

        with self.assertRaises(WorkerError) as raised:
            module_fn_source(bad)
        self.assertEqual("not_translatable", raised.exception.kind)
        self.assertIn("weird (aten.relu.default)", raised.exception.message)

    def test_target_that_is_no_overload_is_not_translatable(self) -> None:
        bad = graph([tensor("x")], [node("f", "os.system", "echo")], ["f"])

        with self.assertRaises(WorkerError) as raised:
            module_fn_source(bad)
        self.assertIn("os.system", raised.exception.message)

    def test_reference_to_a_later_node_is_not_translatable(self) -> None:
        bad = graph([tensor("x")], [node("a", "aten.neg.default", ref("b")), node("b", "aten.neg.default", ref("x"))], ["a"])

        with self.assertRaises(WorkerError) as raised:
            module_fn_source(bad)
        self.assertIn("'b'", raised.exception.message)


class FunctionalFileTests(unittest.TestCase):
    def source(self, inputs: list[dict[str, Any]], **kwargs: Any) -> str:
        nodes = [node("relu", "aten.relu.default", ref(inputs[0]["name"]))]
        return functional_source(graph(inputs, nodes, ["relu"]), PROBLEM, "2.5.1", "torch.export (core ATen)", **kwargs)

    def test_file_is_a_kernelbench_problem_with_header(self) -> None:
        text = self.source([tensor("x")])
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "p_functional.py")
            Path(path).write_text(text, encoding="utf-8")

            read_problem(path)  # compiles, and defines Model, get_inputs and get_init_inputs at top level

        self.assertIn("from problems/level1/p.py (sha256 " + "ab" * 32, text)
        self.assertIn("torch 2.5.1", text)
        self.assertIn("def forward(self, x, fn=module_fn):\n        return fn(x)", text)

    def test_parameters_and_buffers_are_registered_flat_in_abi_order(self) -> None:
        text = self.source([tensor("x"), tensor("p_fc_weight", "parameter", "fc.weight"),
                            tensor("p_fc_bias", "parameter", "fc.bias"), tensor("b_bn_running_mean", "buffer", "bn.running_mean")])

        self.assertIn("self.register_parameter('fc_weight', parameters['fc.weight'])\n"
                      "        self.register_parameter('fc_bias', parameters['fc.bias'])\n"
                      "        self.register_buffer('bn_running_mean', buffers['bn.running_mean'])", text)
        self.assertIn("return fn(x, self.fc_weight, self.fc_bias, self.bn_running_mean)", text)

    def test_flat_names_are_identifiers_distinct_from_module_attributes(self) -> None:
        text = self.source([tensor("x"), tensor("p_0_weight", "parameter", "0.weight"),
                            tensor("p_training", "parameter", "training"), tensor("p_a_b", "parameter", "a.b"),
                            tensor("p_a_b_1", "parameter", "a_b")])

        self.assertIn("self.register_parameter('parameter_0_weight', parameters['0.weight'])", text)
        self.assertIn("self.register_parameter('training_', parameters['training'])", text)
        self.assertIn("self.register_parameter('a_b', parameters['a.b'])", text)
        self.assertIn("self.register_parameter('a_b_', parameters['a_b'])", text)

    def test_parameter_without_qualified_name_is_not_translatable(self) -> None:
        with self.assertRaises(WorkerError) as raised:
            self.source([tensor("x"), tensor("p_w", "parameter")])
        self.assertIn("p_w", raised.exception.message)

    def test_long_signatures_wrap_one_argument_a_line(self) -> None:
        inputs = [tensor("x")] + [tensor(f"p_layer{i}_weight", "parameter", f"layer{i}.weight") for i in range(12)]

        text = self.source(inputs)

        ast.parse(text)
        self.assertIn("def module_fn(\n    x,\n    p_layer0_weight,\n", text)
        self.assertTrue(all(len(line) <= 120 for line in text.splitlines() if not line.startswith("#")))

    def test_the_embedded_problem_is_exactly_the_source(self) -> None:
        text = self.source([tensor("x")])
        tree = ast.parse(text)
        literal = next(statement.value for statement in tree.body if isinstance(statement, ast.Assign)
                       and getattr(statement.targets[0], "id", "") == "_PROBLEM_SOURCE")

        self.assertEqual(PROBLEM.source, ast.literal_eval(literal))


class StringLiteralTests(unittest.TestCase):
    def test_round_trips_awkward_text(self) -> None:
        for text in ["plain\n", 'a """docstring""" and \\n escapes\n', "''' triple single '''", "ends with \\",
                     "windows\r\nline\r\n", "tab\tand unicode \u00e9\n", ""]:
            with self.subTest(text=text):
                self.assertEqual(text, ast.literal_eval(python_string_literal(text)))

    def test_plain_source_stays_readable(self) -> None:
        self.assertEqual("r'''x = '\\\\n'\n'''", python_string_literal("x = '\\\\n'\n"))


class RenameInputsTests(unittest.TestCase):
    def test_placeholders_take_the_wanted_names_everywhere(self) -> None:
        traced = graph([tensor("arg0_1"), tensor("arg1_1", "parameter", "fc.weight")],
                       [node("t", "aten.t.default", ref("arg1_1")), node("mm", "aten.mm.default", ref("arg0_1"), ref("t")),
                        node("cat", "aten.cat.default", [ref("mm"), ref("arg0_1")], dim=0)], ["cat", "arg0_1"])

        renamed = rename_inputs(traced, {"arg0_1": "x", "arg1_1": "p_fc.weight"})

        self.assertEqual(["x", "p_fc_weight"], [entry["name"] for entry in renamed["inputs"]])
        self.assertEqual([ref("x"), ref("t")], renamed["nodes"][1]["args"])
        self.assertEqual([[ref("mm"), ref("x")]], renamed["nodes"][2]["args"])
        self.assertEqual(["cat", "x"], renamed["outputs"])

    def test_a_wanted_name_that_a_node_has_gets_a_suffix(self) -> None:
        traced = graph([tensor("arg0_1")], [node("relu", "aten.relu.default", ref("arg0_1"))], ["relu"])

        renamed = rename_inputs(traced, {"arg0_1": "relu"})

        self.assertEqual("relu_1", renamed["inputs"][0]["name"])
        self.assertEqual([ref("relu_1")], renamed["nodes"][0]["args"])


if __name__ == "__main__":
    unittest.main()
