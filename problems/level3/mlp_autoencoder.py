"""MLP autoencoder 2048 -> 1024 -> 256 (code) -> 1024 -> 2048 with ReLU hidden layers and a linear reconstruction, He-initialized, on (8192, 2048); result (8192, 2048)."""
import torch
import torch.nn as nn

batch_size = 8192
in_features = 2048
hidden = 1024
code = 256


class Model(nn.Module):
    def __init__(self, in_features: int, hidden: int, code: int):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, code), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(code, hidden), nn.ReLU(), nn.Linear(hidden, in_features))
        for layer in list(self.encoder) + list(self.decoder):
            if isinstance(layer, nn.Linear):
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.normal_(layer.bias, std=0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, hidden, code]
