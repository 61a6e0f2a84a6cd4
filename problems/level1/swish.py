"""Scaled swish x * sigmoid(beta * x), elementwise, with beta = 1.5, on a (batch_size, dim) tensor."""
import torch
import torch.nn as nn

batch_size = 4096
dim = 16384
beta = 1.5


class Model(nn.Module):
    def __init__(self, beta: float):
        super().__init__()
        self.beta = beta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.beta * x)


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [beta]
