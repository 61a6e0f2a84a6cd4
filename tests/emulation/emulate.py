"""Runs translator output on the CPU: small graphs → kforge translate --graph → g++ with a CUDA stand-in → compare with torch.

A development check of the generated kernels' index arithmetic, bounds and reduction orders without a GPU (see README.md
in this folder). It is not evidence that a kernel is right on a GPU; the GPU suite (tests/gpu/run_suite.py) is.

Each case is a small graph in schema v1 (docs/graph-schema.md). The reference runs the same ATen ops on the CPU in
float64 (torch.ops.aten, from the graph itself); the candidate is the translated .cu built by g++
against include/cuda_runtime.h (every CUDA thread an OS thread), with AddressSanitizer, and called through its ABI entry.
Prints one line per case and ends with "N passed, N failed". A case made with tf32(...) is translated with
`--convolution-math tf32-tensor-cores` (the TF32 tensor-core convolution; include/mma.h stands in for nvcuda::wmma) and
held to the worst-case TF32 error bound of tf32_bound instead of fp32's tolerance.

    python3 tests/emulation/emulate.py --kforge src/KernelForge.Cli/bin/Debug/net10.0/kforge [--only conv2d_basic]
"""
from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

def conv(tensors: list, rest: list) -> dict:
    """A one-node aten.convolution case; a tensor given as None is an absent bias."""
    inputs = [t for t in tensors if t is not None]
    args = [{"node": t[0]} if t is not None else None for t in tensors] + rest
    return {"inputs": inputs, "nodes": [("out", "aten.convolution.default", args, {})], "outputs": ["out"]}


def tf32(case: dict) -> dict:
    """The same case translated with the convolution schedule's math set to TF32 tensor cores (kforge translate
    --convolution-math tf32-tensor-cores) and checked against the TF32 error bound (see tf32_bound), not fp32's."""
    return {**case, "convolution_math": "tf32-tensor-cores"}


def node(name: str) -> dict:
    return {"node": name}


def one(target: str, shape: list, *rest, kwargs: dict | None = None) -> dict:
    """A one-node case reading one input x of `shape`."""
    return {"inputs": [("x", shape, "input")], "nodes": [("out", target, [node("x"), *rest], kwargs or {})], "outputs": ["out"]}


def first_of(target: str, inputs: list, args: list) -> dict:
    """A case whose op returns a tuple, of which the graph returns element 0 (max pooling, native_layer_norm)."""
    return {"inputs": inputs, "nodes": [("t", target, args, {}), ("out", "getitem", [node("t"), 0], {})], "outputs": ["out"]}


