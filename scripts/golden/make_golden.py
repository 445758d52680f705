#!/usr/bin/env python3
"""Writes cae4j's golden files with PyTorch: reference values the Java tests compare against.

Run from the repository root with the interpreter that has torch (1.13 was used):

    /usr/bin/python3 scripts/golden/make_golden.py

It writes core/src/test/resources/golden/{conv2d,seed_cae_adam}.golden. Everything is float32 on the CPU,
with torch.manual_seed fixed and one thread, so rerunning gives the same numbers on the same torch build.

File format (every .golden file; all integers and floats little-endian)
-----------------------------------------------------------------------
    8 bytes   magic  b"C4JGOLD1"
    uint32    format version = 1
    uint16    n, then n bytes UTF-8: the producer, e.g. "torch 1.13.1"
    uint32    tensor count T
    T times:
      uint16  n, then n bytes UTF-8: the tensor's name
      uint8   ndim
      int32   dims[ndim]
      float32 data[prod(dims)]   row-major (C order); a scalar has ndim = 0 and one value
Integer-valued tensors (the "meta" rows below) are stored as float32 too; all values are small and exact.
The Java reader is core/src/test/java/org/cae4j/testing/Golden.java.

conv2d.golden
-------------
A dozen-odd configurations, each under a prefix cfgNN_<description>. (for example "cfg03_seed_full_k5."):
    x     (N,C,H,W)  input, uniform in [-1, 1)
    w     (K,C,R,S)  weights, uniform in [-1, 1)
    b     (K)        bias, only when the configuration has one
    r     (N,K,P,Q)  a random upstream gradient, uniform in [-1, 1)
    y     (N,K,P,Q)  conv2d(pad(x), w, b, stride)
    dx    (N,C,H,W)  d(sum(r * y))/dx
    dw    (K,C,R,S)  d(sum(r * y))/dw
    db    (K)        d(sum(r * y))/db, only when there is a bias
    meta  (15)       [N, C, H, W, K, R, S, sh, sw, pt, pb, pl, pr, mode, hasBias]
pt, pb, pl, pr are the zeros added above, below, left and right; mode says how they were chosen:
0 valid, 1 same, 2 full, 3 explicit (see MODE_CODES). 'same' follows TensorFlow's rule: out = ceil(in/stride),
total = max((out-1)*stride + k - in, 0), top/left = total // 2, bottom/right = the rest. 'full' is k-1 on each side.
Asymmetric, 'same' and 'full' padding are emulated with F.pad before a valid conv2d; symmetric explicit padding
uses conv2d's own padding argument. The script cross-checks each configuration against a float64 computation,
and the stride-1 'same' ones against PyTorch's padding='same'.

seed_cae_adam.golden
--------------------
A few Adam steps of a tiny convolutional autoencoder, exactly as PyTorch does them. Variant "gray" (no prefix):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=2), nn.Tanh(), nn.Conv2d(4, 1, 3, padding=0), nn.Sigmoid())
    x = torch.rand(4, 1, 10, 10)                       # drawn after the model, so after its default init
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)   # betas (0.9, 0.999), eps 1e-8, no weight decay
    20 times: opt.zero_grad(); loss = MSELoss()(model(x), x)  (mean over all elements); loss.backward(); opt.step()
Variant "rgb" (every name prefixed "rgb."): the same with 3 channels in and out, i.e. nn.Conv2d(3, 4, 3, padding=2)
and nn.Conv2d(4, 3, 3, padding=0), x = torch.rand(4, 3, 10, 10), again after torch.manual_seed(0).
Tensors per variant:
    x                  (4,d,10,10)  the batch (also the target)
    enc.weight (4,d,3,3), enc.bias (4), dec.weight (d,4,3,3), dec.bias (d)     initial parameters
    losses             (20)  the loss at each step, computed before that step's update
    final.enc.weight, final.enc.bias, final.dec.weight, final.dec.bias         parameters after the 20 updates
    adam               (5)   [lr, beta1, beta2, eps, steps]
"""
import math
import os
import struct
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

MAGIC = b"C4JGOLD1"
FORMAT_VERSION = 1
MODE_CODES = {"valid": 0, "same": 1, "full": 2, "explicit": 3}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "core", "src", "test", "resources", "golden")


def write_golden(path, tensors):
    """Writes an ordered list of (name, float tensor) pairs in the format described at the top."""
    producer = ("torch " + torch.__version__).encode("utf-8")
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<I", FORMAT_VERSION))
        f.write(struct.pack("<H", len(producer)))
        f.write(producer)
        f.write(struct.pack("<I", len(tensors)))
        seen = set()
        for name, t in tensors:
            assert name not in seen, "duplicate tensor name " + name
            seen.add(name)
            t = t.detach().to(torch.float32).contiguous().cpu()
            nb = name.encode("utf-8")
            f.write(struct.pack("<H", len(nb)))
            f.write(nb)
            f.write(struct.pack("<B", t.dim()))
            f.write(struct.pack("<%di" % t.dim(), *t.shape))
            f.write(t.numpy().astype("<f4").tobytes(order="C"))
    print("wrote %s (%d tensors, %d bytes)" % (os.path.relpath(path, ROOT), len(tensors), os.path.getsize(path)))


