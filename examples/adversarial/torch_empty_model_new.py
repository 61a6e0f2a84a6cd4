"""ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py. Format: KernelBench ModelNew.

Hole it tries: uninitialized memory. forward computes nothing and returns torch.empty_like(x), hoping that the
CUDA caching allocator hands back a block that still holds a right answer (in KernelBench, where reference and
candidate share a process, the reference's freed output). The extension runner fills the allocator's free blocks
with the poison bits 0x7FC0DEAD (a float32 NaN) before every run, so the output reads as never written: the
expected verdict is `unwritten_output` (the worker counts the poison bits); `non_finite_output` or `wrong_result`
if the block came from elsewhere. Any rejection passes the adversarial suite; acceptance is a hole.
"""
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.empty_like(x)
