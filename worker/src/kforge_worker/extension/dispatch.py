"""One request line in, one response line out, for the extension runner: op -> handler, exceptions -> errors.

The error handling is the reference worker's (dispatch.internal_error, protocol.error_response/encode_response);
only the table of ops and the runner's state differ.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..dispatch import internal_error
from ..errors import WorkerError, bad_request
from ..protocol import (PROTOCOL_VERSION, ErrorInfo, ErrorResponse, HelloRequest, HelloResponse, ShutdownRequest,
                        ShutdownResponse, encode_response, error_response, request_id_of)
from .protocol import LoadRequest, Request, Response, RunRequest, TimeRequest, parse_request

log = logging.getLogger(__name__)


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
        request: Request | None = None
        try:
            request = parse_request(line)
            response = self.handle(request)
        except WorkerError as error:
            response = error_response(request.id if request else request_id_of(line), error)
        except Exception as error:  # a runner bug: report it as `internal` rather than dying mid-protocol
            log.error("internal error handling %.200s\n%s", line.strip(), traceback.format_exc())
            response = error_response(request.id if request else request_id_of(line), internal_error(error))
        try:
            text = encode_response(response)
        except ValueError as error:
            log.error("could not encode %r: %s", response, error)
            text = encode_response(ErrorResponse(response.id, ErrorInfo("internal", f"response not encodable: {error}")))
        ok = not isinstance(response, ErrorResponse)
        done = ok and (isinstance(request, ShutdownRequest) or getattr(response, "runner_exiting", False))
        return text, done

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
