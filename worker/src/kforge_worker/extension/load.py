"""``load``: check the request and the candidate (no torch), build the candidate, and set its parameters.

model_new: run the file (its ``load_inline`` builds), construct ``ModelNew(*get_init_inputs())`` after
``torch.manual_seed(seed)``, then copy the reference's parameters and buffers from the worker's ``.npy`` files into
those of ModelNew with the same name, shape and dtype; each call passes the inputs only. pybind: build the ``.cu``;
each call passes the inputs, then the parameters in ``named_parameters()`` order, then the buffers in ``named_buffers()``
order (the functional form's arguments, and the ABI's order).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from ..environment import require_torch
from ..errors import bad_request
from ..problem import model_state, read_problem
from ..protocol import TensorSpec
from ..reference import select_device as resolve_device  # the worker's device rule: an ordinal or a torch device string
from .build import build_pybind, construct_model_new, run_model_new_module
from .candidate import read_candidate
from .harness import LoadedCandidate, read_tensor
from .protocol import LoadRequest, LoadResponse

log = logging.getLogger(__name__)
STATE_ROLES = ("parameter", "buffer")
# How many unmatched parameter names a warning lists before "and N more".
LISTED_NAMES = 5


def load_candidate(request: LoadRequest) -> tuple[LoadedCandidate, LoadResponse]:
    validate_request(request)
    source = read_candidate(request.candidate_path, request.format)  # before torch: syntax and names
    problem = read_problem(request.problem_path) if request.format == "model_new" else None
    torch = require_torch()
    device = resolve_device(torch, request.device)
    started = time.perf_counter()
    inputs = role_indices(request.tensors, "input")
    model = None
    if problem is not None:
        namespace = run_model_new_module(source, request.build_dir)
        model = construct_model_new(torch, source, namespace, problem, request.seed, device)
        function, argument_indices = model, inputs
    else:
        function = build_pybind(source, request.build_dir)
        argument_indices = inputs + role_indices(request.tensors, *STATE_ROLES)
    build_seconds = time.perf_counter() - started
    loaded = LoadedCandidate(source.path, str(device), function, argument_indices, request.tensors, request.outputs,
                             request.input_files, request.scalar_inputs)
    warnings = [] if model is None else copy_matching_state(torch, model, loaded, request.seed)
    for warning in warnings:
        log.warning("%s", warning)
    return loaded, LoadResponse(request.id, build_seconds, tuple(warnings))


def validate_request(request: LoadRequest) -> None:
    """The request's own consistency: one path per tensor in every input set, at least one set and one output."""
    if not request.input_files:
        raise bad_request("load needs at least one input set in \"input_files\".")
    if not request.outputs:
        raise bad_request("load needs the problem's outputs in \"outputs\".")
    for index, paths in enumerate(request.input_files):
        if len(paths) != len(request.tensors):
            raise bad_request(f"input_files[{index}] has {len(paths)} paths for {len(request.tensors)} tensors; send "
                              "the tensors and input_files of one load_problem response.")


def role_indices(tensors: tuple[TensorSpec, ...], *wanted: str) -> tuple[int, ...]:
    """Positions of the tensors with one of the ``wanted`` roles, in request order."""
    return tuple(index for index, spec in enumerate(tensors) if spec.role in wanted)


def copy_matching_state(torch: Any, model: Any, loaded: LoadedCandidate, seed: int) -> list[str]:
    """Sets ModelNew's parameters and buffers from the reference's files where name, shape and dtype match.

    Returns a warning naming the reference tensors ModelNew has no match for: those keep the values ModelNew
    drew after the seed, which equal the reference's when it creates the same layers in the same order.
    """
    own = {name: tensor for name, tensor, _ in model_state(model, torch.Tensor)}  # as the worker sends it
    unmatched = []
    with torch.no_grad():
        for index in role_indices(loaded.tensors, *STATE_ROLES):
            spec = loaded.tensors[index]
            target = own.get(spec.name)
            if target is None or tuple(target.shape) != spec.shape or \
                    str(target.dtype).removeprefix("torch.") != spec.dtype:
                unmatched.append(spec.name)
                continue
            # Read without the runner's cache: after the copy only ModelNew's own tensors are needed.
            target.copy_(read_tensor(torch, loaded.input_files[0][index], spec, loaded.device))
    if not unmatched:
        return []
    listed = ", ".join(unmatched[:LISTED_NAMES])
    more = f" and {len(unmatched) - LISTED_NAMES} more" if len(unmatched) > LISTED_NAMES else ""
    return [f"ModelNew has no parameter or buffer with the name, shape and dtype of {listed}{more}; it keeps the "
            f"values it drew after torch.manual_seed({seed}), which equal the reference's only if it creates the "
            "same layers in the same order (as KernelBench models do)."]
