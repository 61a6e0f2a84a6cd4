"""One request line in, one response line out: op -> handler, and every exception -> an error response."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from . import __version__
from .errors import WorkerError, bad_request
from .protocol import (PROTOCOL_VERSION, CheckRequest, ErrorInfo, ErrorResponse, ExportGraphRequest, ExportGraphResponse,
                       FunctionalizeRequest, HelloRequest, HelloResponse, LintProblemRequest,
                       LoadProblemRequest, Request, Response, ShutdownRequest, ShutdownResponse,
                       TimeReferenceRequest, encode_response, error_response, parse_request, request_id_of)

log = logging.getLogger(__name__)


class Worker:
    """The worker's state between requests: at most one loaded problem, whose references live only here."""

    def __init__(self) -> None:
        self._problem: Any = None  # reference.LoadedProblem once load_problem succeeded
        self._first_seed = 0  # the seed the loaded problem's model was built with
        self._handlers: dict[type, Callable[[Any], Response]] = {
            HelloRequest: self._hello,
            LoadProblemRequest: self._load_problem,
            CheckRequest: self._check,
            TimeReferenceRequest: self._time_reference,
            ExportGraphRequest: self._export_graph,
            LintProblemRequest: self._lint_problem,
            FunctionalizeRequest: self._functionalize,
            ShutdownRequest: lambda request: ShutdownResponse(request.id),
        }

    def handle_line(self, line: str) -> tuple[str, bool]:
        """The response line for one request line, and whether the worker should exit after writing it."""
        return respond(line, parse_request, self.handle, lambda request, _: isinstance(request, ShutdownRequest))

    def handle(self, request: Request) -> Response:
        handler = self._handlers.get(type(request))
        if handler is None:
            raise bad_request(f"no handler for {type(request).__name__}.")
        return handler(request)

    def _hello(self, request: HelloRequest) -> HelloResponse:
        from .environment import collect_environment
        return HelloResponse(request.id, __version__, PROTOCOL_VERSION, collect_environment())

    def _load_problem(self, request: LoadProblemRequest) -> Response:
        from .reference import load_problem
        self._problem = None  # release the previous problem's GPU memory before building the next
        self._problem, response = load_problem(request)
        self._first_seed = request.seeds[0]
        return response

    def _check(self, request: CheckRequest) -> Response:
        from .check import check_outputs
        problem = self._loaded("check")
        return check_outputs(problem.references, request, device=problem.device)

    def _time_reference(self, request: TimeReferenceRequest) -> Response:
        from .timing import time_reference
        return time_reference(self._loaded("time_reference"), request)

    def _export_graph(self, request: ExportGraphRequest) -> Response:
        from .export import export_graph, export_problem
        if request.problem_path is not None:
            return ExportGraphResponse(request.id, export_problem(request))  # self-contained; the loaded problem stays
        problem = self._loaded("export_graph")
        return ExportGraphResponse(request.id, export_graph(problem.model, problem.input_sets[0], problem_path=problem.path))

    def _lint_problem(self, request: LintProblemRequest) -> Response:
        from .lint import lint_problem
        return lint_problem(self._loaded("lint_problem"), self._first_seed, request)

    def _functionalize(self, request: FunctionalizeRequest) -> Response:
        from .functionalize import functionalize
        return functionalize(request)  # self-contained: it loads the problem itself and leaves the loaded one alone

    def _loaded(self, op: str) -> Any:
        if self._problem is None:
            raise bad_request(f"{op} needs a loaded problem; send load_problem first (or again, if it failed).")
        return self._problem


def respond(line: str, parse: Callable[[str], Any], handle: Callable[[Any], Any],
            exits_after: Callable[[Any, Any], bool]) -> tuple[str, bool]:
    """One request line in, one response line out, for the worker and the extension runner alike.

    Every exception becomes an error response (a ``WorkerError`` as itself, anything else as ``internal``), so the
    process never dies mid-protocol; ``exits_after(request, response)`` says, for a successful answer, whether the
    process should exit once it is written.
    """
    request: Any = None
    try:
        request = parse(line)
        response = handle(request)
    except WorkerError as error:
        response = error_response(request.id if request else request_id_of(line), error)
    except Exception as error:  # a bug of ours: report it as `internal` rather than dying mid-protocol
        log.error("internal error handling %.200s\n%s", line.strip(), traceback.format_exc())
        response = error_response(request.id if request else request_id_of(line), internal_error(error))
    try:
        text = encode_response(response)
    except ValueError as error:
        log.error("could not encode %r: %s", response, error)
        text = encode_response(ErrorResponse(response.id, ErrorInfo("internal", f"response not encodable: {error}")))
    return text, not isinstance(response, ErrorResponse) and exits_after(request, response)


def internal_error(error: Exception) -> WorkerError:
    """A WorkerError of kind ``internal`` pointing at the innermost frame that raised."""
    frames = traceback.extract_tb(error.__traceback__)
    file = frames[-1].filename if frames else None
    line = frames[-1].lineno if frames else None
    return WorkerError("internal", f"{type(error).__name__}: {error} (a worker bug; the traceback is on the "
                                   "worker's stderr)", file, line)
