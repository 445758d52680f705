package org.cae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.cae4j.testing.FuzzContract;

/**
 * Fuzz target of the image-folder reader: the bytes as the one file of a folder go through ImageIO's format
 * detection, the header probe and the decoding into grey or RGB planes, as they are and resized; either one image
 * of a consistent shape is read, or the load fails with a one-line {@link DataFileException} (the file is skipped
 * with a warning and no image is left; see {@link FuzzContract}), allocating at most 16 bytes per declared pixel beyond
 * the contract's limit, and nothing for an image declaring more than {@link ImageFolder#MAX_PIXELS}. Seeds: {@code ImageFolderFuzzTestInputs/imageFile/}
 * (PNG grey, 16-bit, palette, RGB with alpha; JPEG; BMP; GIF; WBMP).
 */
class ImageFolderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void imageFile(byte[] input) {
        Path f = FuzzContract.file("images/x", input);
        Path dir = f.getParent();
        long decoding = decodingBytes(f);
        ImageFolder.Loaded plain = FuzzContract.check(() -> ImageFolder.load(dir, ImageFolder.Options.defaults()),
                input.length, decoding, DataFileException.class);
        check(plain, 0, 0, 0);
        ImageFolder.Loaded rgb = FuzzContract.check(() -> ImageFolder.load(dir,
                ImageFolder.Options.defaults().withChannels(3).withResizeAndCrop(5, 7)), input.length, decoding, DataFileException.class);
        check(rgb, 3, 5, 7);
        assertEquals(plain == null, rgb == null, "the same file decodes with and without a resize, or with neither");
    }

    /**
     * What decoding may legitimately allocate beyond the contract's limit: a few bytes of compressed data can declare
     * a large picture, so 16 bytes (16-bit RGBA as decoded, plus the planes) per pixel its header declares, for an
     * image within {@link ImageFolder#MAX_PIXELS} (larger ones are skipped undecoded); 0 when no reader takes it.
     */
    private static long decodingBytes(Path f) {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(f.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = javax.imageio.ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return 0;
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                long pixels = (long) r.getHeight(0) * r.getWidth(0);
                return pixels > 0 && pixels <= ImageFolder.MAX_PIXELS ? 16 * pixels : 0;
            } finally {
                r.dispose();
            }
        } catch (Exception e) {
            return 0;
        }
    }

    /** One image, 1 or 3 channels (or {@code c}), of {@code h}×{@code w} when given. */
    private static void check(ImageFolder.Loaded l, int c, int h, int w) {
        if (l == null) return;
        ImageDataset d = l.split().train();
        assertEquals(1, d.size());
        assertTrue(c == 0 ? d.channels() == 1 || d.channels() == 3 : d.channels() == c, d.toString());
        if (h > 0) assertTrue(d.height() == h && d.width() == w, d.toString());
        assertEquals(d.imageSize(), d.pixels().length);
        for (String warning : l.warnings()) assertTrue(!warning.contains("\n"), warning);
    }
}
