"""Softsign x / (1 + |x|) elementwise on a (rows, cols) = (32768, 8192) tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F

rows = 32768
cols = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.softsign(x)


def get_inputs():
    return [torch.randn(rows, cols)]


def get_init_inputs():
    return []
