"""Conv3d (8 -> 32, 3x3x3, padding 1) -> LeakyReLU(0.2) -> sum over the channel dimension, on an (8, 8, 64, 96, 96) volume; result (8, 64, 96, 96)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 8
in_channels = 8
out_channels = 32
depth = 64
height = 96
width = 96


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv = nn.Conv3d(in_channels, out_channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(self.conv(x), negative_slope=0.2).sum(dim=1)


def get_inputs():
    return [torch.randn(batch_size, in_channels, depth, height, width)]


def get_init_inputs():
    return [in_channels, out_channels]
