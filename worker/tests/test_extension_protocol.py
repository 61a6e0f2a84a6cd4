"""Extension-runner messages: its golden lines (shared with the C# tests) and its request decoding."""

from __future__ import annotations

import json
import unittest
from pathlib import Path

from kforge_worker.errors import WorkerError
from kforge_worker.extension.protocol import (FORMATS, REQUEST_TYPES, RESPONSE_TYPES, LoadRequest, RunResponse,
                                              TimeResponse, parse_request, parse_response)
from kforge_worker.protocol import PROTOCOL_VERSION, ErrorResponse, encode_request, encode_response

EXAMPLES = Path(__file__).resolve().parent.parent / "protocol-examples"
# golden file -> whether its response is ok
GOLDEN = {
    "extension_hello": True,
    "extension_load": True,
    "extension_run": True,
    "extension_run_input_modified": True,
    "extension_time": True,
    "extension_compile_error": False,
}
REQUIRED_RESPONSE_FIELDS = {
    "hello": {"worker_version", "protocol_version", "environment"},
    "load": {"build_seconds", "warnings"},
    "run": {"failure", "message", "runner_exiting"},
    "time": {"samples_us", "l2_flushed", "failure", "message", "runner_exiting"},
}


def golden_lines(name: str) -> list[str]:
    return (EXAMPLES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()


class ExtensionGoldenExamplesTests(unittest.TestCase):
    def test_every_extension_example_is_on_disk(self) -> None:
        on_disk = {path.stem for path in EXAMPLES.glob("extension_*.jsonl")}
        self.assertEqual(on_disk, set(GOLDEN))

    def test_every_example_is_one_request_then_its_response(self) -> None:
        for name, ok in GOLDEN.items():
            with self.subTest(name):
                lines = golden_lines(name)
                self.assertEqual(len(lines), 2)
                request, response = (json.loads(line) for line in lines)
                self.assertEqual((request["v"], response["v"]), (PROTOCOL_VERSION, PROTOCOL_VERSION))
                self.assertEqual(request["id"], response["id"])
                self.assertIn(request["op"], REQUEST_TYPES)
                self.assertIs(response["ok"], ok)
                required = REQUIRED_RESPONSE_FIELDS[request["op"]] if ok else {"error"}
                self.assertLessEqual(required, set(response))

    def test_examples_round_trip_byte_for_byte(self) -> None:
        for name, ok in GOLDEN.items():
            with self.subTest(name):
                request_line, response_line = golden_lines(name)
                request = parse_request(request_line)
                self.assertIsInstance(request, REQUEST_TYPES[json.loads(request_line)["op"]])
                self.assertEqual(encode_request(request), request_line)
                response = parse_response(response_line, type(request).OP)
                self.assertIsInstance(response, RESPONSE_TYPES[type(request).OP] if ok else ErrorResponse)
                self.assertEqual(encode_response(response), response_line)

    def test_load_example_is_consistent(self) -> None:
        for name in ("extension_load", "extension_compile_error"):
            with self.subTest(name):
                request = parse_request(golden_lines(name)[0])
                self.assertIsInstance(request, LoadRequest)
                self.assertIn(request.format, FORMATS)
                for paths in request.input_files:
                    self.assertEqual(len(paths), len(request.tensors))
                self.assertTrue(all(spec.role == "output" for spec in request.outputs))

    def test_compile_error_example_points_into_the_candidate(self) -> None:
        request = json.loads(golden_lines("extension_compile_error")[0])
        error = json.loads(golden_lines("extension_compile_error")[1])["error"]
        self.assertEqual(error["kind"], "compile_error")
        self.assertEqual(error["file"], request["candidate_path"])
        self.assertTrue(error["message"].startswith(f"{error['file']}:{error['line']}:"))
        self.assertIn(f"({error['line']}): error", error["message"])  # the nvcc log tail travels with it

    def test_failure_example_uses_a_known_failure_kind(self) -> None:
        response = parse_response(golden_lines("extension_run_input_modified")[1], "run")
        self.assertIsInstance(response, RunResponse)
        self.assertEqual(response.failure, "input_modified")
        self.assertFalse(response.runner_exiting)


class ExtensionRequestTests(unittest.TestCase):
    def test_unknown_op_names_the_runner_ops(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            parse_request('{"v":1,"id":1,"op":"load_problem"}')
        self.assertEqual(caught.exception.kind, "bad_request")
        for op in ("hello", "load", "run", "time", "shutdown"):
            self.assertIn(op, caught.exception.message)

    def test_load_missing_seed_is_named(self) -> None:
        body = json.loads(golden_lines("extension_load")[0])
        del body["seed"]
        with self.assertRaises(WorkerError) as caught:
            parse_request(json.dumps(body))
        self.assertIn('"seed"', caught.exception.message)

    def test_run_output_paths_must_be_a_list(self) -> None:
        with self.assertRaises(WorkerError):
            parse_request('{"v":1,"id":3,"op":"run","input_set":0,"output_paths":"a.npy"}')

    def test_non_finite_samples_are_sent_as_null(self) -> None:
        line = encode_response(TimeResponse(5, (1.5, float("nan")), True, None, None, False))
        self.assertEqual(json.loads(line)["samples_us"], [1.5, None])


if __name__ == "__main__":
    unittest.main()
