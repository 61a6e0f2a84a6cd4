"""Image-stem nn.Conv2d (3 -> 64 channels, 7x7 kernel, stride 2, padding 3, no bias) on a (32, 3, 512, 512) batch; result (32, 64, 256, 256)."""
import torch
import torch.nn as nn

batch_size = 32
in_channels = 3
out_channels = 64
height = 512
width = 512
kernel_size = 7
stride = 2
padding = 3


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size, stride, padding]
