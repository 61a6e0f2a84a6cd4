"""nn.MaxPool2d (kernel 3, stride 2, padding 1) on a (batch_size, channels, height, width) = (64, 64, 256, 256) feature map; result 128x128."""
import torch
import torch.nn as nn

batch_size = 64
channels = 64
height = 256
width = 256
kernel_size = 3
stride = 2
padding = 1


class Model(nn.Module):
    def __init__(self, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.pool = nn.MaxPool2d(kernel_size, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [kernel_size, stride, padding]
