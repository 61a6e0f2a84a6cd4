"""nn.Conv3d (16 -> 32 channels, 3x3x3 kernel, padding 1, with bias) on a (batch_size, 16, depth, height, width) = (4, 16, 32, 96, 96) volume."""
import torch
import torch.nn as nn

batch_size = 4
in_channels = 16
out_channels = 32
depth = 32
height = 96
width = 96
kernel_size = 3


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int):
        super().__init__()
        self.conv = nn.Conv3d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, in_channels, depth, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size]
