"""torch.diag(d) @ B, a diagonal matrix built from d (N,) times B (N, M), N = 4096, M = 8192; equal to scaling row i of B by d[i]."""
import torch
import torch.nn as nn

N = 4096
M = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, d: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.diag(d) @ B


def get_inputs():
    return [torch.randn(N), torch.randn(N, M)]


def get_init_inputs():
    return []
