"""Per-row KL divergence KL(q || p) between the softmax distributions of two (16384, 8192) logit tensors, computed in log space; result (16384,)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

batch_size = 16384
num_classes = 8192


class Model(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, logits_p: torch.Tensor, logits_q: torch.Tensor) -> torch.Tensor:
        log_p = F.log_softmax(logits_p, dim=-1)
        log_q = F.log_softmax(logits_q, dim=-1)
        return F.kl_div(log_p, log_q, reduction="none", log_target=True).sum(dim=-1)


def get_inputs():
    return [torch.randn(batch_size, num_classes), torch.randn(batch_size, num_classes)]


def get_init_inputs():
    return []
