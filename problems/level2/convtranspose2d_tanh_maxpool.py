"""ConvTranspose2d (128 -> 64, 3x3, stride 2, padding 1, output_padding 1) -> add 0.25 -> tanh -> MaxPool2d(3, stride 2, padding 1), on a (16, 128, 128, 128) input."""
import torch
import torch.nn as nn

batch_size = 16
in_channels = 128
out_channels = 64
height = 128
width = 128
offset = 0.25


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, offset: float):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(in_channels, out_channels, 3, stride=2, padding=1, output_padding=1)
        self.offset = offset
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(torch.tanh(self.deconv(x) + self.offset))


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, offset]
