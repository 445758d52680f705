package org.cae4j.nn;

/**
 * Batch normalisation of feature vectors, as PyTorch's {@code nn.BatchNorm1d(num_features, eps=1e-5,
 * momentum=0.1, affine=True, track_running_stats=True)}: x (N,C) or (N,C,L) → the same shape, each feature
 * normalised over N (and L). Behaviour, parameters and buffers are described in {@link BatchNormBase}.
 */
public final class BatchNorm1d extends BatchNormBase {

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    String name() { return "BatchNorm1d"; }

    @Override
    String expectedInput() { return "(N, " + numFeatures() + ") or (N, " + numFeatures() + ", L)"; }

    @Override
    int positions(int[] in) {
        if (in.length == 0 || in.length > 2 || in[0] != numFeatures()) return -1;
        return in.length == 1 ? 1 : in[1];
    }
}
