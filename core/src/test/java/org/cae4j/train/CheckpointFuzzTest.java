package org.cae4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.cae4j.io.ModelFormatException;
import org.cae4j.optim.Adam;
import org.cae4j.optim.Optimizer;
import org.cae4j.optim.Sgd;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz target of checkpoint loading, as {@code train --resume} does it: any bytes either load as a checkpoint
 * whose optimizer state restores into an Adam or SGD optimizer of the rebuilt model, or fail with a one-line
 * {@link ModelFormatException} (the optimizer with an {@link IllegalArgumentException}). Seeds:
 * {@code CheckpointFuzzTestInputs/checkpointLoad/}.
 */
class CheckpointFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void checkpointLoad(byte[] input) {
        Path f = FuzzContract.file("checkpoint-0000000003.safetensors", input);
        Checkpoint.Loaded c = FuzzContract.check(() -> Checkpoint.load(f), input.length, ModelFormatException.class);
        if (c == null) return;
        assertTrue(c.progress().step() >= 0 && c.progress().epoch() >= 1);
        Optimizer opt = c.optimizerScalars().containsKey("started") || c.optimizerTensors().keySet().stream()
                .anyMatch(k -> k.startsWith("momentum")) ? new Sgd(c.model().parameters(), 0.1, 0.9, 0, 0, false)
                : Adam.adam(c.model().parameters(), 1e-3);
        FuzzContract.check(() -> {
            c.restore(opt);
            return opt;
        }, input.length, IllegalArgumentException.class);
    }
}
