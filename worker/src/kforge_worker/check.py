"""Comparing a candidate's outputs with the float64 reference, per precision policy (docs/protocol.md, "Checks").

Per output, in order: shape/dtype mismatch -> ``wrong_result``; poison pattern still present -> ``unwritten_output``;
NaN/Inf where the reference is finite -> ``non_finite_output``; any element over the policy's bound -> ``wrong_result``.
The numeric core exists three times with the same semantics: over plain sequences (tested without numpy), over numpy
arrays (the host fallback) and with torch on the worker's GPU (:mod:`check_device`, used when the problem lives on a
CUDA device); tests compare them where numpy and torch are available.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .protocol import CheckRequest, CheckResponse, OutputCheckResult, SetCheckResult, TensorSpec
from .tensors import read_npy, require_numpy


@dataclass(frozen=True, slots=True)
class Tolerance:
    """An element passes when ``|out - ref64| <= max(atol + rtol*|ref64|, f32_factor*e32, max_fraction*max|ref64|)``."""

    atol: float
    rtol: float
    float32_error_factor: float
    reference_max_fraction: float

    def floor(self, float32_error: float, max_abs_reference: float) -> float:
        return max(self.float32_error_factor * float32_error, self.reference_max_fraction * max_abs_reference)

    def allowed(self, abs_reference: float, floor: float) -> float:
        return max(self.atol + self.rtol * abs_reference, floor)


# The one tolerance table. strict: 10x what eager float32 itself errs against float64 (e32), floored at 1e-6 of
# the largest reference magnitude, so silent TF32/half arithmetic fails. tf32: what TF32 matrix arithmetic
# achieves. kernelbench: KernelBench's torch.allclose(atol=1e-2, rtol=1e-2), the fp16/bf16 tolerance it takes
# from torchbench (KernelBench src/eval.py; torchbench's fp32 tolerance would be 1e-4).
TOLERANCES: dict[str, Tolerance] = {
    "strict": Tolerance(atol=0.0, rtol=0.0, float32_error_factor=10.0, reference_max_fraction=1e-6),
    "tf32": Tolerance(atol=1e-3, rtol=1e-3, float32_error_factor=0.0, reference_max_fraction=0.0),
    "kernelbench": Tolerance(atol=1e-2, rtol=1e-2, float32_error_factor=0.0, reference_max_fraction=0.0),
}
# max_rel_error divides by max(|ref|, this) so that zeros in the reference do not make it infinite.
RELATIVE_ERROR_FLOOR = 1e-6

# Bit patterns the ABI runner writes into outputs before the call (docs/protocol.md, ABI runner `run`).
POISON_BITS: dict[str, int] = {
    "float32": 0x7FC0DEAD, "float64": 0x7FF8DEADDEADDEAD, "float16": 0x7E5E, "bfloat16": 0x7E5E,
    "int32": 0x5A5A5A5A, "int64": 0x5A5A5A5A5A5A5A5A, "int8": 0x5A, "uint8": 0x5A, "bool": 0x5A,
}
_STRUCT_CODES = {1: "B", 2: "H", 4: "I", 8: "Q"}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Error statistics of one output against its reference; metrics are over elements finite in both."""

    max_abs_error: float
    max_rel_error: float
    rel_l2_error: float
    allowed_max_abs_error: float
    non_finite_elements: int
    violations: int
    worst_index: int | None
    worst_value: float | None
    worst_expected: float | None
    worst_allowed: float | None


@dataclass(frozen=True, slots=True)
class OutputReference:
    """What the worker keeps in memory for one output of one input set: never written to disk."""

    spec: TensorSpec
    expected: Any  # numpy array: float64 for floating outputs, the integer/bool values otherwise
    float32_error: float  # e32: max |eager output - float64 output| on these inputs


def element_bits(raw: bytes, item_size: int) -> list[int]:
    """Little-endian raw bytes as unsigned integers of ``item_size`` bytes (the pure-Python poison path)."""
    return [value for (value,) in struct.iter_unpack("<" + _STRUCT_CODES[item_size], raw)]


