"""Sign-preserving power sign(x) * |x| ** 0.75, elementwise on a (batch_size, dim) = (8192, 32768) tensor."""
import torch
import torch.nn as nn

batch_size = 8192
dim = 32768
exponent = 0.75


class Model(nn.Module):
    def __init__(self, exponent: float):
        super().__init__()
        self.exponent = exponent

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sign(x) * torch.abs(x).pow(self.exponent)


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [exponent]
