"""Mish x * tanh(softplus(x)) elementwise on a (batch_size, seq_len, hidden) = (16, 4096, 4096) activation tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16
seq_len = 4096
hidden = 4096


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.mish(x)


def get_inputs():
    return [torch.randn(batch_size, seq_len, hidden)]


def get_init_inputs():
    return []
