package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cae4j.nn.Activation;
import org.cae4j.nn.Conv2d;
import org.cae4j.nn.Init;
import org.cae4j.nn.MaxPool2d;
import org.cae4j.nn.Upsample;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The stacked CAE's layout, names, settings, metadata and per-layer view. */
class StackedCaeTest {

    private static Tensor images(int n, int d, int h, int w) {
        Tensor x = new Tensor(n, d, h, w);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (0.5 + 0.5 * Math.sin(0.11 * i));
        return x;
    }

    @Test
    void twoPooledLayersAreMasciLayoutWithFlatPyTorchNames() {
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 28, 28), new Rng(0));
        // nn.Sequential(Conv, Tanh, MaxPool, Conv, Tanh, MaxPool, Upsample, Conv, Tanh, Upsample, Conv, Sigmoid)
        assertEquals("[0.weight, 0.bias, 3.weight, 3.bias, 7.weight, 7.bias, 10.weight, 10.bias]",
                ae.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {16, 1, 5, 5}, ae.namedParameters().get("0.weight").value.shape());
        assertArrayEquals(new int[] {8, 16, 5, 5}, ae.namedParameters().get("3.weight").value.shape());
        assertArrayEquals(new int[] {16, 8, 5, 5}, ae.namedParameters().get("7.weight").value.shape());
        assertArrayEquals(new int[] {1, 16, 5, 5}, ae.namedParameters().get("10.weight").value.shape());
        assertArrayEquals(new int[] {8, 7, 7}, ae.codeShape());
        // (16·25 + 16) + (8·16·25 + 8) + (16·8·25 + 16) + (16·25 + 1)
        assertEquals(416 + 3208 + 3216 + 401, ae.parameterCount());
        assertEquals(ae.parameterCount(), StackedCae.Config.defaults(1, 28, 28).parameters());
        assertTrue(ae.decoder().get(0) instanceof Upsample && ae.encoder().get(2) instanceof MaxPool2d);
        // decoder 2 ends in the encoders' tanh (it rebuilds tanh maps), decoder 1 in the image's sigmoid
        assertEquals(Activation.Kind.TANH, ((Activation) ae.decoder().get(2)).kind());
        assertEquals(Activation.Kind.SIGMOID, ((Activation) ae.decoder().get(5)).kind());
        Tensor y = ae.forward(images(2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 1, 28, 28}, y.shape());
    }

    @Test
    void withoutPoolingTheMapsKeepTheImageSize() {
        StackedCae.Config c = new StackedCae.Config(3, 10, 12, new int[] {4, 6, 5}, 3, false, Activation.Kind.TANH,
                Activation.Kind.SIGMOID, Init.PYTORCH);
        Autoencoder ae = StackedCae.build(c, new Rng(0));
        assertEquals("[0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias, 6.weight, 6.bias, 8.weight, 8.bias, "
                + "10.weight, 10.bias]", ae.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {5, 10, 12}, ae.codeShape());
        assertEquals(c.parameters(), ae.parameterCount());
        StackedCae s = StackedCae.of(ae);
        assertEquals(3, s.depth());
        assertArrayEquals(new int[] {3, 10, 12}, s.inputShape(1));
        assertArrayEquals(new int[] {4, 10, 12}, s.inputShape(2));
        assertArrayEquals(new int[] {6, 10, 12}, s.inputShape(3));
        assertEquals("Sequential(Conv2d(4->6, k=3, s=1, p=same), Tanh())", s.encoder(2).toString());
    }

    @Test
    void theLayerViewSharesTheModelsLayers() {
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 8, 8).withFilters(3, 2), new Rng(0));
        StackedCae s = StackedCae.of(ae);
        for (int i = 0; i < 3; i++) {
            assertSame(ae.encoder().get(i), s.encoder(1).get(i));
            assertSame(ae.encoder().get(3 + i), s.encoder(2).get(i));
            assertSame(ae.decoder().get(i), s.decoder(2).get(i));
            assertSame(ae.decoder().get(3 + i), s.decoder(1).get(i));
        }
        assertEquals(List.of(ae.namedParameters().get("3.weight"), ae.namedParameters().get("3.bias"),
                ae.namedParameters().get("7.weight"), ae.namedParameters().get("7.bias")), s.parameters(2));
        assertEquals(List.of(ae.namedParameters().get("0.weight"), ae.namedParameters().get("0.bias"),
                ae.namedParameters().get("10.weight"), ae.namedParameters().get("10.bias")), s.parameters(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.encoder(3));
        assertEquals("stacked CAE: layer must be 1 to 2, got 3", e.getMessage());
    }

    @Test
    void layerInputIsTheImageForLayerOneAndTheMapsOfTheEncodersBelowAbove() {
        Autoencoder ae = StackedCae.build(StackedCae.Config.defaults(1, 8, 8).withFilters(3, 2, 4).withKernel(3), new Rng(1));
        StackedCae s = StackedCae.of(ae);
        Tensor x = images(2, 1, 8, 8);
        assertSame(x, s.layerInput(1, x));
        // by hand: conv, tanh, pool of layer 1 (and of layer 2), with the model's own weights
        Conv2d c1 = (Conv2d) ae.encoder().get(0), c2 = (Conv2d) ae.encoder().get(3);
        Tensor m1 = pool2(tanh(conv3x3Same(x, c1)));
        Tensor m2 = pool2(tanh(conv3x3Same(m1, c2)));
        assertArrayEquals(m1.data, s.layerInput(2, x).copy().data, 1e-6f);
        assertArrayEquals(new int[] {2, 3, 4, 4}, s.layerInput(2, x).shape());
        assertArrayEquals(m2.data, s.layerInput(3, x).copy().data, 1e-6f);
        assertArrayEquals(new int[] {2, 2, 2, 2}, s.layerInput(3, x).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.layerInput(2, images(1, 1, 8, 9)));
        assertEquals("stacked CAE: expected images (N, 1, 8, 8), got [1, 1, 8, 9]", e.getMessage());
    }

    /** Plain loops: y = x ∗ w + b with padding 1 (same for 3×3), stride 1. */
    private static Tensor conv3x3Same(Tensor x, Conv2d c) {
        int n = x.dim(0), ci = x.dim(1), h = x.dim(2), w = x.dim(3), k = c.outChannels();
        float[] wt = c.weight().value.data, b = c.bias().value.data;
        Tensor y = new Tensor(n, k, h, w);
        for (int i = 0; i < n; i++) for (int o = 0; o < k; o++) for (int p = 0; p < h; p++) for (int q = 0; q < w; q++) {
            double s = b[o];
            for (int cc = 0; cc < ci; cc++) for (int r = 0; r < 3; r++) for (int t = 0; t < 3; t++) {
                int yy = p + r - 1, xx = q + t - 1;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                s += x.data[((i * ci + cc) * h + yy) * w + xx] * wt[((o * ci + cc) * 3 + r) * 3 + t];
            }
            y.data[((i * k + o) * h + p) * w + q] = (float) s;
        }
        return y;
    }

    private static Tensor tanh(Tensor x) {
        Tensor y = new Tensor(x.shape());
        for (int i = 0; i < x.size(); i++) y.data[i] = (float) Math.tanh(x.data[i]);
        return y;
    }

    private static Tensor pool2(Tensor x) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2) / 2, w = x.dim(3) / 2;
        Tensor y = new Tensor(n, c, h, w);
        for (int i = 0; i < n * c; i++) for (int p = 0; p < h; p++) for (int q = 0; q < w; q++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < 2; r++) for (int t = 0; t < 2; t++) {
                m = Math.max(m, x.data[(i * x.dim(2) + 2 * p + r) * x.dim(3) + 2 * q + t]);
            }
            y.data[(i * h + p) * w + q] = m;
        }
        return y;
    }

    @Test
    void metadataRebuildsTheSameArchitecture() {
        StackedCae.Config c = new StackedCae.Config(3, 16, 16, new int[] {5, 7}, 3, true, Activation.Kind.RELU,
                Activation.Kind.IDENTITY, Init.HE_UNIFORM);
        Map<String, String> meta = c.toMetadata();
        assertEquals("{preset=stacked, input=3x16x16, filters=5,7, kernel=3, pooling=max, encoder_activation=relu, "
                + "decoder_activation=identity, init=he-uniform}", meta.toString());
        assertEquals(c, StackedCae.Config.fromMetadata(meta));
        Autoencoder a = StackedCae.build(c, new Rng(3)), b = Models.fromMetadata(meta, new Rng(3));
        assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
        for (String k : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(k).value.data, b.namedParameters().get(k).value.data, k);
        }
        assertEquals(a.parameterCount(), Models.parameterCount(meta));
        assertEquals(c, StackedCae.of(b).config());
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        StackedCae.Config c = StackedCae.Config.defaults(1, 28, 28);
        assertEquals("stacked CAE: 3 max-pooled layers need a height and width divisible by 8, got 28x28 (use fewer "
                + "layers or no pooling)", assertThrows(IllegalArgumentException.class, () -> c.withFilters(8, 8, 8)).getMessage());
        assertEquals(3, c.withPooling(false).withFilters(8, 8, 8).depth());   // fine without pooling
        assertEquals("stacked CAE: filter count must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> c.withFilters(16, 0)).getMessage());
        assertEquals("stacked CAE: expected 1 to 16 layers (one filter count each), got 0",
                assertThrows(IllegalArgumentException.class, () -> c.withFilters()).getMessage());
        assertEquals("stacked CAE: kernel must be positive, got -3",
                assertThrows(IllegalArgumentException.class, () -> c.withKernel(-3)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withFilters(1 << 20, 1 << 20)).getMessage()
                .contains("more than the limit"));
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.toMetadata());
        meta.put("pooling", "avg");
        assertEquals("metadata 'pooling' is 'avg', expected max or none",
                assertThrows(IllegalArgumentException.class, () -> Models.fromMetadata(meta, new Rng(0))).getMessage());
        meta.put("pooling", "max");
        meta.put("filters", "16;8");
        assertEquals("filters '16;8': expected counts separated by commas, such as 16,8",
                assertThrows(IllegalArgumentException.class, () -> Models.fromMetadata(meta, new Rng(0))).getMessage());
        assertEquals("expected a stacked CAE (preset 'stacked' without input noise), got preset 'seed'",
                assertThrows(IllegalArgumentException.class,
                        () -> StackedCae.of(SeedCae.build(SeedCae.Config.defaults(1, 8, 8), new Rng(0)))).getMessage());
    }

    @Test
    void sameSeedSameWeights() {
        Autoencoder a = StackedCae.build(StackedCae.Config.defaults(1, 12, 12), new Rng(5));
        Autoencoder b = StackedCae.build(StackedCae.Config.defaults(1, 12, 12), new Rng(5));
        Autoencoder c = StackedCae.build(StackedCae.Config.defaults(1, 12, 12), new Rng(6));
        assertArrayEquals(a.namedParameters().get("7.weight").value.data, b.namedParameters().get("7.weight").value.data);
        assertTrue(!java.util.Arrays.equals(a.namedParameters().get("7.weight").value.data,
                c.namedParameters().get("7.weight").value.data));
    }
}
