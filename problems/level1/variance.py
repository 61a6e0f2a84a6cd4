"""Unbiased variance over dimension 1 (length 512) of a (batch_size, channels, length) = (192, 512, 4096) tensor; result (192, 4096)."""
import torch
import torch.nn as nn

batch_size = 192
channels = 512
length = 4096
reduce_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.var(x, dim=self.dim, unbiased=True)


def get_inputs():
    return [torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return [reduce_dim]
