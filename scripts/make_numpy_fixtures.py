"""Writes the small .npy/.npz files that NumpyGoldenTest reads, with numpy itself (run from the repo root)."""
import numpy as np

out = "core/src/test/resources/org/cae4j/data/numpy/"
x = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)           # (N, H, W)
np.save(out + "u8_nhw.npy", x)
np.save(out + "f4_exact.npy", (x / np.float32(255)).astype(np.float32))
np.save(out + "f4_inexact.npy", np.linspace(0, 1, 24, dtype=np.float32).reshape(2, 3, 4))
hwc = np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3)  # (N, H, W, C)
np.save(out + "u8_nhwc.npy", hwc)
np.save(out + "fortran.npy", np.asfortranarray(x))
np.savez_compressed(out + "keras_like.npz", x_train=x, y_train=np.array([3, 7], dtype=np.int64),
                    x_test=x[:1], y_test=np.array([[9]], dtype=np.uint8))
np.savez(out + "positional.npz", x)
