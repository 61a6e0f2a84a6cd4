"""``time_reference``: time the Reference, eager or torch.compile'd, with the protocol the ABI runner uses.

Per sample: flush L2 (write ``l2_flush_factor`` x L2 bytes), rotate to the next input set, record the start event
on the current stream, call, synchronize the whole device, record the end event and wait for it. Recording the
end event after the device-wide synchronize counts work the call pushed to other streams too.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from .environment import l2_cache_bytes, require_torch
from .errors import WorkerError, bad_request
from .problem import call_problem
from .protocol import TimeReferenceRequest, TimeReferenceResponse, TimingOptions
from .reference import LoadedProblem

# Two-sided 95% quantile of the normal distribution: the stopping rule's confidence interval of the mean.
Z_95 = 1.96
# Used only when neither torch nor the CUDA driver reports the L2 size: larger than any current GPU's L2
# (H100 50 MB, H200 60 MB, B200 126 MB), so the flush still evicts everything.
FALLBACK_L2_BYTES = 256 * 1024 * 1024
MODES = ("eager", "compile")


def should_stop(samples_us: Sequence[float], elapsed_ms: float, options: TimingOptions) -> bool:
    """The shared stopping rule: enough samples and a tight enough 95% CI, or the sample or wall-time cap.

    The CI rule needs at least two samples (a standard deviation); ``elapsed_ms`` counts from the first sample.
    """
    count = len(samples_us)
    if count >= options.max_samples:
        return True
    if count > 0 and elapsed_ms >= options.max_wall_ms:
        return True
    if count < max(options.min_samples, 2):
        return False
    mean = statistics.fmean(samples_us)
    if mean <= 0:
        return False
    half_width = Z_95 * statistics.stdev(samples_us) / math.sqrt(count)
    return half_width / mean <= options.target_relative_error


def validate_timing(options: TimingOptions) -> None:
    problems = []
    if options.warmup_calls < 0:
        problems.append("warmup_calls must be >= 0")
    if options.min_samples < 1:
        problems.append("min_samples must be >= 1")
    if options.max_samples < options.min_samples:
        problems.append("max_samples must be >= min_samples")
    if options.target_relative_error < 0:
        problems.append("target_relative_error must be >= 0")
    if options.max_wall_ms <= 0:
        problems.append("max_wall_ms must be > 0")
    if options.flush_l2 and options.l2_flush_factor <= 0:
        problems.append("l2_flush_factor must be > 0 when flush_l2 is true")
    if problems:
        raise bad_request("timing options are invalid: " + "; ".join(problems) + ".")


def time_reference(problem: LoadedProblem, request: TimeReferenceRequest) -> TimeReferenceResponse:
    if request.mode not in MODES:
        raise bad_request(f"unknown timing mode {request.mode!r}; use one of {', '.join(MODES)}.")
    validate_timing(request.timing)
    torch = require_torch()
    if not problem.device.startswith("cuda"):
        raise WorkerError("environment", f"time_reference needs a CUDA device, but the problem was loaded on "
                                         f"{problem.device!r}; send load_problem with device \"cuda\".")
    function = problem.model
    setup_seconds = None
    if request.mode == "compile":
        function = _compiled(problem, torch)
        setup_seconds = problem.compile_seconds
    samples, flushed, _ = call_problem(problem.path, f"forward ({request.mode} timing)",
                                       lambda: _measure(torch, problem, function, request.timing))
    return TimeReferenceResponse(request.id, tuple(samples), flushed, setup_seconds)


def _compiled(problem: LoadedProblem, torch: Any) -> Callable[..., Any]:
    """torch.compile's module, compiled once per loaded problem; the first call's time is the setup time."""
    if problem.compiled_model is None:
        compiled = torch.compile(problem.model)
        started = time.perf_counter()
        with torch.no_grad():
            call_problem(problem.path, "torch.compile(model) first call", lambda: compiled(*problem.input_sets[0]))
        torch.cuda.synchronize(torch.device(problem.device))
        problem.compile_seconds = time.perf_counter() - started
        problem.compiled_model = compiled
    return problem.compiled_model


def _measure(torch: Any, problem: LoadedProblem, function: Callable[..., Any], options: TimingOptions,
             after_sample: Callable[[int, int, Any], None] | None = None) -> tuple[list[float], bool, float]:
    """The timing loop: (samples in µs, whether L2 was flushed, host wall ms of the loop from the first sample's flush to
    the last sample's end). The wall time is the cross-check for the events: their sum cannot exceed it.
    ``after_sample(sample, input_set, result)``, when given, sees each timed call's result after its end event, outside
    the timed window (the extension runner checks a few of them)."""
    device = torch.device(problem.device)
    sets = problem.input_sets
    flush_buffer = None
    if options.flush_l2:
        l2_bytes = l2_cache_bytes(torch, problem.device) or FALLBACK_L2_BYTES
        flush_buffer = torch.empty(int(options.l2_flush_factor * l2_bytes), dtype=torch.uint8, device=device)
    samples_us: list[float] = []
    with torch.no_grad():
        for call in range(options.warmup_calls):
            function(*sets[call % len(sets)])
        torch.cuda.synchronize(device)
        first_sample_at = None
        elapsed_ms = 0.0
        while not should_stop(samples_us, elapsed_ms, options):
            input_set = len(samples_us) % len(sets)
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            if first_sample_at is None:
                first_sample_at = time.perf_counter()
            if flush_buffer is not None:
                flush_buffer.zero_()
            start.record()
            result = function(*sets[input_set])
            torch.cuda.synchronize(device)
            end.record()
            end.synchronize()
            samples_us.append(start.elapsed_time(end) * 1000.0)
            if after_sample is not None:
                after_sample(len(samples_us) - 1, input_set, result)
            del result
            elapsed_ms = (time.perf_counter() - first_sample_at) * 1000.0
    return samples_us, flush_buffer is not None, elapsed_ms
