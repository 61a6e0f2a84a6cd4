"""Gated linear unit with residual: x + a * sigmoid(b) where (a, b) = Linear(2048 -> 4096)(x) split in halves, on (8192, 2048) tokens."""
import torch
import torch.nn as nn

num_tokens = 8192
hidden = 2048


class Model(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.proj = nn.Linear(hidden, 2 * hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = self.proj(x).chunk(2, dim=-1)
        return x + a * torch.sigmoid(b)


def get_inputs():
    return [torch.randn(num_tokens, hidden)]


def get_init_inputs():
    return [hidden]
