"""KernelForge reference worker: the one process that holds a problem's expected outputs.

Run it as ``python -m kforge_worker``; it speaks the JSON-lines protocol of docs/protocol.md on stdin/stdout.
"""

__version__ = "0.1.0"
