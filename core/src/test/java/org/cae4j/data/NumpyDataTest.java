package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.ramp;
import static org.cae4j.data.IdxFixtures.write;
import static org.cae4j.data.NpyFixtures.floatsLE;
import static org.cae4j.data.NpyFixtures.longsLE;
import static org.cae4j.data.NpyFixtures.npy;
import static org.cae4j.data.NpyFixtures.npyRaw;
import static org.cae4j.data.NpyFixtures.npz;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumpyDataTest {
    @TempDir
    Path dir;

    private static void assertMessage(DataFileException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "message lacks '" + p + "': " + e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
    }

    private static float[] all(ImageDataset d) {
        float[] x = new float[d.size() * d.imageSize()];
        int[] idx = new int[d.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        d.copyBatch(idx, 0, idx.length, x);
        return x;
    }

    @Test
    void readsUint8NpyWrittenWithTheProjectsWriter() {
        Path f = write(dir, "x.npy", npy("|u1", new long[] {2, 2, 3}, ramp(12)));
        NpyReader.Array a = NpyReader.read(f);
        assertArrayEquals(new int[] {2, 2, 3}, a.shape());
        assertArrayEquals(ramp(12), a.bytes());
        Datasets.Split s = NumpyData.load(f, NumpyData.Layout.AUTO);
        assertEquals(2, s.train().size());
        assertEquals(1, s.train().channels());
        assertEquals(3, s.train().width());
        assertFalse(s.train().hasLabels());
        assertNull(s.test());
        assertArrayEquals(ramp(12), s.train().pixels());
    }

    @Test
    void headerKeysInAnyOrderVersion2AndPython2LongsAreAccepted() {
        Path f = write(dir, "v1.npy", npyRaw("{'shape': (1L, 2L, 2L), 'fortran_order': False, 'descr': '|u1'}   ", ramp(4)));
        assertArrayEquals(new int[] {1, 2, 2}, NpyReader.read(f).shape());
        byte[] v1 = npy("|u1", new long[] {1, 1, 2}, new byte[] {5, 6});
        // version 2.0: the same header with a 4-byte length
        byte[] v2 = new byte[v1.length + 2];
        System.arraycopy(v1, 0, v2, 0, 6);
        v2[6] = 2;
        v2[8] = v1[8];
        v2[9] = v1[9];
        System.arraycopy(v1, 10, v2, 12, v1.length - 10);
        assertArrayEquals(new byte[] {5, 6}, NpyReader.read(write(dir, "v2.npy", v2)).bytes());
    }

    @Test
    void float32InUnitIntervalIsKeptAsFloatsUnlessExactlyBytes() {
        Path f = write(dir, "f.npy", npy("<f4", new long[] {1, 1, 2}, floatsLE(0.25f, 0.3f)));
        ImageDataset d = NumpyData.load(f, NumpyData.Layout.AUTO).train();
        assertTrue(d.storesFloats());
        assertArrayEquals(new float[] {0.25f, 0.3f}, all(d), 0f);
        Path g = write(dir, "g.npy", npy("<f4", new long[] {1, 1, 2}, floatsLE(0f, 51 / 255f)));
        ImageDataset e = NumpyData.load(g, NumpyData.Layout.AUTO).train();
        assertFalse(e.storesFloats());
        assertArrayEquals(new byte[] {0, 51}, e.pixels());
    }

    @Test
    void channelsLastIsDetectedAndTransposed() {
        // one 2x1 image with 3 channels, NHWC: pixel 0 = (1,2,3), pixel 1 = (4,5,6)
        Path f = write(dir, "hwc.npy", npy("|u1", new long[] {1, 2, 1, 3}, new byte[] {1, 2, 3, 4, 5, 6}));
        ImageDataset d = NumpyData.load(f, NumpyData.Layout.AUTO).train();
        assertEquals(3, d.channels());
        assertArrayEquals(new byte[] {1, 4, 2, 5, 3, 6}, d.pixels());
        Path g = write(dir, "chw.npy", npy("|u1", new long[] {1, 3, 1, 2}, new byte[] {1, 4, 2, 5, 3, 6}));
        assertArrayEquals(new byte[] {1, 4, 2, 5, 3, 6}, NumpyData.load(g, NumpyData.Layout.AUTO).train().pixels());
        Path amb = write(dir, "amb.npy", npy("|u1", new long[] {1, 3, 2, 3}, ramp(18)));
        DataFileException e = assertThrows(DataFileException.class, () -> NumpyData.load(amb, NumpyData.Layout.AUTO));
        assertMessage(e, amb.toString(), "cannot tell the channel axis of shape (1, 3, 2, 3)", "give the layout explicitly");
        assertEquals(2, NumpyData.load(amb, NumpyData.Layout.CHANNELS_LAST).train().width());
        assertEquals(3, NumpyData.load(amb, NumpyData.Layout.CHANNELS_FIRST).train().channels());
    }

    @Test
    void npzWithKerasNamesGivesTrainAndTestWithLabels() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_test", npy("|u1", new long[] {1, 2, 2}, ramp(4)));
        m.put("x_train", npy("|u1", new long[] {3, 2, 2}, ramp(12)));
        m.put("y_train", npy("<i8", new long[] {3}, longsLE(4, 0, 9)));
        m.put("y_test", npy("|u1", new long[] {1, 1}, new byte[] {7}));
        Path f = write(dir, "mnist.npz", npz(m));
        Datasets.Split s = NumpyData.load(f, NumpyData.Layout.AUTO);
        assertEquals(3, s.train().size());
        assertEquals(9, s.train().label(2));
        assertEquals(1, s.test().size());
        assertEquals(7, s.test().label(0));
        assertEquals("mnist.npz:x_train", s.train().name());
    }

    @Test
    void npzWithoutKnownNamesUsesTheFirstArrayUnlabelled() {
        Path f = write(dir, "plain.npz", npz(Map.of("arr_0", npy("|u1", new long[] {2, 1, 1}, new byte[] {1, 2}))));
        Datasets.Split s = NumpyData.load(f, NumpyData.Layout.AUTO);
        assertEquals(2, s.train().size());
        assertFalse(s.train().hasLabels());
    }

    @Test
    void imageCountDifferentFromLabelCountNamesBothArrays() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x", npy("|u1", new long[] {3, 1, 1}, ramp(3)));
        m.put("y", npy("|u1", new long[] {2}, ramp(2)));
        Path f = write(dir, "xy.npz", npz(m));
        DataFileException e = assertThrows(DataFileException.class, () -> NumpyData.load(f, NumpyData.Layout.AUTO));
        assertEquals(f + ":x.npy holds 3 images but " + f + ":y.npy holds 2 labels; expected one label per image",
                e.getMessage());
    }

    @Test
    void truncatedNpyNamesDeclaredAndFoundBytes() {
        byte[] full = npy("<f4", new long[] {2, 2, 2}, floatsLE(new float[8]));
        Path f = write(dir, "cut.npy", Arrays.copyOf(full, full.length - 3));
        DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(f));
        assertMessage(e, f + ": truncated: header declares (2, 2, 2) of '<f4' = 32 data bytes, found 29");
        Path g = write(dir, "long.npy", npy("|u1", new long[] {3}, ramp(5)));
        assertMessage(assertThrows(DataFileException.class, () -> NpyReader.read(g)),
                g + ": trailing data after the array", "(3,) of '|u1' = 3 data bytes, found 5");
    }

    @Test
    void truncatedNpzMemberIsNamed() {
        byte[] full = npy("|u1", new long[] {4, 2, 2}, ramp(16));
        Path f = write(dir, "cut.npz", npz(Map.of("x_train", Arrays.copyOf(full, full.length - 1))));
        DataFileException e = assertThrows(DataFileException.class, () -> NumpyData.load(f, NumpyData.Layout.AUTO));
        assertMessage(e, f + ":x_train.npy: truncated", "16 data bytes, found 15");
    }

    @Test
    void unsupportedDtypeIsNamedWithWhatIsAccepted() {
        Path f = write(dir, "f8.npy", npy("<f8", new long[] {1, 1, 1}, new byte[8]));
        DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(f));
        assertMessage(e, f + ": dtype '<f8' (float64) is not supported, expected '|u1' (uint8) or '<f4' (float32)");
        Path i = write(dir, "i8.npy", npy("<i8", new long[] {1, 1, 1}, new byte[8]));
        assertMessage(assertThrows(DataFileException.class, () -> NumpyData.load(i, NumpyData.Layout.AUTO)),
                i + ": images of dtype '<i8' are not supported");
        Path s = write(dir, "struct.npy", npyRaw("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        assertMessage(assertThrows(DataFileException.class, () -> NpyReader.read(s)),
                s + ": .npy header 'descr' is a list (a structured dtype), which is not supported");
    }

    @Test
    void fortranOrderIsRefusedByName() {
        Path f = write(dir, "fortran.npy", npyRaw("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2, 2), }", ramp(8)));
        DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(f));
        assertMessage(e, f + ": array (2, 2, 2) is stored in Fortran order (fortran_order: True); only C order is supported");
    }

    @Test
    void headersThatAreNotNumpysDictAreRefusedNeverEvaluated() {
        String[][] cases = {
                {"{'descr': '|u1', 'fortran_order': False, 'shape': __import__('os'), }", "expected a string, True, False or a tuple"},
                {"{'descr': '|u1', 'fortran_order': False}", "lacks 'shape'"},
                {"{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'extra': 1, }", "unexpected key 'extra'"},
                {"{'descr': '|u1', 'fortran_order': False, 'shape': (2), }", "one-element tuple needs a trailing comma"},
                {"{'descr': '|u1', 'fortran_order': False, 'shape': (-2,), }", "expected a non-negative integer"},
                {"{'descr': '|u1', 'fortran_order': False, 'shape': (2,), } x", "expected only spaces"},
                {"{'descr': '|u\\x31', 'fortran_order': False, 'shape': (2,), }", "escape sequences are not accepted"},
        };
        for (String[] c : cases) {
            Path f = write(dir, "bad.npy", npyRaw(c[0], new byte[2]));
            DataFileException e = assertThrows(DataFileException.class, () -> NpyReader.read(f), c[0]);
            assertMessage(e, f + ": .npy header", c[1]);
        }
    }

    @Test
    void notNpyAndBadVersionAndHugeShape() {
        Path f = write(dir, "text.npy", "hello world".getBytes());
        assertMessage(assertThrows(DataFileException.class, () -> NpyReader.read(f)),
                f + ": not a .npy file (starts with 68 65 6C 6C 6F 20 77 6F");
        byte[] v9 = npy("|u1", new long[] {1}, new byte[1]);
        v9[6] = 9;
        Path g = write(dir, "v9.npy", v9);
        assertMessage(assertThrows(DataFileException.class, () -> NpyReader.read(g)), g + ": .npy format version 9.0");
        Path h = write(dir, "huge.npy", npy("<f4", new long[] {100000, 100000, 1}, new byte[0]));
        assertMessage(assertThrows(DataFileException.class, () -> NpyReader.read(h)),
                h + ": shape (100000, 100000, 1) has more than");
    }

    @Test
    void floatOutsideUnitIntervalIsRefusedNamingTheValue() {
        Path f = write(dir, "raw255.npy", npy("<f4", new long[] {2, 1, 2}, floatsLE(0f, 1f, 128f, 255f)));
        DataFileException e = assertThrows(DataFileException.class, () -> NumpyData.load(f, NumpyData.Layout.AUTO));
        assertMessage(e, f + ": float32 value 128.0 at flat index 2 (image 1) is outside [0, 1]");
    }

    @Test
    void badShapesAndLabelsAreNamed() {
        Path f = write(dir, "flat.npy", npy("|u1", new long[] {2, 4}, ramp(8)));
        assertMessage(assertThrows(DataFileException.class, () -> NumpyData.load(f, NumpyData.Layout.AUTO)),
                f + ": image array has shape (2, 4), expected (N, H, W)");
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_train", npy("|u1", new long[] {2, 1, 1}, ramp(2)));
        m.put("y_train", npy("<i8", new long[] {2}, longsLE(3, 300)));
        Path g = write(dir, "bigl.npz", npz(m));
        assertMessage(assertThrows(DataFileException.class, () -> NumpyData.load(g, NumpyData.Layout.AUTO)),
                g + ":y_train.npy: label 1 is 300, expected 0..255");
        Path z = write(dir, "empty.npz", npz(Map.of()));
        assertMessage(assertThrows(DataFileException.class, () -> NumpyData.load(z, NumpyData.Layout.AUTO)),
                z + ": a zip archive with no .npy member");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("none.npz");
        assertEquals("no such file: " + f,
                assertThrows(DataFileException.class, () -> NumpyData.load(f, NumpyData.Layout.AUTO)).getMessage());
    }

    @Test
    void npzEntryNameThatIsNotUtf8IsADataFileException() throws Exception {
        // fuzzer finding (NumpyFuzzTest#npzFile, the input kept in its corpus): a central directory whose entry name
        // java.util.zip cannot decode threw IllegalArgumentException "malformed input off : 46, length : 1"
        byte[] b;
        try (java.io.InputStream in = NumpyDataTest.class.getResourceAsStream(
                "NumpyFuzzTestInputs/npzFile/crash-7a63653b3f2b8f192e90a1f819bd3dae1c9a6700")) {
            b = in.readAllBytes();
        }
        Path f = write(dir, "bad-name.npz", b);
        DataFileException e = assertThrows(DataFileException.class, () -> NumpyData.load(f, NumpyData.Layout.AUTO));
        // JDK 17 reports the name when it reads the entry ("an entry name is not valid UTF-8: malformed input ..."),
        // JDK 25 already when it opens the archive ("invalid CEN header (bad entry name or comment)"): one line
        // naming the file either way
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": not a readable .npz (zip) archive ("), m);
        assertTrue(m.contains("entry name") && !m.contains("\n"), m);
    }
}
