"""Suffix sum (cumsum from the end) along dim 1, written as flip -> cumsum -> flip, on a (batch_size, length) = (32768, 8192) tensor."""
import torch
import torch.nn as nn

batch_size = 32768
length = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.flip(torch.cumsum(torch.flip(x, dims=[1]), dim=1), dims=[1])


def get_inputs():
    return [torch.randn(batch_size, length)]


def get_init_inputs():
    return []
