#!/usr/bin/env python3
"""Cross-check `cae4j score` against an independent reference: SSIM as scikit-image computes it, written with scipy.

Usage:  python3 scripts/crosscheck/scores_reference.py MODEL.safetensors SCORES.csv gaussian|uniform [N]

MODEL must be a seed CAE with the default settings (16 filters 5x5, tanh, sigmoid) trained on 28x28 images, and
SCORES.csv the output of `cae4j score --model MODEL --data embedded|/usr/share/datasets/fashion-mnist` (the test split,
in file order) with the same --ssim-window. The reconstructions are recomputed with torch (apt-get install
python3-torch python3-scipy); SSIM is scikit-image's structural_similarity(data_range=1, use_sample_covariance=False,
gaussian_weights=True, sigma=1.5), i.e. scipy's gaussian_filter truncated at 3.5 sigma (an 11x11 window), or an 11x11
uniform_filter, with the 5-pixel border cropped before the mean. Prints the largest differences over the first N images.
"""
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from scipy.ndimage import gaussian_filter, uniform_filter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from load_model_numpy import load  # noqa: E402


def ssim(a, b, gauss):
    filt = (lambda v: gaussian_filter(v, 1.5, truncate=3.5)) if gauss else (lambda v: uniform_filter(v, 11))
    mx, my = filt(a), filt(b)
    vx, vy, cxy = filt(a * a) - mx * mx, filt(b * b) - my * my, filt(a * b) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    s = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))
    return s[5:-5, 5:-5].mean()


def main():
    model, scores, window = sys.argv[1], sys.argv[2], sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    t, _ = load(model)
    raw = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()
    x = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28)[:n].astype(np.float64) / 255
    xt = torch.tensor(x, dtype=torch.float32)[:, None]
    with torch.no_grad():
        z = torch.tanh(F.conv2d(xt, torch.tensor(t["0.weight"]), torch.tensor(t["0.bias"]), padding=4))
        y = torch.sigmoid(F.conv2d(z, torch.tensor(t["2.weight"]), torch.tensor(t["2.bias"])))
    y = y.numpy()[:, 0].astype(np.float64)
    rows = np.genfromtxt(scores, delimiter=",", names=True)
    ref = np.array([1 - ssim(x[i], y[i], window == "gaussian") for i in range(n)])
    mse = ((x - y) ** 2).mean(axis=(1, 2))
    print("max |ssim_score - reference| over %d images: %.3g (scores %.4f..%.4f); max |mse - reference|: %.3g"
          % (n, np.abs(rows["ssim_score"][:n] - ref).max(), ref.min(), ref.max(), np.abs(rows["mse"][:n] - mse).max()))


if __name__ == "__main__":
    main()
