package org.cae4j.data;

import static org.cae4j.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    /** A grey image whose pixel (y, x) is base + 10·y + x. */
    static BufferedImage grey(int h, int w, int base) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.getRaster().setSample(x, y, 0, base + 10 * y + x);
        return im;
    }

    /** An RGB image, every pixel (r, g, b). */
    static BufferedImage rgb(int h, int w, int r, int g, int b) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, (r << 16) | (g << 8) | b);
        return im;
    }

    static Path save(BufferedImage im, Path dir, String name, String format) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            assertTrue(ImageIO.write(im, format, f.toFile()), "no writer for " + format);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] image(ImageDataset d, int i) {
        float[] x = new float[d.imageSize()];
        d.copyBatch(new int[] {i}, 0, 1, x);
        return x;
    }

    private static void assertMessage(DataFileException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "message lacks '" + p + "': " + e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
    }

    @Test
    void flatFolderOfGreyPngsIsUnlabelledInSortedOrder() {
        save(grey(2, 3, 100), dir, "b.png", "png");
        save(grey(2, 3, 0), dir, "a.png", "png");
        ImageFolder.Loaded l = ImageFolder.load(dir, ImageFolder.Options.defaults());
        ImageDataset d = l.split().train();
        assertEquals(2, d.size());
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertFalse(d.hasLabels());
        assertNull(l.split().test());
        assertEquals(List.of(), l.warnings());
        assertArrayEquals(new byte[] {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112}, d.pixels());
    }

    @Test
    void classFoldersGiveSortedLabelsAndTrainTestSplit() {
        save(rgb(2, 2, 255, 0, 0), dir.resolve("train/zebra"), "1.png", "png");
        save(rgb(2, 2, 0, 255, 0), dir.resolve("train/ant"), "1.bmp", "bmp");
        save(rgb(2, 2, 0, 0, 255), dir.resolve("train/ant"), "2.png", "png");
        save(rgb(2, 2, 10, 20, 30), dir.resolve("test/moth"), "1.png", "png");
        ImageFolder.Loaded l = ImageFolder.load(dir, ImageFolder.Options.defaults());
        assertEquals(List.of("ant", "moth", "zebra"), l.classNames());
        ImageDataset tr = l.split().train(), te = l.split().test();
        assertEquals(3, tr.channels());
        assertEquals(3, tr.size());
        assertEquals(0, tr.label(0));
        assertEquals(0, tr.label(1));
        assertEquals(2, tr.label(2));
        assertEquals(1, te.label(0));
        assertEquals(List.of("ant", "moth", "zebra"), te.classNames());
        // ant/1.bmp is green: planes R, G, B of 4 pixels each
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0}, image(tr, 0), 0f);
        assertEquals(dir.getFileName() + "/test", te.name());
    }

    @Test
    void channelsOptionConvertsGreyToRgbAndRgbToLuma() {
        save(grey(1, 2, 50), dir, "g.png", "png");
        save(rgb(1, 2, 200, 100, 50), dir, "c.png", "png");
        ImageDataset three = ImageFolder.load(dir, ImageFolder.Options.defaults()).split().train();
        assertEquals(3, three.channels(), "one colour image makes the set RGB");
        assertArrayEquals(new byte[] {50, 51, 50, 51, 50, 51}, Arrays.copyOfRange(three.pixels(), 6, 12));
        ImageDataset one = ImageFolder.load(dir, ImageFolder.Options.defaults().withChannels(1)).split().train();
        int luma = (19595 * 200 + 38470 * 100 + 7471 * 50 + 0x8000) >> 16; // 0.299·200 + 0.587·100 + 0.114·50 = 124.2
        assertEquals(124, luma);
        assertArrayEquals(new byte[] {(byte) luma, (byte) luma, 50, 51}, one.pixels());
    }

    @Test
    void greyGifAndJpegAreDetectedAsGrey() {
        save(grey(4, 4, 0), dir, "a.gif", "gif");
        save(grey(4, 4, 0), dir, "b.jpg", "jpeg");
        ImageDataset d = ImageFolder.load(dir, ImageFolder.Options.defaults()).split().train();
        assertEquals(1, d.channels());
        assertEquals(2, d.size());
        // the JPEG (image 1) is lossy; grey samples are read as stored, not through getRGB's sRGB curve (10 -> 56)
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int got = d.pixels()[16 + 4 * y + x] & 0xff;
                assertTrue(Math.abs(got - (10 * y + x)) <= 3, "jpeg pixel (" + y + "," + x + ") = " + got);
            }
        }
    }

    @Test
    void bilinearResizeMatchesHandComputedValues() {
        // 1x2 source [0, 100] stretched to 1x4: source x = (x + 0.5)/2 - 0.5 = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped)
        BufferedImage im = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        im.getRaster().setSample(1, 0, 0, 100);
        save(im, dir, "a.png", "png");
        save(grey(3, 3, 0), dir, "b.png", "png");
        ImageDataset d = ImageFolder.load(dir, ImageFolder.Options.defaults().withResize(1, 4)).split().train();
        assertArrayEquals(new byte[] {0, 25, 75, 100}, Arrays.copyOf(d.pixels(), 4));
        // 3x3 [0 1 2; 10 11 12; 20 21 22] to 1x4: source row (0 + 0.5)·3/1 - 0.5 = 1 exactly
        // x = (x + 0.5)·3/4 - 0.5 = -0.125 -> 0, 0.625, 1.375, 2.125 -> 2: 10, 10.625, 11.375, 12 -> 10, 11, 11, 12
        assertArrayEquals(new byte[] {10, 11, 11, 12}, Arrays.copyOfRange(d.pixels(), 4, 8));
    }

    @Test
    void resizeAndCropCoversTargetAndKeepsTheCentre() {
        // 2x4 image to 2x2 with crop: scale = max(2/2, 2/4) = 1, so no scaling and the middle two columns stay
        save(grey(2, 4, 0), dir, "wide.png", "png");
        ImageDataset d = ImageFolder.load(dir, ImageFolder.Options.defaults().withResizeAndCrop(2, 2)).split().train();
        assertArrayEquals(new byte[] {1, 2, 11, 12}, d.pixels());
        ImageDataset s = ImageFolder.load(dir, ImageFolder.Options.defaults().withResize(2, 2)).split().train();
        assertEquals(2, s.width());
    }

    @Test
    void anImageDeclaringMoreThanMaxPixelsIsSkippedBeforeDecoding() throws Exception {
        // fuzzer finding (ImageFolderFuzzTest#imageFile): a 132-byte PNG declaring 3x11141120 pixels made ImageIO
        // allocate 100 MB; declared sizes are now capped. A real 2x2 PNG with its IHDR patched to 10000x10000:
        Path real = save(grey(2, 2, 0), dir.resolve("src"), "a.png", "png");
        byte[] b = java.nio.file.Files.readAllBytes(real);
        java.nio.ByteBuffer.wrap(b).putInt(16, 10000).putInt(20, 10000);   // IHDR width and height (ImageIO skips the CRC)
        java.nio.file.Files.createDirectories(dir.resolve("bomb"));
        Path bomb = java.nio.file.Files.write(dir.resolve("bomb/big.png"), b);
        save(grey(2, 2, 0), dir.resolve("bomb"), "small.png", "png");
        long before = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
        ImageFolder.Loaded l = ImageFolder.load(dir.resolve("bomb"), ImageFolder.Options.defaults());
        long allocated = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes() - before;
        assertEquals(1, l.split().train().size());
        assertEquals(List.of(bomb + ": skipped, its png header declares 10000x10000 (HxW) = 100000000 pixels, more than the 67108864 cae4j decodes"),
                l.warnings());
        assertTrue(allocated < 50_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void mixedSizesWithoutResizeNameTwoFiles() {
        Path a = save(grey(2, 2, 0), dir, "a.png", "png");
        save(grey(2, 2, 0), dir, "b.png", "png");
        Path c = save(grey(3, 2, 0), dir, "c.png", "png");
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.load(dir, ImageFolder.Options.defaults()));
        assertMessage(e, a + " is 2x2 (HxW) but " + c + " is 3x2", "or give a resize target");
    }

    @Test
    void nonImageAndCorruptFilesAreSkippedWithWarnings() throws IOException {
        save(grey(2, 2, 0), dir, "a.png", "png");
        Path txt = write(dir, "README.txt", "hello".getBytes());
        Path good = save(grey(2, 2, 0), dir, "c.png", "png");
        byte[] png = Files.readAllBytes(good);
        Path cut = write(dir, "b.png", Arrays.copyOf(png, 40));
        ImageFolder.Loaded l = ImageFolder.load(dir, ImageFolder.Options.defaults());
        assertEquals(2, l.split().train().size());
        assertEquals(2, l.warnings().size(), l.warnings().toString());
        assertTrue(l.warnings().get(0).startsWith(txt + ": skipped, not an image ImageIO can read (starts with 68 65 6C 6C)"),
                l.warnings().toString());
        assertTrue(l.warnings().get(1).startsWith(cut + ": skipped, cannot"), l.warnings().toString());
    }

    @Test
    void folderOfOnlyNonImagesIsAnError() {
        write(dir, "notes.txt", "x".getBytes());
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.load(dir, ImageFolder.Options.defaults()));
        assertMessage(e, dir + ": none of its 1 files is a readable image", "notes.txt: skipped, not an image");
    }

    @Test
    void emptyFolderAndEmptyClassFoldersAreErrors() throws IOException {
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.load(dir, ImageFolder.Options.defaults()));
        assertMessage(e, dir + ": empty folder, expected image files");
        Files.createDirectories(dir.resolve("cats"));
        e = assertThrows(DataFileException.class, () -> ImageFolder.load(dir, ImageFolder.Options.defaults()));
        assertMessage(e, dir + ": empty folder", "in its class folders [cats]");
    }

    @Test
    void emptyTestFolderIsAnError() throws IOException {
        save(grey(2, 2, 0), dir.resolve("train"), "a.png", "png");
        Files.createDirectories(dir.resolve("test"));
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.load(dir, ImageFolder.Options.defaults()));
        assertMessage(e, dir.resolve("test") + ": empty folder");
    }

    @Test
    void labelledTrainWithUnlabelledTestIsAnError() {
        save(grey(2, 2, 0), dir.resolve("train/cat"), "a.png", "png");
        save(grey(2, 2, 0), dir.resolve("test"), "a.png", "png");
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.load(dir, ImageFolder.Options.defaults()));
        assertMessage(e, dir + ": train/ has class folders but test/ has none");
    }

    @Test
    void strayEntriesAreReportedNotRead() {
        save(grey(2, 2, 0), dir.resolve("train"), "a.png", "png");
        save(grey(2, 2, 0), dir.resolve("val"), "a.png", "png");
        ImageFolder.Loaded l = ImageFolder.load(dir, ImageFolder.Options.defaults());
        assertEquals(1, l.split().train().size());
        assertEquals(List.of(dir.resolve("val") + ": ignored (with a train/ folder present, only train/ and test/ are read)"),
                l.warnings());
    }

    @Test
    void missingPathAndBadOptions() {
        Path p = dir.resolve("nope");
        assertEquals("no such directory: " + p,
                assertThrows(DataFileException.class, () -> ImageFolder.load(p, ImageFolder.Options.defaults())).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.defaults().withChannels(2));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.defaults().withResize(0, 5));
    }
}
