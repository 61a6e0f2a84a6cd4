"""Convolutional autoencoder: two stride-2 Conv2d + ReLU (3 -> 64 -> 128) then two ConvTranspose2d (128 -> 64 -> 3, stride 2) with ReLU between, on (32, 3, 256, 256) images; result same shape."""
import torch
import torch.nn as nn

batch_size = 32
in_channels = 3
image_size = 256
width1 = 64
width2 = 128


class Model(nn.Module):
    def __init__(self, in_channels: int, width1: int, width2: int):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(in_channels, width1, 4, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(width1, width2, 4, stride=2, padding=1), nn.ReLU(),
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(width2, width1, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(width1, in_channels, 4, stride=2, padding=1),
        )
        # He initialization (fan_out for the transposed convolutions) keeps the reconstruction unit-scale.
        for layer in list(self.encoder) + list(self.decoder):
            if isinstance(layer, nn.Conv2d):
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            elif isinstance(layer, nn.ConvTranspose2d):
                nn.init.kaiming_normal_(layer.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def get_inputs():
    return [torch.randn(batch_size, in_channels, image_size, image_size)]


def get_init_inputs():
    return [in_channels, width1, width2]
