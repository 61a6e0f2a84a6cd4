"""nn.AvgPool1d (kernel 8, stride 4, padding 2, padding counted) over a (batch_size, channels, length) = (64, 128, 32768) signal."""
import torch
import torch.nn as nn

batch_size = 64
channels = 128
length = 32768
kernel_size = 8
stride = 4
padding = 2


class Model(nn.Module):
    def __init__(self, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.pool = nn.AvgPool1d(kernel_size, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return [kernel_size, stride, padding]
