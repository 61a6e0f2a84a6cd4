"""Max values (no indices) over dimension 1 (length 1024) of a (batch_size, dim1, dim2) tensor; result (batch_size, dim2)."""
import torch
import torch.nn as nn

batch_size = 128
dim1 = 1024
dim2 = 512
reduce_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.max(x, dim=self.dim).values


def get_inputs():
    return [torch.randn(batch_size, dim1, dim2)]


def get_init_inputs():
    return [reduce_dim]
