"""nn.MaxPool3d (kernel 3, stride 2, padding 1) on a (batch_size, channels, depth, height, width) = (16, 32, 48, 128, 128) volume."""
import torch
import torch.nn as nn

batch_size = 16
channels = 32
depth = 48
height = 128
width = 128
kernel_size = 3
stride = 2
padding = 1


class Model(nn.Module):
    def __init__(self, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.pool = nn.MaxPool3d(kernel_size, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(batch_size, channels, depth, height, width)]


def get_init_inputs():
    return [kernel_size, stride, padding]
