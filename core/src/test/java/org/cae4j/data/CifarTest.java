package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {
    @TempDir
    Path dir;

    /**
     * A record: the label bytes, then red plane = seed, green plane = seed + 1, blue plane = seed + 2, except the
     * very first red pixel, which is 200 so that plane order is visible.
     */
    static byte[] record(int seed, int... labels) {
        byte[] r = new byte[labels.length + Cifar.IMAGE_BYTES];
        for (int i = 0; i < labels.length; i++) r[i] = (byte) labels[i];
        for (int c = 0; c < 3; c++) Arrays.fill(r, labels.length + c * 1024, labels.length + (c + 1) * 1024, (byte) (seed + c));
        r[labels.length] = (byte) 200;
        return r;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** A CIFAR-10 directory: batch b holds one image with label b and seed 10·b; the test batch two images. */
    static void writeCifar10(Path dir) {
        for (int b = 1; b <= 5; b++) write(dir, "data_batch_" + b + ".bin", record(10 * b, b));
        write(dir, "test_batch.bin", concat(record(100, 9), record(110, 0)));
    }

    private static void assertMessage(DataFileException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "message lacks '" + p + "': " + e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
    }

    @Test
    void readsOneCifar10BatchAsThreePlanesInRgbOrder() {
        Path f = write(dir, "data_batch_1.bin", concat(record(1, 3), record(50, 7)));
        ImageDataset d = Cifar.read(f, Cifar.Variant.CIFAR10);
        assertEquals(2, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals(3, d.label(0));
        assertEquals(7, d.label(1));
        float[] x = new float[2 * 3072];
        d.copyBatch(new int[] {1, 0}, 0, 2, x);
        assertEquals(200 / 255f, x[0]);                // image 1, red, pixel (0,0)
        assertEquals(50 / 255f, x[1]);                 // red plane
        assertEquals(51 / 255f, x[1024]);              // green plane
        assertEquals(52 / 255f, x[2048 + 1023]);       // blue plane, last pixel
        assertEquals(3 / 255f, x[3072 + 2048]);        // image 0, blue
    }

    @Test
    void directoryConcatenatesTrainingBatchesInOrderAndReadsClassNames() throws IOException {
        writeCifar10(dir);
        Files.writeString(dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n", StandardCharsets.US_ASCII);
        Datasets.Split s = Cifar.load(dir);
        assertEquals(5, s.train().size());
        assertEquals(2, s.test().size());
        for (int b = 1; b <= 5; b++) assertEquals(b, s.train().label(b - 1));
        float[] x = new float[3072];
        s.train().copyBatch(new int[] {4}, 0, 1, x);
        assertEquals(50 / 255f, x[1]);
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                s.train().classNames());
        assertEquals("truck", s.test().classNames().get(s.test().label(0)));
        assertEquals(dir.getFileName() + "/train", s.train().name());
    }

    @Test
    void parentOfTheOfficialFolderIsAcceptedToo() throws IOException {
        Path inner = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
        writeCifar10(inner);
        assertEquals(Cifar.Variant.CIFAR10, Cifar.detect(dir));
        assertEquals("cifar-10-batches-bin/test", Cifar.load(dir).test().name());
    }

    @Test
    void cifar100KeepsFineOrCoarseLabels() {
        write(dir, "train.bin", concat(record(5, 19, 99), record(6, 0, 42)));
        write(dir, "test.bin", record(7, 3, 17));
        assertEquals(Cifar.Variant.CIFAR100, Cifar.detect(dir));
        Datasets.Split fine = Cifar.load(dir);
        assertEquals(99, fine.train().label(0));
        assertEquals(42, fine.train().label(1));
        Datasets.Split coarse = Cifar.load(dir, Cifar.Labels.COARSE);
        assertEquals(19, coarse.train().label(0));
        assertEquals(3, coarse.test().label(0));
        float[] x = new float[3072];
        fine.test().copyBatch(new int[] {0}, 0, 1, x);
        assertEquals(7 / 255f, x[1]);
    }

    @Test
    void truncatedBatchNamesFileRecordSizeAndLength() {
        Path f = write(dir, "data_batch_1.bin", Arrays.copyOf(concat(record(1, 1), record(2, 2)), 2 * 3073 - 5));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.read(f, Cifar.Variant.CIFAR10));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertMessage(e, "6141 bytes is not a whole number of CIFAR-10 records of 3073 bytes",
                "1 records and 3068 bytes left over");
    }

    @Test
    void cifar100FileReadAsCifar10IsCaughtByItsLength() {
        Path f = write(dir, "train.bin", concat(record(1, 1, 1), record(2, 2, 2)));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.read(f, Cifar.Variant.CIFAR10));
        assertMessage(e, f.toString(), "6148 bytes", "records of 3073 bytes");
    }

    @Test
    void emptyFileIsRejected() {
        Path f = write(dir, "test_batch.bin", new byte[0]);
        assertMessage(assertThrows(DataFileException.class, () -> Cifar.read(f, Cifar.Variant.CIFAR10)),
                f.toString(), "0 bytes is not a whole number", "expected a positive multiple of 3073");
    }

    @Test
    void labelOutOfRangeNamesFileAndRecord() {
        Path f = write(dir, "data_batch_1.bin", concat(record(1, 1), record(2, 10)));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.read(f, Cifar.Variant.CIFAR10));
        assertMessage(e, f + ": record 1 has label 10, expected 0..9");
        Path g = write(dir, "train.bin", record(1, 20, 5));
        e = assertThrows(DataFileException.class,
                () -> Cifar.read(List.of(g), "g", Cifar.Variant.CIFAR100, Cifar.Labels.COARSE));
        assertMessage(e, g + ": record 0 has coarse label 20, expected 0..19");
    }

    @Test
    void missingBatchIsNamedWithWhatWasFound() throws IOException {
        writeCifar10(dir);
        Files.delete(dir.resolve("data_batch_3.bin"));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.load(dir));
        assertMessage(e, dir + ": missing data_batch_3.bin;", "found [data_batch_1.bin, data_batch_2.bin, "
                + "data_batch_4.bin, data_batch_5.bin, test_batch.bin]");
    }

    @Test
    void wrongNumberOfClassNamesIsRejected() throws IOException {
        writeCifar10(dir);
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.load(dir));
        assertMessage(e, dir.resolve("batches.meta.txt") + ": 2 class names, expected 10");
    }

    @Test
    void missingFileAndNonCifarDirectory() {
        Path f = dir.resolve("data_batch_9.bin");
        assertEquals("no such file: " + f,
                assertThrows(DataFileException.class, () -> Cifar.read(f, Cifar.Variant.CIFAR10)).getMessage());
        assertNull(Cifar.detect(dir));
        assertMessage(assertThrows(DataFileException.class, () -> Cifar.load(dir)), dir + ": no CIFAR batches");
    }
}
