"""Conv3x3 (128 -> 128) -> squeeze-excitation (global average pool, Linear 128 -> 8, ReLU, Linear 8 -> 128, sigmoid, channel rescale) -> + x -> ReLU, on (32, 128, 64, 64)."""
import torch
import torch.nn as nn

batch_size = 32
channels = 128
height = 64
width = 64
reduction = 16


class Model(nn.Module):
    def __init__(self, channels: int, reduction: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.squeeze = nn.Linear(channels, channels // reduction)
        self.excite = nn.Linear(channels // reduction, channels)
        # Larger-than-default weights so that the gates spread over (0, 1) instead of sitting near 0.5.
        with torch.no_grad():
            self.squeeze.weight.normal_(std=3.0 / channels ** 0.5)
            self.excite.weight.normal_(std=3.0 / (channels // reduction) ** 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        pooled = y.mean(dim=(2, 3))
        gates = torch.sigmoid(self.excite(torch.relu(self.squeeze(pooled))))
        return torch.relu(x + y * gates[:, :, None, None])


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels, reduction]