# Small shapes with odd extents, so tile edges, vector tails and bounds checks all run.
CASES: dict[str, dict] = {
    "conv2d_basic": conv([("x", [2, 8, 10, 9], "input"), ("w", [24, 8, 3, 3], "parameter"), ("b", [24], "parameter")],
                         [[1, 1], [1, 1], [1, 1], False, [0, 0], 1]),
    "conv2d_strided_dilated_nonsquare": conv([("x", [2, 5, 13, 11], "input"), ("w", [20, 5, 3, 2], "parameter"), None],
                                             [[2, 1], [1, 0], [2, 1], False, [0, 0], 1]),
    "conv2d_grouped_no_bias": conv([("x", [2, 8, 7, 7], "input"), ("w", [32, 4, 3, 3], "parameter"), None],
                                   [[1, 1], [1, 1], [1, 1], False, [0, 0], 2]),
    "conv2d_depthwise_direct": conv([("x", [2, 6, 9, 9], "input"), ("w", [6, 1, 3, 3], "parameter"), ("b", [6], "parameter")],
                                    [[1, 1], [1, 1], [1, 1], False, [0, 0], 6]),
    "conv2d_pointwise_many_rows": conv([("x", [2, 3, 6, 5], "input"), ("w", [80, 3, 1, 1], "parameter"), ("b", [80], "parameter")],
                                       [[1, 1], [0, 0], [1, 1], False, [0, 0], 1]),
    "conv1d_padded": conv([("x", [3, 4, 20], "input"), ("w", [16, 4, 5], "parameter"), ("b", [16], "parameter")],
                          [[1], [2], [1], False, [0], 1]),
    "conv3d_padded": conv([("x", [2, 3, 5, 6, 7], "input"), ("w", [16, 3, 3, 3, 3], "parameter"), ("b", [16], "parameter")],
                          [[1, 1, 1], [1, 1, 1], [1, 1, 1], False, [0, 0, 0], 1]),
    "conv_transpose2d_stride2": conv([("x", [2, 8, 5, 6], "input"), ("w", [8, 16, 4, 4], "parameter"), ("b", [16], "parameter")],
                                     [[2, 2], [1, 1], [1, 1], True, [0, 0], 1]),
    "conv_transpose1d_outpad_dilated": conv([("x", [2, 4, 7], "input"), ("w", [4, 18, 3], "parameter"), ("b", [18], "parameter")],
                                            [[3], [1], [2], True, [1], 1]),
    "conv_transpose2d_grouped_direct": conv([("x", [2, 4, 5, 5], "input"), ("w", [4, 2, 3, 3], "parameter"), None],
                                            [[2, 2], [0, 0], [1, 1], True, [1, 1], 2]),
    "conv_transpose3d_stride2": conv([("x", [1, 4, 3, 4, 5], "input"), ("w", [4, 16, 2, 2, 2], "parameter"), ("b", [16], "parameter")],
                                     [[2, 2, 2], [0, 0, 0], [1, 1, 1], True, [0, 0, 0], 1]),
    "conv_transpose2d_stride1_padded": conv([("x", [2, 16, 6, 6], "input"), ("w", [16, 20, 3, 3], "parameter"), None],
                                            [[1, 1], [1, 1], [1, 1], True, [0, 0], 1]),
    # TF32 tensor-core convolutions (wmma; include/mma.h emulates it): extents off the 64 x 64 tile and K off the 32-deep slice.
    "tf32_conv2d_bias_relu": tf32({"inputs": [("x", [2, 8, 10, 9], "input"), ("w", [24, 8, 3, 3], "parameter"), ("b", [24], "parameter")],
                                   "nodes": [("c", "aten.convolution.default", [node("x"), node("w"), node("b"), [1, 1], [1, 1], [1, 1], False, [0, 0], 1], {}),
                                             ("out", "aten.relu.default", [node("c")], {})], "outputs": ["out"]}),
    "tf32_conv2d_grouped": tf32(conv([("x", [2, 8, 7, 7], "input"), ("w", [32, 4, 3, 3], "parameter"), None],
                                     [[1, 1], [1, 1], [1, 1], False, [0, 0], 2])),
    "tf32_conv2d_strided_padded_dilated": tf32(conv([("x", [2, 5, 13, 11], "input"), ("w", [20, 5, 3, 2], "parameter"), ("b", [20], "parameter")],
                                                    [[2, 1], [1, 0], [2, 1], False, [0, 0], 1])),
    "tf32_conv2d_two_row_tiles": tf32(conv([("x", [2, 16, 12, 11], "input"), ("w", [70, 16, 3, 3], "parameter"), ("b", [70], "parameter")],
                                           [[1, 1], [1, 1], [1, 1], False, [0, 0], 1])),
    "tf32_conv1d_padded": tf32(conv([("x", [3, 4, 20], "input"), ("w", [16, 4, 5], "parameter"), ("b", [16], "parameter")],
                                    [[1], [2], [1], False, [0], 1])),
    "tf32_conv3d_padded": tf32(conv([("x", [2, 3, 5, 6, 7], "input"), ("w", [16, 3, 3, 3, 3], "parameter"), ("b", [16], "parameter")],
                                    [[1, 1, 1], [1, 1, 1], [1, 1, 1], False, [0, 0, 0], 1])),
    "tf32_conv_transpose2d_stride2": tf32(conv([("x", [2, 8, 5, 6], "input"), ("w", [8, 16, 4, 4], "parameter"), ("b", [16], "parameter")],
                                               [[2, 2], [1, 1], [1, 1], True, [0, 0], 1])),
    "relu_odd_length": one("aten.relu.default", [3, 37]),
    "gelu_tanh": one("aten.gelu.default", [5, 41], kwargs={"approximate": "tanh"}),
    "softmax_last": one("aten._softmax.default", [5, 1000], -1, False),
    "softmax_channels": one("aten._softmax.default", [2, 7, 5, 6], 1, False),
    "log_softmax_middle": one("aten._log_softmax.default", [3, 37, 5], 1, False),
    "softmax_axis_with_unit_tail": one("aten._softmax.default", [3, 37, 1], 1, False),
    "log_softmax_last": one("aten._log_softmax.default", [4, 333], -1, False),
    "layer_norm": first_of("aten.native_layer_norm.default", [("x", [6, 300], "input"), ("w", [300], "parameter"), ("b", [300], "parameter")],
                           [node("x"), [300], node("w"), node("b"), 1e-5]),
    "sum_last": one("aten.sum.dim_IntList", [7, 301], [1]),
    "sum_first_dim": one("aten.sum.dim_IntList", [301, 33], [0]),
    "mean_middle_keepdim": one("aten.mean.dim", [4, 67, 9], [1], True),
    "amax_last": one("aten.amax.default", [9, 130], [-1]),
    "amin_first": one("aten.amin.default", [130, 9], [0]),
    "argmax_last": one("aten.argmax.default", [9, 130], 1),
    "argmin_inner": one("aten.argmin.default", [5, 130, 3], 1),
    "prod_small": one("aten.prod.dim_int", [11, 6], 1),
    "var_last": one("aten.var.correction", [8, 257], [1], kwargs={"correction": 1}),
    "std_first": one("aten.std.correction", [257, 8], [0], kwargs={"correction": 1}),
    "l2_norm_last": one("aten.linalg_vector_norm.default", [8, 100], 2, [1]),
    "logsumexp_last": one("aten.logsumexp.default", [8, 100], [1]),
    "max_pool2d_padded": first_of("aten.max_pool2d_with_indices.default", [("x", [2, 3, 11, 10], "input")], [node("x"), [3, 3], [2, 2], [1, 1]]),
    "max_pool1d_dilated_ceil": first_of("aten.max_pool2d_with_indices.default", [("x", [2, 3, 1, 23], "input")],
                                        [node("x"), [1, 3], [1, 2], [0, 1], [1, 2], True]),
    "avg_pool2d_ceil_exclude_pad": one("aten.avg_pool2d.default", [2, 3, 11, 10], [3, 3], [2, 2], [1, 1], True, False),
    "avg_pool3d": one("aten.avg_pool3d.default", [1, 2, 7, 6, 5], [2, 2, 2], [2, 2, 2]),
    # Adaptive pooling: uneven windows (an AdaptivePoolOp), windows that overlap when the output is larger than the input, a
    # divisible size (a PoolOp), a global max over a plane too large to unroll (a reduction), and an identity (a copy).
    "adaptive_avg_pool2d_uneven": one("aten._adaptive_avg_pool2d.default", [2, 3, 10, 13], [4, 5]),
    "adaptive_avg_pool3d_uneven": one("aten._adaptive_avg_pool3d.default", [2, 3, 5, 7, 6], [3, 2, 4]),
    "adaptive_avg_pool1d_unbatched": one("aten.adaptive_avg_pool1d.default", [5, 17], [6]),
    "adaptive_max_pool2d_uneven": first_of("aten.adaptive_max_pool2d.default", [("x", [2, 3, 10, 13], "input")], [node("x"), [4, 5]]),
    "adaptive_max_pool1d_growing": first_of("aten.adaptive_max_pool1d.default", [("x", [2, 4, 5], "input")], [node("x"), [7]]),
    "adaptive_max_pool3d_uneven": first_of("aten.adaptive_max_pool3d.default", [("x", [1, 2, 5, 7, 6], "input")], [node("x"), [2, 3, 4]]),
    "adaptive_avg_pool2d_divisible": {**one("aten._adaptive_avg_pool2d.default", [2, 3, 12, 8], [4, 2]), "expect": {"kernels": 1}},
    "adaptive_max_pool2d_global": first_of("aten.adaptive_max_pool2d.default", [("x", [2, 3, 9, 10], "input")], [node("x"), [1, 1]]),
    "adaptive_avg_pool3d_global": one("aten._adaptive_avg_pool3d.default", [2, 3, 5, 4, 6], [1, 1, 1]),
    "adaptive_avg_pool2d_identity": one("aten._adaptive_avg_pool2d.default", [2, 3, 5, 6], [5, 6]),
    # Lengths that are multiples of 4 take the float4 paths; long rows take the kernels that do not keep a row in registers.
    "relu_float4": one("aten.relu.default", [8, 1024]),
    "softmax_float4": one("aten._softmax.default", [4, 1024], -1, False),
    "softmax_long_row": one("aten._softmax.default", [2, 20000], -1, False),
    "layer_norm_float4": first_of("aten.native_layer_norm.default", [("x", [3, 512], "input"), ("w", [512], "parameter"), ("b", [512], "parameter")],
                                  [node("x"), [512], node("w"), node("b"), 1e-5]),
    "sum_float4": one("aten.sum.dim_IntList", [5, 1024], [1]),
    "var_float4": one("aten.var.correction", [4, 512], [1], kwargs={"correction": 1}),
    "sum_all": one("aten.sum.default", [3, 50000]),
    "add_broadcast_mul_scalar": {"inputs": [("x", [4, 33], "input"), ("b", [33], "parameter")],
                                 "nodes": [("s", "aten.add.Tensor", [node("x"), node("b")], {}),
                                           ("out", "aten.mul.Tensor", [node("s"), 0.5], {})], "outputs": ["out"]},
    "cumsum_last_multi_chunk": one("aten.cumsum.default", [3, 2500], 1),
    "cumsum_inner_axis": one("aten.cumsum.default", [4, 50, 7], 1),
    "cumprod_last": one("aten.cumprod.default", [5, 40], -1),
    "reverse_cumsum_folded": {"inputs": [("x", [4, 1100], "input")],
                              "nodes": [("f", "aten.flip.default", [node("x"), [1]], {}), ("c", "aten.cumsum.default", [node("f"), 1], {}),
                                        ("out", "aten.flip.default", [node("c"), [1]], {})], "outputs": ["out"]},
    "reverse_cumsum_inner_folded": {"inputs": [("x", [3, 30, 5], "input")],
                                    "nodes": [("f", "aten.flip.default", [node("x"), [1]], {}), ("c", "aten.cumsum.default", [node("f"), 1], {}),
                                              ("out", "aten.flip.default", [node("c"), [1]], {})], "outputs": ["out"]},
    "cummax_values_multi_chunk": first_of("aten.cummax.default", [("x", [3, 2500], "input")], [node("x"), 1]),
    "cummin_values_inner_axis": first_of("aten.cummin.default", [("x", [4, 50, 7], "input")], [node("x"), 1]),
    "flip_two_axes": one("aten.flip.default", [3, 4, 5], [0, 2]),
    "layer_norm_three_trailing_dims": first_of("aten.native_layer_norm.default",
                                               [("x", [2, 3, 5, 7], "input"), ("w", [3, 5, 7], "parameter"), ("b", [3, 5, 7], "parameter")],
                                               [node("x"), [3, 5, 7], node("w"), node("b"), 1e-5]),
    "batch_norm_eval": first_of("aten._native_batch_norm_legit_no_training.default",
                                [("x", [2, 6, 5, 7], "input"), ("w", [6], "parameter"), ("b", [6], "parameter"),
                                 ("rm", [6], "buffer"), ("rv", [6], "buffer", "positive")],
                                [node("x"), node("w"), node("b"), node("rm"), node("rv"), 0.1, 1e-5]),
    "instance_norm_as_exported": {"inputs": [("x", [3, 4, 6, 5], "input")],
                                  "nodes": [("v", "aten.view.default", [node("x"), [1, 12, 6, 5]], {}),
                                            ("t", "aten._native_batch_norm_legit.no_stats", [node("v"), None, None, True, 0.1, 1e-5], {}),
                                            ("g", "getitem", [node("t"), 0], {}),
                                            ("out", "aten.view.default", [node("g"), [3, 4, 6, 5]], {})], "outputs": ["out"]},
    "batch_norm_batch_statistics": first_of("aten._native_batch_norm_legit.no_stats",
                                            [("x", [3, 5, 6, 7], "input"), ("w", [5], "parameter"), ("b", [5], "parameter")],
                                            [node("x"), node("w"), node("b"), True, 0.1, 1e-5]),
    "instance_norm_affine_as_exported": {"inputs": [("x", [3, 4, 6, 5], "input"), ("w", [4], "parameter"), ("b", [4], "parameter")],
                                         "nodes": [("wr", "aten.repeat.default", [node("w"), [3]], {}),
                                                   ("br", "aten.repeat.default", [node("b"), [3]], {}),
                                                   ("v", "aten.view.default", [node("x"), [1, 12, 6, 5]], {}),
                                                   ("t", "aten._native_batch_norm_legit.no_stats", [node("v"), node("wr"), node("br"), True, 0.1, 1e-5], {}),
                                                   ("g", "getitem", [node("t"), 0], {}),
                                                   ("out", "aten.view.default", [node("g"), [3, 4, 6, 5]], {})], "outputs": ["out"]},
    # torch 2.x's export of a training-mode BatchNorm (KernelBench runs Models in training mode): batch statistics; the
    # updated running statistics it also returns are state updates, not outputs.
    "batch_norm_training_functional": first_of("aten._native_batch_norm_legit_functional.default",
                                               [("x", [3, 5, 6, 7], "input"), ("w", [5], "parameter"), ("b", [5], "parameter"),
                                                ("rm", [5], "buffer"), ("rv", [5], "buffer", "positive")],
                                               [node("x"), node("w"), node("b"), node("rm"), node("rv"), True, 0.1, 1e-5]),
    # nn.Dropout(0.0) in a training-mode Model (KernelBench's networks have it): the identity, in both of its forms.
    "dropout_zero_training": {"inputs": [("x", [4, 37], "input")],
                              "nodes": [("t", "aten.tanh.default", [node("x")], {}),
                                        ("d", "aten.dropout.default", [node("t"), 0.0, True], {}),
                                        ("out", "aten.mul.Tensor", [node("d"), 3.0], {})],
                              "outputs": ["out"]},
    "native_dropout_zero_training": {"inputs": [("x", [4, 37], "input")],
                                     "nodes": [("t", "aten.native_dropout.default", [node("x"), 0.0, True], {}),
                                               ("g", "getitem", [node("t"), 0], {}),
                                               ("out", "aten.relu.default", [node("g")], {})],
                                     "outputs": ["out"]},
    "repeat_2d": one("aten.repeat.default", [3, 4], [2, 1, 3]),
    "group_norm": first_of("aten.native_group_norm.default", [("x", [2, 6, 5, 7], "input"), ("w", [6], "parameter"), ("b", [6], "parameter")],
                           [node("x"), node("w"), node("b"), 2, 6, 35, 3, 1e-5]),
    # (x > 0).float() * y: a bool mask converted to numbers, fused into its reader.
    "bool_mask_to_float_times": {"inputs": [("x", [4, 37], "input"), ("y", [4, 37], "input")],
                                 "nodes": [("gt", "aten.gt.Scalar", [node("x"), 0], {}),
                                           ("f", "aten._to_copy.default", [node("gt")], {"dtype": {"dtype": "float32"}}),
                                           ("out", "aten.mul.Tensor", [node("f"), node("y")], {})],
                                 "outputs": ["out"]},
    # Activations with a branch, both as core ATen decomposes them (comparisons + where) and as single targets.
    "elu_decomposed": {"inputs": [("x", [4, 37], "input")],
                       "nodes": [("gt", "aten.gt.Scalar", [node("x"), 0], {}), ("mul", "aten.mul.Tensor", [node("x"), 1.0], {}),
                                 ("m1", "aten.mul.Tensor", [node("x"), 1.0], {}), ("e", "aten.expm1.default", [node("m1")], {}),
                                 ("m2", "aten.mul.Tensor", [node("e"), 1.5], {}), ("out", "aten.where.self", [node("gt"), node("mul"), node("m2")], {})],
                       "outputs": ["out"]},
    "elu": one("aten.elu.default", [4, 37], 1.5),
    "selu": one("aten.selu.default", [4, 37]),
    "leaky_relu": one("aten.leaky_relu.default", [4, 37], 0.2),
    "softplus_threshold": {"inputs": [("x", [4, 37], "input")],
                           "nodes": [("s", "aten.mul.Tensor", [node("x"), 10.0], {}),
                                     ("out", "aten.softplus.default", [node("s"), 1.0, 5.0], {})], "outputs": ["out"]},
    "hardsigmoid": one("aten.hardsigmoid.default", [4, 37]),
    "hardswish": one("aten.hardswish.default", [4, 37]),
    "mish": one("aten.mish.default", [4, 37]),
    "threshold": one("aten.threshold.default", [4, 37], 0.1, -2.0),
    # torch.tril as core ATen spells it: an index mask from two aranges, then where.
    "tril_mask_from_aranges": {"inputs": [("x", [29, 37], "input")],
                               "nodes": [("r", "aten.arange.default", [29], {}), ("c", "aten.arange.default", [37], {}),
                                         ("r2", "aten.unsqueeze.default", [node("r"), -1], {}),
                                         ("d", "aten.sub.Tensor", [node("c"), node("r2")], {}),
                                         ("m", "aten.le.Scalar", [node("d"), 0], {}),
                                         ("out", "aten.where.ScalarOther", [node("m"), node("x"), 0.0], {})], "outputs": ["out"]},
    # Labels given as int64 and used as numbers (x.to(torch.float32)), as in a cosine-embedding or BCE loss.
    "int64_labels_to_float": {"inputs": [("x", [7, 33], "input"), ("t", [7, 1], "input", "int64")],
                              "nodes": [("f", "aten._to_copy.default", [node("t")], {"dtype": {"dtype": "float32"}}),
                                        ("s", "aten.mul.Tensor", [node("f"), 2.0], {}),
                                        ("out", "aten.mul.Tensor", [node("x"), node("s")], {})], "outputs": ["out"]},
    # Attention written out: K transposed in the product, scale, causal mask from aranges or an additive bias, softmax, · V.
    "sdpa_causal_4d": {"inputs": [("q", [2, 3, 37, 16], "input"), ("k", [2, 3, 37, 16], "input"), ("v", [2, 3, 37, 8], "input")],
                       "nodes": [("out", "aten.scaled_dot_product_attention.default", [node("q"), node("k"), node("v"), None, 0.0, True], {})],
                       "outputs": ["out"]},
    "sdpa_bias_cross_lengths": {"inputs": [("q", [2, 19, 16], "input"), ("k", [2, 23, 16], "input"), ("v", [2, 23, 12], "input"),
                                           ("bias", [19, 23], "input")],
                                "nodes": [("out", "aten.scaled_dot_product_attention.default", [node("q"), node("k"), node("v"), node("bias")],
                                           {"scale": 0.3})], "outputs": ["out"]},
    "sdpa_efficient_tuple_causal": {"inputs": [("q", [3, 2, 33, 8], "input"), ("k", [3, 2, 33, 8], "input"), ("v", [3, 2, 33, 8], "input")],
                                    "nodes": [("t", "aten._scaled_dot_product_efficient_attention.default",
                                               [node("q"), node("k"), node("v"), None, False, 0.0, True], {}),
                                              ("out", "getitem", [node("t"), 0], {})], "outputs": ["out"]},
    # A causal mask as a problem writes it: ones(L, L, dtype=bool).triu(1) fills the future with -inf; and tril of floats.
    "bool_ones_triu_masked_fill": {"inputs": [("x", [3, 21, 21], "input")],
                                   "nodes": [("ones", "aten.full.default", [[21, 21], True], {"dtype": {"dtype": "bool"}}),
                                             ("future", "aten.triu.default", [node("ones"), 1], {}),
                                             ("s", "aten.masked_fill.Scalar", [node("x"), node("future"), {"float": "-inf"}], {}),
                                             ("out", "aten._softmax.default", [node("s"), -1, False], {})], "outputs": ["out"]},
    # ~mask, mask & mask, mask | mask on bools are the logical ops (Mamba's segsum: masked_fill(~tril(ones), -inf)).
    "bool_bitwise_not_and_or": {"inputs": [("x", [3, 21, 21], "input"), ("m", [21, 21], "input", "bool")],
                                "nodes": [("ones", "aten.full.default", [[21, 21], True], {"dtype": {"dtype": "bool"}}),
                                          ("lower", "aten.tril.default", [node("ones"), 0], {}),
                                          ("upper", "aten.bitwise_not.default", [node("lower")], {}),
                                          ("both", "aten.bitwise_and.Tensor", [node("upper"), node("m")], {}),
                                          ("either", "aten.bitwise_or.Tensor", [node("both"), node("lower")], {}),
                                          ("f", "aten.masked_fill.Scalar", [node("x"), node("upper"), -1000.0], {}),
                                          ("out", "aten.where.ScalarOther", [node("either"), node("f"), 0.5], {})], "outputs": ["out"]},
    "tril_float_offset": one("aten.tril.default", [2, 13, 17], -2),
    # Cross entropy and its relatives on int64 class labels (torch 1.13 spells cross entropy gather(log_softmax, 1, t);
    # 2.x adds the ignore_index mask, written out below as its decomposition exports it).
    "cross_entropy_gather_mean": {"inputs": [("x", [37, 53], "input"), ("t", [37], "input", "int64", "classes=53")],
                                  "nodes": [("ls", "aten._log_softmax.default", [node("x"), 1, False], {}),
                                            ("u", "aten.unsqueeze.default", [node("t"), 1], {}),
                                            ("g", "aten.gather.default", [node("ls"), 1, node("u")], {}),
                                            ("sq", "aten.squeeze.dim", [node("g"), 1], {}),
                                            ("n", "aten.neg.default", [node("sq")], {}),
                                            ("out", "aten.mean.default", [node("n")], {})], "outputs": ["out"]},
    "cross_entropy_gather_rows_vec4": {"inputs": [("x", [19, 1000], "input"), ("t", [19], "input", "int64", "classes=1000")],
                                       "nodes": [("ls", "aten._log_softmax.default", [node("x"), -1, False], {}),
                                                 ("u", "aten.unsqueeze.default", [node("t"), 1], {}),
                                                 ("g", "aten.gather.default", [node("ls"), 1, node("u")], {}),
                                                 ("sq", "aten.squeeze.dim", [node("g"), 1], {}),
                                                 ("out", "aten.neg.default", [node("sq")], {})], "outputs": ["out"]},
    "cross_entropy_ignore_index_decomposed": {
        "inputs": [("x", [29, 40], "input"), ("t", [29], "input", "int64", "classes=40", "ignored")],
        "nodes": [("ls", "aten._log_softmax.default", [node("x"), 1, False], {}),
                  ("ne", "aten.ne.Scalar", [node("t"), -100], {}),
                  ("zero", "aten.scalar_tensor.default", [0], {"dtype": {"dtype": "int64"}}),
                  ("safe", "aten.where.self", [node("ne"), node("t"), node("zero")], {}),
                  ("u", "aten.unsqueeze.default", [node("safe"), 1], {}),
                  ("g", "aten.gather.default", [node("ls"), 1, node("u")], {}),
                  ("sq", "aten.squeeze.dim", [node("g"), 1], {}),
                  ("n", "aten.neg.default", [node("sq")], {}),
                  ("ne_1", "aten.ne.Scalar", [node("t"), -100], {}),
                  ("fzero", "aten.scalar_tensor.default", [0], {"dtype": {"dtype": "float32"}}),
                  ("kept", "aten.where.self", [node("ne_1"), node("n"), node("fzero")], {}),
                  ("ne_2", "aten.ne.Scalar", [node("t"), -100], {}),
                  ("count", "aten.sum.default", [node("ne_2")], {}),
                  ("countf", "aten._to_copy.default", [node("count")], {"dtype": {"dtype": "float32"}}),
                  ("total", "aten.sum.default", [node("kept")], {}),
                  ("out", "aten.div.Tensor", [node("total"), node("countf")], {})], "outputs": ["out"]},
    "nll_loss_forward_mean_ignored": {"inputs": [("x", [31, 45], "input"), ("t", [31], "input", "int64", "classes=45", "ignored")],
                                      "nodes": [("ls", "aten._log_softmax.default", [node("x"), 1, False], {}),
                                                ("nll", "aten.nll_loss_forward.default", [node("ls"), node("t"), None, 1, -100], {}),
                                                ("out", "getitem", [node("nll"), 0], {})], "outputs": ["out"]},
    "nll_loss_forward_sum_and_total_weight": {"inputs": [("x", [26, 33], "input"), ("t", [26], "input", "int64", "classes=33", "ignored")],
                                              "nodes": [("nll", "aten.nll_loss_forward.default", [node("x"), node("t"), None, 2, -100], {}),
                                                        ("out", "getitem", [node("nll"), 0], {}),
                                                        ("tw", "getitem", [node("nll"), 1], {})], "outputs": ["out", "tw"]},
    "linear_nll_loss_none_rows": {"inputs": [("x", [21, 30], "input"), ("t", [21], "input", "int64", "classes=44"),
                                             ("w", [44, 30], "parameter"), ("b", [44], "parameter")],
                                  "nodes": [("wt", "aten.t.default", [node("w")], {}),
                                            ("logits", "aten.addmm.default", [node("b"), node("x"), node("wt")], {}),
                                            ("ls", "aten._log_softmax.default", [node("logits"), 1, False], {}),
                                            ("nll", "aten.nll_loss_forward.default", [node("ls"), node("t"), None, 0, -100], {}),
                                            ("out", "getitem", [node("nll"), 0], {})], "outputs": ["out"]},
    "softmax_gather_three_per_row": {"inputs": [("x", [11, 24], "input"), ("t", [11, 3], "input", "int64", "classes=24")],
                                     "nodes": [("s", "aten._softmax.default", [node("x"), -1, False], {}),
                                               ("out", "aten.gather.default", [node("s"), 1, node("t")], {})], "outputs": ["out"]},
    "gather_dim0_smaller_index": {"inputs": [("x", [9, 13], "input"), ("t", [4, 11], "input", "int64", "classes=9")],
                                  "nodes": [("out", "aten.gather.default", [node("x"), 0, node("t")], {})], "outputs": ["out"]},
    "take_along_dim_last": {"inputs": [("x", [6, 10], "input"), ("t", [6, 3], "input", "int64", "classes=10")],
                            "nodes": [("out", "aten.take_along_dim.default", [node("x"), node("t"), 1], {})], "outputs": ["out"]},
    "multi_margin_loss_none": {"inputs": [("x", [23, 37], "input"), ("t", [23], "input", "int64", "classes=37")],
                               "nodes": [("out", "aten.multi_margin_loss.default", [node("x"), node("t"), 1, 1.0, None, 0], {})], "outputs": ["out"]},
    "multi_margin_loss_p2_mean": {"inputs": [("x", [23, 37], "input"), ("t", [23], "input", "int64", "classes=37")],
                                  "nodes": [("out", "aten.multi_margin_loss.default", [node("x"), node("t"), 2, 0.7, None, 1], {})], "outputs": ["out"]},
    "multi_margin_loss_decomposed": {"inputs": [("x", [17, 29], "input"), ("t", [17], "input", "int64", "classes=29")],
                                     "nodes": [("u", "aten.unsqueeze.default", [node("t"), 1], {}),
                                               ("g", "aten.gather.default", [node("x"), 1, node("u")], {}),
                                               ("m", "aten.rsub.Scalar", [node("g"), 1.0], {}),
                                               ("z", "aten.add.Tensor", [node("m"), node("x")], {}),
                                               ("zc", "aten.clamp_min.default", [node("z"), 0], {}),
                                               ("ids", "aten.arange.default", [29], {"dtype": {"dtype": "int64"}}),
                                               ("ne", "aten.ne.Tensor", [node("ids"), node("u")], {}),
                                               ("zero", "aten.scalar_tensor.default", [0], {"dtype": {"dtype": "float32"}}),
                                               ("w", "aten.where.self", [node("ne"), node("zc"), node("zero")], {}),
                                               ("out", "aten.mean.dim", [node("w"), [1]], {})], "outputs": ["out"]},
    "arange_start_step_scale": {"inputs": [("x", [5, 39], "input")],
                                "nodes": [("a", "aten.arange.start_step", [3, 80, 2], {}),
                                          ("out", "aten.mul.Tensor", [node("x"), node("a")], {})], "outputs": ["out"]},
    "where_scalar_other_shared_mask": {"inputs": [("x", [4, 37], "input"), ("y", [37], "input")],
                                       "nodes": [("c", "aten.lt.Tensor", [node("x"), node("y")], {}),
                                                 ("a", "aten.where.ScalarOther", [node("c"), node("x"), 0.5], {}),
                                                 ("n", "aten.logical_not.default", [node("c")], {}),
                                                 ("b", "aten.masked_fill.Scalar", [node("a"), node("n"), -1.0], {}),
                                                 ("out", "aten.add.Tensor", [node("b"), node("a")], {})], "outputs": ["out"]},
    # Clamp by tensor bounds (broadcast, crossing bounds where min > max) with NaN inputs: torch's clamp keeps them NaN.
    "clamp_tensor_bounds_nan": {"inputs": [("x", [4, 33], "input", "nans"), ("lo", [33], "input"), ("hi", [4, 1], "input")],
                                "nodes": [("out", "aten.clamp.Tensor", [node("x"), node("lo"), node("hi")], {})], "outputs": ["out"]},
    "clamp_tensor_max_only_and_clamp_min": {"inputs": [("x", [5, 17], "input", "nans"), ("lo", [5, 17], "input"), ("hi", [17], "input")],
                                            "nodes": [("a", "aten.clamp.Tensor", [node("x"), None, node("hi")], {}),
                                                      ("b", "aten.clamp_min.Tensor", [node("x"), node("lo")], {}),
                                                      ("out", "aten.add.Tensor", [node("a"), node("b")], {})], "outputs": ["out"]},
    # remainder (the divisor's sign) and fmod (the dividend's sign), with signed dividends and divisors.
    "remainder_fmod_scalar_signed": {"inputs": [("x", [6, 37], "input")],
                                     "nodes": [("x3", "aten.mul.Tensor", [node("x"), 3.0], {}),
                                               ("r", "aten.remainder.Scalar", [node("x3"), -0.7], {}), ("f", "aten.fmod.Scalar", [node("x3"), 0.3], {}),
                                               ("g", "aten.fmod.Scalar", [node("x3"), -0.45], {}), ("q", "aten.remainder.Scalar", [node("x3"), 0.55], {}),
                                               ("s1", "aten.add.Tensor", [node("r"), node("f")], {}), ("s2", "aten.mul.Tensor", [node("g"), 10.0], {}),
                                               ("s3", "aten.add.Tensor", [node("s1"), node("s2")], {}),
                                               ("out", "aten.add.Tensor", [node("s3"), node("q")], {})], "outputs": ["out", "r", "g"]},
    "remainder_fmod_tensor_broadcast": {"inputs": [("a", [5, 29], "input"), ("b", [29], "input")],
                                        "nodes": [("a4", "aten.mul.Tensor", [node("a"), 4.0], {}),
                                                  ("r", "aten.remainder.Tensor", [node("a4"), node("b")], {}),
                                                  ("f", "aten.fmod.Tensor", [node("a4"), node("b")], {})], "outputs": ["r", "f"]},
    "unary_zoo": {"inputs": [("x", [3, 41], "input")],
                  "nodes": [("a", "aten.sign.default", [node("x")], {}), ("b", "aten.floor.default", [node("x")], {}),
                            ("c3", "aten.mul.Tensor", [node("x"), 2.5], {}), ("c", "aten.round.default", [node("c3")], {}),
                            ("d", "aten.trunc.default", [node("c3")], {}), ("e", "aten.ceil.default", [node("x")], {}),
                            ("f", "aten.sin.default", [node("x")], {}), ("g", "aten.cos.default", [node("x")], {}), ("h", "aten.atan.default", [node("x")], {}),
                            ("ab", "aten.abs.default", [node("x")], {}), ("l", "aten.log2.default", [node("ab")], {}), ("m", "aten.log10.default", [node("ab")], {}),
                            ("n", "aten.exp2.default", [node("x")], {}), ("q", "aten.erfc.default", [node("x")], {}), ("r", "aten.sinh.default", [node("x")], {}),
                            ("s1", "aten.add.Tensor", [node("a"), node("b")], {}), ("s2", "aten.add.Tensor", [node("s1"), node("c")], {}),
                            ("s3", "aten.add.Tensor", [node("s2"), node("d")], {}), ("s4", "aten.add.Tensor", [node("s3"), node("e")], {}),
                            ("s5", "aten.add.Tensor", [node("s4"), node("f")], {}), ("s6", "aten.add.Tensor", [node("s5"), node("g")], {}),
                            ("s7", "aten.add.Tensor", [node("s6"), node("h")], {}), ("s8", "aten.add.Tensor", [node("s7"), node("l")], {}),
                            ("s9", "aten.add.Tensor", [node("s8"), node("m")], {}), ("s10", "aten.add.Tensor", [node("s9"), node("n")], {}),
                            ("s11", "aten.add.Tensor", [node("s10"), node("q")], {}), ("out", "aten.add.Tensor", [node("s11"), node("r")], {})],
                  "outputs": ["out"]},
    "xlogy_as_decomposed": {"inputs": [("t", [4, 33], "input"), ("p", [4, 33], "input")],
                            "nodes": [("at", "aten.abs.default", [node("t")], {}), ("ap", "aten.abs.default", [node("p")], {}),
                                      ("z", "aten.eq.Scalar", [node("at"), 0], {}), ("lg", "aten.log.default", [node("ap")], {}),
                                      ("mul", "aten.mul.Tensor", [node("at"), node("lg")], {}),
                                      ("w0", "aten.where.ScalarSelf", [node("z"), 0.0, node("mul")], {}),
                                      ("nan", "aten.isnan.default", [node("ap")], {}),
                                      ("out", "aten.where.ScalarSelf", [node("nan"), float("nan"), node("w0")], {})], "outputs": ["out"]},
    "log_sigmoid_as_decomposed": {"inputs": [("x", [4, 33], "input")],
                                  "nodes": [("zero", "aten.new_zeros.default", [node("x"), []], {}),
                                            ("mn", "aten.minimum.default", [node("zero"), node("x")], {}), ("ab", "aten.abs.default", [node("x")], {}),
                                            ("ng", "aten.neg.default", [node("ab")], {}), ("ex", "aten.exp.default", [node("ng")], {}),
                                            ("lp", "aten.log1p.default", [node("ex")], {}), ("out", "aten.sub.Tensor", [node("mn"), node("lp")], {})],
                                  "outputs": ["out"]},
    # Data movement.
    "permute_4d": one("aten.permute.default", [2, 3, 4, 5], [0, 2, 3, 1]),
    "transpose_read_by_relu": {"inputs": [("x", [7, 9], "input")],
                               "nodes": [("t", "aten.t.default", [node("x")], {}), ("out", "aten.relu.default", [node("t")], {})], "outputs": ["out"]},
    "slice_step_and_negative_end": one("aten.slice.Tensor", [4, 11, 3], 1, 2, -1, 3),
    "slice_to_int64_max": one("aten.slice.Tensor", [4, 11], 1, 1, 9223372036854775807),
    "select_middle": one("aten.select.int", [4, 11, 3], 1, -2),
    "cat_three": {"inputs": [("a", [2, 3, 4], "input"), ("b", [2, 5, 4], "input"), ("c", [2, 1, 4], "input")],
                  "nodes": [("out", "aten.cat.default", [[node("a"), node("b"), node("c")], 1], {})], "outputs": ["out"]},
    "constant_pad": one("aten.constant_pad_nd.default", [2, 3, 4], [1, 2, 0, 3], -0.5),
    "channel_shuffle_3_groups": one("aten.channel_shuffle.default", [2, 12, 3, 5], 3),
    "reflection_pad2d_uneven": one("aten.reflection_pad2d.default", [2, 3, 5, 6], [1, 3, 2, 0]),
    "reflection_pad1d": one("aten.reflection_pad1d.default", [3, 5, 9], [2, 1]),
    "reflection_pad3d_then_relu": {"inputs": [("x", [2, 2, 4, 5, 3], "input")],
                                   "nodes": [("p", "aten.reflection_pad3d.default", [node("x"), [1, 2, 0, 0, 3, 1]], {}),
                                             ("out", "aten.relu.default", [node("p")], {})], "outputs": ["out"]},
    "replication_pad2d_uneven": one("aten.replication_pad2d.default", [2, 3, 5, 6], [1, 3, 2, 0]),
    "replication_pad3d": one("aten.replication_pad3d.default", [2, 2, 4, 5, 3], [1, 0, 2, 1, 0, 2]),
    # Scans read slices in place and write pads in place (FuseScanWindows): one kernel, no workspace ("expect").
    "exclusive_cumsum_pad": {"inputs": [("x", [4, 50], "input")],
                             "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 0, -1], {}), ("c", "aten.cumsum.default", [node("s"), 1], {}),
                                       ("out", "aten.constant_pad_nd.default", [node("c"), [1, 0]], {})], "outputs": ["out"],
                             "expect": {"kernels": 1, "workspace_bytes": 0}},
    "exclusive_cumsum_pad_multi_chunk": {"inputs": [("x", [3, 2500], "input")],
                                         "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 0, -1], {}), ("c", "aten.cumsum.default", [node("s"), 1], {}),
                                                   ("out", "aten.constant_pad_nd.default", [node("c"), [1, 0]], {})], "outputs": ["out"],
                                         "expect": {"kernels": 1, "workspace_bytes": 0}},
    "exclusive_cumsum_slice_after_scan": {"inputs": [("x", [4, 50], "input")],
                                          "nodes": [("c", "aten.cumsum.default", [node("x"), 1], {}), ("s", "aten.slice.Tensor", [node("c"), 1, 0, -1], {}),
                                                    ("out", "aten.constant_pad_nd.default", [node("s"), [1, 0]], {})], "outputs": ["out"],
                                          "expect": {"kernels": 1, "workspace_bytes": 0}},
    "reverse_exclusive_cumsum_pad_right": {"inputs": [("x", [4, 1100], "input")],
                                           "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 1, 9223372036854775807], {}),
                                                     ("f", "aten.flip.default", [node("s"), [1]], {}), ("c", "aten.cumsum.default", [node("f"), 1], {}),
                                                     ("r", "aten.flip.default", [node("c"), [1]], {}),
                                                     ("out", "aten.constant_pad_nd.default", [node("r"), [0, 1]], {})], "outputs": ["out"],
                                           "expect": {"kernels": 1, "workspace_bytes": 0}},
    "exclusive_cumsum_inner_axis_pad": {"inputs": [("x", [3, 30, 5], "input")],
                                        "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 0, -1], {}), ("c", "aten.cumsum.default", [node("s"), 1], {}),
                                                  ("out", "aten.constant_pad_nd.default", [node("c"), [0, 0, 1, 0]], {})], "outputs": ["out"],
                                        "expect": {"kernels": 1, "workspace_bytes": 0}},
    "reverse_cumsum_dim0_pad_both_strided": {"inputs": [("x", [21, 6], "input")],
                                             "nodes": [("s", "aten.slice.Tensor", [node("x"), 0, 1, 20, 2], {}),
                                                       ("f", "aten.flip.default", [node("s"), [0]], {}), ("c", "aten.cumsum.default", [node("f"), 0], {}),
                                                       ("r", "aten.flip.default", [node("c"), [0]], {}),
                                                       ("out", "aten.constant_pad_nd.default", [node("r"), [1, 2, 2, 1], 0.25], {})], "outputs": ["out"],
                                             "expect": {"kernels": 1, "workspace_bytes": 0}},
    "exclusive_cumprod_pad_one": {"inputs": [("x", [5, 40], "input")],
                                  "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 0, -1], {}), ("c", "aten.cumprod.default", [node("s"), 1], {}),
                                            ("out", "aten.constant_pad_nd.default", [node("c"), [1, 0], 1.0], {})], "outputs": ["out"],
                                  "expect": {"kernels": 1, "workspace_bytes": 0}},
    "exclusive_cumsum_rows_in_border_step_slice": {"inputs": [("x", [3, 7, 61], "input")],
                                                   "nodes": [("s", "aten.slice.Tensor", [node("x"), 2, 0, -1, 2], {}),
                                                             ("c", "aten.cumsum.default", [node("s"), 2], {}),
                                                             ("out", "aten.constant_pad_nd.default", [node("c"), [1, 0, 2, 1], -0.5], {})], "outputs": ["out"],
                                                   "expect": {"kernels": 1, "workspace_bytes": 0}},
    "exclusive_cumsum_unsqueezed_then_padded": {"inputs": [("x", [4, 50], "input")],
                                                "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 0, -1], {}), ("c", "aten.cumsum.default", [node("s"), 1], {}),
                                                          ("u", "aten.unsqueeze.default", [node("c"), 1], {}),
                                                          ("out", "aten.constant_pad_nd.default", [node("u"), [1, 0]], {})], "outputs": ["out"],
                                                "expect": {"kernels": 1, "workspace_bytes": 0}},
    "cumsum_of_slice_also_returned": {"inputs": [("x", [4, 50], "input")],
                                      "nodes": [("s", "aten.slice.Tensor", [node("x"), 1, 2, -3], {}), ("c", "aten.cumsum.default", [node("s"), 1], {}),
                                                ("out", "aten.constant_pad_nd.default", [node("c"), [1, 0]], {})], "outputs": ["out", "c"]},
    "exclusive_cumsum_cat": {"inputs": [("x", [4, 50], "input")],
                             "nodes": [("sel", "aten.select.int", [node("x"), 1, 0], {}), ("u", "aten.unsqueeze.default", [node("sel"), 1], {}),
                                       ("z", "aten.full_like.default", [node("u"), 0], {}),
                                       ("cat", "aten.cat.default", [[node("z"), node("x")], 1], {}),
                                       ("sl", "aten.slice.Tensor", [node("cat"), 1, 0, -1], {}),
                                       ("out", "aten.cumsum.default", [node("sl"), 1], {})], "outputs": ["out"]},
    # Epilogues: the elementwise chain after a matmul or convolution applied as it stores.
    "linear_gelu_residual": {"inputs": [("x", [33, 70], "input"), ("w", [50, 70], "parameter"), ("b", [50], "parameter"), ("r", [33, 50], "input")],
                             "nodes": [("wt", "aten.permute.default", [node("w"), [1, 0]], {}),
                                       ("mm", "aten.addmm.default", [node("b"), node("x"), node("wt")], {}),
                                       ("g", "aten.gelu.default", [node("mm")], {}), ("out", "aten.add.Tensor", [node("g"), node("r")], {})],
                             "outputs": ["out"]},
    "bmm_scale_sigmoid": {"inputs": [("a", [3, 20, 70], "input"), ("b", [3, 70, 33], "input")],
                          "nodes": [("m", "aten.bmm.default", [node("a"), node("b")], {}), ("s", "aten.mul.Tensor", [node("m"), 0.25], {}),
                                    ("out", "aten.sigmoid.default", [node("s")], {})], "outputs": ["out"]},
    "conv_bn_eval_relu": {"inputs": [("x", [2, 8, 10, 9], "input"), ("w", [24, 8, 3, 3], "parameter"), ("cb", [24], "parameter"),
                                     ("g", [24], "parameter"), ("bb", [24], "parameter"), ("rm", [24], "buffer"), ("rv", [24], "buffer", "positive")],
                          "nodes": [("c", "aten.convolution.default", [node("x"), node("w"), node("cb"), [1, 1], [1, 1], [1, 1], False, [0, 0], 1], {}),
                                    ("t", "aten._native_batch_norm_legit_no_training.default", [node("c"), node("g"), node("bb"), node("rm"), node("rv"), 0.1, 1e-5], {}),
                                    ("n", "getitem", [node("t"), 0], {}), ("out", "aten.relu.default", [node("n")], {})], "outputs": ["out"]},
    "depthwise_conv_hardtanh": {"inputs": [("x", [2, 6, 9, 9], "input"), ("w", [6, 1, 3, 3], "parameter")],
                                "nodes": [("c", "aten.convolution.default", [node("x"), node("w"), None, [2, 2], [1, 1], [1, 1], False, [0, 0], 6], {}),
                                          ("out", "aten.hardtanh.default", [node("c"), -0.5, 0.5], {})], "outputs": ["out"]},
    "conv_transpose_tanh_plus_input_channel_bias": {"inputs": [("x", [2, 8, 5, 6], "input"), ("w", [8, 16, 4, 4], "parameter"), ("eb", [16, 1, 1], "parameter")],
                                                    "nodes": [("c", "aten.convolution.default", [node("x"), node("w"), None, [2, 2], [1, 1], [1, 1], True, [0, 0], 1], {}),
                                                              ("t", "aten.tanh.default", [node("c")], {}), ("out", "aten.add.Tensor", [node("t"), node("eb")], {})],
                                                    "outputs": ["out"]},
    # Long reductions with few outputs are split in two (chunks, then the chunk results).
    "mse_like_mean_all": {"inputs": [("a", [300, 512], "input"), ("b", [300, 512], "input")],
                          "nodes": [("d", "aten.sub.Tensor", [node("a"), node("b")], {}), ("q", "aten.pow.Tensor_Scalar", [node("d"), 2], {}),
                                    ("out", "aten.mean.default", [node("q")], {})], "outputs": ["out"]},
    "l2_norm_all": one("aten.linalg_vector_norm.default", [256, 512], 2),
    "logsumexp_long_rows": one("aten.logsumexp.default", [2, 70000], [1]),
    "amax_all_odd_length": one("aten.amax.default", [70001], [0]),
    "sum_inner_long_axis": one("aten.sum.dim_IntList", [2, 70000, 3], [1]),
    # Prologues: the elementwise chain before a one-pass reduction computed in its loads.
    "l1_normalize_rows": {"inputs": [("x", [6, 333], "input")],
                          "nodes": [("a", "aten.abs.default", [node("x")], {}), ("s", "aten.sum.dim_IntList", [node("a"), [1], True], {}),
                                    ("out", "aten.div.Tensor", [node("x"), node("s")], {})], "outputs": ["out"]},
    "column_mean_of_product_with_broadcast": {"inputs": [("x", [301, 33], "input"), ("w", [33], "parameter")],
                                              "nodes": [("p", "aten.mul.Tensor", [node("x"), node("w")], {}), ("t", "aten.tanh.default", [node("p")], {}),
                                                        ("out", "aten.mean.dim", [node("t"), [0]], {})], "outputs": ["out"]},
    "max_of_relu_inner_axis": {"inputs": [("x", [4, 50, 7], "input")],
                               "nodes": [("r", "aten.relu.default", [node("x")], {}), ("out", "aten.amax.default", [node("r"), [1]], {})],
                               "outputs": ["out"]},
    "hinge_like_loss": {"inputs": [("p", [128, 257], "input"), ("t", [128, 257], "input")],
                        "nodes": [("m", "aten.mul.Tensor", [node("p"), node("t")], {}), ("o", "aten.rsub.Scalar", [node("m"), 1], {}),
                                  ("c", "aten.clamp.default", [node("o"), 0], {}), ("out", "aten.mean.default", [node("c")], {})], "outputs": ["out"]},
    "split_and_add": {"inputs": [("x", [4, 10, 3], "input")],
                      "nodes": [("s", "aten.split.Tensor", [node("x"), 4, 1], {}), ("a", "getitem", [node("s"), 0], {}),
                                ("b", "getitem", [node("s"), 1], {}), ("out", "aten.mul.Tensor", [node("a"), node("b")], {})], "outputs": ["out"]},
    "split_with_sizes_last_piece": {"inputs": [("x", [4, 10, 3], "input")],
                                    "nodes": [("s", "aten.split_with_sizes.default", [node("x"), [3, 5, 2], 1], {}),
                                              ("out", "getitem", [node("s"), 2], {})], "outputs": ["out"]},
    "pixel_shuffle": one("aten.pixel_shuffle.default", [2, 12, 3, 5], 2),
    "pixel_unshuffle": one("aten.pixel_unshuffle.default", [2, 3, 6, 10], 2),
    "pixel_unshuffle_unbatched_factor3": one("aten.pixel_unshuffle.default", [2, 9, 6], 3),
    # unbind (the 1.13 tracer's spelling of iterating over an RNN's time steps): a tuple of select views.
    "unbind_middle_dim": {"inputs": [("x", [4, 3, 5], "input")],
                          "nodes": [("u", "aten.unbind.int", [node("x"), 1], {}), ("a", "getitem", [node("u"), 0], {}),
                                    ("b", "getitem", [node("u"), 2], {}), ("out", "aten.sub.Tensor", [node("a"), node("b")], {})],
                          "outputs": ["out"]},
    "unbind_default_dim_last_piece": {"inputs": [("x", [3, 7], "input")],
                                      "nodes": [("u", "aten.unbind.int", [node("x")], {}), ("out", "getitem", [node("u"), 2], {})],
                                      "outputs": ["out"]},
    # roll (slices and a concatenation per dim; negative and over-long shifts; no dims = flat) and baddbmm/addmm with scales.
    "roll_two_dims": one("aten.roll.default", [5, 7, 9], [3, -11], [2, 0]),
    "roll_flat": one("aten.roll.default", [4, 6], [5]),
    "baddbmm_scaled": {"inputs": [("c", [3, 1, 9], "input"), ("a", [3, 7, 11], "input"), ("b", [3, 11, 9], "input")],
                       "nodes": [("out", "aten.baddbmm.default", [node("c"), node("a"), node("b")], {"beta": 0.5, "alpha": -2.0})], "outputs": ["out"]},
    "addmm_beta_zero": {"inputs": [("c", [7, 9], "input", "nans"), ("a", [7, 11], "input"), ("b", [11, 9], "input")],
                        "nodes": [("out", "aten.addmm.default", [node("c"), node("a"), node("b")], {"beta": 0.0, "alpha": 1.5})], "outputs": ["out"]},
    # index.Tensor with one index tensor: a table read through a 2-D buffer of positions (Swin's relative-position bias), and x[:, idx].
    "index_tensor_table_2d_positions": {"inputs": [("w", [13, 4], "parameter"), ("t", [5, 5], "buffer", "int64", "classes=13")],
                                        "nodes": [("out", "aten.index.Tensor", [node("w"), [node("t")]], {})], "outputs": ["out"]},
    "index_tensor_after_none": {"inputs": [("x", [3, 9, 4], "input"), ("t", [6], "input", "int64", "classes=9")],
                                "nodes": [("out", "aten.index.Tensor", [node("x"), [None, node("t")]], {})], "outputs": ["out"]},
    # A bool mask as an input (masked cumsum; where on a given mask): converted to 0/1 once, read as a condition or a number.
    "masked_cumsum_bool_input": {"inputs": [("x", [9, 70], "input"), ("m", [9, 70], "input", "bool")],
                                 "nodes": [("prod", "aten.mul.Tensor", [node("x"), node("m")], {}),
                                           ("c", "aten.cumsum.default", [node("prod"), 1], {})], "outputs": ["c"]},
    "where_bool_input_broadcast": {"inputs": [("x", [5, 6, 7], "input"), ("m", [6, 1], "input", "bool"), ("y", [7], "input")],
                                   "nodes": [("w", "aten.where.self", [node("m"), node("x"), node("y")], {}),
                                             ("s", "aten.sum.dim_IntList", [node("m"), [0, 1]], {}),
                                             ("r", "aten.add.Tensor", [node("w"), node("s")], {})], "outputs": ["r"]},
    # Indices of whole slices: index_select (any dim, an int64 vector or an arange) and embedding (indices of any shape).
    "index_select_middle_dim_int64": {"inputs": [("x", [3, 7, 5], "input"), ("t", [4], "input", "int64", "classes=7")],
                                      "nodes": [("out", "aten.index_select.default", [node("x"), 1, node("t")], {})], "outputs": ["out"]},
    "index_select_last_dim_arange": {"inputs": [("x", [6, 9], "input")],
                                     "nodes": [("a", "aten.arange.start_step", [1, 9, 3], {"dtype": {"dtype": "int64"}}),
                                               ("out", "aten.index_select.default", [node("x"), -1, node("a")], {})], "outputs": ["out"]},
    "embedding_2d_indices": {"inputs": [("w", [11, 6], "parameter"), ("t", [3, 5], "input", "int64", "classes=11")],
                             "nodes": [("out", "aten.embedding.default", [node("w"), node("t")], {})], "outputs": ["out"]},
    "embedding_padding_idx_then_sum": {"inputs": [("w", [13, 7], "parameter"), ("t", [4, 6], "input", "int64", "classes=13")],
                                       "nodes": [("e", "aten.embedding.default", [node("w"), node("t"), 0], {}),
                                                 ("out", "aten.sum.dim_IntList", [node("e"), [1]], {})], "outputs": ["out"]},
    # Nearest upsampling, ATen's legacy "nearest": min(floor(o * scale), I - 1) with a float32 scale.
    "upsample_nearest2d_scale_factor2": one("aten.upsample_nearest2d.vec", [2, 3, 5, 4], None, [2.0, 2.0]),
    "upsample_nearest2d_10_to_16": one("aten.upsample_nearest2d.vec", [2, 3, 10, 7], [16, 11], None),
    "upsample_nearest2d_default_scales": one("aten.upsample_nearest2d.default", [2, 2, 4, 4], [6, 9], 1.7, 2.3),
    "upsample_nearest1d_downsample": one("aten.upsample_nearest1d.default", [2, 3, 13], [5]),
    "upsample_nearest3d_mixed": one("aten.upsample_nearest3d.vec", [1, 2, 3, 4, 5], None, [2.0, 1.5, 1.0]),
    # Linear modes: both align_corners settings, sizes and factors, up and down, unit extents.
    "upsample_bilinear2d_scale_factor2": one("aten.upsample_bilinear2d.vec", [2, 3, 5, 4], None, False, [2.0, 2.0]),
    "upsample_bilinear2d_align_corners_sizes": one("aten.upsample_bilinear2d.vec", [2, 3, 5, 7], [9, 13], True, None),
    "upsample_bilinear2d_downsample_default": one("aten.upsample_bilinear2d.default", [2, 2, 11, 9], [4, 5], False),
    "upsample_bilinear2d_default_scales": one("aten.upsample_bilinear2d.default", [1, 2, 4, 6], [7, 9], False, 1.7, 1.5),
    "upsample_bilinear2d_unit_extents": one("aten.upsample_bilinear2d.vec", [2, 2, 1, 6], [3, 1], True, None),
    "upsample_linear1d_fraction": one("aten.upsample_linear1d.vec", [3, 4, 10], None, False, [1.5]),
    "upsample_linear1d_default_aligned": one("aten.upsample_linear1d.default", [2, 3, 7], [16], True),
    "upsample_trilinear3d_mixed": one("aten.upsample_trilinear3d.vec", [1, 2, 3, 4, 5], None, False, [2.0, 1.5, 1.0]),
    "upsample_trilinear3d_aligned_sizes": one("aten.upsample_trilinear3d.default", [1, 2, 4, 3, 5], [6, 5, 2], True),
    "prelu_per_channel": {"inputs": [("x", [2, 6, 4, 5], "input"), ("w", [6], "parameter")],
                          "nodes": [("out", "aten.prelu.default", [node("x"), node("w")], {})], "outputs": ["out"]},
    "diag_matmul_row_scale": {"inputs": [("v", [37], "input"), ("b", [37, 29], "input")],
                              "nodes": [("d", "aten.diag.default", [node("v")], {}), ("out", "aten.mm.default", [node("d"), node("b")], {})],
                              "outputs": ["out"]},
    # torch.stack along a middle dim (the 1.13 tracer keeps it; torch 2.x decomposes it to unsqueeze + cat).
    "stack_middle_dim": {"inputs": [("a", [5, 7], "input"), ("b", [5, 7], "input"), ("c", [5, 7], "input")],
                         "nodes": [("s", "aten.stack.default", [[node("a"), node("b"), node("c")], 1], {}),
                                   ("out", "aten.mul.Tensor", [node("s"), 2.0], {})], "outputs": ["out"]},
    # torch.diag(v) @ B with the diagonal written as core ATen decomposes diag_embed: an arange equality mask and where.
    "diag_matmul_from_arange_mask": {"inputs": [("v", [37], "input"), ("b", [37, 29], "input")],
                                     "nodes": [("r", "aten.arange.default", [37], {}), ("c", "aten.arange.default", [37], {}),
                                               ("r2", "aten.unsqueeze.default", [node("r"), -1], {}),
                                               ("m", "aten.eq.Tensor", [node("c"), node("r2")], {}),
                                               ("d", "aten.where.ScalarOther", [node("m"), node("v"), 0.0], {}),
                                               ("out", "aten.mm.default", [node("d"), node("b")], {})], "outputs": ["out"]},
    "matmul_diag_column_scale_and_diag_returned": {"inputs": [("a", [20, 37], "input"), ("v", [37], "input")],
                                                   "nodes": [("d", "aten.diag.default", [node("v")], {}), ("out", "aten.mm.default", [node("a"), node("d")], {})],
                                                   "outputs": ["out", "d"]},
    "smooth_l1_loss_mean": {"inputs": [("p", [64, 300], "input"), ("t", [64, 300], "input")],
                            "nodes": [("out", "aten.smooth_l1_loss.default", [node("p"), node("t"), 1, 0.5], {})], "outputs": ["out"]},
    "huber_loss_sum": {"inputs": [("p", [64, 300], "input"), ("t", [64, 300], "input")],
                       "nodes": [("out", "aten.huber_loss.default", [node("p"), node("t"), 2, 0.7], {})], "outputs": ["out"]},
    "mse_loss_none": {"inputs": [("p", [4, 30], "input"), ("t", [30], "input")],
                      "nodes": [("out", "aten.mse_loss.default", [node("p"), node("t"), 0], {})], "outputs": ["out"]},
    "mm_odd": {"inputs": [("a", [37, 50], "input"), ("b", [50, 29], "input")],
               "nodes": [("out", "aten.mm.default", [node("a"), node("b")], {})], "outputs": ["out"]},
    # Products with one output row or column become sums of products (SimplifyVectorProducts), in all four layouts.
    "mm_column_vector": {"inputs": [("a", [37, 1500], "input"), ("b", [1500, 1], "input")],
                         "nodes": [("out", "aten.mm.default", [node("a"), node("b")], {})], "outputs": ["out"]},
    "mm_column_vector_transposed_matrix": {"inputs": [("a", [1500, 37], "input"), ("b", [1, 1500], "input")],
                                           "nodes": [("at", "aten.t.default", [node("a")], {}), ("bt", "aten.t.default", [node("b")], {}),
                                                     ("out", "aten.mm.default", [node("at"), node("bt")], {})], "outputs": ["out"]},
    "mm_row_vector": {"inputs": [("a", [1, 700], "input"), ("b", [700, 45], "input")],
                      "nodes": [("out", "aten.mm.default", [node("a"), node("b")], {})], "outputs": ["out"]},
    "mm_row_vector_transposed_matrix": {"inputs": [("a", [1, 700], "input"), ("b", [45, 700], "input")],
                                        "nodes": [("bt", "aten.t.default", [node("b")], {}),
                                                  ("out", "aten.mm.default", [node("a"), node("bt")], {})], "outputs": ["out"]},
    "bmm": {"inputs": [("a", [3, 20, 70], "input"), ("b", [3, 70, 33], "input")],
            "nodes": [("out", "aten.bmm.default", [node("a"), node("b")], {})], "outputs": ["out"]},
    # Both operands read transposed (CUBLAS_OP_T twice on the cuBLAS path, leading dimensions M and K), bias of a full [M, N].
    "addmm_both_transposed_full_bias": {"inputs": [("a", [50, 37], "input"), ("b", [29, 50], "input"), ("c", [37, 29], "input")],
                                        "nodes": [("at", "aten.t.default", [node("a")], {}), ("bt", "aten.t.default", [node("b")], {}),
                                                  ("out", "aten.addmm.default", [node("c"), node("at"), node("bt")], {})], "outputs": ["out"]},
    "linear_addmm_transposed_weight": {"inputs": [("x", [33, 70], "input"), ("w", [50, 70], "parameter"), ("b", [50], "parameter")],
                                       "nodes": [("wt", "aten.permute.default", [node("w"), [1, 0]], {}),
                                                 ("out", "aten.addmm.default", [node("b"), node("x"), node("wt")], {})], "outputs": ["out"]},
    # What nn.GRUCell / nn.LSTMCell export on CUDA: two gate matmuls, then the fused cell (gate chunks sliced, one chain).
    "fused_gru_cell_biases": {"inputs": [("ig", [3, 21], "input"), ("hg", [3, 21], "input"), ("h", [3, 7], "input"),
                                         ("bi", [21], "parameter"), ("bh", [21], "parameter")],
                              "nodes": [("t", "aten._thnn_fused_gru_cell.default", [node("ig"), node("hg"), node("h"), node("bi"), node("bh")], {}),
                                        ("out", "getitem", [node("t"), 0], {})], "outputs": ["out"]},
    "fused_gru_cell_no_bias_from_mm": {"inputs": [("x", [4, 10], "input"), ("h", [4, 9], "input"), ("wi", [27, 10], "parameter"),
                                                  ("wh", [27, 9], "parameter")],
                                       "nodes": [("wit", "aten.t.default", [node("wi")], {}), ("ig", "aten.mm.default", [node("x"), node("wit")], {}),
                                                 ("wht", "aten.t.default", [node("wh")], {}), ("hg", "aten.mm.default", [node("h"), node("wht")], {}),
                                                 ("t", "aten._thnn_fused_gru_cell.default", [node("ig"), node("hg"), node("h")], {}),
                                                 ("out", "getitem", [node("t"), 0], {})], "outputs": ["out"]},
    "fused_lstm_cell_biases_hy_cy": {"inputs": [("ig", [5, 28], "input"), ("hg", [5, 28], "input"), ("c", [5, 7], "input"),
                                                ("bi", [28], "parameter"), ("bh", [28], "parameter")],
                                     "nodes": [("t", "aten._thnn_fused_lstm_cell.default", [node("ig"), node("hg"), node("c"), node("bi"), node("bh")], {}),
                                               ("out", "getitem", [node("t"), 0], {}), ("cy", "getitem", [node("t"), 1], {})],
                                     "outputs": ["out", "cy"]},
    "fused_lstm_cell_no_bias": {"inputs": [("ig", [3, 36], "input"), ("hg", [3, 36], "input"), ("c", [3, 9], "input")],
                                "nodes": [("t", "aten._thnn_fused_lstm_cell.default", [node("ig"), node("hg"), node("c"), None, None], {}),
                                          ("out", "getitem", [node("t"), 0], {})], "outputs": ["out"]},
    # torch.ones_like(torch.empty(...)) as cosine_embedding_loss exports it: the empty tensor lends only its shape.
    "empty_permuted_full_like": {"inputs": [("x", [5, 37], "input")],
                                 "nodes": [("e", "aten.empty_permuted.default", [[5, 37], [1, 0]], {"dtype": {"dtype": "float32"}}),
                                           ("f", "aten.full_like.default", [node("e"), 1], {}),
                                           ("g", "aten.empty.memory_format", [[37]], {"dtype": {"dtype": "float32"}}),
                                           ("z", "aten.mul.Tensor", [node("g"), 0.0], {}),
                                           ("s", "aten.sub.Tensor", [node("f"), node("x")], {}),
                                           ("out", "aten.add.Tensor", [node("s"), node("z")], {})], "outputs": ["out"]},
    "fill_scalar_like": {"inputs": [("x", [5, 37], "input")],
                         "nodes": [("f", "aten.fill.Scalar", [node("x"), 1.5], {}),
                                   ("out", "aten.sub.Tensor", [node("f"), node("x")], {})], "outputs": ["out"]},
}


