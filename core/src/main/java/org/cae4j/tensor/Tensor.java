package org.cae4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 array with a shape, row-major; images are NCHW.
 *
 * <p>Shape letters used across cae4j: N batch, C channels, H,W height and width.
 * The data array is exposed on purpose: kernels work on {@code float[]} directly.
 */
public final class Tensor {
    public final float[] data;
    private final int[] shape;

    /** A zero tensor of the given shape. */
    public Tensor(int... shape) {
        this.shape = checkShape(shape);
        this.data = new float[Math.toIntExact(numel(shape))];
    }

    /** Wraps {@code data} (not copied); its length must equal the product of {@code shape}. */
    public Tensor(float[] data, int... shape) {
        this.shape = checkShape(shape);
        long n = numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("data length " + data.length + " does not match shape "
                    + Arrays.toString(shape) + " (" + n + " elements)");
        }
        this.data = data;
    }

    private static int[] checkShape(int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /** Product of the dimensions. */
    public static long numel(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }

    /** Number of dimensions. */
    public int rank() { return shape.length; }

    /** Number of elements. */
    public int size() { return data.length; }

    /** True when this tensor's shape equals {@code other}. */
    public boolean hasShape(int... other) { return Arrays.equals(shape, other); }

    /** A tensor of another shape sharing this data. */
    public Tensor reshape(int... newShape) { return new Tensor(data, newShape); }

    /** A deep copy. */
    public Tensor copy() { return new Tensor(data.clone(), shape); }

    /** Sets every element to zero. */
    public void zero() { Arrays.fill(data, 0f); }

    /** Shape as {@code [64, 1, 28, 28]}. */
    public String shapeString() { return Arrays.toString(shape); }

    @Override
    public String toString() { return "Tensor" + shapeString(); }
}
