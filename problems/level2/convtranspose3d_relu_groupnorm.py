"""ConvTranspose3d (64 -> 32, 3x3x3, stride 2, padding 1, output_padding 1) -> ReLU -> GroupNorm(8 groups), on an (8, 64, 16, 48, 48) volume."""
import torch
import torch.nn as nn

batch_size = 8
in_channels = 64
out_channels = 32
depth = 16
height = 48
width = 48
num_groups = 8


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, num_groups: int):
        super().__init__()
        self.deconv = nn.ConvTranspose3d(in_channels, out_channels, 3, stride=2, padding=1, output_padding=1)
        self.norm = nn.GroupNorm(num_groups, out_channels)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(torch.relu(self.deconv(x)))


def get_inputs():
    return [torch.randn(batch_size, in_channels, depth, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, num_groups]
