package org.cae4j.nn;

import java.util.Locale;
import org.cae4j.tensor.Rng;

/**
 * Weight initialisation schemes, drawn from the run's {@link Rng}.
 *
 * <p>{@code PYTORCH}: PyTorch's default for Conv2d, ConvTranspose2d and Linear, kaiming-uniform with a = √5,
 * i.e. weights and biases U(−1/√fan_in, 1/√fan_in). {@code HE_UNIFORM}, {@code HE_NORMAL} (He et al. 2015,
 * gain √2, bounds √(6/fan_in) and std √(2/fan_in)) and {@code XAVIER_UNIFORM}, {@code XAVIER_NORMAL}
 * (Glorot and Bengio 2010, √(6/(fan_in+fan_out)) and √(2/(fan_in+fan_out))) set biases to zero, as Keras does.
 * For a conv weight (K,C,R,S) fan_in = C·R·S and fan_out = K·R·S.
 */
public enum Init {
    PYTORCH, HE_UNIFORM, HE_NORMAL, XAVIER_UNIFORM, XAVIER_NORMAL;

    /** Fills {@code w}, and {@code b} if not null, with fan-in and fan-out as given. */
    public void apply(float[] w, float[] b, int fanIn, int fanOut, Rng rng) {
        switch (this) {
            case PYTORCH: {
                // kaiming_uniform_(a=√5): gain = √(2/(1+a²)), bound = √3·gain/√fan_in (= 1/√fan_in), each step
                // in double as torch.nn.init computes it, so that the float bounds round the same way
                double a = Math.sqrt(5.0), gain = Math.sqrt(2.0 / (1 + a * a));
                uniform(w, Math.sqrt(3.0) * (gain / Math.sqrt(fanIn)), rng);
                if (b != null) uniform(b, 1 / Math.sqrt(fanIn), rng);
                return;
            }
            case HE_UNIFORM: uniform(w, Math.sqrt(3.0) * (Math.sqrt(2.0) / Math.sqrt(fanIn)), rng); break;
            case HE_NORMAL: normal(w, Math.sqrt(2.0 / fanIn), rng); break;
            case XAVIER_UNIFORM: uniform(w, Math.sqrt(3.0) * Math.sqrt(2.0 / (fanIn + fanOut)), rng); break;
            case XAVIER_NORMAL: normal(w, Math.sqrt(2.0 / (fanIn + fanOut)), rng); break;
            default: throw new AssertionError(this);
        }
        if (b != null) java.util.Arrays.fill(b, 0f);
    }

    /**
     * Fills only a bias {@code b}, as {@link #apply} would for a layer of this fan-in: U(−1/√fan_in, 1/√fan_in)
     * for {@code PYTORCH}, zeros otherwise (for a layer whose weight is tied to another's).
     */
    public void applyBias(float[] b, int fanIn, Rng rng) {
        if (this == PYTORCH) uniform(b, 1 / Math.sqrt(fanIn), rng);
        else java.util.Arrays.fill(b, 0f);
    }

    /** U(−bound, bound), each element drawn as PyTorch's {@code uniform_(-bound, bound)} draws it. */
    public static void uniform(float[] a, double bound, Rng rng) {
        for (int i = 0; i < a.length; i++) a[i] = rng.uniformFloat(-bound, bound);
    }

    /** N(0, std²). */
    public static void normal(float[] a, double std, Rng rng) {
        for (int i = 0; i < a.length; i++) a[i] = (float) (std * rng.nextGaussian());
    }

    /** Parses {@code pytorch}, {@code he-uniform}, {@code he-normal}, {@code xavier-uniform}, {@code xavier-normal}. */
    public static Init parse(String s) {
        for (Init i : values()) {
            if (i.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) return i;
        }
        throw new IllegalArgumentException("unknown init '" + s
                + "': expected pytorch, he-uniform, he-normal, xavier-uniform or xavier-normal");
    }

    /** The lower-case, hyphenated name used in files and on the command line. */
    public String cliName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
}
