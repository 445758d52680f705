package org.cae4j.cli;

import java.util.List;
import org.cae4j.data.ImageDataset;
import org.cae4j.data.Normalization;
import org.cae4j.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --normalize unit|symmetric|mean-std}, {@code --mean} and {@code --std}: how pixels u in [0, 1] become the
 * network's inputs, y = (u − mean_c)/std_c, as torchvision's {@code Normalize} after {@code ToTensor}. The model
 * file stores it, and every command that feeds data to the model applies it.
 */
final class NormalizeOptions {
    /** The command-line names. */
    static final List<String> KINDS = List.of("unit", "symmetric", "mean-std");

    @Option(names = "--normalize", defaultValue = "unit", paramLabel = "KIND", description = "Input normalization, stored in "
            + "the model and applied by every command that uses it: unit (pixels in [0, 1]), symmetric ([-1, 1], "
            + "Normalize(0.5, 0.5)) or mean-std (per channel, the mean and std of the training images, or --mean/--std). "
            + "The seed preset's decoder output follows it unless --decoder-activation is given: sigmoid, tanh, identity. "
            + "Default: ${DEFAULT-VALUE}.")
    String normalize;

    @Option(names = "--mean", paramLabel = "M[,M,M]", description = "With --normalize mean-std: the means to subtract, one per "
            + "channel or one for all, e.g. 0.4914,0.4822,0.4465.")
    String mean;

    @Option(names = "--std", paramLabel = "S[,S,S]", description = "With --normalize mean-std: the standard deviations to "
            + "divide by, as many as --mean.")
    String std;

    /**
     * What the options ask for.
     *
     * @param kind  one of {@link #KINDS}
     * @param given the normalization when it is known without the data (unit, symmetric, or mean-std with --mean and
     *              --std); null when it is computed on the training images
     */
    record Choice(String kind, Normalization given) {
        /** The normalization to train with: the given one, or the training images' per-channel mean and std. */
        Normalization resolve(ImageDataset train) {
            if (given == null) return Normalization.meanStd(train);
            if (!given.fits(train.channels())) {
                throw new IllegalArgumentException("--mean and --std give " + given.channels() + " values each, but the images of "
                        + train.name() + " have " + train.channels() + " channel" + (train.channels() == 1 ? "" : "s")
                        + "; expected one value per channel, or one for all");
            }
            return given;
        }

        /** The interval [lo, hi] the inputs fall in for images of {@code channels} channels. */
        static double[] inputRange(Normalization n, int channels) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < channels; c++) {
                lo = Math.min(lo, n.apply(c, 0f));
                hi = Math.max(hi, n.apply(c, 1f));
            }
            return new double[] {lo, hi};
        }
    }

    /** The options checked: usage errors name the option and the bad value. */
    Choice parse(CommandLine cl) {
        boolean explicit = cl.getParseResult().hasMatchedOption("--normalize");
        if (!KINDS.contains(normalize)) {
            throw new CommandLine.ParameterException(cl, "invalid value for --normalize: '" + Json.printable(normalize)
                    + "' (expected unit, symmetric or mean-std)");
        }
        if (mean == null && std == null) {
            return new Choice(normalize, normalize.equals("unit") ? Normalization.unit()
                    : normalize.equals("symmetric") ? Normalization.symmetric() : null);
        }
        if (mean == null || std == null) {
            throw new CommandLine.ParameterException(cl, (mean == null ? "--std needs --mean" : "--mean needs --std")
                    + " (one mean and one standard deviation per channel)");
        }
        if (explicit && !normalize.equals("mean-std")) {
            throw new CommandLine.ParameterException(cl, "--mean and --std go with --normalize mean-std, not " + normalize);
        }
        float[] m = numbers(cl, "--mean", mean, false), s = numbers(cl, "--std", std, true);
        if (m.length != s.length) {
            throw new CommandLine.ParameterException(cl, "--mean has " + m.length + " value" + (m.length == 1 ? "" : "s")
                    + " but --std has " + s.length + " (expected one standard deviation per mean)");
        }
        return new Choice("mean-std", Normalization.meanStd(m, s));
    }

    private static float[] numbers(CommandLine cl, String option, String text, boolean positive) {
        String[] parts = text.split(",", -1);
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                v[i] = Float.NaN;
            }
            if (!Float.isFinite(v[i]) || (positive && !(v[i] > 0)) || parts[i].isBlank()) {
                throw new CommandLine.ParameterException(cl, "invalid value for " + option + ": '" + Json.printable(text) + "' (expected "
                        + (positive ? "standard deviations > 0" : "finite numbers") + ", comma-separated, e.g. "
                        + (positive ? "0.247,0.2435,0.2616" : "0.4914,0.4822,0.4465") + ")");
            }
        }
        return v;
    }
}
