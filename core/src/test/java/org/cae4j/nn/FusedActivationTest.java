package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cae4j.ops.Padding;
import org.cae4j.ops.Parallel;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A convolution or a dense layer and the activation after it, run by {@link Sequential} in one pass ({@link FusesActivation}),
 * give exactly the bits of the two layers run one after the other: output, input gradient, weight and bias
 * gradients; for every fusable kind, plain and strided convolutions and transposed convolutions (every kernel
 * path: direct, phase planes, im2col + GEMM under the plain kernels), batches that split unevenly over threads,
 * and a first layer that needs no input gradient.
 */
class FusedActivationTest {

    private static final Supplier<Activation>[] KINDS = kinds();

    @SuppressWarnings("unchecked")
    private static Supplier<Activation>[] kinds() {
        return new Supplier[] {Activation::tanh, Activation::sigmoid, Activation::relu, Activation::identity};
    }

    /** Conv layers of every path, each with its input shape (C, H, W). */
    private static List<Object[]> convs(Rng rng) {
        List<Object[]> c = new ArrayList<>();
        c.add(new Object[] {new Conv2d(1, 16, 5, 1, Padding.full(), rng), new int[] {1, 12, 12}});
        c.add(new Object[] {new Conv2d(16, 1, 5, 1, Padding.valid(), rng), new int[] {16, 9, 9}});
        c.add(new Object[] {new Conv2d(3, 5, 3, 1, Padding.same(), rng), new int[] {3, 7, 6}});
        c.add(new Object[] {new Conv2d(3, 8, 3, 2, Padding.of(1), rng), new int[] {3, 11, 10}});
        c.add(new Object[] {new ConvTranspose2d(8, 4, 3, 2, 1, 1, rng), new int[] {8, 5, 4}});
        c.add(new Object[] {new ConvTranspose2d(4, 3, 3, 1, 1, 0, rng), new int[] {4, 6, 6}});
        // dense layers, their products large enough at batch 64 to be split: by batch rows (1568 -> 20, and the
        // tied 600 -> 40, whose weight gradient is split by in-features), by out-features (40 -> 600)
        c.add(new Object[] {new Linear(1568, 20, rng), new int[] {1568}});
        Linear enc = new Linear(40, 600, rng);
        c.add(new Object[] {enc, new int[] {40}});
        c.add(new Object[] {Linear.tiedTo(enc, true, rng), new int[] {600}});
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void fusedPairGivesTheBitsOfTheTwoLayers(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            for (Supplier<Activation> kind : KINDS) {
                for (int batch : new int[] {1, 5, 64}) {
                    for (boolean inputGrad : new boolean[] {true, false}) {
                        List<Object[]> fused = convs(new Rng(7)), alone = convs(new Rng(7));
                        for (int i = 0; i < fused.size(); i++) {
                            check((Layer) fused.get(i)[0], (Layer) alone.get(i)[0], kind, (int[]) fused.get(i)[1],
                                    batch, inputGrad);
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void check(Layer convF, Layer convA, Supplier<Activation> kind, int[] in, int batch,
                              boolean inputGrad) {
        Activation actF = kind.get(), actA = kind.get();
        assertTrue(actF.fusable());
        Sequential seq = new Sequential(convF, actF);
        seq.setInputGradNeeded(inputGrad);
        convA.setInputGradNeeded(inputGrad);
        String what = convF + " + " + actF + ", batch " + batch + ", input grad " + inputGrad;
        Rng rng = new Rng(batch);
        Tensor x = random(rng, batch, in);
        for (int step = 0; step < 2; step++) { // twice: the second reuses every buffer
            Tensor y = seq.forward(x);
            Tensor yA = actA.forward(convA.forward(x));
            assertArrayEquals(yA.data, y.data, what + ": output");
            if (convF instanceof Linear) { // evaluation mode's products (split by rows, a transposed weight)
                seq.train(false);
                convA.train(false);
                assertArrayEquals(actA.forward(convA.forward(x)).data, seq.forward(x).data, what + ": evaluation output");
                seq.train(true);
                convA.train(true);
                seq.forward(x);
                actA.forward(convA.forward(x));
            }
            Tensor dy = random(rng, batch, java.util.Arrays.copyOfRange(y.shape(), 1, y.rank()));
            zeroGrads(convF);
            zeroGrads(convA);
            Tensor dx = seq.backward(dy);
            Tensor dxA = convA.backward(actA.backward(dy));
            if (inputGrad) {
                assertArrayEquals(dxA.data, dx.data, what + ": input gradient");
            } else {
                assertNull(dx, what);
            }
            for (int p = 0; p < convF.parameters().size(); p++) {
                assertArrayEquals(convA.parameters().get(p).grad.data, convF.parameters().get(p).grad.data,
                        what + ": gradient of " + convF.parameters().get(p).name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"elu", "softplus", "leaky-relu"})
    void kindsThatNeedTheirInputAreNotFusedAndStillAgree(String name) {
        Activation actF = Activation.parse(name), actA = Activation.parse(name);
        assertFalse(actF.fusable());
        Conv2d convF = new Conv2d(2, 3, 3, 1, Padding.same(), new Rng(3)), convA = new Conv2d(2, 3, 3, 1, Padding.same(), new Rng(3));
        Sequential seq = new Sequential(convF, actF);
        Rng rng = new Rng(4);
        Tensor x = random(rng, 4, new int[] {2, 5, 5});
        assertArrayEquals(actA.forward(convA.forward(x)).data, seq.forward(x).data);
        Tensor dy = random(rng, 4, new int[] {3, 5, 5});
        assertArrayEquals(convA.backward(actA.backward(dy)).data, seq.backward(dy).data);
    }

    private static void zeroGrads(Layer l) {
        for (Parameter p : l.parameters()) java.util.Arrays.fill(p.grad.data, 0f);
    }

    private static Tensor random(Rng rng, int batch, int[] sample) {
        int[] shape = new int[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Tensor t = new Tensor(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = rng.nextFloat() * 2 - 1;
        return t;
    }
}
