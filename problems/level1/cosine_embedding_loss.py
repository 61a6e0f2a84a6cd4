"""Per-pair cosine embedding loss (margin 0.05) of two (1048576, 256) embedding batches with +1/-1 labels (from int64 0/1); result (1048576,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

num_pairs = 1048576
dim = 256
margin = 0.05


class Model(nn.Module):
    def __init__(self, margin: float):
        super().__init__()
        self.margin = margin

    def forward(self, x1: torch.Tensor, x2: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        signs = labels.to(x1.dtype) * 2.0 - 1.0
        return F.cosine_embedding_loss(x1, x2, signs, margin=self.margin, reduction="none")


def get_inputs():
    return [torch.randn(num_pairs, dim), torch.randn(num_pairs, dim),
            torch.randint(0, 2, (num_pairs,), dtype=torch.int64)]


def get_init_inputs():
    return [margin]
