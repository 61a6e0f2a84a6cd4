"""nn.GroupNorm (16 groups over 256 channels) with learnable affine, on a (32, 256, 128, 128) NCHW tensor."""
import torch
import torch.nn as nn

batch_size = 32
channels = 256
height = 128
width = 128
num_groups = 16


class Model(nn.Module):
    def __init__(self, num_groups: int, channels: int):
        super().__init__()
        self.norm = nn.GroupNorm(num_groups, channels, eps=1e-5, affine=True)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [num_groups, channels]
