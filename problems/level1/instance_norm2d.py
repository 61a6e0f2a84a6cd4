"""nn.InstanceNorm2d (per-sample, per-channel statistics over H x W) with learnable affine, on a (32, 128, 256, 256) NCHW tensor."""
import torch
import torch.nn as nn

batch_size = 32
channels = 128
height = 256
width = 256


class Model(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.norm = nn.InstanceNorm2d(channels, eps=1e-5, affine=True)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels]
