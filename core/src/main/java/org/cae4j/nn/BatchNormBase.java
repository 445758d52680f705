package org.cae4j.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cae4j.ops.BatchNorm;
import org.cae4j.tensor.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share, as PyTorch's {@code _BatchNorm}: per-channel
 * normalisation of x viewed as (N,C,L), the learnable scale {@code weight} (γ, initially 1) and shift
 * {@code bias} (β, initially 0) when affine, and the running statistics kept when track_running_stats.
 *
 * <p>Training normalises by the batch's mean and biased variance and moves the running statistics towards the
 * batch's mean and unbiased variance by {@code momentum}; evaluation normalises by the running statistics (or by
 * the batch's when they are not tracked). The formulas are in {@link BatchNorm}. The running statistics are
 * buffers, not parameters: {@link #buffers()} lists {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked} (a float count, exact up to 2^24 batches), as a PyTorch state_dict.
 */
public abstract class BatchNormBase implements Layer {
    private final int numFeatures;
    private final double eps, momentum;
    private final Parameter weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;
    private final float[] mean, var; // the statistics the last forward normalised by
    private final Buffers buf = new Buffers(2);
    private boolean training = true, inputGradNeeded = true, usedBatchStats;
    private Tensor input;

    BatchNormBase(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(name() + ": num_features must be positive, got " + numFeatures);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(name() + ": eps must be finite and >= 0, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name() + ": momentum must be between 0 and 1, got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        if (affine) {
            weight = new Parameter("weight", new Tensor(numFeatures));
            bias = new Parameter("bias", new Tensor(numFeatures));
            Arrays.fill(weight.value.data, 1f);
        } else {
            weight = null;
            bias = null;
        }
        if (trackRunningStats) {
            runningMean = new Tensor(numFeatures);
            runningVar = new Tensor(numFeatures);
            numBatchesTracked = new Tensor(new int[0]);
            resetRunningStats();
        } else {
            runningMean = null;
            runningVar = null;
            numBatchesTracked = null;
        }
        mean = new float[numFeatures];
        var = new float[numFeatures];
    }

    /** {@code BatchNorm1d} or {@code BatchNorm2d}. */
    abstract String name();

    /** The input as PyTorch documents it, e.g. {@code (N, 16, H, W)}. */
    abstract String expectedInput();

    /** L, the positions per channel of a sample of shape {@code in} (no batch), or −1 if the shape is wrong. */
    abstract int positions(int[] in);

    /** Running mean 0, running variance 1, no batches counted. */
    public final void resetRunningStats() {
        if (runningMean == null) return;
        runningMean.zero();
        Arrays.fill(runningVar.data, 1f);
        numBatchesTracked.zero();
    }

    public final int numFeatures() { return numFeatures; }
    public final double eps() { return eps; }
    public final double momentum() { return momentum; }

    /** γ (C), or null when not affine. */
    public final Parameter weight() { return weight; }

    /** β (C), or null when not affine. */
    public final Parameter bias() { return bias; }

    /** The running mean (C), live; null when running statistics are not tracked. */
    public final Tensor runningMean() { return runningMean; }

    /** The running (unbiased) variance (C), live; null when running statistics are not tracked. */
    public final Tensor runningVar() { return runningVar; }

    /** Training batches seen since the last reset, a scalar tensor (live); null when not tracked. */
    public final Tensor numBatchesTracked() { return numBatchesTracked; }

    public final boolean isTraining() { return training; }

    @Override
    public final void train(boolean training) { this.training = training; }

    @Override
    public final List<Parameter> parameters() { return weight == null ? List.of() : List.of(weight, bias); }

    @Override
    public final Map<String, Tensor> buffers() {
        if (runningMean == null) return Map.of();
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        m.put("num_batches_tracked", numBatchesTracked);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public final void setInputGradNeeded(boolean needed) { inputGradNeeded = needed; }

    @Override
    public final int[] outputShape(int[] in) {
        if (positions(in) < 0) {
            throw new IllegalArgumentException(this + ": expected input " + expectedInput() + ", got "
                    + Buffers.batchShapeString(in));
        }
        return in.clone();
    }

    @Override
    public final Tensor forward(Tensor x) {
        int[] sample = Buffers.sampleShape(x);
        int L = x.rank() < 2 ? -1 : positions(sample);
        if (L < 0) {
            throw new IllegalArgumentException(this + ": expected input " + expectedInput() + ", got " + x.shapeString());
        }
        int n = x.dim(0), C = numFeatures;
        usedBatchStats = training || runningMean == null;
        if (usedBatchStats) {
            if ((long) n * L <= 1) {
                throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input "
                        + x.shapeString());
            }
            BatchNorm.batchStats(mean, var, x.data, n, C, L);
            if (training && runningMean != null) {
                BatchNorm.updateRunningStats(runningMean.data, runningVar.data, mean, var, C, (long) n * L, momentum);
                numBatchesTracked.data[0] += 1;
            }
        } else {
            System.arraycopy(runningMean.data, 0, mean, 0, C);
            System.arraycopy(runningVar.data, 0, var, 0, C);
        }
        Tensor y = buf.get(0, x.shape());
        BatchNorm.batchNormForward(y.data, x.data, mean, var, weight == null ? null : weight.value.data,
                bias == null ? null : bias.value.data, n, C, L, eps);
        input = x;
        return y;
    }

    @Override
    public final Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(this + ": backward called before forward");
        if (!dy.hasShape(input.shape())) {
            throw new IllegalArgumentException(this + ": expected gradient " + input.shapeString() + ", got "
                    + dy.shapeString());
        }
        int n = input.dim(0), L = positions(Buffers.sampleShape(input));
        Tensor dx = inputGradNeeded ? buf.get(1, input.shape()) : null;
        BatchNorm.batchNormBackward(dx == null ? null : dx.data, weight == null ? null : weight.grad.data,
                bias == null ? null : bias.grad.data, dy.data, input.data, mean, var,
                weight == null ? null : weight.value.data, n, numFeatures, L, eps, usedBatchStats);
        return dx;
    }

    @Override
    public String toString() {
        return name() + "(" + numFeatures + (eps != 1e-5 ? ", eps=" + eps : "")
                + (momentum != 0.1 ? ", momentum=" + momentum : "") + (weight == null ? ", affine=false" : "")
                + (runningMean == null ? ", track_running_stats=false" : "") + ")";
    }
}
