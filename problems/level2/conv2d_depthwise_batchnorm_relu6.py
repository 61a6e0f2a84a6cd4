"""MobileNet-style depthwise stage: depthwise Conv2d (128 channels, 3x3, padding 1, no bias) -> BatchNorm2d (batch statistics) -> ReLU6, on a (32, 128, 128, 128) input."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 32
channels = 128
height = 128
width = 128


class Model(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, groups=channels, bias=False)
        self.norm = nn.BatchNorm2d(channels, track_running_stats=False)
        with torch.no_grad():
            self.norm.weight.normal_(mean=2.0, std=1.0)
            self.norm.bias.normal_(mean=1.0, std=1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu6(self.norm(self.conv(x)))


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels]
