"""Candidate files of the torch-extension formats: format detection and the static checks (no torch needed)."""

from __future__ import annotations

import os
import tempfile
import unittest
from pathlib import Path

from kforge_worker.errors import WorkerError
from kforge_worker.extension.build import (COMPILE_LOG_TAIL_CHARS, built_by_torch, candidate_failure,
                                           first_error_line, log_tail)
from kforge_worker.extension.candidate import detect_format, read_candidate, undetected_message

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PYBIND_FORWARD = """\
#include <torch/extension.h>
torch::Tensor forward(torch::Tensor x) { return x.clone(); }
PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
    m.def("forward", &forward, "forward");
}
"""
MODEL_NEW = """\
import torch.nn as nn


class ModelNew(nn.Module):
    def forward(self, x):
        return x
"""


class DetectFormatTests(unittest.TestCase):
    def test_pybind_abi_and_model_new(self) -> None:
        cases = [
            ("k.cu", PYBIND_FORWARD, "pybind"),
            ("k.cu", '#include "kforge_abi.h"\nKFORGE_ENTRY(const kf_tensor* in) { return 0; }', "abi"),
            ("k.cu", 'extern "C" int kforge_entry(void) { return 0; }', "abi"),
            ("k.cu", PYBIND_FORWARD + "// also mentions kforge_entry", "pybind"),
            ("m.py", MODEL_NEW, "model_new"),
            ("M.PY", MODEL_NEW, "model_new"),
        ]
        for path, text, expected in cases:
            with self.subTest(path=path, expected=expected):
                self.assertEqual(detect_format(path, text), expected)

    def test_unrecognised_files_are_none(self) -> None:
        cases = [
            ("k.cu", "__global__ void k() {}"),
            ("m.py", "class Model(nn.Module): pass"),
            ("m.py", "x = 'class ModelNew'"),  # not a class statement at the start of a line
            ("k.cpp", PYBIND_FORWARD),
            ("notes.txt", MODEL_NEW),
        ]
        for path, text in cases:
            with self.subTest(path=path):
                self.assertIsNone(detect_format(path, text))

    def test_undetected_message_names_the_three_formats(self) -> None:
        message = undetected_message("x.txt")
        for word in ("kforge_entry", "PYBIND11_MODULE", "ModelNew"):
            self.assertIn(word, message)

    def test_repository_examples_are_detected(self) -> None:
        cases = {
            "torch_ext/relu_model_new.py": "model_new",
            "torch_ext/softmax_pybind.cu": "pybind",
            "adversarial/torch_empty_model_new.py": "model_new",
            "relu_abi.cu": "abi",
        }
        for relative, expected in cases.items():
            with self.subTest(relative):
                path = EXAMPLES / relative
                self.assertEqual(detect_format(str(path), path.read_text(encoding="utf-8")), expected)


