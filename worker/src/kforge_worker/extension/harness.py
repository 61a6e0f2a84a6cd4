"""``run`` and ``time``: the loaded candidate on the worker's input sets, with the checks this format allows.

``run`` poisons the allocator's free memory, calls the candidate on copies of the inputs under ``no_grad``
(timing that call, and counting its kernel launches when asked: measured_call.py), reports (in this order)
``runtime_error``, ``input_modified``, ``wrong_result`` (outputs that are not tensors of the expected shapes, dtypes
and device), and otherwise writes the outputs as ``.npy`` for the worker's ``check``.
``time`` is the reference worker's timing loop and stopping rule, on the candidate; the outputs of
``CHECKED_TIMED_CALLS`` timed calls, picked at random, are compared after their end event with the outputs of the
same input set's last ``run`` (``timed_run_mismatch``), as the ABI runner does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..check import POISON_BITS
from ..errors import WorkerError, bad_request
from ..problem import insert_scalars, line_in_file
from ..protocol import ScalarInput, TensorSpec
from ..tensors import require_numpy, write_npy
from ..timing import _measure as measure  # the one timing loop (timing.py); it reads .device and .input_sets
from ..timing import validate_timing
from .measured_call import CallMeasurement, counting_unavailable, measured_call
from .protocol import RunRequest, RunResponse, TimeRequest, TimeResponse

# Poisoning the CUDA caching allocator before every run (see poison_free_memory): at most a quarter of the free
# memory, so that the candidate's own allocations still fit, and at most 2 GiB, which holds the input copies and
# outputs of every problem in problems/ (their largest tensors are 256 MiB) while the fill stays near a millisecond
# (2 GiB at about 3 TB/s; estimated from the bandwidth, not measured).
POISON_FREE_FRACTION = 0.25
POISON_MAX_BYTES = 2 << 30
# The allocator serves requests of up to 1 MiB from a separate pool of 2 MiB segments; poisoning 64 such requests
# (64 MiB) covers the small outputs and temporaries of a forward, which never come from the large pool.
SMALL_POOL_REQUEST_BYTES = 1 << 20
SMALL_POOL_POISON_REQUESTS = 64
MESSAGE_CHARS = 2000
# Timed calls whose outputs are checked, and the run-to-run slack for floats relative to the output's largest magnitude
# (RepeatabilityCheck.RelativeTolerance in the C# pipeline: far above atomic-order rounding, far below a race).
CHECKED_TIMED_CALLS = 3
REPEAT_RELATIVE_TOLERANCE = 1e-5


@dataclass(slots=True)
class LoadedCandidate:
    """A built candidate and where its inputs are: ``function(*arguments(k))`` is one call on input set ``k``."""

    path: str
    device: str
    function: Callable[..., Any]
    argument_indices: tuple[int, ...]  # tensors of the load request passed to each call, in order
    tensors: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    input_files: tuple[tuple[str, ...], ...]
    # Python numbers of get_inputs() (the worker's load_problem scalar_inputs): passed at their positions on every call
    scalar_inputs: tuple[ScalarInput, ...] = ()
    _sets: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    # input set -> the device outputs of its last run, which the worker checked before any timing
    checked: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    # (path, shape, dtype) -> device tensor: parameter files are shared by every input set, read once
    _files: dict[tuple[str, tuple[int, ...], str], Any] = field(default_factory=dict)

    @property
    def is_cuda(self) -> bool:
        return self.device.startswith("cuda")

    def arguments(self, torch: Any, input_set: int) -> tuple[Any, ...]:
        """The pristine device tensors of one input set, read from the ``.npy`` files on first use."""
        cached = self._sets.get(input_set)
        if cached is None:
            cached = tuple(self.tensor(torch, self.input_files[input_set][index], self.tensors[index])
                           for index in self.argument_indices)
            self._sets[input_set] = cached
        return cached

    def with_scalars(self, tensors: tuple[Any, ...]) -> tuple[Any, ...]:
        """The call's arguments: ``tensors`` with the scalar inputs put back at their positions in get_inputs()."""
        return tuple(insert_scalars(tensors, ((scalar.position, scalar.value) for scalar in self.scalar_inputs)))

    def tensor(self, torch: Any, path: str, spec: TensorSpec) -> Any:
        key = (path, spec.shape, spec.dtype)
        cached = self._files.get(key)
        if cached is None:
            cached = self._files[key] = read_tensor(torch, path, spec, self.device)
        return cached


