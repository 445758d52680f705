#!/usr/bin/env python3
"""Writes core/src/test/resources/golden/layers.golden with PyTorch: reference values for cae4j's layers.

Run from the repository root with the interpreter that has torch (1.13 was used):

    /usr/bin/python3 scripts/golden/make_golden_layers.py

The file format is the one documented at the top of make_golden.py (magic b"C4JGOLD1", version 1), written
by its write_golden. Everything is float32 on the CPU with one thread and a seeded generator, so rerunning
gives the same numbers on the same torch build.

Every configuration is stored under "<family>.<config>." (for example "maxpool2d.k2s2_ceil_7x7."), with
    x      the input, uniform in [-1, 1) unless said otherwise
    r      a random upstream gradient of y's shape, uniform in [-1, 1)
    y      the layer's output
    dx     d(sum(r * y))/dx
    meta   the settings, as float32 (all small integers or exactly representable), per family as below
and per family:

maxpool2d    meta [N, C, H, W, kH, kW, sH, sW, pH, pW, ceil_mode]
             x is a random permutation of -1 + (0 .. N*C*H*W-1) * 0.02 (distinct values, no ties), except in
             "ties_*" configurations, whose x takes only the values -1, 0, 1 so that ties pick the first maximum
avgpool2d    meta [N, C, H, W, kH, kW, sH, sW, pH, pW, ceil_mode, count_include_pad]
upsample     meta [N, C, H, W, scale_factor, mode (0 nearest, 1 bilinear), align_corners]
linear       meta [N, in_features, out_features, bias];  weight (out, in), bias (out) when present, as drawn
             by PyTorch's default init; dweight, dbias
batchnorm2d  meta [N, C, H, W, eps, momentum, affine, track_running_stats, training]
batchnorm1d  meta [N, C, L, eps, momentum, affine, track_running_stats, training]; L = 0 means a 2-D input (N, C)
             weight, bias (C) when affine, random (not PyTorch's 1 and 0); running_mean, running_var (C) and
             num_batches_tracked () before the forward, when tracked (random, so the update is visible);
             dweight, dbias when affine; running_mean.after, running_var.after, num_batches_tracked.after
zeropad2d    meta [N, C, H, W, left, right, top, bottom]; negative amounts crop (the "crop_*" configurations)
convtranspose2d
             meta [N, in_channels, P, Q, out_channels, kernel, stride, padding, output_padding, bias]
             x (N, in, P, Q); weight (in, out, k, k), bias (out) when present, uniform in [-1, 1); dweight, dbias
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import OUT_DIR, write_golden  # noqa: E402  (same folder; its main() is not run)


def uniform(*shape, gen):
    return torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1


def meta(*values):
    return torch.tensor([float(v) for v in values], dtype=torch.float32)


def run(module, x, gen, params=()):
    """y = module(x), then backward of sum(r * y): returns r, y, dx and the gradients of params."""
    xx = x.detach().clone().requires_grad_(True)
    y = module(xx)
    r = uniform(*y.shape, gen=gen)
    (y * r).sum().backward()
    return r, y.detach(), xx.grad, [p.grad for p in params]


def prefixed(family, cfg, pairs):
    return [("%s.%s.%s" % (family, cfg, k), v) for k, v in pairs]


# name, N, C, H, W, (kH, kW), (sH, sW), (pH, pW), ceil_mode
MAXPOOL = [
    ("k2s2_8x8",            2, 1, 8, 8, (2, 2), (2, 2), (0, 0), False),
    ("k3s2p1_9x9",          1, 2, 9, 9, (3, 3), (2, 2), (1, 1), False),
    ("k2s2_ceil_7x7",       2, 2, 7, 7, (2, 2), (2, 2), (0, 0), True),   # the Keras-style encoder's 7 -> 4
    ("k2s2_28x28",          1, 1, 28, 28, (2, 2), (2, 2), (0, 0), False),
    ("k3s3_ceil_8x8",       1, 1, 8, 8, (3, 3), (3, 3), (0, 0), True),
    ("k2s2p1_ceil_5x5",     1, 2, 5, 5, (2, 2), (2, 2), (1, 1), True),   # ceil would give 4, last window dropped
    ("k3x2_s2x1_p1x0_ceil_6x5", 2, 1, 6, 5, (3, 2), (2, 1), (1, 0), True),
    ("ties_k2s1_5x5",       1, 1, 5, 5, (2, 2), (1, 1), (0, 0), False),
    ("ties_k3s2p1_6x6",     1, 1, 6, 6, (3, 3), (2, 2), (1, 1), False),
]

# name, N, C, H, W, (kH, kW), (sH, sW), (pH, pW), ceil_mode, count_include_pad
AVGPOOL = [
    ("k2s2_8x8",                 2, 1, 8, 8, (2, 2), (2, 2), (0, 0), False, True),
    ("k3s2p1_9x9",               1, 2, 9, 9, (3, 3), (2, 2), (1, 1), False, True),
    ("k3s2p1_9x9_nopad",         1, 2, 9, 9, (3, 3), (2, 2), (1, 1), False, False),
    ("k2s2_ceil_7x7",            1, 2, 7, 7, (2, 2), (2, 2), (0, 0), True, True),
    ("k3s2p1_ceil_8x8",          1, 1, 8, 8, (3, 3), (2, 2), (1, 1), True, True),
    ("k3s2p1_ceil_8x8_nopad",    1, 1, 8, 8, (3, 3), (2, 2), (1, 1), True, False),
    ("k3x2_s2x1_p1_ceil_6x5_nopad", 2, 1, 6, 5, (3, 2), (2, 1), (1, 1), True, False),
]

# name, N, C, H, W, scale, mode, align_corners
UPSAMPLE = [
    ("nearest_x2_4x5",          2, 1, 4, 5, 2, "nearest", None),
    ("nearest_x3_3x4",          1, 1, 3, 4, 3, "nearest", None),
    ("bilinear_x2_4x5",         2, 1, 4, 5, 2, "bilinear", False),
    ("bilinear_x2_align_4x5",   1, 1, 4, 5, 2, "bilinear", True),
    ("bilinear_x3_3x3",         1, 1, 3, 3, 3, "bilinear", False),
    ("bilinear_x3_align_3x3",   1, 1, 3, 3, 3, "bilinear", True),
    ("bilinear_x2_align_1x4",   1, 1, 1, 4, 2, "bilinear", True),
]

# name, N, in_features, out_features, bias
LINEAR = [
    ("3x7_to_5",           3, 7, 5, True),
    ("4x12_to_3_nobias",   4, 12, 3, False),
    ("2x40_to_6",          2, 40, 6, True),
]

# name, N, C, H, W (L for 1d; 0 = 2-D input), eps, momentum, affine, track_running_stats, training
BATCHNORM2D = [
    ("train_3x3x4x4",                 3, 3, 4, 4, 1e-5, 0.1, True, True, True),
    ("train_noaffine_eps1e-3_m0.3",   2, 3, 4, 4, 1e-3, 0.3, False, True, True),
    ("eval_2x3x3x3",                  2, 3, 3, 3, 1e-5, 0.1, True, True, False),
    ("eval_untracked_2x3x3x3",        2, 3, 3, 3, 1e-5, 0.1, True, False, False),
]
BATCHNORM1D = [
    ("train_5x6",          5, 6, 0, 1e-5, 0.1, True, True, True),
    ("eval_4x6",           4, 6, 0, 1e-5, 0.1, True, True, False),
    ("train_4x3x5",        4, 3, 5, 1e-5, 0.1, True, True, True),
    ("train_3x4_m1",       3, 4, 0, 1e-5, 1.0, True, True, True),   # N = 2 would make dx pure rounding noise
]

# name, N, C, H, W, left, right, top, bottom
ZEROPAD = [
    ("all1_3x4",           2, 1, 3, 4, 1, 1, 1, 1),
    ("l2r0t1b3_4x3",       1, 3, 4, 3, 2, 0, 1, 3),
    ("mixed_l-1r2t0b-2_5x5", 1, 2, 5, 5, -1, 2, 0, -2),
    ("crop_l1r0t2b1_6x5",  2, 1, 6, 5, -1, 0, -2, -1),
]

# name, N, in, P, Q, out, kernel, stride, padding, output_padding, bias
CONVT = [
    ("s1_k3_1to1",            1, 1, 4, 4, 1, 3, 1, 0, 0, True),
    ("s2_k3_p1_op1_2to3",     2, 2, 3, 4, 3, 3, 2, 1, 1, True),    # the decoder's 7 -> 14 step, smaller
    ("s2_k4_p1_3to2_nobias",  1, 3, 3, 5, 2, 4, 2, 1, 0, False),
    ("s3_k3_op2_3to2",        1, 3, 3, 3, 2, 3, 3, 0, 2, True),
    ("s2_k5_p2_op1_2to1",     1, 2, 4, 4, 1, 5, 2, 2, 1, True),
    ("s3_k2_p1_1to2_nobias",  2, 1, 3, 4, 2, 2, 3, 1, 0, False),
    ("s1_k3_p2_2to2",         1, 2, 5, 5, 2, 3, 1, 2, 0, True),
]


def make_maxpool(gen):
    out = []
    for name, N, C, H, W, k, s, p, ceil in MAXPOOL:
        n = N * C * H * W
        if name.startswith("ties_"):
            x = torch.randint(-1, 2, (N, C, H, W), generator=gen).to(torch.float32)
        else:
            x = (-1 + torch.arange(n, dtype=torch.float32) * 0.02)[torch.randperm(n, generator=gen)].reshape(N, C, H, W)
        m = nn.MaxPool2d(k, s, p, ceil_mode=ceil)
        r, y, dx, _ = run(m, x, gen)
        out += prefixed("maxpool2d", name, [("x", x), ("r", r), ("y", y), ("dx", dx),
                                            ("meta", meta(N, C, H, W, *k, *s, *p, ceil))])
        print("  maxpool2d   %-26s %dx%d -> %dx%d" % (name, H, W, y.shape[2], y.shape[3]))
    return out


def make_avgpool(gen):
    out = []
    for name, N, C, H, W, k, s, p, ceil, cip in AVGPOOL:
        x = uniform(N, C, H, W, gen=gen)
        m = nn.AvgPool2d(k, s, p, ceil_mode=ceil, count_include_pad=cip)
        r, y, dx, _ = run(m, x, gen)
        out += prefixed("avgpool2d", name, [("x", x), ("r", r), ("y", y), ("dx", dx),
                                            ("meta", meta(N, C, H, W, *k, *s, *p, ceil, cip))])
        print("  avgpool2d   %-26s %dx%d -> %dx%d" % (name, H, W, y.shape[2], y.shape[3]))
    return out


def make_upsample(gen):
    out = []
    for name, N, C, H, W, scale, mode, align in UPSAMPLE:
        x = uniform(N, C, H, W, gen=gen)
        m = nn.Upsample(scale_factor=scale, mode=mode, align_corners=align)
        r, y, dx, _ = run(m, x, gen)
        out += prefixed("upsample", name, [("x", x), ("r", r), ("y", y), ("dx", dx),
                                           ("meta", meta(N, C, H, W, scale, mode == "bilinear", bool(align)))])
        print("  upsample    %-26s %dx%d -> %dx%d" % (name, H, W, y.shape[2], y.shape[3]))
    return out


def make_linear(gen):
    out = []
    for name, N, I, O, bias in LINEAR:
        m = nn.Linear(I, O, bias=bias)  # PyTorch's default init, from the global generator seeded in main
        x = uniform(N, I, gen=gen)
        params = [m.weight] + ([m.bias] if bias else [])
        r, y, dx, grads = run(m, x, gen, params)
        pairs = [("x", x), ("weight", m.weight)] + ([("bias", m.bias)] if bias else [])
        pairs += [("r", r), ("y", y), ("dx", dx), ("dweight", grads[0])]
        if bias:
            pairs.append(("dbias", grads[1]))
        out += prefixed("linear", name, pairs + [("meta", meta(N, I, O, bias))])
        print("  linear      %-26s (%d, %d) -> (%d, %d)%s" % (name, N, I, N, O, "" if bias else ", no bias"))
    return out


def batchnorm_case(family, name, module, x, C, meta_values, affine, track, training, gen):
    if affine:
        with torch.no_grad():
            module.weight.copy_(uniform(C, gen=gen) * 0.5 + 1)
            module.bias.copy_(uniform(C, gen=gen) * 0.5)
    pairs = [("x", x)]
    if affine:
        pairs += [("weight", module.weight.detach().clone()), ("bias", module.bias.detach().clone())]
    if track:
        module.running_mean.copy_(uniform(C, gen=gen) * 0.5)
        module.running_var.copy_(torch.rand(C, generator=gen) + 0.5)
        module.num_batches_tracked.fill_(3)
        pairs += [("running_mean", module.running_mean.clone()), ("running_var", module.running_var.clone()),
                  ("num_batches_tracked", module.num_batches_tracked.clone().to(torch.float32))]
    module.train(training)
    params = [module.weight, module.bias] if affine else []
    r, y, dx, grads = run(module, x, gen, params)
    pairs += [("r", r), ("y", y), ("dx", dx)]
    if affine:
        pairs += [("dweight", grads[0]), ("dbias", grads[1])]
    if track:
        pairs += [("running_mean.after", module.running_mean.clone()),
                  ("running_var.after", module.running_var.clone()),
                  ("num_batches_tracked.after", module.num_batches_tracked.clone().to(torch.float32))]
    print("  %-11s %-26s %s %s" % (family, name, tuple(x.shape), "train" if training else "eval"))
    return prefixed(family, name, pairs + [("meta", meta(*meta_values))])


def make_batchnorm(gen):
    out = []
    for name, N, C, H, W, eps, mom, affine, track, training in BATCHNORM2D:
        # an offset and scale per channel, so normalising has something to undo
        x = uniform(N, C, H, W, gen=gen) * 2 + torch.arange(C, dtype=torch.float32).reshape(1, C, 1, 1)
        m = nn.BatchNorm2d(C, eps=eps, momentum=mom, affine=affine, track_running_stats=track)
        out += batchnorm_case("batchnorm2d", name, m, x, C, (N, C, H, W, eps, mom, affine, track, training),
                              affine, track, training, gen)
    for name, N, C, L, eps, mom, affine, track, training in BATCHNORM1D:
        shape = (N, C) if L == 0 else (N, C, L)
        offset = torch.arange(C, dtype=torch.float32).reshape((1, C) if L == 0 else (1, C, 1))
        x = uniform(*shape, gen=gen) * 2 + offset
        m = nn.BatchNorm1d(C, eps=eps, momentum=mom, affine=affine, track_running_stats=track)
        out += batchnorm_case("batchnorm1d", name, m, x, C, (N, C, L, eps, mom, affine, track, training),
                              affine, track, training, gen)
    return out


def make_zeropad(gen):
    out = []
    for name, N, C, H, W, left, right, top, bottom in ZEROPAD:
        x = uniform(N, C, H, W, gen=gen)
        m = nn.ZeroPad2d((left, right, top, bottom))
        r, y, dx, _ = run(m, x, gen)
        out += prefixed("zeropad2d", name, [("x", x), ("r", r), ("y", y), ("dx", dx),
                                            ("meta", meta(N, C, H, W, left, right, top, bottom))])
        print("  zeropad2d   %-26s %dx%d -> %dx%d" % (name, H, W, y.shape[2], y.shape[3]))
    return out


def make_convtranspose(gen):
    out = []
    for name, N, cin, P, Q, cout, k, s, p, op, bias in CONVT:
        m = nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p, output_padding=op, bias=bias)
        with torch.no_grad():
            m.weight.copy_(uniform(cin, cout, k, k, gen=gen))
            if bias:
                m.bias.copy_(uniform(cout, gen=gen))
        x = uniform(N, cin, P, Q, gen=gen)
        params = [m.weight] + ([m.bias] if bias else [])
        r, y, dx, grads = run(m, x, gen, params)
        # cross-check the float32 result against float64
        m64 = nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p, output_padding=op, bias=bias).double()
        m64.load_state_dict({k_: v.double() for k_, v in m.state_dict().items()})
        y64 = m64(x.double())
        err = (y.double() - y64).abs().max().item() / max(y64.abs().max().item(), 1e-6)
        assert err < 1e-5, "%s: float32 differs from float64 by %g" % (name, err)
        pairs = [("x", x), ("weight", m.weight.detach().clone())] + ([("bias", m.bias.detach().clone())] if bias else [])
        pairs += [("r", r), ("y", y), ("dx", dx), ("dweight", grads[0])]
        if bias:
            pairs.append(("dbias", grads[1]))
        out += prefixed("convtranspose2d", name, pairs + [("meta", meta(N, cin, P, Q, cout, k, s, p, op, bias))])
        print("  convtranspose2d %-22s %d->%d %dx%d -> %dx%d k=%d s=%d p=%d op=%d%s"
              % (name, cin, cout, P, Q, y.shape[2], y.shape[3], k, s, p, op, "" if bias else ", no bias"))
    return out


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(0)  # Linear's default init draws from the global generator
    print("torch %s, python %s" % (torch.__version__, sys.version.split()[0]))
    gen = torch.Generator().manual_seed(20240612)
    tensors = (make_maxpool(gen) + make_avgpool(gen) + make_upsample(gen) + make_linear(gen) + make_batchnorm(gen)
               + make_zeropad(gen) + make_convtranspose(gen))
    os.makedirs(OUT_DIR, exist_ok=True)
    write_golden(os.path.join(OUT_DIR, "layers.golden"), tensors)


if __name__ == "__main__":
    main()
