"""clamp(|x|, 0.1, 2.0) ** 1.7 elementwise on a (rows, cols) = (16384, 16384) tensor."""
import torch
import torch.nn as nn

rows = 16384
cols = 16384
low = 0.1
high = 2.0
exponent = 1.7


class Model(nn.Module):
    def __init__(self, low: float, high: float, exponent: float):
        super().__init__()
        self.low = low
        self.high = high
        self.exponent = exponent

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.pow(torch.clamp(torch.abs(x), min=self.low, max=self.high), self.exponent)


def get_inputs():
    return [torch.randn(rows, cols)]


def get_init_inputs():
    return [low, high, exponent]
