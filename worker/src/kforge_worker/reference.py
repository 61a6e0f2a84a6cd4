"""``load_problem``: build the Reference once, draw one input set per seed, and keep float32 and float64 outputs.

Only the inputs, parameters and buffers leave the process (as ``.npy`` under ``shm_dir``); the expected outputs
stay in this process's memory, so a candidate can never read them.
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass, field
from typing import Any

from .check import OutputReference, max_abs_difference
from .check_device import max_abs_difference_on_device
from .environment import require_cuda, require_torch
from .errors import WorkerError, bad_request
from .problem import (call_problem, copy_inputs, execute_problem, is_scalar_input, model_state, normalize_outputs,
                      read_problem, scalar_inputs, set_tensor_attribute, tensor_attributes, tensor_inputs,
                      validate_init_inputs, validate_inputs)
from .protocol import LoadProblemRequest, LoadProblemResponse, ScalarInput, TensorSpec
from .tensors import FLOATING_DTYPES, protocol_dtype, size_bytes, write_npy

log = logging.getLogger(__name__)


@dataclass(slots=True)
class LoadedProblem:
    """Worker state after ``load_problem``: what ``check`` and ``time_reference`` work on."""

    path: str
    device: str
    model: Any
    input_sets: list[tuple[Any, ...]]  # device tensors, one tuple per seed
    outputs: tuple[TensorSpec, ...]
    references: list[list[OutputReference]]  # [seed][output]
    compiled_model: Any = None
    compile_seconds: float | None = None
    warnings: list[str] = field(default_factory=list)


def load_problem(request: LoadProblemRequest) -> tuple[LoadedProblem, LoadProblemResponse]:
    if not request.seeds:
        raise bad_request("load_problem needs at least one seed in \"seeds\".")
    source = read_problem(request.problem_path)  # before torch: syntax and names are checked without it
    torch = require_torch()
    device = select_device(torch, request.device)
    namespace = execute_problem(source)
    path = source.path
    model = build_model(torch, path, namespace, request.seeds[0], device)
    warnings: list[str] = []
    model64 = float64_copy(model, warnings)
    input_sets: list[tuple[Any, ...]] = []
    references: list[list[OutputReference]] = []
    input_specs: tuple[TensorSpec, ...] = ()
    outputs: tuple[TensorSpec, ...] = ()
    for seed in request.seeds:
        inputs, set_specs, set_outputs, set_references = _draw_set(torch, path, namespace, seed, device, model,
                                                                   model64, warnings, repeat=not input_sets)
        if input_sets and (set_specs, set_outputs) != (input_specs, outputs):
            raise WorkerError(
                "problem_invalid", f"{path}: seed {seed} gave other input or output shapes or dtypes than seed "
                                   f"{request.seeds[0]}; the ABI needs fixed shapes.", file=path)
        if input_sets and scalar_inputs(inputs) != scalar_inputs(input_sets[0]):
            raise WorkerError(
                "problem_invalid", f"{path}: seed {seed} gave other scalar inputs than seed {request.seeds[0]} "
                                   f"({_scalars(inputs)} vs {_scalars(input_sets[0])}); a Python number among "
                                   "get_inputs() must be the same for every seed (it is part of the problem): draw a "
                                   "random value as a tensor instead.", file=path)
        input_specs, outputs = set_specs, set_outputs
        input_sets.append(inputs)
        references.append(set_references)

    state = model_state(model, torch.Tensor)
    tensors = input_specs + tuple(_spec(name, tensor, role, path) for name, tensor, role in state)
    input_files = _write_tensors(request.shm_dir, input_sets, [tensor for _, tensor, _ in state])
    bytes_moved = sum(size_bytes(spec.shape, spec.dtype) for spec in tensors + outputs)
    flops = count_flops(torch, model, input_sets[0])
    release_cached_memory(torch, device)
    for warning in warnings:
        log.warning("%s", warning)
    loaded = LoadedProblem(path, str(device), model, input_sets, outputs, references, warnings=warnings)
    response = LoadProblemResponse(
        id=request.id, name=source.name, problem_hash=source.sha256, tensors=tensors, outputs=outputs,
        input_files=input_files, bytes_moved=bytes_moved, warnings=tuple(warnings), flops=flops,
        scalar_inputs=tuple(ScalarInput(position, value) for position, value in scalar_inputs(input_sets[0])))
    return loaded, response


def release_cached_memory(torch: Any, device: Any) -> None:
    """Hands the blocks torch's caching allocator keeps after the references (the float64 copies, the clones) back to
    the driver: the ABI runner allocates its own copy of every input set next, in another process, which cannot use
    memory cached here. With an 8 GiB input, the cache held enough that the runner's cudaMalloc failed on an 80 GB H100."""
    if getattr(device, "type", None) == "cuda":
        torch.cuda.empty_cache()


