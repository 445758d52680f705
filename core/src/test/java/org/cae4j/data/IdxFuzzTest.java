package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz targets of the IDX reader: any bytes, raw or gzipped, from a file or a stream, either read as consistent
 * {@link Idx.Contents} or fail with a one-line {@link DataFileException} (see {@link FuzzContract}). Seed inputs
 * are in {@code src/test/resources/org/cae4j/data/IdxFuzzTestInputs/<method>/} (written by {@code FuzzSeeds});
 * {@code mvn test} runs them, {@code JAZZER_FUZZ=1} fuzzes (README, "Fuzzing").
 */
class IdxFuzzTest {
    /** The bytes as an IDX file on disk (known length): Idx.read, readImages and readLabels. */
    @FuzzTest(maxDuration = "30s")
    void idxFile(byte[] input) {
        Path f = FuzzContract.file("train-images-idx3-ubyte", input);
        checkContents(FuzzContract.check(() -> Idx.read(f), input.length, DataFileException.class), 1, 4);
        checkContents(FuzzContract.check(() -> Idx.readImages(f), input.length, DataFileException.class), 3, 3);
        checkContents(FuzzContract.check(() -> Idx.readLabels(f), input.length, DataFileException.class), 1, 1);
    }

    /** The bytes as a stream of unknown length (the embedded data's path); gzip is recognised by its magic. */
    @FuzzTest(maxDuration = "30s")
    void idxStream(byte[] input) {
        checkContents(FuzzContract.check(() -> Idx.read(new ByteArrayInputStream(input), "stream"), input.length,
                DataFileException.class), 1, 4);
    }

    /** The bytes gzipped into a file, so that mutations reach the IDX header behind a valid gzip stream. */
    @FuzzTest(maxDuration = "30s")
    void idxGzip(byte[] input) {
        Path f = FuzzContract.file("t10k-images-idx3-ubyte.gz", FuzzContract.gzip(input));
        checkContents(FuzzContract.check(() -> Idx.read(f), input.length, DataFileException.class), 1, 4);
    }

    /**
     * An image file and a label file as one data set: the first two bytes give the label file's length, the
     * label file follows, then the image file; counts must agree or fail naming both files.
     */
    @FuzzTest(maxDuration = "30s")
    void imagesWithLabels(byte[] input) {
        if (input.length < 2) return;
        int n = Math.min(((input[0] & 0xff) << 8) | (input[1] & 0xff), input.length - 2);
        Path labels = FuzzContract.file("train-labels-idx1-ubyte", Arrays.copyOfRange(input, 2, 2 + n));
        Path images = FuzzContract.file("train-images-idx3-ubyte", Arrays.copyOfRange(input, 2 + n, input.length));
        ImageDataset d = FuzzContract.check(() -> ImageDataset.fromIdx(images, labels), input.length,
                DataFileException.class);
        if (d != null) {
            assertTrue(d.hasLabels());
            assertEquals((long) d.size() * d.imageSize(), d.pixels().length);
        }
    }

    /** A result holds between min and max positive dims whose product is the payload length. */
    private static void checkContents(Idx.Contents c, int minDims, int maxDims) {
        if (c == null) return;
        assertTrue(c.dims().length >= minDims && c.dims().length <= maxDims, Arrays.toString(c.dims()));
        long n = 1;
        for (int d : c.dims()) {
            assertTrue(d > 0, Arrays.toString(c.dims()));
            n *= d;
        }
        assertEquals(n, c.data().length);
    }
}
