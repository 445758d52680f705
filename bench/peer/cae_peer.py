"""PyTorch twin of cae4j's TrainRun: trains one reference autoencoder on Fashion-MNIST and measures it the same way.

Usage: /usr/bin/python3 bench/peer/cae_peer.py [MODEL=A] [EPOCHS=1] [--threads T] [--seed S] [--data DIR]

Batch 64, Adam(lr 1e-3), MSE, in-memory shuffled batches. Measured like TrainRun:
  train img/s   each epoch's first 20 batches are warm-up; the rest is cut into 50-batch windows (the last one
                shorter); median of the windows' rates over all epochs. The test pass is outside every window.
  infer img/s   forward only over the test set at batch 64 and 1000; whole passes for 2 s of warm-up (at least one),
                then the median of 3 timed passes; the first pass (cold) is printed too.
  peak RSS      VmHWM of /proc/self/status.
  other_cores   median CPU use of other processes during the training windows (noise on a shared machine).
Ends with: RESULT torch MODEL params=.. threads=.. epochs=.. train_img_s=.. infer_img_s_bs64=.. infer_img_s_bs1000=..
           test_mse=e1,e2,.. peak_rss_MiB=.. other_cores=..
"""
import argparse, gzip, os, statistics, time
import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"
BATCH, LR = 64, 1e-3
WARMUP_BATCHES, WINDOW, INFER_PASSES, INFER_WARMUP_SECONDS = 20, 50, 3, 2.0


# ---- the reference models -------------------------------------------------------------------------------------

def seed_cae(n=16, k=5):
    # (A) 'full' conv (pad k-1) 28->32, tanh; 'valid' conv 32->28, sigmoid. 817 parameters.
    return nn.Sequential(nn.Conv2d(1, n, k, padding=k - 1), nn.Tanh(),
                         nn.Conv2d(n, 1, k, padding=0), nn.Sigmoid())


def bottleneck(code=20):
    # (B) strided conv encoder -> 20-d linear code -> transposed-conv decoder.
    enc = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                        nn.Flatten(), nn.Linear(32 * 7 * 7, code))
    dec = nn.Sequential(nn.Linear(code, 32 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
                        nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), nn.ReLU(),
                        nn.ConvTranspose2d(16, 1, 3, 2, 1, output_padding=1), nn.Sigmoid())
    return nn.Sequential(enc, dec)


def pool_upsample():
    # (C) conv/max-pool encoder to an 8x4x4 code, conv/upsample decoder. MaxPool 'same' == ceil_mode=True (7->4);
    # the 3rd decoder conv is 'valid' (16->14) so the last upsample lands on 28.
    c = lambda i, o, p=1: [nn.Conv2d(i, o, 3, padding=p), nn.ReLU()]
    pool, up = lambda: nn.MaxPool2d(2, ceil_mode=True), lambda: nn.Upsample(scale_factor=2)
    enc = nn.Sequential(*c(1, 16), pool(), *c(16, 8), pool(), *c(8, 8), pool())   # 28->14->7->4
    dec = nn.Sequential(*c(8, 8), up(), *c(8, 8), up(), *c(8, 16, 0), up(),       # 4->8->16->14->28
                        nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid())
    return nn.Sequential(enc, dec)


def dense():
    # (D) 784-128-64-32-64-128-784, ReLU hidden, sigmoid output.
    dims, layers = [784, 128, 64, 32, 64, 128, 784], [nn.Flatten()]
    for i in range(6):
        layers += [nn.Linear(dims[i], dims[i + 1]), nn.Sigmoid() if i == 5 else nn.ReLU()]
    return nn.Sequential(*layers, nn.Unflatten(1, (1, 28, 28)))


MODELS = {"A": seed_cae, "B": bottleneck, "C": pool_upsample, "D": dense}


# ---- data and /proc --------------------------------------------------------------------------------------------

def load_images(path):
    """IDX image file (gzipped) -> float32 tensor (N,1,H,W) of p/255."""
    with gzip.open(path) as f:
        raw = f.read()
    magic, n, h, w = (int.from_bytes(raw[i:i + 4], "big") for i in range(0, 16, 4))
    if magic != 0x00000803:
        raise ValueError(f"{path}: not an IDX image file (magic 0x{magic:08x}, expected 0x00000803)")
    if len(raw) != 16 + n * h * w:
        raise ValueError(f"{path}: header says {n}x{h}x{w} = {n * h * w} pixel bytes, file has {len(raw) - 16}")
    x = np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, h, w)
    return torch.from_numpy(x.astype(np.float32) / 255.0)


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0  # kB
    return float("nan")


class OtherCores:
    """Wall seconds of a stretch of time and the CPU other processes used in it, in cores:
    /proc/stat busy ticks minus this process's utime + stime."""
    HZ = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _ticks():
        f = open("/proc/stat").readline().split()[1:9]
        busy = sum(map(int, f)) - int(f[3]) - int(f[4])  # minus idle, iowait
        s = open("/proc/self/stat").read().rsplit(")", 1)[1].split()
        return busy, int(s[11]) + int(s[12])

    def __init__(self):
        self.t0, (self.busy0, self.own0) = time.perf_counter(), self._ticks()

    def stop(self):
        busy, own = self._ticks()
        wall = time.perf_counter() - self.t0
        return wall, max(0.0, ((busy - self.busy0) - (own - self.own0)) / self.HZ / wall)


