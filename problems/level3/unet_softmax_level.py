"""One U-Net level: double conv with BatchNorm and a softmax over width, 2x2 max pool, bottleneck, 2x2 transposed conv up, skip concatenation, double conv, 1x1 conv to 3 channels; (8, 32, 128, 128)."""
import torch
import torch.nn as nn

batch = 8
channels = 32
size = 128


class Model(nn.Module):
    """One U-Net level: double conv with BatchNorm and softmax over width, max pool, bottleneck, transposed conv up, skip concat."""

    def __init__(self, channels):
        super().__init__()
        def double(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.Softmax(dim=-1),
                                 nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.Softmax(dim=-1))
        self.down = double(channels, 2 * channels)
        self.pool = nn.MaxPool2d(2)
        self.bottom = double(2 * channels, 4 * channels)
        self.up = nn.ConvTranspose2d(4 * channels, 2 * channels, 2, stride=2)
        self.out = double(4 * channels, 2 * channels)
        self.final = nn.Conv2d(2 * channels, 3, 1)

    def forward(self, x):
        skip = self.down(x)
        y = self.up(self.bottom(self.pool(skip)))
        return self.final(self.out(torch.cat([y, skip], dim=1)))


def get_inputs():
    return [torch.randn(batch, channels, size, size)]


def get_init_inputs():
    return [channels]