def count_poisoned(candidate_bits: Iterable[int], reference_bits: Iterable[int], pattern: int) -> int:
    """Elements holding the poison pattern, except where the expected value has those very bits."""
    return sum(1 for got, expected in zip(candidate_bits, reference_bits) if got == pattern and expected != pattern)


def compare_values(candidate: Sequence[float], reference: Sequence[float], tolerance: Tolerance,
                   float32_error: float) -> Comparison:
    """The policy math over plain sequences; :func:`compare_arrays` is the same over numpy arrays."""
    if len(candidate) != len(reference):
        raise ValueError("candidate and reference differ in length")
    max_abs_reference = max((abs(r) for r in reference if math.isfinite(r)), default=0.0)
    floor = tolerance.floor(float32_error, max_abs_reference)
    max_abs = max_rel = sum_d2 = sum_r2 = 0.0
    non_finite = violations = 0
    worst: tuple[float, int, float | None] | None = None  # (excess, index, allowed)
    for index, (got, expected) in enumerate(zip(candidate, reference)):
        allowed: float | None = None
        if math.isfinite(expected) and not math.isfinite(got):
            non_finite += 1
            allowed = tolerance.allowed(abs(expected), floor)
            excess = math.inf
        elif math.isfinite(expected):
            difference = abs(got - expected)
            allowed = tolerance.allowed(abs(expected), floor)
            max_abs = max(max_abs, difference)
            max_rel = max(max_rel, difference / max(abs(expected), RELATIVE_ERROR_FLOOR))
            sum_d2 += difference * difference
            sum_r2 += expected * expected
            if difference <= allowed:
                continue
            excess = difference - allowed
        elif got == expected or (math.isnan(got) and math.isnan(expected)):
            continue
        else:
            excess = math.inf
        violations += 1
        if worst is None or excess > worst[0]:
            worst = (excess, index, allowed)
    return Comparison(
        max_abs_error=max_abs, max_rel_error=max_rel, rel_l2_error=_relative_l2(sum_d2, sum_r2),
        allowed_max_abs_error=tolerance.allowed(max_abs_reference, floor), non_finite_elements=non_finite,
        violations=violations, worst_index=None if worst is None else worst[1],
        worst_value=None if worst is None else float(candidate[worst[1]]),
        worst_expected=None if worst is None else float(reference[worst[1]]),
        worst_allowed=None if worst is None else worst[2])


def _relative_l2(sum_d2: float, sum_r2: float) -> float:
    if sum_r2 == 0.0:
        return 0.0 if sum_d2 == 0.0 else math.inf
    return math.sqrt(sum_d2) / math.sqrt(sum_r2)


