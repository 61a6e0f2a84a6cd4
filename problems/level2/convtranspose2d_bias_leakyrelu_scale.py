"""ConvTranspose2d (128 -> 64, 4x4, stride 2, padding 1, no bias) -> add a learned per-channel bias -> LeakyReLU(0.1) -> multiply by 2, on (16, 128, 64, 64)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16
in_channels = 128
out_channels = 64
height = 64
width = 64
multiplier = 2.0


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, multiplier: float):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(in_channels, out_channels, 4, stride=2, padding=1, bias=False)
        self.channel_bias = nn.Parameter(0.5 * torch.randn(out_channels, 1, 1))
        self.multiplier = multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.deconv(x) + self.channel_bias
        return F.leaky_relu(y, negative_slope=0.1) * self.multiplier


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, multiplier]
