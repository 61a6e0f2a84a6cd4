"""Batched matrix product torch.bmm(A, B): (batch_size, m, k) @ (batch_size, k, n) -> (batch_size, m, n)."""
import torch
import torch.nn as nn

batch_size = 32
m = 1024
k = 1024
n = 1024


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.bmm(A, B)


def get_inputs():
    return [torch.randn(batch_size, m, k), torch.randn(batch_size, k, n)]


def get_init_inputs():
    return []
