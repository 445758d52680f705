package org.cae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cae4j.ops.Padding;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Layers tied to another's weight: the transposed product by hand, one shared gradient, and the conv adjoint. */
class TiedWeightsTest {

    @Test
    void tiedLinearMultipliesByTheEncoderWeightTransposed() {
        Linear enc = new Linear(3, 2, new Rng(0));
        System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, enc.weight().value.data, 0, 6); // W (2,3)
        Linear dec = Linear.tiedTo(enc, true, new Rng(0));
        assertSame(enc.weight(), dec.weight());
        assertEquals(2, dec.inFeatures());
        assertEquals(3, dec.outFeatures());
        assertEquals("Linear(2->3, tied)", dec.toString());
        System.arraycopy(new float[] {0.5f, 0, -1}, 0, dec.bias().value.data, 0, 3);
        // y = z·W + b: z = (1, −1) gives (1 − 4, 2 − 5, 3 − 6) + b
        Tensor y = dec.forward(new Tensor(new float[] {1, -1}, 1, 2));
        assertArrayEquals(new float[] {-2.5f, -3, -4}, y.data);
        // dy = (1, 0, 2): dz = dy·Wᵀ = (1 + 6, 4 + 12); dW += zᵀ·dy
        Tensor dz = dec.backward(new Tensor(new float[] {1, 0, 2}, 1, 3));
        assertArrayEquals(new float[] {7, 16}, dz.data);
        assertArrayEquals(new float[] {1, 0, 2, -1, 0, -2}, enc.weight().grad.data);
        // the encoder's own use adds into the same gradient: dW += dyᵀ·x
        enc.forward(new Tensor(new float[] {1, 1, 1}, 1, 3));
        enc.backward(new Tensor(new float[] {1, 1}, 1, 2));
        assertArrayEquals(new float[] {2, 1, 3, 0, 1, -1}, enc.weight().grad.data);
    }

    @Test
    void tiedLinearBiasIsDrawnAsPyTorchWouldForItsFanIn() {
        Linear enc = new Linear(100, 4, new Rng(0));
        Linear dec = Linear.tiedTo(enc, true, new Rng(1));
        double max = 0;
        for (float b : dec.bias().value.data) max = Math.max(max, Math.abs(b));
        // fan_in of the 4 → 100 decoder is 4: U(−0.5, 0.5)
        assertEquals(0.5, max, 0.05);
        float[] before = enc.weight().value.data.clone();
        dec.reset(Init.PYTORCH, new Rng(2));
        assertArrayEquals(before, enc.weight().value.data, "re-initialising the tied layer leaves the encoder's weight");
        assertEquals("Linear: cannot tie to Linear(4->100, tied), itself tied",
                assertThrows(IllegalArgumentException.class, () -> Linear.tiedTo(dec, true, new Rng(0))).getMessage());
    }

    @Test
    void tiedTransposedConvolutionIsTheValidConvolutionByTheFlippedChannelSwappedKernel() {
        Rng rng = new Rng(3);
        Conv2d enc = new Conv2d(2, 3, 3, 3, 1, 1, Padding.full(), true, Init.PYTORCH, rng);
        ConvTranspose2d tied = ConvTranspose2d.tiedTo(enc, 2, 0, false, Init.PYTORCH, rng);
        // the same map by a valid Conv2d (3 → 2) whose kernel is w'[c][k][r][s] = w[k][c][2 − r][2 − s]
        Conv2d valid = new Conv2d(3, 2, 3, 3, 1, 1, Padding.valid(), false, Init.PYTORCH, rng);
        float[] w = enc.weight().value.data, v = valid.weight().value.data;
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 2; c++) {
                for (int r = 0; r < 3; r++) {
                    for (int s = 0; s < 3; s++) v[((c * 3 + k) * 3 + r) * 3 + s] = w[((k * 2 + c) * 3 + 2 - r) * 3 + 2 - s];
                }
            }
        }
        Tensor z = new Tensor(2, 3, 6, 6);
        for (int i = 0; i < z.size(); i++) z.data[i] = (float) Math.sin(0.3 * i);
        Tensor a = tied.forward(z), b = valid.forward(z);
        assertArrayEquals(new int[] {2, 2, 4, 4}, a.shape());
        assertArrayEquals(b.data, a.data, 1e-5f);
        assertEquals("ConvTranspose2d(3->2, k=3, s=1, p=2, bias=false, tied)", tied.toString());
        Conv2d rect = new Conv2d(1, 2, 3, 2, 1, 1, Padding.valid(), true, Init.PYTORCH, rng);
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.tiedTo(rect, 0, 0, true, Init.PYTORCH, rng));
    }
}
