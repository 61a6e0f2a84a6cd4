"""``functionalize``: write a problem's functional form (``functional.py``) and check it against the problem's Model.

The graph comes from ``torch.export`` (``export.export_graph``), or from ``make_fx`` on a torch without it
(``legacy_capture``). The file is written first, then loaded as a problem of its own and checked: for every seed,
the problem's Model and the functional Model are built after ``torch.manual_seed(seed)``, both get the inputs
``get_inputs()`` draws after ``torch.manual_seed(seed)``, and their float32 outputs are compared (see ``Bound``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check_device import max_abs_difference_on_device
from .environment import require_torch
from .errors import WorkerError, bad_request
from .functional import ProblemText, functional_source
from .legacy_capture import MAKE_FX, capture_graph
from .problem import (call_problem, copy_inputs, execute_problem, normalize_outputs, read_problem, scalar_inputs,
                      tensor_attributes, tensor_inputs)
from .protocol import FunctionalCheck, FunctionalizeRequest, FunctionalizeResponse
# The very build and float64 copy load_problem does, so that "the same seed" means the same thing everywhere.
from .reference import build_model, draw_inputs, float64_copy, float64_outputs, select_device

log = logging.getLogger(__name__)

# Fewer independent inputs would let a form that is right on one draw only (a baked-in branch) pass.
MIN_SEEDS = 3


@dataclass(frozen=True, slots=True)
class Bound:
    """How far the functional form's float32 outputs may be from the problem's own float32 outputs.

    Both compute the same function in float32; they differ only where the captured graph orders or splits the
    arithmetic differently (a decomposed op such as logsumexp -> max, sub, exp, sum, log, add rounds at every step,
    where eager's fused kernel rounds once). With e32 the problem's own float32 error against its float64 copy and
    e_f the functional form's, |functional - problem| <= e_f + e32 (triangle inequality); allowing e_f up to 3 * e32
    gives the bound 4 * e32, two and a half times tighter than the strict check a candidate kernel must meet. The
    floor, 1e-6 of the largest |float64 output| (about 8 float32 ulps at that magnitude, as in the strict check),
    lets exact ops (relu, max pooling: e32 = 0) differ by a rounding step of a decomposition. Integer and bool
    outputs must be equal. A real error (an argument out of order, the wrong parameter, a branch baked in at capture)
    is orders of magnitude beyond this.
    """

    float32_error_factor: float = 4.0
    reference_max_fraction: float = 1e-6

    def allowed(self, float32_error: float, max_abs_reference: float) -> float:
        return max(self.float32_error_factor * float32_error, self.reference_max_fraction * max_abs_reference)


BOUND = Bound()


def functionalize(request: FunctionalizeRequest) -> FunctionalizeResponse:
    if len(request.seeds) < MIN_SEEDS:
        raise bad_request(f"functionalize needs at least {MIN_SEEDS} seeds, got {len(request.seeds)}.")
    if os.path.abspath(request.output_path) == os.path.abspath(request.problem_path):
        raise bad_request(f"output_path {request.output_path} is the problem itself; write the functional form elsewhere.")
    source = read_problem(request.problem_path)  # syntax and names first, without torch
    torch = require_torch()
    device = select_device(torch, request.device)
    path = source.path
    namespace = execute_problem(source)
    warnings: list[str] = []
    graph, capture, attributes, scalar_positions = _capture(torch, path, namespace, request.seeds[0], device, warnings)
    text = functional_source(graph, ProblemText(_label(path), Path(path).read_text(encoding="utf-8"), source.sha256),
                             torch.__version__, capture, dir(torch.nn.Module), scalar_positions, attributes)
    _write(request.output_path, text)
    functional, load_error = _load_functional(request.output_path)
    sets = tuple(_check_seed(torch, path, namespace, request.output_path, functional, load_error, seed, device, warnings)
                 for seed in request.seeds)
    for warning in warnings:
        log.warning("%s", warning)
    return FunctionalizeResponse(
        id=request.id, output_path=request.output_path, problem_hash=source.sha256, torch_version=torch.__version__,
        capture=capture, nodes=len(graph["nodes"]), matches=all(entry.passed for entry in sets), sets=sets,
        warnings=tuple(warnings))


def _capture(torch: Any, path: str, namespace: dict[str, Any], seed: int, device: Any,
             warnings: list[str]) -> tuple[dict[str, Any], str, list[str], list[int]]:
    """The graph, how it was captured, the model's tensor attributes and the positions of the scalar inputs."""
    model = build_model(torch, path, namespace, seed, device)
    inputs = draw_inputs(torch, path, namespace, seed, device)
    graph, capture = capture_graph(torch, model, inputs, path, decompose=False)
    attributes = [name for name, _ in tensor_attributes(model, torch.Tensor)]
    scalar_positions = [position for position, _ in scalar_inputs(inputs)]
    if capture == MAKE_FX:
        warnings.append(f"torch {torch.__version__} has no torch.export: the graph was traced with make_fx (ATen ops as "
                        "dispatched, not decomposed to core ATen), so module_fn differs from what torch 2.x writes; the "
                        "check holds for this file as written")
    return graph, capture, attributes, scalar_positions


def _write(output_path: str, text: str) -> None:
    try:
        folder = os.path.dirname(os.path.abspath(output_path))
        os.makedirs(folder, exist_ok=True)
        Path(output_path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise WorkerError("environment", f"cannot write {output_path} ({error.strerror or error}); choose a writable "
                                         "path with -o.") from None


def _load_functional(output_path: str) -> tuple[dict[str, Any] | None, str | None]:
    """The generated file's namespace, or why it does not load (a bug of ours: reported, never hidden)."""
    try:
        return execute_problem(read_problem(output_path)), None
    except WorkerError as error:
        return None, f"the functional file does not load: {error.message}"


def _check_seed(torch: Any, path: str, namespace: dict[str, Any], output_path: str, functional: dict[str, Any] | None,
                load_error: str | None, seed: int, device: Any, warnings: list[str]) -> FunctionalCheck:
    is_tensor = lambda value: isinstance(value, torch.Tensor)  # noqa: E731
    model = build_model(torch, path, namespace, seed, device)
    inputs = draw_inputs(torch, path, namespace, seed, device)
    with torch.no_grad():
        expected = normalize_outputs(path, call_problem(path, "forward", lambda: model(*copy_inputs(inputs))),
                                     is_tensor)
        model64 = float64_copy(model, warnings)
        expected64 = float64_outputs(path, model64, inputs, expected, warnings, is_tensor)
        del model64
    if functional is None:
        return FunctionalCheck(seed, False, None, None, load_error)
    try:
        functional_model = build_model(torch, output_path, functional, seed, device)
        functional_inputs = draw_inputs(torch, output_path, functional, seed, device)
        if len(functional_inputs) != len(inputs) or scalar_inputs(functional_inputs) != scalar_inputs(inputs) or not all(
                a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b)
                for a, b in zip(tensor_inputs(functional_inputs), tensor_inputs(inputs))):
            return FunctionalCheck(seed, False, None, None, "the functional file's get_inputs() drew other inputs than "
                                                            "the problem's for this seed")
        with torch.no_grad():
            got = normalize_outputs(output_path, call_problem(
                output_path, "forward", lambda: functional_model(*copy_inputs(inputs))), is_tensor)
    except WorkerError as error:
        return FunctionalCheck(seed, False, None, None, f"the functional Model failed: {error.message}")
    return compare_outputs(torch, seed, got, expected, expected64)


def compare_outputs(torch: Any, seed: int, got: list[Any], expected: list[Any], expected64: list[Any]) -> FunctionalCheck:
    """The functional form's outputs against the problem's, per :class:`Bound`; the worst output speaks for the seed."""
    if len(got) != len(expected):
        return FunctionalCheck(seed, False, None, None, f"the functional Model returned {len(got)} outputs, the "
                                                        f"problem's {len(expected)}")
    worst = (-1.0, 0.0, 0.0)  # (error / allowed, error, allowed)
    for index, (actual, reference, reference64) in enumerate(zip(got, expected, expected64)):
        if tuple(actual.shape) != tuple(reference.shape) or actual.dtype != reference.dtype:
            return FunctionalCheck(seed, False, None, None, f"output {index} is {_describe(actual)}, the problem's "
                                                            f"{_describe(reference)}")
        error, allowed, mismatch = _output_error(torch, actual, reference, reference64)
        if mismatch is not None:
            return FunctionalCheck(seed, False, error, allowed, f"output {index}: {mismatch}")
        ratio = error / allowed if allowed > 0 else (0.0 if error == 0 else float("inf"))
        if ratio > worst[0]:
            worst = (ratio, error, allowed)
        if error > allowed:
            return FunctionalCheck(seed, False, error, allowed, f"output {index}: max abs error {error:.3g} exceeds "
                                                                f"the allowed {allowed:.3g}")
    return FunctionalCheck(seed, True, worst[1], worst[2], None)


def _output_error(torch: Any, actual: Any, reference: Any, reference64: Any) -> tuple[float, float, str | None]:
    """``(max |actual - reference|, allowed, mismatch)``; NaN and infinity must sit where the problem has them."""
    if not reference.is_floating_point():
        equal = torch.equal(actual, reference)
        difference = 0.0 if equal else float((actual.long() - reference.long()).abs().max())
        return difference, 0.0, None if equal else "integer outputs differ"
    a, r = actual.double(), reference.double()
    r64 = reference64.to(r.device).double()
    finite = torch.isfinite(a) & torch.isfinite(r)
    same_special = (a == r) | (torch.isnan(a) & torch.isnan(r))
    misplaced = int((~finite & ~same_special).sum())
    error = float((a - r).abs().where(finite, torch.zeros_like(a)).max()) if a.numel() else 0.0
    float32_error = max_abs_difference_on_device(torch, r, r64)  # e32, as load_problem computes it
    max_abs_reference = float(r64.abs().where(torch.isfinite(r64), torch.zeros_like(r64)).max()) if r.numel() else 0.0
    allowed = BOUND.allowed(float32_error, max_abs_reference)
    return error, allowed, f"{misplaced} non-finite values where the problem has others" if misplaced else None


def _describe(tensor: Any) -> str:
    return f"{str(tensor.dtype).removeprefix('torch.')}{list(tensor.shape)}"


def _label(path: str) -> str:
    """The problem's path as the header shows it: relative to the working directory when inside it."""
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative.startswith("..") else relative
