"""ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py. Format: KernelBench ModelNew.

Hole it tries: patching the timer from Python. Importing the module replaces torch.cuda.Event.elapsed_time with a
function that reports a microsecond, so a harness that times candidates with torch.cuda.Event in the same process
(KernelBench) reads a 1000x speedup. The relu itself is honest (torch.relu, a fallback, is the least of it).
How it should be caught: statically, before building: the rule py-monkeypatch bans assigning to attributes of
modules (`banned_construct`). The extension runner also times with its own events, not the candidate's torch.
"""
import torch
import torch.nn as nn


def _fast_elapsed_time(self, end_event):
    return 0.001


torch.cuda.Event.elapsed_time = _fast_elapsed_time


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)
