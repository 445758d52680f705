package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SeedCaeTest {

    @Test
    void defaultSeedCaeIsModelAOfThePyTorchPeer() {
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), new Rng(0));
        assertArrayEquals(new int[] {16, 32, 32}, ae.codeShape());
        assertEquals(817, ae.parameterCount()); // 16·25 + 16 + 16·25 + 1, as PyTorch reports for model A
        assertEquals("[0.weight, 0.bias, 2.weight, 2.bias]", ae.namedParameters().keySet().toString());
        assertEquals("Autoencoder(encoder=Sequential(Conv2d(1->16, k=5, s=1, p=full), Tanh()), "
                + "decoder=Sequential(Conv2d(16->1, k=5, s=1, p=valid), Sigmoid()))", ae.toString());
        Tensor y = ae.forward(new Tensor(3, 1, 28, 28));
        assertArrayEquals(new int[] {3, 1, 28, 28}, y.shape());
    }

    @Test
    void rgbAndStridedSeedCaesReturnTheInputSize() {
        for (int s = 1; s <= 4; s++) {
            for (int k : new int[] {3, 5, 7}) {
                Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(3, 20, 20).withStride(s).withKernel(k).withFilters(4), new Rng(s));
                assertArrayEquals(new int[] {3, 20, 20}, ae.outputShape(new int[] {3, 20, 20}), "stride " + s + " kernel " + k);
            }
        }
    }

    @Test
    void sameSeedBuildsIdenticalWeights() {
        Autoencoder a = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), new Rng(9));
        Autoencoder b = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), new Rng(9));
        assertArrayEquals(a.parameters().get(0).value.data, b.parameters().get(0).value.data);
    }

    @Test
    void nonPositiveSettingsAreRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeedCae.Config.defaults(1, 28, 28).withFilters(0));
        assertEquals("seed CAE: filters must be positive, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SeedCae.Config.defaults(1, 28, 28).withStride(-1));
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SeedCae.Config.defaults(1, 28, 28).withFilters(100000).withKernel(99));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    @Test
    void inputOfTheWrongShapeIsRejectedNamingBothShapes() {
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 28, 28), new Rng(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ae.forward(new Tensor(2, 3, 28, 28)));
        assertEquals("autoencoder: expected input (N, 1, 28, 28), got [2, 3, 28, 28]", e.getMessage());
    }
}
