package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Batch normalisation of tiny batches worked out by hand, the running statistics and the buffers. */
class BatchNormTest {

    @Test
    void trainingNormalisesByTheBatchAndUpdatesRunningStatistics() {
        // one feature, batch (1, 2, 3, 4): mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25,
        // unbiased 5/3; eps 0 keeps the numbers exact
        BatchNorm1d bn = new BatchNorm1d(1, 0, 0.1, true, true);
        Tensor x = new Tensor(new float[] {1, 2, 3, 4}, 4, 1);
        float s = (float) Math.sqrt(1.25);
        assertArrayEquals(new float[] {-1.5f / s, -0.5f / s, 0.5f / s, 1.5f / s}, bn.forward(x).data, 1e-6f);
        // running_mean = 0.9·0 + 0.1·2.5; running_var = 0.9·1 + 0.1·5/3
        assertEquals(0.25f, bn.runningMean().data[0], 1e-7f);
        assertEquals(0.9f + 0.1f * 5 / 3, bn.runningVar().data[0], 1e-6f);
        assertEquals(1f, bn.numBatchesTracked().data[0]);

        // dy = (1, 0, 0, 0): x̂ = (−1.5, −0.5, 0.5, 1.5)/√1.25, mean dy = 0.25, mean dy·x̂ = −1.5/(4√1.25), so
        // dx = (dy − 0.25 − x̂·mean(dy·x̂))/√1.25 = (0.3, −0.4, −0.1, 0.2)/√1.25
        Tensor dx = bn.backward(new Tensor(new float[] {1, 0, 0, 0}, 4, 1));
        assertArrayEquals(new float[] {0.3f / s, -0.4f / s, -0.1f / s, 0.2f / s}, dx.data, 1e-6f);
        assertEquals(-1.5f / s, bn.weight().grad.data[0], 1e-6f);
        assertEquals(1f, bn.bias().grad.data[0], 0f);
    }

    @Test
    void evaluationNormalisesByTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(1, 0, 0.1, true, true);
        bn.forward(new Tensor(new float[] {1, 2, 3, 4}, 4, 1));
        bn.train(false);
        // (1 − 0.25)/√(0.9 + 1/6); a batch of one is fine in evaluation, and nothing is updated
        Tensor y = bn.forward(new Tensor(new float[] {1}, 1, 1));
        assertEquals(0.75 / Math.sqrt(0.9 + 1.0 / 6), y.data[0], 1e-6);
        assertEquals(0.25f, bn.runningMean().data[0], 1e-7f);
        assertEquals(1f, bn.numBatchesTracked().data[0]);
        // with constant statistics dx = γ·dy/√(running_var + eps)
        assertEquals(2 / Math.sqrt(0.9 + 1.0 / 6), bn.backward(new Tensor(new float[] {2}, 1, 1)).data[0], 1e-6);
    }

    @Test
    void batchNorm2dNormalisesEachChannelOverBatchAndPixels() {
        BatchNorm2d bn = new BatchNorm2d(2, 0, 0.1, false, true);
        // channel 0 holds (0, 2): mean 1, var 1; channel 1 holds (10, 14): mean 12, var 4
        Tensor y = bn.forward(new Tensor(new float[] {0, 2, 10, 14}, 1, 2, 1, 2));
        assertArrayEquals(new float[] {-1, 1, -1, 1}, y.data, 1e-6f);
        assertArrayEquals(new float[] {0.1f, 1.2f}, bn.runningMean().data, 1e-6f);
        // unbiased: var·2/(2 − 1)
        assertArrayEquals(new float[] {0.9f + 0.1f * 2, 0.9f + 0.1f * 8}, bn.runningVar().data, 1e-6f);
    }

    @Test
    void untrackedStatisticsUseTheBatchAlsoInEvaluation() {
        BatchNorm2d bn = new BatchNorm2d(1, 0, 0.1, true, false);
        bn.train(false);
        assertArrayEquals(new float[] {-1, 1}, bn.forward(new Tensor(new float[] {3, 5}, 2, 1, 1, 1)).data, 1e-6f);
        assertNull(bn.runningMean());
        assertTrue(bn.buffers().isEmpty());
        assertEquals("BatchNorm2d(1, eps=0.0, track_running_stats=false)", bn.toString());
    }

    @Test
    void buffersAreNamedAsInAPyTorchStateDict() {
        BatchNorm2d bn = new BatchNorm2d(16);
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.buffers().keySet()));
        assertSame(bn.runningMean(), bn.buffers().get("running_mean"));
        assertArrayEquals(new int[0], bn.buffers().get("num_batches_tracked").shape());
        assertEquals("[weight[16], bias[16]]", bn.parameters().toString());
        assertArrayEquals(new float[] {1, 1}, java.util.Arrays.copyOf(bn.weight().value.data, 2));

        Rng rng = new Rng(0);
        Sequential s = new Sequential(new Conv2d(1, 16, 3, 1, Padding.of(1), rng), bn, Activation.relu(),
                new Flatten(), new Linear(16 * 4 * 4, 8, rng), new BatchNorm1d(8));
        Map<String, Tensor> named = s.buffers();
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked",
                "5.running_mean", "5.running_var", "5.num_batches_tracked"), List.copyOf(named.keySet()));
        assertEquals("[0.weight, 0.bias, 1.weight, 1.bias, 4.weight, 4.bias, 5.weight, 5.bias]",
                s.namedParameters("").keySet().toString());
        s.forward(new Tensor(4, 1, 4, 4));
        assertEquals(1f, named.get("5.num_batches_tracked").data[0]);
    }

    @Test
    void trainAndEvalSwitchThroughSequential() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Sequential s = new Sequential(bn);
        s.train(false);
        assertTrue(!bn.isTraining());
        s.train(true);
        assertTrue(bn.isTraining());
    }

    @Test
    void trainingRejectsOneValuePerChannelLikePyTorch() {
        BatchNorm1d bn = new BatchNorm1d(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(new Tensor(1, 4)));
        assertEquals("BatchNorm1d(4): expected more than 1 value per channel when training, got input [1, 4]",
                e.getMessage());
    }

    @Test
    void batchNormRejectsWrongShapesNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(16).forward(new Tensor(8, 3, 28, 28)));
        assertEquals("BatchNorm2d(16): expected input (N, 16, H, W), got [8, 3, 28, 28]", e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm1d(10).outputShape(new int[] {1, 28, 28}));
        assertEquals("BatchNorm1d(10): expected input (N, 10) or (N, 10, L), got [N, 1, 28, 28]", f.getMessage());
        assertArrayEquals(new int[] {10, 7}, new BatchNorm1d(10).outputShape(new int[] {10, 7}));
        assertThrows(IllegalStateException.class, () -> new BatchNorm2d(1).backward(new Tensor(2, 1, 1, 1)));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(4, 1e-5, 1.5, true, true));
        assertTrue(m.getMessage().contains("momentum") && m.getMessage().contains("1.5"), m.getMessage());
    }
}
