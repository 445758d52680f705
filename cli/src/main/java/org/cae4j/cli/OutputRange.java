package org.cae4j.cli;

import java.util.List;
import org.cae4j.data.Normalization;
import org.cae4j.model.Autoencoder;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Layer;

/**
 * Whether a decoder can produce the inputs it is trained to reconstruct: a sigmoid output lies in [0, 1], so with
 * inputs normalised to [−1, 1] it can never reach [−1, 0), and the loss cannot fall below what those pixels cost.
 */
final class OutputRange {
    private OutputRange() {}

    /**
     * The interval holding every output of {@code model}: that of the decoder's last activation when only layers
     * without weights (reshaping, pooling, upsampling, dropout) follow it, else unbounded.
     */
    static double[] of(Autoencoder model) {
        List<Layer> layers = model.decoder().layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            if (l instanceof Activation a) return a.range();
            if (!l.parameters().isEmpty()) break;
        }
        return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    }

    /**
     * A one-line warning (without the {@code warning: } prefix) when the model's outputs cannot cover the range of
     * inputs normalised by {@code n} for {@code channels} channels, ending with {@code fix} and the activations that
     * would; null when they can.
     */
    static String warning(Autoencoder model, Normalization n, int channels, String fix) {
        double[] out = of(model), in = NormalizeOptions.Choice.inputRange(n, channels);
        double eps = 1e-6;
        if (in[0] >= out[0] - eps && in[1] <= out[1] + eps) return null;
        String last = "";
        for (Layer l : model.decoder().layers()) if (l instanceof Activation a) last = a.kind().cliName();
        boolean tanh = in[0] >= -1 - eps && in[1] <= 1 + eps;
        return "the decoder ends with " + last + ", whose outputs lie in " + interval(out) + ", but inputs normalised by --normalize "
                + n.kind().id().replace('_', '-') + " lie in " + interval(in) + ", so the reconstructions cannot match them; "
                + fix + " " + (tanh ? "tanh or identity" : "identity");
    }

    private static String interval(double[] r) {
        return "[" + end(r[0]) + ", " + end(r[1]) + "]";
    }

    private static String end(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : v == 0 ? "0" : Outputs.num(v);
    }
}
