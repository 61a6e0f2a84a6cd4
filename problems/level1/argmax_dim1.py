"""Index of the maximum (torch.argmax, int64) over dimension 1 (length 4096) of a (batch_size, dim1, dim2) tensor; result (batch_size, dim2)."""
import torch
import torch.nn as nn

batch_size = 96
dim1 = 4096
dim2 = 1024
reduce_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.argmax(x, dim=self.dim)


def get_inputs():
    return [torch.randn(batch_size, dim1, dim2)]


def get_init_inputs():
    return [reduce_dim]
