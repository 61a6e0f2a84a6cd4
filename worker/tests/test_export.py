"""Graph export without torch: target and argument normalization, tensor metadata, input order, failures.

The fakes mimic what torch.export produces (FX nodes, FakeTensor metadata, graph signatures), and the graphs they
build are compared with the golden graphs the C# translator tests read, so both sides agree on schema v1.
"""

from __future__ import annotations

import json
import operator
import os
import unittest
from types import SimpleNamespace
from typing import Any

from kforge_worker.errors import WorkerError
from kforge_worker.export import (decomposition_table, export_failure, export_graph, graph_to_schema, normalize_arg,
                                  target_name, tensor_meta)

GRAPHS = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "KernelForge.Translation.Tests", "Graphs")

# Instances of these print and type-check like torch.dtype / torch.device (module "torch", type name as torch's).
FakeDtype = type("dtype", (), {"__module__": "torch", "__init__": lambda self, name: setattr(self, "n", name),
                               "__str__": lambda self: "torch." + self.n})
FakeDevice = type("device", (), {"__module__": "torch", "__str__": lambda self: "cuda:0"})
FLOAT32, INT64 = FakeDtype("float32"), FakeDtype("int64")


class OpOverload:
    """Prints as torch's OpOverload does: ``aten.relu.default``."""

    __module__ = "torch._ops.aten"

    def __init__(self, name: str) -> None:
        self._name = name

    def __str__(self) -> str:
        return self._name


class Node:
    """An FX node: the exporter recognizes nodes by their type name, ``op`` and ``name``."""

    def __init__(self, op: str, name: str, target: Any = None, args: tuple = (), kwargs: dict | None = None,
                 val: Any = None) -> None:
        self.op, self.name, self.target, self.args = op, name, target, args
        self.kwargs = kwargs or {}
        self.meta = {"val": val}


def tensor(*shape: Any, dtype: Any = FLOAT32) -> Any:
    return SimpleNamespace(shape=tuple(shape), dtype=dtype)


def constant(*values: Any, shape: tuple | None = None, dtype: Any = FLOAT32) -> Any:
    """A tensor's value as the exporter reads a lifted constant: shape, dtype, reshape(-1)[k].item()."""
    flat = [SimpleNamespace(item=lambda v=v: v) for v in values]
    return SimpleNamespace(shape=shape if shape is not None else (() if len(values) == 1 else (len(values),)), dtype=dtype,
                           reshape=lambda *_: flat)


def spec(kind: str, name: str, target: str | None = None) -> Any:
    return SimpleNamespace(kind=SimpleNamespace(name=kind), arg=SimpleNamespace(name=name), target=target)


def exported(nodes: list[Node], specs: list[Any]) -> Any:
    return SimpleNamespace(graph_module=SimpleNamespace(graph=SimpleNamespace(nodes=nodes)),
                           graph_signature=SimpleNamespace(input_specs=specs))


def golden(name: str) -> dict[str, Any]:
    with open(os.path.join(GRAPHS, name + ".json"), encoding="utf-8") as file:
        return json.load(file)


class DecompositionTableTests(unittest.TestCase):
    @staticmethod
    def fake_torch(table: Any) -> Any:
        return SimpleNamespace(export=SimpleNamespace(default_decompositions=lambda: table))

    def test_upsampling_ops_are_kept_whole_and_the_rest_decomposed(self) -> None:
        names = ["aten.upsample_bilinear2d.vec", "aten.upsample_bilinear2d.default", "aten.upsample_nearest2d.vec",
                 "aten.upsample_trilinear3d.default", "aten.upsample_bicubic2d.vec", "aten.silu.default", "aten.var_mean.correction"]
        table = {OpOverload(name): object() for name in names}

        kept = decomposition_table(self.fake_torch(table))

        self.assertEqual(sorted(str(op) for op in kept),
                         ["aten.silu.default", "aten.upsample_bicubic2d.vec", "aten.var_mean.correction"])

    def test_torch_without_default_decompositions_gets_none_for_the_default_table(self) -> None:
        self.assertIsNone(decomposition_table(SimpleNamespace(export=SimpleNamespace())))

    def test_a_table_that_is_not_a_mapping_falls_back_to_the_default_table(self) -> None:
        with self.assertLogs("kforge_worker.export", level="WARNING"):
            self.assertIsNone(decomposition_table(self.fake_torch(object())))


