"""Mean over the last dimension (length 4096) of a (batch_size, dim) tensor; result (batch_size,)."""
import torch
import torch.nn as nn

batch_size = 16384
dim = 4096
reduce_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.mean(x, dim=self.dim)


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [reduce_dim]
