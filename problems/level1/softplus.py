"""Softplus log(1 + exp(beta * x)) / beta with beta 2 and linear threshold 10, elementwise on an (8192, 32768) tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 8192
dim = 32768
beta = 2.0
threshold = 10.0


class Model(nn.Module):
    def __init__(self, beta: float, threshold: float):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Inputs scaled by 4 so that some elements cross beta * x > threshold and take the linear branch.
        return F.softplus(4.0 * x, beta=self.beta, threshold=self.threshold)


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [beta, threshold]
