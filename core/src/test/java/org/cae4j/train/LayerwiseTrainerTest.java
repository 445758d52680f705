package org.cae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.model.StackedCae;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Parameter;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greedy layer-wise pretraining of a stacked CAE, then fine-tuning: what each phase trains, on what, and the result. */
class LayerwiseTrainerTest {
    private static final Datasets.Split DATA = Datasets.embedded();
    private int savedThreads;

    @TempDir
    Path dir;

    @BeforeEach
    void twoThreads() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(2);
    }

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    private static Map<String, float[]> snapshot(Autoencoder ae) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ae.namedParameters().entrySet()) m.put(e.getKey(), e.getValue().value.data.clone());
        return m;
    }

    @Test
    void eachGreedyPhaseChangesOnlyItsOwnLayerBitForBit() {
        Rng rng = new Rng(0);
        // three layers (unpooled, so that 28x28 fits), so that a middle phase has layers on both sides
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28).withPooling(false).withFilters(6, 4, 3), rng);
        StackedCae s = StackedCae.of(ae);
        ImageDataset train = DATA.train().subset(128);
        for (int l = 1; l <= 3; l++) {
            Map<String, float[]> before = snapshot(ae);
            new LayerwiseTrainer(s, l, Adam.adam(s.parameters(l), 1e-2), Trainer.Config.of(1, 32)).fit(train, null, rng, null);
            Map<String, float[]> after = snapshot(ae);
            List<String> own = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : ae.namedParameters().entrySet()) {
                if (s.parameters(l).contains(e.getValue())) own.add(e.getKey());
            }
            assertEquals(4, own.size());
            for (String k : before.keySet()) {
                if (own.contains(k)) {
                    assertFalse(java.util.Arrays.equals(before.get(k), after.get(k)), "phase " + l + " should train " + k);
                } else {
                    assertArrayEquals(before.get(k), after.get(k), "phase " + l + " changed " + k + " of another layer");
                }
            }
        }
    }

    @Test
    void afterTheGreedyPhasesTheWholeStackBackpropagatesAsAFreshlyBuiltOne() {
        Rng rng = new Rng(0);
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28).withFilters(4, 3), rng);
        StackedCae s = StackedCae.of(ae);
        ImageDataset train = DATA.train().subset(64);
        for (int l = 1; l <= 2; l++) {
            new LayerwiseTrainer(s, l, Adam.adam(s.parameters(l), 1e-2), Trainer.Config.of(1, 32)).fit(train, null, rng, null);
        }
        // the same weights in a model that never pretrained: every gradient of one batch must agree, none be skipped
        Autoencoder fresh = Models.fromMetadata(ae.architecture(), new Rng(9));
        for (Map.Entry<String, Parameter> e : ae.namedParameters().entrySet()) {
            float[] w = e.getValue().value.data;
            System.arraycopy(w, 0, fresh.namedParameters().get(e.getKey()).value.data, 0, w.length);
        }
        Tensor x = new Tensor(8, 1, 28, 28);
        int[] idx = {0, 1, 2, 3, 4, 5, 6, 7};
        train.copyBatch(idx, 0, 8, x.data);
        for (Autoencoder m : List.of(ae, fresh)) {
            for (Parameter p : m.parameters()) p.zeroGrad();
            m.backward(new MseLoss().forward(m.forward(x), x).grad());
        }
        for (Map.Entry<String, Parameter> e : ae.namedParameters().entrySet()) {
            float[] g = e.getValue().grad.data;
            assertArrayEquals(fresh.namedParameters().get(e.getKey()).grad.data, g, e.getKey());
            double norm = 0;
            for (float v : g) norm += v * v;
            assertTrue(norm > 0, e.getKey() + " gets no gradient");
        }
    }

    @Test
    void layerTwoReconstructsTheMapsOfEncoderOneNotTheImage() {
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28).withFilters(4, 3), new Rng(2));
        StackedCae s = StackedCae.of(ae);
        ImageDataset images = DATA.test().subset(40);
        Tensor x = new Tensor(40, 1, 28, 28);
        int[] all = new int[40];
        for (int i = 0; i < 40; i++) all[i] = i;
        images.copyBatch(all, 0, 40, x.data);
        // encoder 1 by its layers (conv, tanh, pool), then layer 2 (encoder 2, decoder 2), by the model's own layers
        Tensor m = x;
        for (Layer l : ae.encoder().layers().subList(0, 3)) m = l.forward(m);
        m = m.copy();
        Tensor y = m;
        for (Layer l : ae.encoder().layers().subList(3, 6)) y = l.forward(y);
        for (Layer l : ae.decoder().layers().subList(0, 3)) y = l.forward(y);
        assertArrayEquals(new int[] {40, 4, 14, 14}, y.shape());
        double se = 0;
        for (int i = 0; i < m.size(); i++) se += (y.data[i] - m.data[i]) * (double) (y.data[i] - m.data[i]);
        double expected = se / m.size();
        assertEquals(expected, LayerwiseTrainer.evaluateMse(s, 2, images, 16), 1e-6 * expected);
        assertTrue(Math.abs(expected - Trainer.evaluateMse(ae, images, 16)) > 1e-3, "the image MSE is another number");

        // the first step's loss is the same error on the same images (one batch of all 40, in order)
        List<Double> losses = new ArrayList<>();
        new LayerwiseTrainer(s, 2, Adam.adam(s.parameters(2), 1e-3), new Trainer.Config(1, 40, false, 256))
                .fit(images, null, new Rng(0), new Trainer.Listener() {
                    @Override
                    public void onBatch(int epoch, int batch, int batches, double loss, double ips) { losses.add(loss); }
                });
        assertEquals(expected, losses.get(0), 1e-6 * expected);
    }

    @Test
    void anOptimizerOverOtherParametersIsRefused() {
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 8, 8).withFilters(2, 2), new Rng(0));
        StackedCae s = StackedCae.of(ae);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerwiseTrainer(s, 2, Adam.adam(ae.parameters(), 1e-3), Trainer.Config.of(1, 4)));
        assertTrue(e.getMessage().startsWith("pretraining layer 2: expected an optimizer over layer 2's 4 parameters "
                + "[weight[2, 2, 5, 5], bias[2], weight[2, 2, 5, 5], bias[2]], got one over 8 parameters"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LayerwiseTrainer(s, 1, Adam.adam(s.parameters(2), 1e-3), Trainer.Config.of(1, 4)));
    }

    /** Pretrains every layer for one epoch, then fine-tunes; returns the test MSEs before and after each phase. */
    private static double[][] greedyThenFineTune(Autoencoder ae, Rng rng, ImageDataset train, ImageDataset test) {
        StackedCae s = StackedCae.of(ae);
        double[][] r = new double[s.depth() + 1][2];
        for (int l = 1; l <= s.depth(); l++) {
            r[l - 1][0] = LayerwiseTrainer.evaluateMse(s, l, test, 256);
            List<Trainer.EpochMetrics> m = new LayerwiseTrainer(s, l, Adam.adam(s.parameters(l), 1e-3),
                    Trainer.Config.of(1, 32)).fit(train, test, rng, null);
            r[l - 1][1] = m.get(0).testMse();
        }
        r[s.depth()][0] = Trainer.evaluateMse(ae, test, 256);
        r[s.depth()][1] = new Trainer(ae, Adam.adam(ae.parameters(), 1e-3), new MseLoss(), Trainer.Config.of(1, 32))
                .fit(train, test, rng, null).get(0).testMse();
        return r;
    }

    @Test
    void lossFallsInEveryPhaseOnFashionMnistAndTheModelFileReproducesTheOutputs() {
        Rng rng = new Rng(0);
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28), rng);
        ImageDataset train = DATA.train().subset(1600), test = DATA.test().subset(400);
        double[][] r = greedyThenFineTune(ae, rng, train, test);
        for (int p = 0; p < r.length; p++) {
            System.out.printf("stacked %s: test MSE %.5f -> %.5f%n", p < r.length - 1 ? "layer " + (p + 1) : "fine-tune",
                    r[p][0], r[p][1]);
        }
        assertTrue(r[0][1] < r[0][0] / 3, "layer 1: " + r[0][0] + " -> " + r[0][1]);
        assertTrue(r[1][1] < r[1][0] / 3, "layer 2: " + r[1][0] + " -> " + r[1][1]);
        assertTrue(r[2][1] < r[2][0], "fine-tuning: " + r[2][0] + " -> " + r[2][1]);

        Path file = dir.resolve("stacked.safetensors");
        Models.save(file, ae, Map.of("test_mse", Double.toString(r[2][1])));
        Models.Loaded back = Models.load(file);
        assertEquals("stacked", back.metadata().get("preset"));
        assertEquals("16,8", back.metadata().get("filters"));
        assertEquals(snapshot(ae).keySet(), snapshot(back.model()).keySet());
        Tensor x = new Tensor(16, 1, 28, 28);
        int[] idx = new int[16];
        for (int i = 0; i < 16; i++) idx[i] = i;
        test.copyBatch(idx, 0, 16, x.data);
        ae.train(false);
        back.model().train(false);
        assertArrayEquals(ae.forward(x).copy().data, back.model().forward(x).copy().data, "reconstructions differ");
        assertArrayEquals(ae.encode(x).copy().data, back.model().encode(x).copy().data, "codes differ");
        assertEquals(r[2][1], Trainer.evaluateMse(back.model(), test, 256), 0);
    }

    @Test
    void theWholeProcedureIsIdenticalForTheSameSeed() {
        ImageDataset train = DATA.train().subset(192), test = DATA.test().subset(64);
        List<Map<String, float[]>> runs = new ArrayList<>();
        for (long seed : new long[] {4, 4, 5}) {
            Rng rng = new Rng(seed);
            Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28).withFilters(4, 2), rng);
            greedyThenFineTune(ae, rng, train, test);
            runs.add(snapshot(ae));
        }
        for (String k : runs.get(0).keySet()) assertArrayEquals(runs.get(0).get(k), runs.get(1).get(k), k);
        assertFalse(java.util.Arrays.equals(runs.get(0).get("0.weight"), runs.get(2).get("0.weight")));
    }
}
