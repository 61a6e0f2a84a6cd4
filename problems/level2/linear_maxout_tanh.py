"""Maxout layer: Linear (2048 -> 4096) -> max over groups of 4 consecutive outputs -> tanh, on (8192, 2048); result (8192, 1024)."""
import torch
import torch.nn as nn

batch_size = 8192
in_features = 2048
units = 1024
pieces = 4


class Model(nn.Module):
    def __init__(self, in_features: int, units: int, pieces: int):
        super().__init__()
        self.linear = nn.Linear(in_features, units * pieces)
        self.pieces = pieces

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear(x)
        return torch.tanh(y.view(y.shape[0], -1, self.pieces).amax(dim=-1))


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, units, pieces]
