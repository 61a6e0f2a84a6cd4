"""ReLU on 1M float32 elements: a deliberately small problem for measuring evaluation throughput (candidates/hour)."""
import torch
import torch.nn as nn

rows = 1024
cols = 1024


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)


def get_inputs():
    return [torch.randn(rows, cols)]


def get_init_inputs():
    return []
