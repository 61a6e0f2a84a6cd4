"""Matrix product with the left operand stored transposed: A.T @ B, A of shape (K, M), B of shape (K, N); M = N = 4096, K = 2048."""
import torch
import torch.nn as nn

M = 4096
K = 2048
N = 4096


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A.T, B)


def get_inputs():
    return [torch.randn(K, M), torch.randn(K, N)]


def get_init_inputs():
    return []
