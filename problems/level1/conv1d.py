"""nn.Conv1d (64 -> 128 channels, kernel 7, padding 3, with bias) over a (batch_size, in_channels, length) = (16, 64, 16384) signal."""
import torch
import torch.nn as nn

batch_size = 16
in_channels = 64
out_channels = 128
length = 16384
kernel_size = 7
padding = 3


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, padding: int):
        super().__init__()
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size, padding=padding, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(batch_size, in_channels, length)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size, padding]
