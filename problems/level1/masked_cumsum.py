"""Gated prefix sum: cumsum along dim 1 of x with elements zeroed where gate <= 0; x and gate are (batch_size, length) = (16384, 8192)."""
import torch
import torch.nn as nn

batch_size = 16384
length = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor, gate: torch.Tensor) -> torch.Tensor:
        return torch.cumsum(x.masked_fill(gate <= 0, 0.0), dim=1)


def get_inputs():
    return [torch.randn(batch_size, length), torch.randn(batch_size, length)]


def get_init_inputs():
    return []
