package org.cae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cae4j.data.Datasets;
import org.cae4j.loss.BceLoss;
import org.cae4j.loss.PerSampleSum;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Presets;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/** PyTorch's example VAE learns on real data: its objective (BCE summed per image + KL) falls. */
class VaeSmokeTest {

    @Test
    void denseVaeObjectiveFallsByAThirdWithin100StepsOnFashionMnist() {
        int saved = Parallel.threads();
        Parallel.setThreads(2);
        try {
            Rng rng = new Rng(0);
            Autoencoder vae = Presets.vaeDense(1, 28, 28, 400, 20, 1, rng);
            // examples/vae: Adam(lr=1e-3), batch 128 there; 64 here, 100 steps
            Trainer t = new Trainer(vae, Adam.adam(vae.parameters(), 1e-3), new PerSampleSum(new BceLoss()),
                    Trainer.Config.of(1, 64));
            List<Double> losses = new ArrayList<>();
            t.fit(Datasets.embedded().train().subset(100 * 64), null, rng, new Trainer.Listener() {
                @Override
                public void onBatch(int epoch, int batch, int batches, double loss, double ips) { losses.add(loss); }
            });
            double first = losses.get(0), last = 0;
            for (double l : losses.subList(90, 100)) last += l / 10;
            System.out.printf("vae smoke: first batch objective %.2f per image, mean of the last 10 of %d steps %.2f%n",
                    first, losses.size(), last);
            assertEquals(100, losses.size());
            // an untrained sigmoid output of about 0.5 costs 784·ln 2 = 543 nats per image
            assertTrue(first > 450 && first < 650, "first objective " + first);
            assertTrue(last < first * 2 / 3, "objective fell from " + first + " to only " + last);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
