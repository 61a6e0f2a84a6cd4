"""Loading a KernelBench-format problem file: ``class Model(nn.Module)``, ``get_inputs()``, ``get_init_inputs()``.

Every failure becomes a WorkerError whose message names the file (and line, when known) and says what to do;
a traceback never reaches the orchestrator. The checks that need no torch run first (:func:`read_problem`).
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import os
import sys
import traceback
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import WorkerError

T = TypeVar("T")

REQUIRED_NAMES: tuple[tuple[str, str, str], ...] = (
    # (name, what it must be, how to fix)
    ("Model", "class", "define `class Model(nn.Module)` with `__init__` and `forward`"),
    ("get_inputs", "function", "define `def get_inputs():` returning a list of input tensors"),
    ("get_init_inputs", "function", "define `def get_init_inputs():` returning the arguments of `Model(...)` (may be [])"),
)

_module_counter = itertools.count()


@dataclass(frozen=True, slots=True)
class ProblemSource:
    """A problem file that exists, compiles, and defines the three required names at top level."""

    path: str
    name: str
    sha256: str
    code: types.CodeType


def read_problem(path: str) -> ProblemSource:
    """Reads, compiles and checks a problem file without running it (and without torch)."""
    file = Path(path)
    if not file.is_file():
        where = "is a directory" if file.is_dir() else "does not exist"
        raise WorkerError(
            "problem_not_found",
            f"{path}: problem file {where} (resolved to {file.resolve()}); check the path, which is relative to "
            "the worker's working directory unless absolute.", file=path)
    data = file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorkerError("problem_invalid", f"{path}: not UTF-8 text ({error}); save the problem as UTF-8.",
                          file=path) from None
    try:
        tree = ast.parse(text, filename=path)
        code = compile(tree, path, "exec")
    except SyntaxError as error:
        line = error.lineno
        where = f"{path}:{line}" if line else path
        raise WorkerError("problem_invalid", f"{where}: syntax error: {error.msg}; fix the Python syntax.",
                          file=path, line=line) from None
    _require_names(tree, path)
    return ProblemSource(path=path, name=file.stem, sha256=hashlib.sha256(data).hexdigest(), code=code)


def _require_names(tree: ast.Module, path: str) -> None:
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    functions = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for name, kind, fix in REQUIRED_NAMES:
        defined = classes if kind == "class" else functions
        if name not in defined:
            raise WorkerError(
                "problem_invalid",
                f"{path}: no top-level {kind} named {name}; {fix} (KernelBench format).", file=path)


def execute_problem(source: ProblemSource) -> dict[str, Any]:
    """Runs the problem's module body in a fresh module and returns its namespace."""
    module_name = f"kforge_problem_{next(_module_counter)}_{source.name}".replace("-", "_")
    module = types.ModuleType(module_name)
    module.__file__ = source.path
    # Registered so that inspect/torch.compile can find the module of Model by name.
    sys.modules[module_name] = module
    call_problem(source.path, "the module body", lambda: exec(source.code, module.__dict__))
    return module.__dict__


def call_problem(path: str, what: str, function: Callable[[], T]) -> T:
    """Calls problem code; an exception it raises becomes ``problem_failed`` with the problem's line."""
    try:
        return function()
    except WorkerError:
        raise
    except Exception as error:
        line = line_in_file(error, path)
        where = f"{path}:{line}" if line else path
        raise WorkerError(
            "problem_failed", f"{where}: {what} raised {type(error).__name__}: {error}",
            file=path, line=line) from error


def line_in_file(error: BaseException, path: str) -> int | None:
    """Line of the innermost traceback frame inside ``path``, if any."""
    target = os.path.abspath(path)
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename) == target:
            line = frame.lineno
    return line


def validate_inputs(path: str, values: Any, is_tensor: Callable[[Any], bool]) -> list[Any]:
    """``get_inputs()`` must return a list or tuple of tensors and Python numbers (scalar inputs, see
    ``is_scalar_input``); other values are not in the ABI."""
    if not isinstance(values, (list, tuple)):
        raise WorkerError(
            "problem_invalid",
            f"{path}: get_inputs() returned {type(values).__name__}; return a list of tensors.", file=path)
    for index, value in enumerate(values):
        if not is_tensor(value) and not is_scalar_input(value):
            raise WorkerError(
                "problem_invalid",
                f"{path}: get_inputs() item {index} is {type(value).__name__} ({_short(value)}); get_inputs() may "
                "return tensors and Python numbers (int, float, bool) only: pass other values to Model(...) through "
                "get_init_inputs() instead.",
                file=path)
    return list(values)


