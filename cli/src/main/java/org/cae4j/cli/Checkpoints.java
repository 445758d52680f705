package org.cae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cae4j.model.Autoencoder;
import org.cae4j.nn.Parameter;
import org.cae4j.optim.Optimizer;
import org.cae4j.tensor.Rng;
import org.cae4j.train.Checkpoint;
import org.cae4j.train.Trainer;

/**
 * The checkpoints of a run folder, {@code checkpoint-<step>.safetensors}: written atomically, the newest K kept,
 * and the newest readable one found for {@code --resume}.
 */
final class Checkpoints {
    private final Path dir;
    private final int keep;

    Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    static Path file(Path dir, long step) {
        return dir.resolve(String.format(Locale.ROOT, "checkpoint-%010d.safetensors", step));
    }

    /** Writes the checkpoint of {@code p} unless the weights stopped being finite, then drops the oldest beyond K. */
    void write(Autoencoder model, Optimizer optimizer, Rng rng, Trainer.Progress p, Map<String, String> meta) {
        for (Parameter w : model.parameters()) {
            for (float v : w.value.data) {
                if (!Float.isFinite(v)) {
                    throw new Trainer.DivergedException("weights became " + v + " at step " + p.step()
                            + "; lower the learning rate or check the input normalisation", p.step());
                }
            }
        }
        Checkpoint.save(file(dir, p.step()), model, optimizer, rng, p, meta);
        List<Path> all = list(dir);
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(all.get(i) + ": could not remove an old checkpoint: " + e.getMessage(), e);
            }
        }
    }

    /** The newest checkpoint file, or null. */
    Path newest() {
        List<Path> all = list(dir);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Checkpoint files of {@code dir}, oldest first (by step). */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.safetensors"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list checkpoints (" + e.getMessage() + ")");
        }
    }

    /**
     * The temporary files ({@code .NAME.tmp-XXXX}, see {@link org.cae4j.io.AtomicFile}) that a killed process
     * left in {@code dir} while writing one of the run's files; never mistaken for the files themselves.
     */
    static List<Path> leftovers(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString()
                            .matches("\\.(checkpoint-\\d+\\.safetensors|model\\.safetensors|metrics\\.csv|run\\.json|[a-z]+\\.png)\\.tmp-[0-9a-z]+"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list the run folder (" + e.getMessage() + ")");
        }
    }

    /**
     * The newest checkpoint that loads, warning about newer ones that do not; null when there is none. Removes
     * the temporary files of writes that a crash interrupted.
     */
    static Checkpoint.Loaded latest(Path dir, PrintWriter err) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such run folder");
        for (Path p : leftovers(dir)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                err.println("warning: could not remove " + p + ", left by an interrupted write: " + e.getMessage());
            }
        }
        List<Path> all = list(dir);
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Checkpoint.load(all.get(i));
            } catch (IllegalArgumentException e) {
                err.println("warning: skipping unreadable checkpoint: " + e.getMessage());
            }
        }
        return null;
    }
}
