"""Sub-pixel upsampling: Conv2d (64 -> 256, 3x3, padding 1) -> PixelShuffle(2) -> PReLU (one learned slope per channel), on a (16, 64, 128, 128) input; result (16, 64, 256, 256)."""
import torch
import torch.nn as nn

batch_size = 16
channels = 64
height = 128
width = 128
upscale = 2


class Model(nn.Module):
    def __init__(self, channels: int, upscale: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels * upscale * upscale, 3, padding=1)
        self.shuffle = nn.PixelShuffle(upscale)
        self.act = nn.PReLU(channels)
        with torch.no_grad():
            self.act.weight.uniform_(-0.5, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.shuffle(self.conv(x)))


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels, upscale]
