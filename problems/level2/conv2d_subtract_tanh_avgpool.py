"""Conv2d (48 -> 96, 3x3, padding 1) -> subtract 0.3 -> tanh -> AvgPool2d(2) on a (32, 48, 128, 128) input; result (32, 96, 64, 64)."""
import torch
import torch.nn as nn

batch_size = 32
in_channels = 48
out_channels = 96
height = 128
width = 128
shift = 0.3


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, shift: float):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.shift = shift
        self.pool = nn.AvgPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(torch.tanh(self.conv(x) - self.shift))


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, shift]