def graph_for(name: str, torch) -> tuple[dict, dict]:
    """The case's graph (node shapes and dtypes filled in from the float64 reference) and its float64 inputs by name."""
    case = CASES[name]
    generator = torch.Generator().manual_seed(1234)
    values = {}
    inputs = []
    for tname, shape, role, *flags in case["inputs"]:
        if "bool" in flags:  # a mask input, as masked cumsum takes it: about half True
            values[tname] = torch.rand(*shape, generator=generator, dtype=torch.float64) < 0.5
        elif "int64" in flags:  # labels or class indices: in [0, classes) when "classes=N" is given, else small integers
            classes = next((int(f.split("=")[1]) for f in flags if f.startswith("classes=")), None)
            low, high = (-3, 4) if classes is None else (0, classes)
            values[tname] = torch.randint(low, high, tuple(shape), generator=generator, dtype=torch.int64)
            if "ignored" in flags:  # every fifth label is cross entropy's default ignore_index
                values[tname].view(-1)[::5] = -100
        else:
            values[tname] = torch.randn(*shape, generator=generator, dtype=torch.float64)
        if "positive" in flags:  # a variance
            values[tname] = values[tname].abs() + 0.5
        if "nans" in flags:  # every seventh element NaN, for ops whose NaN handling is part of torch's contract
            values[tname].view(-1)[::7] = float("nan")
        inputs.append({"name": tname, "shape": shape, "dtype": next((f for f in ("int64", "bool") if f in flags), "float32"), "role": role})
    nodes = []
    for nname, target, args, kwargs in case["nodes"]:
        result = run_node(torch, target, args, kwargs, values)
        values[nname] = result
        if isinstance(result, (tuple, list)):
            shape = [list(r.shape) for r in result]
            dtype = [dtype_name(r.dtype) for r in result]
        else:
            shape, dtype = list(result.shape), dtype_name(result.dtype)
        nodes.append({"name": nname, "target": target, "args": encode(args), "kwargs": encode(kwargs), "shape": shape, "dtype": dtype})
    return {"schema_version": 1, "inputs": inputs, "nodes": nodes, "outputs": case["outputs"]}, values


