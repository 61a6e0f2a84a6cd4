"""Facts about the GPU host for ``hello``: every probe is optional and a missing fact is ``None``, never zero.

Sources, in order of preference: torch (device properties), NVML through nvidia-ml-py (driver, clocks),
``nvidia-smi`` (the same, when nvidia-ml-py is absent), and the CUDA driver library through ctypes
(L2 size and SM count without torch). Nothing here may raise: a probe that fails is logged to stderr.
"""

from __future__ import annotations

import ctypes
import logging
import os
import platform
import socket
import subprocess
from dataclasses import replace
from typing import Any

from .errors import WorkerError
from .protocol import Environment

log = logging.getLogger(__name__)

_NVIDIA_SMI_FIELDS = "name,compute_cap,driver_version,clocks.sm,clocks.max.sm,clocks.mem"
_NVIDIA_SMI_TIMEOUT_SECONDS = 10
# CUdevice_attribute values from cuda.h; stable since CUDA 5.
_CU_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16
_CU_ATTRIBUTE_L2_CACHE_SIZE = 38
_CU_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75
_CU_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76


def require_torch() -> Any:
    """Imports torch or raises an ``environment`` error that says how to install it."""
    try:
        import torch
    except ImportError as error:
        raise WorkerError(
            "environment",
            f"torch is not importable in this Python ({error}); install a CUDA build of torch on the GPU host, "
            "e.g. `pip install 'kforge-worker[gpu]'`, and start the worker with that interpreter.") from None
    return torch


def require_cuda(torch: Any, device: str) -> None:
    """Raises an ``environment`` error unless ``device`` is a CUDA device torch can use."""
    if not device.startswith("cuda"):
        return
    if not torch.cuda.is_available():
        raise WorkerError(
            "environment",
            f"device {device!r} was requested but torch {torch.__version__} sees no CUDA device "
            f"(torch.version.cuda={torch.version.cuda}); check nvidia-smi and CUDA_VISIBLE_DEVICES.")


def collect_environment() -> Environment:
    """Everything the hello response reports about this host, for the first visible GPU."""
    facts = Environment(
        gpu_name=None, compute_capability=None, driver_version=None, torch_version=None, torch_cuda_version=None,
        python_version=platform.python_version(), sm_clock_mhz=None, max_sm_clock_mhz=None,
        memory_clock_mhz=None, l2_cache_bytes=None, multiprocessor_count=None, hostname=_hostname())
    for probe in (_from_torch, _from_nvml, _from_nvidia_smi, _from_cuda_driver):
        try:
            facts = probe(facts)
        except Exception as error:  # a probe is best effort: hello must answer even on a broken host
            log.warning("environment probe %s failed: %s: %s", probe.__name__, type(error).__name__, error)
    return facts


def l2_cache_bytes(torch: Any, device: str) -> int | None:
    """L2 size of ``device`` from torch, else from the CUDA driver; ``None`` when neither knows."""
    properties = torch.cuda.get_device_properties(torch.device(device))
    size = getattr(properties, "L2_cache_size", None)
    if isinstance(size, int) and size > 0:
        return size
    return _cuda_driver_attributes().get("l2")


def _hostname() -> str | None:
    try:
        return socket.gethostname() or None
    except OSError:
        return None


def _missing(facts: Environment, *names: str) -> bool:
    return any(getattr(facts, name) is None for name in names)


def _from_torch(facts: Environment) -> Environment:
    try:
        import torch
    except ImportError as error:
        log.warning("torch is not importable (%s); torch facts in hello are null", error)
        return facts
    facts = replace(facts, torch_version=str(torch.__version__), torch_cuda_version=torch.version.cuda)
    if not torch.cuda.is_available():
        log.warning("torch %s sees no CUDA device", torch.__version__)
        return facts
    properties = torch.cuda.get_device_properties(0)
    l2 = getattr(properties, "L2_cache_size", None)
    return replace(
        facts,
        gpu_name=properties.name,
        compute_capability=f"{properties.major}.{properties.minor}",
        multiprocessor_count=int(properties.multi_processor_count),
        l2_cache_bytes=int(l2) if isinstance(l2, int) and l2 > 0 else None)


def _from_nvml(facts: Environment) -> Environment:
    try:
        import pynvml
    except ImportError:
        log.info("nvidia-ml-py is not installed; trying nvidia-smi for driver and clocks")
        return facts
    pynvml.nvmlInit()
    try:
        handle = _nvml_handle(pynvml)
        major, minor = pynvml.nvmlDeviceGetCudaComputeCapability(handle)
        return replace(
            facts,
            gpu_name=facts.gpu_name or _text(pynvml.nvmlDeviceGetName(handle)),
            compute_capability=facts.compute_capability or f"{major}.{minor}",
            driver_version=_text(pynvml.nvmlSystemGetDriverVersion()),
            sm_clock_mhz=int(pynvml.nvmlDeviceGetClockInfo(handle, pynvml.NVML_CLOCK_SM)),
            max_sm_clock_mhz=int(pynvml.nvmlDeviceGetMaxClockInfo(handle, pynvml.NVML_CLOCK_SM)),
            memory_clock_mhz=int(pynvml.nvmlDeviceGetClockInfo(handle, pynvml.NVML_CLOCK_MEM)))
    finally:
        pynvml.nvmlShutdown()


