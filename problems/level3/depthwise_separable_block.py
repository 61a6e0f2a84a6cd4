"""Depthwise-separable conv block: depthwise 3x3 -> BN -> ReLU6 -> pointwise 1x1 (128 -> 256) -> BN -> ReLU6, batch statistics, on a (32, 128, 112, 112) input."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 32
in_channels = 128
out_channels = 256
height = 112
width = 112


def batch_norm(channels: int) -> nn.BatchNorm2d:
    norm = nn.BatchNorm2d(channels, track_running_stats=False)
    with torch.no_grad():
        norm.weight.normal_(mean=1.0, std=0.3)
        norm.bias.normal_(mean=0.5, std=0.3)
    return norm


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, 3, padding=1, groups=in_channels, bias=False)
        self.bn1 = batch_norm(in_channels)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.bn2 = batch_norm(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu6(self.bn1(self.depthwise(x)))
        return F.relu6(self.bn2(self.pointwise(y)))


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels]
