"""Conv2d (64 -> 64, 3x3, padding 1) -> Hardtanh(-1, 1) -> multiply by a learned per-channel scale -> sigmoid, on a (16, 64, 160, 160) input."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16
channels = 64
height = 160
width = 160


class Model(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.channel_scale = nn.Parameter(3.0 * torch.randn(channels, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(F.hardtanh(self.conv(x)) * self.channel_scale)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels]
