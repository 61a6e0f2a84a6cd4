"""``export_graph``: a problem's Model -> the graph JSON of schema v1 (``docs/graph-schema.md``) for the built-in translator.

torch.export captures ``forward`` with the example inputs, ``run_decompositions()`` lowers it to core ATen, and the
FX graph is written out: placeholders as inputs (in ABI order: user inputs, then parameters in ``named_parameters()``
order, then buffers in ``named_buffers()`` order), ``call_function`` nodes with normalized targets and arguments, and
the output node's values. Only ``export_graph`` needs torch; the rest works on duck-typed objects, so the tests run
without it.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import WorkerError
from .problem import line_in_file, set_tensor_attribute, tensor_attributes

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

_ROLES = {"USER_INPUT": "input", "PARAMETER": "parameter", "BUFFER": "buffer"}
_ROLE_ORDER = {"input": 0, "parameter": 1, "buffer": 2}
_TORCH_OBJECT_KINDS = ("dtype", "device", "layout", "memory_format")
# Nodes that only assert facts torch already checked while exporting; they produce no value the graph uses.
_IGNORED_TARGET_PREFIXES = ("aten._assert_", "aten.sym_constrain_range")
_USER_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


# Ops the translator lowers whole, each one kernel with ATen's own index arithmetic; core ATen's table would rewrite them
# into index tensors and _unsafe_index gathers (the linear modes) that the translator does not take.
KEPT_WHOLE = ("upsample_nearest1d", "upsample_nearest2d", "upsample_nearest3d", "upsample_linear1d",
              "upsample_bilinear2d", "upsample_trilinear3d")


def decomposition_table(torch: Any) -> Any:
    """torch.export's default decomposition table less the ops of ``KEPT_WHOLE`` (all their overloads); None, which
    ``run_decompositions`` reads as its default table, on a torch without ``torch.export.default_decompositions``."""
    default_decompositions = getattr(torch.export, "default_decompositions", None)
    if default_decompositions is None:
        return None
    try:
        table = default_decompositions()
        for op in list(table.keys()):
            name = str(op)
            if any(name == f"aten.{kept}" or name.startswith(f"aten.{kept}.") for kept in KEPT_WHOLE):
                del table[op]
        return table
    except Exception as error:  # a torch whose table is not a mapping: its default table rather than no export at all
        log.warning("could not take %s out of torch.export's decomposition table (%s); using the default table",
                    ", ".join(KEPT_WHOLE), error)
        return None


def export_graph(model: Any, example_inputs: Sequence[Any], problem_path: str | None = None) -> dict[str, Any]:
    """The schema-v1 graph of ``model`` called on ``example_inputs`` (static shapes, core ATen ops).

    Raises ``WorkerError("not_translatable")`` naming the construct, and the line of ``problem_path`` when known,
    if torch.export cannot capture the model; ``WorkerError("environment")`` without torch.
    """
    from .environment import require_torch
    torch = require_torch()
    # Inference only: a parameter that requires grad makes some ops refuse to trace (e.g. binary_cross_entropy_with_logits
    # with a pos_weight parameter), and no gradient is ever wanted here.
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    # A forward that assigns its tensor attributes (self.h0 = self.h0.to(x.device)) would leave traced values in them;
    # the model may be the worker's loaded one, which eager timing calls next, so they are put back afterwards.
    attributes = tensor_attributes(model, torch.Tensor)
    try:
        exported = torch.export.export(model, tuple(example_inputs))
        exported = exported.run_decompositions(decomposition_table(torch))
    except Exception as error:  # torch.export raises many types (UserError, Unsupported, guard failures…)
        raise export_failure(error, problem_path) from error
    finally:
        for name, value in attributes:
            set_tensor_attribute(model, name, value)
    return graph_to_schema(exported,
                           parameter_order=[name for name, _ in model.named_parameters()],
                           buffer_order=[name for name, _ in model.named_buffers()] + [name for name, _ in attributes])


def export_problem(request: Any) -> dict[str, Any]:
    """``export_graph`` of the problem at ``request.problem_path``, built and drawn with ``request.seed`` (default 1001,
    the first seed kforge uses) on ``request.device`` (default 0), as load_problem builds and draws it, but without its
    float64 references, input files and flop count.

    Translating needs torch, not a GPU: with an ordinal and no CUDA device the model is built on the CPU (the graph
    holds shapes and ATen ops, the same on either device), and on a torch without ``torch.export`` (before 2.1) the
    graph is traced with ``make_fx`` and core-ATen-like decompositions (``legacy_capture``), with a warning on stderr.
    """
    from .environment import require_torch
    from .errors import bad_request
    from .legacy_capture import MAKE_FX, capture_graph
    from .problem import execute_problem, read_problem
    from .reference import build_model, draw_inputs, select_device
    if request.seed is not None and request.seed < 0:
        raise bad_request(f"export_graph: seed must be >= 0, got {request.seed}.")
    source = read_problem(request.problem_path)  # syntax and names first, without torch
    torch = require_torch()
    requested = 0 if request.device is None else request.device
    if isinstance(requested, int) and not torch.cuda.is_available():
        log.warning("no CUDA device: building %s on the CPU to export it", source.path)
        device = torch.device("cpu")
    else:
        device = select_device(torch, requested)
    namespace = execute_problem(source)
    seed = 1001 if request.seed is None else request.seed
    model = build_model(torch, source.path, namespace, seed, device)
    inputs = draw_inputs(torch, source.path, namespace, seed, device)
    graph, capture = capture_graph(torch, model, inputs, source.path, decompose=True)
    if capture == MAKE_FX:
        log.warning("torch %s has no torch.export: traced %s with make_fx and core-ATen-like decompositions; torch 2.x "
                    "may export a different graph", torch.__version__, source.path)
    return graph


def graph_to_schema(exported: Any, parameter_order: Sequence[str] = (), buffer_order: Sequence[str] = ()) -> dict[str, Any]:
    """Schema v1 for an ``ExportedProgram`` (anything with ``graph_module.graph.nodes`` and ``graph_signature``)."""
    constants = dict(getattr(exported, "constants", None) or {})
    roles = _input_roles(exported.graph_signature, constants, set(buffer_order))
    inputs: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    nodes: list[dict[str, Any]] = []
    outputs: list[str] = []
    order = {"parameter": list(parameter_order), "buffer": list(buffer_order)}
    for position, node in enumerate(exported.graph_module.graph.nodes):
        if node.op == "placeholder":
            role, fqn = roles.get(node.name, ("input", None))
            if role == "constant":
                nodes.extend(_constant_nodes(node.name, constants[fqn]))
                continue
            if role == "input" and _is_baked_scalar(node):
                continue  # a Python number among get_inputs(): the trace used its value, the ABI does not pass it
            entry = _input_entry(node, role, fqn)
            rank = order[role].index(fqn) if role in order and fqn in order[role] else position
            inputs.append(((_ROLE_ORDER[role], rank, position), entry))
        elif node.op == "call_function":
            target = target_name(node.target)
            if not target.startswith(_IGNORED_TARGET_PREFIXES):
                nodes.append(_node_entry(node, target))
        elif node.op == "output":
            outputs = _user_outputs(exported.graph_signature, [_output_name(value) for value in _flatten(node.args[0])])
        elif node.op == "get_attr" and _element_count(value := _attribute(exported.graph_module, node.target)) == 1:
            nodes.extend(_constant_nodes(node.name, value))  # make_fx keeps a tensor made in forward as an attribute
        else:
            raise not_translatable(f"graph node {node.name} is a `{node.op}` node; an exported program should have "
                                   "only placeholders, call_function nodes and one output.")
    return {
        "schema_version": SCHEMA_VERSION,
        "inputs": [entry for _, entry in sorted(inputs, key=lambda pair: pair[0])],
        "nodes": nodes,
        "outputs": outputs,
    }


def _attribute(module: Any, path: Any) -> Any:
    value = module
    for part in str(path).split("."):
        value = getattr(value, part, None)
    return value


def target_name(target: Any) -> str:
    """``aten.<op>.<overload>`` for an ATen overload (or its name as a string), ``getitem`` for ``operator.getitem``."""
    if not isinstance(target, str):
        if getattr(target, "__module__", None) in ("operator", "_operator") and getattr(target, "__name__", None):
            return target.__name__
        target = str(target)
    if target.startswith("torch.ops."):
        target = target[len("torch.ops."):]
    if target.count(".") == 1 and target.startswith("aten."):
        target += ".default"  # an overload packet: its default overload
    return target


def normalize_arg(value: Any) -> Any:
    """One argument as schema v1 encodes it: node references, numbers, bools, None, strings, lists, tagged torch objects."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if _is_fx_node(value):
        return {"node": value.name}
    if isinstance(value, (list, tuple)):
        return [normalize_arg(item) for item in value]
    kind = _torch_object_kind(value)
    if kind is not None:
        return {kind: _torch_name(value)}
    raise not_translatable(f"an argument of type {type(value).__name__} ({_short(value)}) has no encoding in graph "
                           "schema v1; symbolic sizes mean dynamic shapes, which the built-in translator does not handle.")


