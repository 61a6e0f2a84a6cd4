"""Lower triangle of a product, torch.tril(A @ B), with A (N, K) and B (K, N), N = 4096, K = 3072; entries above the diagonal are zero."""
import torch
import torch.nn as nn

N = 4096
K = 3072


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.tril(torch.matmul(A, B))


def get_inputs():
    return [torch.randn(N, K), torch.randn(K, N)]


def get_init_inputs():
    return []
