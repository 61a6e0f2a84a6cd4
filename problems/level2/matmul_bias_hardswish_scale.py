"""torch.matmul(x, W) + b -> hardswish -> multiply by a learned per-feature scale; x (8192, 1536), W (1536, 3072); result (8192, 3072)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 8192
in_features = 1536
out_features = 3072


class Model(nn.Module):
    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_features, out_features) / in_features ** 0.5)
        self.bias = nn.Parameter(0.1 * torch.randn(out_features))
        self.scale = nn.Parameter(1.0 + 0.5 * torch.randn(out_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.hardswish(torch.matmul(x, self.weight) + self.bias) * self.scale


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, out_features]
