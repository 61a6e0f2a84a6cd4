"""torch.matmul(x, W) -> RMS norm over features (learned gain, eps 1e-6) -> SiLU; x (4, 2048, 2048), W (2048, 4096); result (4, 2048, 4096)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 4
seq_len = 2048
in_features = 2048
out_features = 4096
eps = 1e-6


class Model(nn.Module):
    def __init__(self, in_features: int, out_features: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_features, out_features) / in_features ** 0.5)
        self.gain = nn.Parameter(1.0 + 0.5 * torch.randn(out_features))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.matmul(x, self.weight)
        y = y * torch.rsqrt(y.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.gain
        return F.silu(y)


def get_inputs():
    return [torch.randn(batch_size, seq_len, in_features)]


def get_init_inputs():
    return [in_features, out_features, eps]
