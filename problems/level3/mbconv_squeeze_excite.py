"""An inverted residual with squeeze-excitation: 1x1 expand (x6), BatchNorm, ReLU6, depthwise 3x3 stride 2, BatchNorm, SiLU, SE gate (adaptive avg pool, two 1x1 convs, sigmoid), 1x1 project, BatchNorm; (32, 32, 112, 112)."""
import torch
import torch.nn as nn

batch = 32
channels = 32
size = 112
expand = 6


class Model(nn.Module):
    """An inverted residual with squeeze-excitation: 1x1 expand, depthwise 3x3 stride 2, SE gate, 1x1 project."""

    def __init__(self, channels, expand):
        super().__init__()
        hidden = channels * expand
        self.expand = nn.Sequential(nn.Conv2d(channels, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6(inplace=True))
        self.depthwise = nn.Sequential(nn.Conv2d(hidden, hidden, 3, stride=2, padding=1, groups=hidden, bias=False),
                                       nn.BatchNorm2d(hidden), nn.SiLU())
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(hidden, hidden // 24, 1), nn.SiLU(),
                                nn.Conv2d(hidden // 24, hidden, 1), nn.Sigmoid())
        self.project = nn.Sequential(nn.Conv2d(hidden, 2 * channels, 1, bias=False), nn.BatchNorm2d(2 * channels))

    def forward(self, x):
        h = self.depthwise(self.expand(x))
        return self.project(h * self.se(h))


def get_inputs():
    return [torch.randn(batch, channels, size, size)]


def get_init_inputs():
    return [channels, expand]
