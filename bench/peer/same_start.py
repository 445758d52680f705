"""Replays cae4j's SameStart run in PyTorch: the seed CAE (model A) from the initial weights and batch order that
SameStart wrote into DIR, Adam lr 1e-3, batch 64, MSE; prints the loss every 100 steps and the final test MSE.
Usage: /usr/bin/python3 bench/peer/same_start.py DIR STEPS [DATA_DIR]
   or: /usr/bin/python3 bench/peer/same_start.py DIR epochs:E [DATA_DIR]   (whole epochs of 60,000 images, the last
       batch of each smaller, printing the test MSE after each epoch, as `./cae4j train` does)"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def load_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header, data = json.loads(b[8:8 + n]), b[8 + n:]
    return {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], "<f4").reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}


def images(path):
    with gzip.open(path) as f:
        return torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255.0)


def main():
    d, steps = sys.argv[1], sys.argv[2]
    data = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(1)
    m = nn.Sequential(nn.Conv2d(1, 16, 5, padding=4), nn.Tanh(), nn.Conv2d(16, 1, 5), nn.Sigmoid())
    m.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in load_safetensors(f"{d}/init.safetensors").items()})
    x, xt = images(f"{data}/train-images-idx3-ubyte.gz"), images(f"{data}/t10k-images-idx3-ubyte.gz")
    order = torch.tensor([int(line) for line in open(f"{d}/order.txt")])
    opt, loss_fn = torch.optim.Adam(m.parameters(), lr=1e-3), nn.MSELoss()

    def test_mse():
        with torch.no_grad():
            return sum(((m(xt[i:i + 1000]) - xt[i:i + 1000]) ** 2).sum().item() for i in range(0, len(xt), 1000)) / xt.numel()

    if steps.startswith("epochs:"):
        n = len(x)
        for e in range(int(steps[7:])):
            ep = order[e * n:(e + 1) * n]
            for i in range(0, n, 64):
                xb = x[ep[i:i + 64]]
                loss = loss_fn(m(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
            print(f"epoch {e + 1} test mse {test_mse():.7f}", flush=True)
        return
    steps = int(steps)
    for st in range(steps):
        xb = x[order[st * 64:(st + 1) * 64]]
        loss = loss_fn(m(xb), xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if st % 100 == 0 or st == steps - 1:
            print(f"step {st} loss {loss.item():.7f}")
    with torch.no_grad():
        se = sum(((m(xt[i:i + 1000]) - xt[i:i + 1000]) ** 2).sum().item() for i in range(0, len(xt), 1000))
    print(f"test mse {se / xt.numel():.7f}")


if __name__ == "__main__":
    main()
