"""The worker with real torch: load_problem, check and time_reference. Skipped where torch is not installed.

On the GPU host run the whole suite with `PYTHONPATH=src python3 -m unittest discover -s tests`; these tests use
CUDA when torch sees a device and the CPU otherwise (time_reference needs CUDA).
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

from kforge_worker.dispatch import Worker

HAS_TORCH = importlib.util.find_spec("torch") is not None and importlib.util.find_spec("numpy") is not None
SOURCE = Path(__file__).resolve().parent.parent / "src"

LINEAR_RELU = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.register_buffer("shift", torch.full((out_features,), 0.25))

    def forward(self, x):
        return torch.relu(self.linear(x) + self.shift)


def get_inputs():
    return [torch.randn(64, 256)]


def get_init_inputs():
    return [256, 128]
"""

SCALAR_INPUT = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def forward(self, a, s):
        return a * s


def get_inputs():
    return [torch.randn(32, 48), {scale}]


def get_init_inputs():
    return []
"""

TENSOR_ATTRIBUTE = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(2.0))
        self.h0 = torch.randn(16, 24)

    def forward(self, x):
        self.h0 = self.h0.to(x.device)
        return x * self.scale + self.h0


def get_inputs():
    return [torch.randn(16, 24)]


def get_init_inputs():
    return []
"""

SCALED_MEAN = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(2.0))

    def forward(self, x):
        return (x * self.scale).mean()


def get_inputs():
    return [torch.randn(1000)]


def get_init_inputs():
    return []
"""

BATCH_NORM = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm1d(8)
        self.norm.running_mean.fill_(3.0)  # far from the batch's own mean, so the two modes give other outputs

    def forward(self, x):
        return self.norm(x)


def get_inputs():
    return [torch.randn(64, 8) * 2.0 + 0.5]


def get_init_inputs():
    return []
"""

DROPOUT = """\
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.drop = nn.Dropout(p)

    def forward(self, x):
        return self.drop(torch.tanh(x))


def get_inputs():
    return [torch.randn(256, 64)]


def get_init_inputs():
    return [{p}]
"""


def device_name() -> int | str:
    """The ordinal 0, as kforge sends it, when there is a GPU; the CPU otherwise."""
    import torch
    return 0 if torch.cuda.is_available() else "cpu"


