"""Per-row Huber loss (delta 0.5): F.huber_loss(reduction='none') summed over the last dimension of two (262144, 1024) tensors; result (262144,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 262144
dim = 1024
delta = 0.5


class Model(nn.Module):
    def __init__(self, delta: float):
        super().__init__()
        self.delta = delta

    def forward(self, predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.huber_loss(predictions, targets, reduction="none", delta=self.delta).sum(dim=-1)


def get_inputs():
    return [torch.randn(batch_size, dim), torch.randn(batch_size, dim)]


def get_init_inputs():
    return [delta]
