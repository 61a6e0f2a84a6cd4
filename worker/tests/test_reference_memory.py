import unittest


class ReleaseCachedMemoryTests(unittest.TestCase):
    """The ABI runner allocates after load_problem, in its own process: the worker's cached blocks must go back first."""

    def test_cuda_device_empties_the_cache(self) -> None:
        from types import SimpleNamespace

        from kforge_worker.reference import release_cached_memory
        calls: list[str] = []
        fake_torch = SimpleNamespace(cuda=SimpleNamespace(empty_cache=lambda: calls.append("empty_cache")))

        release_cached_memory(fake_torch, SimpleNamespace(type="cuda"))
        release_cached_memory(fake_torch, SimpleNamespace(type="cpu"))

        self.assertEqual(calls, ["empty_cache"])


if __name__ == "__main__":
    unittest.main()
