"""ConvTranspose1d (256 -> 128, kernel 4, stride 2, padding 1) -> ReLU -> BatchNorm1d (batch statistics, affine), on a (32, 256, 4096) sequence; result (32, 128, 8192)."""
import torch
import torch.nn as nn

batch_size = 32
in_channels = 256
out_channels = 128
length = 4096


class Model(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.deconv = nn.ConvTranspose1d(in_channels, out_channels, 4, stride=2, padding=1)
        self.norm = nn.BatchNorm1d(out_channels, track_running_stats=False)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(torch.relu(self.deconv(x)))


def get_inputs():
    return [torch.randn(batch_size, in_channels, length)]


def get_init_inputs():
    return [in_channels, out_channels]
