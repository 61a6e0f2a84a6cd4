"""Matrix product A @ B with sizes that are not multiples of any tile: A (2047, 3071), B (3071, 4093)."""
import torch
import torch.nn as nn

M = 2047
K = 3071
N = 4093


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A, B)


def get_inputs():
    return [torch.randn(M, K), torch.randn(K, N)]


def get_init_inputs():
    return []