def resolve_padding(mode, H, W, R, S, sh, sw, explicit=None):
    """(top, bottom, left, right) for a padding mode; written independently of the Java code."""
    if mode == "valid":
        return (0, 0, 0, 0)
    if mode == "full":
        return (R - 1, R - 1, S - 1, S - 1)
    if mode == "same":
        def split(n, k, s):
            out = math.ceil(n / s)
            total = max((out - 1) * s + k - n, 0)
            return total // 2, total - total // 2
        t, b = split(H, R, sh)
        l, r = split(W, S, sw)
        return (t, b, l, r)
    if mode == "explicit":
        return tuple(explicit)
    raise ValueError(mode)


# name, N, C, H, W, K, R, S, sh, sw, mode, explicit (t, b, l, r), bias
CONV_CONFIGS = [
    ("cfg01_valid_s1_d1",           1, 1, 5, 5, 2, 3, 3, 1, 1, "valid", None, True),
    ("cfg02_same_s1_d3_7x10",       2, 3, 7, 10, 4, 3, 3, 1, 1, "same", None, True),
    ("cfg03_seed_full_k5_28x28",    1, 1, 28, 28, 16, 5, 5, 1, 1, "full", None, True),
    ("cfg04_valid_s2_d3_nobias",    2, 3, 9, 8, 2, 3, 3, 2, 2, "valid", None, False),
    ("cfg05_same_s2_d1_7x10",       3, 1, 7, 10, 3, 3, 3, 2, 2, "same", None, True),
    ("cfg06_full_s3_d3_8x7",        2, 3, 8, 7, 2, 3, 3, 3, 3, "full", None, True),
    ("cfg07_explicit_sym1_d3",      1, 3, 6, 6, 3, 3, 3, 1, 1, "explicit", (1, 1, 1, 1), False),
    ("cfg08_explicit_asym_s2_k3x2", 2, 1, 7, 10, 2, 3, 2, 2, 2, "explicit", (0, 2, 1, 3), True),
    ("cfg09_valid_k2x2_d3_nobias",  2, 3, 6, 5, 4, 2, 2, 1, 1, "valid", None, False),
    ("cfg10_same_k4x3_d5",          1, 5, 9, 7, 3, 4, 3, 1, 1, "same", None, True),
    ("cfg11_explicit_s2x3_d3",      3, 3, 10, 11, 2, 3, 3, 2, 3, "explicit", (1, 2, 0, 1), True),
    ("cfg12_same_s3_k2x4_nobias",   2, 1, 10, 7, 2, 2, 4, 3, 3, "same", None, False),
    ("cfg13_full_s2_k2x2_d3",       1, 3, 5, 6, 2, 2, 2, 2, 2, "full", None, True),
    ("cfg14_valid_s3_d5_leftover",  2, 5, 11, 9, 3, 3, 3, 3, 3, "valid", None, True),
    ("cfg15_explicit_ph2_pw1_d1",   1, 1, 4, 4, 1, 3, 3, 1, 1, "explicit", (2, 2, 1, 1), False),
    ("cfg16_valid_k1x1_s2_d3",      2, 3, 5, 5, 4, 1, 1, 2, 2, "valid", None, True),
    ("cfg17_valid_kernel_fills_input", 3, 2, 3, 4, 2, 3, 4, 1, 1, "valid", None, True),
    ("cfg18_same_s1_k4x3_d3_even",  2, 3, 6, 9, 2, 4, 3, 1, 1, "same", None, True),
    ("cfg19_full_s1x2_k2x4_d1",     2, 1, 5, 6, 3, 2, 4, 1, 2, "full", None, False),
]


def uniform(*shape, gen):
    return torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1


