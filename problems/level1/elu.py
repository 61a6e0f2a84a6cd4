"""ELU with alpha 0.7 (x if x > 0 else 0.7 * (exp(x) - 1)), elementwise on a (rows, cols) = (16384, 16384) tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F

rows = 16384
cols = 16384
alpha = 0.7


class Model(nn.Module):
    def __init__(self, alpha: float):
        super().__init__()
        self.alpha = alpha

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.elu(x, alpha=self.alpha)


def get_inputs():
    return [torch.randn(rows, cols)]


def get_init_inputs():
    return [alpha]
