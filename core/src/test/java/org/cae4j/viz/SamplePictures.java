package org.cae4j.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.cae4j.tensor.Tensor;

/**
 * Writes every kind of picture from synthetic data (Gabor filters, digit-like strokes, a decaying loss) for a
 * person to look at: {@code java -cp core/target/classes:core/target/test-classes org.cae4j.viz.SamplePictures [dir]}.
 */
public final class SamplePictures {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/viz-samples");
        Random rnd = new Random(7);

        Tensor digits = digits(32, rnd);
        Tensor recon = blurred(digits, rnd);
        Pictures.reconstructions(dir.resolve("reconstructions-8.png"), digits, recon, 8);
        Pictures.reconstructions(dir.resolve("reconstructions-24.png"), digits, recon, 24);
        Pictures.reconstructions(dir.resolve("reconstructions-1.png"), digits, recon, 1);
        Tensor colour = colourImages(12, rnd);
        Pictures.reconstructions(dir.resolve("reconstructions-rgb.png"), colour, blurred(colour, rnd), 6);

        Tensor gabor = gabor(16, 1, 5, rnd);
        Pictures.filters(dir.resolve("filters-16x1x5x5.png"), gabor);
        Pictures.filters(dir.resolve("filters-8x3x7x7.png"), gabor(8, 3, 7, rnd));
        Pictures.filters(dir.resolve("filters-32x16x3x3.png"), gabor(32, 16, 3, rnd));
        Pictures.filters(dir.resolve("filters-1x1x5x5.png"), gabor(1, 1, 5, rnd));

        Tensor one = new Tensor(java.util.Arrays.copyOf(digits.data, 28 * 28), 1, 1, 28, 28);
        Pictures.activations(dir.resolve("activations-16x24x24.png"), reluConv(one, gabor, 3), one);
        Pictures.activations(dir.resolve("activations-4x8x8.png"), pool(reluConv(one, gabor, -1), 4, 24, 3), one);

