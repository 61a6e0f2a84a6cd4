"""Linear (2048 -> 4096) -> divide by 0.4 -> clamp to [-1, 1] -> mean over consecutive groups of 8 features, on (8192, 2048); result (8192, 512)."""
import torch
import torch.nn as nn

batch_size = 8192
in_features = 2048
out_features = 4096
divisor = 0.4
group_size = 8


class Model(nn.Module):
    def __init__(self, in_features: int, out_features: int, divisor: float, group_size: int):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.divisor = divisor
        self.group_size = group_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.clamp(self.linear(x) / self.divisor, min=-1.0, max=1.0)
        return y.view(y.shape[0], -1, self.group_size).mean(dim=-1)


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, out_features, divisor, group_size]