class TargetNameTests(unittest.TestCase):
    def test_overload_object_keeps_namespace_op_and_overload(self) -> None:
        self.assertEqual("aten.add.Tensor", target_name(OpOverload("aten.add.Tensor")))

    def test_operator_getitem_is_getitem(self) -> None:
        self.assertEqual("getitem", target_name(operator.getitem))

    def test_strings_lose_torch_ops_prefix_and_packets_get_default(self) -> None:
        self.assertEqual("aten.relu.default", target_name("torch.ops.aten.relu.default"))
        self.assertEqual("aten.relu.default", target_name("aten.relu"))


class NormalizeArgTests(unittest.TestCase):
    def test_scalars_lists_and_nodes(self) -> None:
        x = Node("placeholder", "x")
        self.assertEqual([{"node": "x"}, [8192], 1e-05, -1, False, None, "tanh"],
                         normalize_arg([x, [8192], 1e-05, -1, False, None, "tanh"]))

    def test_bool_stays_bool_not_int(self) -> None:
        self.assertIs(True, normalize_arg(True))

    def test_non_finite_floats_are_tagged_so_json_never_holds_nan(self) -> None:
        self.assertEqual([{"float": "inf"}, {"float": "-inf"}, {"float": "nan"}],
                         normalize_arg([float("inf"), float("-inf"), float("nan")]))
        json.dumps(normalize_arg([float("inf")]), allow_nan=False)

    def test_torch_objects_are_tagged_without_prefix(self) -> None:
        self.assertEqual({"dtype": "float32"}, normalize_arg(FLOAT32))
        self.assertEqual({"device": "cuda:0"}, normalize_arg(FakeDevice()))

    def test_unknown_object_is_not_translatable(self) -> None:
        with self.assertRaises(WorkerError) as raised:
            normalize_arg(object())
        self.assertEqual("not_translatable", raised.exception.kind)


class TensorMetaTests(unittest.TestCase):
    def test_tensor_and_tuple(self) -> None:
        self.assertEqual(([4, 8], "float32"), tensor_meta(tensor(4, 8)))
        self.assertEqual(([[4], [4]], ["float32", "int64"]), tensor_meta((tensor(4), tensor(4, dtype=INT64))))

    def test_non_tensor_has_no_meta(self) -> None:
        self.assertEqual((None, None), tensor_meta(3))

    def test_symbolic_extent_is_not_translatable(self) -> None:
        with self.assertRaises(WorkerError) as raised:
            tensor_meta(tensor("s0", 8))
        self.assertIn("dynamic shapes", raised.exception.message)


