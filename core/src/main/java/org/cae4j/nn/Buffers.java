package org.cae4j.nn;

import java.util.Arrays;
import org.cae4j.tensor.Tensor;

/**
 * Output and gradient buffers of a layer, kept between batches: asking again for a shape seen recently returns
 * the same tensor, so training with a fixed batch size (plus one smaller last batch) allocates nothing after
 * the first epoch.
 */
final class Buffers {
    private static final int KEEP = 3;
    private final Tensor[][] slots;

    Buffers(int slotCount) { slots = new Tensor[slotCount][KEEP]; }

    /** A tensor of {@code shape} for {@code slot}; its contents are whatever was left in it. */
    Tensor get(int slot, int... shape) {
        Tensor[] s = slots[slot];
        for (int i = 0; i < KEEP; i++) {
            if (s[i] != null && s[i].hasShape(shape)) {
                Tensor t = s[i];
                // move to front: most recent first
                System.arraycopy(s, 0, s, 1, i);
                s[0] = t;
                return t;
            }
        }
        Tensor t = new Tensor(shape);
        System.arraycopy(s, 0, s, 1, KEEP - 1);
        s[0] = t;
        return t;
    }

    static int[] withBatch(int n, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = n;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    /** A per-sample shape shown with its batch letter: {@code [N, 1, 28, 28]}. */
    static String batchShapeString(int[] sample) {
        StringBuilder b = new StringBuilder("[N");
        for (int d : sample) b.append(", ").append(d);
        return b.append(']').toString();
    }

    static int[] sampleShape(Tensor x) {
        int[] s = x.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }
}
