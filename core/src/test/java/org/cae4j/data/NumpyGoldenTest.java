package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads files written by numpy itself ({@code scripts/make_numpy_fixtures.py}). */
class NumpyGoldenTest {
    private static Path file(String name) {
        try {
            return Path.of(NumpyGoldenTest.class.getResource("numpy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ramp(int n) {
        return IdxFixtures.ramp(n);
    }

    @Test
    void uint8WrittenByNumpy() {
        ImageDataset d = NumpyData.load(file("u8_nhw.npy"), NumpyData.Layout.AUTO).train();
        assertEquals("u8_nhw.npy: 2 images 1x3x4, unlabelled", d.toString());
        assertArrayEquals(ramp(24), d.pixels());
    }

    @Test
    void float32DividedBy255ByNumpyBecomesBytesAgain() {
        ImageDataset d = NumpyData.load(file("f4_exact.npy"), NumpyData.Layout.AUTO).train();
        assertFalse(d.storesFloats());
        assertArrayEquals(ramp(24), d.pixels());
        ImageDataset f = NumpyData.load(file("f4_inexact.npy"), NumpyData.Layout.AUTO).train();
        assertTrue(f.storesFloats());
        assertEquals(1f, f.values()[23]);
        assertEquals(1f / 23, f.values()[1], 1e-7f);
    }

    @Test
    void channelsLastWrittenByNumpyIsTransposed() {
        ImageDataset d = NumpyData.load(file("u8_nhwc.npy"), NumpyData.Layout.AUTO).train();
        assertEquals(3, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        // np.arange(36).reshape(2,2,3,3).transpose(0,3,1,2), first image
        assertArrayEquals(new byte[] {0, 3, 6, 9, 12, 15, 1, 4, 7, 10, 13, 16, 2, 5, 8, 11, 14, 17},
                java.util.Arrays.copyOf(d.pixels(), 18));
    }

    @Test
    void compressedNpzWithKerasNames() {
        Datasets.Split s = NumpyData.load(file("keras_like.npz"), NumpyData.Layout.AUTO);
        assertEquals(2, s.train().size());
        assertEquals(7, s.train().label(1));
        assertEquals(9, s.test().label(0));
        assertArrayEquals(ramp(24), s.train().pixels());
        assertEquals(2, NumpyData.load(file("positional.npz"), NumpyData.Layout.AUTO).train().size());
    }

    @Test
    void fortranOrderWrittenByNumpyIsRefused() {
        DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(file("fortran.npy")));
        assertTrue(e.getMessage().contains("fortran.npy: array (2, 3, 4) is stored in Fortran order"), e.getMessage());
    }
}
