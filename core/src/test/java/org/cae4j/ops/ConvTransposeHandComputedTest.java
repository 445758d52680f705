package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Transposed convolution worked out by hand: every input pixel stamps a weighted copy of the kernel. */
class ConvTransposeHandComputedTest {

    @Test
    void stride2KernelOfOnesStampsEachPixelIntoItsOwnBlock() {
        // x (1,1,2,2) = [1 2; 3 4], w (1,1,2,2) = ones, stride 2, padding 0 → y (1,1,4,4): 2×2 blocks of each value
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 2, Padding.valid());
        float[] y = new float[16];
        ConvTranspose.convTranspose2dForward(y, new float[] {1, 2, 3, 4}, new float[] {1, 1, 1, 1}, null, 1, g, new Workspace());
        assertArrayEquals(new float[] {
            1, 1, 2, 2,
            1, 1, 2, 2,
            3, 3, 4, 4,
            3, 3, 4, 4}, y);
    }

    @Test
    void stride1OverlapsAddAndBiasIsAddedOnce() {
        // x = [1 2; 3 4], w = [1 10; 100 1000], stride 1 → 3×3; y[i][j] = Σ x[p][q]·w[i−p][j−q], plus bias 0.5
        ConvGeometry g = ConvGeometry.of(1, 3, 3, 1, 2, 1, Padding.valid());
        float[] y = new float[9];
        ConvTranspose.convTranspose2dForward(y, new float[] {1, 2, 3, 4}, new float[] {1, 10, 100, 1000},
                new float[] {0.5f}, 1, g, new Workspace());
        assertArrayEquals(new float[] {
            1 + 0.5f, 10 + 2 + 0.5f, 20 + 0.5f,
            100 + 3 + 0.5f, 1000 + 200 + 30 + 4 + 0.5f, 2000 + 40 + 0.5f,
            300 + 0.5f, 3000 + 400 + 0.5f, 4000 + 0.5f}, y, 1e-4f);
    }

    @Test
    void backwardOfStride2IsBlockSumsAndKernelGradientIsInputWeightedSums() {
        ConvGeometry g = ConvGeometry.of(1, 4, 4, 1, 2, 2, Padding.valid());
        float[] x = {1, 2, 3, 4}, dy = new float[16];
        for (int i = 0; i < 16; i++) dy[i] = i;
        float[] dx = new float[4], dw = new float[4], db = new float[1];
        ConvTranspose.convTranspose2dBackward(dx, dw, db, dy, x, new float[] {1, 1, 1, 1}, 1, g, new Workspace());
        // dx[p][q] = Σ over its 2×2 block of dy: block (0,0) = 0+1+4+5
        assertArrayEquals(new float[] {10, 18, 42, 50}, dx);
        // dw[r][s] = Σ_pq x[p][q]·dy[2p+r][2q+s]: dw[0][0] = 1·0 + 2·2 + 3·8 + 4·10
        assertArrayEquals(new float[] {68, 78, 108, 118}, dw);
        assertArrayEquals(new float[] {120}, db);
    }
}
