"""Running product torch.cumprod(1 + 0.02 * x, dim=1) along rows of length 4096 of a (batch_size, length) = (65536, 4096) tensor."""
import torch
import torch.nn as nn

batch_size = 65536
length = 4096
step_scale = 0.02


class Model(nn.Module):
    def __init__(self, step_scale: float):
        super().__init__()
        self.step_scale = step_scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Factors near 1 keep the running product unit-scale over 4096 steps instead of vanishing.
        return torch.cumprod(1.0 + self.step_scale * x, dim=1)


def get_inputs():
    return [torch.randn(batch_size, length)]


def get_init_inputs():
    return [step_scale]
