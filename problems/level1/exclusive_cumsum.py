"""Exclusive prefix sum along dim 1 (out[:, 0] = 0, out[:, j] = sum of x[:, :j]) of a (batch_size, length) = (32768, 8192) tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 32768
length = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(torch.cumsum(x[:, :-1], dim=1), (1, 0))


def get_inputs():
    return [torch.randn(batch_size, length)]


def get_init_inputs():
    return []
