package org.cae4j.nn;

/**
 * Batch normalisation of feature maps, as PyTorch's {@code nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1,
 * affine=True, track_running_stats=True)}: x (N,C,H,W) → y (N,C,H,W), each channel normalised over N, H and W
 * (Ioffe and Szegedy 2015). Behaviour, parameters and buffers are described in {@link BatchNormBase}.
 */
public final class BatchNorm2d extends BatchNormBase {

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    String name() { return "BatchNorm2d"; }

    @Override
    String expectedInput() { return "(N, " + numFeatures() + ", H, W)"; }

    @Override
    int positions(int[] in) { return in.length == 3 && in[0] == numFeatures() ? in[1] * in[2] : -1; }
}
