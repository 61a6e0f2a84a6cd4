"""Matrix product with the right operand stored transposed: A @ B.T, A of shape (M, K), B of shape (N, K); M = 6144, N = 2048, K = 3072."""
import torch
import torch.nn as nn

M = 6144
K = 3072
N = 2048


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A, B.T)


def get_inputs():
    return [torch.randn(M, K), torch.randn(N, K)]


def get_init_inputs():
    return []
