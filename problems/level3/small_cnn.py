"""Small image classifier: 3 x (Conv2d 3x3 -> BatchNorm2d (batch statistics) -> ReLU -> MaxPool2d(2)) with 3 -> 32 -> 64 -> 128 channels, flatten, Linear -> 100 classes, on (64, 3, 192, 192)."""
import torch
import torch.nn as nn

batch_size = 64
in_channels = 3
image_size = 192
num_classes = 100


def conv_bn_relu_pool(cin: int, cout: int) -> nn.Sequential:
    norm = nn.BatchNorm2d(cout, track_running_stats=False)
    with torch.no_grad():
        norm.weight.normal_(mean=1.0, std=0.3)
        norm.bias.normal_(mean=0.0, std=0.3)
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), norm, nn.ReLU(), nn.MaxPool2d(2))


class Model(nn.Module):
    def __init__(self, in_channels: int, image_size: int, num_classes: int):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn_relu_pool(in_channels, 32),
            conv_bn_relu_pool(32, 64),
            conv_bn_relu_pool(64, 128),
        )
        side = image_size // 8
        self.classifier = nn.Linear(128 * side * side, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


def get_inputs():
    return [torch.randn(batch_size, in_channels, image_size, image_size)]


def get_init_inputs():
    return [in_channels, image_size, num_classes]