class GraphToSchemaTests(unittest.TestCase):
    def test_layer_norm_matches_the_golden_graph_with_inputs_in_abi_order(self) -> None:
        weight = Node("placeholder", "p_norm_weight", val=tensor(8192))
        bias = Node("placeholder", "p_norm_bias", val=tensor(8192))
        x = Node("placeholder", "x", val=tensor(8192, 8192))
        norm = Node("call_function", "native_layer_norm", OpOverload("aten.native_layer_norm.default"),
                    (x, [8192], weight, bias, 1e-05), val=(tensor(8192, 8192), tensor(8192, 1), tensor(8192, 1)))
        item = Node("call_function", "getitem", operator.getitem, (norm, 0), val=tensor(8192, 8192))
        program = exported([weight, bias, x, norm, item, Node("output", "output", args=((item,),))],
                           [spec("PARAMETER", "p_norm_weight", "norm.weight"), spec("PARAMETER", "p_norm_bias", "norm.bias"),
                            spec("USER_INPUT", "x")])

        graph = graph_to_schema(program, parameter_order=["norm.weight", "norm.bias"])

        self.assertEqual(golden("layer_norm"), graph)

    def test_swish_matches_the_golden_graph(self) -> None:
        x = Node("placeholder", "x", val=tensor(4096, 16384))
        mul = Node("call_function", "mul", OpOverload("aten.mul.Tensor"), (x, 1.5), val=tensor(4096, 16384))
        sig = Node("call_function", "sigmoid", OpOverload("aten.sigmoid.default"), (mul,), val=tensor(4096, 16384))
        out = Node("call_function", "mul_1", OpOverload("aten.mul.Tensor"), (x, sig), val=tensor(4096, 16384))
        program = exported([x, mul, sig, out, Node("output", "output", args=((out,),))], [spec("USER_INPUT", "x")])

        self.assertEqual(golden("swish"), graph_to_schema(program))

    def test_parameters_follow_named_parameters_order_not_export_order(self) -> None:
        a = Node("placeholder", "p_a", val=tensor(4))
        b = Node("placeholder", "p_b", val=tensor(4))
        x = Node("placeholder", "x", val=tensor(4))
        program = exported([a, b, x, Node("output", "output", args=((x,),))],
                           [spec("PARAMETER", "p_a", "a"), spec("PARAMETER", "p_b", "b"), spec("USER_INPUT", "x")])

        graph = graph_to_schema(program, parameter_order=["b", "a"])

        self.assertEqual(["x", "p_b", "p_a"], [entry["name"] for entry in graph["inputs"]])

    def test_assertion_nodes_are_dropped(self) -> None:
        x = Node("placeholder", "x", val=tensor(4))
        check = Node("call_function", "_assert", OpOverload("aten._assert_tensor_metadata.default"), (x,))
        program = exported([x, check, Node("output", "output", args=((x,),))], [spec("USER_INPUT", "x")])

        self.assertEqual([], graph_to_schema(program)["nodes"])

    def test_lifted_constant_of_many_elements_is_not_translatable(self) -> None:
        c = Node("placeholder", "c_lifted_tensor_0", val=tensor(4))
        program = exported([c, Node("output", "output", args=((c,),))], [spec("CONSTANT_TENSOR", "c_lifted_tensor_0", "lifted_tensor_0")])
        program.constants = {"lifted_tensor_0": constant(0.5, 0.5, 0.5, 0.5)}

        with self.assertRaises(WorkerError) as raised:
            graph_to_schema(program)
        self.assertEqual("not_translatable", raised.exception.kind)

    def test_lifted_constant_of_one_element_becomes_a_scalar_tensor_node(self) -> None:
        x = Node("placeholder", "x", val=tensor(4))
        c = Node("placeholder", "c_lifted_tensor_0", val=tensor())
        low = Node("call_function", "minimum", OpOverload("aten.minimum.default"), (x, c), val=tensor(4))
        program = exported([c, x, low, Node("output", "output", args=((low,),))],
                           [spec("CONSTANT_TENSOR", "c_lifted_tensor_0", "lifted_tensor_0"), spec("USER_INPUT", "x")])
        program.constants = {"lifted_tensor_0": constant(0.5)}

        graph = graph_to_schema(program)

        self.assertEqual(["x"], [entry["name"] for entry in graph["inputs"]])
        self.assertEqual({"name": "c_lifted_tensor_0", "target": "aten.scalar_tensor.default", "args": [0.5],
                          "kwargs": {"dtype": {"dtype": "float32"}}, "shape": [], "dtype": "float32"}, graph["nodes"][0])
        self.assertEqual([{"node": "x"}, {"node": "c_lifted_tensor_0"}], graph["nodes"][1]["args"])

    def test_lifted_constant_that_is_a_tensor_attribute_is_a_buffer_input(self) -> None:
        # self.h0 = torch.randn(...) in __init__: torch.export lifts it as a constant; it is state, passed as a buffer.
        x = Node("placeholder", "x", val=tensor(2, 4))
        h0 = Node("placeholder", "c_h0", val=tensor(2, 4))
        total = Node("call_function", "add", OpOverload("aten.add.Tensor"), (x, h0), val=tensor(2, 4))
        program = exported([h0, x, total, Node("output", "output", args=((total,),))],
                           [spec("CONSTANT_TENSOR", "c_h0", "h0"), spec("USER_INPUT", "x")])
        program.constants = {"h0": constant(*([0.5] * 8), shape=(2, 4))}

        graph = graph_to_schema(program, buffer_order=["h0"])

        self.assertEqual([("x", "input", None), ("c_h0", "buffer", "h0")],
                         [(entry["name"], entry["role"], entry.get("target")) for entry in graph["inputs"]])

    def test_unused_scalar_input_placeholder_is_left_out(self) -> None:
        # get_inputs() returned [x, 3.14]: the trace put 3.14 into the ops; the ABI passes x only.
        x = Node("placeholder", "x", val=tensor(4))
        s = Node("placeholder", "s", val=3.14)
        s.users = {}
        scaled = Node("call_function", "mul", OpOverload("aten.mul.Tensor"), (x, 3.14), val=tensor(4))
        program = exported([x, s, scaled, Node("output", "output", args=((scaled,),))],
                           [spec("USER_INPUT", "x"), spec("USER_INPUT", "s")])

        self.assertEqual(["x"], [entry["name"] for entry in graph_to_schema(program)["inputs"]])

    def test_buffer_mutation_outputs_are_not_results(self) -> None:
        x = Node("placeholder", "x", val=tensor(4))
        relu = Node("call_function", "relu", OpOverload("aten.relu.default"), (x,), val=tensor(4))
        program = exported([x, relu, Node("output", "output", args=((x, relu),))], [spec("USER_INPUT", "x")])
        program.graph_signature.output_specs = [SimpleNamespace(kind=SimpleNamespace(name="BUFFER_MUTATION")),
                                                SimpleNamespace(kind=SimpleNamespace(name="USER_OUTPUT"))]

        self.assertEqual(["relu"], graph_to_schema(program)["outputs"])

    def test_one_element_attribute_of_a_traced_graph_is_inlined_with_its_shape(self) -> None:
        c = Node("get_attr", "_tensor_constant0", "_tensor_constant0")
        program = exported([c, Node("output", "output", args=((c,),))], [])
        program.graph_module._tensor_constant0 = constant(3, shape=(1, 1), dtype=INT64)

        graph = graph_to_schema(program)

        self.assertEqual(["aten.scalar_tensor.default", "aten.view.default"], [n["target"] for n in graph["nodes"]])
        self.assertEqual(([3], [{"node": "_tensor_constant0_scalar"}, [1, 1]]), (graph["nodes"][0]["args"], graph["nodes"][1]["args"]))

    def test_graph_is_json_without_nan(self) -> None:
        x = Node("placeholder", "x", val=tensor(4))
        clamp = Node("call_function", "clamp", OpOverload("aten.clamp.default"), (x, float("-inf"), 6.0), val=tensor(4))
        program = exported([x, clamp, Node("output", "output", args=((clamp,),))], [spec("USER_INPUT", "x")])

        text = json.dumps(graph_to_schema(program), allow_nan=False)

        self.assertIn('{"float": "-inf"}', text)


