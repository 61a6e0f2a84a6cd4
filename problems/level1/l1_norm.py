"""L1 vector norm sum(|x|) over dimension 1 (length 256) of a (batch_size, features, positions) = (384, 256, 4096) tensor; result (384, 4096)."""
import torch
import torch.nn as nn

batch_size = 384
features = 256
positions = 4096


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.linalg.vector_norm(x, ord=1, dim=1)


def get_inputs():
    return [torch.randn(batch_size, features, positions)]


def get_init_inputs():
    return []
