"""Messages of the reference-worker protocol (docs/protocol.md) and their JSON-lines form.

A request line is ``{"v": 1, "id": N, "op": "...", <fields>}``; a success response is
``{"v": 1, "id": N, "ok": true, <fields>}`` and a failure ``{"v": 1, "id": N, "ok": false, "error": {...}}``.
Non-finite floats are sent as ``null`` and NaN/Infinity are rejected on the way in and out (``allow_nan=False``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Union

from .codec import decode, encode, reject_constant
from .errors import WorkerError, bad_request

PROTOCOL_VERSION = 1


@dataclass(frozen=True, slots=True)
class TimingOptions:
    """The shared timing protocol; the orchestrator sends the same numbers to the ABI runner."""

    warmup_calls: int
    min_samples: int
    max_samples: int
    target_relative_error: float
    max_wall_ms: float
    flush_l2: bool
    l2_flush_factor: float


@dataclass(frozen=True, slots=True)
class TensorSpec:
    """One tensor a problem takes or returns. ``role`` is input, parameter, buffer or output."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    role: str


@dataclass(frozen=True, slots=True)
class Environment:
    """Facts about the GPU host for the hello response; ``None`` where unknown, never zero."""

    gpu_name: str | None
    compute_capability: str | None
    driver_version: str | None
    torch_version: str | None
    torch_cuda_version: str | None
    python_version: str | None
    sm_clock_mhz: int | None
    max_sm_clock_mhz: int | None
    memory_clock_mhz: int | None
    l2_cache_bytes: int | None
    multiprocessor_count: int | None
    hostname: str | None


@dataclass(frozen=True, slots=True)
class OutputCheckResult:
    """How one candidate output of one input set compares with the float64 reference."""

    index: int
    passed: bool
    failure: str | None
    message: str | None
    max_abs_error: float | None
    max_rel_error: float | None
    rel_l2_error: float | None
    reference_float32_max_abs_error: float | None
    allowed_max_abs_error: float | None
    poisoned_elements: int
    non_finite_elements: int
    element_count: int


