"""Per-sample multi-class hinge loss F.multi_margin_loss (p 1, margin 1) of (49152, 8192) scores against int64 class targets; result (49152,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 49152
num_classes = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.multi_margin_loss(scores, targets, p=1, margin=1.0, reduction="none")


def get_inputs():
    return [torch.randn(batch_size, num_classes), torch.randint(0, num_classes, (batch_size,), dtype=torch.int64)]


def get_init_inputs():
    return []
