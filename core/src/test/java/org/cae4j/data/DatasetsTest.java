package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.gzip;
import static org.cae4j.data.IdxFixtures.idx;
import static org.cae4j.data.IdxFixtures.ramp;
import static org.cae4j.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** Writes n images of h x w (pixels a ramp) and labels 0..n-1 under the given names. */
    private void writeSet(String images, String labels, int n, int h, int w, boolean gz) {
        byte[] im = idx(new int[] {n, h, w}, ramp(n * h * w));
        byte[] lb = idx(new int[] {n}, ramp(n));
        write(dir, images, gz ? gzip(im) : im);
        write(dir, labels, gz ? gzip(lb) : lb);
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), () -> "message lacks '" + p + "': " + message);
    }

    @Test
    void loadsMnistNamedDirectoryRawAndGzipped() {
        writeSet("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 4, 3, 2, true);
        writeSet("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 2, 3, 2, false);
        write(dir, "README.txt", new byte[] {'h', 'i'});
        Datasets.Split s = Datasets.load(dir);
        assertEquals(4, s.train().size());
        assertEquals(2, s.test().size());
        assertEquals(3, s.train().height());
        assertEquals(2, s.test().width());
        assertEquals(3, s.train().label(3));
        assertArrayEquals(ramp(24), s.train().pixels());
        assertEquals(dir.getFileName() + "/train", s.train().name());
    }

    @Test
    void loadsEmnistNamedDirectory() {
        writeSet("emnist-balanced-train-images-idx3-ubyte", "emnist-balanced-train-labels-idx1-ubyte", 3, 2, 2, false);
        writeSet("emnist-balanced-test-images-idx3-ubyte", "emnist-balanced-test-labels-idx1-ubyte", 1, 2, 2, true);
        write(dir, "emnist-balanced-mapping.txt", new byte[] {'0'});
        Datasets.Split s = Datasets.load(dir);
        assertEquals(3, s.train().size());
        assertEquals(1, s.test().size());
    }

    @Test
    void missingFilesAreNamedAlongsideWhatWasFound() {
        writeSet("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 2, 2, 2, true);
        write(dir, "t10k-images-idx3-ubyte.gz", gzip(idx(new int[] {1, 2, 2}, ramp(4))));
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": missing test labels;"), e.getMessage());
        assertContains(e.getMessage(), "expected train images, train labels, test images and test labels",
                "found [t10k-images-idx3-ubyte.gz, train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz]");
    }

    @Test
    void emptyDirectoryReportsAllFourMissing() {
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.load(dir));
        assertContains(e.getMessage(), "missing train images, train labels, test images, test labels", "found []");
    }

    @Test
    void twoCandidatesForOneRoleAreBothNamed() {
        writeSet("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 2, 2, 2, true);
        writeSet("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 1, 2, 2, true);
        write(dir, "train-images-idx3-ubyte", idx(new int[] {2, 2, 2}, ramp(8)));
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.load(dir));
        assertContains(e.getMessage(), dir.toString(),
                "2 files could be the train images: [train-images-idx3-ubyte, train-images-idx3-ubyte.gz]");
    }

    @Test
    void mismatchedLabelCountInDirectoryNamesBothFiles() {
        write(dir, "train-images-idx3-ubyte", idx(new int[] {3, 2, 2}, ramp(12)));
        write(dir, "train-labels-idx1-ubyte", idx(new int[] {2}, ramp(2)));
        writeSet("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 1, 2, 2, false);
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.load(dir));
        assertEquals(dir.resolve("train-images-idx3-ubyte") + " holds 3 images but "
                + dir.resolve("train-labels-idx1-ubyte") + " holds 2 labels; expected one label per image", e.getMessage());
    }

    @Test
    void trainAndTestImageSizesMustAgree() {
        writeSet("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 2, 2, 2, false);
        writeSet("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 1, 3, 2, false);
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.load(dir));
        assertContains(e.getMessage(), "train images are 2x2 but test images are 3x2");
    }

    @Test
    void singleImageFileIsUnlabelledTrainWithoutTest() {
        Path f = write(dir, "my-images-idx3-ubyte.gz", gzip(idx(new int[] {5, 4, 4}, ramp(80))));
        Datasets.Split s = Datasets.load(f);
        assertEquals(5, s.train().size());
        assertFalse(s.train().hasLabels());
        assertFalse(s.hasTest());
        assertNull(s.test());
    }

    @Test
    void missingPathIsReported() {
        Path p = dir.resolve("nothing-here");
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.load(p));
        assertEquals("no such file or directory: " + p, e.getMessage());
    }

    @Test
    void embeddedHoldsTenThousandTrainAndTwoThousandTestFashionImages() {
        Datasets.Split s = Datasets.embedded();
        for (ImageDataset d : new ImageDataset[] {s.train(), s.test()}) {
            assertEquals(1, d.channels());
            assertEquals(28, d.height());
            assertEquals(28, d.width());
            assertTrue(d.hasLabels());
            int[] perClass = new int[10];
            for (int i = 0; i < d.size(); i++) {
                int label = d.label(i);
                assertTrue(label >= 0 && label <= 9, d.name() + " label " + i + " is " + label);
                perClass[label]++;
            }
            for (int k = 0; k < 10; k++) assertTrue(perClass[k] > 0, d.name() + " has no image of class " + k);
        }
        assertEquals(10_000, s.train().size());
        assertEquals(2_000, s.test().size());
    }

    @Test
    void embeddedIsThePrefixOfFashionMnist() {
        Path trainImages = FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
        assumeTrue(Files.exists(trainImages), "Fashion-MNIST not installed at " + FASHION_MNIST);
        byte[] original = Idx.readImages(trainImages).data();
        byte[] embedded = Datasets.embedded().train().pixels();
        assertArrayEquals(Arrays.copyOf(original, 28 * 28), Arrays.copyOf(embedded, 28 * 28), "first train image");
        assertTrue(Arrays.equals(original, 0, embedded.length, embedded, 0, embedded.length),
                "the embedded train images are the first 10,000 of " + trainImages);
    }
}
