"""One checked call of a candidate, timed with CUDA events and, when asked, with its kernel launches counted.

Launches are counted with torch's profiler (``torch.profiler.profile(activities=[ProfilerActivity.CUDA])``: Kineto
over CUPTI's activity API), started right before the call and stopped right after it, so the poison fill, the input
copies and the output checks are outside. What this relies on in the profiler's events (``profile.events()``, a list
of ``FunctionEvent``; torch 2.x): GPU activities have ``device_type == DeviceType.CUDA``, host-side events (ops, CUDA
runtime calls) have ``DeviceType.CPU``; a kernel is named by its demangled name; copies and fills are named
``Memcpy …`` and ``Memset …`` (Kineto's names); ``is_user_annotation`` marks ``record_function`` ranges drawn on the
GPU timeline (absent before torch 2.3, read as false); CUDA synchronization activities (``Stream Sync`` …) appear only
when the experimental ``enable_cuda_sync_events`` is on, and are excluded by name anyway. Everything else on the CUDA
device is counted as a kernel.

A profiler that silently records nothing (no CUPTI, or CUPTI held by another tool) would make every call look like it
launched nothing, i.e. ``kernel_not_launched``. So counting is first tried once per process and device on a probe
kernel of our own; when the profiler does not see it, launches are reported as not counted, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

NOT_KERNEL_PREFIXES = ("Memcpy", "Memset")
SYNC_EVENT_NAMES = frozenset({"Event Sync", "Stream Sync", "Context Sync", "Stream Wait Event"})
PROFILER_ERROR_CHARS = 300
# device -> why counting does not work there (None: it does); probed once per runner process
_PROBED: dict[str, str | None] = {}


@dataclass(frozen=True, slots=True)
class CallMeasurement:
    """What the runner reports about one call that returned: the RunResponse fields of the same names."""

    call_us: float | None
    launches: int | None
    launched_kernels: dict[str, int] | None
    launches_not_counted: str | None


def count_kernel_events(events: Iterable[Any], cuda: Any) -> tuple[int, dict[str, int]]:
    """The CUDA kernels among profiler events (``cuda``: torch's ``DeviceType.CUDA``): the launch count and
    {name: count} sorted by name; see the module notes for what is a kernel."""
    kernels: dict[str, int] = {}
    for event in events:
        if getattr(event, "device_type", None) != cuda or getattr(event, "is_user_annotation", False):
            continue
        name = getattr(event, "name", None)
        if not isinstance(name, str) or not name or name.startswith(NOT_KERNEL_PREFIXES) or name in SYNC_EVENT_NAMES:
            continue
        kernels[name] = kernels.get(name, 0) + 1
    return sum(kernels.values()), dict(sorted(kernels.items()))


def measured_call(torch: Any, function: Callable[..., Any], arguments: tuple[Any, ...], device: str,
                  count_launches: bool) -> tuple[Any, CallMeasurement]:
    """``function(*arguments)`` and its measurement. Raises what the call raises (asynchronous CUDA errors included,
    through the synchronize), so a failure of the candidate stays a failure of the candidate."""
    if not device.startswith("cuda"):
        result = function(*arguments)
        not_counted = f"launches are counted on CUDA only; the candidate runs on {device}." if count_launches else None
        return result, CallMeasurement(None, None, None, not_counted)
    torch_device = torch.device(device)
    profiler, not_counted = start_profiler(torch, device) if count_launches else (None, None)
    try:
        result, call_us = timed_call(torch, function, arguments, torch_device)
    except BaseException:
        if profiler is not None:
            stop_quietly(profiler)
        raise
    if profiler is None:
        return result, CallMeasurement(call_us, None, None, not_counted)
    try:
        profiler.stop()
        launches, kernels = count_kernel_events(profiler.events(), cuda_device_type())
    except Exception as error:  # the profiler's own failure: launches unknown, never zero
        return result, CallMeasurement(call_us, None, None, f"the torch profiler failed after the call ({short(error)}).")
    return result, CallMeasurement(call_us, launches, kernels, None)


def timed_call(torch: Any, function: Callable[..., Any], arguments: tuple[Any, ...], device: Any) -> tuple[Any, float]:
    """The timing loop's sample (timing._measure) for one call: start event on the current stream, call, device-wide
    synchronize, end event; work the call pushed to other streams is inside. With the profiler on, the time includes
    its per-launch overhead (CUPTI activity records), so only an unprofiled call's time is comparable with samples."""
    stream = torch.cuda.current_stream(device)
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record(stream)
    result = function(*arguments)
    torch.cuda.synchronize(device)
    end.record(stream)
    end.synchronize()
    return result, start.elapsed_time(end) * 1000.0


def counting_unavailable(torch: Any, device: str) -> str | None:
    """Why launches cannot be counted on ``device`` (None: they can), from a probe run once per process and device.

    The probe allocates and writes a small tensor, so the harness asks before it poisons the allocator's free memory:
    a probe run afterwards would leave an unpoisoned block for the candidate's next small allocation."""
    if device not in _PROBED:
        _PROBED[device] = probe(torch, device)
    return _PROBED[device]


def start_profiler(torch: Any, device: str) -> tuple[Any, str | None]:
    """A started profiler of CUDA activities, or None and why launches cannot be counted here."""
    unavailable = counting_unavailable(torch, device)
    if unavailable is not None:
        return None, unavailable
    try:
        profiler = new_profiler()
        profiler.start()
    except Exception as error:
        return None, f"the torch profiler could not start ({short(error)})."
    return profiler, None


def probe(torch: Any, device: str) -> str | None:
    """None when the profiler sees a kernel we launch; otherwise why launches cannot be counted on ``device``."""
    try:
        torch_device = torch.device(device)
        tensor = torch.zeros(256, device=torch_device)
        torch.cuda.synchronize(torch_device)
        profiler = new_profiler()
        profiler.start()
        try:
            tensor.add_(1)
            torch.cuda.synchronize(torch_device)
        finally:
            profiler.stop()
        launches, _ = count_kernel_events(profiler.events(), cuda_device_type())
    except Exception as error:
        return f"the torch profiler failed on a probe kernel ({short(error)})."
    if launches == 0:
        return ("the torch profiler saw no kernel of a probe launch (CUPTI is missing, or another tool holds it), so "
                "a count of zero would mean nothing.")
    return None


def new_profiler() -> Any:
    from torch.profiler import ProfilerActivity, profile
    return profile(activities=[ProfilerActivity.CUDA])


def cuda_device_type() -> Any:
    from torch.autograd import DeviceType
    return DeviceType.CUDA


def stop_quietly(profiler: Any) -> None:
    """Stops a profiler after the call raised; its own failure must not hide the candidate's."""
    try:
        profiler.stop()
    except Exception:  # the candidate's exception is the one reported
        pass


def short(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= PROFILER_ERROR_CHARS else text[:PROFILER_ERROR_CHARS] + "..."
