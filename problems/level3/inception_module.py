"""An inception module: 1x1; 1x1 then 3x3; 1x1 then 5x5; 3x3 max pool (stride 1, padding 1) then 1x1, concatenated on channels, ReLU; (32, 192, 28, 28)."""
import torch
import torch.nn as nn

batch = 32
channels = 192
size = 28


class Model(nn.Module):
    """Four parallel branches (1x1; 1x1 then 3x3; 1x1 then 5x5; 3x3 max pool then 1x1) concatenated on channels."""

    def __init__(self, channels):
        super().__init__()
        self.b1 = nn.Conv2d(channels, 32, 1)
        self.b2 = nn.Sequential(nn.Conv2d(channels, 24, 1), nn.ReLU(), nn.Conv2d(24, 48, 3, padding=1))
        self.b3 = nn.Sequential(nn.Conv2d(channels, 8, 1), nn.ReLU(), nn.Conv2d(8, 16, 5, padding=2))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(channels, 16, 1))

    def forward(self, x):
        return torch.relu(torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1))


def get_inputs():
    return [torch.randn(batch, channels, size, size)]


def get_init_inputs():
    return [channels]