@unittest.skipUnless(HAS_TORCH, "torch and numpy are not installed; these run on the GPU host")
class TorchWorkerTests(unittest.TestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = folder.name
        self.shm = os.path.join(self.folder, "shm")
        self.worker = Worker()
        self.next_id = 0
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)

    def send(self, op: str, **fields: Any) -> dict[str, Any]:
        self.next_id += 1
        text, _ = self.worker.handle_line(json.dumps({"v": 1, "id": self.next_id, "op": op, **fields}))
        response = json.loads(text)
        self.assertEqual(response["id"], self.next_id)
        return response

    def load(self, source: str, name: str = "problem.py", seeds: list[int] | None = None) -> dict[str, Any]:
        path = os.path.join(self.folder, name)
        Path(path).write_text(textwrap.dedent(source), encoding="utf-8")
        return self.send("load_problem", problem_path=path, seeds=seeds or [1, 2], shm_dir=self.shm,
                         device=device_name())

    def candidate_outputs(self, loaded: dict[str, Any], mutate: Any = None) -> list[list[str]]:
        """An independent implementation (numpy, float64, cast to float32) computed from the written files."""
        import numpy as np
        files = []
        for set_index, paths in enumerate(loaded["input_files"]):
            x, weight, bias, shift = (np.load(path).astype(np.float64) for path in paths)
            output = np.maximum(x @ weight.T + bias + shift, 0.0).astype(np.float32)
            if mutate is not None:
                output = mutate(set_index, output)
            path = os.path.join(self.folder, "candidate", f"set{set_index}", "output0.npy")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            np.save(path, output)
            files.append([path])
        return files

    def test_load_problem_describes_tensors_and_writes_only_inputs(self) -> None:
        loaded = self.load(LINEAR_RELU)
        self.assertIs(loaded["ok"], True, loaded)
        self.assertEqual(loaded["name"], "problem")
        self.assertEqual([(t["name"], t["role"], t["shape"]) for t in loaded["tensors"]], [
            ("input0", "input", [64, 256]), ("linear.weight", "parameter", [128, 256]),
            ("linear.bias", "parameter", [128]), ("shift", "buffer", [128])])
        self.assertEqual(loaded["outputs"], [{"name": "output0", "shape": [64, 128], "dtype": "float32",
                                              "role": "output"}])
        self.assertEqual(loaded["bytes_moved"], 4 * (64 * 256 + 128 * 256 + 128 + 128 + 64 * 128))
        try:
            import torch.utils.flop_counter  # noqa: F401  (torch 2.1+)
            expected_flops = 2 * 64 * 128 * 256  # the linear layer's multiply-adds; elementwise ops are not counted
        except ImportError:
            expected_flops = None
        self.assertEqual(loaded.get("flops"), expected_flops)
        self.assertEqual(len(loaded["input_files"]), 2)
        self.assertEqual(loaded["input_files"][0][1:], loaded["input_files"][1][1:])  # parameters written once
        written = sorted(str(p.relative_to(self.shm)) for p in Path(self.shm).rglob("*") if p.is_file())
        self.assertEqual(written, ["params/1.npy", "params/2.npy", "params/3.npy", "set0/input0.npy",
                                   "set1/input0.npy"])
        import numpy as np
        self.assertFalse(np.array_equal(np.load(loaded["input_files"][0][0]), np.load(loaded["input_files"][1][0])))
        self.assertEqual(loaded["warnings"], [])

    def test_same_seeds_give_the_same_inputs(self) -> None:
        import numpy as np
        first = np.load(self.load(LINEAR_RELU)["input_files"][0][0])
        second = np.load(self.load(LINEAR_RELU)["input_files"][0][0])
        self.assertTrue(np.array_equal(first, second))

    def test_check_accepts_a_correct_candidate(self) -> None:
        loaded = self.load(LINEAR_RELU)
        response = self.send("check", output_files=self.candidate_outputs(loaded), precision="strict")
        self.assertIs(response["ok"], True, response)
        for entry in response["sets"]:
            output = entry["outputs"][0]
            self.assertIs(output["passed"], True, output)
            self.assertGreater(output["reference_float32_max_abs_error"], 0.0)
            self.assertEqual(output["element_count"], 64 * 128)

    def test_check_rejects_tf32_sized_error_under_strict_only(self) -> None:
        loaded = self.load(LINEAR_RELU)
        files = self.candidate_outputs(loaded, lambda _, out: out * (1 + 2e-3))
        strict = self.send("check", output_files=files, precision="strict")["sets"][0]["outputs"][0]
        self.assertEqual(strict["failure"], "wrong_result")
        self.assertIn("worst at index", strict["message"])
        loose = self.send("check", output_files=files, precision="kernelbench")["sets"][0]["outputs"][0]
        self.assertIs(loose["passed"], True)

    def test_check_finds_poison_nan_and_wrong_shape(self) -> None:
        import numpy as np
        loaded = self.load(LINEAR_RELU)

        def poison(set_index: int, out: Any) -> Any:
            if set_index == 0:
                out.view(np.uint32).ravel()[:3] = 0x7FC0DEAD
                return out
            out[5, 7] = np.nan
            return out

        sets = self.send("check", output_files=self.candidate_outputs(loaded, poison))["sets"]
        self.assertEqual(sets[0]["outputs"][0]["failure"], "unwritten_output")
        self.assertEqual(sets[0]["outputs"][0]["poisoned_elements"], 3)
        self.assertIn("3 of 8192 elements were never written", sets[0]["outputs"][0]["message"])
        self.assertEqual(sets[1]["outputs"][0]["failure"], "non_finite_output")
        self.assertEqual(sets[1]["outputs"][0]["non_finite_elements"], 1)
        wrong_shape = self.send("check", output_files=self.candidate_outputs(loaded, lambda _, out: out[:, :64]))
        self.assertEqual(wrong_shape["sets"][0]["outputs"][0]["failure"], "wrong_result")
        self.assertIn("shape [64, 64]", wrong_shape["sets"][0]["outputs"][0]["message"])

    def test_zero_dimensional_parameter_and_output(self) -> None:
        import numpy as np
        loaded = self.load(SCALED_MEAN, "scaled_mean.py")
        self.assertIs(loaded["ok"], True, loaded)
        self.assertEqual(loaded["outputs"][0]["shape"], [])
        self.assertEqual(loaded["tensors"][1], {"name": "scale", "shape": [], "dtype": "float32", "role": "parameter"})
        files = []
        for set_index, (x_path, scale_path) in enumerate(loaded["input_files"]):
            scale = np.load(scale_path)
            self.assertEqual(scale.shape, ())
            path = os.path.join(self.folder, f"mean{set_index}.npy")
            np.save(path, np.array((np.load(x_path).astype(np.float64) * float(scale)).mean(), dtype=np.float32))
            files.append([path])
        response = self.send("check", output_files=files)
        self.assertTrue(all(s["outputs"][0]["passed"] for s in response["sets"]), response)

    def test_scalar_input_is_part_of_the_problem_not_of_the_input_files(self) -> None:
        import numpy as np
        scaled = SCALAR_INPUT.replace("{scale}", "3.14")
        loaded = self.load(scaled, "scalar.py")
        self.assertNotIn("error", loaded)
        self.assertEqual(loaded["scalar_inputs"], [{"position": 1, "value": 3.14}])
        self.assertEqual([t["name"] for t in loaded["tensors"]], ["input0"])
        self.assertTrue(all(len(paths) == 1 for paths in loaded["input_files"]))
        files = []
        for set_index, (a_path,) in enumerate(loaded["input_files"]):
            path = os.path.join(self.folder, f"scaled{set_index}.npy")
            np.save(path, (np.load(a_path).astype(np.float64) * 3.14).astype(np.float32))
            files.append([path])
        response = self.send("check", output_files=files)
        self.assertTrue(all(s["outputs"][0]["passed"] for s in response["sets"]), response)

    def test_plain_tensor_attribute_is_state_after_the_buffers(self) -> None:
        # KernelBench's RNN problems: self.h0 = torch.randn(...) in __init__, moved to the device in forward.
        import numpy as np
        loaded = self.load(TENSOR_ATTRIBUTE, "attribute.py")
        self.assertNotIn("error", loaded)
        self.assertEqual([(t["name"], t["role"]) for t in loaded["tensors"]],
                         [("input0", "input"), ("scale", "parameter"), ("h0", "buffer")])
        self.assertEqual(loaded["warnings"], [])  # the float64 copy converted h0 too: no fallback to float32
        files = []
        for set_index, (x_path, scale_path, h0_path) in enumerate(loaded["input_files"]):
            x, scale, h0 = (np.load(path).astype(np.float64) for path in (x_path, scale_path, h0_path))
            path = os.path.join(self.folder, f"attribute{set_index}.npy")
            np.save(path, (x * scale + h0).astype(np.float32))
            files.append([path])
        response = self.send("check", output_files=files)
        self.assertTrue(all(s["outputs"][0]["passed"] for s in response["sets"]), response)

    def test_model_runs_in_training_mode_as_kernelbench_runs_it(self) -> None:
        # KernelBench never calls eval(): a BatchNorm normalizes with the batch's statistics, not the running ones.
        import numpy as np
        loaded = self.load(BATCH_NORM, "batch_norm.py")
        self.assertIs(loaded["ok"], True, loaded)

        def outputs(running: bool) -> list[list[str]]:
            files = []
            for set_index, paths in enumerate(loaded["input_files"]):
                x = np.load(paths[0]).astype(np.float64)
                if running:
                    mean, variance = np.full(8, 3.0), np.ones(8)
                else:
                    mean, variance = x.mean(axis=0), x.var(axis=0)
                path = os.path.join(self.folder, f"bn_{running}_{set_index}.npy")
                np.save(path, ((x - mean) / np.sqrt(variance + 1e-5)).astype(np.float32))
                files.append([path])
            return files

        batch = self.send("check", output_files=outputs(running=False))
        self.assertTrue(all(s["outputs"][0]["passed"] for s in batch["sets"]), batch)
        running = self.send("check", output_files=outputs(running=True))
        self.assertFalse(any(s["outputs"][0]["passed"] for s in running["sets"]), running)

    def test_problem_that_calls_eval_itself_stays_in_eval_mode(self) -> None:
        import numpy as np
        loaded = self.load(BATCH_NORM.replace("self.norm.running_mean.fill_(3.0)",
                                              "self.norm.running_mean.fill_(3.0)\n        self.eval()"), "bn_eval.py")
        files = []
        for set_index, paths in enumerate(loaded["input_files"]):
            path = os.path.join(self.folder, f"bn_eval_{set_index}.npy")
            np.save(path, ((np.load(paths[0]).astype(np.float64) - 3.0) / np.sqrt(1.0 + 1e-5)).astype(np.float32))
            files.append([path])
        response = self.send("check", output_files=files)
        self.assertTrue(all(s["outputs"][0]["passed"] for s in response["sets"]), response)

    def test_random_reference_is_refused_and_dropout_zero_is_not(self) -> None:
        error = self.load(DROPOUT.replace("{p}", "0.5"), "dropout.py")["error"]
        self.assertEqual(error["kind"], "problem_invalid")
        self.assertIn("other outputs for the same inputs", error["message"])
        self.assertIn("dropout p=0.0", error["message"])
        self.assertIs(self.load(DROPOUT.replace("{p}", "0.0"), "dropout0.py")["ok"], True)

    def test_repeat_within_reduction_noise_is_a_warning_and_nan_repeats(self) -> None:
        import torch
        from kforge_worker.errors import WorkerError
        from kforge_worker.reference import require_repeatable
        a = torch.tensor([1.0, float("nan"), -4.0, float("inf")])
        warnings: list[str] = []
        require_repeatable(torch, "p.py", [a], [a.clone()], warnings)
        self.assertEqual(warnings, [])
        require_repeatable(torch, "p.py", [a], [a + torch.tensor([1e-6, 0.0, 0.0, 0.0])], warnings)
        self.assertEqual(len(warnings), 1)
        self.assertIn("nondeterministic reduction order", warnings[0])
        with self.assertRaises(WorkerError):
            require_repeatable(torch, "p.py", [a], [a + torch.tensor([0.5, 0.0, 0.0, 0.0])], [])
        with self.assertRaises(WorkerError):  # an integer output has no tolerance
            require_repeatable(torch, "p.py", [torch.tensor([1, 2])], [torch.tensor([1, 3])], [])

    def test_scalar_input_that_changes_with_the_seed_is_refused(self) -> None:
        drawn = SCALAR_INPUT.replace("{scale}", "float(torch.rand(()))")
        error = self.load(drawn, "drawn.py")["error"]
        self.assertEqual(error["kind"], "problem_invalid")
        self.assertIn("must be the same for every seed", error["message"])

    def test_problem_errors_name_the_file_and_line(self) -> None:
        failing = LINEAR_RELU.replace("return torch.relu(self.linear(x) + self.shift)", "return x @ x")
        error = self.load(failing, "failing.py")["error"]
        self.assertEqual((error["kind"], error["line"]), ("problem_failed", 12))
        self.assertIn("forward raised RuntimeError", error["message"])
        text = LINEAR_RELU.replace("return [torch.randn(64, 256)]", "return [torch.randn(64, 256), 'relu']")
        self.assertIn("item 1 is str", self.load(text, "text.py")["error"]["message"])
        not_tensor = LINEAR_RELU.replace("return torch.relu(self.linear(x) + self.shift)", "return {'y': x}")
        self.assertIn("outputs must be tensors", self.load(not_tensor, "dict.py")["error"]["message"])
        bf16 = LINEAR_RELU.replace("torch.randn(64, 256)", "torch.randn(64, 256).bfloat16()")
        bf16_error = self.load(bf16.replace("self.linear(x)", "self.linear(x.float())"), "bf16.py")["error"]
        self.assertEqual(bf16_error["kind"], "problem_invalid")
        self.assertIn("bfloat16", bf16_error["message"])

    def test_time_reference_eager_and_compile(self) -> None:
        import torch
        if not torch.cuda.is_available():
            self.skipTest("time_reference needs CUDA")
        self.assertIs(self.load(LINEAR_RELU)["ok"], True)
        timing = {"warmup_calls": 3, "min_samples": 10, "max_samples": 50, "target_relative_error": 0.05,
                  "max_wall_ms": 2000, "flush_l2": True, "l2_flush_factor": 2.0}
        eager = self.send("time_reference", mode="eager", timing=timing)
        self.assertIs(eager["ok"], True, eager)
        self.assertGreaterEqual(len(eager["samples_us"]), 10)
        self.assertTrue(all(sample > 0 for sample in eager["samples_us"]))
        self.assertIs(eager["l2_flushed"], True)
        self.assertIsNone(eager["setup_seconds"])
        compiled = self.send("time_reference", mode="compile", timing=dict(timing, flush_l2=False))
        self.assertIs(compiled["ok"], True, compiled)
        self.assertGreater(compiled["setup_seconds"], 0.0)
        self.assertIs(compiled["l2_flushed"], False)


@unittest.skipUnless(HAS_TORCH, "torch and numpy are not installed; these run on the GPU host")
class TorchWorkerProcessTests(unittest.TestCase):
    def test_prints_in_a_problem_do_not_reach_stdout(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "noisy.py")
            Path(path).write_text('print("hello from the problem")\n' + LINEAR_RELU, encoding="utf-8")
            request = {"v": 1, "id": 1, "op": "load_problem", "problem_path": path, "seeds": [3],
                       "shm_dir": os.path.join(folder, "shm"), "device": device_name()}
            result = subprocess.run(
                [sys.executable, "-m", "kforge_worker"], input=json.dumps(request) + "\n", capture_output=True,
                text=True, env=dict(os.environ, PYTHONPATH=str(SOURCE)), timeout=300, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        responses = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual(len(responses), 1)
        self.assertIs(responses[0]["ok"], True, responses[0])
        self.assertIn("hello from the problem", result.stderr)


if __name__ == "__main__":
    unittest.main()
