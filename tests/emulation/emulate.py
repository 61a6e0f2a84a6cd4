"""Runs translator output on the CPU: small graphs → kforge translate --graph → g++ with a CUDA stand-in → compare with torch.

A development check of the generated kernels' index arithmetic, bounds and reduction orders without a GPU (see README.md
in this folder). It is not evidence that a kernel is right on a GPU; the GPU suite (tests/gpu/run_suite.py) is.

Each case is a one-node graph in schema v1 (docs/graph-schema.md) with small shapes. The reference runs the same ATen
op on the CPU in float64 (torch.ops.aten, from the graph itself); the candidate is the translated .cu built by g++
against include/cuda_runtime.h (every CUDA thread an OS thread), with AddressSanitizer, and called through its ABI entry.
Prints one line per case and ends with "N passed, N failed".

    python3 tests/emulation/emulate.py --kforge src/KernelForge.Cli/bin/Debug/net10.0/kforge [--only conv2d_basic]
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# name: (target, tensor inputs as (name, shape, role), the remaining args after the tensors, kwargs).
# Tensor inputs named None are passed as None (an absent bias).
CASES: dict[str, tuple[str, list, list, dict]] = {
    "conv2d_basic": ("aten.convolution.default", [("x", [2, 8, 10, 9], "input"), ("w", [24, 8, 3, 3], "parameter"), ("b", [24], "parameter")],
                     [[1, 1], [1, 1], [1, 1], False, [0, 0], 1], {}),
    "conv2d_strided_dilated_nonsquare": ("aten.convolution.default", [("x", [2, 5, 13, 11], "input"), ("w", [20, 5, 3, 2], "parameter"), None],
                                         [[2, 1], [1, 0], [2, 1], False, [0, 0], 1], {}),
    "conv2d_grouped_no_bias": ("aten.convolution.default", [("x", [2, 8, 7, 7], "input"), ("w", [32, 4, 3, 3], "parameter"), None],
                               [[1, 1], [1, 1], [1, 1], False, [0, 0], 2], {}),
    "conv2d_depthwise_direct": ("aten.convolution.default", [("x", [2, 6, 9, 9], "input"), ("w", [6, 1, 3, 3], "parameter"), ("b", [6], "parameter")],
                                [[1, 1], [1, 1], [1, 1], False, [0, 0], 6], {}),
    "conv2d_pointwise_many_rows": ("aten.convolution.default", [("x", [2, 3, 6, 5], "input"), ("w", [80, 3, 1, 1], "parameter"), ("b", [80], "parameter")],
                                   [[1, 1], [0, 0], [1, 1], False, [0, 0], 1], {}),
    "conv1d_padded": ("aten.convolution.default", [("x", [3, 4, 20], "input"), ("w", [16, 4, 5], "parameter"), ("b", [16], "parameter")],
                      [[1], [2], [1], False, [0], 1], {}),
    "conv3d_padded": ("aten.convolution.default", [("x", [2, 3, 5, 6, 7], "input"), ("w", [16, 3, 3, 3, 3], "parameter"), ("b", [16], "parameter")],
                      [[1, 1, 1], [1, 1, 1], [1, 1, 1], False, [0, 0, 0], 1], {}),
    "conv_transpose2d_stride2": ("aten.convolution.default", [("x", [2, 8, 5, 6], "input"), ("w", [8, 16, 4, 4], "parameter"), ("b", [16], "parameter")],
                                 [[2, 2], [1, 1], [1, 1], True, [0, 0], 1], {}),
    "conv_transpose1d_outpad_dilated": ("aten.convolution.default", [("x", [2, 4, 7], "input"), ("w", [4, 18, 3], "parameter"), ("b", [18], "parameter")],
                                        [[3], [1], [2], True, [1], 1], {}),
    "conv_transpose2d_grouped_direct": ("aten.convolution.default", [("x", [2, 4, 5, 5], "input"), ("w", [4, 2, 3, 3], "parameter"), None],
                                        [[2, 2], [0, 0], [1, 1], True, [1, 1], 2], {}),
    "conv_transpose3d_stride2": ("aten.convolution.default", [("x", [1, 4, 3, 4, 5], "input"), ("w", [4, 16, 2, 2, 2], "parameter"), ("b", [16], "parameter")],
                                 [[2, 2, 2], [0, 0, 0], [1, 1, 1], True, [0, 0, 0], 1], {}),
    "conv_transpose2d_stride1_padded": ("aten.convolution.default", [("x", [2, 16, 6, 6], "input"), ("w", [16, 20, 3, 3], "parameter"), None],
                                        [[1, 1], [1, 1], [1, 1], True, [0, 0], 1], {}),
}


def graph_for(name: str, torch) -> tuple[dict, dict]:
    """The case's graph (shapes filled in from the float64 reference) and its float64 inputs by name."""
    target, tensors, rest, kwargs = CASES[name]
    generator = torch.Generator().manual_seed(1234)
    inputs, args, values = [], [], {}
    for tensor in tensors:
        if tensor is None:
            args.append(None)
            continue
        tname, shape, role = tensor
        values[tname] = torch.randn(*shape, generator=generator, dtype=torch.float64)
        inputs.append({"name": tname, "shape": shape, "dtype": "float32", "role": role})
        args.append({"node": tname})
    args += rest
    reference = run_node(torch, target, args, kwargs, values)
    node = {"name": "out", "target": target, "args": args, "kwargs": kwargs, "shape": list(reference.shape), "dtype": "float32"}
    return {"schema_version": 1, "inputs": inputs, "nodes": [node], "outputs": ["out"]}, values