def conv_case(cfg, gen):
    name, N, C, H, W, K, R, S, sh, sw, mode, explicit, has_bias = cfg
    t, b, l, r = resolve_padding(mode, H, W, R, S, sh, sw, explicit)
    P = (H + t + b - R) // sh + 1
    Q = (W + l + r - S) // sw + 1
    x = uniform(N, C, H, W, gen=gen)
    w = uniform(K, C, R, S, gen=gen)
    bias = uniform(K, gen=gen) if has_bias else None
    ups = uniform(N, K, P, Q, gen=gen)

    def run(dtype, native_same=False):
        xx = x.detach().to(dtype).clone().requires_grad_(True)
        ww = w.detach().to(dtype).clone().requires_grad_(True)
        bb = bias.detach().to(dtype).clone().requires_grad_(True) if bias is not None else None
        if native_same:
            y = F.conv2d(xx, ww, bb, stride=1, padding="same")
        elif mode == "explicit" and t == b and l == r:
            y = F.conv2d(xx, ww, bb, stride=(sh, sw), padding=(t, l))
        else:
            y = F.conv2d(F.pad(xx, (l, r, t, b)), ww, bb, stride=(sh, sw))
        (y * ups.to(dtype)).sum().backward()
        return y.detach(), xx.grad, ww.grad, (bb.grad if bb is not None else None)

    y, dx, dw, db = run(torch.float32)
    assert y.shape == (N, K, P, Q), (name, tuple(y.shape), (N, K, P, Q))
    # Cross-checks: the float32 values against float64, and the 'same' emulation against PyTorch's own.
    checks = [("float64", run(torch.float64))]
    if mode == "same" and sh == 1 and sw == 1:
        checks.append(("padding='same'", run(torch.float32, native_same=True)))
    for label, ref in checks:
        for what, a, e in zip(("y", "dx", "dw", "db"), (y, dx, dw, db), ref):
            if a is None:
                continue
            err = (a.double() - e.double()).abs().max().item() / max(e.double().abs().max().item(), 1e-6)
            assert err < 1e-5, "%s %s differs from %s by %g" % (name, what, label, err)

    meta = torch.tensor([N, C, H, W, K, R, S, sh, sw, t, b, l, r, MODE_CODES[mode], int(has_bias)],
                        dtype=torch.float32)
    out = [("x", x), ("w", w)]
    if has_bias:
        out.append(("b", bias))
    out += [("r", ups), ("y", y), ("dx", dx), ("dw", dw)]
    if has_bias:
        out.append(("db", db))
    out.append(("meta", meta))
    print("  %-32s N=%d C=%d %2dx%-2d K=%-2d k=%dx%d s=%dx%d %-8s pad(t%d b%d l%d r%d) -> %dx%d%s"
          % (name, N, C, H, W, K, R, S, sh, sw, mode, t, b, l, r, P, Q, "" if has_bias else ", no bias"))
    return [(name + "." + k, v) for k, v in out]


def make_conv2d():
    torch.manual_seed(0)  # nothing below draws from the global generator; the explicit one is seeded too
    gen = torch.Generator().manual_seed(20240611)
    tensors = []
    for cfg in CONV_CONFIGS:
        tensors += conv_case(cfg, gen)
    write_golden(os.path.join(OUT_DIR, "conv2d.golden"), tensors)


ADAM_LR, ADAM_BETAS, ADAM_EPS, ADAM_STEPS = 1e-2, (0.9, 0.999), 1e-8, 20


def cae_run(prefix, d):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(d, 4, 3, padding=2), nn.Tanh(), nn.Conv2d(4, d, 3, padding=0), nn.Sigmoid())
    x = torch.rand(4, d, 10, 10)
    enc, dec = model[0], model[2]
    out = [("x", x.clone()),
           ("enc.weight", enc.weight.detach().clone()), ("enc.bias", enc.bias.detach().clone()),
           ("dec.weight", dec.weight.detach().clone()), ("dec.bias", dec.bias.detach().clone())]
    opt = torch.optim.Adam(model.parameters(), lr=ADAM_LR, betas=ADAM_BETAS, eps=ADAM_EPS)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(ADAM_STEPS):
        opt.zero_grad()
        loss = loss_fn(model(x), x)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    out += [("losses", torch.tensor(losses, dtype=torch.float32)),
            ("final.enc.weight", enc.weight.detach().clone()), ("final.enc.bias", enc.bias.detach().clone()),
            ("final.dec.weight", dec.weight.detach().clone()), ("final.dec.bias", dec.bias.detach().clone()),
            ("adam", torch.tensor([ADAM_LR, ADAM_BETAS[0], ADAM_BETAS[1], ADAM_EPS, ADAM_STEPS], dtype=torch.float32))]
    print("  %-6s d=%d loss %.6f -> %.6f over %d Adam steps" % (prefix or "gray", d, losses[0], losses[-1], ADAM_STEPS))
    return [(prefix + k, v) for k, v in out]


def make_seed_cae_adam():
    tensors = cae_run("", 1) + cae_run("rgb.", 3)
    write_golden(os.path.join(OUT_DIR, "seed_cae_adam.golden"), tensors)


def main():
    torch.set_num_threads(1)
    # the padding='same' cross-check with even kernels pads a copy of the input; that is fine here
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")
    torch.set_default_dtype(torch.float32)
    print("torch %s, python %s" % (torch.__version__, sys.version.split()[0]))
    os.makedirs(OUT_DIR, exist_ok=True)
    make_conv2d()
    make_seed_cae_adam()


if __name__ == "__main__":
    main()
