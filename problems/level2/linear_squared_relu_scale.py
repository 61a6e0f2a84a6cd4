"""Squared-ReLU feed-forward up-projection: Linear (2048 -> 8192) -> relu -> square -> multiply by 2, on (4096, 2048) tokens."""
import torch
import torch.nn as nn

num_tokens = 4096
hidden = 2048
expanded = 8192
scale = 2.0


class Model(nn.Module):
    def __init__(self, hidden: int, expanded: int, scale: float):
        super().__init__()
        self.up = nn.Linear(hidden, expanded)
        self.scale = scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.up(x)).square() * self.scale


def get_inputs():
    return [torch.randn(num_tokens, hidden)]


def get_init_inputs():
    return [hidden, expanded, scale]
