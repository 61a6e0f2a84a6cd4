"""torch.logsumexp over dimension 1 (length 32) of a (batch_size, experts, tokens) = (384, 32, 32768) tensor; result (384, 32768)."""
import torch
import torch.nn as nn

batch_size = 384
experts = 32
tokens = 32768
reduce_dim = 1


class Model(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.logsumexp(x, dim=self.dim)


def get_inputs():
    return [torch.randn(batch_size, experts, tokens)]


def get_init_inputs():
    return [reduce_dim]