def count_flops(torch: Any, model: Any, inputs: tuple[Any, ...]) -> int | None:
    """Floating-point operations of one forward pass as torch's FlopCounterMode counts them (matmuls, convolutions,
    attention: 2 per multiply-add), or None when it counts none or is unavailable (torch before 2.1). The compute
    floor's numerator; elementwise work is not counted, so the floor stays a lower bound."""
    try:
        from torch.utils.flop_counter import FlopCounterMode
    except ImportError:
        return None
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(*inputs)
        total = int(counter.get_total_flops())
    except Exception as error:  # noqa: BLE001 - a counter failure must not fail loading; the floor is then unknown
        log.info("flop counting failed (%s); no compute floor", error)
        return None
    return total if total > 0 else None


def select_device(torch: Any, requested: int | str) -> Any:
    """An ordinal (kforge sends 0 and sets CUDA_VISIBLE_DEVICES) or a device string, made current."""
    text = f"cuda:{requested}" if isinstance(requested, int) else requested
    require_cuda(torch, text)
    try:
        device = torch.device(text)
    except (RuntimeError, ValueError) as error:
        raise bad_request(f"device {requested!r} is not a torch device ({error}); send 0 or \"cuda:0\".") from None
    if device.type == "cuda" and device.index is not None:
        torch.cuda.set_device(device)  # events and streams in time_reference use the current device
    return device


def build_model(torch: Any, path: str, namespace: dict[str, Any], seed: int, device: Any) -> Any:
    """``Model(*get_init_inputs())`` after ``manual_seed(seed)``, on ``device``, in the mode it was built in: training,
    as every nn.Module starts, unless the problem calls ``eval()`` itself. KernelBench never calls ``eval()``, so a
    BatchNorm there normalizes with the batch's own statistics, and a kernel written for KernelBench does the same."""
    torch.manual_seed(seed)
    init_inputs = validate_init_inputs(path, call_problem(path, "get_init_inputs()", namespace["get_init_inputs"]))
    model = call_problem(path, "Model(*get_init_inputs())", lambda: namespace["Model"](*init_inputs))
    if not isinstance(model, torch.nn.Module):
        raise WorkerError("problem_invalid", f"{path}: Model is not a torch.nn.Module; subclass nn.Module.", file=path)
    return call_problem(path, "Model.to(device)", lambda: model.to(device))


def draw_inputs(torch: Any, path: str, namespace: dict[str, Any], seed: int, device: Any) -> tuple[Any, ...]:
    """``get_inputs()`` after ``manual_seed(seed)``, validated and moved to ``device``."""
    torch.manual_seed(seed)
    values = validate_inputs(path, call_problem(path, "get_inputs()", namespace["get_inputs"]),
                             lambda value: isinstance(value, torch.Tensor))
    return tuple(value if is_scalar_input(value) else value.to(device) for value in values)


