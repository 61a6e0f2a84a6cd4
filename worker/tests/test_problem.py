"""Problem loading without torch: path, syntax and names are checked before anything runs."""

from __future__ import annotations

import hashlib
import os
import tempfile
import textwrap
import unittest
from pathlib import Path

from kforge_worker.errors import WorkerError
from kforge_worker.problem import (call_problem, execute_problem, normalize_outputs, read_problem,
                                   scalar_inputs, tensor_inputs, validate_init_inputs, validate_inputs)

VALID = """\
class Model:
    def __init__(self, scale):
        self.scale = scale

    def forward(self, x):
        return x


def get_inputs():
    return [1.0]


def get_init_inputs():
    return [2]
"""


class ProblemFileTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self._folder = tempfile.TemporaryDirectory()
        self.addCleanup(self._folder.cleanup)

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self._folder.name, name)
        Path(path).write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def assert_error(self, path: str, kind: str, *fragments: str) -> WorkerError:
        with self.assertRaises(WorkerError) as caught:
            read_problem(path)
        error = caught.exception
        self.assertEqual(error.kind, kind)
        self.assertEqual(error.file, path)
        self.assertIn(path, error.message)
        for fragment in fragments:
            self.assertIn(fragment, error.message)
        return error


class ReadProblemTests(ProblemFileTestCase):
    def test_valid_problem_gives_name_and_sha256_of_the_bytes(self) -> None:
        path = self.write("19_ReLU.py", VALID)
        source = read_problem(path)
        self.assertEqual(source.name, "19_ReLU")
        self.assertEqual(source.sha256, hashlib.sha256(Path(path).read_bytes()).hexdigest())

    def test_missing_file_is_problem_not_found(self) -> None:
        path = os.path.join(self._folder.name, "nope.py")
        self.assert_error(path, "problem_not_found", "does not exist", "check the path")

    def test_directory_is_problem_not_found(self) -> None:
        self.assert_error(self._folder.name, "problem_not_found", "is a directory")

    def test_syntax_error_names_file_and_line(self) -> None:
        path = self.write("broken.py", "import torch\n\nclass Model(nn.Module)\n    pass\n")
        error = self.assert_error(path, "problem_invalid", "syntax error")
        self.assertEqual(error.line, 3)
        self.assertTrue(error.message.startswith(f"{path}:3: syntax error"))

    def test_missing_model_says_what_to_add(self) -> None:
        path = self.write("no_model.py", VALID.replace("class Model:", "class Modell:"))
        error = self.assert_error(path, "problem_invalid", "Model", "class Model(nn.Module)")
        self.assertIsNone(error.line)

    def test_model_must_be_a_class(self) -> None:
        path = self.write("model_fn.py", VALID.replace("class Model:", "def Model():\n    pass\n\nclass Other:"))
        self.assert_error(path, "problem_invalid", "no top-level class named Model")

    def test_missing_get_inputs_says_what_to_add(self) -> None:
        path = self.write("no_inputs.py", VALID.replace("def get_inputs", "def get_input"))
        self.assert_error(path, "problem_invalid", "get_inputs", "def get_inputs():")

    def test_missing_get_init_inputs_says_what_to_add(self) -> None:
        path = self.write("no_init.py", VALID.replace("def get_init_inputs", "def init_inputs"))
        self.assert_error(path, "problem_invalid", "get_init_inputs", "def get_init_inputs():")

    def test_nested_definitions_do_not_count(self) -> None:
        path = self.write("nested.py", "if True:\n" + textwrap.indent(VALID, "    "))
        self.assert_error(path, "problem_invalid", "no top-level class named Model")

    def test_non_utf8_file_is_invalid(self) -> None:
        path = os.path.join(self._folder.name, "latin1.py")
        Path(path).write_bytes(b"# \xe9\xff\n" + VALID.encode())
        self.assert_error(path, "problem_invalid", "UTF-8")


