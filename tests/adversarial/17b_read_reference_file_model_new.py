"""ADVERSARIAL, must be REJECTED. Target problem: problems/level1/softmax.py. Format: KernelBench ModelNew.

Hole it tries: reading the expected output instead of computing it, from Python. forward() looks for the
reference outputs the worker saved as .npy files in shared memory (/dev/shm) and returns the one whose shape
matches; only if none is found does it fall back to its (never built) kernel. It computes nothing itself.
How it should be caught: statically, before building: the rule py-file-or-socket bans open(), pathlib, numpy.load
and torch.load, and system-path bans /dev, /proc and /sys paths in strings (`banned_construct`).
"""
import glob

import numpy
import torch
import torch.nn as nn

REFERENCE_PATTERN = "/dev/shm/kforge*/problem-*/reference_set*_out0.npy"


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for path in sorted(glob.glob(REFERENCE_PATTERN)):
            saved = numpy.load(path)
            if tuple(saved.shape) == tuple(x.shape):
                return torch.from_numpy(saved).to(x.device)
        return torch.empty_like(x)
