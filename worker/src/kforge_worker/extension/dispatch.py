"""One request line in, one response line out, for the extension runner: op -> handler, exceptions -> errors.

The line handling and error handling are the reference worker's (dispatch.respond); only the table of ops, the
runner's state and when to exit differ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import __version__
from ..dispatch import respond
from ..errors import bad_request
from ..protocol import PROTOCOL_VERSION, HelloRequest, HelloResponse, ShutdownRequest, ShutdownResponse
from .protocol import LoadRequest, Request, Response, RunRequest, TimeRequest, parse_request


class ExtensionRunner:
    """The runner's state between requests: at most one built candidate (and never any expected output)."""

    def __init__(self) -> None:
        self._candidate: Any = None  # harness.LoadedCandidate once load succeeded
        self._handlers: dict[type, Callable[[Any], Response]] = {
            HelloRequest: self._hello,
            LoadRequest: self._load,
            RunRequest: self._run,
            TimeRequest: self._time,
            ShutdownRequest: lambda request: ShutdownResponse(request.id),
        }

    def handle_line(self, line: str) -> tuple[str, bool]:
        """The response line for one request line, and whether the runner should exit after writing it.

        It exits after shutdown, and after a call that lost the CUDA context (``runner_exiting``): a sticky CUDA
        error poisons every later call, so the orchestrator starts a fresh runner.
        """
        return respond(line, parse_request, self.handle,
                       lambda request, response: isinstance(request, ShutdownRequest) or getattr(response, "runner_exiting", False))

    def handle(self, request: Request) -> Response:
        handler = self._handlers.get(type(request))
        if handler is None:
            raise bad_request(f"no handler for {type(request).__name__}.")
        return handler(request)

    def _hello(self, request: HelloRequest) -> HelloResponse:
        from ..environment import collect_environment
        return HelloResponse(request.id, __version__, PROTOCOL_VERSION, collect_environment())

    def _load(self, request: LoadRequest) -> Response:
        from .load import load_candidate
        self._candidate = None  # release the previous candidate's tensors before building the next
        self._candidate, response = load_candidate(request)
        return response

    def _run(self, request: RunRequest) -> Response:
        from ..environment import require_torch
        from .harness import run_candidate
        candidate = self._loaded("run")
        return run_candidate(require_torch(), candidate, request)

    def _time(self, request: TimeRequest) -> Response:
        from ..environment import require_torch
        from .harness import time_candidate
        candidate = self._loaded("time")
        return time_candidate(require_torch(), candidate, request)

    def _loaded(self, op: str) -> Any:
        if self._candidate is None:
            raise bad_request(f"{op} needs a loaded candidate; send load first (or again, if it failed).")
        return self._candidate
