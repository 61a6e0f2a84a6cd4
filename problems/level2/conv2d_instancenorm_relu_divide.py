"""Conv2d (32 -> 64, 5x5, padding 2, no bias) -> InstanceNorm2d (affine) -> ReLU -> divide by 1.5, on a (16, 32, 128, 128) input."""
import torch
import torch.nn as nn

batch_size = 16
in_channels = 32
out_channels = 64
height = 128
width = 128
divisor = 1.5


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, divisor: float):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 5, padding=2, bias=False)
        self.norm = nn.InstanceNorm2d(out_channels, affine=True)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)
        self.divisor = divisor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.norm(self.conv(x))) / self.divisor


def get_inputs():
    return [torch.randn(batch_size, in_channels, height, width)]


def get_init_inputs():
    return [in_channels, out_channels, divisor]
