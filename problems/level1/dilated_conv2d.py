"""Dilated nn.Conv2d (64 -> 64 channels, 3x3 kernel, dilation 2, padding 2, with bias) on a (16, 64, 192, 192) NCHW input; size preserved."""
import torch
import torch.nn as nn

batch_size = 16
channels = 64
height = 192
width = 192
kernel_size = 3
dilation = 2


class Model(nn.Module):
    def __init__(self, channels: int, kernel_size: int, dilation: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, kernel_size, padding=dilation * (kernel_size // 2),
                              dilation=dilation, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels, kernel_size, dilation]
