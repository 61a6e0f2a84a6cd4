"""Matrix-vector product A @ v with A of shape (M, K) = (32768, 16384) and v of shape (K,); result (M,)."""
import torch
import torch.nn as nn

M = 32768
K = 16384


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A, v)


def get_inputs():
    return [torch.randn(M, K), torch.randn(K)]


def get_init_inputs():
    return []