def run_node(torch, target: str, args: list, kwargs: dict, values: dict):
    namespace, op, overload = target.split(".")
    function = getattr(getattr(getattr(torch.ops, namespace), op), overload)

    def decode(value):
        if isinstance(value, dict) and "node" in value:
            return values[value["node"]]
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return function(*[decode(a) for a in args], **{k: decode(v) for k, v in kwargs.items()})


LAUNCH = re.compile(r"(\w+)<<<(.*?)>>>\((.*?)\);")


def split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        current += ch
    parts.append(current.strip())
    return parts


def emulable_source(cu: str) -> str:
    """The .cu with each `kernel<<<grid, block, shared, stream>>>(args)` made a call of kf_emu::launch."""
    def rewrite(match: re.Match) -> str:
        config = split_top_level(match.group(2))
        return f"kf_emu::launch({match.group(1)}, dim3({config[0]}), dim3({config[1]}), {match.group(3)});"
    return LAUNCH.sub(rewrite, cu)


class KfTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int32), ("ndim", ctypes.c_int32),
                ("shape", ctypes.c_int64 * 8), ("strides", ctypes.c_int64 * 8)]


WORKSPACE = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)


class KfContext(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_int32), ("device", ctypes.c_int32), ("workspace", WORKSPACE),
                ("cublas", ctypes.c_void_p), ("harness", ctypes.c_void_p)]


def tensor_struct(t) -> KfTensor:
    s = KfTensor()
    s.data = t.data_ptr()
    s.dtype = 0
    s.ndim = t.dim()
    for i in range(8):
        s.shape[i] = t.shape[i] if i < t.dim() else 1
        s.strides[i] = t.stride()[i] if i < t.dim() else 1
    return s


