"""measured_call: which profiler events are kernels, and how one call is timed and profiled, with a fake torch.

The fakes stand for torch's CUDA events and profiler so that the logic runs without torch or a GPU; what the real
profiler reports on a GPU is not checked here (test_extension_torch.py's CUDA tests do that where CUDA exists).
"""

from __future__ import annotations

import unittest
from dataclasses import dataclass
from typing import Any
from unittest import mock

from kforge_worker.extension import measured_call as subject
from kforge_worker.extension.measured_call import count_kernel_events, measured_call

CUDA, CPU = "DeviceType.CUDA", "DeviceType.CPU"


@dataclass
class Event:
    name: str
    device_type: str = CUDA
    is_user_annotation: bool = False


class NoAnnotationFlag:
    """An event of a torch before 2.3: no is_user_annotation attribute."""

    def __init__(self, name: str) -> None:
        self.name, self.device_type = name, CUDA


class FakeCuda:
    """Events read a clock that the candidate and the device synchronize advance (in ms, as torch's elapsed_time)."""

    def __init__(self) -> None:
        self.now_ms = 0.0
        self.sync_adds_ms = 0.0  # device work still running when the call returned
        self.log: list[str] = []

    def Event(self, enable_timing: bool) -> Any:  # noqa: N802 - torch's name
        cuda = self

        class TimedEvent:
            at_ms = 0.0

            def record(self, stream: Any) -> None:
                cuda.log.append(f"record on {stream}")
                self.at_ms = cuda.now_ms

            def synchronize(self) -> None:
                cuda.log.append("event synchronize")

            def elapsed_time(self, end: Any) -> float:
                return end.at_ms - self.at_ms

        return TimedEvent()

    def current_stream(self, device: Any) -> str:
        return f"stream of {device}"

    def synchronize(self, device: Any) -> None:
        self.log.append("device synchronize")
        self.now_ms += self.sync_adds_ms


class FakeTensor:
    def add_(self, value: float) -> FakeTensor:
        return self


class FakeTorch:
    def __init__(self) -> None:
        self.cuda = FakeCuda()

    def device(self, name: str) -> str:
        return name

    def zeros(self, count: int, device: Any) -> FakeTensor:
        return FakeTensor()


class FakeProfiler:
    def __init__(self, events: list[Any], stop_raises: bool = False) -> None:
        self._events, self.stop_raises = events, stop_raises
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True
        if self.stop_raises:
            raise RuntimeError("CUPTI_ERROR_NOT_INITIALIZED")

    def events(self) -> list[Any]:
        return self._events


class CountKernelEventsTests(unittest.TestCase):
    def test_kernels_are_counted_by_name_and_copies_fills_host_events_are_not(self) -> None:
        events = [
            Event("void my_kernel<float, 4>(float const*, float*, int)"),
            Event("Memcpy DtoD (Device -> Device)"),
            Event("Memset (Device)"),
            Event("aten::relu", CPU),
            Event("cudaLaunchKernel", CPU),
            Event("my_kernel(float*)"),
            Event("void my_kernel<float, 4>(float const*, float*, int)"),
            Event("forward", is_user_annotation=True),
            Event("Stream Sync"),
        ]

        launches, kernels = count_kernel_events(events, CUDA)

        self.assertEqual(launches, 3)
        self.assertEqual(kernels, {"my_kernel(float*)": 1, "void my_kernel<float, 4>(float const*, float*, int)": 2})
        self.assertEqual(list(kernels), sorted(kernels))

    def test_events_without_the_newer_attributes_or_a_name_are_handled(self) -> None:
        launches, kernels = count_kernel_events([NoAnnotationFlag("k(float*)"), NoAnnotationFlag(""), object()], CUDA)

        self.assertEqual((launches, kernels), (1, {"k(float*)": 1}))

    def test_no_events_is_zero_launches(self) -> None:
        self.assertEqual(count_kernel_events([], CUDA), (0, {}))


