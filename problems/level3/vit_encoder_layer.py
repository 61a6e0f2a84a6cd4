"""A small vision transformer: 16x16 patch embedding by a strided conv, class token, position embedding, one nn.TransformerEncoderLayer (training mode, dropout 0), a linear head on the class token; 32 images of 224x224, width 384, 6 heads, 1000 classes."""
import torch
import torch.nn as nn

batch = 32
patches = 14
patch = 16
width = 384
heads = 6
classes = 1000


class Model(nn.Module):
    """A tiny vision transformer: patch embedding by a strided conv, class token, position embedding, one
    nn.TransformerEncoderLayer (training mode, dropout 0), a linear head on the class token."""

    def __init__(self, width, heads, classes):
        super().__init__()
        self.embed = nn.Conv2d(3, width, patch, stride=patch)
        self.cls = nn.Parameter(torch.randn(1, 1, width))
        self.pos = nn.Parameter(torch.randn(1, patches * patches + 1, width))
        self.layer = nn.TransformerEncoderLayer(width, heads, 2 * width, dropout=0.0, batch_first=True)
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        tokens = self.embed(x).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.cls.expand(x.shape[0], -1, -1), tokens], dim=1) + self.pos
        return self.head(self.layer(tokens)[:, 0])


def get_inputs():
    return [torch.randn(batch, 3, patches * patch, patches * patch)]


def get_init_inputs():
    return [width, heads, classes]
