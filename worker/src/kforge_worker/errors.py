"""The one exception type that becomes a protocol error response."""

from __future__ import annotations


class WorkerError(Exception):
    """An expected failure, reported to the orchestrator as ``{"ok": false, "error": {...}}``.

    ``kind`` is one of the protocol's open set (``problem_not_found``, ``problem_invalid``, ``problem_failed``,
    ``environment``, ``bad_request``, ``internal``); ``file`` and ``line`` point into the problem when known.
    The message says what went wrong and what to do about it.
    """

    def __init__(self, kind: str, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line


def bad_request(message: str) -> WorkerError:
    """A request the orchestrator should not have sent (unknown op, missing field, wrong order of ops)."""
    return WorkerError("bad_request", message)
