"""The extension runner with real torch. Skipped where torch or numpy is missing.

On a CPU-only torch the model_new path runs on the CPU (load, parameters, run checks); where CUDA is available the
repository's examples are built and run on the GPU too: the load_inline ReLU, the pybind softmax (needs nvcc), the
poisoned allocator against examples/adversarial/torch_empty_model_new.py, and timing.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path
from typing import Any

from kforge_worker.extension.dispatch import ExtensionRunner

HAS_TORCH = importlib.util.find_spec("torch") is not None and importlib.util.find_spec("numpy") is not None
ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "worker" / "src"
TIMEOUT_SECONDS = 600

PROBLEM = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)

    def forward(self, x):
        return torch.relu(self.linear(x))


def get_inputs():
    return [torch.randn(8, 16)]


def get_init_inputs():
    return [16, 4]
"""

# Same layers, same order: the same weights after the seed, and the names match the reference's files too.
HONEST = """\
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)

    def forward(self, x):
        return torch.relu(x @ self.linear.weight.t() + self.linear.bias)
"""

HONEST_RETURN = "return torch.relu(x @ self.linear.weight.t() + self.linear.bias)"


def with_first_forward_line(source: str, line: str) -> str:
    """``source`` with ``line`` inserted at the top of forward (which then sits on line 11)."""
    return source.replace(HONEST_RETURN, f"{line}\n        {HONEST_RETURN}")


def cuda_available() -> bool:
    if not HAS_TORCH:
        return False
    import torch
    return bool(torch.cuda.is_available())


