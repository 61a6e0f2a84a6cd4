"""Hyperbolic tangent torch.tanh applied elementwise to a (batch_size, dim) tensor, batch_size 8192, dim 32768."""
import torch
import torch.nn as nn

batch_size = 8192
dim = 32768


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x)


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