class ReadCandidateTests(unittest.TestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = folder.name

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.folder, name)
        Path(path).write_text(text, encoding="utf-8")
        return path

    def assert_compile_error(self, path: str, candidate_format: str) -> WorkerError:
        with self.assertRaises(WorkerError) as caught:
            read_candidate(path, candidate_format)
        self.assertEqual(caught.exception.kind, "compile_error")
        self.assertEqual(caught.exception.file, path)
        self.assertTrue(caught.exception.message.startswith(path))
        return caught.exception

    def test_model_new_syntax_error_has_file_and_line(self) -> None:
        path = self.write("bad.py", "import torch\n\nclass ModelNew(nn.Module:\n    pass\n")
        error = self.assert_compile_error(path, "model_new")
        self.assertEqual(error.line, 3)
        self.assertIn("syntax error", error.message)

    def test_model_new_without_the_class_says_what_to_define(self) -> None:
        path = self.write("model.py", "import torch.nn as nn\n\nclass Model(nn.Module):\n    pass\n")
        error = self.assert_compile_error(path, "model_new")
        self.assertIn("class ModelNew(nn.Module)", error.message)

    def test_model_new_class_inside_a_function_does_not_count(self) -> None:
        path = self.write("nested.py", "def make():\n    class ModelNew:\n        pass\n    return ModelNew\n")
        self.assert_compile_error(path, "model_new")

    def test_valid_model_new_is_compiled(self) -> None:
        path = self.write("ok.py", MODEL_NEW)
        source = read_candidate(path, "model_new")
        self.assertIsNotNone(source.code)
        self.assertRegex(source.sha256, r"^[0-9a-f]{64}$")

    def test_pybind_without_module_or_forward(self) -> None:
        no_module = self.write("a.cu", "torch::Tensor forward(torch::Tensor x) { return x; }\n")
        self.assertIn("PYBIND11_MODULE", self.assert_compile_error(no_module, "pybind").message)
        no_forward = self.write("b.cu", "// kernel\nPYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {\n"
                                        "  m.def(\"run\", &run);\n}\n")
        error = self.assert_compile_error(no_forward, "pybind")
        self.assertEqual(error.line, 2)
        self.assertIn('"forward"', error.message)

    def test_pybind_module_name(self) -> None:
        self.assertIsNone(read_candidate(self.write("t.cu", PYBIND_FORWARD), "pybind").module_name)
        named = PYBIND_FORWARD.replace("TORCH_EXTENSION_NAME", "my_softmax")
        self.assertEqual(read_candidate(self.write("n.cu", named), "pybind").module_name, "my_softmax")

    def test_orchestrator_mistakes_are_bad_requests(self) -> None:
        cases = [
            (os.path.join(self.folder, "missing.py"), "model_new"),
            (self.write("x.py", MODEL_NEW), "torchscript"),
            (self.write("forward.cpp", PYBIND_FORWARD), "pybind"),
        ]
        for path, candidate_format in cases:
            with self.subTest(path=path, format=candidate_format), self.assertRaises(WorkerError) as caught:
                read_candidate(path, candidate_format)
            self.assertEqual(caught.exception.kind, "bad_request")

    def test_not_utf8_is_a_compile_error(self) -> None:
        path = os.path.join(self.folder, "latin1.py")
        Path(path).write_bytes(b"# caf\xe9\nclass ModelNew: pass\n")
        self.assert_compile_error(path, "model_new")


class BuildFailureTests(unittest.TestCase):
    def test_first_error_line_reads_nvcc_and_gcc_logs(self) -> None:
        self.assertEqual(first_error_line("x\n/tmp/a/k.cu(52): error: identifier", "/tmp/b/k.cu"), 52)
        self.assertEqual(first_error_line("k.cu:7:3: error: expected ';'", "k.cu"), 7)
        self.assertEqual(first_error_line("k.cu:9:1: fatal error: no.h: No such file", "k.cu"), 9)
        self.assertEqual(first_error_line("/a/k.cu(4): catastrophic error: cannot open source file", "k.cu"), 4)
        self.assertIsNone(first_error_line("other.cu(3): error: x", "k.cu"))
        self.assertIsNone(first_error_line("k.cu(3): warning: unused", "k.cu"))

    def test_log_tail_keeps_the_end(self) -> None:
        self.assertEqual(log_tail("  short\n"), "short")
        tail = log_tail("a" * COMPILE_LOG_TAIL_CHARS + "the end")
        self.assertTrue(tail.startswith("...\n"))
        self.assertTrue(tail.endswith("the end"))

    def test_errors_raised_inside_torch_cpp_extension_are_compile_errors(self) -> None:
        fake_torch = os.path.join("/site-packages", "torch", "utils", "cpp_extension.py")
        code = compile("raise RuntimeError(\"Error building extension 'k': k.cu(3): error: x\")", fake_torch, "exec")
        try:
            exec(code, {})
        except RuntimeError as error:
            self.assertTrue(built_by_torch(error))
            failure = candidate_failure("cand.py", "the module body", error)
        self.assertEqual(failure.kind, "compile_error")
        self.assertIn("k.cu(3): error", failure.message)

    def test_other_errors_are_load_errors_with_the_candidate_line(self) -> None:
        code = compile("\n\nraise ValueError('bad size')", "/tmp/cand.py", "exec")
        try:
            exec(code, {})
        except ValueError as error:
            self.assertFalse(built_by_torch(error))
            failure = candidate_failure("/tmp/cand.py", "ModelNew(*get_init_inputs())", error)
        self.assertEqual((failure.kind, failure.file, failure.line), ("load_error", "/tmp/cand.py", 3))
        self.assertIn("ValueError: bad size", failure.message)


if __name__ == "__main__":
    unittest.main()
