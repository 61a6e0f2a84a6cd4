"""Graph capture where torch has no ``torch.export`` (before 2.1, e.g. Debian's torch 1.13): ``make_fx``.

``make_fx`` records the ATen ops that run when ``forward`` is called through ``functional_call`` on the inputs,
parameters and buffers (in ABI order), as dispatched: composite ops are already split (``linear`` -> ``t`` +
``addmm``), but no core-ATen decomposition is applied, so the graph resembles, and does not equal, what
``torch.export`` writes on torch 2.x. Data-dependent control flow fails the trace, as it fails ``torch.export``.
The result is graph schema v1, written by the exporter's own encoder, with placeholders named as ``torch.export``
names them (``forward``'s argument names, ``p_<fqn>``, ``b_<fqn>``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

from .errors import WorkerError
from .export import graph_to_schema
from .problem import line_in_file, set_tensor_attribute, tensor_attributes


def has_torch_export() -> bool:
    """Whether ``torch.export`` exists (public from torch 2.1)."""
    try:
        import torch.export  # noqa: F401
    except ImportError:
        return False
    return True


MAKE_FX = "make_fx"  # capture_graph's name for a make_fx trace


def capture_graph(torch: Any, model: Any, inputs: Sequence[Any], problem_path: str | None,
                  decompose: bool) -> tuple[dict[str, Any], str]:
    """The schema-v1 graph of ``model(*inputs)`` and how it was captured: ``torch.export`` (core ATen) where torch has
    it, else ``trace_graph`` (``decompose`` as there) and ``MAKE_FX``. Failures are ``not_translatable``."""
    from .export import export_graph
    if has_torch_export():
        return export_graph(model, inputs, problem_path=problem_path), "torch.export (core ATen)"
    return trace_graph(torch, model, inputs, problem_path, decompose=decompose), MAKE_FX


# What core-ATen decomposition (torch 2.x run_decompositions) rewrites, as far as torch 1.13's table has it. (t,
# transpose and squeeze are in torch 2.x's table too, but torch 1.13 rewrites them into prims ops that 2.x does not emit.)
CORE_ATEN_LIKE = ("elu", "hardsigmoid", "hardswish", "softplus", "mish", "silu", "mse_loss", "huber_loss",
                  "smooth_l1_loss", "tril", "triu", "masked_fill", "logsumexp", "std", "var_mean", "std_mean", "rsub",
                  "hardshrink", "softshrink", "threshold", "clamp_min", "clamp_max", "leaky_relu_",
                  "log_sigmoid_forward", "l1_loss", "binary_cross_entropy_with_logits", "nll_loss_forward", "xlogy",
                  "norm", "mv", "dot", "addcmul", "addcdiv", "lerp", "glu", "celu", "logit", "frac", "sgn")


def trace_graph(torch: Any, model: Any, inputs: Sequence[Any], problem_path: str | None = None,
                decompose: bool = False) -> dict[str, Any]:
    """Schema v1 of ``model(*inputs)`` traced with ``make_fx``; a failed trace is ``not_translatable`` with the line.

    ``decompose`` applies torch's decompositions of ``CORE_ATEN_LIKE``, so that the graph is closer to what the
    translator sees from torch 2.x; without it, ops are recorded as dispatched (what ``functionalize`` writes)."""
    from torch.fx.experimental.proxy_tensor import make_fx
    try:
        from torch.func import functional_call
    except ImportError:  # torch before 2.0
        from torch.nn.utils.stateless import functional_call
    parameters = list(model.named_parameters())
    # Plain tensor attributes (self.h0 = torch.randn(...)) are traced as buffers: functional_call swaps them in too.
    attributes = tensor_attributes(model, torch.Tensor)
    buffers = list(model.named_buffers()) + attributes
    state_names = [name for name, _ in parameters + buffers]
    arguments = [*inputs, *[tensor for _, tensor in parameters + buffers]]

    def forward(*values: Any) -> Any:
        return functional_call(model, dict(zip(state_names, values[len(inputs):])), tuple(values[:len(inputs)]))

    class Recorder(torch.fx.Interpreter):
        """Runs the traced graph once so that every node carries its value, as torch.export's meta["val"]."""

        def run_node(self, node: Any) -> Any:
            result = super().run_node(node)
            node.meta["val"] = result
            return result

    try:
        with torch.no_grad():
            table: Any = {}
            if decompose:
                from torch._decomp import get_decompositions
                table = get_decompositions([getattr(torch.ops.aten, op) for op in CORE_ATEN_LIKE
                                            if hasattr(torch.ops.aten, op)])
            module = make_fx(forward, decomposition_table=table)(*arguments)
            if decompose:
                module.graph.eliminate_dead_code()
                module.recompile()
            Recorder(module).run(*arguments)
    except Exception as error:  # make_fx raises what the traced code raises, and RuntimeError for data-dependent flow
        raise trace_failure(error, problem_path) from error
    finally:
        # A forward that assigns its tensor attributes (self.h0 = self.h0.to(x.device)) leaves traced values in them.
        for name, value in attributes:
            set_tensor_attribute(model, name, value)
    placeholders = [node.name for node in module.graph.nodes if node.op == "placeholder"]
    kinds = ["USER_INPUT"] * len(inputs) + ["PARAMETER"] * len(parameters) + ["BUFFER"] * len(buffers)
    targets: list[str | None] = [None] * len(inputs) + state_names
    specs = [_Spec(name, kind, target) for name, kind, target in zip(placeholders, kinds, targets)]
    exported = _Exported(module, specs)
    graph = graph_to_schema(exported, [name for name, _ in parameters], [name for name, _ in buffers])
    wanted = _input_names(model, len(inputs)) + [f"p_{name}" for name, _ in parameters] + \
        [f"b_{name}" for name, _ in buffers]
    return rename_inputs(graph, dict(zip(placeholders, wanted)))


