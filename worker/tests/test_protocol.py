"""Protocol messages: the golden lines shared with the C# tests, and the JSON rules (v, id, no NaN)."""

from __future__ import annotations

import json
import math
import unittest
from pathlib import Path

from kforge_worker.errors import WorkerError
from kforge_worker.protocol import (PROTOCOL_VERSION, REQUEST_TYPES, RESPONSE_TYPES, CheckRequest, ErrorResponse,
                                    LoadProblemRequest, OutputCheckResult, TimeReferenceResponse, dumps,
                                    encode_request, encode_response, parse_request, parse_response)

EXAMPLES = Path(__file__).resolve().parent.parent / "protocol-examples"
GOLDEN = ("hello", "load_problem", "check", "time_reference", "export_graph", "export_problem", "lint_problem",
          "functionalize", "error")
# Fields each response must carry (docs/protocol.md), beyond v, id and ok.
REQUIRED_RESPONSE_FIELDS = {
    "hello": {"worker_version", "protocol_version", "environment"},
    "load_problem": {"name", "problem_hash", "tensors", "outputs", "input_files", "bytes_moved", "warnings"},
    "check": {"sets"},
    "time_reference": {"samples_us", "l2_flushed", "setup_seconds"},
    "export_graph": {"graph"},
    "export_problem": {"graph"},
    "lint_problem": {"findings", "checked"},
    "functionalize": {"output_path", "problem_hash", "torch_version", "capture", "nodes", "matches", "sets", "warnings"},
    "error": {"error"},
}
ENVIRONMENT_FIELDS = {"gpu_name", "compute_capability", "driver_version", "torch_version", "torch_cuda_version",
                      "python_version", "sm_clock_mhz", "max_sm_clock_mhz", "memory_clock_mhz", "l2_cache_bytes",
                      "multiprocessor_count", "hostname"}
OUTPUT_CHECK_FIELDS = {"index", "passed", "failure", "message", "max_abs_error", "max_rel_error", "rel_l2_error",
                       "reference_float32_max_abs_error", "allowed_max_abs_error", "poisoned_elements",
                       "non_finite_elements", "element_count"}


