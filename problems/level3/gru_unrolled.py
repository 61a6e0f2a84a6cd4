"""nn.GRUCell unrolled over a (seq_len, batch, input_size) = (32, 256, 512) sequence from a zero state, hidden 1024; result: every step's hidden state, (32, 256, 1024)."""
import torch
import torch.nn as nn

seq_len = 32
batch_size = 256
input_size = 512
hidden_size = 1024


class Model(nn.Module):
    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.cell = nn.GRUCell(input_size, hidden_size)
        self.hidden_size = hidden_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[1], self.hidden_size)
        states = []
        for step in range(x.shape[0]):
            h = self.cell(x[step], h)
            states.append(h)
        return torch.stack(states, dim=0)


def get_inputs():
    return [torch.randn(seq_len, batch_size, input_size)]


def get_init_inputs():
    return [input_size, hidden_size]
