import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        pass

    def forward(self, x):
        return torch.min(x, torch.tensor(0.5)) + torch.maximum(x, torch.zeros_like(x))


def get_inputs():
    return [torch.randn(64, 256)]


def get_init_inputs():
    return []