def encode(value):
    """Schema v1 spelling: non-finite floats as {"float": "nan" | "inf" | "-inf"} (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def dtype_name(dtype) -> str:
    name = str(dtype).replace("torch.", "")
    return "float32" if name == "float64" else name


def attention_reference(torch, q, k, v, mask=None, dropout_p=0.0, is_causal=False, *rest, scale=None, **_):
    """Scaled dot-product attention written out (torch 1.13 has no SDPA op); float64 like every reference here."""
    s = (q @ k.transpose(-2, -1)) * (scale if scale is not None else 1.0 / math.sqrt(q.shape[-1]))
    if mask is not None:
        s = s + mask
    if is_causal:
        keep = torch.ones(s.shape[-2], s.shape[-1], dtype=torch.bool).tril()
        s = s.masked_fill(~keep, float("-inf"))
    return torch.softmax(s, -1) @ v


def efficient_attention_reference(torch, q, k, v, bias, compute_log_sumexp, dropout_p=0.0, is_causal=False, scale=None):
    out = attention_reference(torch, q, k, v, bias, dropout_p, is_causal, scale=scale)
    return out, torch.zeros(q.shape[:-1], dtype=q.dtype), torch.zeros((), dtype=torch.int64), torch.zeros((), dtype=torch.int64)


def fused_gru_cell_reference(torch, input_gates, hidden_gates, hx, input_bias=None, hidden_bias=None):
    """_thnn_fused_gru_cell (CUDA only) through torch's own CPU gru_cell: the input gates are the input under an identity
    W_ih; W_hh is solved so that hx @ W_hh.T is the hidden gates (exact in float64 for a batch no larger than H)."""
    width = input_gates.shape[1]
    w_hh = (hx.T @ torch.linalg.inv(hx @ hx.T) @ hidden_gates).T
    assert torch.allclose(hx @ w_hh.T, hidden_gates, atol=1e-9), "hx has no right inverse: keep the batch below H"
    hy = torch.ops.aten.gru_cell.default(input_gates, hx, torch.eye(width, dtype=hx.dtype), w_hh, input_bias, hidden_bias)
    return hy, torch.zeros(hx.shape[0], 5 * hx.shape[1], dtype=hx.dtype)


def fused_lstm_cell_reference(torch, input_gates, hidden_gates, cx, input_bias=None, hidden_bias=None):
    """_thnn_fused_lstm_cell (CUDA only) through torch's own CPU lstm_cell: identity W_ih on the input gates, and a hidden
    state hx = I[B, H] under a W_hh whose first B columns are hidden_gates.T (only the gates read hx; the update reads cx;
    needs a batch no larger than H)."""
    batch, width = input_gates.shape
    hx = torch.eye(batch, cx.shape[1], dtype=cx.dtype)
    w_hh = torch.zeros(width, cx.shape[1], dtype=cx.dtype)
    w_hh[:, :batch] = hidden_gates.T
    hy, cy = torch.ops.aten.lstm_cell.default(input_gates, [hx, cx], torch.eye(width, dtype=cx.dtype), w_hh, input_bias, hidden_bias)
    return hy, cy, torch.zeros(batch, width, dtype=cx.dtype)


# Ops whose torch 1.13 kernel is CUDA only: always computed with these CPU equivalents.
CUDA_ONLY_REFERENCES = {
    "aten._thnn_fused_gru_cell.default": fused_gru_cell_reference,
    "aten._thnn_fused_lstm_cell.default": fused_lstm_cell_reference,
}

# Ops newer than Debian's torch 1.13, computed with the older op they were split from (same math).
REFERENCE_FALLBACKS = {
    "aten.empty_permuted.default": lambda torch, size, layout, **kwargs: torch.empty(size, **kwargs),
    "aten.scaled_dot_product_attention.default": attention_reference,
    "aten._scaled_dot_product_efficient_attention.default": efficient_attention_reference,
    "aten._native_batch_norm_legit_no_training.default":
        lambda torch, x, w, b, mean, var, momentum, eps: torch.ops.aten.native_batch_norm.default(x, w, b, mean, var, False, momentum, eps),
    "aten._native_batch_norm_legit.no_stats":
        lambda torch, x, w, b, training, momentum, eps: torch.ops.aten.native_batch_norm.default(x, w, b, None, None, training, momentum, eps),
    "aten._native_batch_norm_legit_functional.default":
        lambda torch, x, w, b, mean, var, training, momentum, eps:
            torch.ops.aten.native_batch_norm.default(x, w, b, mean.clone(), var.clone(), training, momentum, eps),
    # torch 2.x's squeeze of several dims (torch 1.13 has only squeeze.dim): one dim at a time, highest first.
    "aten.squeeze.dims": lambda torch, x, dims: squeeze_dims(x, dims),
}


def squeeze_dims(x, dims):
    for dim in sorted((d % max(x.dim(), 1) for d in dims), reverse=True):
        x = x.squeeze(dim)
    return x


def case_from_graph(path: Path) -> dict:
    """A case from a graph kforge translate exported (its graph.json): the same nodes, run in float64 here; inputs drawn as
    for hand-written cases (int64 and bool by dtype, a running variance positive)."""
    graph = json.loads(path.read_text())
    inputs = []
    for tensor in graph["inputs"]:
        flags = [tensor["dtype"]] if tensor["dtype"] in ("int64", "bool") else []
        if tensor["name"].endswith("running_var"):
            flags.append("positive")
        inputs.append((tensor["name"], tensor["shape"], tensor["role"], *flags))
    return {"inputs": inputs, "nodes": [(n["name"], n["target"], n["args"], n["kwargs"]) for n in graph["nodes"]],
            "outputs": graph["outputs"]}


# Graphs torch 2.11 exported on an H100 (docs/results/2026-12-07b-h100-conv-tuning-and-ext.md), run as cases named by file:
# the real export of nn.GRU/nn.LSTM/nn.RNN, scaled_dot_product_attention, baddbmm and roll, which torch 1.13 cannot make here.
for _graph_file in sorted((ROOT / "tests" / "emulation" / "graphs").glob("*.json")):
    CASES[_graph_file.stem] = case_from_graph(_graph_file)

# --graphs (passed on to the child process through the environment): exported graphs run as cases named by their folder.
for _graph_file in filter(None, os.environ.get("KFORGE_EMULATE_GRAPHS", "").split(os.pathsep)):
    CASES[Path(_graph_file).parent.name] = case_from_graph(Path(_graph_file))


def run_node(torch, target: str, args: list, kwargs: dict, values: dict):
    def decode(value):
        if isinstance(value, dict) and "node" in value:
            return values[value["node"]]
        if isinstance(value, dict) and "float" in value:
            return float(value["float"])
        if isinstance(value, dict) and "dtype" in value:  # tensors the graph makes (zeros, full) are float64 too, like the inputs
            return torch.float64 if value["dtype"] == "float32" else getattr(torch, value["dtype"])
        if isinstance(value, dict) and "layout" in value:
            return getattr(torch, value["layout"])
        if isinstance(value, dict) and "memory_format" in value:
            return getattr(torch, value["memory_format"])
        if isinstance(value, dict) and "device" in value:
            return torch.device("cpu")  # the float64 reference runs on the CPU, whatever device the graph was exported on
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    decoded = [decode(a) for a in args]
    if target == "getitem":
        return decoded[0][decoded[1]]
    if target in CUDA_ONLY_REFERENCES:
        return CUDA_ONLY_REFERENCES[target](torch, *decoded, **{k: decode(v) for k, v in kwargs.items()})
    if target in REFERENCE_FALLBACKS and not hasattr(getattr(torch.ops.aten, target.split(".")[1], None), target.split(".")[2]):
        return REFERENCE_FALLBACKS[target](torch, *decoded, **{k: decode(v) for k, v in kwargs.items()})
    namespace, op, overload = target.split(".")
    function = getattr(getattr(getattr(torch.ops, namespace), op), overload)
    return function(*decoded, **{k: decode(v) for k, v in kwargs.items()})


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
    source = LAUNCH.sub(rewrite, cu)
    # A convolution lowered to cuDNN declares the library's functions weak; the CPU stand-in defines them.
    return source + '\n#include "kf_cudnn_standin.h"\n' if "kf_cudnn_algo_perf" in cu else source


class KfTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int32), ("ndim", ctypes.c_int32),
                ("shape", ctypes.c_int64 * 8), ("strides", ctypes.c_int64 * 8)]


WORKSPACE = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)


class KfContext(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_int32), ("device", ctypes.c_int32), ("workspace", WORKSPACE),
                ("cublas", ctypes.c_void_p), ("harness", ctypes.c_void_p), ("cudnn", ctypes.c_void_p)]


def tensor_struct(t) -> KfTensor:
    s = KfTensor()
    s.data = t.data_ptr()
    s.dtype = {"torch.float32": 0, "torch.int64": 5, "torch.bool": 6}[str(t.dtype)]
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
    inputs = [(values[i["name"]] if i["dtype"] in ("int64", "bool") else values[i["name"]].float()).contiguous() for i in graph["inputs"]]
    bound = tf32_bound(torch, CASES[name], values) if "convolution_math" in CASES[name] else None
    return run_entry(torch, library, inputs, [values[o] for o in graph["outputs"]], bound)


def tf32_bound(torch, case: dict, values: dict):
    """The most a TF32 convolution's output may differ from float64, element by element: (bound, K, M) as below.

    Each operand rounded to TF32 (to nearest, 10 explicit mantissa bits) is off by at most 2^-11 of itself, so a product
    by at most (2 * 2^-11 + 2^-22) of |w x|; fp32 accumulation of K exact products adds at most K * 2^-24 of sum |w x|; the
    bias add and the store round once more (2^-24 of the result, padded to 1e-6 absolute and relative). With
    M = sum over the K terms of |w| |x| (the convolution of |x| by |w|, no bias):
        |got - expected| <= (2^-10 * (1 + 2^-12) + (K + 2) * 2^-24) * M + 1e-6 * (1 + |expected|).
    A worst-case bound, not a statistical one, so it cannot flake; a wrong index (a transposed weight, a shifted tap) is
    off by the order of M itself, about 1000 times the bound. It holds through a following chain that changes no value
    by more than its input changes (relu, hardtanh): the cases keep to those, one convolution each.
    """
    (target_node,) = [n for n in case["nodes"] if n[1] == "aten.convolution.default"]
    x, w, _bias, *rest = [values[a["node"]] if isinstance(a, dict) else a for a in target_node[2]]
    magnitude = torch.ops.aten.convolution.default(x.abs(), w.abs(), None, *rest)
    k = (x.shape[1] // rest[5]) * math.prod(w.shape[2:])  # input channels of a group x taps, transposed or not
    return (2.0 ** -10 * (1 + 2.0 ** -12) + (k + 2) * 2.0 ** -24) * magnitude, k, magnitude


def run_entry(torch, library: str, inputs: list, expected: list, tf32=None) -> int:
    """Calls the ABI entry of ``library`` on float32 ``inputs`` and compares with float64 ``expected``; prints why on failure.

    ``tf32``: (bound, K, M) from tf32_bound when the convolution ran on TF32 tensor cores; the one output is then held to that
    bound instead of fp32's 1e-4 + 1e-4 |expected|."""
    outputs = [torch.full(tuple(e.shape), float("nan"), dtype=torch.float32) if e.is_floating_point()
               else torch.full(tuple(e.shape), -12345, dtype=e.dtype) for e in expected]
    keep = []

    def workspace(_ctx, nbytes):
        buffer = ctypes.create_string_buffer(max(int(nbytes), 1))
        keep.append(buffer)
        return ctypes.addressof(buffer)

    callback = WORKSPACE(workspace)
    lib = ctypes.CDLL(library)
    # A GEMM lowered to cuBLAS gets the stand-in's handle (include/cublas_v2.h) as ctx->cublas, unless
    # KFORGE_EMULATE_CUBLAS=null asks for the NULL of a harness without one (the own kernel in the file runs instead).
    cublas = None
    if hasattr(lib, "kf_emu_cublas_handle") and os.environ.get("KFORGE_EMULATE_CUBLAS", "stand-in") != "null":
        lib.kf_emu_cublas_handle.restype = ctypes.c_void_p
        cublas = lib.kf_emu_cublas_handle()
        initial_mode = lib.kf_emu_cublas_math_mode()
    # A convolution lowered to cuDNN gets the stand-in's handle (include/kf_cudnn_standin.h) as ctx->cudnn, unless
    # KFORGE_EMULATE_CUDNN=null asks for the NULL of a harness without one.
    cudnn = None
    if hasattr(lib, "kf_emu_cudnn_handle") and os.environ.get("KFORGE_EMULATE_CUDNN", "stand-in") != "null":
        lib.kf_emu_cudnn_handle.restype = ctypes.c_void_p
        cudnn = lib.kf_emu_cudnn_handle()
    context = KfContext(1, 0, callback, cublas, None, cudnn)
    in_structs = (KfTensor * len(inputs))(*[tensor_struct(t) for t in inputs])
    out_structs = (KfTensor * len(outputs))(*[tensor_struct(t) for t in outputs])
    status = lib.kforge_entry(in_structs, len(inputs), out_structs, len(outputs), None, ctypes.byref(context))
    if status != 0:
        print(f"entry returned {status}")
        return 1
    report = []
    if cublas is not None:
        if lib.kf_emu_cublas_math_mode() != initial_mode:
            print("the entry left the cuBLAS handle in another math mode than it found it in")
            return 1
        report.append(f"cuBLAS stand-in: {lib.kf_emu_cublas_gemm_calls()} GEMM calls")
    elif hasattr(lib, "kf_emu_cublas_handle"):
        report.append("ctx->cublas NULL: own kernels")
    if cudnn is not None:
        report.append(f"cuDNN stand-in: {lib.kf_emu_cudnn_calls()} convolution calls")
    elif hasattr(lib, "kf_emu_cudnn_handle"):
        report.append("ctx->cudnn NULL: own kernels")
    for index, (got, want) in enumerate(zip(outputs, expected)):
        if not want.is_floating_point():
            wrong = int((got != want).sum())
            if wrong:
                print(f"output {index}: {wrong} of {got.numel()} indices differ")
                return 1
            report.append(f"{got.numel()} indices exact")
            continue
        got, want = got.double(), want.double()
        # Where torch's result is NaN (NaN inputs it propagates), the candidate must be NaN too; everywhere else finite.
        nan = torch.isnan(want)
        if (nan & ~torch.isnan(got)).any():
            print(f"output {index}: {int((nan & ~torch.isnan(got)).sum())} of {int(nan.sum())} elements torch makes NaN are numbers here")
            return 1
        if nan.any():
            report.append(f"{int(nan.sum())} NaN as torch")
            got, want = got[~nan], want[~nan]
            if got.numel() == 0:  # e.g. a loss of the log of random signed inputs: NaN everywhere, as torch has it
                continue
        if not torch.isfinite(got).all():
            print(f"output {index}: {int((~torch.isfinite(got)).sum())} of {got.numel()} not finite (unwritten or NaN)")
            return 1
        error = (got - want.double()).abs()
        allowed = 1e-4 + 1e-4 * want.double().abs() if tf32 is None else tf32[0] + 1e-6 * (1 + want.double().abs())
        bad = int((error > allowed).sum())
        if bad:
            worst = int(error.argmax())
            print(f"output {index}: {bad} of {got.numel()} off; worst at flat index {worst}: got {got.flatten()[worst].item():.6g}, "
                  f"expected {want.flatten()[worst].item():.6g}")
            return 1
        report.append(f"max abs error {error.max().item():.3g} over {got.numel()} outputs"
                      + ("" if tf32 is None else f" (TF32, K = {tf32[1]}: at most {(error / allowed).max().item():.3g} of the bound; "
                                                  f"max error / sum |w||x| {(error / tf32[2].clamp_min(1e-30)).max().item():.3g})"))
    print("; ".join(report))
    return 0


