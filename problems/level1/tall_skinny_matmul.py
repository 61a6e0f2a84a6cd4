"""Tall-skinny product A @ B with A of shape (M, K) = (262144, 1024) and B of shape (K, N) = (1024, 128)."""
import torch
import torch.nn as nn

M = 262144
K = 1024
N = 128


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A, B)


def get_inputs():
    return [torch.randn(M, K), torch.randn(K, N)]


def get_init_inputs():
    return []