def _draw_set(torch: Any, path: str, namespace: dict[str, Any], seed: int, device: Any, model: Any, model64: Any,
              warnings: list[str], repeat: bool) -> tuple[tuple[Any, ...], tuple[TensorSpec, ...],
                                                          tuple[TensorSpec, ...], list[OutputReference]]:
    """One input set from get_inputs() after manual_seed(seed), and its float32 and float64 outputs. ``repeat``: run
    forward a second time on the same inputs and refuse a reference that does not repeat (see require_repeatable)."""
    is_tensor = lambda value: isinstance(value, torch.Tensor)  # noqa: E731
    inputs = draw_inputs(torch, path, namespace, seed, device)
    specs = tuple(_spec(f"input{i}", tensor, "input", path) for i, tensor in enumerate(tensor_inputs(inputs)))
    # The reference runs on copies, so the inputs written for the candidate are the ones it was given.
    arguments = copy_inputs(inputs)
    with torch.no_grad():
        out32 = normalize_outputs(path, call_problem(path, "forward", lambda: model(*arguments)), is_tensor)
        if repeat:
            again = normalize_outputs(path, call_problem(path, "forward", lambda: model(*copy_inputs(inputs))),
                                      is_tensor)
            require_repeatable(torch, path, out32, again, warnings)
            del again
        out64 = float64_outputs(path, model64, inputs, out32, warnings, is_tensor)
    for index, (given, used) in enumerate(zip(tensor_inputs(inputs), tensor_inputs(arguments))):
        if not torch.equal(given, used):
            _warn_once(warnings, f"forward modifies input{index} in place; candidates get the unmodified input")
    outputs = tuple(_spec(f"output{i}", tensor, "output", path) for i, tensor in enumerate(out32))
    return inputs, specs, outputs, [_reference(spec, a, b) for spec, a, b in zip(outputs, out32, out64)]


# A second forward on the same inputs may differ by this fraction of the output's largest magnitude (atomics in the
# reference's own kernels reorder float sums) before the reference counts as random.
REPEAT_TOLERANCE = 1e-3


def require_repeatable(torch: Any, path: str, first: list[Any], second: list[Any], warnings: list[str]) -> None:
    """Refuses a problem whose forward gives other outputs for the same inputs: no candidate can match a random
    reference, so checking one against it would blame the candidate. Differences within REPEAT_TOLERANCE (a
    nondeterministic reduction order) are a warning."""
    for index, (a, b) in enumerate(zip(first, second)):
        if torch.equal(a, b):
            continue
        if a.is_floating_point():
            same = (a == b) | (torch.isnan(a) & torch.isnan(b))  # NaN where the reference makes NaN is repeatable
            if bool(same.all()):
                continue
            difference = float((a - b).abs()[~same].nan_to_num(nan=float("inf")).max())
            finite = a[torch.isfinite(a)]
            scale = float(finite.abs().max()) if finite.numel() else 0.0
            if difference <= REPEAT_TOLERANCE * max(scale, 1.0):
                _warn_once(warnings, f"output{index} of forward differs by up to {difference:.3g} between two calls "
                                     "on the same inputs (a nondeterministic reduction order in the reference); the "
                                     "check's tolerance covers it")
                continue
            change = f"differs by up to {difference:.3g}"
        else:
            change = f"has {int((a != b).sum())} other elements"
        raise WorkerError(
            "problem_invalid",
            f"{path}: forward gives other outputs for the same inputs (output{index} {change} in a second call). The Model runs in training mode, as nn.Module starts and as "
            "KernelBench runs it, so random layers (nn.Dropout with p > 0, F.dropout, RReLU) draw new values on every "
            "call and no kernel can match them; make forward deterministic (dropout p=0.0), or call self.eval() in "
            "__init__ if the problem means inference.", file=path)


