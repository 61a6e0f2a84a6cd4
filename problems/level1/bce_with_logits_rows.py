"""Per-row binary cross-entropy with logits and a learned per-label pos_weight, summed over 1024 labels, on (131072, 1024) logits and 0/1 targets; result (131072,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 131072
num_labels = 1024


class Model(nn.Module):
    def __init__(self, num_labels: int):
        super().__init__()
        self.pos_weight = nn.Parameter(0.5 + 2.0 * torch.rand(num_labels))

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        losses = F.binary_cross_entropy_with_logits(logits, targets.to(logits.dtype), pos_weight=self.pos_weight,
                                                    reduction="none")
        return losses.sum(dim=-1)


def get_inputs():
    return [torch.randn(batch_size, num_labels), torch.randint(0, 2, (batch_size, num_labels), dtype=torch.int64)]


def get_init_inputs():
    return [num_labels]
