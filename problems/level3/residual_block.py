"""ResNet basic block: relu(x + BN(conv3x3(relu(BN(conv3x3(x)))))) with 128 channels, batch-statistics BatchNorm, on a (16, 128, 64, 64) input."""
import torch
import torch.nn as nn

batch_size = 16
channels = 128
height = 64
width = 64


def batch_norm(channels: int) -> nn.BatchNorm2d:
    norm = nn.BatchNorm2d(channels, track_running_stats=False)
    with torch.no_grad():
        norm.weight.normal_(mean=1.0, std=0.3)
        norm.bias.normal_(mean=0.0, std=0.3)
    return norm


class Model(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = batch_norm(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = batch_norm(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(x + y)


def get_inputs():
    return [torch.randn(batch_size, channels, height, width)]


def get_init_inputs():
    return [channels]
