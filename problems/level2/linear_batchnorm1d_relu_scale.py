"""Linear (1024 -> 4096, no bias) -> BatchNorm1d (batch statistics, affine) -> ReLU -> multiply by 2, on (16384, 1024); result (16384, 4096)."""
import torch
import torch.nn as nn

batch_size = 16384
in_features = 1024
out_features = 4096
multiplier = 2.0


class Model(nn.Module):
    def __init__(self, in_features: int, out_features: int, multiplier: float):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features, bias=False)
        self.norm = nn.BatchNorm1d(out_features, track_running_stats=False)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)
        self.multiplier = multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.norm(self.linear(x))) * self.multiplier


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, out_features, multiplier]