def asan_preload() -> str:
    """LD_PRELOAD for a Python that loads ASan-built libraries; libstdc++ too, else ASan's __cxa_throw interceptor finds
    no real function when torch throws (and catches) internally."""
    return " ".join(subprocess.run(["g++", f"-print-file-name={library}"], capture_output=True, text=True).stdout.strip()
                    for library in ("libasan.so", "libstdc++.so.6"))


def build_emulation(cu_path: Path, so_path: Path) -> tuple[str | None, str]:
    """Builds the translated ``cu_path`` for the CPU stand-in; (library path, "") or (None, the compiler's complaint)."""
    emulable = so_path.with_suffix(".emu.cpp")
    emulable.write_text(emulable_source(cu_path.read_text()))
    build = subprocess.run(["g++", "-std=c++20", "-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer", "-shared", "-fPIC",
                            "-pthread", f"-I{HERE / 'include'}", f"-I{ROOT / 'abi'}", str(emulable), "-o", str(so_path)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        return None, f"g++ exited {build.returncode}\n{build.stderr[-3000:]}"
    return str(so_path), ""


WORKSPACE_REQUEST = re.compile(r"ctx->workspace\(ctx, (\d+)\)")


def unmet_expectations(cu: str, expect: dict) -> str:
    """What the generated source does other than a case's "expect" says (kernels launched, workspace bytes); "" when it agrees."""
    found = {"kernels": len(re.findall(r"^    launch_\w+\(", cu, re.MULTILINE)),
             "workspace_bytes": sum(int(n) for n in WORKSPACE_REQUEST.findall(cu))}
    return "; ".join(f"expected {key} {value}, the .cu has {found[key]}" for key, value in expect.items() if found[key] != value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kforge", required=True, help="the kforge executable (or kforge.dll, run with dotnet)")
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--keep", help="keep the generated files in this folder")
    parser.add_argument("--library-policy", default="allow-libraries", choices=["allow-libraries", "pure-cuda"],
                        help="passed to kforge translate: GEMMs on cuBLAS (the CPU stand-in in include/cublas_v2.h) or own kernels")
    parser.add_argument("--graphs", nargs="*", help="graph.json files written by kforge translate (<name>/graph.json): run each as a case "
                                                     "named <name>, after --only's cases (none of the built-in cases when --only is not given)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.graphs:
        os.environ["KFORGE_EMULATE_GRAPHS"] = os.pathsep.join(str(Path(g).resolve()) for g in args.graphs)
        for graph_file in args.graphs:
            CASES[Path(graph_file).resolve().parent.name] = case_from_graph(Path(graph_file))
    if args.child:
        return run_case_in_process(*args.child)

    import torch  # noqa: F401  (the reference needs it; fail here with a clear message when it is missing)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kforge-emulate-"))
    work.mkdir(parents=True, exist_ok=True)
    kforge = [args.kforge] if not args.kforge.endswith(".dll") else ["dotnet", args.kforge]
    asan = asan_preload()
    passed = failed = 0
    names = [*(args.only or []), *(Path(g).resolve().parent.name for g in args.graphs)] if args.graphs else (args.only or list(CASES))
    for name in names:
        graph, _ = graph_for(name, torch)
        graph_path = work / f"{name}.json"
        graph_path.write_text(json.dumps(graph, indent=1))
        cu_path, so_path = work / f"{name}.cu", work / f"{name}.so"
        math_mode = CASES[name].get("convolution_math")
        translate = subprocess.run([*kforge, "translate", str(graph_path), "--graph", str(graph_path), "-o", str(cu_path),
                                    "--library-policy", args.library_policy, *(["--convolution-math", math_mode] if math_mode else [])],
                                   capture_output=True, text=True, cwd=ROOT)
        if translate.returncode != 0:
            failed += 1
            print(f"FAIL {name}: translate exited {translate.returncode}\n{translate.stdout}{translate.stderr}")
            continue
        if math_mode and "wmma::mma_sync" not in cu_path.read_text():
            failed += 1
            print(f"FAIL {name}: --convolution-math {math_mode} gave no tensor-core kernel")
            continue
        if (mismatch := unmet_expectations(cu_path.read_text(), CASES[name].get("expect", {}))):
            failed += 1
            print(f"FAIL {name}: {mismatch}")
            continue
        library, error = build_emulation(cu_path, so_path)
        if library is None:
            failed += 1
            print(f"FAIL {name}: {error}")
            continue
        env = dict(os.environ, LD_PRELOAD=asan, ASAN_OPTIONS="detect_leaks=0")
        run = subprocess.run([sys.executable, __file__, "--kforge", args.kforge, "--child", str(so_path), str(graph_path)],
                             capture_output=True, text=True, env=env, timeout=600)
        detail = (run.stdout + run.stderr).strip().splitlines()
        # A product on cuBLAS (a convolution on cuDNN) runs again with a NULL handle, so its own-kernel fallback is checked too.
        source = cu_path.read_text()
        nulls = {variable: "null" for variable, marker in (("KFORGE_EMULATE_CUBLAS", "cublasGemm"), ("KFORGE_EMULATE_CUDNN", "kf_cudnn_algo_perf"))
                 if marker in source and variable not in os.environ}
        if run.returncode == 0 and nulls:
            run = subprocess.run([sys.executable, __file__, "--kforge", args.kforge, "--child", str(so_path), str(graph_path)],
                                 capture_output=True, text=True, env=dict(env, **nulls), timeout=600)
            detail = [*detail[-1:], *(run.stdout + run.stderr).strip().splitlines()]
            detail = detail if run.returncode != 0 else [f"{detail[0]} | {detail[-1]}"]
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