def _nvml_handle(pynvml: Any) -> Any:
    # NVML ignores CUDA_VISIBLE_DEVICES, so map CUDA's device 0 to NVML's view by hand.
    first = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0].strip()
    if first.startswith("GPU-"):
        return pynvml.nvmlDeviceGetHandleByUUID(first)
    return pynvml.nvmlDeviceGetHandleByIndex(int(first) if first.isdigit() else 0)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _from_nvidia_smi(facts: Environment) -> Environment:
    if not _missing(facts, "gpu_name", "driver_version", "sm_clock_mhz", "max_sm_clock_mhz", "memory_clock_mhz"):
        return facts
    first = os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",")[0].strip()
    command = ["nvidia-smi", f"--query-gpu={_NVIDIA_SMI_FIELDS}", "--format=csv,noheader,nounits"]
    if first:
        command.append(f"--id={first}")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=_NVIDIA_SMI_TIMEOUT_SECONDS,
                                check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        log.info("nvidia-smi is not usable (%s); driver and clocks in hello are null", error)
        return facts
    if result.returncode != 0 or not result.stdout.strip():
        log.info("nvidia-smi exited %d: %s", result.returncode, result.stderr.strip())
        return facts
    return merge_nvidia_smi(facts, result.stdout.strip().splitlines()[0])


def merge_nvidia_smi(facts: Environment, csv_line: str) -> Environment:
    """Fills facts still unknown from one ``nvidia-smi --query-gpu`` CSV line (fields as _NVIDIA_SMI_FIELDS)."""
    cells = [cell.strip() for cell in csv_line.split(",")]
    if len(cells) != len(_NVIDIA_SMI_FIELDS.split(",")):
        log.info("unexpected nvidia-smi line %r", csv_line)
        return facts
    name, capability, driver, sm_clock, max_sm_clock, memory_clock = (_known(cell) for cell in cells)
    return replace(
        facts,
        gpu_name=facts.gpu_name or name,
        compute_capability=facts.compute_capability or capability,
        driver_version=facts.driver_version or driver,
        sm_clock_mhz=facts.sm_clock_mhz if facts.sm_clock_mhz is not None else _int(sm_clock),
        max_sm_clock_mhz=facts.max_sm_clock_mhz if facts.max_sm_clock_mhz is not None else _int(max_sm_clock),
        memory_clock_mhz=facts.memory_clock_mhz if facts.memory_clock_mhz is not None else _int(memory_clock))


def _known(cell: str) -> str | None:
    return None if not cell or cell.startswith("[") or cell.lower() in ("n/a", "unknown") else cell


def _int(cell: str | None) -> int | None:
    try:
        return int(float(cell)) if cell is not None else None
    except ValueError:
        return None


def _from_cuda_driver(facts: Environment) -> Environment:
    if not _missing(facts, "l2_cache_bytes", "multiprocessor_count", "compute_capability"):
        return facts
    attributes = _cuda_driver_attributes()
    capability = None
    if "major" in attributes and "minor" in attributes:
        capability = f"{attributes['major']}.{attributes['minor']}"
    return replace(
        facts,
        l2_cache_bytes=facts.l2_cache_bytes if facts.l2_cache_bytes is not None else attributes.get("l2"),
        multiprocessor_count=facts.multiprocessor_count if facts.multiprocessor_count is not None else attributes.get("sms"),
        compute_capability=facts.compute_capability or capability)


def _cuda_driver_attributes() -> dict[str, int]:
    """Device 0's attributes from libcuda (no context is created); empty when there is no driver."""
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return {}
    if cuda.cuInit(0) != 0:
        return {}
    device = ctypes.c_int()
    if cuda.cuDeviceGet(ctypes.byref(device), 0) != 0:
        return {}
    found: dict[str, int] = {}
    for key, code in (("sms", _CU_ATTRIBUTE_MULTIPROCESSOR_COUNT), ("l2", _CU_ATTRIBUTE_L2_CACHE_SIZE),
                      ("major", _CU_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                      ("minor", _CU_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)):
        value = ctypes.c_int()
        if cuda.cuDeviceGetAttribute(ctypes.byref(value), code, device) == 0:
            found[key] = value.value
    return found