@dataclass(frozen=True, slots=True)
class _TimedSets:
    """What timing._measure reads of a loaded problem: the device and one argument tuple per input set."""

    device: str
    input_sets: list[tuple[Any, ...]]


def read_tensor(torch: Any, path: str, spec: TensorSpec, device: str) -> Any:
    """One ``.npy`` the worker wrote, checked against its spec, as a tensor on ``device``."""
    np = require_numpy()
    try:
        array = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise bad_request(f"input file {path} does not exist; send the input_files of the worker's load_problem "
                          "response while its session folder exists.") from None
    except (OSError, ValueError) as error:
        raise bad_request(f"input file {path} is not a readable .npy file ({error}).") from None
    if tuple(array.shape) != spec.shape or array.dtype.name != spec.dtype:
        raise bad_request(f"input file {path} holds {array.dtype.name}{list(array.shape)} but {spec.name} is "
                          f"{spec.dtype}{list(spec.shape)}; send the tensors and input_files of one load_problem.")
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    if not array.flags.c_contiguous:  # not np.ascontiguousarray: it turns a 0-d array into shape (1,)
        array = array.copy(order="C")
    return torch.from_numpy(array).to(device)


def poison_free_memory(torch: Any, device: str) -> None:
    """Fills the CUDA caching allocator's free blocks with NaN (float32 bits 0x7FC0DEAD) before a run.

    In this format the candidate allocates its own outputs, so the ABI runner's check (poison the output buffers
    before the call) cannot apply. A candidate that returns ``torch.empty(...)`` without writing it gets whatever
    memory the allocator hands out: in KernelBench, which runs the reference in the same process, that is often the
    reference's freed output, i.e. the right answer. The reference does not live here, but a freed block may still
    hold an input copy or an earlier output, and fresh driver memory is often zero; any of these can pass for a
    result. So: release the cache (empty_cache), allocate a large and several small tensors, fill them with the
    very bits the worker's check counts as "never written" (check.POISON_BITS), and free them. Their blocks stay
    in the allocator's cache and are split for the candidate's next allocations of this stream, so uninitialized
    output reads as poison and is rejected: ``unwritten_output`` for float32, ``non_finite_output`` for half types
    (every other half is a NaN), ``wrong_result`` for float64 and integers (huge finite values).
    Not covered: allocations on another stream, PYTORCH_CUDA_ALLOC_CONF=expandable_segments, and outputs larger
    than the poisoned block (they get fresh driver memory).
    """
    torch_device = torch.device(device)
    torch.cuda.synchronize(torch_device)
    torch.cuda.empty_cache()
    free_bytes, _ = torch.cuda.mem_get_info(torch_device)
    large_bytes = int(min(free_bytes * POISON_FREE_FRACTION, POISON_MAX_BYTES))
    sizes = [SMALL_POOL_REQUEST_BYTES] * SMALL_POOL_POISON_REQUESTS
    if large_bytes > SMALL_POOL_REQUEST_BYTES:
        sizes.append(large_bytes)
    blocks = [torch.empty(size // 4, dtype=torch.float32, device=torch_device) for size in sizes]
    for block in blocks:
        block.view(torch.int32).fill_(POISON_BITS["float32"])
    torch.cuda.synchronize(torch_device)
    del blocks


def run_candidate(torch: Any, loaded: LoadedCandidate, request: RunRequest) -> RunResponse:
    if not 0 <= request.input_set < len(loaded.input_files):
        raise bad_request(f"input_set {request.input_set} does not exist; the candidate was loaded with "
                          f"{len(loaded.input_files)} input sets.")
    if len(request.output_paths) != len(loaded.outputs):
        raise bad_request(f"run got {len(request.output_paths)} output paths; the problem has "
                          f"{len(loaded.outputs)} outputs.")
    pristine = loaded.arguments(torch, request.input_set)
    if loaded.is_cuda:
        if request.count_launches:
            counting_unavailable(torch, loaded.device)  # its probe kernel's tensor must not outlive the poison fill
        poison_free_memory(torch, loaded.device)
    arguments = tuple(tensor.clone() for tensor in pristine)
    try:
        # Only the call is timed (and profiled, when asked); it ends with a device synchronize, so asynchronous CUDA
        # errors belong to this call.
        with torch.no_grad():
            result, measured = measured_call(torch, loaded.function, loaded.with_scalars(arguments), loaded.device,
                                             request.count_launches)
    except Exception as error:  # whatever the candidate raises is its failure, not the runner's
        return RunResponse(request.id, "runtime_error", describe_failure(loaded.path, "forward", error),
                           context_lost(torch, loaded))
    changed = [loaded.tensors[index].name for index, before, after in zip(loaded.argument_indices, pristine, arguments)
               if not same_bytes(torch, before, after)]
    if changed:
        return answer(request, measured, "input_modified", f"forward changed {', '.join(changed)} in place (input set "
                      f"{request.input_set}); leave the inputs unchanged and write results to new tensors.")
    outputs, problem = collect_outputs(torch, result, loaded.outputs, loaded.device)
    if problem is not None:
        return answer(request, measured, "wrong_result", problem)
    for path, tensor in zip(request.output_paths, outputs):
        write_npy(path, tensor)
    loaded.checked[request.input_set] = tuple(tensor.detach().clone() for tensor in outputs)
    return answer(request, measured, None, None)


def answer(request: RunRequest, measured: CallMeasurement, failure: str | None, message: str | None) -> RunResponse:
    """The response to a call that returned: its verdict, its time and (when asked) its launches."""
    return RunResponse(request.id, failure, message, False, measured.call_us, measured.launches,
                       measured.launched_kernels, measured.launches_not_counted)


def time_candidate(torch: Any, loaded: LoadedCandidate, request: TimeRequest) -> TimeResponse:
    validate_timing(request.timing)
    if not loaded.is_cuda:
        raise WorkerError("environment", f"time needs a CUDA device, but the candidate was loaded on "
                                         f"{loaded.device!r}; send load with device 0 or \"cuda:0\".")
    sets = [loaded.with_scalars(loaded.arguments(torch, index)) for index in range(len(loaded.input_files))]
    # A few timed calls, picked at random, are compared with their set's checked run right after their end event,
    # outside the timed window (as in the ABI runner), before a later call can overwrite what they returned.
    checked_samples = choose_checked_samples(min(request.timing.min_samples, request.timing.max_samples))
    mismatches: list[str] = []

    def check_sample(sample: int, input_set: int, result: Any) -> None:
        if sample in checked_samples and not mismatches:
            mismatch = compare_timed_outputs(torch, loaded, input_set, result)
            if mismatch is not None:
                mismatches.append(mismatch)

    try:
        samples_us, flushed, wall_ms = measure(torch, _TimedSets(loaded.device, sets), loaded.function, request.timing,
                                               check_sample)
    except Exception as error:  # the candidate failed mid-loop: a failure value, as in the ABI runner's time
        return TimeResponse(request.id, (), False, "runtime_error",
                            describe_failure(loaded.path, "forward (timing)", error), context_lost(torch, loaded))
    if mismatches:
        return TimeResponse(request.id, (), flushed, "timed_run_mismatch", mismatches[0], False)
    return TimeResponse(request.id, tuple(samples_us), flushed, None, None, False, wall_ms)


def choose_checked_samples(count: int) -> set[int]:
    """``CHECKED_TIMED_CALLS`` distinct sample indexes below ``count``, at random per timing request."""
    indexes = list(range(max(count, 0)))
    return set(random.sample(indexes, min(CHECKED_TIMED_CALLS, len(indexes))))


def compare_timed_outputs(torch: Any, loaded: LoadedCandidate, input_set: int, result: Any) -> str | None:
    """None when a timed call's outputs repeat the checked run of its input set; otherwise what differs."""
    expected = loaded.checked.get(input_set)
    if expected is None:
        return None
    outputs, problem = collect_outputs(torch, result, loaded.outputs, loaded.device)
    if problem is not None:
        return f"a timed call on input set {input_set} returned something else than its checked run: {problem}"
    for index, (before, after) in enumerate(zip(expected, outputs)):
        moved = repeat_difference(torch, before, after)
        if moved is not None:
            return (f"output{index} of a timed call on input set {input_set} differs from the checked run of that set: "
                    f"{moved}. The candidate must compute the same result on every call, timed or not.")
    return None


def repeat_difference(torch: Any, before: Any, after: Any) -> str | None:
    """Floats may move by REPEAT_RELATIVE_TOLERANCE of the largest finite magnitude; other dtypes must match bytes."""
    if not before.is_floating_point():
        return None if same_bytes(torch, before, after) else "the bytes differ"
    first, second = before.double(), after.double()
    finite = first[torch.isfinite(first)]
    scale = float(finite.abs().max()) if finite.numel() else 0.0
    allowed = max(REPEAT_RELATIVE_TOLERANCE * scale, 5e-324)
    both_nan = torch.isnan(first) & torch.isnan(second)
    moved = ~(both_nan | (first == second) | ((first - second).abs() <= allowed))
    count = int(moved.sum())
    return None if count == 0 else f"{count} of {first.numel()} elements changed (allowed {allowed:.3g})"


def collect_outputs(torch: Any, result: Any, specs: tuple[TensorSpec, ...], device: str) -> tuple[list[Any], str | None]:
    """The candidate's outputs as a list, or why they are not the problem's outputs."""
    values = [result] if isinstance(result, torch.Tensor) else result
    if not isinstance(values, (list, tuple)) or not all(isinstance(value, torch.Tensor) for value in values):
        return [], f"forward returned {type(result).__name__}; return a tensor or a tuple of tensors."
    if len(values) != len(specs):
        return [], f"forward returned {len(values)} tensors; the problem has {len(specs)} outputs."
    expected_device = torch.device(device)
    for index, (tensor, spec) in enumerate(zip(values, specs)):
        dtype = str(tensor.dtype).removeprefix("torch.")
        if tuple(tensor.shape) != spec.shape or dtype != spec.dtype:
            return [], (f"output{index} is {dtype}{list(tensor.shape)} but the reference's is "
                        f"{spec.dtype}{list(spec.shape)}.")
        if tensor.device.type != expected_device.type or (
                expected_device.index is not None and tensor.device.index != expected_device.index):
            return [], f"output{index} is on {tensor.device}; return tensors on {device}, where the inputs are."
    return list(values), None


def same_bytes(torch: Any, before: Any, after: Any) -> bool:
    """Bitwise equality (NaN inputs compare equal to themselves, unlike torch.equal)."""
    try:
        if before.shape != after.shape or before.dtype != after.dtype:
            return False
        return bool(torch.equal(before.reshape(-1).view(torch.uint8), after.reshape(-1).view(torch.uint8)))
    except RuntimeError:  # e.g. the candidate turned an input into a non-viewable tensor: it changed it
        return False


def describe_failure(path: str, what: str, error: BaseException) -> str:
    line = line_in_file(error, path)
    where = f"{path}:{line}" if line else path
    text = f"{where}: {what} raised {type(error).__name__}: {error}"
    return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + "..."


def context_lost(torch: Any, loaded: LoadedCandidate) -> bool:
    """After a failed call: whether the CUDA context is gone (a sticky error), so the runner must be replaced."""
    if not loaded.is_cuda:
        return False
    try:
        device = torch.device(loaded.device)
        torch.cuda.synchronize(device)
        probe = torch.ones(1, device=device)
        return float((probe + 1).item()) != 2.0
    except Exception:  # any failure to use the device means it cannot be trusted again
        return True
