"""The shared stopping rule, on synthetic samples (no clock, no GPU)."""

from __future__ import annotations

import unittest
from dataclasses import replace

from kforge_worker.errors import WorkerError
from kforge_worker.protocol import TimingOptions
from kforge_worker.timing import should_stop, validate_timing

OPTIONS = TimingOptions(warmup_calls=5, min_samples=10, max_samples=500, target_relative_error=0.01,
                        max_wall_ms=3000.0, flush_l2=True, l2_flush_factor=2.0)


class ShouldStopTests(unittest.TestCase):
    def test_never_stops_before_min_samples_even_when_steady(self) -> None:
        self.assertFalse(should_stop([20.0] * 9, 10.0, OPTIONS))

    def test_stops_at_min_samples_when_the_interval_is_tight(self) -> None:
        self.assertTrue(should_stop([20.0] * 10, 10.0, OPTIONS))

    def test_keeps_going_while_the_interval_is_wide(self) -> None:
        noisy = [10.0, 30.0] * 10  # mean 20, stdev ~10.3, half-width ~4.5 = 22% of the mean
        self.assertFalse(should_stop(noisy, 10.0, OPTIONS))

    def test_threshold_is_196_stdev_over_sqrt_n(self) -> None:
        # samples 99/101 alternating: mean 100, stdev s; stop iff 1.96*s/sqrt(n)/100 <= target.
        samples = [99.0, 101.0] * 10
        import statistics
        relative = 1.96 * statistics.stdev(samples) / len(samples) ** 0.5 / 100.0
        self.assertTrue(should_stop(samples, 1.0, replace(OPTIONS, target_relative_error=relative * 1.001)))
        self.assertFalse(should_stop(samples, 1.0, replace(OPTIONS, target_relative_error=relative * 0.999)))

    def test_max_samples_caps_a_noisy_run(self) -> None:
        noisy = [10.0, 30.0] * 250
        self.assertTrue(should_stop(noisy, 10.0, OPTIONS))
        self.assertFalse(should_stop(noisy[:-1], 10.0, OPTIONS))

    def test_wall_time_cap_stops_even_before_min_samples(self) -> None:
        self.assertTrue(should_stop([2000.0, 1500.0], 3000.0, OPTIONS))
        self.assertFalse(should_stop([2000.0, 1500.0], 2999.0, OPTIONS))

    def test_no_samples_never_stops_on_wall_time(self) -> None:
        self.assertFalse(should_stop([], 10_000.0, OPTIONS))

    def test_one_sample_is_not_enough_for_an_interval(self) -> None:
        self.assertFalse(should_stop([5.0], 0.0, replace(OPTIONS, min_samples=1)))
        self.assertTrue(should_stop([5.0, 5.0], 0.0, replace(OPTIONS, min_samples=1)))


class ValidateTimingTests(unittest.TestCase):
    def test_defaults_are_valid(self) -> None:
        validate_timing(OPTIONS)

    def test_each_bad_value_is_named(self) -> None:
        for field, value in (("warmup_calls", -1), ("min_samples", 0), ("max_samples", 5), ("max_wall_ms", 0.0),
                             ("l2_flush_factor", 0.0), ("target_relative_error", -0.1)):
            with self.subTest(field), self.assertRaises(WorkerError) as caught:
                validate_timing(replace(OPTIONS, **{field: value}))
            self.assertEqual(caught.exception.kind, "bad_request")
            self.assertIn(field, caught.exception.message)


if __name__ == "__main__":
    unittest.main()


class _FakeEvent:
    def __init__(self, enable_timing: bool = False) -> None:
        self.enable_timing = enable_timing

    def record(self) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def elapsed_time(self, end: "_FakeEvent") -> float:
        return 0.5


class _FakeCuda:
    Event = _FakeEvent

    @staticmethod
    def synchronize(device: object = None) -> None:
        pass


class _FakeTorch:
    """Just what _measure touches when L2 flushing is off: devices, no_grad, events, synchronize."""

    cuda = _FakeCuda

    @staticmethod
    def device(name: str) -> str:
        return name

    @staticmethod
    def no_grad() -> object:
        import contextlib
        return contextlib.nullcontext()


class MeasureHookTests(unittest.TestCase):
    def test_after_sample_sees_every_timed_result_with_its_input_set(self) -> None:
        from types import SimpleNamespace

        from kforge_worker.timing import _measure
        problem = SimpleNamespace(device="cuda:0", input_sets=[("a",), ("b",), ("c",)])
        options = replace(OPTIONS, warmup_calls=2, min_samples=4, max_samples=4, flush_l2=False)
        seen: list[tuple[int, int, str]] = []

        samples, flushed, wall_ms = _measure(_FakeTorch, problem, lambda x: x.upper(), options,
                                             lambda sample, input_set, result: seen.append((sample, input_set, result)))

        self.assertEqual(samples, [500.0] * 4)
        self.assertFalse(flushed)
        # The host wall time of the loop is reported (the events' cross-check); fake events take no real time.
        self.assertGreater(wall_ms, 0.0)
        self.assertEqual(seen, [(0, 0, "A"), (1, 1, "B"), (2, 2, "C"), (3, 0, "A")])