def compare_arrays(candidate: Any, reference: Any, tolerance: Tolerance, float32_error: float) -> Comparison:
    """:func:`compare_values` over numpy arrays of any shape and dtype (compared in float64).

    Written for outputs of hundreds of millions of elements: in-place where possible, and the masks for
    non-finite values are only built when some value is not finite.
    """
    np = require_numpy()
    got = np.asarray(candidate, dtype=np.float64).ravel()
    expected = np.asarray(reference, dtype=np.float64).ravel()
    with np.errstate(invalid="ignore", over="ignore"):
        got_finite = np.isfinite(got)
        expected_finite = np.isfinite(expected)
        all_finite = bool(got_finite.all()) and bool(expected_finite.all())
        both = got_finite if all_finite else got_finite & expected_finite
        abs_expected = np.abs(expected)
        if not all_finite:
            abs_expected[~expected_finite] = 0.0
        max_abs_reference = float(abs_expected.max()) if got.size else 0.0
        floor = tolerance.floor(float32_error, max_abs_reference)
        difference = np.subtract(got, expected)
        np.abs(difference, out=difference)
        if not all_finite:
            difference[~both] = 0.0
        allowed: Any = floor
        if tolerance.rtol or tolerance.atol > floor:
            allowed = np.maximum(tolerance.atol + tolerance.rtol * abs_expected, floor)
        violating = over = difference > allowed
        non_finite_count = 0
        if not all_finite:
            non_finite = expected_finite & ~got_finite
            non_finite_count = int(np.count_nonzero(non_finite))
            mismatch = ~expected_finite & ~((got == expected) | (np.isnan(got) & np.isnan(expected)))
            violating = over | non_finite | mismatch
        violations = int(np.count_nonzero(violating))
        worst = None
        if violations:
            excess = np.where(over, difference - allowed, np.where(violating, np.inf, -np.inf))
            worst = int(np.argmax(excess))
        np.maximum(abs_expected, RELATIVE_ERROR_FLOOR, out=abs_expected)
        max_rel = float(np.max(difference / abs_expected)) if got.size else 0.0
        finite_expected = expected if all_finite else np.where(both, expected, 0.0)
        sum_d2 = float(np.dot(difference, difference))
        sum_r2 = float(np.dot(finite_expected, finite_expected))
    worst_allowed = None
    if worst is not None and expected_finite[worst]:
        worst_allowed = float(allowed if np.isscalar(allowed) else allowed[worst])
    return Comparison(
        max_abs_error=float(difference.max()) if got.size else 0.0, max_rel_error=max_rel,
        rel_l2_error=_relative_l2(sum_d2, sum_r2), allowed_max_abs_error=tolerance.allowed(max_abs_reference, floor),
        non_finite_elements=non_finite_count, violations=violations, worst_index=worst,
        worst_value=None if worst is None else float(got[worst]),
        worst_expected=None if worst is None else float(expected[worst]), worst_allowed=worst_allowed)


def compare(candidate: Any, reference: Any, tolerance: Tolerance, float32_error: float,
            device: str | None) -> Comparison:
    """:func:`compare_arrays`, on the GPU (:func:`check_device.compare_on_device`) when ``device`` is a CUDA device and
    torch can hold the candidate's dtype; on the host otherwise, or when the GPU has no memory left for it."""
    if device is not None and device.startswith("cuda"):
        from .check_device import compare_on_device
        from .environment import require_torch
        torch = require_torch()
        try:
            return compare_on_device(torch, candidate, reference, tolerance, float32_error, device)
        except TypeError:  # a dtype torch.from_numpy cannot hold
            pass
        except RuntimeError as error:  # torch.cuda.OutOfMemoryError is a RuntimeError
            if "out of memory" not in str(error):
                raise
            torch.cuda.empty_cache()
    return compare_arrays(candidate, reference, tolerance, float32_error)


def count_poisoned_array(candidate: Any, reference: Any, pattern: int) -> int:
    """:func:`count_poisoned` over numpy arrays; the reference is cast to the candidate's dtype first."""
    np = require_numpy()
    bits_type = np.dtype(f"u{candidate.dtype.itemsize}")
    got_bits = np.ascontiguousarray(candidate).view(bits_type).ravel()
    poisoned = got_bits == pattern
    if not poisoned.any():
        return 0
    with np.errstate(invalid="ignore", over="ignore"):
        expected = np.ascontiguousarray(np.asarray(reference).astype(candidate.dtype))
    expected_bits = expected.view(bits_type).ravel()
    return int(np.count_nonzero(poisoned & (expected_bits != pattern)))


def max_abs_difference(a: Any, b: Any) -> float:
    """Largest |a - b| over elements finite in both (e32, when a is eager float32 and b the float64 output)."""
    np = require_numpy()
    x = np.asarray(a).astype(np.float64).ravel()
    y = np.asarray(b).astype(np.float64).ravel()
    with np.errstate(invalid="ignore", over="ignore"):
        both = np.isfinite(x) & np.isfinite(y)
        return float(np.abs(x[both] - y[both]).max()) if both.any() else 0.0


def unravel(flat_index: int, shape: Sequence[int]) -> list[int]:
    """C-order multi-index of a flat index, e.g. ``unravel(5, [2, 3]) == [1, 2]``."""
    index: list[int] = []
    for extent in reversed(shape):
        flat_index, position = divmod(flat_index, extent) if extent else (flat_index, 0)
        index.append(position)
    return index[::-1]


