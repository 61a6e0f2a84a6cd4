"""Extension-runner messages: its golden lines (shared with the C# tests) and its request decoding."""

from __future__ import annotations

import json
import unittest
from pathlib import Path

from kforge_worker.errors import WorkerError
from kforge_worker.extension.protocol import (FORMATS, REQUEST_TYPES, RESPONSE_TYPES, LoadRequest, RunRequest,
                                              RunResponse, TimeResponse, parse_request, parse_response)
from kforge_worker.protocol import PROTOCOL_VERSION, ErrorResponse, encode_request, encode_response

EXAMPLES = Path(__file__).resolve().parent.parent / "protocol-examples"
# golden file -> whether its response is ok
GOLDEN = {
    "extension_hello": True,
    "extension_load": True,
    "extension_run": True,
    "extension_run_input_modified": True,
    "extension_run_fresh": True,
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


class RunResponseTests(unittest.TestCase):
    def test_counted_call_sends_its_time_and_kernels(self) -> None:
        response = RunResponse(3, None, None, False, 12.5, 3, {"k(float*)": 2, "void t<float>(float*)": 1}, None)
        body = json.loads(encode_response(response))
        self.assertEqual(body["call_us"], 12.5)
        self.assertEqual(body["launches"], 3)
        self.assertEqual(body["launched_kernels"], {"k(float*)": 2, "void t<float>(float*)": 1})
        self.assertIsNone(body["launches_not_counted"])
        self.assertEqual(parse_response(encode_response(response), "run"), response)

    def test_uncounted_call_says_why_and_sends_nulls(self) -> None:
        response = RunResponse(3, None, None, False, None, None, None, "launches are counted on CUDA only.")
        body = json.loads(encode_response(response))
        self.assertEqual([body[key] for key in ("call_us", "launches", "launched_kernels")], [None, None, None])
        self.assertEqual(body["launches_not_counted"], "launches are counted on CUDA only.")

    def test_response_without_the_new_fields_still_parses(self) -> None:
        response = parse_response('{"v":1,"id":3,"ok":true,"failure":null,"message":null,"runner_exiting":false}', "run")
        self.assertEqual((response.call_us, response.launches, response.launched_kernels, response.launches_not_counted),
                         (None, None, None, None))

    def test_launched_kernels_must_map_names_to_counts(self) -> None:
        line = '{"v":1,"id":3,"ok":true,"failure":null,"message":null,"runner_exiting":false,"launched_kernels":{"k":"2"}}'
        with self.assertRaises(WorkerError) as caught:
            parse_response(line, "run")
        self.assertIn("launched_kernels['k']", caught.exception.message)
        with self.assertRaises(WorkerError):
            parse_response(line.replace('{"k":"2"}', '["k"]'), "run")

    def test_golden_run_carries_launches_and_the_fresh_run_only_its_time(self) -> None:
        counted = parse_response(golden_lines("extension_run")[1], "run")
        self.assertEqual(counted.launches, sum(counted.launched_kernels.values()))
        self.assertGreater(counted.call_us, 0)
        fresh = parse_response(golden_lines("extension_run_fresh")[1], "run")
        self.assertGreater(fresh.call_us, 0)
        self.assertIsNone(fresh.launches)
        self.assertIsNone(fresh.launches_not_counted)  # not asked, so nothing to explain


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

    def test_run_counts_launches_only_when_asked(self) -> None:
        old = parse_request('{"v":1,"id":3,"op":"run","input_set":0,"output_paths":["a.npy"]}')
        asked = parse_request('{"v":1,"id":3,"op":"run","input_set":0,"output_paths":["a.npy"],"count_launches":true}')
        self.assertIsInstance(old, RunRequest)
        self.assertIs(old.count_launches, False)  # a request from before the field existed stays valid
        self.assertIs(asked.count_launches, True)
        self.assertIs(parse_request(golden_lines("extension_run_fresh")[0]).count_launches, False)

    def test_count_launches_must_be_a_boolean(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            parse_request('{"v":1,"id":3,"op":"run","input_set":0,"output_paths":["a.npy"],"count_launches":1}')
        self.assertIn("count_launches", caught.exception.message)

    def test_non_finite_samples_are_sent_as_null(self) -> None:
        line = encode_response(TimeResponse(5, (1.5, float("nan")), True, None, None, False))
        self.assertEqual(json.loads(line)["samples_us"], [1.5, None])

    def test_time_response_carries_the_loops_host_wall_time(self) -> None:
        # kforge cross-checks the events' sum against it; without the field the report says "not reported".
        line = encode_response(TimeResponse(5, (1.5,), True, None, None, False, 12.5))
        self.assertEqual(json.loads(line)["wall_ms"], 12.5)


if __name__ == "__main__":
    unittest.main()