@unittest.skipUnless(HAS_TORCH, "needs torch and numpy")
class ExtensionRunnerTorchTests(unittest.TestCase):
    device: Any = "cpu"

    def setUp(self) -> None:
        import numpy as np
        import torch
        self.np, self.torch = np, torch
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = folder.name
        self.runner = ExtensionRunner()
        self.problem = self.write("problem.py", PROBLEM)
        # What the worker would write: one input set per seed, the reference's parameters once.
        torch.manual_seed(1001)
        self.reference = torch.nn.Linear(16, 4)
        self.inputs = [torch.randn(8, 16) for _ in range(2)]
        weight, bias = self.save("params/1.npy", self.reference.weight), self.save("params/2.npy", self.reference.bias)
        self.input_files = [[self.save(f"set{k}/input0.npy", x), weight, bias] for k, x in enumerate(self.inputs)]

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.folder, name)
        Path(path).write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def save(self, name: str, tensor: Any) -> str:
        path = os.path.join(self.folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.np.save(path, tensor.detach().numpy(), allow_pickle=False)
        return path

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        text, _ = self.runner.handle_line(json.dumps({"v": 1, "id": 1, "op": op, **fields}))
        return json.loads(text)

    def load(self, candidate: str, **changes: Any) -> dict[str, Any]:
        fields = {
            "candidate_path": candidate, "format": "model_new", "problem_path": self.problem, "seed": 1001,
            "tensors": [{"name": "input0", "shape": [8, 16], "dtype": "float32", "role": "input"},
                        {"name": "linear.weight", "shape": [4, 16], "dtype": "float32", "role": "parameter"},
                        {"name": "linear.bias", "shape": [4], "dtype": "float32", "role": "parameter"}],
            "outputs": [{"name": "output0", "shape": [8, 4], "dtype": "float32", "role": "output"}],
            "input_files": self.input_files, "build_dir": os.path.join(self.folder, "build"), "device": self.device,
        }
        fields.update(changes)
        return self.request("load", **fields)

    def run_set(self, input_set: int) -> tuple[dict[str, Any], str]:
        path = os.path.join(self.folder, "out", f"set{input_set}_out0.npy")
        return self.request("run", input_set=input_set, output_paths=[path]), path

    def expected(self, input_set: int) -> Any:
        with self.torch.no_grad():
            return self.torch.relu(self.reference(self.inputs[input_set])).numpy()

    def test_model_new_runs_every_set_with_the_reference_parameters(self) -> None:
        loaded = self.load(self.write("honest.py", HONEST))
        self.assertIs(loaded["ok"], True, loaded)
        self.assertEqual(loaded["warnings"], [])
        self.assertGreaterEqual(loaded["build_seconds"], 0)
        for input_set in (0, 1):
            response, path = self.run_set(input_set)
            self.assertEqual((response["ok"], response["failure"]), (True, None), response)
            self.np.testing.assert_allclose(self.np.load(path), self.expected(input_set), rtol=1e-5, atol=1e-6)

    def test_call_time_and_launches_are_reported_where_they_can_be_measured(self) -> None:
        self.load(self.write("honest.py", HONEST))
        path = os.path.join(self.folder, "out", "counted.npy")
        counted = self.request("run", input_set=0, output_paths=[path], count_launches=True)
        plain, _ = self.run_set(1)
        self.assertIsNone(counted["failure"], counted)
        self.assertIsNone(plain["launches_not_counted"])  # not asked
        self.assertIsNone(plain["launches"])
        if self.device == "cpu":
            self.assertEqual((counted["call_us"], plain["call_us"], counted["launches"]), (None, None, None))
            self.assertIn("CUDA only", counted["launches_not_counted"])
        else:  # torch's matmul, add and relu: kernels, none of them the candidate's own
            self.assertGreater(plain["call_us"], 0)
            self.assertGreater(counted["call_us"], 0)
            self.assertIsNone(counted["launches_not_counted"], counted)
            self.assertGreaterEqual(counted["launches"], 2)
            self.assertEqual(sum(counted["launched_kernels"].values()), counted["launches"])
            self.assertFalse(any(name.startswith(("Memcpy", "Memset")) for name in counted["launched_kernels"]))

    def test_parameters_are_copied_even_when_construction_draws_differently(self) -> None:
        # An extra layer created first shifts the random stream; the copy from the files restores the weights.
        shifted = HONEST.replace("        self.linear = nn.Linear(in_features, out_features)",
                                 "        self.extra = nn.Linear(3, 3)\n"
                                 "        self.linear = nn.Linear(in_features, out_features)")
        self.assertIs(self.load(self.write("shifted.py", shifted))["ok"], True)
        response, path = self.run_set(0)
        self.assertIsNone(response["failure"])
        self.np.testing.assert_allclose(self.np.load(path), self.expected(0), rtol=1e-5, atol=1e-6)

    def test_renamed_parameters_are_a_warning_and_the_seeded_weights_are_kept(self) -> None:
        renamed = HONEST.replace("self.linear", "self.fc")
        loaded = self.load(self.write("renamed.py", renamed))
        self.assertIs(loaded["ok"], True, loaded)
        self.assertEqual(len(loaded["warnings"]), 1)
        self.assertIn("linear.weight, linear.bias", loaded["warnings"][0])
        self.assertIn("torch.manual_seed(1001)", loaded["warnings"][0])
        response, path = self.run_set(0)  # created in the reference's order: the same weights after the seed
        self.assertIsNone(response["failure"])
        self.np.testing.assert_allclose(self.np.load(path), self.expected(0), rtol=1e-5, atol=1e-6)

    def test_in_place_input_change_is_input_modified(self) -> None:
        self.load(self.write("inplace.py", with_first_forward_line(HONEST, "x.mul_(2)")))
        response, path = self.run_set(1)
        self.assertEqual(response["failure"], "input_modified")
        self.assertIn("input0", response["message"])
        self.assertFalse(os.path.exists(path))
        response, _ = self.run_set(1)  # the pristine input was not touched: the second call sees the same input
        self.assertEqual(response["failure"], "input_modified")

    def test_outputs_that_are_not_the_problems_are_wrong_results(self) -> None:
        cases = {
            "shape.py": "return torch.relu(x @ self.linear.weight.t())[:4]",
            "dtype.py": "return torch.relu(x @ self.linear.weight.t()).double()",
            "count.py": "return x, x",
            "type.py": "return 3.0",
        }
        for name, body in cases.items():
            with self.subTest(name):
                self.load(self.write(name, HONEST.replace(HONEST_RETURN, body)))
                response, _ = self.run_set(0)
                self.assertEqual(response["failure"], "wrong_result", response)

    def test_forward_raising_is_a_runtime_error_with_the_line(self) -> None:
        path = self.write("raises.py", with_first_forward_line(HONEST, "raise ValueError('no kernel')"))
        self.load(path)
        response, _ = self.run_set(0)
        self.assertEqual(response["failure"], "runtime_error")
        self.assertIn(f"{path}:11", response["message"])
        self.assertIn("ValueError: no kernel", response["message"])
        self.assertFalse(response["runner_exiting"])

    def test_constructor_and_module_body_errors_are_load_errors(self) -> None:
        init = self.write("init.py", HONEST.replace("super().__init__()",
                                                    "super().__init__()\n        raise RuntimeError('bad init')"))
        body = self.write("body.py", "import torch\nraise ImportError('no triton')\n" + HONEST)
        for path, line in ((init, 8), (body, 2)):
            with self.subTest(path):
                response = self.load(path)
                self.assertIs(response["ok"], False)
                self.assertEqual(response["error"]["kind"], "load_error", response)
                self.assertEqual((response["error"]["file"], response["error"]["line"]), (path, line))

    def test_run_asks_for_every_output_path_and_an_existing_set(self) -> None:
        self.load(self.write("honest.py", HONEST))
        self.assertEqual(self.request("run", input_set=2, output_paths=["a.npy"])["error"]["kind"], "bad_request")
        self.assertEqual(self.request("run", input_set=0, output_paths=[])["error"]["kind"], "bad_request")

    def test_input_file_that_disagrees_with_its_spec_is_a_bad_request(self) -> None:
        self.load(self.write("honest.py", HONEST), input_files=[[self.input_files[0][1]] + self.input_files[0][1:]])
        response, _ = self.run_set(0)
        self.assertEqual(response["error"]["kind"], "bad_request")
        self.assertIn("input0", response["error"]["message"])

    def test_a_print_in_the_candidate_does_not_reach_stdout(self) -> None:
        candidate = self.write("chatty.py", "print('hello from the candidate')\n" + HONEST)
        output = os.path.join(self.folder, "out0.npy")
        load = {"v": 1, "id": 1, "op": "load", "candidate_path": candidate, "format": "model_new",
                "problem_path": self.problem, "seed": 1001,
                "tensors": [{"name": "input0", "shape": [8, 16], "dtype": "float32", "role": "input"}],
                "outputs": [{"name": "output0", "shape": [8, 4], "dtype": "float32", "role": "output"}],
                "input_files": [[self.input_files[0][0]]], "build_dir": os.path.join(self.folder, "b"), "device": "cpu"}
        lines = [json.dumps(load), json.dumps({"v": 1, "id": 2, "op": "run", "input_set": 0, "output_paths": [output]}),
                 '{"v":1,"id":3,"op":"shutdown"}']
        result = subprocess.run([sys.executable, "-m", "kforge_worker.extension"], input="\n".join(lines) + "\n",
                                capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(SOURCE)),
                                timeout=TIMEOUT_SECONDS, check=False)
        responses = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual([response["ok"] for response in responses], [True, True, True], result.stderr)
        self.assertIn("hello from the candidate", result.stderr)


