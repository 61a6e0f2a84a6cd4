"""Hardswish x * relu6(x + 3) / 6 on inputs scaled by 2.5 (so the piecewise ends are exercised), on a (16384, 16384) tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F

rows = 16384
cols = 16384
input_scale = 2.5


class Model(nn.Module):
    def __init__(self, input_scale: float):
        super().__init__()
        self.input_scale = input_scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.hardswish(self.input_scale * x)


def get_inputs():
    return [torch.randn(rows, cols)]


def get_init_inputs():
    return [input_scale]
