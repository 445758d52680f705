#!/usr/bin/env python3
"""Writes core/src/test/resources/golden/presets_adam.golden: ten Adam steps of the reference autoencoders
B (bottleneck), C (keras) and D (dense), exactly as PyTorch 1.13 does them, from weights both sides can compute.

Run from the repository root with the interpreter that has torch:  /usr/bin/python3 scripts/golden/make_golden_presets.py
File format: see make_golden.py (magic C4JGOLD1, version 1, named float32 tensors).

The models are the PyTorch definitions below (the same as cae4j's Presets). Instead of a random init, tensor number t
of the state_dict (in order) gets element i = 0.1 * sin(0.37 * i + 1.3 * t), computed in float64 and rounded to
float32, so Java sets identical weights without reading them from a file. The batch x (8,1,28,28) has element
i = 0.5 + 0.5 * sin(0.11 * i). Adam(lr=1e-3), MSELoss; ten times: zero_grad, loss, backward, step.
Per model (prefix B., C., D.):
    losses          (10)   the loss at each step, before that step's update
    final.<name>    (16)   the first 16 values of each parameter after the ten updates (fewer if it is smaller)
    sum.<name>      (1)    the sum of each parameter after the ten updates, accumulated in float64
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import OUT_DIR, write_golden  # noqa: E402


def bottleneck(code=20):
    enc = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                        nn.Flatten(), nn.Linear(32 * 7 * 7, code))
    dec = nn.Sequential(nn.Linear(code, 32 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
                        nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), nn.ReLU(),
                        nn.ConvTranspose2d(16, 1, 3, 2, 1, output_padding=1), nn.Sigmoid())
    return nn.Sequential(enc, dec)


def keras_blog():
    c = lambda i, o, p=1: [nn.Conv2d(i, o, 3, padding=p), nn.ReLU()]
    pool, up = lambda: nn.MaxPool2d(2, ceil_mode=True), lambda: nn.Upsample(scale_factor=2)
    enc = nn.Sequential(*c(1, 16), pool(), *c(16, 8), pool(), *c(8, 8), pool())
    dec = nn.Sequential(*c(8, 8), up(), *c(8, 8), up(), *c(8, 16, 0), up(), nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid())
    return nn.Sequential(enc, dec)


def dense():
    dims, layers = [784, 128, 64, 32, 64, 128, 784], [nn.Flatten()]
    for i in range(6):
        layers += [nn.Linear(dims[i], dims[i + 1]), nn.Sigmoid() if i == 5 else nn.ReLU()]
    return nn.Sequential(*layers, nn.Unflatten(1, (1, 28, 28)))


def formula(n, t):
    i = np.arange(n, dtype=np.float64)
    return (0.1 * np.sin(0.37 * i + 1.3 * t)).astype(np.float32)


def run(prefix, model):
    with torch.no_grad():
        for t, (name, p) in enumerate(model.state_dict().items()):
            p.copy_(torch.from_numpy(formula(p.numel(), t)).reshape(p.shape))
    x = torch.from_numpy((0.5 + 0.5 * np.sin(0.11 * np.arange(8 * 784, dtype=np.float64))).astype(np.float32)).reshape(8, 1, 28, 28)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(10):
        opt.zero_grad()
        loss = nn.MSELoss()(model(x), x)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    out = [(prefix + "losses", torch.tensor(losses, dtype=torch.float32))]
    for name, p in model.state_dict().items():
        flat = p.detach().reshape(-1)
        out.append((prefix + "final." + name, flat[:16].clone()))
        out.append((prefix + "sum." + name, torch.tensor([flat.double().sum().item()], dtype=torch.float32)))
    print(prefix, "losses", " ".join(f"{v:.6f}" for v in losses))
    return out


def main():
    torch.set_num_threads(1)
    print("torch", torch.__version__)
    tensors = run("B.", bottleneck()) + run("C.", keras_blog()) + run("D.", dense())
    write_golden(os.path.join(OUT_DIR, "presets_adam.golden"), tensors)


if __name__ == "__main__":
    main()