def rename_inputs(graph: dict[str, Any], wanted: dict[str, str]) -> dict[str, Any]:
    """``graph`` with inputs renamed (``arg0_1`` -> ``x``), everywhere they are used; a name already taken gets a suffix."""
    taken = {node["name"] for node in graph["nodes"]}
    mapping: dict[str, str] = {}
    for entry in graph["inputs"]:
        base = re.sub(r"\W", "_", wanted.get(entry["name"], entry["name"]))
        new, suffix = base, 1
        while new in taken:
            new, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(new)
        mapping[entry["name"]] = new

    def rename(value: Any) -> Any:
        if isinstance(value, list):
            return [rename(item) for item in value]
        if isinstance(value, dict) and set(value) == {"node"}:
            return {"node": mapping.get(value["node"], value["node"])}
        return value

    return {
        **graph,
        "inputs": [{**entry, "name": mapping[entry["name"]]} for entry in graph["inputs"]],
        "nodes": [{**node, "args": rename(node["args"]), "kwargs": {k: rename(v) for k, v in node["kwargs"].items()}}
                  for node in graph["nodes"]],
        "outputs": [mapping.get(name, name) for name in graph["outputs"]],
    }


def trace_failure(error: BaseException, problem_path: str | None) -> WorkerError:
    """A ``not_translatable`` error naming what make_fx rejected and, when it can be found, the problem's line."""
    first_line = (str(error).strip().splitlines() or [""])[0][:300]
    line = line_in_file(error, problem_path) if problem_path else None
    where = f"{problem_path}:{line}: " if problem_path and line else (f"{problem_path}: " if problem_path else "")
    return WorkerError(
        "not_translatable",
        f"{where}make_fx could not trace the model ({type(error).__name__}: {first_line}). The functional form needs "
        "a graph without data-dependent control flow (a Python branch or loop on tensor values); rewrite that part "
        "of forward.", file=problem_path, line=line)


def _input_names(model: Any, count: int) -> list[str]:
    """``forward``'s positional parameter names when they name every input, else ``input0``, ``input1``, ..."""
    try:
        parameters = list(inspect.signature(model.forward).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    positional = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) >= count and not any(p.kind == p.VAR_POSITIONAL for p in parameters[:count]):
        return positional[:count]
    return [f"input{index}" for index in range(count)]


class _Spec:
    """One ``graph_signature.input_specs`` entry, as graph_to_schema reads it."""

    def __init__(self, name: str, kind: str, target: str | None) -> None:
        self.arg = type("Arg", (), {"name": name})()
        self.kind = kind
        self.target = target


class _Exported:
    """What graph_to_schema reads of an ExportedProgram: the graph module and the input specs."""

    def __init__(self, module: Any, specs: list[_Spec]) -> None:
        self.graph_module = module
        self.graph_signature = type("Signature", (), {"input_specs": specs})()
