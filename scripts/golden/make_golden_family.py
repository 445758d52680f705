#!/usr/bin/env python3
"""Writes core/src/test/resources/golden/family_adam.golden: ten Adam steps of four tiny members of the
autoencoder family, exactly as PyTorch 1.13 does them, from weights both sides can compute.

Run from the repository root with the interpreter that has torch:  /usr/bin/python3 scripts/golden/make_golden_family.py
File format: see make_golden.py (magic C4JGOLD1, version 1, named float32 tensors).

Weights and input as in make_golden_presets.py: tensor number t of the state_dict (in order) gets element
i = 0.1 * sin(0.37 * i + 1.3 * t) (float64, rounded to float32); the batch x (4,1,H,W) has element
i = 0.5 + 0.5 * sin(0.11 * i). Ten times: zero_grad, loss, backward, step. The models are cae4j's presets:

vae.     Presets.vaeDense(1, 6, 6, hidden=10, latent=3, beta=0.5): Flatten, Linear(36,10), ReLU, Linear(10,6),
         Reparameterize | Linear(3,10), ReLU, Linear(10,36), Sigmoid, Unflatten. Loss per step
         BCE(x_hat, x, reduction='sum') / N + beta * mean over the batch of sum_j -1/2 (1 + logvar - mu^2 - exp(logvar)),
         with eps ~ N(0, 1) drawn here and stored (eps, (10, 4, 3)), fed to Java as fixed noise. Adam(lr=1e-2).
sparse.  Presets.sparse(1, 6, 6, hidden=5, rho=0.1, beta=3): Flatten, Linear(36,5), Sigmoid, KlSparsity (an
         nn.Identity here, the penalty computed from its input) | Linear(5,36), Sigmoid, Unflatten. Loss
         MSELoss() + beta * sum_j KL(rho || rho_hat_j), rho_hat_j = batch mean of hidden unit j clamped to
         [1e-6, 1 - 1e-6]. Adam(lr=1e-2, weight_decay=1e-3).
tied.    Presets.dense(1, 6, 6, tied=True): 36-128-64-32-64-128-36, ReLU, sigmoid output, each decoder Linear
         F.linear(h, enc.weight.t(), own bias). MSELoss, Adam(lr=1e-3).
tiedseed. SeedCae with 3 filters 3x3, stride 2, tanh/sigmoid, tied, on 1x7x7: Conv2d(1,3,3,stride 2,padding 2),
         Tanh, F.conv_transpose2d(h, conv.weight, own bias, stride 2, padding 2, output_padding 0), Sigmoid.
         MSELoss, Adam(lr=1e-2).
Per model (prefix vae., sparse., tied., tiedseed.):
    losses          (10)   the objective at each step (reconstruction + penalty), before that step's update
    penalty         (10)   the penalty part of it (vae: the KL term, sparse: the KL sparsity term; not for tied)
    final.<name>           each parameter after the ten updates, whole if it has at most 400 values, else its
                           first 16 values and
    sum.<name>      (1)    its sum accumulated in float64
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import OUT_DIR, write_golden  # noqa: E402


class Reparameterize(nn.Module):
    """[mu, logvar] -> mu + exp(logvar / 2) * eps, eps set from outside; remembers the per-sample mean KL."""

    def __init__(self, latent):
        super().__init__()
        self.latent, self.eps, self.kl = latent, None, None

    def forward(self, h):
        mu, logvar = h[:, :self.latent], h[:, self.latent:]
        self.kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / h.shape[0]
        return mu + torch.exp(0.5 * logvar) * self.eps


class TiedLinear(nn.Module):
    """F.linear(x, enc.weight.t(), bias): enc is kept out of the module tree, so state_dict holds only 'bias'."""

    def __init__(self, enc):
        super().__init__()
        self._enc = [enc]
        self.bias = nn.Parameter(torch.zeros(enc.in_features))

    def forward(self, x):
        return F.linear(x, self._enc[0].weight.t(), self.bias)


class TiedConvTranspose(nn.Module):
    def __init__(self, conv, padding, output_padding):
        super().__init__()
        self._conv = [conv]
        self.padding, self.output_padding = padding, output_padding
        self.bias = nn.Parameter(torch.zeros(conv.in_channels))

    def forward(self, x):
        c = self._conv[0]
        return F.conv_transpose2d(x, c.weight, self.bias, stride=c.stride, padding=self.padding,
                                  output_padding=self.output_padding)


def formula(n, t):
    i = np.arange(n, dtype=np.float64)
    return (0.1 * np.sin(0.37 * i + 1.3 * t)).astype(np.float32)


def batch(h, w):
    n = 4 * h * w
    return torch.from_numpy((0.5 + 0.5 * np.sin(0.11 * np.arange(n, dtype=np.float64))).astype(np.float32)).reshape(4, 1, h, w)


def init(model):
    with torch.no_grad():
        for t, (name, p) in enumerate(model.state_dict().items()):
            p.copy_(torch.from_numpy(formula(p.numel(), t)).reshape(p.shape))


def outputs(prefix, model, losses, penalties):
    out = [(prefix + "losses", torch.tensor(losses, dtype=torch.float32))]
    if penalties is not None:
        out.append((prefix + "penalty", torch.tensor(penalties, dtype=torch.float32)))
    for name, p in model.state_dict().items():
        flat = p.detach().reshape(-1)
        if flat.numel() <= 400:
            out.append((prefix + "final." + name, flat.clone()))
        else:
            out.append((prefix + "final." + name, flat[:16].clone()))
            out.append((prefix + "sum." + name, torch.tensor([flat.double().sum().item()], dtype=torch.float32)))
    print(prefix, "losses", " ".join(f"{v:.6f}" for v in losses))
    return out


def train(model, opt, x, objective, steps=10):
    losses, penalties = [], []
    for s in range(steps):
        opt.zero_grad()
        loss, penalty = objective(s)
        losses.append(loss.item())
        penalties.append(penalty)
        loss.backward()
        opt.step()
    return losses, penalties


def vae():
    rep = Reparameterize(3)
    model = nn.Sequential(nn.Flatten(), nn.Linear(36, 10), nn.ReLU(), nn.Linear(10, 6), rep,
                          nn.Linear(3, 10), nn.ReLU(), nn.Linear(10, 36), nn.Sigmoid(), nn.Unflatten(1, (1, 6, 6)))
    init(model)
    x = batch(6, 6)
    eps = torch.randn(10, 4, 3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    def objective(s):
        rep.eps = eps[s]
        bce = F.binary_cross_entropy(model(x), x, reduction="sum") / x.shape[0]
        kl = 0.5 * rep.kl
        return bce + kl, kl.item()

    losses, penalties = train(model, opt, x, objective)
    return [("vae.eps", eps)] + outputs("vae.", model, losses, penalties)


def sparse():
    rho, beta = 0.1, 3.0
    model = nn.Sequential(nn.Flatten(), nn.Linear(36, 5), nn.Sigmoid(), nn.Identity(),
                          nn.Linear(5, 36), nn.Sigmoid(), nn.Unflatten(1, (1, 6, 6)))
    init(model)
    x = batch(6, 6)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-3)
    encoder, decoder = model[:4], model[4:]

    def objective(s):
        h = encoder(x)
        rho_hat = h.mean(dim=0).clamp(1e-6, 1 - 1e-6)
        kl = beta * torch.sum(rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat)))
        return nn.MSELoss()(decoder(h), x) + kl, kl.item()

    losses, penalties = train(model, opt, x, objective)
    return outputs("sparse.", model, losses, penalties)


def tied():
    dims = [36, 128, 64, 32, 64, 128, 36]
    enc = [nn.Linear(dims[i], dims[i + 1]) for i in range(3)]
    layers = [nn.Flatten()]
    for l in enc:
        layers += [l, nn.ReLU()]
    for i in range(3):
        layers += [TiedLinear(enc[2 - i]), nn.Sigmoid() if i == 2 else nn.ReLU()]
    model = nn.Sequential(*layers, nn.Unflatten(1, (1, 6, 6)))
    init(model)
    x = batch(6, 6)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses, _ = train(model, opt, x, lambda s: (nn.MSELoss()(model(x), x), 0.0))
    return outputs("tied.", model, losses, None)


def tied_seed():
    conv = nn.Conv2d(1, 3, 3, stride=2, padding=2)
    model = nn.Sequential(conv, nn.Tanh(), TiedConvTranspose(conv, 2, 0), nn.Sigmoid())
    init(model)
    x = batch(7, 7)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, _ = train(model, opt, x, lambda s: (nn.MSELoss()(model(x), x), 0.0))
    return outputs("tiedseed.", model, losses, None)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    print("torch", torch.__version__)
    tensors = vae() + sparse() + tied() + tied_seed()
    write_golden(os.path.join(OUT_DIR, "family_adam.golden"), tensors)


if __name__ == "__main__":
    main()
