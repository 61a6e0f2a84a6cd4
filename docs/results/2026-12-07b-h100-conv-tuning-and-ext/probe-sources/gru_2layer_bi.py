import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.g = nn.GRU(16, 32, num_layers=2, bidirectional=True, batch_first=False)

    def forward(self, x):
        out, h = self.g(x)
        return out


def get_inputs():
    return [torch.randn(6, 4, 16)]


def get_init_inputs():
    return []
