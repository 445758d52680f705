package org.cae4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cae4j.data.ImageDataset;
import org.cae4j.io.ModelFile;
import org.cae4j.loss.MseLoss;
import org.cae4j.model.Architecture;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.model.Presets;
import org.cae4j.model.SeedCae;
import org.cae4j.nn.MaskingNoise;
import org.cae4j.optim.Adam;
import org.cae4j.optim.Optimizer;
import org.cae4j.optim.Sgd;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Checkpoint;
import org.cae4j.train.Trainer;

/**
 * Writes the seed inputs of the fuzz targets into {@code core/src/test/resources} (run from the repository root):
 * small valid files of every kind the readers accept, and a few near misses, so that the fuzzer starts deep in
 * each format. The fuzzer adds to these folders when it finds a failing input; those stay, as regression cases.
 * <pre>
 * mvn -q -pl core test-compile && java -cp core/target/classes:core/target/test-classes org.cae4j.testing.FuzzSeeds
 * </pre>
 */
public final class FuzzSeeds {
    private static final Path ROOT = Path.of("core/src/test/resources/org/cae4j");

    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        idx();
        Path tmp = Files.createTempDirectory("cae4j-seeds");
        models(tmp);
        json();
        checkpoints(tmp);
        cifar();
        numpy();
        images();
    }

    static byte[] idx(int magic, int[] dims, int payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < payload; i++) b.put((byte) (i * 37));
        return b.array();
    }

    private static void idx() throws IOException {
        Path d = ROOT.resolve("data/IdxFuzzTestInputs");
        byte[] images = idx(0x803, new int[] {3, 4, 4}, 48), labels = idx(0x801, new int[] {3}, 3);
        byte[] cube = idx(0x804, new int[] {2, 1, 3, 2}, 12), flat = idx(0x802, new int[] {2, 5}, 10);
        for (String m : new String[] {"idxFile", "idxStream", "idxGzip"}) {
            write(d.resolve(m + "/images-3x4x4"), images);
            write(d.resolve(m + "/labels-3"), labels);
            write(d.resolve(m + "/rank4"), cube);
            write(d.resolve(m + "/rank2"), flat);
            write(d.resolve(m + "/truncated"), Arrays.copyOf(images, 40));
            write(d.resolve(m + "/int32-type"), idx(0x0C03, new int[] {1, 2, 2}, 16));
        }
        write(d.resolve("idxFile/gzip-images"), FuzzContract.gzip(images));
        write(d.resolve("idxStream/gzip-labels"), FuzzContract.gzip(labels));
        for (int[] pair : new int[][] {{3, 3}, {3, 2}}) {
            byte[] lb = idx(0x801, new int[] {pair[1]}, pair[1]), im = idx(0x803, new int[] {pair[0], 2, 3}, pair[0] * 6);
            ByteBuffer b = ByteBuffer.allocate(2 + lb.length + im.length).putShort((short) lb.length).put(lb).put(im);
            write(d.resolve("imagesWithLabels/images-" + pair[0] + "-labels-" + pair[1]), b.array());
        }
    }

    /** A tiny --arch description with batch norm (buffers) and the seed CAE's "full" padding. */
    static final String ARCH = "{\"name\":\"tiny\",\"input\":\"1x4x4\",\"encoder\":[{\"type\":\"conv2d\",\"out_channels\":2,"
            + "\"kernel_size\":3,\"padding\":\"full\"},{\"type\":\"batch_norm2d\"},{\"type\":\"relu\"}],\"decoder\":"
            + "[{\"type\":\"conv2d\",\"out_channels\":1,\"kernel_size\":3},{\"type\":\"sigmoid\"}]}";

    private static void models(Path tmp) throws IOException {
        Path d = ROOT.resolve("io/ModelFileFuzzTestInputs");
        Map<String, Autoencoder> models = new LinkedHashMap<>();
        SeedCae.Config seed = SeedCae.Config.defaults(1, 4, 4).withFilters(2).withKernel(3);
        models.put("seed", SeedCae.build(seed, new Rng(0)));
        models.put("seed-tied-stride2", SeedCae.build(seed.withTied(true).withStride(2), new Rng(0)));
        models.put("seed-masking", Presets.denoising(SeedCae.build(seed, new Rng(0)), new MaskingNoise(0.3, new Rng(1))));
        models.put("sparse", Presets.sparse(1, 2, 2, 3, 0.1, 3, new Rng(0)));
        models.put("vae-dense", Presets.vaeDense(1, 2, 2, 3, 2, 1, new Rng(0)));
        models.put("arch", Architecture.parse(ARCH).build(new Rng(0)));
        for (Map.Entry<String, Autoencoder> e : models.entrySet()) {
            Path f = tmp.resolve(e.getKey() + ".safetensors");
            Models.save(f, e.getValue(), Map.of("test_mse", "0.5"));
            byte[] b = Files.readAllBytes(f);
            for (String m : new String[] {"modelFile", "modelLoad"}) write(d.resolve(m + "/" + e.getKey()), b);
        }
        // regression: tiny files whose metadata asks for a model of 2^31 weights (ArithmeticException) or 2^30 (OOM)
        for (String input : new String[] {"1x4096x4096", "1x2048x2048"}) {
            Path big = tmp.resolve("big.safetensors");
            ModelFile.write(big, Map.of("0.weight", new Tensor(2, 2)), Map.of("format", "cae4j", "format_version", "1",
                    "preset", "dense", "input", input));
            write(d.resolve("modelLoad/regression-dense-" + input), Files.readAllBytes(big));
        }
        // every dtype the reader converts, no metadata
        Path f = tmp.resolve("plain.safetensors");
        ModelFile.write(f, Map.of("w", new Tensor(new float[] {1, -2, 3, 0.5f}, 2, 2)), Map.of());
        write(d.resolve("modelFile/plain-f32"), Files.readAllBytes(f));
        write(d.resolve("modelFile/f64-f16-bf16"), rawSafetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[1,2],\"data_offsets\":[16,20]},\"c\":{\"dtype\":\"BF16\",\"shape\":[],"
                + "\"data_offsets\":[20,22]},\"__metadata__\":{\"format\":\"pt\"}}", 22));
    }

    private static byte[] rawSafetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
        for (int i = 0; i < dataBytes; i++) b.put((byte) (0x3c + i));
        return b.array();
    }

    private static void json() throws IOException {
        Path d = ROOT.resolve("io/JsonFuzzTestInputs");
        String[] docs = {"{\"a\":[1,-2.5e-3,true,false,null],\"b\":{\"c\":\"\\u00e9\\ud83d\\ude00\\n\"}}", "[]", "0",
            "-0.0", "\"caf\u00e9\"", "[[[[[[[[1]]]]]]]]", "{\"x\":9223372036854775807,\"y\":1.7976931348623157E308}"};
        for (int i = 0; i < docs.length; i++) write(d.resolve("parse/doc" + i), docs[i].getBytes(StandardCharsets.UTF_8));
        write(d.resolve("architecture/tiny"), ARCH.getBytes(StandardCharsets.UTF_8));
        for (String name : new String[] {"seed", "bottleneck", "keras", "dense"}) {
            write(d.resolve("architecture/" + name), Files.readAllBytes(Path.of("examples/arch/" + name + ".json")));
        }
    }

    private static void checkpoints(Path tmp) throws IOException {
        Path d = ROOT.resolve("train/CheckpointFuzzTestInputs/checkpointLoad");
        byte[] px = new byte[6 * 16];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 11);
        ImageDataset data = new ImageDataset("seeds", px, null, 6, 1, 4, 4);
        SeedCae.Config seed = SeedCae.Config.defaults(1, 4, 4).withFilters(2).withKernel(3);
        String[] kinds = {"seed-adam", "masking-sgd", "arch-adam", "vae-dense-adam"};
        for (String kind : kinds) {
            Rng rng = new Rng(0);
            Autoencoder ae = switch (kind) {
                case "seed-adam" -> SeedCae.build(seed, rng);
                case "masking-sgd" -> Presets.denoising(SeedCae.build(seed, rng), new MaskingNoise(0.3, new Rng(rng.nextLong())));
                case "arch-adam" -> Architecture.parse(ARCH).build(rng);
                default -> Presets.vaeDense(1, 4, 4, 3, 2, 1, rng);
            };
            Optimizer opt = kind.endsWith("sgd") ? new Sgd(ae.parameters(), 0.1, 0.9, 0, 0, false) : Adam.adam(ae.parameters(), 1e-3);
            Path f = tmp.resolve(kind + ".safetensors");
            new Trainer(ae, opt, new MseLoss(), Trainer.Config.of(2, 4)).fit(data, null, rng, new Trainer.Listener() {
                @Override
                public void onSettled(long step, boolean epochEnd, java.util.function.Supplier<Trainer.Progress> p) {
                    if (step == 3) Checkpoint.save(f, ae, opt, rng, p.get(), Map.of("seed", "0"));
                }
            });
            write(d.resolve(kind), Files.readAllBytes(f));
        }
    }

    private static void cifar() throws IOException {
        Path d = ROOT.resolve("data/CifarFuzzTestInputs/batch");
        // records: label byte(s) then 3072 pixel bytes; CIFAR-100 has a coarse and a fine label
        for (int labelBytes : new int[] {1, 2}) {
            ByteBuffer b = ByteBuffer.allocate(2 * (labelBytes + 3072));
            for (int r = 0; r < 2; r++) {
                for (int k = 0; k < labelBytes; k++) b.put((byte) (3 + r + 5 * k));
                for (int i = 0; i < 3072; i++) b.put((byte) (i * 7 + r));
            }
            String v = labelBytes == 1 ? "cifar10" : "cifar100";
            write(d.resolve(v + "-2-records"), b.array());
            write(d.resolve(v + "-truncated"), Arrays.copyOf(b.array(), b.capacity() - 100));
        }
        byte[] bad = new byte[3073];
        bad[0] = (byte) 200;
        write(d.resolve("label-out-of-range"), bad);
    }

    /** A .npy file: magic, version 1.0, a header padded to a multiple of 64 bytes, data. */
    static byte[] npy(String descr, String shape, byte[] data) {
        String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + h.length() + 1;
        h += " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    private static void numpy() throws IOException {
        Path d = ROOT.resolve("data/NumpyFuzzTestInputs"), golden = ROOT.resolve("data/numpy");
        byte[] px = new byte[2 * 3 * 4];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 10);
        ByteBuffer f4 = ByteBuffer.allocate(2 * 2 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) f4.putFloat(i / 8f);
        ByteBuffer i8 = ByteBuffer.allocate(2 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(7);
        byte[] images = npy("|u1", "(2, 3, 4)", px), floats = npy("<f4", "(2, 2, 2, 1)", f4.array());
        byte[] labels = npy("<i8", "(2,)", i8.array()), nhwc = npy("|u1", "(2, 2, 2, 3)", px);
        write(d.resolve("npyFile/u1-nhw"), images);
        write(d.resolve("npyFile/f4-nhwc"), floats);
        write(d.resolve("npyFile/u1-nhwc"), nhwc);
        write(d.resolve("npyFile/i8-labels"), labels);
        for (String g : new String[] {"u8_nhw.npy", "u8_nhwc.npy", "f4_exact.npy", "f4_inexact.npy", "fortran.npy"}) {
            write(d.resolve("npyFile/golden-" + g), Files.readAllBytes(golden.resolve(g)));
        }
        for (String g : new String[] {"keras_like.npz", "positional.npz"}) {
            write(d.resolve("npzFile/golden-" + g), Files.readAllBytes(golden.resolve(g)));
        }
        write(d.resolve("npzFile/two-members"), zip("x_train.npy", images, "y_train.npy", labels));
        for (byte[][] pair : new byte[][][] {{images, labels}, {floats, labels}, {nhwc, npy("|u1", "(2, 1)", new byte[] {1, 2})}}) {
            ByteBuffer b = ByteBuffer.allocate(2 + pair[1].length + pair[0].length).putShort((short) pair[1].length)
                    .put(pair[1]).put(pair[0]);
            write(d.resolve("npzMembers/" + Integer.toHexString(Arrays.hashCode(b.array()))), b.array());
        }
    }

    private static byte[] zip(String name1, byte[] bytes1, String name2, byte[] bytes2) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            z.putNextEntry(new java.util.zip.ZipEntry(name1));
            z.write(bytes1);
            z.closeEntry();
            z.putNextEntry(new java.util.zip.ZipEntry(name2));
            z.write(bytes2);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static void images() throws IOException {
        Path d = ROOT.resolve("data/ImageFolderFuzzTestInputs/imageFile");
        int[][] kinds = {{java.awt.image.BufferedImage.TYPE_BYTE_GRAY}, {java.awt.image.BufferedImage.TYPE_USHORT_GRAY},
            {java.awt.image.BufferedImage.TYPE_BYTE_INDEXED}, {java.awt.image.BufferedImage.TYPE_INT_ARGB},
            {java.awt.image.BufferedImage.TYPE_INT_RGB}, {java.awt.image.BufferedImage.TYPE_BYTE_BINARY}};
        String[] names = {"grey", "grey16", "palette", "argb", "rgb", "binary"};
        for (int k = 0; k < kinds.length; k++) {
            java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(5, 3, kinds[k][0]);
            for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) im.setRGB(x, y, (x * 50) << 16 | (y * 90) << 8 | (x * y * 20) | 0x80000000);
            String[] formats = switch (names[k]) {
                case "grey", "palette" -> new String[] {"png", "gif", "bmp"};
                case "rgb" -> new String[] {"png", "jpeg", "bmp"};
                case "binary" -> new String[] {"png", "wbmp"};
                default -> new String[] {"png"};
            };
            for (String format : formats) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                if (!javax.imageio.ImageIO.write(im, format, out)) throw new IOException("no " + format + " writer for " + names[k]);
                write(d.resolve(names[k] + "." + format), out.toByteArray());
            }
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
