"""Dispatch: every line gets exactly one response line carrying v and the request's id."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import tempfile
import unittest
from pathlib import Path
from typing import Any

from kforge_worker.dispatch import Worker
from kforge_worker.protocol import HelloRequest

HAS_TORCH = importlib.util.find_spec("torch") is not None


def respond(worker: Worker, message: Any) -> tuple[dict[str, Any], bool]:
    line = message if isinstance(message, str) else json.dumps(message)
    text, done = worker.handle_line(line)
    response = json.loads(text)
    if response["v"] != 1:
        raise AssertionError(f"response without v: 1: {text}")
    return response, done


class DispatchTests(unittest.TestCase):
    def setUp(self) -> None:
        self.worker = Worker()
        # Keep the worker's stderr diagnostics out of the test output; assertLogs still sees them.
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)

    def assert_error(self, response: dict[str, Any], kind: str, request_id: Any) -> dict[str, Any]:
        self.assertEqual(response["id"], request_id)
        self.assertIs(response["ok"], False)
        self.assertEqual(response["error"]["kind"], kind)
        self.assertTrue(response["error"]["message"])
        return response["error"]

    def test_export_graph_before_load_problem_is_a_bad_request(self) -> None:
        response, done = respond(self.worker, {"v": 1, "id": 21, "op": "export_graph"})
        error = self.assert_error(response, "bad_request", 21)
        self.assertIn("load_problem", error["message"])
        self.assertFalse(done)

    def test_unknown_op_is_a_bad_request_with_the_id(self) -> None:
        response, done = respond(self.worker, {"v": 1, "id": 41, "op": "frobnicate"})
        error = self.assert_error(response, "bad_request", 41)
        self.assertIn("frobnicate", error["message"])
        self.assertIn("load_problem", error["message"])
        self.assertFalse(done)

    def test_invalid_json_gets_a_null_id(self) -> None:
        response, _ = respond(self.worker, "{not json")
        self.assert_error(response, "bad_request", None)

    def test_bad_version_still_echoes_the_id(self) -> None:
        response, _ = respond(self.worker, {"v": 2, "id": 8, "op": "hello"})
        self.assert_error(response, "bad_request", 8)

    def test_check_and_time_before_load_are_bad_requests(self) -> None:
        response, _ = respond(self.worker, {"v": 1, "id": 1, "op": "check", "output_files": [["a.npy"]]})
        self.assertIn("load_problem first", self.assert_error(response, "bad_request", 1)["message"])
        timing = {"warmup_calls": 1, "min_samples": 1, "max_samples": 2, "target_relative_error": 0.01,
                  "max_wall_ms": 10, "flush_l2": False, "l2_flush_factor": 2}
        response, _ = respond(self.worker, {"v": 1, "id": 2, "op": "time_reference", "mode": "eager", "timing": timing})
        self.assert_error(response, "bad_request", 2)

    def test_hello_answers_without_torch_or_gpu(self) -> None:
        response, done = respond(self.worker, {"v": 1, "id": 3, "op": "hello"})
        self.assertIs(response["ok"], True)
        self.assertEqual(response["id"], 3)
        self.assertEqual(response["protocol_version"], 1)
        self.assertEqual(response["worker_version"], "0.1.0")
        self.assertIsNotNone(response["environment"]["python_version"])
        if not HAS_TORCH:
            self.assertIsNone(response["environment"]["torch_version"])
        self.assertFalse(done)

    def test_shutdown_answers_and_asks_to_exit(self) -> None:
        response, done = respond(self.worker, {"v": 1, "id": 4, "op": "shutdown"})
        self.assertEqual(response, {"v": 1, "id": 4, "ok": True})
        self.assertTrue(done)

    def test_missing_problem_file_is_problem_not_found(self) -> None:
        response, _ = respond(self.worker, {"v": 1, "id": 5, "op": "load_problem", "problem_path": "no/such.py",
                                            "seeds": [1], "shm_dir": "/tmp/kforge-test", "device": "cuda"})
        error = self.assert_error(response, "problem_not_found", 5)
        self.assertIn("no/such.py", error["message"])

    def test_syntax_error_is_reported_before_torch_is_needed(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "broken.py")
            Path(path).write_text("def get_inputs(:\n    pass\n", encoding="utf-8")
            response, _ = respond(self.worker, {"v": 1, "id": 6, "op": "load_problem", "problem_path": path,
                                                "seeds": [1], "shm_dir": folder, "device": "cuda"})
        error = self.assert_error(response, "problem_invalid", 6)
        self.assertEqual((error["file"], error["line"]), (path, 1))

    @unittest.skipIf(HAS_TORCH, "torch is installed here")
    def test_valid_problem_without_torch_is_an_environment_error(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "ok.py")
            Path(path).write_text("class Model: pass\ndef get_inputs(): pass\ndef get_init_inputs(): pass\n",
                                  encoding="utf-8")
            response, _ = respond(self.worker, {"v": 1, "id": 7, "op": "load_problem", "problem_path": path,
                                                "seeds": [1], "shm_dir": folder, "device": "cuda"})
        self.assertIn("torch", self.assert_error(response, "environment", 7)["message"])

    def test_empty_seeds_is_a_bad_request(self) -> None:
        response, _ = respond(self.worker, {"v": 1, "id": 9, "op": "load_problem", "problem_path": "p.py",
                                            "seeds": [], "shm_dir": "/tmp/x", "device": "cuda"})
        self.assert_error(response, "bad_request", 9)

    def test_a_bug_becomes_an_internal_error(self) -> None:
        def broken(request: Any) -> Any:
            raise ZeroDivisionError("division by zero")

        self.worker._handlers[HelloRequest] = broken
        with self.assertLogs("kforge_worker", level="ERROR") as logs:
            response, _ = respond(self.worker, {"v": 1, "id": 10, "op": "hello"})
        self.assertIn("Traceback", logs.output[0])
        error = self.assert_error(response, "internal", 10)
        self.assertIn("ZeroDivisionError", error["message"])
        self.assertTrue(error["file"].endswith("test_dispatch.py"))


if __name__ == "__main__":
    unittest.main()
