"""Running maximum torch.cummax(x, dim=1).values along rows of length 8192 of a (batch_size, length) = (32768, 8192) tensor."""
import torch
import torch.nn as nn

batch_size = 32768
length = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cummax(x, dim=1).values


def get_inputs():
    return [torch.randn(batch_size, length)]


def get_init_inputs():
    return []
