package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz targets of the NumPy readers: any bytes either read as an array whose data matches its shape (and as images
 * of a consistent shape, with labels) or fail with a one-line {@link DataFileException} (see {@link FuzzContract}).
 * Seeds: {@code NumpyFuzzTestInputs/<method>/}, written by {@code FuzzSeeds}.
 */
class NumpyFuzzTest {
    /** The bytes as a {@code .npy} file: {@link NpyReader#read}, then {@link NumpyData#load} in two layouts. */
    @FuzzTest(maxDuration = "30s")
    void npyFile(byte[] input) {
        Path f = FuzzContract.file("x.npy", input);
        NpyReader.Array a = FuzzContract.check(() -> NpyReader.read(f), input.length, DataFileException.class);
        if (a != null) {
            long n = 1;
            for (int d : a.shape()) {
                assertTrue(d >= 0, Arrays.toString(a.shape()));
                n *= d;
            }
            int forms = (a.bytes() != null ? 1 : 0) + (a.floats() != null ? 1 : 0) + (a.longs() != null ? 1 : 0);
            assertEquals(1, forms, "exactly one of bytes, floats, longs");
            long held = a.bytes() != null ? a.bytes().length : a.floats() != null ? a.floats().length : a.longs().length;
            assertEquals(n, held, "elements of shape " + Arrays.toString(a.shape()));
        }
        for (NumpyData.Layout layout : new NumpyData.Layout[] {NumpyData.Layout.AUTO, NumpyData.Layout.CHANNELS_LAST}) {
            checkSplit(FuzzContract.check(() -> NumpyData.load(f, layout), input.length, DataFileException.class));
        }
    }

    /** The bytes as a {@code .npz} archive: the zip layer, member names, and the arrays inside. */
    @FuzzTest(maxDuration = "30s")
    void npzFile(byte[] input) {
        Path f = FuzzContract.file("d.npz", input);
        checkSplit(FuzzContract.check(() -> NumpyData.loadNpz(f, NumpyData.Layout.AUTO), input.length, DataFileException.class));
    }

    /**
     * A valid archive of two members made from the bytes, so that mutations reach the arrays behind a well-formed
     * zip: the first two bytes give the length of {@code y_train.npy}, which follows; the rest is {@code x_train.npy}.
     */
    @FuzzTest(maxDuration = "30s")
    void npzMembers(byte[] input) {
        if (input.length < 2) return;
        int n = Math.min(((input[0] & 0xff) << 8) | (input[1] & 0xff), input.length - 2);
        byte[] zip = zip("x_train.npy", Arrays.copyOfRange(input, 2 + n, input.length),
                "y_train.npy", Arrays.copyOfRange(input, 2, 2 + n));
        Path f = FuzzContract.file("members.npz", zip);
        checkSplit(FuzzContract.check(() -> NumpyData.loadNpz(f, NumpyData.Layout.AUTO), input.length, DataFileException.class));
    }

    /** Two members, deflated. */
    static byte[] zip(String name1, byte[] bytes1, String name2, byte[] bytes2) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name1));
            z.write(bytes1);
            z.closeEntry();
            z.putNextEntry(new ZipEntry(name2));
            z.write(bytes2);
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A result has positive sizes, one label per image when labelled, and a test set shaped like the training set. */
    private static void checkSplit(Datasets.Split s) {
        if (s == null) return;
        for (ImageDataset d : new ImageDataset[] {s.train(), s.test()}) {
            if (d == null) continue;
            assertTrue(d.size() > 0 && d.channels() > 0 && d.height() > 0 && d.width() > 0, d.toString());
            long values = d.storesFloats() ? d.values().length : d.pixels().length;
            assertEquals((long) d.size() * d.imageSize(), values, d.toString());
            if (d.hasLabels()) assertEquals(d.size(), d.labels().length);
        }
        if (s.test() != null) assertEquals(s.train().imageSize(), s.test().imageSize());
    }
}