def golden_lines(name: str) -> list[str]:
    return (EXAMPLES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()


class GoldenExamplesTests(unittest.TestCase):
    def test_every_example_is_one_request_then_its_response(self) -> None:
        for name in GOLDEN:
            with self.subTest(name):
                lines = golden_lines(name)
                self.assertEqual(len(lines), 2)
                request, response = (json.loads(line) for line in lines)
                self.assertEqual(request["v"], PROTOCOL_VERSION)
                self.assertEqual(response["v"], PROTOCOL_VERSION)
                self.assertEqual(request["id"], response["id"])
                self.assertIn(request["op"], REQUEST_TYPES)
                self.assertEqual(response["ok"], name != "error")
                self.assertLessEqual(REQUIRED_RESPONSE_FIELDS[name], set(response))

    def test_examples_round_trip_byte_for_byte(self) -> None:
        for name in GOLDEN:
            with self.subTest(name):
                request_line, response_line = golden_lines(name)
                request = parse_request(request_line)
                self.assertIsInstance(request, REQUEST_TYPES[json.loads(request_line)["op"]])
                self.assertEqual(encode_request(request), request_line)
                response = parse_response(response_line, type(request).OP)
                expected_type = ErrorResponse if name == "error" else RESPONSE_TYPES[type(request).OP]
                self.assertIsInstance(response, expected_type)
                self.assertEqual(encode_response(response), response_line)

    def test_hello_example_has_every_environment_field(self) -> None:
        environment = json.loads(golden_lines("hello")[1])["environment"]
        self.assertEqual(set(environment), ENVIRONMENT_FIELDS)
        self.assertRegex(environment["compute_capability"], r"^\d+\.\d+$")

    def test_check_example_outputs_have_every_field(self) -> None:
        sets = json.loads(golden_lines("check")[1])["sets"]
        self.assertTrue(sets)
        for entry in sets:
            for output in entry["outputs"]:
                self.assertEqual(set(output), OUTPUT_CHECK_FIELDS)

    def test_load_problem_example_is_consistent(self) -> None:
        response = json.loads(golden_lines("load_problem")[1])
        request = json.loads(golden_lines("load_problem")[0])
        self.assertEqual(len(response["input_files"]), len(request["seeds"]))
        for paths in response["input_files"]:
            self.assertEqual(len(paths), len(response["tensors"]))
        self.assertEqual([t["role"] for t in response["tensors"]], ["input", "parameter", "parameter"])
        self.assertRegex(response["problem_hash"], r"^[0-9a-f]{64}$")

    def test_error_example_has_kind_message_file_and_line(self) -> None:
        error = json.loads(golden_lines("error")[1])["error"]
        self.assertEqual(set(error), {"kind", "message", "file", "line"})
        self.assertTrue(error["message"].startswith(f"{error['file']}:{error['line']}:"))


class JsonRulesTests(unittest.TestCase):
    def test_dumps_rejects_nan_and_infinity(self) -> None:
        for value in (math.nan, math.inf, -math.inf):
            with self.assertRaises(ValueError):
                dumps({"x": value})

    def test_non_finite_floats_are_sent_as_null(self) -> None:
        result = OutputCheckResult(0, False, "non_finite_output", "m", math.nan, math.inf, -math.inf, 0.0, 1.0, 0, 3, 4)
        line = encode_response(TimeReferenceResponse(5, (1.5, math.nan), True, math.inf))
        self.assertEqual(json.loads(line)["samples_us"], [1.5, None])
        self.assertIsNone(json.loads(line)["setup_seconds"])
        from kforge_worker.protocol import CheckResponse, SetCheckResult
        body = json.loads(encode_response(CheckResponse(6, (SetCheckResult(0, (result,)),))))
        output = body["sets"][0]["outputs"][0]
        self.assertIsNone(output["max_abs_error"])
        self.assertIsNone(output["rel_l2_error"])
        self.assertEqual(output["allowed_max_abs_error"], 1.0)

    def test_nan_literal_in_a_request_is_a_bad_request(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            parse_request('{"v":1,"id":1,"op":"time_reference","mode":"eager","timing":{"warmup_calls":NaN}}')
        self.assertEqual(caught.exception.kind, "bad_request")

    def test_missing_field_is_named(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            parse_request('{"v":1,"id":2,"op":"load_problem","problem_path":"p.py","seeds":[1],"device":"cuda"}')
        self.assertEqual(caught.exception.kind, "bad_request")
        self.assertIn('"shm_dir"', caught.exception.message)

    def test_wrong_types_are_rejected(self) -> None:
        bad = ('{"v":1,"id":2,"op":"load_problem","problem_path":"p.py","seeds":[true],"shm_dir":"d","device":"c"}',
               '{"v":1,"id":2,"op":"load_problem","problem_path":"p.py","seeds":[1.5],"shm_dir":"d","device":"c"}',
               '{"v":1,"id":2,"op":"load_problem","problem_path":7,"seeds":[1],"shm_dir":"d","device":"c"}',
               '{"v":1,"id":2,"op":"check","output_files":"a.npy"}',
               '[1,2]')
        for line in bad:
            with self.subTest(line), self.assertRaises(WorkerError) as caught:
                parse_request(line)
            self.assertEqual(caught.exception.kind, "bad_request")

    def test_version_other_than_1_is_rejected(self) -> None:
        for version in ("2", "true", "null", '"1"'):
            with self.subTest(version), self.assertRaises(WorkerError):
                parse_request(f'{{"v":{version},"id":1,"op":"hello"}}')
        with self.assertRaises(WorkerError):
            parse_request('{"id":1,"op":"hello"}')

    def test_precision_defaults_to_strict_and_numbers_widen_to_float(self) -> None:
        request = parse_request('{"v":1,"id":3,"op":"check","output_files":[["a.npy"]]}')
        self.assertIsInstance(request, CheckRequest)
        self.assertEqual(request.precision, "strict")
        timing = parse_request('{"v":1,"id":4,"op":"time_reference","mode":"eager","timing":{"warmup_calls":1,'
                               '"min_samples":2,"max_samples":3,"target_relative_error":0,"max_wall_ms":100,'
                               '"flush_l2":false,"l2_flush_factor":2}}').timing
        self.assertIsInstance(timing.max_wall_ms, float)
        self.assertEqual(timing.target_relative_error, 0.0)

    def test_device_is_an_ordinal_or_a_torch_device_string(self) -> None:
        base = '{"v":1,"id":2,"op":"load_problem","problem_path":"p.py","seeds":[1],"shm_dir":"d","device":'
        self.assertEqual(parse_request(base + "0}").device, 0)
        self.assertEqual(parse_request(base + '"cuda:1"}').device, "cuda:1")
        for bad in ("true", "1.5", "null", "[0]"):
            with self.subTest(bad), self.assertRaises(WorkerError):
                parse_request(base + bad + "}")

    def test_messages_are_frozen(self) -> None:
        request = LoadProblemRequest(1, "p.py", (1, 2), "/dev/shm/x", "cuda")
        with self.assertRaises(AttributeError):
            request.device = "cpu"  # type: ignore[misc]

    def test_unknown_fields_are_ignored_for_forward_compatibility(self) -> None:
        request = parse_request('{"v":1,"id":9,"op":"hello","client":"kforge 0.2"}')
        self.assertEqual(request.id, 9)



class ScalarInputsTests(unittest.TestCase):
    def test_load_problem_response_round_trips_scalar_inputs_with_their_types(self) -> None:
        line = (EXAMPLES / "load_problem.jsonl").read_text().splitlines()[1]
        with_scalars = line.replace('"scalar_inputs":[]', '"scalar_inputs":[{"position":1,"value":3.14},'
                                                          '{"position":2,"value":7},{"position":3,"value":true}]')
        response = parse_response(with_scalars, "load_problem")
        self.assertEqual([(s.position, s.value) for s in response.scalar_inputs], [(1, 3.14), (2, 7), (3, True)])
        self.assertIs(type(response.scalar_inputs[2].value), bool)
        self.assertEqual(encode_response(response), with_scalars)


if __name__ == "__main__":
    unittest.main()
