"""Matrix times a Python number passed among the inputs (C = A * s, s = 3.14): the scalar is the same for every input
set, so it is part of the problem rather than an ABI input. (M, N) = (16384, 4096)."""
import torch
import torch.nn as nn

M = 16384
N = 4096


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, s: float) -> torch.Tensor:
        return A * s


def get_inputs():
    A = torch.randn(M, N)
    s = 3.14
    return [A, s]


def get_init_inputs():
    return []
