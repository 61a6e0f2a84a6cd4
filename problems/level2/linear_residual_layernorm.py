"""Post-norm residual: LayerNorm(x + Linear(x)) with a square Linear (1536 -> 1536), on (batch, seq_len, hidden) = (16, 1024, 1536)."""
import torch
import torch.nn as nn

batch_size = 16
seq_len = 1024
hidden = 1536


class Model(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.linear = nn.Linear(hidden, hidden)
        self.norm = nn.LayerNorm(hidden)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x + self.linear(x))


def get_inputs():
    return [torch.randn(batch_size, seq_len, hidden)]


def get_init_inputs():
    return [hidden]