class RunningProblemCodeTests(ProblemFileTestCase):
    def test_exception_in_problem_code_is_problem_failed_with_its_line(self) -> None:
        path = self.write("raises.py", VALID.replace("    return [1.0]", "    raise ValueError('no inputs today')"))
        namespace = execute_problem(read_problem(path))
        with self.assertRaises(WorkerError) as caught:
            call_problem(path, "get_inputs()", namespace["get_inputs"])
        error = caught.exception
        self.assertEqual(error.kind, "problem_failed")
        self.assertEqual(error.line, 10)
        self.assertEqual(error.file, path)
        self.assertEqual(error.message, f"{path}:10: get_inputs() raised ValueError: no inputs today")

    def test_exception_in_module_body_is_problem_failed(self) -> None:
        path = self.write("body.py", VALID + "\nimport kforge_no_such_module\n")
        with self.assertRaises(WorkerError) as caught:
            execute_problem(read_problem(path))
        self.assertEqual(caught.exception.kind, "problem_failed")
        self.assertEqual(caught.exception.line, VALID.count("\n") + 2)
        self.assertIn("ModuleNotFoundError", caught.exception.message)

    def test_exception_outside_the_file_has_no_line(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            call_problem("problems/x.py", "forward", lambda: {}["missing"])
        self.assertIsNone(caught.exception.line)
        self.assertTrue(caught.exception.message.startswith("problems/x.py: forward raised KeyError"))

    def test_execute_gives_the_module_namespace(self) -> None:
        namespace = execute_problem(read_problem(self.write("ok.py", VALID)))
        model = namespace["Model"](*namespace["get_init_inputs"]())
        self.assertEqual(model.scale, 2)


def is_fake_tensor(value: object) -> bool:
    return isinstance(value, bytes)


class ValidationTests(unittest.TestCase):
    def test_inputs_must_be_a_list_or_tuple(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            validate_inputs("p.py", b"t", is_fake_tensor)
        self.assertEqual(caught.exception.kind, "problem_invalid")
        self.assertIn("return a list of tensors", caught.exception.message)
        self.assertEqual(validate_inputs("p.py", (b"a", b"b"), is_fake_tensor), [b"a", b"b"])

    def test_python_numbers_are_scalar_inputs(self) -> None:
        # KernelBench-style `A * s` with get_inputs() returning [A, 3.14]: the number is part of the problem.
        values = validate_inputs("p.py", [b"a", 3.14, 2, True], is_fake_tensor)
        self.assertEqual(scalar_inputs(values), ((1, 3.14), (2, 2), (3, True)))
        self.assertEqual(tensor_inputs(values), [b"a"])

    def test_other_values_are_refused(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            validate_inputs("p.py", [b"a", "mean"], is_fake_tensor)
        self.assertEqual(caught.exception.kind, "problem_invalid")
        self.assertIn("item 1 is str", caught.exception.message)
        self.assertIn("get_init_inputs()", caught.exception.message)

    def test_init_inputs_must_be_a_list_or_tuple(self) -> None:
        with self.assertRaises(WorkerError):
            validate_init_inputs("p.py", 3)
        self.assertEqual(validate_init_inputs("p.py", (1, 2)), [1, 2])

    def test_outputs_must_be_tensors(self) -> None:
        self.assertEqual(normalize_outputs("p.py", b"t", is_fake_tensor), [b"t"])
        self.assertEqual(normalize_outputs("p.py", (b"a", b"b"), is_fake_tensor), [b"a", b"b"])
        for bad in (3, None, (b"a", 2), (), {"x": b"a"}):
            with self.subTest(bad), self.assertRaises(WorkerError) as caught:
                normalize_outputs("p.py", bad, is_fake_tensor)
            self.assertEqual(caught.exception.kind, "problem_invalid")
            self.assertIn("outputs must be tensors", caught.exception.message)


if __name__ == "__main__":
    unittest.main()
