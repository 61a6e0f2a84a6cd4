"""nn.ConvTranspose1d upsampling by 2 (256 -> 128 channels, kernel 4, stride 2, padding 1, with bias) on a (32, 256, 4096) signal; result length 8192."""
import torch
import torch.nn as nn

batch_size = 32
in_channels = 256
out_channels = 128
length = 4096
kernel_size = 4
stride = 2
padding = 1


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.deconv = nn.ConvTranspose1d(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                                         bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.deconv(x)


def get_inputs():
    return [torch.randn(batch_size, in_channels, length)]


def get_init_inputs():
    return [in_channels, out_channels, kernel_size, stride, padding]
