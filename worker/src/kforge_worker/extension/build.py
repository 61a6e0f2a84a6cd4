"""Building a checked candidate with torch: a ModelNew file's module body (which usually compiles CUDA with
``load_inline``) and ``ModelNew(*get_init_inputs())``, or a pybind ``.cu`` through ``cpp_extension.load``.

Failures are WorkerErrors pointing into the candidate: ``compile_error`` when torch's extension builder failed (the
compiler log's tail is in the message), ``load_error`` when candidate code raised for any other reason.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import WorkerError
from ..problem import ProblemSource, call_problem, execute_problem, line_in_file, validate_init_inputs
from .candidate import COMPILE_ERROR, CandidateSource

T = TypeVar("T")

LOAD_ERROR = "load_error"
# Enough of a compiler log for the first errors of a long nvcc run; the orchestrator stores it with the result.
COMPILE_LOG_TAIL_CHARS = 6000
# torch.utils.cpp_extension raises plain RuntimeErrors; a frame in this file tells a failed build from other errors.
_CPP_EXTENSION_FILE = os.path.join("torch", "utils", "cpp_extension.py")
_module_counter = itertools.count()


def run_model_new_module(source: CandidateSource, build_dir: str) -> dict[str, Any]:
    """Runs the ModelNew file's module body in a fresh module, with torch extension builds under ``build_dir``."""
    os.makedirs(build_dir, exist_ok=True)
    # load_inline's default build root; torch reads it at call time, so the candidate's builds land in build_dir.
    os.environ["TORCH_EXTENSIONS_DIR"] = build_dir
    module_name = f"kforge_candidate_{next(_module_counter)}_{source.sha256[:12]}"
    module = types.ModuleType(module_name)
    module.__file__ = source.path
    # Registered so that pickling, inspect and torch.compile can find ModelNew's module by name.
    sys.modules[module_name] = module
    code = source.code
    if code is None:
        raise WorkerError("internal", f"{source.path}: a model_new source without compiled code (a runner bug).")
    call_candidate(source.path, "the module body", lambda: exec(code, module.__dict__))
    return module.__dict__


def construct_model_new(torch: Any, source: CandidateSource, namespace: dict[str, Any], problem: ProblemSource,
                        seed: int, device: Any) -> Any:
    """``ModelNew(*get_init_inputs())`` seeded as the worker seeds ``Model``, on ``device``, in eval mode.

    The problem module is run for ``get_init_inputs`` only; its ``Model`` is never constructed or called here.
    """
    problem_namespace = execute_problem(problem)
    # The worker's order (reference.py, build_model): seed, get_init_inputs(), construct. A ModelNew that creates
    # the same layers in the same order therefore draws the same initial weights as the reference.
    torch.manual_seed(seed)
    init_inputs = validate_init_inputs(
        problem.path, call_problem(problem.path, "get_init_inputs()", problem_namespace["get_init_inputs"]))
    model = call_candidate(source.path, "ModelNew(*get_init_inputs())", lambda: namespace["ModelNew"](*init_inputs))
    if not isinstance(model, torch.nn.Module):
        raise WorkerError(LOAD_ERROR, f"{source.path}: ModelNew(...) gave a {type(model).__name__}, not a "
                                      "torch.nn.Module; subclass nn.Module.", file=source.path)
    # In the mode it was built in, like the reference's Model (reference.build_model): training unless it says otherwise.
    return call_candidate(source.path, "ModelNew.to(device)", lambda: model.to(device))


def build_pybind(source: CandidateSource, build_dir: str) -> Callable[..., Any]:
    """Compiles the ``.cu`` with torch's extension builder (nvcc -O3) and returns the module's ``forward``."""
    from torch.utils.cpp_extension import load

    os.makedirs(build_dir, exist_ok=True)
    # A module named in PYBIND11_MODULE(name, m) must be imported under that name (PyInit_name); otherwise the
    # content hash names it, so that an unchanged candidate reuses torch's (ninja's) earlier build in build_dir.
    name = source.module_name or f"kforge_{source.sha256[:16]}"
    try:
        module = load(name=name, sources=[os.path.abspath(source.path)], build_directory=build_dir,
                      extra_cuda_cflags=["-O3"], verbose=False)
    except Exception as error:  # torch raises RuntimeError for build and import failures alike
        log = str(error)
        line = first_error_line(log, source.path)
        where = f"{source.path}:{line}" if line else source.path
        raise WorkerError(COMPILE_ERROR, f"{where}: the extension did not build; fix the errors below.\n"
                                         f"{log_tail(log)}", file=source.path, line=line) from None
    forward = getattr(module, "forward", None)
    if not callable(forward):
        raise WorkerError(LOAD_ERROR, f"{source.path}: the built module has no callable forward; register it with "
                                      "m.def(\"forward\", &forward, \"forward\").", file=source.path)
    return forward


def call_candidate(path: str, what: str, function: Callable[[], T]) -> T:
    """Calls candidate code; an exception becomes ``compile_error`` (a torch extension build) or ``load_error``."""
    try:
        return function()
    except WorkerError:
        raise
    except Exception as error:
        raise candidate_failure(path, what, error) from error


def candidate_failure(path: str, what: str, error: Exception) -> WorkerError:
    line = line_in_file(error, path)
    where = f"{path}:{line}" if line else path
    if built_by_torch(error):
        return WorkerError(COMPILE_ERROR, f"{where}: {what}: the torch extension did not build; fix the errors "
                                          f"below.\n{log_tail(str(error))}", file=path, line=line)
    return WorkerError(LOAD_ERROR, f"{where}: {what} raised {type(error).__name__}: {error}", file=path, line=line)


def built_by_torch(error: BaseException) -> bool:
    """Whether the exception came out of torch.utils.cpp_extension (a failed compile, link or import of a build)."""
    return any(frame.filename.endswith(_CPP_EXTENSION_FILE) for frame in traceback.extract_tb(error.__traceback__))


def log_tail(log: str) -> str:
    text = log.strip()
    return text if len(text) <= COMPILE_LOG_TAIL_CHARS else "...\n" + text[-COMPILE_LOG_TAIL_CHARS:]


def first_error_line(log: str, path: str) -> int | None:
    """Line of the first compiler error in ``path``: nvcc writes ``file(23): error``, gcc/clang ``file:23:5: error``."""
    name = re.escape(os.path.basename(path))
    match = re.search(rf"{name}(?:\((\d+)\)|:(\d+):\d+):\s*(?:fatal |catastrophic )?error", log)
    if match is None:
        return None
    return int(match.group(1) or match.group(2))