def _write_tensors(shm_dir: str, input_sets: list[tuple[Any, ...]], state: list[Any]) -> tuple[tuple[str, ...], ...]:
    """Inputs as shm_dir/set{k}/input{i}.npy, parameters and buffers once as shm_dir/params/{tensor index}.npy."""
    first_state_index = len(tensor_inputs(input_sets[0]))
    state_paths = []
    for offset, tensor in enumerate(state):
        state_path = os.path.join(shm_dir, "params", f"{first_state_index + offset}.npy")
        write_npy(state_path, tensor)
        state_paths.append(state_path)
    input_files = []
    for set_index, inputs in enumerate(map(tensor_inputs, input_sets)):
        paths = [os.path.join(shm_dir, f"set{set_index}", f"input{i}.npy") for i in range(len(inputs))]
        for input_path, tensor in zip(paths, inputs):
            write_npy(input_path, tensor)
        input_files.append(tuple(paths + state_paths))
    return tuple(input_files)


def _scalars(inputs: tuple[Any, ...]) -> str:
    return ", ".join(f"item {position} = {value!r}" for position, value in scalar_inputs(inputs)) or "none"


def _warn_once(warnings: list[str], message: str) -> None:
    if message not in warnings:
        warnings.append(message)


def _spec(name: str, tensor: Any, role: str, path: str) -> TensorSpec:
    what = f"{path}: {role} {name}"
    return TensorSpec(name=name, shape=tuple(int(extent) for extent in tensor.shape),
                      dtype=protocol_dtype(tensor.dtype, what), role=role)


def float64_copy(model: Any, warnings: list[str]) -> Any:
    try:
        model64 = copy.deepcopy(model).double()
        # .double() converts parameters and buffers only; plain tensor attributes (self.h0 = torch.randn(...)) too.
        for name, tensor in tensor_attributes(model64, require_torch().Tensor):
            if tensor.is_floating_point():
                set_tensor_attribute(model64, name, tensor.double())
        return model64
    except Exception as error:  # any failure only weakens the reference; it is reported, not fatal
        warnings.append(f"no float64 copy of the model ({type(error).__name__}: {error}); comparing against float32")
        return None


def float64_outputs(path: str, model64: Any, inputs: tuple[Any, ...], out32: list[Any], warnings: list[str],
                     is_tensor: Any) -> list[Any]:
    """Outputs of the float64 copy on upcast inputs; the float32 outputs, upcast, where that fails."""
    fallback = [tensor.double() if tensor.is_floating_point() else tensor for tensor in out32]
    if model64 is None:
        return fallback
    inputs64 = tuple(value if is_scalar_input(value) else value.double() if value.is_floating_point() else value.clone()
                     for value in inputs)
    try:
        out64 = normalize_outputs(path, model64(*inputs64), is_tensor)
    except Exception as error:  # e.g. an op with no float64 kernel on this device
        _warn_once(warnings, f"no float64 kernel for {type(error).__name__}: {error}; comparing against float32")
        return fallback
    if len(out64) != len(out32) or any(a.shape != b.shape for a, b in zip(out64, out32)):
        _warn_once(warnings, "the float64 copy returned other outputs than the model; comparing against float32")
        return fallback
    for index, (a, b) in enumerate(zip(out32, out64)):
        dtype = str(b.dtype).removeprefix("torch.")
        if a.is_floating_point() and dtype != "float64":
            _warn_once(warnings, f"output{index} of the float64 copy is {dtype}; its reference is only as exact "
                                 f"as {dtype}")
    return out64


def _reference(spec: TensorSpec, out32: Any, out64: Any) -> OutputReference:
    expected = out64.detach().to("cpu")
    expected = expected.double() if spec.dtype in FLOATING_DTYPES else expected.to(_integer_type(expected))
    expected_array = expected.contiguous().numpy()
    if out32.is_cuda and out64.is_cuda:  # e32 where the outputs are: the host path takes seconds per GiB
        import torch
        return OutputReference(spec=spec, expected=expected_array,
                               float32_error=max_abs_difference_on_device(torch, out32, out64))
    written = out32.detach().to("cpu")
    written = written.double() if spec.dtype in FLOATING_DTYPES else written.to(_integer_type(written))
    return OutputReference(spec=spec, expected=expected_array, float32_error=max_abs_difference(written.numpy(), expected_array))


def _integer_type(tensor: Any) -> Any:
    import torch
    return torch.bool if tensor.dtype == torch.bool else torch.int64
