package org.cae4j.ops;

/**
 * Scratch buffers kept alive between batches so that steady-state training allocates nothing:
 * a buffer grows when a larger one is asked for and is otherwise reused.
 */
public final class Workspace {
    private float[][] slots = new float[0][];
    private int[][] intSlots = new int[0][];

    /** A buffer of at least {@code size} floats for {@code slot}; its contents are unspecified. */
    public float[] get(int slot, int size) {
        if (slot >= slots.length) slots = java.util.Arrays.copyOf(slots, slot + 1);
        float[] b = slots[slot];
        if (b == null || b.length < size) {
            b = new float[size];
            slots[slot] = b;
        }
        return b;
    }

    /** An int buffer of at least {@code size} for {@code slot} (slots apart from the float ones); contents unspecified. */
    public int[] ints(int slot, int size) {
        if (slot >= intSlots.length) intSlots = java.util.Arrays.copyOf(intSlots, slot + 1);
        int[] b = intSlots[slot];
        if (b == null || b.length < size) {
            b = new int[size];
            intSlots[slot] = b;
        }
        return b;
    }
}
