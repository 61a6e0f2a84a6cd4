"""VLAD pooling: soft assignment of 1024 descriptors (dim 512) to 64 clusters through a BatchNorm1d (batch statistics) and softmax, residual aggregation, intra and global L2 normalization; batch 32."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch = 32
points = 1024
dim = 512
clusters = 64


class Model(nn.Module):
    """VLAD pooling: soft assignment to clusters, residual aggregation, intra and global L2 normalization."""

    def __init__(self, dim, clusters):
        super().__init__()
        self.assign = nn.Parameter(torch.randn(dim, clusters) / dim ** 0.5)
        self.centers = nn.Parameter(torch.randn(1, dim, clusters) / dim ** 0.5)
        self.norm = nn.BatchNorm1d(clusters)

    def forward(self, x):
        b, n, d = x.shape
        flat = x.reshape(-1, d)
        a = self.norm(flat @ self.assign)
        a = F.softmax(a, dim=1).view(b, n, -1)
        mass = a.sum(dim=1, keepdim=True)
        vlad = torch.matmul(a.transpose(1, 2), x).transpose(1, 2) - mass * self.centers
        vlad = F.normalize(vlad, dim=1).reshape(b, -1)
        return F.normalize(vlad, dim=1)


def get_inputs():
    return [torch.randn(batch, points, dim)]


def get_init_inputs():
    return [dim, clusters]
