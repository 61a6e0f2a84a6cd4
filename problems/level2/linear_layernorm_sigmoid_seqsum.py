"""Linear (2048 -> 2048) -> LayerNorm -> sigmoid -> sum over the sequence dimension, on (batch, seq_len, hidden) = (64, 128, 2048); result (64, 2048)."""
import torch
import torch.nn as nn

batch_size = 64
seq_len = 128
hidden = 2048


class Model(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.proj = nn.Linear(hidden, hidden)
        self.norm = nn.LayerNorm(hidden)
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.norm(self.proj(x))).sum(dim=1)


def get_inputs():
    return [torch.randn(batch_size, seq_len, hidden)]


def get_init_inputs():
    return [hidden]
