"""Reading a torch-extension candidate without torch: format detection and the static checks.

Everything here runs before torch is imported, so a syntax error or a missing ``ModelNew`` is reported in
milliseconds, with the file and line, on any machine. The same detection rules exist in C#
(``KernelForge.Evaluation.Extension.CandidateFormats``); keep the two in step.
"""

from __future__ import annotations

import ast
import hashlib
import re
import types
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkerError, bad_request
from .protocol import FORMATS

COMPILE_ERROR = "compile_error"
_MODEL_NEW_CLASS = re.compile(r"^class\s+ModelNew\b", re.MULTILINE)
_PYBIND_MODULE = re.compile(r"PYBIND11_MODULE\s*\(\s*(\w+)")
_FORWARD_DEFINITION = re.compile(r"\.def\s*\(\s*\"forward\"")
# torch picks the compiler by suffix: nvcc for .cu, the host compiler for the rest.
PYBIND_SUFFIXES = (".cu",)


@dataclass(frozen=True, slots=True)
class CandidateSource:
    """A candidate file that exists and passed the static checks of its format."""

    path: str
    format: str
    sha256: str
    code: types.CodeType | None  # model_new: the compiled module body
    module_name: str | None  # pybind: the name in PYBIND11_MODULE(name, m), unless it is TORCH_EXTENSION_NAME


def detect_format(path: str, text: str) -> str | None:
    """``pybind``, ``abi`` or ``model_new`` from the file's suffix and source; ``None`` when it is none of them."""
    suffix = Path(path).suffix.lower()
    if suffix == ".cu":
        if "PYBIND11_MODULE" in text:
            return "pybind"
        if "kforge_entry" in text or "KFORGE_ENTRY" in text:
            return "abi"
    elif suffix == ".py" and _MODEL_NEW_CLASS.search(text):
        return "model_new"
    return None


def undetected_message(path: str) -> str:
    """What to do with a file :func:`detect_format` does not recognise."""
    return (f"{path}: not a candidate KernelForge can run: write a .cu with `kforge_entry` (the KernelForge ABI), "
            "a .cu with a pybind11 `forward` (PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def(\"forward\", ...); }), "
            "or a .py defining `class ModelNew(nn.Module)` (KernelBench).")


def read_candidate(path: str, candidate_format: str) -> CandidateSource:
    """Reads and checks a candidate file of ``candidate_format`` without running it (and without torch)."""
    if candidate_format not in FORMATS:
        raise bad_request(f"unknown candidate format {candidate_format!r}; use one of {', '.join(FORMATS)}.")
    file = Path(path)
    if not file.is_file():
        raise bad_request(f"candidate file {path} does not exist (resolved to {file.resolve()}); write it before "
                          "sending load.")
    data = file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorkerError(COMPILE_ERROR, f"{path}: not UTF-8 text ({error}); save the candidate as UTF-8.",
                          file=path) from None
    digest = hashlib.sha256(data).hexdigest()
    if candidate_format == "model_new":
        return CandidateSource(path, candidate_format, digest, _compile_model_new(path, text), None)
    return CandidateSource(path, candidate_format, digest, None, _pybind_module_name(path, text))


def _compile_model_new(path: str, text: str) -> types.CodeType:
    try:
        tree = ast.parse(text, filename=path)
        code = compile(tree, path, "exec")
    except SyntaxError as error:
        line = error.lineno
        where = f"{path}:{line}" if line else path
        raise WorkerError(COMPILE_ERROR, f"{where}: syntax error: {error.msg}; fix the Python syntax.",
                          file=path, line=line) from None
    if not any(isinstance(node, ast.ClassDef) and node.name == "ModelNew" for node in tree.body):
        raise WorkerError(
            COMPILE_ERROR,
            f"{path}: no top-level class named ModelNew; define `class ModelNew(nn.Module)` taking the same "
            "arguments as the problem's Model (KernelBench format).", file=path)
    return code


def _pybind_module_name(path: str, text: str) -> str | None:
    if Path(path).suffix.lower() not in PYBIND_SUFFIXES:
        raise bad_request(f"pybind candidate {path} must be named *.cu so that torch compiles it with nvcc.")
    match = _PYBIND_MODULE.search(text)
    if match is None:
        raise WorkerError(
            COMPILE_ERROR,
            f"{path}: no PYBIND11_MODULE; end the file with PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) "
            "{ m.def(\"forward\", &forward, \"forward\"); }.", file=path)
    if _FORWARD_DEFINITION.search(text) is None:
        line = text.count("\n", 0, match.start()) + 1
        raise WorkerError(
            COMPILE_ERROR,
            f"{path}:{line}: PYBIND11_MODULE registers no \"forward\"; add m.def(\"forward\", &forward, \"forward\") "
            "taking the problem's inputs, then its parameters in named_parameters() order, then its buffers.", file=path, line=line)
    name = match.group(1)
    return None if name == "TORCH_EXTENSION_NAME" else name
