package org.cae4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cae4j.data.Datasets;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.model.SeedCae;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Trainer;

/**
 * The seed CAE trained from a given start: writes its initial weights ({@code init.safetensors}) and batch order
 * ({@code order.txt}) into DIR, trains STEPS Adam steps (batch 64, lr 1e-3) on Fashion-MNIST, and prints the loss
 * every 100 steps and the final test MSE. {@code bench/peer/same_start.py DIR STEPS} replays the same start in
 * PyTorch, so the two trajectories can be compared line by line ({@code bench/same-start.sh} runs both).
 * Usage: {@code SameStart DATA_DIR OUT_DIR STEPS [SEED]}
 */
public final class SameStart {
    public static void main(String[] args) throws Exception {
        Datasets.Split s = Datasets.load(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        if (args[2].startsWith("epochs:")) {
            writeEpochs(s, dir, Integer.parseInt(args[2].substring(7)), args.length > 3 ? Long.parseLong(args[3]) : 0);
            return;
        }
        int steps = Integer.parseInt(args[2]);
        Rng rng = new Rng(args.length > 3 ? Long.parseLong(args[3]) : 0);
        Files.createDirectories(dir);
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), rng);
        Models.save(dir.resolve("init.safetensors"), ae, Map.of());
        int n = s.train().size();
        if ((long) steps * 64 > n) throw new IllegalArgumentException("at most " + n / 64 + " steps (one pass)");
        int[] order = new Rng(args.length > 3 ? Long.parseLong(args[3]) : 0).permutation(n); // as the Trainer's
        StringBuilder ob = new StringBuilder();
        for (int i = 0; i < steps * 64; i++) ob.append(order[i]).append('\n');
        Files.writeString(dir.resolve("order.txt"), ob);
        Adam adam = Adam.adam(ae.parameters(), 1e-3);
        MseLoss mse = new MseLoss();
        Tensor x = new Tensor(64, 1, 28, 28);
        for (int st = 0; st < steps; st++) {
            s.train().copyBatch(order, st * 64, 64, x.data);
            adam.zeroGrad();
            LossAndGrad lg = mse.forward(ae.forward(x), x);
            ae.backward(lg.grad());
            adam.step();
            if (st % 100 == 0 || st == steps - 1) System.out.printf("step %d loss %.7f%n", st, lg.value());
        }
        System.out.printf("test mse %.7f%n", Trainer.evaluateMse(ae, s.test(), 1000));
    }

    /**
     * Writes the start of {@code ./cae4j train --seed S} for the seed preset without training: the initial weights
     * and, one line per image, the order of every epoch as the Trainer draws it (the weights from one Rng of the
     * seed, each epoch's order a fresh permutation from a second), so PyTorch can replay the whole run.
     */
    static void writeEpochs(Datasets.Split s, Path dir, int epochs, long seed) throws Exception {
        Rng rng = new Rng(seed), orderRng = new Rng(seed);
        Files.createDirectories(dir);
        Autoencoder ae = Models.fromMetadata(SeedCae.Config.defaults(1, 28, 28).toMetadata(), rng);
        Models.save(dir.resolve("init.safetensors"), ae, Map.of());
        int n = s.train().size();
        int[] order = new int[n];
        StringBuilder ob = new StringBuilder();
        for (int e = 0; e < epochs; e++) {
            orderRng.permutation(order);
            for (int i : order) ob.append(i).append('\n');
        }
        Files.writeString(dir.resolve("order.txt"), ob);
        System.out.println("wrote " + dir + "/init.safetensors and the order of " + epochs + " epochs");
    }
}