class ExportFailureTests(unittest.TestCase):
    def test_line_of_the_problem_from_the_traceback(self) -> None:
        path = os.path.abspath("problems/fake_problem.py")
        code = compile("def forward(x):\n    y = x\n    raise RuntimeError('data-dependent control flow')\n", path, "exec")
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # the test's own code, compiled under the problem's file name
        try:
            namespace["forward"](1)
        except RuntimeError as error:
            failure = export_failure(error, path)
        self.assertEqual(("not_translatable", 3, path), (failure.kind, failure.line, failure.file))
        self.assertIn("data-dependent control flow", failure.message)

    def test_line_from_a_quoted_user_frame_in_the_message(self) -> None:
        path = os.path.abspath("problems/p.py")
        error = RuntimeError(f'Dynamic control flow is not supported\n\nfrom user code:\n   File "{path}", line 14, in forward')

        self.assertEqual(14, export_failure(error, path).line)

    def test_without_torch_export_graph_is_an_environment_error(self) -> None:
        try:
            import torch  # noqa: F401
        except ImportError:
            with self.assertRaises(WorkerError) as raised:
                export_graph(object(), [])
            self.assertEqual("environment", raised.exception.kind)
        else:
            self.skipTest("torch is installed; the GPU host runs the real export")


if __name__ == "__main__":
    unittest.main()
