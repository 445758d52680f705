"""Multiply-adds per image of the reference models A-D of cae_peer.py (conv, transposed conv and linear layers),
as FLOP: 2 per multiply-add in the forward pass (inference), 6 for a training step (forward, input gradient,
weight gradient). Run: /usr/bin/python3 bench/peer/flops.py"""
import os, sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cae_peer import MODELS  # noqa: E402


def macs(model):
    counts = []

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            counts.append(out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1])
        elif isinstance(m, nn.ConvTranspose2d):
            counts.append(inp[0].numel() * m.out_channels * m.kernel_size[0] * m.kernel_size[1])
        elif isinstance(m, nn.Linear):
            counts.append(m.in_features * m.out_features)

    for m in model.modules():
        m.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))
    return sum(counts)


if __name__ == "__main__":
    for name, make in MODELS.items():
        n = macs(make())
        print(f"{name}: forward {n / 1e3:.1f} kMAC/img = {2 * n / 1e6:.3f} MFLOP/img; train {6 * n / 1e6:.2f} MFLOP/img")
