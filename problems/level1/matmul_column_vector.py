"""Matrix times a one-column matrix: A (M, K) = (6144, 65536) @ b (K, 1); result (M, 1). The vector is 2-D, so export
keeps a matrix product (aten.mm) where a 1-D vector would have become a multiply and a sum."""
import torch
import torch.nn as nn

M = 6144
K = 65536


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, A: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.matmul(A, b)


def get_inputs():
    return [torch.randn(M, K), torch.randn(K, 1)]


def get_init_inputs():
    return []
