"""``python -m kforge_worker``: JSON-lines requests on stdin, one response line each on stdout.

stdout is reserved for protocol lines: the real file descriptor 1 is kept for them, and fd 1 itself is pointed at
stderr, so that a ``print`` in a problem file or output from a native library cannot corrupt the protocol.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import TextIO

from .dispatch import Worker


def main() -> int:
    logging.basicConfig(
        stream=sys.stderr, level=os.environ.get("KFORGE_WORKER_LOG_LEVEL", "INFO").upper(),
        format="kforge_worker %(levelname)s %(name)s: %(message)s")
    protocol_out = _claim_stdout()
    requests = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    worker = Worker()
    while True:
        line = requests.readline()
        if not line:
            logging.getLogger(__name__).info("stdin closed; exiting")
            return 0
        if not line.strip():
            continue
        response, done = worker.handle_line(line)
        protocol_out.write(response + "\n")
        protocol_out.flush()
        if done:
            return 0


def _claim_stdout() -> TextIO:
    sys.stdout.flush()
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return io.TextIOWrapper(os.fdopen(protocol_fd, "wb"), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    sys.exit(main())