@dataclass(frozen=True, slots=True)
class SetCheckResult:
    index: int
    outputs: tuple[OutputCheckResult, ...]


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One way the loaded problem is degenerate (lint.py lists the codes); ``output`` is None for the whole problem."""

    code: str
    output: int | None
    message: str


@dataclass(frozen=True, slots=True)
class FunctionalCheck:
    """The functional form against the problem's Model on one seed; errors are ``None`` when it did not run."""

    seed: int
    passed: bool
    max_abs_error: float | None  # max |functional - problem| over float32 outputs (the worst output)
    allowed_max_abs_error: float | None
    message: str | None  # why it failed; None when it passed


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Body of a failure response; ``file``/``line`` are left out of the JSON when unknown."""

    kind: str
    message: str
    file: str | None = None
    line: int | None = None


# ---- requests -------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HelloRequest:
    OP: ClassVar[str] = "hello"
    id: int


@dataclass(frozen=True, slots=True)
class LoadProblemRequest:
    OP: ClassVar[str] = "load_problem"
    id: int
    problem_path: str
    seeds: tuple[int, ...]
    shm_dir: str
    device: int | str  # a CUDA ordinal (0 = the first visible GPU) or a torch device string ("cuda:1", "cpu")


@dataclass(frozen=True, slots=True)
class CheckRequest:
    OP: ClassVar[str] = "check"
    id: int
    output_files: tuple[tuple[str, ...], ...]
    precision: str = "strict"


@dataclass(frozen=True, slots=True)
class TimeReferenceRequest:
    OP: ClassVar[str] = "time_reference"
    id: int
    mode: str
    timing: TimingOptions


@dataclass(frozen=True, slots=True)
class ExportGraphRequest:
    """Exports a model with torch.export (core ATen) as graph schema v1 (docs/graph-schema.md).

    Without ``problem_path``: the loaded problem's model on its first input set. With it: self-contained, the problem
    is built with ``seed`` on ``device`` and exported on that seed's inputs, without float64 references, input files
    or flop counts (what ``kforge translate`` needs, at a fraction of load_problem's time and GPU memory).
    """
    OP: ClassVar[str] = "export_graph"
    id: int
    problem_path: str | None = None
    seed: int | None = None
    device: int | str | None = None


@dataclass(frozen=True, slots=True)
class LintProblemRequest:
    """Flags a loaded problem that is easy to cheat on (zeros pass, outputs ignore inputs or weights, ...)."""
    OP: ClassVar[str] = "lint_problem"
    id: int


@dataclass(frozen=True, slots=True)
class FunctionalizeRequest:
    """Writes the problem's functional form to ``output_path`` and checks it against the problem on every seed."""
    OP: ClassVar[str] = "functionalize"
    id: int
    problem_path: str
    output_path: str
    seeds: tuple[int, ...]
    device: int | str  # as load_problem's


@dataclass(frozen=True, slots=True)
class ShutdownRequest:
    OP: ClassVar[str] = "shutdown"
    id: int


Request = Union[HelloRequest, LoadProblemRequest, CheckRequest, TimeReferenceRequest, ExportGraphRequest,
                LintProblemRequest, FunctionalizeRequest, ShutdownRequest]
REQUEST_TYPES: dict[str, type] = {
    cls.OP: cls for cls in (HelloRequest, LoadProblemRequest, CheckRequest, TimeReferenceRequest, ExportGraphRequest,
                            LintProblemRequest, FunctionalizeRequest, ShutdownRequest)
}


# ---- responses ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HelloResponse:
    id: int
    worker_version: str
    protocol_version: int
    environment: Environment


@dataclass(frozen=True, slots=True)
class ScalarInput:
    position: int  # index in get_inputs()
    value: bool | int | float


@dataclass(frozen=True, slots=True)
class LoadProblemResponse:
    id: int
    name: str
    problem_hash: str
    tensors: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    input_files: tuple[tuple[str, ...], ...]
    bytes_moved: int
    warnings: tuple[str, ...]
    flops: int | None = None  # one forward pass, as torch's FlopCounterMode counts; None when unknown
    # Python numbers among get_inputs(), the same for every seed: not in tensors or input_files (see problem.py,
    # is_scalar_input); a torch-extension candidate is called with each at its position.
    scalar_inputs: tuple[ScalarInput, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckResponse:
    id: int
    sets: tuple[SetCheckResult, ...]


@dataclass(frozen=True, slots=True)
class TimeReferenceResponse:
    id: int
    samples_us: tuple[float, ...]
    l2_flushed: bool
    setup_seconds: float | None


@dataclass(frozen=True, slots=True)
class ExportGraphResponse:
    id: int
    graph: Any


@dataclass(frozen=True, slots=True)
class LintProblemResponse:
    id: int
    findings: tuple[LintFinding, ...]
    checked: tuple[str, ...]  # the codes that were evaluated; a code not listed was skipped, not passed


@dataclass(frozen=True, slots=True)
class FunctionalizeResponse:
    id: int
    output_path: str
    problem_hash: str  # sha256 of the problem file's bytes
    torch_version: str
    capture: str  # how the graph was captured: "torch.export (core ATen)", or "make_fx" on a torch without torch.export
    nodes: int  # nodes of the captured graph
    matches: bool  # every seed passed
    sets: tuple[FunctionalCheck, ...]  # one per seed, in request order
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShutdownResponse:
    id: int


@dataclass(frozen=True, slots=True)
class ErrorResponse:
    id: int | None
    error: ErrorInfo


Response = Union[HelloResponse, LoadProblemResponse, CheckResponse, TimeReferenceResponse, ExportGraphResponse,
                 LintProblemResponse, FunctionalizeResponse, ShutdownResponse, ErrorResponse]
RESPONSE_TYPES: dict[str, type] = {
    "hello": HelloResponse,
    "load_problem": LoadProblemResponse,
    "check": CheckResponse,
    "time_reference": TimeReferenceResponse,
    "export_graph": ExportGraphResponse,
    "lint_problem": LintProblemResponse,
    "functionalize": FunctionalizeResponse,
    "shutdown": ShutdownResponse,
}


# ---- JSON lines -----------------------------------------------------------------------------------------------

def dumps(value: Any) -> str:
    """Compact JSON; raises ValueError on NaN or infinity, which must have been turned into null before."""
    return json.dumps(value, allow_nan=False, separators=(",", ":"), ensure_ascii=False)


def encode_request(request: Request) -> str:
    body = encode(request, omit_none=(ExportGraphRequest,))  # its optional fields exist only when set
    return dumps({"v": PROTOCOL_VERSION, "id": body.pop("id"), "op": type(request).OP, **body})


def encode_response(response: Response) -> str:
    body = encode(response, omit_none=(ErrorInfo,))
    ok = not isinstance(response, ErrorResponse)
    return dumps({"v": PROTOCOL_VERSION, "id": body.pop("id"), "ok": ok, **body})


def error_response(request_id: int | None, error: WorkerError) -> ErrorResponse:
    return ErrorResponse(request_id, ErrorInfo(error.kind, error.message, error.file, error.line))


def request_id_of(line: str) -> int | None:
    """Best-effort id of a line that failed to parse, so that even its error response can be matched."""
    try:
        value = json.loads(line)
    except ValueError:
        return None
    found = value.get("id") if isinstance(value, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def parse_request(line: str, request_types: dict[str, type] | None = None, who: str = "this worker") -> Any:
    """Decodes one request line with ``request_types`` (default: the worker's ops); raises a ``bad_request`` WorkerError
    saying what is wrong. The extension runner passes its own table."""
    request_types = REQUEST_TYPES if request_types is None else request_types
    message = _load_object(line, "request")
    op = message.get("op")
    if not isinstance(op, str):
        raise bad_request("request has no \"op\" string; send e.g. {\"v\":1,\"id\":1,\"op\":\"hello\"}.")
    cls = request_types.get(op)
    if cls is None:
        raise bad_request(f"unknown op {op!r}; {who} knows {', '.join(sorted(request_types))}.")
    fields = {key: value for key, value in message.items() if key not in ("v", "op")}
    return decode(cls, fields, op)


def parse_response(line: str, op: str, response_types: dict[str, type] | None = None) -> Any:
    """Decodes a response to a request of ``op`` (used by the tests; the C# client has its own)."""
    response_types = RESPONSE_TYPES if response_types is None else response_types
    message = _load_object(line, "response")
    fields = {key: value for key, value in message.items() if key not in ("v", "ok")}
    if message.get("ok") is False:
        return decode(ErrorResponse, fields, "error response")
    if message.get("ok") is not True:
        raise bad_request("response has no boolean \"ok\".")
    return decode(response_types[op], fields, op)


def _load_object(line: str, what: str) -> dict[str, Any]:
    try:
        message = json.loads(line, parse_constant=reject_constant)
    except ValueError as error:
        raise bad_request(f"{what} is not valid JSON ({error}); send one JSON object per line.") from None
    if not isinstance(message, dict):
        raise bad_request(f"{what} must be a JSON object, got {type(message).__name__}.")
    version = message.get("v")
    if version != PROTOCOL_VERSION or isinstance(version, bool):
        raise bad_request(
            f"{what} has protocol version {version!r}; this worker speaks \"v\": {PROTOCOL_VERSION}. "
            "Use a worker and kforge from the same checkout.")
    return message
