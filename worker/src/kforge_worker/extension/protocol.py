"""Messages of the extension-runner protocol (docs/protocol.md, "Extension runner") and their JSON-lines form.

The framing, the codec and the shared messages (hello, shutdown, errors, tensor specs, timing options) are the
reference worker's; only the requests and responses specific to this process are defined here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Union

from ..codec import decode
from ..errors import bad_request
from ..protocol import _load_object as load_message  # the worker's framing: a JSON object, "v" checked, no NaN
from ..protocol import (ErrorResponse, HelloRequest, HelloResponse, ShutdownRequest, ShutdownResponse, TensorSpec,
                        TimingOptions)

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


@dataclass(frozen=True, slots=True)
class RunRequest:
    OP: ClassVar[str] = "run"
    id: int
    input_set: int
    output_paths: tuple[str, ...]


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
    """``failure`` is null when the outputs were written; ``runner_exiting`` when the CUDA context is lost."""

    id: int
    failure: str | None
    message: str | None
    runner_exiting: bool


@dataclass(frozen=True, slots=True)
class TimeResponse:
    id: int
    samples_us: tuple[float, ...]
    l2_flushed: bool
    failure: str | None
    message: str | None
    runner_exiting: bool


Response = Union[HelloResponse, LoadResponse, RunResponse, TimeResponse, ShutdownResponse, ErrorResponse]
RESPONSE_TYPES: dict[str, type] = {
    "hello": HelloResponse,
    "load": LoadResponse,
    "run": RunResponse,
    "time": TimeResponse,
    "shutdown": ShutdownResponse,
}


def parse_request(line: str) -> Request:
    """Decodes one request line; raises a ``bad_request`` WorkerError saying what is wrong."""
    message = load_message(line, "request")
    op = message.get("op")
    if not isinstance(op, str):
        raise bad_request("request has no \"op\" string; send e.g. {\"v\":1,\"id\":1,\"op\":\"hello\"}.")
    cls = REQUEST_TYPES.get(op)
    if cls is None:
        raise bad_request(f"unknown op {op!r}; the extension runner knows {', '.join(sorted(REQUEST_TYPES))}.")
    fields = {key: value for key, value in message.items() if key not in ("v", "op")}
    return decode(cls, fields, op)


def parse_response(line: str, op: str) -> Any:
    """Decodes a response to a request of ``op`` (used by the tests; the C# client has its own)."""
    message = load_message(line, "response")
    fields = {key: value for key, value in message.items() if key not in ("v", "ok")}
    if message.get("ok") is False:
        return decode(ErrorResponse, fields, "error response")
    if message.get("ok") is not True:
        raise bad_request("response has no boolean \"ok\".")
    return decode(RESPONSE_TYPES[op], fields, op)
