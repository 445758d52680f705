package org.cae4j.ops;

/**
 * How many zeros a convolution adds around its input, per side.
 *
 * <p>{@code valid}: none. {@code full}: kernel−1 on every side, so every kernel position that overlaps the
 * input by at least one pixel yields an output (the seed CAE's encoder; a 28×28 input and a 5×5 kernel give
 * 32×32 maps). {@code same}: the output is ceil(H/stride) × ceil(W/stride), the total padding split with the
 * smaller half on top/left (TensorFlow's rule, and PyTorch's {@code padding='same'} at stride 1).
 * Explicit amounts may differ per side.
 */
public record Padding(Mode mode, int top, int bottom, int left, int right) {

    /** The kind of padding; {@code EXPLICIT} uses the four amounts. */
    public enum Mode { VALID, SAME, FULL, EXPLICIT }

    public Padding {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must be >= 0 on every side, got (top=" + top
                    + ", bottom=" + bottom + ", left=" + left + ", right=" + right + ")");
        }
    }

    /** No padding. */
    public static Padding valid() { return new Padding(Mode.VALID, 0, 0, 0, 0); }

    /** Output size ceil(input/stride). */
    public static Padding same() { return new Padding(Mode.SAME, 0, 0, 0, 0); }

    /** kernel−1 zeros on each side: the seed CAE's "full" convolution. */
    public static Padding full() { return new Padding(Mode.FULL, 0, 0, 0, 0); }

    /** {@code p} zeros on every side, as PyTorch's {@code padding=p}. */
    public static Padding of(int p) { return new Padding(Mode.EXPLICIT, p, p, p, p); }

    /** {@code ph} rows above and below, {@code pw} columns left and right, as PyTorch's {@code padding=(ph, pw)}. */
    public static Padding of(int ph, int pw) { return new Padding(Mode.EXPLICIT, ph, ph, pw, pw); }

    /** Explicit amounts per side. */
    public static Padding of(int top, int bottom, int left, int right) {
        return new Padding(Mode.EXPLICIT, top, bottom, left, right);
    }

    /**
     * Parses {@code valid}, {@code same}, {@code full}, {@code P}, {@code PH,PW} or {@code T,B,L,R}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Padding parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "valid": return valid();
            case "same": return same();
            case "full": return full();
            default: break;
        }
        String[] parts = t.split(",");
        try {
            int[] v = new int[parts.length];
            for (int i = 0; i < v.length; i++) v[i] = Integer.parseInt(parts[i].trim());
            if (v.length == 1) return of(v[0]);
            if (v.length == 2) return of(v[0], v[1]);
            if (v.length == 4) return of(v[0], v[1], v[2], v[3]);
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("padding '" + s
                + "': expected valid, same, full, P, PH,PW or TOP,BOTTOM,LEFT,RIGHT (non-negative integers)");
    }

    /** The four amounts {top, bottom, left, right} for an H×W input, R×S kernel and the given strides. */
    public int[] resolve(int H, int W, int R, int S, int strideH, int strideW) {
        switch (mode) {
            case VALID: return new int[] {0, 0, 0, 0};
            case FULL: return new int[] {R - 1, R - 1, S - 1, S - 1};
            case SAME: {
                int ph = sameTotal(H, R, strideH), pw = sameTotal(W, S, strideW);
                return new int[] {ph / 2, ph - ph / 2, pw / 2, pw - pw / 2};
            }
            default: return new int[] {top, bottom, left, right};
        }
    }

    private static int sameTotal(int in, int k, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + k - in, 0);
    }

    @Override
    public String toString() {
        switch (mode) {
            case VALID: return "valid";
            case SAME: return "same";
            case FULL: return "full";
            default:
                if (top == bottom && left == right) return top == left ? Integer.toString(top) : "(" + top + "," + left + ")";
                return "(" + top + "," + bottom + "," + left + "," + right + ")";
        }
    }
}
