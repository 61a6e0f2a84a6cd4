"""nn.Conv2d with a non-square kernel (7, 3) and matching padding (3, 1), 32 -> 64 channels, with bias, on an (8, 32, 256, 256) input."""
import torch
import torch.nn as nn

batch_size = 8
in_channels = 32
out_channels = 64
height = 256
width = 256


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=(7, 3), padding=(3, 1), bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels]