class MeasuredCallTests(unittest.TestCase):
    def setUp(self) -> None:
        self.torch = FakeTorch()
        self.profilers: list[FakeProfiler] = []
        patches = [mock.patch.object(subject, "cuda_device_type", return_value=CUDA),
                   mock.patch.object(subject, "new_profiler", side_effect=self.next_profiler),
                   mock.patch.dict(subject._PROBED, clear=True)]
        for patch in patches:
            patch.start()
            self.addCleanup(patch.stop)
        self.queued: list[FakeProfiler] = []

    def next_profiler(self) -> FakeProfiler:
        profiler = self.queued.pop(0)
        self.profilers.append(profiler)
        return profiler

    def candidate(self, takes_ms: float = 0.010, result: Any = "outputs") -> Any:
        def call(*arguments: Any) -> Any:
            self.torch.cuda.log.append(f"call{arguments}")
            self.torch.cuda.now_ms += takes_ms
            return result
        return call

    def test_cpu_call_has_no_time_and_says_launches_are_cuda_only(self) -> None:
        result, measured = measured_call(self.torch, self.candidate(), (1, 2), "cpu", count_launches=True)

        self.assertEqual(result, "outputs")
        self.assertIsNone(measured.call_us)
        self.assertIsNone(measured.launches)
        self.assertIn("CUDA only", measured.launches_not_counted)
        self.assertIsNone(measured_call(self.torch, self.candidate(), (), "cpu", count_launches=False)[1]
                          .launches_not_counted)

    def test_unprofiled_call_is_timed_to_after_the_device_synchronize(self) -> None:
        self.torch.cuda.sync_adds_ms = 0.005

        result, measured = measured_call(self.torch, self.candidate(0.010), (7,), "cuda:0", count_launches=False)

        self.assertEqual(result, "outputs")
        self.assertAlmostEqual(measured.call_us, 15.0)  # the call's 10 µs and the 5 µs it left running on the device
        self.assertEqual(self.torch.cuda.log, ["record on stream of cuda:0", "call(7,)", "device synchronize",
                                               "record on stream of cuda:0", "event synchronize"])
        self.assertEqual((measured.launches, measured.launched_kernels, measured.launches_not_counted),
                         (None, None, None))
        self.assertEqual(self.profilers, [])  # not asked: no probe, no profiler

    def test_counted_call_reports_the_calls_kernels_and_probes_once(self) -> None:
        probe = FakeProfiler([Event("void at::native::vectorized_elementwise_kernel<4>(int)")])
        first = FakeProfiler([Event("relu_kernel(float const*, float*, long)"), Event("Memset (Device)")])
        second = FakeProfiler([])
        self.queued = [probe, first, second]

        _, measured = measured_call(self.torch, self.candidate(), (), "cuda:0", count_launches=True)
        _, again = measured_call(self.torch, self.candidate(), (), "cuda:0", count_launches=True)

        self.assertEqual(measured.launches, 1)
        self.assertEqual(measured.launched_kernels, {"relu_kernel(float const*, float*, long)": 1})
        self.assertIsNone(measured.launches_not_counted)
        self.assertAlmostEqual(measured.call_us, 10.0)
        self.assertTrue(all(profiler.started and profiler.stopped for profiler in (probe, first, second)))
        self.assertEqual((again.launches, again.launched_kernels), (0, {}))  # a real zero: the probe saw its kernel

    def test_profiler_that_misses_the_probe_kernel_counts_nothing_and_says_why(self) -> None:
        self.queued = [FakeProfiler([])]

        result, measured = measured_call(self.torch, self.candidate(), (), "cuda:0", count_launches=True)
        _, again = measured_call(self.torch, self.candidate(), (), "cuda:0", count_launches=True)

        self.assertEqual(result, "outputs")
        self.assertIsNone(measured.launches)
        self.assertIn("probe", measured.launches_not_counted)
        self.assertAlmostEqual(measured.call_us, 10.0)
        self.assertEqual(again.launches_not_counted, measured.launches_not_counted)
        self.assertEqual(len(self.profilers), 1)  # the verdict is kept: no profiler for either call

    def test_candidate_exception_is_raised_even_when_stopping_the_profiler_fails(self) -> None:
        self.queued = [FakeProfiler([Event("k")]), FakeProfiler([], stop_raises=True)]

        def raising(*arguments: Any) -> Any:
            raise ValueError("illegal memory access")

        with self.assertRaises(ValueError):
            measured_call(self.torch, raising, (), "cuda:0", count_launches=True)
        self.assertTrue(self.profilers[1].stopped)

    def test_profiler_failing_after_the_call_is_not_counted_never_zero(self) -> None:
        self.queued = [FakeProfiler([Event("k")]), FakeProfiler([Event("k")], stop_raises=True)]

        result, measured = measured_call(self.torch, self.candidate(), (), "cuda:0", count_launches=True)

        self.assertEqual(result, "outputs")
        self.assertIsNone(measured.launches)
        self.assertIn("CUPTI_ERROR_NOT_INITIALIZED", measured.launches_not_counted)
        self.assertAlmostEqual(measured.call_us, 10.0)


class HarnessOrderTests(unittest.TestCase):
    """run_candidate probes the profiler before it poisons the allocator, and only when launches are counted."""

    class Input:
        def clone(self) -> Any:
            return self

    def run_once(self, count_launches: bool) -> tuple[Any, list[str]]:
        from kforge_worker.extension import harness
        from kforge_worker.extension.protocol import RunRequest
        from kforge_worker.protocol import TensorSpec

        spec = TensorSpec("input0", (4,), "float32", "input")
        loaded = harness.LoadedCandidate("candidate.py", "cuda:0", lambda x: x, (0,), (spec,), (spec,), (("a.npy",),))
        loaded._sets[0] = (self.Input(),)
        order = mock.Mock()
        order.measured_call.side_effect = RuntimeError("stop after the call")
        order.context_lost.return_value = False
        with mock.patch.object(harness, "counting_unavailable", order.counting_unavailable), \
                mock.patch.object(harness, "poison_free_memory", order.poison_free_memory), \
                mock.patch.object(harness, "measured_call", order.measured_call), \
                mock.patch.object(harness, "context_lost", order.context_lost):
            response = harness.run_candidate(mock.MagicMock(), loaded, RunRequest(1, 0, ("out.npy",), count_launches))
        return response, [name for name, _, _ in order.mock_calls if name != "context_lost"]

    def test_counted_run_probes_before_poisoning(self) -> None:
        response, calls = self.run_once(count_launches=True)

        self.assertEqual(calls, ["counting_unavailable", "poison_free_memory", "measured_call"])
        self.assertEqual(response.failure, "runtime_error")
        self.assertIsNone(response.call_us)

    def test_uncounted_run_does_not_probe(self) -> None:
        _, calls = self.run_once(count_launches=False)

        self.assertEqual(calls, ["poison_free_memory", "measured_call"])


if __name__ == "__main__":
    unittest.main()
