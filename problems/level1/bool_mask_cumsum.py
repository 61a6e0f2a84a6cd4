"""Prefix sum along dim 1 of x where a given bool mask keeps elements (x * mask, then cumsum); x and mask are (batch_size, length) = (16384, 8192), the mask a bool input tensor."""
import torch
import torch.nn as nn

batch_size = 16384
length = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return torch.cumsum(x * mask, dim=1)


def get_inputs():
    return [torch.randn(batch_size, length), torch.rand(batch_size, length) < 0.5]


def get_init_inputs():
    return []
