"""Decoder step: Conv2d (32 -> 16, 3x3, padding 1) -> bilinear upsampling by 2 (align_corners=False, as F.interpolate
defaults) -> ReLU, on a (16, 32, 128, 128) input; result (16, 16, 256, 256)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16
in_channels = 32
out_channels = 16
height = 128
width = 128


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.interpolate(self.conv(x), scale_factor=2.0, mode="bilinear", align_corners=False)
        return torch.relu(y)


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels]
