"""Softmax over dimension 1 (length 64, strided) of a (batch_size, channels, positions) = (128, 64, 32768) tensor, scaled by channels so outputs average 1."""
import torch
import torch.nn as nn

batch_size = 128
channels = 64
positions = 32768


class Model(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.scale = float(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(x, dim=1) * self.scale


def get_inputs():
    return [torch.randn(batch_size, channels, positions)]


def get_init_inputs():
    return [channels]
