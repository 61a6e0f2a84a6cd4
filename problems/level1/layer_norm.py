"""nn.LayerNorm over the last dimension (eps 1e-5) with learnable weight and bias, on a (batch_size, hidden) tensor."""
import torch
import torch.nn as nn

batch_size = 8192
hidden = 8192


class Model(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.norm = nn.LayerNorm(hidden, eps=1e-5)
        # Move the affine parameters away from their (1, 0) defaults so that a kernel ignoring them fails.
        with torch.no_grad():
            self.norm.weight.normal_(mean=1.0, std=0.5)
            self.norm.bias.normal_(mean=0.0, std=0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


def get_inputs():
    return [torch.randn(batch_size, hidden)]


def get_init_inputs():
    return [hidden]
