package org.cae4j.bench;

import java.nio.file.Path;
import org.cae4j.data.Datasets;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.SeedCae;
import org.cae4j.ops.Parallel;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.train.Trainer;

/**
 * Whole-run benchmark of the seed CAE (model A): trains for a number of epochs with batch 64 and Adam 1e-3 and
 * prints images/second per epoch and the test MSE.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.cae4j.bench.TrainRun
 * [DATA_DIR|embedded] [EPOCHS] [THREADS]}
 */
public final class TrainRun {
    public static void main(String[] args) {
        String data = args.length > 0 ? args[0] : "embedded";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Parallel.setThreads(threads);
        Datasets.Split split = data.equals("embedded") ? Datasets.embedded() : Datasets.load(Path.of(data));
        Rng rng = new Rng(0);
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), rng);
        Trainer t = new Trainer(ae, Adam.adam(ae.parameters(), 1e-3), new MseLoss(), Trainer.Config.of(epochs, 64));
        for (Trainer.EpochMetrics m : t.fit(split.train(), split.test(), rng, null)) {
            System.out.printf("epoch %d: train loss %.5f  test MSE %.5f  %.1f s  %.0f img/s (threads %d)%n",
                    m.epoch(), m.trainLoss(), m.testMse(), m.seconds(), m.imagesPerSecond(), threads);
        }
    }
}
