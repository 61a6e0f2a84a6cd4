"""``python -m kforge_worker``: JSON-lines requests on stdin, one response line each on stdout.

stdout is reserved for protocol lines: the real file descriptor 1 is kept for them, and fd 1 itself is pointed at
stderr, so that a ``print`` in a problem file or output from a native library cannot corrupt the protocol.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

from .dispatch import Worker


def main() -> int:
    return serve(Worker().handle_line, "kforge_worker")


def serve(handle_line: Callable[[str], tuple[str, bool]], name: str) -> int:
    """Reads request lines until stdin closes or ``handle_line`` says to exit; writes each response on the real stdout.

    Shared by the worker and the extension runner (``kforge_worker.extension``).
    """
    logging.basicConfig(
        stream=sys.stderr, level=os.environ.get("KFORGE_WORKER_LOG_LEVEL", "INFO").upper(),
        format=f"{name} %(levelname)s %(name)s: %(message)s")
    protocol_out = _claim_stdout()
    requests = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    while True:
        line = requests.readline()
        if not line:
            logging.getLogger(__name__).info("stdin closed; exiting")
            return 0
        if not line.strip():
            continue
        started = time.perf_counter()
        response, done = handle_line(line)
        # Where an evaluation's time goes (kforge shows these with KFORGE_VERBOSE=1).
        logging.getLogger(__name__).info("request %s answered in %.3f s", _op_of(line), time.perf_counter() - started)
        protocol_out.write(response + "\n")
        protocol_out.flush()
        if done:
            return 0


def _op_of(line: str) -> str:
    """The request's ``"op"`` value, found without parsing the whole line again (for the timing log only)."""
    start = line.find('"op"')
    return line[start:start + 40].split(",")[0] if start >= 0 else "?"


def _claim_stdout() -> TextIO:
    sys.stdout.flush()
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return io.TextIOWrapper(os.fdopen(protocol_fd, "wb"), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    sys.exit(main())
