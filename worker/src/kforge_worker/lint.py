"""``lint_problem``: flag problems where cheating is easy because the problem is degenerate (docs/protocol.md).

Works on the references ``load_problem`` keeps ([input set][output] float64 values and e32) and judges every
candidate output with the check's own policy math (:func:`check.compare_values`/:func:`check.compare_arrays`), so a
finding means "this output would pass ``check``". Codes, in the order they are evaluated per output:

- ``non_finite_reference``: the float64 reference holds NaN or infinity.
- ``zero_output_passes``: all zeros pass the strict policy on every input set.
- ``zero_output_passes_kernelbench``: all zeros fail strict but pass ``kernelbench`` on every input set.
- ``constant_output_passes``: one constant (the mean of the float64 reference over all input sets) passes strict on
  every input set; not reported where zeros already pass strict (zero is such a constant).
- ``input_independent``: every input set's reference equals input set 0's within strict (needs two or more sets).
- ``tiny_outputs``: max |float64 reference| over all input sets is below kernelbench's atol (floating outputs only).

and once per problem (``output`` null): ``weight_independent``, the model rebuilt with ``seeds[0] + 7919`` gives
the same outputs on input set 0 within strict (only for models with parameters; needs torch). ``checked`` lists the
codes that were evaluated. Everything but :func:`rebuild_model` is pure: flat sequences of floats take the
pure-Python path, numpy arrays the numpy path.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .check import TOLERANCES, Comparison, OutputReference, Tolerance, compare_arrays, compare_values
from .errors import WorkerError
from .protocol import LintFinding, LintProblemRequest, LintProblemResponse
from .tensors import FLOATING_DTYPES, require_numpy

log = logging.getLogger(__name__)

CODES = ("non_finite_reference", "zero_output_passes", "zero_output_passes_kernelbench", "constant_output_passes",
         "input_independent", "tiny_outputs", "weight_independent")
# The rebuilt model's seed is seeds[0] + this prime, far from the consecutive seeds kforge sends.
WEIGHT_SEED_OFFSET = 7919

_STRICT = TOLERANCES["strict"]
_KERNELBENCH = TOLERANCES["kernelbench"]


@dataclass(frozen=True, slots=True)
class RebuiltModel:
    """The problem's model built again with another seed and run on input set 0 (what weight_independent uses)."""

    seed: int
    outputs: Sequence[Any]  # one per output: float64 values, a numpy array or a flat sequence
    unchanged_parameters: tuple[str, ...]  # parameters that came out bit-identical (deterministic initialization)
    parameter_count: int


@dataclass(frozen=True, slots=True)
class ValueSummary:
    """Element count, and the count, sum, minimum and maximum of the finite elements of one output."""

    count: int
    finite_count: int
    finite_sum: float
    minimum: float
    maximum: float

    @property
    def non_finite(self) -> int:
        return self.count - self.finite_count

    @property
    def max_abs(self) -> float:
        return max(abs(self.minimum), abs(self.maximum))


def lint_problem(problem: Any, first_seed: int, request: LintProblemRequest) -> LintProblemResponse:
    """The op: ``problem`` is reference.LoadedProblem, ``first_seed`` the seed its model was built with."""
    rebuilt = rebuild_model(problem, first_seed + WEIGHT_SEED_OFFSET)
    findings, checked = lint_references(problem.references, rebuilt)
    return LintProblemResponse(request.id, tuple(findings), tuple(checked))


def lint_references(references: Sequence[Sequence[OutputReference]],
                    rebuilt: RebuiltModel | None = None) -> tuple[list[LintFinding], list[str]]:
    """Findings (per output in output order, then the problem-wide one) and the codes evaluated, in CODES order."""
    findings: list[LintFinding] = []
    checked: set[str] = {"non_finite_reference", "zero_output_passes", "zero_output_passes_kernelbench",
                         "constant_output_passes"}
    if len(references) >= 2:
        checked.add("input_independent")
    for index in range(len(references[0]) if references else 0):
        per_set = [references_of_set[index] for references_of_set in references]
        if per_set[0].spec.dtype in FLOATING_DTYPES:
            checked.add("tiny_outputs")
        findings.extend(lint_output(index, per_set))
    if rebuilt is not None and references:
        checked.add("weight_independent")
        finding = weight_independence(references[0], rebuilt)
        if finding is not None:
            findings.append(finding)
    return findings, [code for code in CODES if code in checked]


