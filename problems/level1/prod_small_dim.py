"""Product over a short middle dimension (length 8) of a (batch_size, factors, dim) tensor; result (batch_size, dim)."""
import torch
import torch.nn as nn

batch_size = 6144
factors = 8
dim = 8192
reduce_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.prod(x, dim=self.dim)


def get_inputs():
    return [torch.randn(batch_size, factors, dim)]


def get_init_inputs():
    return [reduce_dim]