def is_scalar_input(value: Any) -> bool:
    """A Python number among ``get_inputs()`` (e.g. ``A * s`` with ``s = 3.14``). It is part of the problem, not of an
    input set: it must be the same for every seed, the ABI entry does not receive it (export bakes it into the graph,
    and an ABI kernel hard-codes it), and a torch-extension candidate gets it at its position, as the reference does."""
    return isinstance(value, (bool, int, float))


def tensor_inputs(values: Sequence[Any]) -> list[Any]:
    """The tensors of an input set, in order: what the ABI entry receives."""
    return [value for value in values if not is_scalar_input(value)]


def scalar_inputs(values: Sequence[Any]) -> tuple[tuple[int, bool | int | float], ...]:
    """``(position in get_inputs(), value)`` of each scalar input."""
    return tuple((position, value) for position, value in enumerate(values) if is_scalar_input(value))


def tensor_attributes(model: Any, tensor_type: type) -> list[tuple[str, Any]]:
    """``(qualified name, tensor)`` of every tensor a module of ``model`` holds as a plain attribute, neither parameter nor
    buffer: KernelBench's RNN problems keep their initial states so (``self.h0 = torch.randn(...)`` in ``__init__``).
    They are part of the model's state like buffers, so the ABI passes them after the buffers, in this order."""
    found = []
    for prefix, module in model.named_modules():
        for name, value in vars(module).items():
            if isinstance(value, tensor_type) and not name.startswith("_"):
                found.append((f"{prefix}.{name}" if prefix else name, value))
    return found


def model_state(model: Any, tensor_type: type) -> list[tuple[str, Any, str]]:
    """``(qualified name, tensor, role)`` of the model's state in ABI order: parameters in ``named_parameters()`` order,
    then buffers in ``named_buffers()`` order, then plain tensor attributes (role ``buffer``, see ``tensor_attributes``)."""
    return [(name, tensor, "parameter") for name, tensor in model.named_parameters()] + \
        [(name, tensor, "buffer") for name, tensor in model.named_buffers()] + \
        [(name, tensor, "buffer") for name, tensor in tensor_attributes(model, tensor_type)]


def set_tensor_attribute(model: Any, name: str, value: Any) -> None:
    """Sets the attribute ``name`` (a qualified name as ``tensor_attributes`` gives it) of ``model``'s submodule."""
    owner, _, attribute = name.rpartition(".")
    setattr(model.get_submodule(owner), attribute, value)


def insert_scalars(tensors: Sequence[Any], scalars: Iterable[tuple[int, Any]]) -> list[Any]:
    """``tensors`` with each ``(position, value)`` of ``scalars`` put back at its position in get_inputs()."""
    values = list(tensors)
    for position, value in sorted(scalars, key=lambda scalar: scalar[0]):
        values.insert(position, value)
    return values


def copy_inputs(values: Sequence[Any]) -> list[Any]:
    """Fresh copies of an input set for one call: tensors cloned (a forward that writes its inputs changes only the
    copies), scalar inputs as they are."""
    return [value if is_scalar_input(value) else value.clone() for value in values]


def validate_init_inputs(path: str, values: Any) -> list[Any]:
    if not isinstance(values, (list, tuple)):
        raise WorkerError(
            "problem_invalid",
            f"{path}: get_init_inputs() returned {type(values).__name__}; return a list of Model(...) arguments.",
            file=path)
    return list(values)


def normalize_outputs(path: str, output: Any, is_tensor: Callable[[Any], bool]) -> list[Any]:
    """``forward`` must return a tensor or a tuple/list of tensors; returns them as a list."""
    values: Sequence[Any] = [output] if is_tensor(output) else output
    if not isinstance(values, (list, tuple)) or not values or not all(is_tensor(value) for value in values):
        raise WorkerError(
            "problem_invalid",
            f"{path}: forward returned {_describe(output)}; outputs must be tensors: return a tensor or a tuple "
            "of tensors.", file=path)
    return list(values)


def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of ({', '.join(type(item).__name__ for item in value)})"
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
