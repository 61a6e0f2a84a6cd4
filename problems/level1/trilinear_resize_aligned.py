"""Trilinear resize of a volume to a fixed size with align_corners=True: (8, 16, 24, 48, 48) -> (8, 16, 40, 64, 80)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 8
channels = 16
depth = 24
height = 48
width = 48
out_depth = 40
out_height = 64
out_width = 80


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, size=(out_depth, out_height, out_width), mode="trilinear", align_corners=True)


def get_inputs():
    return [torch.randn(batch_size, channels, depth, height, width)]


def get_init_inputs():
    return []
