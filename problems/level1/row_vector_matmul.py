"""A one-row matrix times a matrix, the second stored transposed as nn.Linear stores its weight: x (1, K) @ W.T with
W (N, K) = (24576, 16384), no bias; result (1, N)."""
import torch
import torch.nn as nn

K = 16384
N = 24576


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
        return x @ W.t()


def get_inputs():
    return [torch.randn(1, K), torch.randn(N, K)]


def get_init_inputs():
    return []
