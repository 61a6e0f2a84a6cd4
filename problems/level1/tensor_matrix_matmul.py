"""3-D tensor times matrix: X (batch_size, seq_len, k) @ W (k, n) -> (batch_size, seq_len, n) with (16, 2048, 1024) @ (1024, 2048)."""
import torch
import torch.nn as nn

batch_size = 16
seq_len = 2048
k = 1024
n = 2048


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, X: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
        return torch.matmul(X, W)


def get_inputs():
    return [torch.randn(batch_size, seq_len, k), torch.randn(k, n)]


def get_init_inputs():
    return []
