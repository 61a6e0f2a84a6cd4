"""Inclusive prefix sum torch.cumsum(x, dim=1) along the rows (length 8192) of a (batch_size, dim) tensor."""
import torch
import torch.nn as nn

batch_size = 8192
dim = 8192
scan_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cumsum(x, dim=self.dim)


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [scan_dim]
