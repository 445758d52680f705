package org.cae4j.cli;

import static org.cae4j.cli.CliTest.idx;
import static org.cae4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cae4j.io.ModelFile;
import org.cae4j.tensor.Tensor;
import org.cae4j.train.Checkpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Bad input" table, row by row: each mistake gives exactly the one line shown there (paths under the
 * test's folder written as DIR), with the exit code shown, no stack trace, and no partial file left behind.
 */
class BadInputTest {
    @TempDir
    static Path tmp;
    static Path data, run, model;

    /** The message with the test folder written as DIR, as in the README. */
    private static String shown(String s) {
        return s.replace(tmp.toString(), "DIR").strip();
    }

    private static void row(int code, String message, String... args) {
        CliTest.Result r = run(args);
        assertEquals(code, r.code(), r.err() + r.out());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), "stack trace: " + r.err());
        List<String> lines = r.errLines();
        String line = shown(lines.get(code == 0 ? 0 : lines.size() - 1));
        if (message.endsWith("...")) {
            assertTrue(line.startsWith(message.substring(0, message.length() - 3)), line);
        } else {
            assertEquals(message, line, String.join(" ", args));
        }
        if (code != 0) assertEquals(1, lines.size(), "one line expected, got:\n" + r.err());
        noPartialFiles();
    }

    /** No temporary file ({@code .NAME.tmp-XXXX}) anywhere under the test folder. */
    private static void noPartialFiles() {
        try (Stream<Path> s = Files.walk(tmp)) {
            List<Path> partial = s.filter(p -> p.getFileName().toString().matches("\\..*\\.tmp-[0-9a-z]+")).toList();
            assertEquals(List.of(), partial, "partial files left");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName() + " " + f.toFile().length()).toList().toString();
        }
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        data = tmp.resolve("squares");
        CliTest.writeData(data, 48, 16);
        run = tmp.resolve("run");
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "2", "--batch-size", "16", "--filters", "2",
                "--kernel", "3", "--checkpoint-every", "2", "--keep-checkpoints", "3", "--out", run.toString()).code());
        model = run.resolve("model.safetensors");
    }

    private static Path dataWith(String name, String file, byte[] bytes) throws IOException {
        Path d = tmp.resolve(name);
        CliTest.writeData(d, 48, 16);
        Files.write(d.resolve(file), bytes);
        return d;
    }

    /** A safetensors file: {@code header} JSON then {@code dataBytes} zero bytes. */
    private static Path safetensors(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return Files.write(tmp.resolve(name), ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array());
    }

    private static String reconstruct(Path m) {
        return "reconstruct --model " + m + " --data " + data + " --out " + tmp.resolve("rec");
    }

    private static void rowLine(int code, String message, String commandLine) {
        row(code, message, commandLine.split(" "));
    }

    /** A copy of the trained run folder, to break. */
    private static Path runCopy(String name) throws IOException {
        Path copy = tmp.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(run)) {
            for (Path p : s.toList()) Files.copy(p, copy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    @Test
    void dataFiles() throws IOException {
        rowLine(2, "cae4j train: no such file or directory: DIR/nowhere (expected embedded, one of [fashion-mnist, mnist, cifar10], or a path)", "train --data " + tmp.resolve("nowhere"));
        Files.createDirectories(tmp.resolve("empty"));
        rowLine(2, "cae4j train: DIR/empty: no data set recognised; expected IDX files (e.g. train-images-idx3-ubyte.gz), CIFAR batches (data_batch_1.bin .. data_batch_5.bin and test_batch.bin, or train.bin and test.bin), or images (PNG, JPEG, BMP, GIF) directly, in class folders or under train/ and test/; found []", "train --data " + tmp.resolve("empty"));
        Path magic = dataWith("magic", "train-images-idx3-ubyte", idx(new int[] {48}, new byte[48]));
        rowLine(2, "cae4j train: DIR/magic/train-images-idx3-ubyte: not an IDX image file (magic 0x00000801, expected 0x00000803)", "train --data " + magic);
        byte[] images = idx(new int[] {48, 12, 12}, new byte[48 * 144]);
        Path trunc = dataWith("trunc", "train-images-idx3-ubyte", java.util.Arrays.copyOf(images, images.length - 100));
        rowLine(2, "cae4j train: DIR/trunc/train-images-idx3-ubyte: truncated: header declares 48 x 12 x 12 = 6912 payload bytes, found 6812", "train --data " + trunc);
        Path trailing = dataWith("trailing", "t10k-labels-idx1-ubyte", idx(new int[] {16}, new byte[20]));
        rowLine(2, "cae4j train: DIR/trailing/t10k-labels-idx1-ubyte: trailing data after the payload: header declares 16 = 16 payload bytes, found 20", "train --data " + trailing);
        Path gz = dataWith("gz", "train-images-idx3-ubyte.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        Files.delete(gz.resolve("train-images-idx3-ubyte"));
        rowLine(2, "cae4j train: DIR/gz/train-images-idx3-ubyte.gz: gzip data ends early, the file is truncated or corrupt (Unexpected end of ZLIB input stream)", "train --data " + gz);
        Path counts = dataWith("counts", "train-labels-idx1-ubyte", idx(new int[] {47}, new byte[47]));
        rowLine(2, "cae4j train: DIR/counts/train-images-idx3-ubyte holds 48 images but DIR/counts/train-labels-idx1-ubyte holds 47 labels; expected one label per image", "train --data " + counts);
        Path sizes = dataWith("sizes", "t10k-images-idx3-ubyte", idx(new int[] {16, 10, 10}, new byte[1600]));
        rowLine(2, "cae4j train: DIR/sizes: train images are 12x12 but test images are 10x10; expected the same size",
                "train --data " + sizes);
        Path ten = tmp.resolve("ten");
        Files.createDirectories(ten);
        Files.write(ten.resolve("images-idx3-ubyte"), idx(new int[] {4, 10, 10}, new byte[400]));
        rowLine(2, "cae4j reconstruct: images-idx3-ubyte: images are 1x10x10 but the model model.safetensors expects 1x12x12; --resize 12x12 resizes them",
                "reconstruct --model " + model + " --data " + ten.resolve("images-idx3-ubyte") + " --out " + tmp.resolve("rec"));
        Path rgb = Files.writeString(tmp.resolve("rgb.json"), "{\"input\": \"3x12x12\", \"encoder\": [{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 3, \"padding\": 1}], \"decoder\": [{\"type\": \"conv2d\", \"out_channels\": 3, \"kernel_size\": 3, \"padding\": 1}]}");
        rowLine(2, "cae4j train: DIR/rgb.json declares input 3x12x12, but the images of squares/train are 1x12x12",
                "train --arch " + rgb + " --data " + data + " --batch-size 16 --out " + tmp.resolve("o-rgb"));
        rowLine(2, "cae4j train: --batch-size 100 is larger than the 48 training images",
                "train --data " + data + " --batch-size 100 --out " + tmp.resolve("o-batch"));
    }

    @Test
    void modelFiles() throws IOException {
        Path shortFile = Files.write(tmp.resolve("short.safetensors"), new byte[] {1, 2, 3, 4, 5});
        rowLine(2, "cae4j reconstruct: short.safetensors: file is 5 bytes, too short for the 8-byte header length",
                reconstruct(shortFile));
        byte[] whole = Files.readAllBytes(model);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), java.util.Arrays.copyOf(whole, 200));
        long n = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getLong();
        rowLine(2, "cae4j reconstruct: cut.safetensors: header length " + n + " exceeds the 192 bytes after the length field",
                reconstruct(cut));
        Path notJson = safetensors("notjson.safetensors", "{\"a\": [1, 2,]}", 0);
        rowLine(2, "cae4j reconstruct: notjson.safetensors: header is not valid JSON: JSON error at byte 12: expected a value, got ']'", reconstruct(notJson));
        Path overlap = safetensors("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        rowLine(2, "cae4j reconstruct: overlap.safetensors: tensors 'a' [0, 8] and 'b' [4, 12] overlap in the data buffer",
                reconstruct(overlap));
        Path range = safetensors("range.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        rowLine(2, "cae4j reconstruct: range.safetensors: tensor 'a' data_offsets [0, 16] are outside the data buffer; expected 0 <= begin <= end <= 8 (the bytes after the header)", reconstruct(range));
        Path dtype = safetensors("dtype.safetensors", "{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        rowLine(2, "cae4j reconstruct: dtype.safetensors: tensor 'a' has dtype \"I64\"; cae4j reads F32 (and converts F64, F16, BF16 to F32)", reconstruct(dtype));
        Path bytes = safetensors("bytes.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        rowLine(2, "cae4j reconstruct: bytes.safetensors: tensor 'a' data_offsets [0, 8] hold 8 bytes but shape [3] of F32 needs 12 (3 elements of 4 bytes)", reconstruct(bytes));

        ModelFile.Loaded m = ModelFile.read(model);
        Map<String, Tensor> tensors = new LinkedHashMap<>(m.tensors());
        tensors.put("0.weight", new Tensor(2, 1, 5, 5));
        Path shape = tmp.resolve("shape.safetensors");
        ModelFile.write(shape, tensors, m.metadata());
        rowLine(2, "cae4j reconstruct: shape.safetensors: tensor '0.weight' has shape [2, 1, 5, 5], the architecture needs [2, 1, 3, 3]", reconstruct(shape));
        Map<String, String> meta = new LinkedHashMap<>(m.metadata());
        meta.put("preset", "resnet");
        Path preset = tmp.resolve("preset.safetensors");
        ModelFile.write(preset, m.tensors(), meta);
        rowLine(2, "cae4j reconstruct: preset.safetensors: unknown preset 'resnet', expected one of: seed, bottleneck, keras, dense, sparse, vae-dense, vae-conv, stacked", reconstruct(preset));
        Path plain = tmp.resolve("plain.safetensors");
        ModelFile.write(plain, m.tensors(), Map.of());
        rowLine(2, "cae4j reconstruct: plain.safetensors: not a cae4j model (metadata 'format' is missing, expected 'cae4j')",
                reconstruct(plain));
        rowLine(2, "cae4j reconstruct: run: is a directory, expected a model file", reconstruct(run));
        Path enc = tmp.resolve("encoder.safetensors");
        assertEquals(0, run("export", "--model", model.toString(), "--part", "encoder", "--out", enc.toString()).code());
        rowLine(2, "cae4j reconstruct: encoder.safetensors: holds only the encoder of a model (written by 'cae4j export --part'); this needs the whole model, e.g. the run's model.safetensors", reconstruct(enc));
    }

    @Test
    void optionsAndArchitectures() throws IOException {
        rowLine(2, "cae4j train: invalid value for --epochs: 0.0 (expected a positive number) (see cae4j train --help)",
                "train --epochs 0");
        rowLine(2, "cae4j train: invalid value for --batch-size: -4.0 (expected a positive number) (see cae4j train --help)",
                "train --batch-size -4");
        rowLine(2, "cae4j train: invalid value for --lr: 0.0 (expected a positive number) (see cae4j train --help)",
                "train --lr 0");
        rowLine(2, "cae4j train: invalid value for --preset: 'resnet' (available: seed, bottleneck, keras, dense, sparse, vae-dense, vae-conv, stacked) (see cae4j train --help)", "train --preset resnet");
        Path type = Files.writeString(tmp.resolve("type.json"), "{\"encoder\": [{\"type\": \"maxpool2d\", \"kernel_size\": 2}], \"decoder\": [{\"type\": \"upsample\", \"scale_factor\": 2}]}");
        String typeMsg = run("summary", "--arch", type.toString()).err().strip();
        assertTrue(typeMsg.startsWith("cae4j summary: DIR/type.json: encoder layer 0: unknown type \"maxpool2d\" (did you mean"
                .replace("DIR", tmp.toString())), typeMsg);
        rowLine(2, shown(typeMsg), "summary --arch " + type);
        Path kernel = Files.writeString(tmp.resolve("kernel.json"), "{\"input\": \"1x12x12\", \"encoder\": [{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 15}], \"decoder\": [{\"type\": \"conv_transpose2d\", \"out_channels\": 1, \"kernel_size\": 15}]}");
        String kernelMsg = run("summary", "--arch", kernel.toString()).err().strip();
        rowLine(2, shown(kernelMsg), "summary --arch " + kernel);
        assertTrue(kernelMsg.contains("15") && kernelMsg.contains("12"), kernelMsg);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        rowLine(2, "cae4j train: output directory DIR/a-file/sub is not writable (FileSystemException: DIR/a-file/sub: Not a directory)",
                "train --data " + data + " --out " + file.resolve("sub"));
    }

    @Test
    void resume() throws IOException {
        Path bad = runCopy("bad-checkpoint");
        List<Path> cks = Checkpoints.list(bad);
        Path newest = cks.get(cks.size() - 1);
        byte[] b = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(b, b.length - 10));
        Files.delete(bad.resolve("model.safetensors"));
        rowLine(0, "warning: skipping unreadable checkpoint: " + newest.getFileName() + ": tensor 'order' data_offsets ...",
                "train --resume " + bad);
        assertTrue(Files.exists(bad.resolve("model.safetensors")), "resumed from the previous checkpoint to the end");
        Path noJson = runCopy("no-run-json");
        Files.delete(noJson.resolve("run.json"));
        rowLine(2, "cae4j train: DIR/no-run-json: not a cae4j run folder (no run.json)", "train --resume " + noJson);
        Path corrupt = runCopy("corrupt-run-json");
        Files.writeString(corrupt.resolve("run.json"), "{\"data\": \"x\",");
        rowLine(2, "cae4j train: DIR/corrupt-run-json/run.json: JSON error at byte 13: expected a string key, got end of input",
                "train --resume " + corrupt);
        Path none = runCopy("no-checkpoints");
        for (Path p : Checkpoints.list(none)) Files.delete(p);
        rowLine(2, "cae4j train: DIR/no-checkpoints: no checkpoint-*.safetensors to resume from", "train --resume " + none);
        rowLine(2, "cae4j train: --resume takes the settings the run was started with; --epochs cannot be changed (only --threads) (see cae4j train --help)", "train --resume " + run + " --epochs 9");
    }

    @Test
    void normalization() throws IOException {
        rowLine(2, "cae4j train: invalid value for --normalize: 'zscore' (expected unit, symmetric or mean-std) (see cae4j train --help)",
                "train --normalize zscore");
        rowLine(2, "cae4j train: --mean needs --std (one mean and one standard deviation per channel) (see cae4j train --help)",
                "train --mean 0.5");
        rowLine(2, "cae4j train: --mean has 3 values but --std has 1 (expected one standard deviation per mean) (see cae4j train --help)",
                "train --mean 0.5,0.5,0.5 --std 0.25");
        rowLine(2, "cae4j train: invalid value for --std: '0' (expected standard deviations > 0, comma-separated, e.g. 0.247,0.2435,0.2616) (see cae4j train --help)",
                "train --mean 0.5 --std 0");
        rowLine(2, "cae4j train: --mean and --std go with --normalize mean-std, not symmetric (see cae4j train --help)",
                "train --normalize symmetric --mean 0.5 --std 0.5");
        rowLine(2, "cae4j train: --mean and --std give 3 values each, but the images of squares/train have 1 channel; expected one value per channel, or one for all",
                "train --data " + data + " --mean 0.5,0.5,0.5 --std 0.25,0.25,0.25 --out " + tmp.resolve("o-mean"));
        Path blank = tmp.resolve("blank");
        Files.createDirectories(blank);
        for (String split : new String[] {"train", "t10k"}) {
            Files.write(blank.resolve(split + "-images-idx3-ubyte"), idx(new int[] {16, 12, 12}, new byte[16 * 144]));
            Files.write(blank.resolve(split + "-labels-idx1-ubyte"), idx(new int[] {16}, new byte[16]));
        }
        rowLine(2, "cae4j train: blank/train: channel 0 has standard deviation 0 (every pixel is 0.0), cannot normalise by it",
                "train --data " + blank + " --normalize mean-std --out " + tmp.resolve("o-blank"));
        rowLine(2, "cae4j train: --loss bce needs targets in [0, 1], but --normalize symmetric gives inputs in [-1, 1]; use --loss mse or l1, or --normalize unit (see cae4j train --help)",
                "train --loss bce --normalize symmetric");
        rowLine(2, "cae4j train: --loss bce-sum (the vae-dense preset's default) needs targets in [0, 1], but --normalize mean-std gives inputs outside [0, 1]; use --loss mse-sum or l1-sum, or --normalize unit (see cae4j train --help)",
                "train --preset vae-dense --normalize mean-std");
        rowLine(2, "cae4j train: --noise gaussian keeps pixels in [0, 1], but --normalize symmetric gives inputs in [-1, 1]; use --noise masking, or --normalize unit (see cae4j train --help)",
                "train --noise gaussian --normalize symmetric");
        ModelFile.Loaded m = ModelFile.read(model);
        Map<String, String> meta = new LinkedHashMap<>(m.metadata());
        meta.put("normalization", "zscore");
        Path norm = tmp.resolve("norm.safetensors");
        ModelFile.write(norm, m.tensors(), meta);
        rowLine(2, "cae4j reconstruct: norm.safetensors: metadata normalization = 'zscore': expected unit, symmetric or mean_std",
                reconstruct(norm));
        meta.put("normalization", "mean_std");
        meta.put("normalization_mean", "0.5,0.5,0.5");
        meta.put("normalization_std", "0.2,0.2,0.2");
        Path norm3 = tmp.resolve("norm3.safetensors");
        ModelFile.write(norm3, m.tensors(), meta);
        rowLine(2, "cae4j reconstruct: norm3.safetensors: metadata normalization_mean and normalization_std hold 3 values each, but the model's input has 1 channel; expected 1",
                reconstruct(norm3));
        Path badRun = runCopy("bad-normalize");
        Files.writeString(badRun.resolve("run.json"), Files.readString(badRun.resolve("run.json"))
                .replace("\"normalize\":\"unit\"", "\"normalize\":\"zscore\""));
        rowLine(2, "cae4j train: DIR/bad-normalize/run.json: 'normalize' is 'zscore', expected unit, symmetric or mean-std",
                "train --resume " + badRun);
        rowLine(0, "warning: the decoder ends with sigmoid, whose outputs lie in [0, 1], but inputs normalised by --normalize symmetric lie in [-1, 1], so the reconstructions cannot match them; the dense preset's output is fixed; use --arch (examples/arch/ has the presets) with a decoder that ends with tanh or identity",
                "train --data " + data + " --preset dense --normalize symmetric --epochs 1 --batch-size 16 --out " + tmp.resolve("o-dense"));
    }

    /** A .npy file of uint8 images (N, C, H, W) with arbitrary pixel values. */
    private static Path npy(String name, int n, int c, int h, int w) throws IOException {
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + n + ", " + c + ", " + h + ", " + w + "), }";
        header += " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + n * c * h * w).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) b.put((byte) (b.position() * 7));
        return Files.write(tmp.resolve(name), b.array());
    }

    @Test
    void imageShapes() throws IOException {
        rowLine(2, "cae4j train: invalid value for --resize: '64' (expected HxW, two sizes from 1 to 32768, e.g. 64x64) (see cae4j train --help)",
                "train --resize 64");
        rowLine(2, "cae4j train: --crop needs --resize (the size to crop to) (see cae4j train --help)", "train --crop");
        rowLine(2, "cae4j train: invalid value for --channels: 2 (expected 1 (grey) or 3 (RGB)) (see cae4j train --help)",
                "train --channels 2");
        Path mixed = tmp.resolve("mixed");
        Files.createDirectories(mixed);
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(12, 12, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                mixed.resolve("a.png").toFile());
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(12, 10, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                mixed.resolve("b.png").toFile());
        rowLine(2, "cae4j train: DIR/mixed/a.png is 12x12 (HxW) but DIR/mixed/b.png is 10x12; expected every image the same size, or give a resize target (--resize HxW)",
                "train --data " + mixed + " --out " + tmp.resolve("o-mixed"));
        rowLine(2, "cae4j reconstruct: squares/train: images are 3x12x12 but the model model.safetensors expects 1x12x12",
                reconstruct(model) + " --channels 3");
        Path rgb = npy("rgb.npy", 4, 3, 12, 12);
        rowLine(2, "cae4j reconstruct: rgb.npy: images are 3x12x12 but the model model.safetensors expects 1x12x12; --channels 1 converts them",
                "reconstruct --model " + model + " --data " + rgb + " --out " + tmp.resolve("rec"));
        ModelFile.Loaded m = ModelFile.read(model);
        Map<String, String> meta = new LinkedHashMap<>(m.metadata());
        meta.put("resize", "big");
        Path resize = tmp.resolve("resize.safetensors");
        ModelFile.write(resize, m.tensors(), meta);
        rowLine(2, "cae4j reconstruct: resize.safetensors: metadata 'resize' is 'big', expected HxW such as 64x64", reconstruct(resize));
    }

    /**
     * Disk full while writing a checkpoint: the run stops with one line (exit 1), the temporary file is removed, and
     * the previous checkpoint survives and loads. Needs root to mount a 64 KiB tmpfs; skipped otherwise.
     */
    @Test
    void diskFullWhileWritingACheckpoint() throws Exception {
        Path mnt = tmp.resolve("small-disk");
        Files.createDirectories(mnt);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs (needs root): " + new String(p.getInputStream().readAllBytes()));
        try {
            String[] args = {"train", "--data", data.toString(), "--epochs", "2", "--batch-size", "16", "--filters", "2",
                    "--kernel", "3", "--checkpoint-every", "1", "--out", null};
            // the same run on a roomy disk gives the sizes: leave the pages of run.json and one checkpoint, plus one,
            // so that the first checkpoint fits and the next (written while the first is kept) does not
            Path roomy = tmp.resolve("roomy-disk");
            args[args.length - 1] = roomy.toString();
            assertEquals(0, run(args).code());
            long page = 4096, ck = Files.size(Checkpoints.list(roomy).get(0)), json = Files.size(roomy.resolve("run.json"));
            long free = ((json + page - 1) / page + (ck + page - 1) / page + 1) * page;
            assertTrue(free + page < 64 * 1024 && ck > page, "checkpoint of " + ck + " bytes, run.json " + json);
            Files.write(mnt.resolve("filler"), new byte[(int) (64 * 1024 - free)]);
            Path out = mnt.resolve("run");
            args[args.length - 1] = out.toString();
            CliTest.Result r = run(args);
            assertEquals(1, r.code(), r.err() + r.out());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().matches("cae4j train: checkpoint-\\d+\\.safetensors: could not write model file: java.io.IOException: No space left on device\\s*"), r.err());
            List<Path> left = Checkpoints.list(out);
            assertFalse(left.isEmpty(), "no checkpoint left; roomy run: checkpoint " + ck + " bytes, run.json " + json
                    + ", left free " + free + "; on the small disk: " + listing(out));
            for (Path c : left) Checkpoint.load(c);   // the checkpoints written before the disk filled survive and load
            assertEquals(List.of(), Checkpoints.leftovers(out));
            noPartialFiles();
            System.out.println("disk full row: " + shown(r.err()));
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }
}
