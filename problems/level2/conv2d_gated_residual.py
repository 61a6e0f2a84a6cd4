"""Gated convolution with residual: x + a * sigmoid(g) where (a, g) = Conv2d(64 -> 128, 3x3, padding 1)(x) split by channel, on a (16, 64, 128, 128) input."""
import torch
import torch.nn as nn

batch_size = 16
channels = 64
height = 128
width = 128


class Model(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, 2 * channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, g = self.conv(x).chunk(2, dim=1)
        return x + a * torch.sigmoid(g)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels]