        int E = 30;
        double[] train = new double[E], test = new double[E];
        for (int e = 0; e < E; e++) {
            train[e] = 0.09 * Math.exp(-e / 4.0) + 0.004 + 0.0008 * rnd.nextGaussian() * Math.exp(-e / 10.0);
            test[e] = 0.085 * Math.exp(-e / 4.5) + 0.0052 + 0.0005 * rnd.nextGaussian();
        }
        Pictures.lossCurve(dir.resolve("loss-30.png"), train, test, "mean squared error");
        double[] lin = new double[12], linTest = new double[12];
        for (int e = 0; e < 12; e++) {
            lin[e] = 0.034 - 0.012 * (1 - Math.exp(-e / 3.0));
            linTest[e] = lin[e] + 0.0015;
        }
        Pictures.lossCurve(dir.resolve("loss-12-linear.png"), lin, linTest, "loss");
        double[] withNan = train.clone();
        withNan[7] = Double.NaN;
        withNan[8] = Double.POSITIVE_INFINITY;
        withNan[12] = Double.NaN;
        Pictures.lossCurve(dir.resolve("loss-30-nan.png"), withNan, null, "binary cross-entropy");
        Pictures.lossCurve(dir.resolve("loss-1-epoch.png"), new double[] {0.0312}, new double[] {0.0335}, "loss");
        double[] long200 = new double[200], long200Test = new double[200];
        for (int e = 0; e < 200; e++) {
            long200[e] = 0.2 / (1 + e) + 0.002 + 0.0005 * Math.abs(rnd.nextGaussian()) / (1 + e * 0.05);
            long200Test[e] = 0.19 / (1 + e) + 0.0028;
        }
        Pictures.lossCurve(dir.resolve("loss-200.png"), long200, long200Test, "mean squared error");
        System.out.println("wrote samples to " + dir);
    }

    /** N grey 28×28 images of a few thick strokes each, like handwritten digits. */
    static Tensor digits(int n, Random rnd) {
        float[] d = new float[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            int strokes = 1 + rnd.nextInt(3);
            for (int s = 0; s < strokes; s++) {
                double cx = 14 + rnd.nextGaussian() * 2, cy = 14 + rnd.nextGaussian() * 2;
                double rx = 3 + rnd.nextDouble() * 6, ry = 4 + rnd.nextDouble() * 6;
                double a0 = rnd.nextDouble() * 2 * Math.PI, sweep = Math.PI * (0.6 + rnd.nextDouble() * 1.4);
                for (double t = 0; t <= 1; t += 0.01) {
                    double a = a0 + sweep * t;
                    stamp(d, i * 784, cx + rx * Math.cos(a), cy + ry * Math.sin(a));
                }
            }
        }
        return new Tensor(d, n, 1, 28, 28);
    }

    private static void stamp(float[] d, int off, double x, double y) {
        for (int h = 0; h < 28; h++) {
            for (int w = 0; w < 28; w++) {
                double r2 = (w - x) * (w - x) + (h - y) * (h - y);
                d[off + h * 28 + w] = (float) Math.max(d[off + h * 28 + w], Math.exp(-r2 / 2.2));
            }
        }
    }

    /** N RGB 32×32 images of soft coloured discs on a gradient sky. */
    static Tensor colourImages(int n, Random rnd) {
        float[] d = new float[n * 3 * 32 * 32];
        for (int i = 0; i < n; i++) {
            double cx = 8 + rnd.nextDouble() * 16, cy = 8 + rnd.nextDouble() * 16, r = 5 + rnd.nextDouble() * 6;
            float[] rgb = {rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()};
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 32; h++) {
                    for (int w = 0; w < 32; w++) {
                        double inside = 1 / (1 + Math.exp((Math.hypot(w - cx, h - cy) - r) * 1.5));
                        double sky = c == 2 ? 0.9 - h / 64.0 : 0.6 - h / 80.0;
                        d[((i * 3 + c) * 32 + h) * 32 + w] = (float) (inside * rgb[c] + (1 - inside) * sky);
                    }
                }
            }
        }
        return new Tensor(d, n, 3, 32, 32);
    }

    /** A 3×3 box blur plus a little noise, like an autoencoder's output; values may leave [0, 1]. */
    static Tensor blurred(Tensor x, Random rnd) {
        int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
        float[] y = new float[x.size()];
        for (int nc = 0; nc < N * C; nc++) {
            for (int h = 0; h < H; h++) {
                for (int w = 0; w < W; w++) {
                    double s = 0;
                    int cnt = 0;
                    for (int dh = -1; dh <= 1; dh++) {
                        for (int dw = -1; dw <= 1; dw++) {
                            int hh = h + dh, ww = w + dw;
                            if (hh >= 0 && hh < H && ww >= 0 && ww < W) {
                                s += x.data[(nc * H + hh) * W + ww];
                                cnt++;
                            }
                        }
                    }
                    y[(nc * H + h) * W + w] = (float) (s / cnt * 1.1 + rnd.nextGaussian() * 0.03);
                }
            }
        }
        return new Tensor(y, x.shape());
    }

    /** K Gabor-like filters (K,C,R,S): oriented stripes under a Gaussian, phase varying with the channel. */
    static Tensor gabor(int K, int C, int R, Random rnd) {
        float[] w = new float[K * C * R * R];
        double c0 = (R - 1) / 2.0;
        for (int k = 0; k < K; k++) {
            double theta = Math.PI * k / K, freq = 0.45 + 0.3 * (k % 2);
            for (int c = 0; c < C; c++) {
                double phase = c * 1.3 + k;
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < R; s++) {
                        double u = (s - c0) * Math.cos(theta) + (r - c0) * Math.sin(theta);
                        double env = Math.exp(-((r - c0) * (r - c0) + (s - c0) * (s - c0)) / (0.5 * R * R / 2));
                        w[((k * C + c) * R + r) * R + s] = (float) (0.3 * env * Math.cos(2 * freq * u + phase)
                                + 0.02 * rnd.nextGaussian());
                    }
                }
            }
        }
        return new Tensor(w, K, C, R, R);
    }

    /** ReLU of a valid convolution of one (1,1,28,28) image with weights (K,1,R,R), as (1,K,P,P); map {@code dead} is all zero. */
    static Tensor reluConv(Tensor x, Tensor w, int dead) {
        int K = w.dim(0), R = w.dim(2), P = 28 - R + 1;
        float[] y = new float[K * P * P];
        for (int k = 0; k < K; k++) {
            if (k == dead) continue;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < P; q++) {
                    double s = 0;
                    for (int r = 0; r < R; r++) {
                        for (int t = 0; t < R; t++) s += x.data[(p + r) * 28 + q + t] * w.data[(k * R + r) * R + t];
                    }
                    y[(k * P + p) * P + q] = (float) Math.max(0, s);
                }
            }
        }
        return new Tensor(y, 1, K, P, P);
    }

    /** The first K maps of (1,K',P,P), max-pooled by {@code f}: (K, P/f, P/f). */
    static Tensor pool(Tensor maps, int K, int P, int f) {
        int O = P / f;
        float[] y = new float[K * O * O];
        for (int k = 0; k < K; k++) {
            for (int i = 0; i < O; i++) {
                for (int j = 0; j < O; j++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int a = 0; a < f; a++) {
                        for (int b = 0; b < f; b++) m = Math.max(m, maps.data[(k * P + i * f + a) * P + j * f + b]);
                    }
                    y[(k * O + i) * O + j] = m;
                }
            }
        }
        return new Tensor(y, K, O, O);
    }

    private SamplePictures() {}
}
