"""Self-gating projection x * tanh(torch.matmul(x, W) + b) with W (2560, 2560) and x (8192, 2560)."""
import torch
import torch.nn as nn

num_tokens = 8192
hidden = 2560


class Model(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(hidden, hidden) / hidden ** 0.5)
        self.bias = nn.Parameter(0.1 * torch.randn(hidden))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.tanh(torch.matmul(x, self.weight) + self.bias)


def get_inputs():
    return [torch.randn(num_tokens, hidden)]


def get_init_inputs():
    return [hidden]
