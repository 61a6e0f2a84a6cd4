"""Messages of the extension-runner protocol (docs/protocol.md, "Extension runner") and their JSON-lines form.

The framing, the codec and the shared messages (hello, shutdown, errors, tensor specs, timing options) are the
reference worker's; only the requests and responses specific to this process are defined here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Union

from .. import protocol as worker_protocol  # the worker's framing and parsing, with this protocol's tables
from ..protocol import (ErrorResponse, HelloRequest, HelloResponse, ScalarInput, ShutdownRequest, ShutdownResponse,
                        TensorSpec, TimingOptions)

FORMATS = ("model_new", "pybind")


@dataclass(frozen=True, slots=True)
class LoadRequest:
    """Build a candidate and get ready to run it on the worker's input files (one list per input set)."""

    OP: ClassVar[str] = "load"
    id: int
    candidate_path: str
    format: str  # one of FORMATS
    problem_path: str  # read for get_init_inputs() (model_new); the reference Model is never called
    seed: int  # torch.manual_seed before ModelNew(...), as the worker seeds Model(...) with seeds[0]
    tensors: tuple[TensorSpec, ...]  # inputs, then parameters, then buffers: the worker's load_problem tensors
    outputs: tuple[TensorSpec, ...]
    input_files: tuple[tuple[str, ...], ...]  # [input set][tensor] .npy paths, as load_problem returned them
    build_dir: str
    device: int | str
    scalar_inputs: tuple[ScalarInput, ...] = ()  # load_problem's: Python numbers of get_inputs(), at their positions


@dataclass(frozen=True, slots=True)
class RunRequest:
    """One checked call on input set ``input_set``; ``count_launches`` profiles it (absent in older requests: false)."""

    OP: ClassVar[str] = "run"
    id: int
    input_set: int
    output_paths: tuple[str, ...]
    count_launches: bool = False


@dataclass(frozen=True, slots=True)
class TimeRequest:
    OP: ClassVar[str] = "time"
    id: int
    timing: TimingOptions


Request = Union[HelloRequest, LoadRequest, RunRequest, TimeRequest, ShutdownRequest]
REQUEST_TYPES: dict[str, type] = {
    cls.OP: cls for cls in (HelloRequest, LoadRequest, RunRequest, TimeRequest, ShutdownRequest)
}


@dataclass(frozen=True, slots=True)
class LoadResponse:
    id: int
    build_seconds: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunResponse:
    """``failure`` is null when the outputs were written; ``runner_exiting`` when the CUDA context is lost.

    The other fields describe a call that returned (null after ``runtime_error``, and in older responses):
    ``call_us`` is its event time on CUDA (null on the CPU), inflated by the profiler when launches were counted;
    ``launches`` and ``launched_kernels`` (demangled name -> count) are the CUDA kernels the torch profiler saw during
    it, when ``count_launches`` was asked; ``launches_not_counted`` says why they were not, when asked and impossible.
    """

    id: int
    failure: str | None
    message: str | None
    runner_exiting: bool
    call_us: float | None = None
    launches: int | None = None
    launched_kernels: dict[str, int] | None = None
    launches_not_counted: str | None = None


@dataclass(frozen=True, slots=True)
class TimeResponse:
    id: int
    samples_us: tuple[float, ...]
    l2_flushed: bool
    failure: str | None
    message: str | None
    runner_exiting: bool
    wall_ms: float | None = None  # host wall time of the timed loop: the cross-check for the events' sum


Response = Union[HelloResponse, LoadResponse, RunResponse, TimeResponse, ShutdownResponse, ErrorResponse]
RESPONSE_TYPES: dict[str, type] = {
    "hello": HelloResponse,
    "load": LoadResponse,
    "run": RunResponse,
    "time": TimeResponse,
    "shutdown": ShutdownResponse,
}


def parse_request(line: str) -> Request:
    """Decodes one request line of this protocol; raises a ``bad_request`` WorkerError saying what is wrong."""
    return worker_protocol.parse_request(line, REQUEST_TYPES, who="the extension runner")


def parse_response(line: str, op: str) -> Any:
    """Decodes a response to a request of ``op`` (used by the tests; the C# client has its own)."""
    return worker_protocol.parse_response(line, op, RESPONSE_TYPES)
