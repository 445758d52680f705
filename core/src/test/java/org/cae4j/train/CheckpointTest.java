package org.cae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.io.ModelFormatException;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.SeedCae;
import org.cae4j.nn.Parameter;
import org.cae4j.optim.Adam;
import org.cae4j.optim.Optimizer;
import org.cae4j.optim.Sgd;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run stopped at a checkpoint and resumed ends bit-identical to the run that was never stopped. */
class CheckpointTest {
    private static final Datasets.Split DATA = Datasets.embedded();
    private static final ImageDataset TRAIN = DATA.train().subset(600), TEST = DATA.test().subset(100);
    private static final SeedCae.Config CFG = SeedCae.Config.defaults(1, 28, 28).withFilters(4).withKernel(3);

    @TempDir
    Path dir;

    private static Optimizer optimizer(String kind, Autoencoder ae) {
        return kind.equals("adam") ? Adam.adam(ae.parameters(), 3e-3) : new Sgd(ae.parameters(), 0.05, 0.9, 0, 1e-4, true);
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest(name = "{0}, stopped after step {1}")
    @CsvSource({"adam,13", "adam,20", "sgd,7", "adam,1"})
    void resumedRunEqualsUninterruptedRun(String opt, long stopAfter) {
        // uninterrupted: 3 epochs of 600 images in batches of 64 (10 steps an epoch, the last of 24 images)
        Rng rng = new Rng(11);
        Autoencoder a = SeedCae.build(CFG, rng);
        Trainer ta = new Trainer(a, optimizer(opt, a), new MseLoss(), Trainer.Config.of(3, 64));
        List<Trainer.EpochMetrics> ha = ta.fit(TRAIN, TEST, rng, null);

        // interrupted: checkpoint when step == stopAfter, then "crash"
        Path ck = dir.resolve("checkpoint.safetensors");
        Rng rngB = new Rng(11);
        Autoencoder b = SeedCae.build(CFG, rngB);
        Optimizer ob = optimizer(opt, b);
        Trainer tb = new Trainer(b, ob, new MseLoss(), Trainer.Config.of(3, 64));
        assertThrows(Stop.class, () -> tb.fit(TRAIN, TEST, rngB, new Trainer.Listener() {
            @Override
            public void onSettled(long step, boolean epochEnd, java.util.function.Supplier<Trainer.Progress> p) {
                if (step == stopAfter && (stopAfter % 10 != 0 || epochEnd)) {
                    Checkpoint.save(ck, b, ob, rngB, p.get(), Map.of("run", "test"));
                    throw new Stop();
                }
            }
        }));

        // resumed in a fresh "process": everything from the file
        Checkpoint.Loaded l = Checkpoint.load(ck);
        assertEquals(stopAfter, l.progress().step());
        assertEquals("test", l.metadata().get("run"));
        Autoencoder c = l.model();
        Optimizer oc = optimizer(opt, c);
        l.restore(oc);
        Rng rngC = new Rng(0);
        rngC.setState(l.rngState());
        List<Trainer.EpochMetrics> hc = new Trainer(c, oc, new MseLoss(), Trainer.Config.of(3, 64))
                .resume(TRAIN, TEST, rngC, null, l.progress());

        for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value.data, c.namedParameters().get(e.getKey()).value.data, e.getKey());
        }
        assertEquals(ha.size(), hc.size());
        for (int i = 0; i < ha.size(); i++) {
            assertEquals(ha.get(i).trainLoss(), hc.get(i).trainLoss(), "train loss of epoch " + (i + 1));
            assertEquals(ha.get(i).testMse(), hc.get(i).testMse(), "test MSE of epoch " + (i + 1));
        }
    }

    private static Autoencoder randomModel(String kind, Rng rng) {
        if (kind.equals("vae-conv")) return org.cae4j.model.Presets.vaeConv(1, 28, 28, 4, 1, rng);
        Autoencoder base = SeedCae.build(CFG, rng);
        return org.cae4j.model.Presets.denoising(base, new org.cae4j.nn.MaskingNoise(0.3, new Rng(rng.nextLong())));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"denoising", "vae-conv"})
    void resumedRunOfARandomModelEqualsUninterruptedRunBecauseItsGeneratorsAreSaved(String kind) {
        Rng rng = new Rng(12);
        Autoencoder a = randomModel(kind, rng);
        Trainer ta = new Trainer(a, Adam.adam(a.parameters(), 3e-3), new MseLoss(), Trainer.Config.of(2, 64));
        List<Trainer.EpochMetrics> ha = ta.fit(TRAIN, TEST, rng, null);

        Path ck = dir.resolve("checkpoint.safetensors");
        Rng rngB = new Rng(12);
        Autoencoder b = randomModel(kind, rngB);
        Optimizer ob = Adam.adam(b.parameters(), 3e-3);
        assertThrows(Stop.class, () -> new Trainer(b, ob, new MseLoss(), Trainer.Config.of(2, 64)).fit(TRAIN, TEST, rngB,
                new Trainer.Listener() {
                    @Override
                    public void onSettled(long step, boolean epochEnd, java.util.function.Supplier<Trainer.Progress> p) {
                        if (step == 13) {
                            Checkpoint.save(ck, b, ob, rngB, p.get(), Map.of());
                            throw new Stop();
                        }
                    }
                }));
        Checkpoint.Loaded l = Checkpoint.load(ck);
        Autoencoder c = l.model();
        assertEquals(1, c.generators().size());
        Optimizer oc = Adam.adam(c.parameters(), 3e-3);
        l.restore(oc);
        Rng rngC = new Rng(0);
        rngC.setState(l.rngState());
        List<Trainer.EpochMetrics> hc = new Trainer(c, oc, new MseLoss(), Trainer.Config.of(2, 64))
                .resume(TRAIN, TEST, rngC, null, l.progress());
        for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value.data, c.namedParameters().get(e.getKey()).value.data, e.getKey());
        }
        assertEquals(strip(ha), strip(hc));
    }

    /** Epoch metrics without the timings. */
    private static List<List<Double>> strip(List<Trainer.EpochMetrics> h) {
        return h.stream().map(m -> List.of((double) m.epoch(), m.trainLoss(), m.testMse())).toList();
    }

    @Test
    void aFileThatIsNotACheckpointIsRejected() {
        Autoencoder a = SeedCae.build(CFG, new Rng(0));
        Path f = dir.resolve("model.safetensors");
        org.cae4j.model.Models.save(f, a, Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().startsWith("model.safetensors: not a cae4j checkpoint"), e.getMessage());
    }

    /** A checkpoint whose generator state is from the older xoshiro generator, or out of range, is refused by name. */
    @Test
    void aBadGeneratorStateIsNamed() {
        Autoencoder a = SeedCae.build(CFG, new Rng(0));
        Path f = dir.resolve("checkpoint-0000000001.safetensors");
        Checkpoint.save(f, a, Adam.adam(a.parameters(), 1e-3), new Rng(3), Trainer.Progress.start(10), Map.of());
        org.cae4j.io.ModelFile.Loaded m = org.cae4j.io.ModelFile.read(f);
        String[] st = m.metadata().get("rng").split(",");
        assertEquals(Rng.STATE_LONGS, st.length);
        Map<String, String> old = new java.util.LinkedHashMap<>(m.metadata());
        old.put("rng", "1,2,3,4,5,0");
        Path g = dir.resolve("old.safetensors");
        org.cae4j.io.ModelFile.write(g, m.tensors(), old);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.load(g));
        assertEquals("old.safetensors: metadata 'rng' must hold " + Rng.STATE_LONGS + " numbers per generator, got 6 (a "
                + "checkpoint of cae4j before its generator became PyTorch's mt19937; it cannot be resumed)", e.getMessage());
        st[Rng.STATE_LONGS - 3] = "625"; // the position in the 624 words
        old.put("rng", String.join(",", st));
        org.cae4j.io.ModelFile.write(g, m.tensors(), old);
        e = assertThrows(ModelFormatException.class, () -> Checkpoint.load(g));
        assertEquals("old.safetensors: Rng state: position 625 outside 0..624", e.getMessage());
    }

    @Test
    void optimizerStateRoundTripsAndMissingEntriesAreNamed() {
        Autoencoder a = SeedCae.build(CFG, new Rng(0));
        Adam adam = Adam.adam(a.parameters(), 1e-3);
        for (Parameter p : a.parameters()) java.util.Arrays.fill(p.grad.data, 0.5f);
        adam.step();
        Map<String, org.cae4j.tensor.Tensor> t = new java.util.LinkedHashMap<>();
        Map<String, String> s = new java.util.LinkedHashMap<>();
        adam.saveState(t, s);
        assertEquals("1", s.get("step"));
        assertEquals(2 * a.parameters().size(), t.size());
        t.remove("exp_avg.2");
        Adam other = Adam.adam(a.parameters(), 1e-3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadState(t, s));
        assertEquals("optimizer state: missing 'exp_avg.2'", e.getMessage());
    }
}
