package org.cae4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cae4j.data.ImageDataset;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Presets;
import org.cae4j.model.SeedCae;
import org.cae4j.ops.AdaptivePool;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    static final Autoencoder SEED = SeedCae.build(SeedCae.Config.defaults(1, 12, 12), new Rng(0));

    static ImageDataset images(int n) {
        byte[] px = new byte[n * 144];
        Rng r = new Rng(3);
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) (i % 3);
        return new ImageDataset("random", px, lb, n, 1, 12, 12);
    }

    @Test
    void seedLayersAreNamedAsTheirParametersAndTheCodeIsTheDefault() {
        // seed CAE encoder: 0 Conv2d (0.weight, 0.bias), 1 Tanh; maps 16×16 from "full" padding of a 12×12 input
        assertEquals(16 * 16 * 16, Features.of(SEED, "code", 0, null).size());
        assertEquals(16 * 16 * 16, Features.of(SEED, null, 0, null).size());
        assertTrue(Features.of(SEED, "0", 0, null).layerName().startsWith("0 Conv2d"));
        assertTrue(Features.of(SEED, "1", 0, null).layerName().endsWith("(code)"));
        assertTrue(Features.of(SEED, "-1", 0, null).layerName().endsWith("(code)"));
        assertEquals(144, Features.of(SEED, "input", 0, null).size());
        assertEquals(16 * 4 * 4, Features.of(SEED, "code", 4, Features.Pooling.MAX).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Features.of(SEED, "2", 0, null));
        assertTrue(e.getMessage().contains("'2'") && e.getMessage().contains("0 Conv2d") && e.getMessage().contains("1 Tanh"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Features.of(SEED, "code", 17, null));
        assertTrue(e.getMessage().contains("17x17") && e.getMessage().contains("[16, 16, 16]"), e.getMessage());
    }

    @Test
    void nestedNamesAndVectorCodesWork() {
        Autoencoder dense = Presets.dense(1, 12, 12, new Rng(1));
        Features code = Features.of(dense, "code", 0, null);
        assertEquals(dense.codeShape()[0], code.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Features.of(dense, "code", 2, null));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
        Autoencoder arch = org.cae4j.model.Architecture.parse("{\"encoder\": [{\"type\": \"conv2d\", \"out_channels\": 2, "
                + "\"kernel_size\": 3, \"padding\": 1}, {\"type\": \"relu\"}], \"decoder\": [{\"type\": \"conv2d\", "
                + "\"out_channels\": 1, \"kernel_size\": 3, \"padding\": 1}]}").build(new int[] {1, 12, 12}, new Rng(0));
        assertEquals(Autoencoder.Naming.NESTED, arch.naming());
        assertEquals(Features.of(arch, "1", 0, null).layerName(), Features.of(arch, "0.1", 0, null).layerName());
        assertTrue(Features.of(arch, "0.0", 0, null).layerName().startsWith("0.0 Conv2d"));
    }

    @Test
    void pooledFeaturesAreTheAdaptivePoolOfTheEncoderOutput() {
        ImageDataset d = images(5);
        Tensor x = new Tensor(5, 1, 12, 12);
        d.copyBatch(new int[] {0, 1, 2, 3, 4}, 0, 5, x.data);
        SEED.train(false);
        Tensor z = SEED.encoder().forward(x).copy();
        SEED.train(true);
        float[] expected = new float[5 * 16 * 9];
        AdaptivePool.adaptivePool2dForward(expected, z.data, 5, 16, 16, 16, 3, 3, false);
        Features f = Features.of(SEED, "code", 3, Features.Pooling.AVG);
        assertArrayEquals(expected, f.matrix(d, 2));
        assertTrue(SEED.isTraining(), "the model's mode is restored");
        // the convolution alone (layer 0) is the code before tanh
        float[] pre = Features.of(SEED, "0", 0, null).matrix(d, 5), code = Features.of(SEED, "1", 0, null).matrix(d, 5);
        for (int i = 0; i < pre.length; i++) assertEquals(Math.tanh(pre[i]), code[i], 1e-6);
    }

    @Test
    void streamHandsOverOneBatchAtATimeInOrder() throws IOException {
        ImageDataset d = images(7);
        Features f = Features.of(SEED, "input", 2, Features.Pooling.MAX);
        List<int[]> calls = new ArrayList<>();
        float[] all = f.matrix(d, 7), seen = new float[all.length];
        f.stream(d, 3, (from, count, feats) -> {
            calls.add(new int[] {from, count});
            System.arraycopy(feats, 0, seen, from * f.size(), count * f.size());
        });
        assertEquals(List.of("0,3", "3,3", "6,1"), calls.stream().map(c -> c[0] + "," + c[1]).toList());
        assertArrayEquals(all, seen);
        // max over each 6×6 quarter of the image
        float m = 0;
        Tensor x = new Tensor(1, 1, 12, 12);
        d.copyBatch(new int[] {0}, 0, 1, x.data);
        for (int h = 0; h < 6; h++) for (int w = 0; w < 6; w++) m = Math.max(m, x.data[h * 12 + w]);
        assertEquals(m, all[0]);
    }
}
