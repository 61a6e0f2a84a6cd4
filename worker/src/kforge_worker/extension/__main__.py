"""``python -m kforge_worker.extension``: JSON-lines requests on stdin, one response line each on stdout.

stdout is reserved for protocol lines exactly as in the reference worker (kforge_worker.__main__): a ``print`` in a
candidate, or nvcc and ninja output from a build, goes to stderr.
"""

from __future__ import annotations

import io
import logging
import os
import sys

from ..__main__ import _claim_stdout as claim_stdout  # the worker's fd-1 redirection, shared on purpose
from .dispatch import ExtensionRunner


def main() -> int:
    logging.basicConfig(
        stream=sys.stderr, level=os.environ.get("KFORGE_WORKER_LOG_LEVEL", "INFO").upper(),
        format="kforge_extension %(levelname)s %(name)s: %(message)s")
    protocol_out = claim_stdout()
    requests = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    runner = ExtensionRunner()
    while True:
        line = requests.readline()
        if not line:
            logging.getLogger(__name__).info("stdin closed; exiting")
            return 0
        if not line.strip():
            continue
        response, done = runner.handle_line(line)
        protocol_out.write(response + "\n")
        protocol_out.flush()
        if done:
            return 0


if __name__ == "__main__":
    sys.exit(main())
