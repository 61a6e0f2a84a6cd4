"""Four-layer MLP 1024 -> 4096 -> 4096 -> 1024 -> 256 with ReLU between layers (He-initialized), on a (4096, 1024) batch; result (4096, 256)."""
import torch
import torch.nn as nn

batch_size = 4096
in_features = 1024
hidden1 = 4096
hidden2 = 4096
hidden3 = 1024
out_features = 256


class Model(nn.Module):
    def __init__(self, in_features: int, hidden1: int, hidden2: int, hidden3: int, out_features: int):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(in_features, hidden1), nn.ReLU(),
            nn.Linear(hidden1, hidden2), nn.ReLU(),
            nn.Linear(hidden2, hidden3), nn.ReLU(),
            nn.Linear(hidden3, out_features),
        )
        # He initialization keeps activations unit-scale through the ReLU stack (the default shrinks them).
        for layer in self.layers:
            if isinstance(layer, nn.Linear):
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.normal_(layer.bias, std=0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, hidden1, hidden2, hidden3, out_features]