@unittest.skipUnless(cuda_available(), "needs CUDA")
class ExtensionRunnerCudaTests(ExtensionRunnerTorchTests):
    """The CPU tests again on the GPU, plus the repository's examples and timing."""

    device: Any = 0

    def load_example(self, relative: str, candidate_format: str, problem: str, shape: list[int]) -> dict[str, Any]:
        x = self.torch.randn(*shape)
        self.cuda_input = x
        spec = {"name": "input0", "shape": shape, "dtype": "float32", "role": "input"}
        return self.load(str(ROOT / "examples" / relative), format=candidate_format,
                         problem_path=str(ROOT / "problems" / "level1" / problem), tensors=[spec],
                         outputs=[dict(spec, name="output0", role="output")],
                         input_files=[[self.save("example/input0.npy", x)]])

    def run_example(self) -> Any:
        response, path = self.run_set(0)
        self.assertIsNone(response["failure"], response)
        return self.np.load(path)

    def test_torch_empty_candidate_returns_poison(self) -> None:
        loaded = self.load_example("adversarial/torch_empty_model_new.py", "model_new", "relu.py", [256, 1024])
        self.assertIs(loaded["ok"], True, loaded)
        output = self.run_example()
        bits = output.view(self.np.uint32)
        self.assertTrue((bits == 0x7FC0DEAD).all(), "torch.empty_like did not come from the poisoned blocks")

    def test_load_inline_relu_example_matches_torch(self) -> None:
        loaded = self.load_example("torch_ext/relu_model_new.py", "model_new", "relu.py", [256, 1024])
        self.assertIs(loaded["ok"], True, loaded)
        self.np.testing.assert_array_equal(self.run_example(), self.torch.relu(self.cuda_input).numpy())

    def test_load_inline_relu_launches_its_own_kernel(self) -> None:
        self.assertIs(self.load_example("torch_ext/relu_model_new.py", "model_new", "relu.py", [256, 1024])["ok"], True)
        path = os.path.join(self.folder, "out", "relu.npy")
        response = self.request("run", input_set=0, output_paths=[path], count_launches=True)
        self.assertIsNone(response["failure"], response)
        self.assertEqual(response["launches"], 1, response)
        self.assertEqual([name.split("(")[0] for name in response["launched_kernels"]], ["relu_kernel"])

    def test_pybind_softmax_example_matches_torch_and_is_timed(self) -> None:
        loaded = self.load_example("torch_ext/softmax_pybind.cu", "pybind", "softmax.py", [64, 4096])
        self.assertIs(loaded["ok"], True, loaded)
        expected = self.torch.softmax(self.cuda_input.double(), dim=-1).float().numpy()
        self.np.testing.assert_allclose(self.run_example(), expected, rtol=1e-5, atol=1e-9)
        timing = {"warmup_calls": 2, "min_samples": 5, "max_samples": 20, "target_relative_error": 0.05,
                  "max_wall_ms": 2000, "flush_l2": True, "l2_flush_factor": 2.0}
        timed = self.request("time", timing=timing)
        self.assertIsNone(timed["failure"], timed)
        self.assertGreaterEqual(len(timed["samples_us"]), 5)
        self.assertTrue(timed["l2_flushed"])

    def test_pybind_compile_error_has_the_line_and_the_log(self) -> None:
        broken = self.write("broken.cu", (ROOT / "examples" / "torch_ext" / "softmax_pybind.cu").read_text()
                            .replace("row_max = block_reduce<true>(row_max, scratch);", "row_max = undefined_name;"))
        spec = {"name": "input0", "shape": [8, 16], "dtype": "float32", "role": "input"}
        loaded = self.load(broken, format="pybind", tensors=[spec], input_files=[[self.input_files[0][0]]])
        self.assertEqual(loaded["error"]["kind"], "compile_error", loaded)
        self.assertIsNotNone(loaded["error"]["line"])
        self.assertIn("undefined_name", loaded["error"]["message"])


