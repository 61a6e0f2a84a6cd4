"""nn.AvgPool3d with an anisotropic window (kernel (2, 3, 3), stride 2, padding (0, 1, 1)) on a (16, 32, 48, 128, 128) volume."""
import torch
import torch.nn as nn

batch_size = 16
channels = 32
depth = 48
height = 128
width = 128


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AvgPool3d(kernel_size=(2, 3, 3), stride=2, padding=(0, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(batch_size, channels, depth, height, width)]


def get_init_inputs():
    return []
