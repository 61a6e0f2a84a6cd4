"""Embedding head: Linear (2048 -> 1024) -> L2-normalize each row -> multiply by a learned temperature (init 32), on (16384, 2048) features."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16384
in_features = 2048
embed_dim = 1024


class Model(nn.Module):
    def __init__(self, in_features: int, embed_dim: int):
        super().__init__()
        self.linear = nn.Linear(in_features, embed_dim)
        self.temperature = nn.Parameter(torch.tensor(float(embed_dim) ** 0.5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.linear(x), p=2.0, dim=-1) * self.temperature


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, embed_dim]
