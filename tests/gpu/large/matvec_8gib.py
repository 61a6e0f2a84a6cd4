import torch
import torch.nn as nn


class Model(nn.Module):
    """Matrix-vector product with an 8 GiB matrix (2**31 elements): flat indexes overflow int32."""

    def forward(self, a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return torch.matmul(a, x)


M = 2048
K = 1048576


def get_inputs():
    return [torch.randn(M, K), torch.randn(K, 1)]


def get_init_inputs():
    return []
