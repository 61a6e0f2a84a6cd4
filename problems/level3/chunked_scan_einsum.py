"""A chunked selective-scan step: segment sums of log decays by cumsum and a pairwise difference, a lower-triangular mask filled with -inf, exp, and a four-operand einsum; (batch, length, heads, state) = (16, 512, 16, 64), chunks of 64."""
import torch
import torch.nn as nn

batch = 16
length = 512
heads = 16
state = 64
block = 64


class Model(nn.Module):
    """A chunked selective-scan step: segment sums of log decays via cumsum, a lower-triangular mask, exp, einsums."""

    def __init__(self, heads, block):
        super().__init__()
        self.block = block
        self.decay = nn.Parameter(torch.rand(heads) * -0.5)

    def segsum(self, x):
        t = x.size(-1)
        c = torch.cumsum(x, dim=-1)
        diff = c[..., :, None] - c[..., None, :]
        mask = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))
        return diff.masked_fill(~mask, -torch.inf)

    def forward(self, x, b, c):
        bsz, l, h, s = b.shape
        k = l // self.block
        a = (self.decay.view(1, 1, h) * x).view(bsz, k, self.block, h).permute(0, 3, 1, 2)
        lmat = torch.exp(self.segsum(a))
        xb = x.view(bsz, k, self.block, h)
        bb, cb = b.view(bsz, k, self.block, h, s), c.view(bsz, k, self.block, h, s)
        return torch.einsum("bclhn,bcshn,bhcls,bcsh->bclh", cb, bb, lmat, xb)


def get_inputs():
    return [torch.randn(batch, length, heads), torch.randn(batch, length, heads, state),
            torch.randn(batch, length, heads, state)]


def get_init_inputs():
    return [heads, block]
