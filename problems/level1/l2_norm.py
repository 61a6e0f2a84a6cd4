"""Euclidean (L2) norm of each row of a (num_vectors, dim) = (1572864, 256) tensor; result (num_vectors,)."""
import torch
import torch.nn as nn

num_vectors = 1572864
dim = 256


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.linalg.vector_norm(x, ord=2, dim=-1)


def get_inputs():
    return [torch.randn(num_vectors, dim)]


def get_init_inputs():
    return []