def tensor_meta(value: Any) -> tuple[Any, Any]:
    """``(shape, dtype)`` of a node's ``meta["val"]``: lists of them for a tuple, ``(None, None)`` for a non-tensor."""
    if isinstance(value, (list, tuple)):
        metas = [tensor_meta(item) for item in value]
        return [shape for shape, _ in metas], [dtype for _, dtype in metas]
    if value is None or not (hasattr(value, "shape") and hasattr(value, "dtype")):
        return None, None
    return [_static_extent(extent) for extent in value.shape], _torch_name(value.dtype)


def export_failure(error: BaseException, problem_path: str | None) -> WorkerError:
    """A ``not_translatable`` error naming what torch.export rejected and, when it can be found, the problem's line."""
    first_line = (str(error).strip().splitlines() or [""])[0][:300]
    line = line_in_file(error, problem_path) if problem_path else None
    if line is None and problem_path:
        line = _line_from_message(str(error), problem_path)
    where = f"{problem_path}:{line}: " if problem_path and line else (f"{problem_path}: " if problem_path else "")
    return WorkerError(
        "not_translatable",
        f"{where}torch.export could not capture the model ({type(error).__name__}: {first_line}). The built-in "
        "translator needs a graph without data-dependent control flow or Python constructs torch.export rejects; "
        "rewrite that part of forward, or use an LLM proposer.",
        file=problem_path, line=line)


