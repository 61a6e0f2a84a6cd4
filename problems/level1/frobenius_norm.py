"""Frobenius norm of each 16x16 matrix in a batch of shape (num_matrices, 16, 16), num_matrices 1572864; result (num_matrices,)."""
import torch
import torch.nn as nn

num_matrices = 1572864
rows = 16
cols = 16


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.linalg.matrix_norm(x, ord="fro", dim=(-2, -1))


def get_inputs():
    return [torch.randn(num_matrices, rows, cols)]


def get_init_inputs():
    return []