def lint_output(index: int, per_set: Sequence[OutputReference]) -> list[LintFinding]:
    """The per-output findings for one output, given its reference on every input set."""
    name = per_set[0].spec.name
    summaries = [summarize(reference.expected) for reference in per_set]
    max_abs = max(summary.max_abs for summary in summaries)
    findings: list[LintFinding] = []

    def add(code: str, message: str) -> None:
        findings.append(LintFinding(code, index, f"{name}: {message}"))

    non_finite = [(k, summary.non_finite) for k, summary in enumerate(summaries) if summary.non_finite]
    if non_finite:
        sets = ", ".join(str(k) for k, _ in non_finite)
        add("non_finite_reference",
            f"the float64 reference has {sum(n for _, n in non_finite)} NaN or infinite elements (input sets {sets}, "
            f"{summaries[0].count} elements each); a candidate must reproduce them in place and they hide whatever "
            "it computes there. Keep the inputs in the ops' domain (torch.rand for log or sqrt, an offset before a "
            "division) so that the reference is finite.")

    zeros = _fill_passes(per_set, summaries, 0.0, _STRICT)
    if zeros is not None:
        add("zero_output_passes",
            f"an all-zeros output passes the strict check on every input set (max |reference| {max_abs:.3g}, "
            f"allowed error {zeros.allowed_max_abs_error:.3g}), so a kernel that writes only zeros is accepted. "
            "Make the output depend on the inputs with a real magnitude: use signed inputs (torch.randn) where an op "
            "such as relu or clamp zeroes the drawn ones, and avoid ops that cancel (x - x).")
    elif _fill_passes(per_set, summaries, 0.0, _KERNELBENCH) is not None:
        add("zero_output_passes_kernelbench",
            f"an all-zeros output fails strict but passes the kernelbench precision (atol {_KERNELBENCH.atol:g}, rtol "
            f"{_KERNELBENCH.rtol:g}) on every input set (max |reference| {max_abs:.3g}), so a result checked under "
            "kernelbench proves nothing for this problem. Check under strict, or scale the output up (unit-scale "
            "signed inputs, torch.randn; sums instead of means over many elements).")

    if zeros is None:
        finite_count = sum(summary.finite_count for summary in summaries)
        constant = math.fsum(summary.finite_sum for summary in summaries) / finite_count if finite_count else 0.0
        passed = _fill_passes(per_set, summaries, constant, _STRICT)
        if passed is not None:
            add("constant_output_passes",
                f"the constant {constant:.6g} (the mean of the float64 reference over all input sets) passes the "
                f"strict check on every input set (deviation up to {passed.max_abs_error:.3g}, allowed "
                f"{passed.allowed_max_abs_error:.3g}), so a kernel that fills the output with one number is "
                "accepted. Make the output vary with the inputs: draw varied inputs (torch.randn) and avoid "
                "reductions over so many elements that every draw gives the same value (reduce over fewer "
                "elements, or return the unreduced values).")

    if len(per_set) >= 2:
        first = per_set[0].expected
        same = _passes_everywhere(per_set[1:], lambda reference: first, _STRICT)
        if same is not None:
            add("input_independent",
                f"the float64 reference is the same on every input set within the strict tolerance (largest "
                f"difference {same.max_abs_error:.3g} from input set 0, allowed {same.allowed_max_abs_error:.3g}), "
                "so a kernel could return a precomputed result without reading its inputs. Make the output depend "
                "on the inputs: get_inputs() must draw random tensors (torch.randn, not torch.ones or a fixed "
                "tensor) and forward must use them.")

    if per_set[0].spec.dtype in FLOATING_DTYPES and max_abs < _KERNELBENCH.atol:
        add("tiny_outputs",
            f"max |float64 reference| over all input sets is {max_abs:.3g}, below kernelbench's atol "
            f"{_KERNELBENCH.atol:g}, so under the kernelbench precision any output near zero passes. Scale the "
            "output up (unit-scale inputs such as torch.randn, fewer elements averaged) or check under strict.")
    return findings


def weight_independence(first_set: Sequence[OutputReference], rebuilt: RebuiltModel) -> LintFinding | None:
    """``weight_independent`` when every output of the rebuilt model matches input set 0's reference under strict."""
    if len(rebuilt.outputs) != len(first_set):
        raise ValueError("the rebuilt model returned another number of outputs")
    worst: Comparison | None = None
    for values, reference in zip(rebuilt.outputs, first_set):
        result = compare(values, reference.expected, _STRICT, reference.float32_error)
        if result.violations:
            return None
        if worst is None or result.max_abs_error > worst.max_abs_error:
            worst = result
    if worst is None:
        return None
    if len(rebuilt.unchanged_parameters) == rebuilt.parameter_count:
        names = ", ".join(rebuilt.unchanged_parameters[:6]) + (", ..." if len(rebuilt.unchanged_parameters) > 6 else "")
        return LintFinding("weight_independent", None,
                           f"Model built with seed {rebuilt.seed} has the same parameters ({names}): they are "
                           "initialized deterministically (e.g. nn.LayerNorm's ones and zeros), so a kernel that "
                           "ignores them passes. Initialize them randomly in Model.__init__ (e.g. "
                           "nn.init.normal_(self.norm.weight, 1.0, 0.5)).")
    return LintFinding("weight_independent", None,
                       f"Model built with seed {rebuilt.seed} has other parameters but gives the same outputs on input "
                       f"set 0 within the strict tolerance (largest difference {worst.max_abs_error:.3g}, allowed "
                       f"{worst.allowed_max_abs_error:.3g}), so a kernel that ignores the weights passes. Make the "
                       "output depend on them: check that forward uses every parameter and that no later op cancels "
                       "it (a bias followed by a normalization that subtracts the mean, weights scaled to nothing), "
                       "or remove the parameters the output does not need.")