def not_translatable(message: str, node: str | None = None) -> WorkerError:
    return WorkerError("not_translatable", f"{node}: {message}" if node else message)


def _input_roles(signature: Any, constants: dict[str, Any], buffers: set[str] = frozenset()) -> dict[str, tuple[str, str | None]]:
    """Role and fully qualified name of each placeholder; a one-element tensor made inside forward (``torch.tensor(0.5)``,
    lifted by torch.export) gets the role ``constant`` when its value is in ``constants``, and a plain tensor attribute
    of a module (lifted the same way; ``buffers`` names them, see problem.tensor_attributes) the role ``buffer``."""
    roles: dict[str, tuple[str, str | None]] = {}
    for spec in getattr(signature, "input_specs", ()):
        kind = getattr(spec.kind, "name", str(spec.kind))
        name = spec.arg.name
        target = getattr(spec, "target", None)
        if kind == "CONSTANT_TENSOR" and target in buffers:
            roles[name] = ("buffer", target)
            continue
        if kind == "CONSTANT_TENSOR" and _element_count(constants.get(target)) == 1:
            roles[name] = ("constant", target)
            continue
        if kind not in _ROLES:
            raise not_translatable(f"input {name} is a {kind.lower()} (e.g. a tensor created inside forward); the ABI "
                                   "passes only inputs, parameters and buffers. Make it a registered buffer (tensors "
                                   "of one element are inlined as constants).")
        roles[name] = (_ROLES[kind], target)
    return roles


def _element_count(value: Any) -> int | None:
    if value is None or not hasattr(value, "shape"):
        return None
    return math.prod(int(extent) for extent in value.shape)


