package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz target of the CIFAR binary reader: any bytes, read as a CIFAR-10 batch and as a CIFAR-100 batch (fine and
 * coarse labels), either give whole 3×32×32 images with labels in range or fail with a one-line
 * {@link DataFileException} (see {@link FuzzContract}). Seeds: {@code CifarFuzzTestInputs/batch/}.
 */
class CifarFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void batch(byte[] input) {
        Path ten = FuzzContract.file("data_batch_1.bin", input);
        check(FuzzContract.check(() -> Cifar.read(ten, Cifar.Variant.CIFAR10), input.length, DataFileException.class), 10);
        Path hundred = FuzzContract.file("train.bin", input);
        check(FuzzContract.check(() -> Cifar.read(hundred, Cifar.Variant.CIFAR100), input.length, DataFileException.class), 100);
        check(FuzzContract.check(() -> Cifar.read(List.of(hundred), "coarse", Cifar.Variant.CIFAR100, Cifar.Labels.COARSE),
                input.length, DataFileException.class), 20);
    }

    /** A result holds every byte of the file as a pixel or a label, each label below {@code classes}. */
    private static void check(ImageDataset d, int classes) {
        if (d == null) return;
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals((long) d.size() * Cifar.IMAGE_BYTES, d.pixels().length);
        for (int i = 0; i < d.size(); i++) assertTrue(d.label(i) < classes, "label " + d.label(i));
    }
}
