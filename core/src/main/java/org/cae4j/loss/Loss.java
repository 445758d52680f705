package org.cae4j.loss;

import java.util.Locale;
import org.cae4j.tensor.Tensor;

/**
 * A reconstruction loss, mean over all elements as PyTorch's {@code reduction='mean'}, with its gradient.
 *
 * <p>The returned gradient tensor is the loss's own buffer, reused by the next call with the same shape.
 */
public interface Loss {

    /** L(input, target) and dL/d input; arguments in PyTorch's order. */
    LossAndGrad forward(Tensor input, Tensor target);

    /**
     * The name used in model files and on the command line: {@code mse}, {@code bce}, {@code bce-logits},
     * {@code l1}, and those names with {@code -sum} for {@link PerSampleSum}.
     */
    String cliName();

    /** Parses a {@link #cliName()}; a name ending in {@code -sum} is that loss summed per sample ({@link PerSampleSum}). */
    static Loss parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.endsWith("-sum") && n.length() > 4) return new PerSampleSum(parse(n.substring(0, n.length() - 4)));
        switch (n) {
            case "mse": return new MseLoss();
            case "bce": return new BceLoss();
            case "bce-logits": return new BceWithLogitsLoss();
            case "l1": return new L1Loss();
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "': expected mse, bce, bce-logits or l1 (each optionally with -sum)");
        }
    }

    /** Throws unless input and target have the same shape. */
    static void checkSameShape(String loss, Tensor input, Tensor target) {
        if (!input.hasShape(target.shape())) {
            throw new IllegalArgumentException(loss + ": input " + input.shapeString() + " and target "
                    + target.shapeString() + " must have the same shape");
        }
    }
}
