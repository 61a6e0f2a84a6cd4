"""Strided Conv2d (48 -> 128, 3x3, stride 2, padding 1) -> scale by 2 -> swish -> clamp to [-0.2, 1.5] -> AvgPool2d(3, stride 1, padding 1), on a (16, 48, 256, 256) input."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16
in_channels = 48
out_channels = 128
height = 256
width = 256


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, stride=2, padding=1)
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = 2.0 * self.conv(x)
        return self.pool(torch.clamp(F.silu(y), min=-0.2, max=1.5))


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels]
