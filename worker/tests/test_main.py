"""End to end: `python -m kforge_worker` as a child process, as kforge starts it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src"
TIMEOUT_SECONDS = 120


class WorkerProcessTests(unittest.TestCase):
    def run_worker(self, lines: list[str]) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ, PYTHONPATH=str(SOURCE))
        return subprocess.run([sys.executable, "-m", "kforge_worker"], input="".join(line + "\n" for line in lines),
                              capture_output=True, text=True, env=environment, timeout=TIMEOUT_SECONDS, check=False)

    def test_hello_bad_op_shutdown(self) -> None:
        result = self.run_worker([
            '{"v":1,"id":1,"op":"hello"}',
            '{"v":1,"id":2,"op":"no_such_op"}',
            "",
            '{"v":1,"id":3,"op":"shutdown"}',
            '{"v":1,"id":4,"op":"hello"}',  # after shutdown: never answered
        ])
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        responses = [json.loads(line) for line in lines]  # stdout holds JSON lines only
        self.assertEqual([r["id"] for r in responses], [1, 2, 3])
        self.assertTrue(all(r["v"] == 1 for r in responses))
        self.assertIs(responses[0]["ok"], True)
        self.assertIn("environment", responses[0])
        self.assertEqual(responses[1]["error"]["kind"], "bad_request")
        self.assertEqual(responses[2], {"v": 1, "id": 3, "ok": True})

    def test_end_of_input_exits_zero(self) -> None:
        result = self.run_worker(['{"v":1,"id":1,"op":"frob"}'])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(result.stdout.splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