if __name__ == "__main__":
    unittest.main()


@unittest.skipUnless(HAS_TORCH, "needs torch and numpy")
class TimedOutputCheckTest(unittest.TestCase):
    """The comparison behind ``timed_run_mismatch`` (the timing loop itself needs CUDA)."""

    def setUp(self) -> None:
        import torch
        from kforge_worker.extension import harness
        from kforge_worker.protocol import TensorSpec
        self.torch, self.harness = torch, harness
        spec = TensorSpec("output0", (4, 3), "float32", "output")
        self.loaded = harness.LoadedCandidate("candidate.py", "cpu", lambda *a: None, (), (), (spec,), ((),))
        self.checked = torch.arange(12, dtype=torch.float32).reshape(4, 3)
        self.loaded.checked[0] = (self.checked.clone(),)

    def test_same_outputs_and_rounding_noise_pass(self) -> None:
        nudged = self.checked + 1e-7
        self.assertIsNone(self.harness.compare_timed_outputs(self.torch, self.loaded, 0, self.checked.clone()))
        self.assertIsNone(self.harness.compare_timed_outputs(self.torch, self.loaded, 0, nudged))

    def test_different_outputs_are_named_with_the_set(self) -> None:
        message = self.harness.compare_timed_outputs(self.torch, self.loaded, 0, self.checked + 1.0)
        self.assertIsNotNone(message)
        self.assertIn("input set 0", message)
        self.assertIn("12 of 12 elements changed", message)

    def test_wrong_shape_is_reported_not_raised(self) -> None:
        message = self.harness.compare_timed_outputs(self.torch, self.loaded, 0, self.torch.zeros(2, 2))
        self.assertIn("returned something else", message)

    def test_nan_repeats_nan_and_integers_compare_bytes(self) -> None:
        nan = self.torch.tensor([float("nan"), 1.0])
        self.assertIsNone(self.harness.repeat_difference(self.torch, nan, nan.clone()))
        ints = self.torch.tensor([1, 2, 3])
        self.assertIsNone(self.harness.repeat_difference(self.torch, ints, ints.clone()))
        self.assertIsNotNone(self.harness.repeat_difference(self.torch, ints, ints + 1))

    def test_checked_samples_are_distinct_and_below_the_minimum(self) -> None:
        for _ in range(50):
            chosen = self.harness.choose_checked_samples(10)
            self.assertEqual(len(chosen), self.harness.CHECKED_TIMED_CALLS)
            self.assertTrue(all(0 <= index < 10 for index in chosen))
        self.assertEqual(self.harness.choose_checked_samples(2), {0, 1})
