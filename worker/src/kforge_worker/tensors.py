"""Tensors on the wire: protocol dtype names, element sizes, and ``.npy`` files (little-endian, C order)."""

from __future__ import annotations

import os
from typing import Any

from .errors import WorkerError, bad_request

# Protocol names, as KernelForge.Core.DataTypes spells them, and bytes per element.
ELEMENT_BYTES: dict[str, int] = {
    "float32": 4, "float64": 8, "float16": 2, "bfloat16": 2,
    "int32": 4, "int64": 8, "bool": 1, "int8": 1, "uint8": 1,
}
FLOATING_DTYPES = frozenset({"float32", "float64", "float16", "bfloat16"})
# numpy has no bfloat16; the ABI has it, the .npy wire format does not yet.
NOT_YET_SUPPORTED = {"bfloat16": "numpy has no bfloat16 dtype, so it cannot travel as .npy yet"}


def protocol_dtype(torch_dtype: Any, what: str) -> str:
    """``torch.float32`` -> ``"float32"``; refuses dtypes the wire format cannot carry."""
    name = str(torch_dtype).removeprefix("torch.")
    if name in NOT_YET_SUPPORTED:
        raise WorkerError(
            "problem_invalid",
            f"{what} is {name}, which is not supported yet: {NOT_YET_SUPPORTED[name]}; use float16 or float32.")
    if name not in ELEMENT_BYTES:
        raise WorkerError(
            "problem_invalid",
            f"{what} is {name}, which the ABI does not support; use one of {', '.join(ELEMENT_BYTES)}.")
    return name


def size_bytes(shape: tuple[int, ...], dtype: str) -> int:
    count = 1
    for extent in shape:
        count *= extent
    return count * ELEMENT_BYTES[dtype]


def require_numpy() -> Any:
    try:
        import numpy
    except ImportError as error:
        raise WorkerError(
            "environment",
            f"numpy is not importable in this Python ({error}); install numpy next to torch on the GPU host.") from None
    return numpy


def write_npy(path: str, tensor: Any) -> None:
    """Writes a torch tensor as a contiguous little-endian ``.npy`` (creating the folder)."""
    np = require_numpy()
    array = tensor.detach().to("cpu").contiguous().numpy()
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    if not array.flags.c_contiguous:  # not np.ascontiguousarray: it turns a 0-d tensor into shape (1,)
        array = array.copy(order="C")
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as file:
            np.save(file, array, allow_pickle=False)
    except OSError as error:
        raise WorkerError(
            "environment",
            f"could not write {path} ({array.nbytes} bytes): {error}; check that shm_dir is writable and has "
            "room for every input set (df -h /dev/shm).") from None


def read_npy(path: str) -> Any:
    """Reads a candidate's ``.npy`` as a native-byte-order C-contiguous numpy array."""
    np = require_numpy()
    try:
        array = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise bad_request(f"output file {path} does not exist; the runner must write every output before check.") from None
    except (OSError, ValueError) as error:
        raise bad_request(f"output file {path} is not a readable .npy file ({error}).") from None
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    return array if array.flags.c_contiguous else array.copy(order="C")