def _fill_passes(per_set: Sequence[OutputReference], summaries: Sequence[ValueSummary], value: float,
                 tolerance: Tolerance) -> Comparison | None:
    """:func:`_passes_everywhere` for an output filled with ``value``, skipping the full comparison where the
    reference's smallest or largest element alone already fails (the common case, and exact: the same bounds)."""
    for reference, summary in zip(per_set, summaries):
        if summary.non_finite:
            return None  # a finite fill never matches a NaN or infinite reference element
        floor = tolerance.floor(reference.float32_error, summary.max_abs)
        if summary.count and any(abs(extreme - value) > tolerance.allowed(abs(extreme), floor)
                                 for extreme in (summary.minimum, summary.maximum)):
            return None
    return _passes_everywhere(per_set, lambda reference: _filled(reference.expected, value), tolerance)


def _passes_everywhere(per_set: Sequence[OutputReference], candidate_of: Callable[[OutputReference], Any],
                       tolerance: Tolerance) -> Comparison | None:
    """The comparison with the largest error when ``candidate_of(reference)`` passes on every set; else None."""
    worst: Comparison | None = None
    for reference in per_set:
        result = compare(candidate_of(reference), reference.expected, tolerance, reference.float32_error)
        if result.violations:
            return None  # stop at the first failing set: a healthy problem costs one comparison per check
        if worst is None or result.max_abs_error >= worst.max_abs_error:
            worst = result
    return worst


def compare(candidate: Any, reference: Any, tolerance: Tolerance, float32_error: float) -> Comparison:
    """check's policy math: the pure-Python version for flat sequences, the numpy version for arrays."""
    if _is_plain(candidate) and _is_plain(reference):
        return compare_values(candidate, reference, tolerance, float32_error)
    return compare_arrays(candidate, reference, tolerance, float32_error)


def summarize(values: Any) -> ValueSummary:
    """Count, sum, minimum and maximum of one output's values (flat sequence or numpy array of any shape)."""
    if _is_plain(values):
        finite = [float(value) for value in values if math.isfinite(value)]
        return ValueSummary(len(values), len(finite), math.fsum(finite), min(finite, default=0.0),
                            max(finite, default=0.0))
    np = require_numpy()
    array = np.asarray(values, dtype=np.float64).ravel()
    finite_mask = np.isfinite(array)
    finite = array if finite_mask.all() else array[finite_mask]
    if not finite.size:
        return ValueSummary(int(array.size), 0, 0.0, 0.0, 0.0)
    return ValueSummary(int(array.size), int(finite.size), float(finite.sum()), float(finite.min()),
                        float(finite.max()))


def _filled(like: Any, value: float) -> Any:
    """An output of ``like``'s shape holding ``value`` everywhere."""
    if _is_plain(like):
        return [value] * len(like)
    np = require_numpy()
    return np.full(np.shape(like), value, dtype=np.float64)


def _is_plain(values: Any) -> bool:
    return isinstance(values, (list, tuple))


def rebuild_model(problem: Any, seed: int) -> RebuiltModel | None:
    """``problem``'s Model built again as load_problem builds it, with ``seed``, and run on input set 0.

    None (weight_independent is then not checked) when torch is missing, the model has no parameters, or the
    rebuilt model does not match the loaded one (the problem file changed since load_problem).
    """
    try:
        import torch
    except ImportError:
        return None
    parameters = dict(problem.model.named_parameters())
    if not parameters:
        return None
    from .problem import call_problem, copy_inputs, execute_problem, normalize_outputs, read_problem
    from .reference import build_model  # the very build load_problem does, so only the seed differs
    try:
        path = problem.path
        model = build_model(torch, path, execute_problem(read_problem(path)), seed, torch.device(problem.device))
        rebuilt_parameters = dict(model.named_parameters())
        if {name: tuple(p.shape) for name, p in rebuilt_parameters.items()} != \
                {name: tuple(p.shape) for name, p in parameters.items()}:
            log.warning("lint_problem: %s builds other parameters than when it was loaded; weight_independent "
                        "not checked", path)
            return None
        unchanged = tuple(name for name, tensor in parameters.items()
                          if torch.equal(tensor.detach(), rebuilt_parameters[name].detach()))
        with torch.no_grad():
            arguments = copy_inputs(problem.input_sets[0])
            returned = call_problem(path, "forward", lambda: model(*arguments))
            outputs = normalize_outputs(path, returned, lambda value: isinstance(value, torch.Tensor))
            values = [tensor.detach().to("cpu").double().contiguous().numpy() for tensor in outputs]
    except WorkerError as error:
        log.warning("lint_problem: rebuilding the model failed (%s); weight_independent not checked", error.message)
        return None
    if [tuple(value.shape) for value in values] != [reference.spec.shape for reference in problem.references[0]]:
        log.warning("lint_problem: the rebuilt model returns other outputs; weight_independent not checked")
        return None
    return RebuiltModel(seed, values, unchanged, len(parameters))