def _constant_nodes(name: str, value: Any) -> list[dict[str, Any]]:
    """A one-element tensor made inside forward, as nodes the translator reads: ``aten.scalar_tensor`` of its value (and a
    view to its shape when that is not 0-d), so no ABI input is needed for it."""
    shape = [int(extent) for extent in value.shape]
    dtype = _torch_name(value.dtype)
    number = value.reshape(-1)[0].item()
    scalar = normalize_arg(float(number) if isinstance(number, float) else number)
    nodes = [{"name": name if not shape else f"{name}_scalar", "target": "aten.scalar_tensor.default", "args": [scalar],
              "kwargs": {"dtype": {"dtype": dtype}}, "shape": [], "dtype": dtype}]
    if shape:
        nodes.append({"name": name, "target": "aten.view.default", "args": [{"node": f"{name}_scalar"}, shape], "kwargs": {},
                      "shape": shape, "dtype": dtype})
    return nodes


def _user_outputs(signature: Any, outputs: list[str]) -> list[str]:
    """The outputs ``forward`` returns. torch.export also outputs the new values of buffers ``forward`` changes (a
    training-mode BatchNorm's running statistics): those are state updates, not results, and are left out."""
    specs = list(getattr(signature, "output_specs", None) or ())
    if len(specs) != len(outputs):
        return outputs
    return [name for name, spec in zip(outputs, specs) if getattr(spec.kind, "name", str(spec.kind)) == "USER_OUTPUT"]


def _is_baked_scalar(node: Any) -> bool:
    """A placeholder for a scalar input (see problem.is_scalar_input) that no node reads: export and make_fx put its
    value into the ops that use it, so the graph does not need it. One that is read stays an input, and is refused."""
    value = node.meta.get("val")
    return (value is None or isinstance(value, (bool, int, float))) and not getattr(node, "users", ()) \
        and not _is_fx_node(value)


def _input_entry(node: Any, role: str, fqn: str | None) -> dict[str, Any]:
    shape, dtype = tensor_meta(node.meta.get("val"))
    if shape is None or isinstance(dtype, list):
        raise not_translatable(f"input {node.name} is not a tensor; the ABI passes tensors only (make it a constant "
                               "of the Model, or a tensor input).")
    entry: dict[str, Any] = {"name": node.name, "shape": shape, "dtype": dtype, "role": role}
    if fqn is not None and role != "input":
        entry["target"] = fqn
    return entry


def _node_entry(node: Any, target: str) -> dict[str, Any]:
    try:
        args = [normalize_arg(arg) for arg in node.args]
        kwargs = {key: normalize_arg(value) for key, value in node.kwargs.items()}
        shape, dtype = tensor_meta(node.meta.get("val"))
    except WorkerError as error:
        raise not_translatable(error.message, node=f"{node.name} ({target})") from None
    return {"name": node.name, "target": target, "args": args, "kwargs": kwargs, "shape": shape, "dtype": dtype}


def _output_name(value: Any) -> str:
    if not _is_fx_node(value):
        raise not_translatable(f"forward returns {_short(value)}, not a tensor; the ABI returns tensors only.")
    return value.name


def _flatten(values: Any) -> Iterable[Any]:
    if isinstance(values, (list, tuple)):
        for value in values:
            yield from _flatten(value)
    else:
        yield values


def _is_fx_node(value: Any) -> bool:
    return type(value).__name__ == "Node" and hasattr(value, "op") and hasattr(value, "name")


def _torch_object_kind(value: Any) -> str | None:
    kind = type(value).__name__
    return kind if type(value).__module__ == "torch" and kind in _TORCH_OBJECT_KINDS else None


def _torch_name(value: Any) -> str:
    text = str(value)
    return text[len("torch."):] if text.startswith("torch.") else text


def _static_extent(extent: Any) -> int:
    if isinstance(extent, int) and not isinstance(extent, bool):
        return extent
    raise not_translatable(f"a tensor has the symbolic size {extent}; dynamic shapes are not supported, export with "
                           "static example inputs.")


def _line_from_message(message: str, problem_path: str) -> int | None:
    """The last ``File "...", line N`` in the message that names the problem file (dynamo quotes user frames so)."""
    import os
    target = os.path.abspath(problem_path)
    lines = [int(m.group(2)) for m in _USER_FRAME.finditer(message) if os.path.abspath(m.group(1)) == target]
    return lines[-1] if lines else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