# ---- training and inference ------------------------------------------------------------------------------------

@torch.no_grad()
def test_mse(model, x, bs=1000):
    model.eval()
    se = sum(((model(x[i:i + bs]) - x[i:i + bs]) ** 2).sum().item() for i in range(0, len(x), bs))
    model.train()
    return se / x.numel()  # per pixel


def train(model, xtr, xte, epochs, seed):
    """Returns per-epoch test MSE and all timing windows as (images, seconds, other_cores)."""
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.MSELoss()
    g = torch.Generator().manual_seed(seed)
    mses, windows = [], []
    batches = (len(xtr) + BATCH - 1) // BATCH
    for ep in range(1, epochs + 1):
        perm = torch.randperm(len(xtr), generator=g)
        ep_windows, window, images, total = [], None, 0, 0.0
        for b in range(batches):
            # a window opens after WARMUP_BATCHES batches and every WINDOW batches after that
            if b >= WARMUP_BATCHES and (b - WARMUP_BATCHES) % WINDOW == 0:
                if window:
                    ep_windows.append((images, *window.stop()))
                window, images = OtherCores(), 0
            xb = xtr[perm[b * BATCH:(b + 1) * BATCH]]
            loss = loss_fn(model(xb), xb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            images += len(xb)
            total += loss.item() * len(xb)
        if window:
            ep_windows.append((images, *window.stop()))
        mse = test_mse(model, xte)
        rates = [n / t for n, t, _ in ep_windows]
        print(f"  epoch {ep}: train loss {total / len(xtr):.6f}  test MSE {mse:.6f}  train img/s median "
              f"{median(rates):.0f} over {len(rates)} windows (min {min(rates, default=0):.0f}, "
              f"max {max(rates, default=0):.0f})  other_cores {median([c for _, _, c in ep_windows]):.2f}", flush=True)
        mses.append(mse)
        windows += ep_windows
    return mses, windows


@torch.no_grad()
def infer_rates(model, x, bs):
    """img/s of forward passes over x in batches of bs: the first pass, then INFER_PASSES passes after
    INFER_WARMUP_SECONDS of warm-up (whole passes, at least one)."""
    model.eval()

    def one_pass():
        t0 = time.perf_counter()
        for i in range(0, len(x), bs):
            model(x[i:i + bs])
        return len(x) / (time.perf_counter() - t0)

    first = one_pass()
    warm_end = time.perf_counter() + INFER_WARMUP_SECONDS
    while time.perf_counter() < warm_end:
        one_pass()
    rates = [first] + [one_pass() for _ in range(INFER_PASSES)]
    model.train()
    return rates


def median(v):
    return statistics.median(v) if v else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="?", default="A", choices=sorted(MODELS))
    ap.add_argument("epochs", nargs="?", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="torch intra-op threads (default: all CPUs)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default=DATA, help="folder with the four Fashion-MNIST .gz files")
    a = ap.parse_args()
    if a.epochs <= 0 or a.threads <= 0:
        ap.error(f"epochs and threads must be positive, got epochs={a.epochs} threads={a.threads}")

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    xtr = load_images(f"{a.data}/train-images-idx3-ubyte.gz")
    xte = load_images(f"{a.data}/t10k-images-idx3-ubyte.gz")
    model = MODELS[a.model]()
    params = sum(p.numel() for p in model.parameters())
    print(f"{a.model}: params={params}  torch={torch.__version__}  threads={torch.get_num_threads()}  "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}  train={tuple(xtr.shape)}  "
          f"test={tuple(xte.shape)}", flush=True)

    mses, windows = train(model, xtr, xte, a.epochs, a.seed)
    bs64, bs1000 = infer_rates(model, xte, 64), infer_rates(model, xte, 1000)
    print(f"  inference img/s bs64 {[round(r) for r in bs64[1:]]}  bs1000 {[round(r) for r in bs1000[1:]]}  "
          f"(passes after {INFER_WARMUP_SECONDS:.0f} s of warm-up; the first pass, cold: bs64 {bs64[0]:.0f}, "
          f"bs1000 {bs1000[0]:.0f})")
    print(f"RESULT torch {a.model} params={params} threads={torch.get_num_threads()} epochs={a.epochs} "
          f"train_img_s={median([n / t for n, t, _ in windows]):.0f} infer_img_s_bs64={median(bs64[1:]):.0f} "
          f"infer_img_s_bs1000={median(bs1000[1:]):.0f} infer_first_bs64={bs64[0]:.0f} "
          f"infer_first_bs1000={bs1000[0]:.0f} test_mse=" + ",".join(f"{m:.6f}" for m in mses) +
          f" peak_rss_MiB={peak_rss_mib():.0f} other_cores={median([c for _, _, c in windows]):.2f}", flush=True)


if __name__ == "__main__":
    main()
