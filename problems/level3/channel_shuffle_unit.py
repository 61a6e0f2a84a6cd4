"""A channel-shuffle unit: grouped 1x1 conv (3 groups), BatchNorm, ReLU, channel shuffle by view/transpose/contiguous/view, depthwise 3x3, grouped 1x1, residual add; (32, 240, 28, 28)."""
import torch
import torch.nn as nn

batch = 32
channels = 240
size = 28
groups = 3


class Model(nn.Module):
    """A channel-shuffle unit: grouped 1x1 conv, shuffle by view/transpose, depthwise 3x3, grouped 1x1, residual."""

    def __init__(self, channels, groups):
        super().__init__()
        mid = channels // 4
        self.groups = groups
        self.conv1 = nn.Conv2d(channels, mid, 1, groups=groups, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, padding=1, groups=mid, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, channels, 1, groups=groups, bias=False)
        self.bn3 = nn.BatchNorm2d(channels)

    def shuffle(self, x):
        b, c, h, w = x.size()
        return x.view(b, self.groups, c // self.groups, h, w).transpose(1, 2).contiguous().view(b, c, h, w)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(self.shuffle(out)))
        out = torch.relu(self.bn3(self.conv3(out)))
        return out + x


def get_inputs():
    return [torch.randn(batch, channels, size, size)]


def get_init_inputs():
    return [channels, groups]
