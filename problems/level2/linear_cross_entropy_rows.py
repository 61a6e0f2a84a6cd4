"""Classifier head with per-sample loss: Linear (1024 -> 4096 classes) -> cross-entropy (reduction 'none') against int64 targets, on (8192, 1024); result (8192,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 8192
in_features = 1024
num_classes = 4096


class Model(nn.Module):
    def __init__(self, in_features: int, num_classes: int):
        super().__init__()
        self.head = nn.Linear(in_features, num_classes)

    def forward(self, x: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(self.head(x), targets, reduction="none")


def get_inputs():
    return [torch.randn(batch_size, in_features), torch.randint(0, num_classes, (batch_size,), dtype=torch.int64)]


def get_init_inputs():
    return [in_features, num_classes]
