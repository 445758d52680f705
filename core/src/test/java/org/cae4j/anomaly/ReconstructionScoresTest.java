package org.cae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cae4j.data.ImageDataset;
import org.cae4j.data.Normalization;
import org.cae4j.model.Architecture;
import org.cae4j.model.Autoencoder;
import org.cae4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class ReconstructionScoresTest {
    /** A model that halves its input: one 1×1 convolution, weight 0.5, bias 0. */
    private static Autoencoder halving() {
        Autoencoder ae = Architecture.parse("{\"input\": \"1x12x12\", \"encoder\": [{\"type\": \"conv2d\", \"out_channels\": 1, "
                + "\"kernel_size\": 1}], \"decoder\": [{\"type\": \"identity\"}]}").build(new Rng(0));
        ae.parameters().get(0).value.data[0] = 0.5f;
        ae.parameters().get(1).value.data[0] = 0f;
        return ae;
    }

    @Test
    void mseIsInTheNormalisedSpaceAndSsimOnPixelsMappedBack() {
        byte[] pixels = new byte[2 * 144];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) ((i * 37) % 256);
        ImageDataset d = new ImageDataset("d", pixels, null, 2, 1, 12, 12).withNormalization(Normalization.symmetric());
        ReconstructionScores.Scores s = ReconstructionScores.score(halving(), d, 1, Ssim.Window.GAUSSIAN);
        for (int i = 0; i < 2; i++) {
            float[] x = new float[144], u = new float[144], v = new float[144];
            double se = 0;
            for (int k = 0; k < 144; k++) {
                x[k] = 2 * ((pixels[i * 144 + k] & 0xff) / 255f) - 1;   // the model's input
                double e = 0.5 * x[k] - x[k];
                se += e * e;
                u[k] = (pixels[i * 144 + k] & 0xff) / 255f;             // the image in [0, 1]
                v[k] = 0.5f * x[k] * 0.5f + 0.5f;                      // the reconstruction mapped back to [0, 1]
            }
            assertEquals(se / 144, s.mse()[i], 1e-6, "MSE of image " + i + " in [-1, 1] units");
            assertEquals(1 - Ssim.mean(u, 0, v, 0, 1, 12, 12, Ssim.Window.GAUSSIAN), s.ssim()[i], 1e-6, "SSIM of image " + i);
        }
    }
}