def run_case_in_process(library: str, graph_path: str) -> int:
    """Child process (AddressSanitizer preloaded): loads the .so, runs the entry, compares. Exit 0 = pass."""
    import torch
    name = Path(graph_path).stem
    graph = json.loads(Path(graph_path).read_text())
    _, values = graph_for(name, torch)
    node = graph["nodes"][0]
    expected = run_node(torch, node["target"], node["args"], node["kwargs"], values)
    inputs = [values[i["name"]].float().contiguous() for i in graph["inputs"]]
    output = torch.full(tuple(node["shape"]), float("nan"), dtype=torch.float32)
    keep = []

    def workspace(_ctx, nbytes):
        buffer = ctypes.create_string_buffer(max(int(nbytes), 1))
        keep.append(buffer)
        return ctypes.addressof(buffer)

    callback = WORKSPACE(workspace)
    context = KfContext(1, 0, callback, None, None)
    lib = ctypes.CDLL(library)
    in_structs = (KfTensor * len(inputs))(*[tensor_struct(t) for t in inputs])
    out_structs = (KfTensor * 1)(tensor_struct(output))
    status = lib.kforge_entry(in_structs, len(inputs), out_structs, 1, None, ctypes.byref(context))
    if status != 0:
        print(f"entry returned {status}")
        return 1
    got = output.double()
    if not torch.isfinite(got).all():
        print(f"{int((~torch.isfinite(got)).sum())} of {got.numel()} outputs not finite (unwritten or NaN)")
        return 1
    error = (got - expected).abs()
    tolerance = 1e-4 + 1e-4 * expected.abs()
    bad = int((error > tolerance).sum())
    if bad:
        index = int(error.argmax())
        print(f"{bad} of {got.numel()} outputs off; worst at flat index {index}: got {got.flatten()[index].item():.6g}, "
              f"expected {expected.flatten()[index].item():.6g}")
        return 1
    print(f"max abs error {error.max().item():.3g} over {got.numel()} outputs")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kforge", required=True, help="the kforge executable (or kforge.dll, run with dotnet)")
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--keep", help="keep the generated files in this folder")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_case_in_process(*args.child)

    import torch  # noqa: F401  (the reference needs it; fail here with a clear message when it is missing)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kforge-emulate-"))
    work.mkdir(parents=True, exist_ok=True)
    kforge = [args.kforge] if not args.kforge.endswith(".dll") else ["dotnet", args.kforge]
    asan = subprocess.run(["g++", "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    passed = failed = 0
    for name in args.only or list(CASES):
        graph, _ = graph_for(name, torch)
        graph_path = work / f"{name}.json"
        graph_path.write_text(json.dumps(graph, indent=1))
        cu_path, so_path = work / f"{name}.cu", work / f"{name}.so"
        translate = subprocess.run([*kforge, "translate", str(graph_path), "--graph", str(graph_path), "-o", str(cu_path)],
                                   capture_output=True, text=True, cwd=ROOT)
        if translate.returncode != 0:
            failed += 1
            print(f"FAIL {name}: translate exited {translate.returncode}\n{translate.stdout}{translate.stderr}")
            continue
        emulable = work / f"{name}.emu.cpp"
        emulable.write_text(emulable_source(cu_path.read_text()))
        build = subprocess.run(["g++", "-std=c++20", "-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer", "-shared", "-fPIC",
                                "-pthread", f"-I{HERE / 'include'}", f"-I{ROOT / 'abi'}", str(emulable), "-o", str(so_path)],
                               capture_output=True, text=True)
        if build.returncode != 0:
            failed += 1
            print(f"FAIL {name}: g++ exited {build.returncode}\n{build.stderr[-3000:]}")
            continue
        env = dict(os.environ, LD_PRELOAD=asan, ASAN_OPTIONS="detect_leaks=0")
        run = subprocess.run([sys.executable, __file__, "--kforge", args.kforge, "--child", str(so_path), str(graph_path)],
                             capture_output=True, text=True, env=env, timeout=600)
        detail = (run.stdout + run.stderr).strip().splitlines()
        if run.returncode == 0:
            passed += 1
            print(f"ok   {name}: {detail[-1] if detail else ''}")
        else:
            failed += 1
            print(f"FAIL {name}: " + "\n".join(detail[-25:]))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
