"""Two-layer LSTM whose initial hidden and cell states are drawn once in __init__ and kept as plain tensor attributes
(not registered buffers), moved to the input's device in forward; the last time step goes through a Linear head.
x: (32, 256, 128), hidden 256, 10 outputs."""
import torch
import torch.nn as nn

batch_size = 32
sequence_length = 256
input_size = 128
hidden_size = 256
num_layers = 2
output_size = 10


class Model(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int, output_size: int):
        super().__init__()
        self.h0 = torch.randn(num_layers, batch_size, hidden_size)
        self.c0 = torch.randn(num_layers, batch_size, hidden_size)
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.h0 = self.h0.to(x.device)
        self.c0 = self.c0.to(x.device)
        out, _ = self.lstm(x, (self.h0, self.c0))
        return self.head(out[:, -1, :])


def get_inputs():
    return [torch.randn(batch_size, sequence_length, input_size)]


def get_init_inputs():
    return [input_size, hidden_size, num_layers, output_size]
