"""nn.MaxPool1d (kernel 4, stride 2, padding 1) over a (batch_size, channels, length) = (64, 128, 32768) signal; result length 16384."""
import torch
import torch.nn as nn

batch_size = 64
channels = 128
length = 32768
kernel_size = 4
stride = 2
padding = 1


class Model(nn.Module):
    def __init__(self, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.pool = nn.MaxPool1d(kernel_size, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return [kernel_size, stride, padding]
