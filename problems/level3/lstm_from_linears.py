"""LSTM from two nn.Linear layers (input and recurrent gates i, f, g, o) unrolled over a (48, 128, 256) sequence, hidden 1024; result: last (h, c) concatenated, (128, 2048)."""
import torch
import torch.nn as nn

seq_len = 48
batch_size = 128
input_size = 256
hidden_size = 1024


class Model(nn.Module):
    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.hidden_size = hidden_size
        self.input_gates = nn.Linear(input_size, 4 * hidden_size)
        self.hidden_gates = nn.Linear(hidden_size, 4 * hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[1], self.hidden_size)
        c = x.new_zeros(x.shape[1], self.hidden_size)
        for step in range(x.shape[0]):
            gates = self.input_gates(x[step]) + self.hidden_gates(h)
            i, f, g, o = gates.chunk(4, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return torch.cat([h, c], dim=-1)


def get_inputs():
    return [torch.randn(seq_len, batch_size, input_size)]


def get_init_inputs():
    return [input_size, hidden_size]
