"""Extension-runner dispatch: one response line per request, errors before torch, and the process itself."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any

from kforge_worker.extension.dispatch import ExtensionRunner
from kforge_worker.extension.protocol import RunResponse
from kforge_worker.protocol import HelloRequest

HAS_TORCH = importlib.util.find_spec("torch") is not None
SOURCE = Path(__file__).resolve().parent.parent / "src"
EXAMPLES = Path(__file__).resolve().parent.parent / "protocol-examples"
TIMEOUT_SECONDS = 120


def load_request(**changes: Any) -> dict[str, Any]:
    """The golden load request with some fields changed."""
    request = json.loads((EXAMPLES / "extension_load.jsonl").read_text(encoding="utf-8").splitlines()[0])
    request.update(changes)
    return request


class ExtensionDispatchTests(unittest.TestCase):
    def setUp(self) -> None:
        self.runner = ExtensionRunner()
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = folder.name

    def respond(self, message: Any) -> tuple[dict[str, Any], bool]:
        text, done = self.runner.handle_line(message if isinstance(message, str) else json.dumps(message))
        response = json.loads(text)
        self.assertEqual(response["v"], 1)
        return response, done

    def assert_error(self, response: dict[str, Any], kind: str, request_id: Any) -> dict[str, Any]:
        self.assertEqual(response["id"], request_id)
        self.assertIs(response["ok"], False)
        self.assertEqual(response["error"]["kind"], kind, response["error"]["message"])
        self.assertTrue(response["error"]["message"])
        return response["error"]

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.folder, name)
        Path(path).write_text(text, encoding="utf-8")
        return path

    def test_unknown_op_is_a_bad_request_with_the_id(self) -> None:
        response, done = self.respond({"v": 1, "id": 41, "op": "check", "output_files": []})
        error = self.assert_error(response, "bad_request", 41)
        self.assertIn("'check'", error["message"])
        self.assertIn("load", error["message"])
        self.assertFalse(done)

    def test_invalid_json_gets_a_null_id(self) -> None:
        response, _ = self.respond("{not json")
        self.assert_error(response, "bad_request", None)

    def test_run_and_time_before_load_are_bad_requests(self) -> None:
        response, _ = self.respond({"v": 1, "id": 1, "op": "run", "input_set": 0, "output_paths": ["o.npy"]})
        self.assertIn("send load first", self.assert_error(response, "bad_request", 1)["message"])
        timing = {"warmup_calls": 1, "min_samples": 1, "max_samples": 2, "target_relative_error": 0.01,
                  "max_wall_ms": 10, "flush_l2": False, "l2_flush_factor": 2}
        response, _ = self.respond({"v": 1, "id": 2, "op": "time", "timing": timing})
        self.assert_error(response, "bad_request", 2)

    def test_hello_answers_without_torch_or_gpu(self) -> None:
        response, done = self.respond({"v": 1, "id": 3, "op": "hello"})
        self.assertIs(response["ok"], True)
        self.assertEqual(response["protocol_version"], 1)
        self.assertIn("torch_version", response["environment"])
        self.assertFalse(done)

    def test_shutdown_answers_and_asks_to_exit(self) -> None:
        response, done = self.respond({"v": 1, "id": 4, "op": "shutdown"})
        self.assertEqual(response, {"v": 1, "id": 4, "ok": True})
        self.assertTrue(done)

    def test_model_new_syntax_error_is_a_compile_error_before_torch(self) -> None:
        path = self.write("model_new.py", "import torch\nclass ModelNew(nn.Module)\n    pass\n")
        response, done = self.respond(load_request(id=5, candidate_path=path))
        error = self.assert_error(response, "compile_error", 5)
        self.assertEqual((error["file"], error["line"]), (path, 2))
        self.assertFalse(done)

    def test_missing_model_new_is_a_compile_error_before_torch(self) -> None:
        path = self.write("model_new.py", "import torch.nn as nn\nclass Model(nn.Module):\n    pass\n")
        response, _ = self.respond(load_request(id=6, candidate_path=path))
        self.assertIn("ModelNew", self.assert_error(response, "compile_error", 6)["message"])

    def test_pybind_without_forward_is_a_compile_error_before_torch(self) -> None:
        path = self.write("k.cu", "PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {}\n")
        response, _ = self.respond(load_request(id=7, candidate_path=path, format="pybind"))
        self.assert_error(response, "compile_error", 7)

    def test_request_mistakes_are_bad_requests(self) -> None:
        path = self.write("model_new.py", "class ModelNew:\n    pass\n")
        cases = [
            load_request(id=8, candidate_path=os.path.join(self.folder, "absent.py")),
            load_request(id=8, candidate_path=path, format="triton"),
            load_request(id=8, candidate_path=path, input_files=[["only-one.npy"]]),
            load_request(id=8, candidate_path=path, input_files=[]),
            load_request(id=8, candidate_path=path, outputs=[]),
        ]
        for request in cases:
            with self.subTest(request=request):
                self.assert_error(self.respond(request)[0], "bad_request", 8)

    def test_missing_problem_is_problem_not_found(self) -> None:
        path = self.write("model_new.py", "class ModelNew:\n    pass\n")
        response, _ = self.respond(load_request(id=9, candidate_path=path, problem_path="no/such/problem.py"))
        self.assert_error(response, "problem_not_found", 9)

    @unittest.skipIf(HAS_TORCH, "torch is installed here")
    def test_valid_candidate_without_torch_is_an_environment_error(self) -> None:
        path = self.write("model_new.py", "class ModelNew:\n    pass\n")
        problem = self.write("problem.py", "class Model: pass\ndef get_inputs(): pass\ndef get_init_inputs(): pass\n")
        response, _ = self.respond(load_request(id=10, candidate_path=path, problem_path=problem))
        self.assertIn("torch", self.assert_error(response, "environment", 10)["message"])

    def test_a_lost_cuda_context_ends_the_runner_after_the_answer(self) -> None:
        self.runner._handlers[HelloRequest] = lambda request: RunResponse(request.id, "runtime_error", "illegal", True)
        response, done = self.respond({"v": 1, "id": 11, "op": "hello"})
        self.assertTrue(response["runner_exiting"])
        self.assertTrue(done)

    def test_a_bug_becomes_an_internal_error(self) -> None:
        def broken(request: Any) -> Any:
            raise ZeroDivisionError("division by zero")

        self.runner._handlers[HelloRequest] = broken
        with self.assertLogs("kforge_worker", level="ERROR"):
            response, _ = self.respond({"v": 1, "id": 12, "op": "hello"})
        self.assertIn("ZeroDivisionError", self.assert_error(response, "internal", 12)["message"])


class ExtensionProcessTests(unittest.TestCase):
    def test_hello_bad_op_shutdown_on_stdout_only(self) -> None:
        environment = dict(os.environ, PYTHONPATH=str(SOURCE))
        lines = ['{"v":1,"id":1,"op":"hello"}', '{"v":1,"id":2,"op":"load_problem"}', "",
                 '{"v":1,"id":3,"op":"shutdown"}', '{"v":1,"id":4,"op":"hello"}']
        result = subprocess.run([sys.executable, "-m", "kforge_worker.extension"],
                                input="".join(line + "\n" for line in lines), capture_output=True, text=True,
                                env=environment, timeout=TIMEOUT_SECONDS, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        responses = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual([response["id"] for response in responses], [1, 2, 3])
        self.assertIs(responses[0]["ok"], True)
        self.assertEqual(responses[1]["error"]["kind"], "bad_request")
        self.assertEqual(responses[2], {"v": 1, "id": 3, "ok": True})


if __name__ == "__main__":
    unittest.main()
