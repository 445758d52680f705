package org.cae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cae4j.data.Datasets;
import org.cae4j.data.ImageDataset;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.SeedCae;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The seed CAE learns on real data, deterministically. */
class TrainerSmokeTest {
    private static final Datasets.Split DATA = Datasets.embedded();

    private static List<Double> batchLosses(long seed, int images, int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(seed);
            Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), rng);
            Trainer t = new Trainer(ae, Adam.adam(ae.parameters(), 1e-3), new MseLoss(), Trainer.Config.of(1, 64));
            List<Double> losses = new ArrayList<>();
            t.fit(DATA.train().subset(images), null, rng, new Trainer.Listener() {
                @Override
                public void onBatch(int epoch, int batch, int batches, double loss, double ips) { losses.add(loss); }
            });
            return losses;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void seedCaeLossFallsTenfoldWithin150StepsOnFashionMnist() {
        // 150 Adam steps (lr 1e-3, batch 64) on the embedded Fashion-MNIST subset
        List<Double> l = batchLosses(0, 150 * 64, 2);
        double first = l.get(0), last = mean(l.subList(l.size() - 10, l.size()));
        System.out.printf("smoke: first batch MSE %.5f, mean of last 10 of %d steps %.5f (%.1fx lower)%n",
                first, l.size(), last, first / last);
        assertEquals(150, l.size());
        assertTrue(last < first / 10, "loss fell from " + first + " to only " + last);
    }

    @Test
    void trainingIsIdenticalForTheSameSeedAndThreadCount() {
        List<Double> a = batchLosses(7, 640, 2), b = batchLosses(7, 640, 2);
        assertEquals(a, b);
        List<Double> c = batchLosses(8, 640, 2);
        assertTrue(!a.equals(c), "another seed should give another run");
    }

    @Test
    void testMseIsPerPixelOverTheWholeSplit() {
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), new Rng(0));
        ImageDataset test = DATA.test().subset(300);
        // batch size must not change the result beyond summation order
        double a = Trainer.evaluateMse(ae, test, 300), b = Trainer.evaluateMse(ae, test, 7);
        assertEquals(a, b, 1e-9 * a);
        assertTrue(a > 0.01 && a < 0.5, "untrained sigmoid output near 0.5 should give a large MSE, got " + a);
    }

    @Test
    void dataOfAnotherShapeIsRejectedBeforeTraining() {
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(3, 28, 28), new Rng(0));
        Trainer t = new Trainer(ae, Adam.adam(ae.parameters(), 1e-3), new MseLoss(), Trainer.Config.of(1, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(DATA.train().subset(10), null, new Rng(0), null));
        assertEquals("data 1x28x28 does not match the model input 3x28x28", e.getMessage());
    }

    @Test
    void nonPositiveLoopSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.Config.of(0, 64));
        assertEquals("epochs must be positive, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.Config.of(1, -5));
        assertEquals("batch size must be positive, got -5", e.getMessage());
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.size();
    }

    static { assertArrayEquals(new int[] {1, 28, 28}, new int[] {DATA.train().channels(), DATA.train().height(), DATA.train().width()}); }
}