def check_outputs(references: Sequence[Sequence[OutputReference]], request: CheckRequest,
                  device: str | None = None) -> CheckResponse:
    """Every output of every sent set against its reference; compared on ``device`` when it is a CUDA device."""
    tolerance = TOLERANCES.get(request.precision)
    if tolerance is None:
        raise bad_request(f"unknown precision {request.precision!r}; use one of {', '.join(TOLERANCES)}.")
    # The first sets in seed order: the orchestrator may leave out trailing seeds (the fresh-memory seed when it did
    # not run that check).
    if not 0 < len(request.output_files) <= len(references):
        raise bad_request(f"check got {len(request.output_files)} sets of output files; the problem was loaded "
                          f"with {len(references)} seeds, so send one list of output paths per seed, in seed order "
                          f"(trailing seeds may be left out).")
    sets = []
    for set_index, (paths, expected) in enumerate(zip(request.output_files, references)):
        if len(paths) != len(expected):
            raise bad_request(f"check set {set_index} has {len(paths)} output files; the problem has "
                              f"{len(expected)} outputs.")
        outputs = tuple(check_output(set_index, index, path, reference, request.precision, tolerance, device)
                        for index, (path, reference) in enumerate(zip(paths, expected)))
        sets.append(SetCheckResult(set_index, outputs))
    return CheckResponse(request.id, tuple(sets))


def check_output(set_index: int, index: int, path: str, reference: OutputReference, policy: str,
                 tolerance: Tolerance, device: str | None = None) -> OutputCheckResult:
    spec = reference.spec
    label = f"{spec.name} of input set {set_index}"
    count = math.prod(spec.shape)
    candidate = read_npy(path)
    mismatch = None
    if tuple(candidate.shape) != spec.shape:
        mismatch = f"{label}: shape {list(candidate.shape)} but the reference has {list(spec.shape)}."
    elif candidate.dtype.name != spec.dtype:
        mismatch = f"{label}: dtype {candidate.dtype.name} but the reference is {spec.dtype}."
    if mismatch is not None:
        return OutputCheckResult(index, False, "wrong_result", mismatch, None, None, None, reference.float32_error,
                                 None, 0, 0, count)
    poisoned = count_poisoned_array(candidate, reference.expected, POISON_BITS[spec.dtype])
    result = compare(candidate, reference.expected, tolerance, reference.float32_error, device)
    failure, message = _verdict(label, spec, policy, count, poisoned, result)
    return OutputCheckResult(
        index, failure is None, failure, message, result.max_abs_error, result.max_rel_error, result.rel_l2_error,
        reference.float32_error, result.allowed_max_abs_error, poisoned, result.non_finite_elements, count)


def _verdict(label: str, spec: TensorSpec, policy: str, count: int, poisoned: int,
             result: Comparison) -> tuple[str | None, str | None]:
    if poisoned:
        return "unwritten_output", (f"{label}: {poisoned} of {count} elements were never written (they still hold "
                                    f"the poison pattern {POISON_BITS[spec.dtype]:#x}).")
    where = "" if result.worst_index is None else _describe_worst(spec, result)
    if result.non_finite_elements:
        return "non_finite_output", (f"{label}: {result.non_finite_elements} of {count} elements are NaN or infinite "
                                     f"where the float64 reference is finite; {where}.")
    if result.violations:
        return "wrong_result", f"{label}: {result.violations} of {count} elements exceed the {policy} bound; {where}."
    return None, None


def _describe_worst(spec: TensorSpec, result: Comparison) -> str:
    index = unravel(result.worst_index or 0, spec.shape)
    got, expected = result.worst_value, result.worst_expected
    text = f"worst at index {index}: got {got:.6g}, expected {expected:.6g}"
    if result.worst_allowed is None or got is None or expected is None or not math.isfinite(got):
        return text
    return f"{text}, |error| {abs(got - expected):.3g} > allowed {result.worst_allowed:.3g}"
