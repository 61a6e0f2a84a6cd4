"""The comparison of :mod:`check` run with torch on the worker's GPU, in chunks: the same policy math as
:func:`check.compare_arrays`, for outputs of hundreds of millions of elements.

Why: numpy on the host made ``check`` the slowest step of an evaluation. A 1 GiB output took tens of seconds per
input set in about fifteen float64 passes, and a check-only sweep spent most of its GPU time waiting on it. On the GPU
the same passes are bandwidth-bound and take milliseconds; the chunks keep the extra GPU memory of one comparison to
a few hundred MiB, so several sessions can share a card.

Semantics are those of :func:`check.compare_arrays` element for element (tests compare the two on the same arrays):
the floor needs the largest |reference| of the whole output, so a first pass finds it, and a second pass sums the
statistics chunk by chunk. The worst element is the first one with the largest excess, as ``numpy.argmax`` picks it.
Sums of squares may differ from numpy's in the last bits (another summation order); counts, maxima and the worst
element do not.
"""

from __future__ import annotations

import math
from typing import Any

from .check import RELATIVE_ERROR_FLOOR, Comparison, Tolerance, _relative_l2

# 32 Mi elements: 256 MiB per float64 chunk, about 1.5 GiB of GPU memory for one comparison at its peak.
CHUNK_ELEMENTS = 32 * 1024 * 1024


def compare_on_device(torch: Any, candidate: Any, reference: Any, tolerance: Tolerance, float32_error: float,
                      device: Any, chunk_elements: int = CHUNK_ELEMENTS) -> Comparison:
    """:func:`check.compare_arrays` for numpy ``candidate`` and ``reference``, computed on ``device`` in chunks."""
    got_host = candidate.reshape(-1)
    expected_host = reference.reshape(-1)
    count = int(got_host.size)
    if count == 0:
        return Comparison(0.0, 0.0, 0.0, tolerance.allowed(0.0, tolerance.floor(float32_error, 0.0)), 0, 0, None,
                          None, None, None)
    chunks = [(start, min(start + chunk_elements, count)) for start in range(0, count, chunk_elements)]

    def load(host: Any, start: int, stop: int) -> Any:
        return torch.from_numpy(host[start:stop]).to(device=device).to(torch.float64)

    max_abs_reference = 0.0
    for start, stop in chunks:
        abs_expected = load(expected_host, start, stop).abs()  # not in place: on a CPU device load() may alias the host
        abs_expected[~torch.isfinite(abs_expected)] = 0.0
        max_abs_reference = max(max_abs_reference, float(abs_expected.max()))
    floor = tolerance.floor(float32_error, max_abs_reference)
    scaled_allowed = bool(tolerance.rtol or tolerance.atol > floor)

    max_abs = max_rel = sum_d2 = sum_r2 = 0.0
    non_finite_count = violations = 0
    worst: int | None = None
    worst_excess = -math.inf
    for start, stop in chunks:
        got = load(got_host, start, stop)
        expected = load(expected_host, start, stop)
        got_finite = torch.isfinite(got)
        expected_finite = torch.isfinite(expected)
        all_finite = bool(got_finite.all()) and bool(expected_finite.all())
        both = got_finite if all_finite else got_finite & expected_finite
        abs_expected = expected.abs()
        if not all_finite:
            abs_expected[~expected_finite] = 0.0
        difference = (got - expected).abs_()
        if not all_finite:
            difference[~both] = 0.0
        allowed: Any = floor
        if scaled_allowed:
            allowed = (abs_expected * tolerance.rtol + tolerance.atol).clamp_(min=floor)
        violating = over = difference > allowed
        if not all_finite:
            non_finite = expected_finite & ~got_finite
            non_finite_count += int(torch.count_nonzero(non_finite))
            mismatch = ~expected_finite & ~((got == expected) | (torch.isnan(got) & torch.isnan(expected)))
            violating = over | non_finite | mismatch
        chunk_violations = int(torch.count_nonzero(violating))
        if chunk_violations:
            excess = torch.where(over, difference - allowed,
                                 torch.where(violating, difference.new_tensor(math.inf),
                                             difference.new_tensor(-math.inf)))
            chunk_worst = int(torch.argmax(excess))
            chunk_excess = float(excess[chunk_worst])
            if worst is None or chunk_excess > worst_excess:
                worst, worst_excess = start + chunk_worst, chunk_excess
        violations += chunk_violations
        max_abs = max(max_abs, float(difference.max()))
        max_rel = max(max_rel, float((difference / abs_expected.clamp_(min=RELATIVE_ERROR_FLOOR)).max()))
        finite_expected = expected if all_finite else torch.where(both, expected, expected.new_tensor(0.0))
        sum_d2 += float(torch.dot(difference, difference))
        sum_r2 += float(torch.dot(finite_expected, finite_expected))

    worst_value = worst_expected = worst_allowed = None
    if worst is not None:
        worst_value = float(got_host[worst])
        worst_expected = float(expected_host[worst])
        if math.isfinite(worst_expected):
            # compare_arrays reads this from its per-element bound, which is tolerance.allowed() of |expected|.
            worst_allowed = tolerance.allowed(abs(worst_expected), floor)
    return Comparison(
        max_abs_error=max_abs, max_rel_error=max_rel, rel_l2_error=_relative_l2(sum_d2, sum_r2),
        allowed_max_abs_error=tolerance.allowed(max_abs_reference, floor), non_finite_elements=non_finite_count,
        violations=violations, worst_index=worst, worst_value=worst_value, worst_expected=worst_expected,
        worst_allowed=worst_allowed)


def max_abs_difference_on_device(torch: Any, a: Any, b: Any, chunk_elements: int = CHUNK_ELEMENTS) -> float:
    """:func:`check.max_abs_difference` of two tensors already on one device (e32 of the reference), in chunks."""
    x_all = a.detach().reshape(-1)
    y_all = b.detach().reshape(-1)
    largest = 0.0
    for start in range(0, x_all.numel(), chunk_elements):
        x = x_all[start:start + chunk_elements].to(torch.float64)
        y = y_all[start:start + chunk_elements].to(torch.float64)
        both = torch.isfinite(x) & torch.isfinite(y)
        if bool(both.any()):
            largest = max(largest, float((x - y).abs_()[both].max()))
    return largest
