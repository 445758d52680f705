package org.cae4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.SeedCae;
import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every layer's backward agrees with central differences, over strides, paddings, kernels, channels, batch. */
class LayerGradientTest {

    static Stream<Arguments> convCases() {
        List<Arguments> cases = new ArrayList<>();
        Padding[] pads = {Padding.valid(), Padding.same(), Padding.full(), Padding.of(1), Padding.of(0, 2, 1, 0)};
        int[][] kernels = {{1, 1}, {2, 2}, {3, 3}, {5, 5}, {3, 2}};
        int i = 0;
        for (int stride = 1; stride <= 3; stride++) {
            for (Padding p : pads) {
                for (int[] k : kernels) {
                    int c = (i % 2 == 0) ? 1 : 3, n = (i % 3 == 0) ? 2 : 1;
                    cases.add(Arguments.of(n, c, 7, 6, 3, k[0], k[1], stride, p, i % 4 != 3));
                    i++;
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "N={0} C={1} {2}x{3} K={4} k={5}x{6} s={7} pad={8} bias={9}")
    @MethodSource("convCases")
    void conv2dGradientsMatchCentralDifferences(int n, int c, int h, int w, int k, int r, int s, int stride,
                                                Padding pad, boolean bias) {
        Rng rng = new Rng(31L * h + 7 * r + stride + c);
        Conv2d conv = new Conv2d(c, k, r, s, stride, stride, pad, bias, Init.PYTORCH, rng);
        GradCheck.layer(conv.toString(), conv, GradCheck.uniform(rng, -1, 1, n, c, h, w), rng);
    }

    static Stream<Arguments> transposedCases() {
        return Stream.of(
                Arguments.of(1, 2, 3, 4, 3, 1, 0, 0),
                Arguments.of(2, 3, 2, 3, 3, 2, 1, 1),
                Arguments.of(1, 4, 1, 5, 5, 2, 4, 1),
                Arguments.of(2, 2, 3, 3, 2, 3, 0, 2),
                Arguments.of(1, 1, 1, 6, 4, 2, 1, 0));
    }

    @ParameterizedTest(name = "N={0} in={1} out={2} P={3} k={4} s={5} p={6} op={7}")
    @MethodSource("transposedCases")
    void convTranspose2dGradientsMatchCentralDifferences(int n, int in, int out, int p, int k, int s, int pad, int op) {
        Rng rng = new Rng(17L * p + k + s);
        ConvTranspose2d ct = new ConvTranspose2d(in, out, k, s, pad, op, rng);
        GradCheck.layer(ct.toString(), ct, GradCheck.uniform(rng, -1, 1, n, in, p, p + 1), rng);
    }

    @ParameterizedTest
    @EnumSource(Activation.Kind.class)
    void activationGradientsMatchCentralDifferences(Activation.Kind kind) {
        Rng rng = new Rng(kind.ordinal());
        Activation a = Activation.of(kind);
        // ±[0.05, 1)·3 keeps every probe further than ε from ReLU's kink
        Tensor x = GradCheck.awayFromZero(rng, 0.05, 2, 3, 4, 5);
        for (int i = 0; i < x.size(); i++) x.data[i] *= 3;
        GradCheck.layer(a.toString(), a, x, rng);
    }

    @ParameterizedTest
    @MethodSource("seedConfigs")
    void seedCaeGradientsMatchCentralDifferences(SeedCae.Config cfg) {
        Rng rng = new Rng(5);
        Autoencoder ae = SeedCae.build(cfg, rng);
        ae.encoder().setInputGradNeeded(true);
        GradCheck.layer("seed CAE " + cfg, ae, GradCheck.uniform(rng, 0, 1, 2, cfg.channels(), cfg.height(), cfg.width()), rng);
    }

    static Stream<SeedCae.Config> seedConfigs() {
        return Stream.of(
                SeedCae.Config.defaults(1, 8, 8).withFilters(4).withKernel(3),
                SeedCae.Config.defaults(3, 7, 7).withFilters(2).withKernel(5),
                SeedCae.Config.defaults(1, 9, 9).withFilters(3).withKernel(3).withStride(2),
                SeedCae.Config.defaults(2, 8, 8).withFilters(3).withKernel(3).withStride(3)
                        .withActivations(Activation.Kind.ELU, Activation.Kind.IDENTITY));
    }
}
