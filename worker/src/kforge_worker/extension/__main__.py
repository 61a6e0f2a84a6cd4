"""``python -m kforge_worker.extension``: JSON-lines requests on stdin, one response line each on stdout.

stdout is reserved for protocol lines exactly as in the reference worker (kforge_worker.__main__): a ``print`` in a
candidate, or nvcc and ninja output from a build, goes to stderr.
"""

from __future__ import annotations

import sys

from ..__main__ import serve  # the worker's loop and fd-1 redirection, shared on purpose
from .dispatch import ExtensionRunner


def main() -> int:
    return serve(ExtensionRunner().handle_line, "kforge_extension")


if __name__ == "__main__":
    sys.exit(main())
