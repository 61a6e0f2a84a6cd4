"""Grouped nn.Conv2d (256 -> 512 channels in 4 groups, 3x3 kernel, padding 1, no bias) on a (16, 256, 96, 96) NCHW input."""
import torch
import torch.nn as nn

batch_size = 16
in_channels = 256
out_channels = 512
height = 96
width = 96
kernel_size = 3
groups = 4


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, groups: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, groups=groups,
                              bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size, groups]
