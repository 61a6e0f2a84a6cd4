"""Depthwise nn.Conv2d (groups = channels = 192, 3x3 kernel, padding 1, with bias) on a (16, 192, 256, 256) NCHW input."""
import torch
import torch.nn as nn

batch_size = 16
channels = 192
height = 256
width = 256
kernel_size = 3


class Model(nn.Module):
    def __init__(self, channels: int, kernel_size: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, kernel_size, padding=kernel_size // 2, groups=channels, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels, kernel_size]
