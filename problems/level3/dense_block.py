"""A dense block: six layers of BatchNorm (batch statistics), ReLU and 3x3 conv (growth 32) each reading the concatenation of all earlier features, then a BatchNorm-ReLU-1x1 conv-avg-pool transition; (32, 64, 56, 56)."""
import torch
import torch.nn as nn

batch = 32
channels = 64
growth = 32
layers = 6
size = 56


class Model(nn.Module):
    """A dense block: each layer (BatchNorm, ReLU, 3x3 conv) sees the concatenation of all earlier features; then a transition."""

    def __init__(self, channels, growth, layers):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(channels + i * growth), nn.ReLU(inplace=True),
                          nn.Conv2d(channels + i * growth, growth, 3, padding=1, bias=False), nn.Dropout(0.0))
            for i in range(layers))
        total = channels + layers * growth
        self.transition = nn.Sequential(nn.BatchNorm2d(total), nn.ReLU(inplace=True),
                                        nn.Conv2d(total, total // 2, 1, bias=False), nn.AvgPool2d(2, 2))

    def forward(self, x):
        features = [x]
        for layer in self.layers:
            features.append(layer(torch.cat(features, 1)))
        return self.transition(torch.cat(features, 1))


def get_inputs():
    return [torch.randn(batch, channels, size, size)]


def get_init_inputs():
    return [channels, growth, layers]
