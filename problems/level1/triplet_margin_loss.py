"""Per-triplet margin loss (margin 0.5, L2 distance, with distance swap) of anchor/positive/negative batches of shape (262144, 512); result (262144,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

num_triplets = 262144
dim = 512
margin = 0.5


class Model(nn.Module):
    def __init__(self, margin: float):
        super().__init__()
        self.margin = margin

    def forward(self, anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor) -> torch.Tensor:
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=2.0, swap=True,
                                     reduction="none")


def get_inputs():
    return [torch.randn(num_triplets, dim), torch.randn(num_triplets, dim), torch.randn(num_triplets, dim)]


def get_init_inputs():
    return [margin]
