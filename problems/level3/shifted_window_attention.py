"""Shifted-window self-attention: roll by half a window, 7x7 window partition, relative position bias gathered from a parameter table by an int64 index buffer, softmax attention, projection, reverse roll; (32, 56, 56, 96), 3 heads."""
import torch
import torch.nn as nn

batch = 32
height = 56
width = 56
channels = 96
window = 7
heads = 3


class Model(nn.Module):
    """Shifted-window self-attention: roll, window partition, relative position bias from an index buffer."""

    def __init__(self, channels, window, heads):
        super().__init__()
        self.window, self.heads = window, heads
        self.qkv = nn.Linear(channels, channels * 3)
        self.proj = nn.Linear(channels, channels)
        self.table = nn.Parameter(torch.randn((2 * window - 1) ** 2, heads) * 0.02)
        coords = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window), indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (window - 1)
        self.register_buffer("index", rel[..., 0] * (2 * window - 1) + rel[..., 1])

    def forward(self, x):
        b, h, w, c = x.shape
        s, n = self.window, self.window * self.window
        x = torch.roll(x, shifts=(-s // 2, -s // 2), dims=(1, 2))
        win = x.view(b, h // s, s, w // s, s, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, n, c)
        qkv = self.qkv(win).reshape(-1, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)
        bias = self.table[self.index.view(-1)].view(n, n, -1).permute(2, 0, 1)
        attn = torch.softmax(attn + bias.unsqueeze(0), dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(-1, n, c)
        out = self.proj(out).view(b, h // s, w // s, s, s, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h, w, c)
        return torch.roll(out, shifts=(s // 2, s // 2), dims=(1, 2))


def get_inputs():
    return [torch.randn(batch, height, width, channels)]


def get_init_inputs():
    return [channels, window, heads]
