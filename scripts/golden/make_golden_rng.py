#!/usr/bin/env python3
"""Writes core/src/test/resources/golden/rng.golden: what PyTorch 1.13's CPU generator draws for a seed, so that
cae4j's Rng (mt19937, drawn as PyTorch draws) can be checked to give the same numbers, orders and initial weights.

Run from the repository root with the interpreter that has torch:  /usr/bin/python3 scripts/golden/make_golden_rng.py
File format: see make_golden.py (magic C4JGOLD1, version 1, named float32 tensors).

For each seed S in SEEDS (one of them above 2^32: PyTorch keeps only its low 32 bits):
    rand.S          (1000)  torch.manual_seed(S); torch.rand(1000)                     float uniforms
    uniform.S       (1000)  torch.manual_seed(S); torch.empty(1000).uniform_(-0.2, 0.2)
    rand64.S        (8,4)   torch.manual_seed(S); torch.rand(8, dtype=float64), each double's 64 bits as four
                            16-bit pieces, high first (float32 holds them exactly)
    randperm.S      (2,1000) g = torch.Generator().manual_seed(S); the first 1000 entries of two successive
                            torch.randperm(60000, generator=g), the orders of a run's first two epochs
    randperm10.S    (10)    torch.randperm(10, generator=torch.Generator().manual_seed(S))
For the reference models (prefix A., B., C., D., the definitions of bench/peer/cae_peer.py), after
torch.manual_seed(0) and building the model:
    init.P.first.<name> (<=64)  the first 64 values of each parameter
    init.P.last.<name>  (<=64)  its last 64 values
    init.P.sum.<name>   (1)     the sum of all its values, accumulated in float64 (then rounded to float32)
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "peer"))
from make_golden import OUT_DIR, write_golden  # noqa: E402
from cae_peer import MODELS  # noqa: E402

SEEDS = [0, 1, 123456789, 2 ** 32 + 7]


def main():
    out = []
    for s in SEEDS:
        torch.manual_seed(s)
        out.append((f"rand.{s}", torch.rand(1000)))
        torch.manual_seed(s)
        out.append((f"uniform.{s}", torch.empty(1000).uniform_(-0.2, 0.2)))
        torch.manual_seed(s)
        bits = torch.rand(8, dtype=torch.float64).numpy().view(np.uint64)
        pieces = np.stack([(bits >> np.uint64(48 - 16 * k)) & np.uint64(0xFFFF) for k in range(4)], axis=1)
        out.append((f"rand64.{s}", torch.from_numpy(pieces.astype(np.float32))))
        g = torch.Generator().manual_seed(s)
        perms = [torch.randperm(60000, generator=g)[:1000] for _ in range(2)]
        out.append((f"randperm.{s}", torch.stack(perms).float()))
        out.append((f"randperm10.{s}", torch.randperm(10, generator=torch.Generator().manual_seed(s)).float()))
    for p in "ABCD":
        torch.manual_seed(0)
        model = MODELS[p]()
        for name, t in model.state_dict().items():
            flat = t.detach().reshape(-1)
            out.append((f"init.{p}.first.{name}", flat[:64].clone()))
            out.append((f"init.{p}.last.{name}", flat[-64:].clone()))
            out.append((f"init.{p}.sum.{name}", torch.tensor([flat.double().sum().item()], dtype=torch.float32)))
    write_golden(os.path.join(OUT_DIR, "rng.golden"), out)


if __name__ == "__main__":
    main()
