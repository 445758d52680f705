package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.nn.Parameter;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Architectures described in JSON: the presets re-expressed, shape inference, and one error per kind of mistake. */
class ArchitectureTest {
    @TempDir
    Path dir;

    /** The example: a stride-2 conv to a 20-number code and back. */
    static final String SMALL = """
            {"name": "my-cae", "input": "1x28x28", "loss": "mse",
             "encoder": [{"type": "conv2d", "out_channels": 16, "kernel_size": 3, "stride": 2, "padding": 1},
                         {"type": "relu"}, {"type": "flatten"}, {"type": "linear", "out_features": 20}],
             "decoder": [{"type": "linear", "out_features": 3136}, {"type": "relu"},
                         {"type": "unflatten", "sizes": [16, 14, 14]},
                         {"type": "conv_transpose2d", "out_channels": 1, "kernel_size": 3, "stride": 2, "padding": 1,
                          "output_padding": 1},
                         {"type": "sigmoid"}]}""";

    static Path example(String name) {
        Path p = Path.of("../examples/arch", name + ".json");
        assertTrue(Files.exists(p), p.toAbsolutePath() + " missing (tests run from the core module)");
        return p;
    }

    static Autoencoder preset(String name, Rng rng) {
        switch (name) {
            case "seed": return SeedCae.build(SeedCae.Config.defaults(1, 28, 28), rng);
            case "bottleneck": return Presets.bottleneck(1, 28, 28, 20, rng);
            case "keras": return Presets.keras(1, 28, 28, rng);
            default: return Presets.dense(1, 28, 28, rng);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed", "bottleneck", "keras", "dense"})
    void examplesAreThePresetsLayerForLayerWithTheSameNamesAndWeights(String name) {
        Autoencoder want = preset(name, new Rng(7));
        Autoencoder got = Architecture.read(example(name)).build(new Rng(7));
        assertEquals(want.toString(), got.toString());
        assertEquals(want.parameterCount(), got.parameterCount());
        assertEquals(List.copyOf(want.namedParameters().keySet()), List.copyOf(got.namedParameters().keySet()));
        assertArrayEquals(want.codeShape(), got.codeShape());
        // layers are built in the same order from the same Rng, so even the initial weights agree
        for (String k : want.namedParameters().keySet()) {
            assertArrayEquals(want.namedParameters().get(k).value.data, got.namedParameters().get(k).value.data, k);
        }
        assertEquals("arch", got.architecture().get("preset"));
        assertEquals("1x28x28", got.architecture().get("input"));
    }

    @Test
    void inputSizesAreInferredAndParametersNamedAsNestedSequentials() {
        Architecture a = Architecture.parse(SMALL);
        assertEquals("my-cae", a.name());
        assertEquals("mse", a.loss());
        assertArrayEquals(new int[] {1, 28, 28}, a.input());
        Autoencoder m = a.build(new Rng(0));
        assertEquals("Autoencoder(encoder=Sequential(Conv2d(1->16, k=3, s=2, p=1), ReLU(), Flatten(), Linear(3136->20)), "
                + "decoder=Sequential(Linear(20->3136), ReLU(), Unflatten(dim=1, sizes=[16, 14, 14]), "
                + "ConvTranspose2d(16->1, k=3, s=2, p=1, output_padding=1), Sigmoid()))", m.toString());
        assertEquals("[0.0.weight, 0.0.bias, 0.3.weight, 0.3.bias, 1.0.weight, 1.0.bias, 1.3.weight, 1.3.bias]",
                m.namedParameters().keySet().toString());
        assertArrayEquals(new int[] {20}, m.codeShape());
        assertArrayEquals(new int[] {20}, a.check(new int[] {1, 28, 28}));
        // 16·9+16 + 3136·20+20 + 20·3136+3136 + 16·9+1
        assertEquals(160 + 62740 + 65856 + 145, m.parameterCount());
        // another input size replaces the declared one where the layers allow it
        Architecture conv = Architecture.parse(SMALL.replace("\"input\": \"1x28x28\", ", ""));
        assertNull(conv.input());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> conv.build(new Rng(0))).getMessage()
                .contains("declares no \"input\""));
        assertEquals(m.toString(), conv.build(new int[] {1, 28, 28}, new Rng(0)).toString());
    }

    @Test
    void everyLayerTypeBuildsTrainsAndRoundTripsThroughAModelFile() {
        String json = """
                {"name": "kitchen-sink", "input": [3, 12, 12], "init": "he_uniform", "loss": "bce",
                 "encoder": [
                   {"type": "zero_pad2d", "padding": [1, 1, 2, 0]},
                   {"type": "conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": [3, 2], "stride": [1, 1],
                    "padding": "same", "bias": false, "init": "xavier-normal"},
                   {"type": "batch_norm2d", "num_features": 4, "eps": 1e-3, "momentum": 0.2},
                   {"type": "leaky_relu", "negative_slope": 0.1},
                   {"type": "crop2d", "crop": [1, 1, 2, 0]},
                   {"type": "max_pool2d", "kernel_size": 2},
                   {"type": "elu", "alpha": 0.5},
                   {"type": "avg_pool2d", "kernel_size": 3, "stride": 1, "padding": 1, "count_include_pad": false},
                   {"type": "flatten"},
                   {"type": "dropout", "p": 0.25},
                   {"type": "linear", "in_features": 144, "out_features": 10},
                   {"type": "batch_norm1d"},
                   {"type": "tanh"}],
                 "decoder": [
                   {"type": "linear", "out_features": 36, "init": "pytorch"},
                   {"type": "softplus", "beta": 2, "threshold": 10},
                   {"type": "unflatten", "dim": 1, "sizes": [4, 3, 3]},
                   {"type": "upsample", "scale_factor": 2, "mode": "bilinear", "align_corners": true},
                   {"type": "conv_transpose2d", "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1,
                    "output_padding": 1},
                   {"type": "identity"},
                   {"type": "relu"},
                   {"type": "sigmoid"}]}""";
        Architecture a = Architecture.parse(json);
        assertEquals(Architecture.layerTypes().size(), 20);
        Autoencoder m = a.build(new Rng(3));
        assertEquals("Autoencoder(encoder=Sequential(ZeroPad2d(1, 1, 2, 0), Conv2d(3->4, k=3x2, s=1, p=same, bias=false), "
                + "BatchNorm2d(4, eps=0.001, momentum=0.2), LeakyReLU(0.1), Crop2d(1, 1, 2, 0), MaxPool2d(k=2, s=2), "
                + "ELU(alpha=0.5), AvgPool2d(k=3, s=1, p=1, count_include_pad=false), Flatten(), Dropout(p=0.25), "
                + "Linear(144->10), BatchNorm1d(10), Tanh()), decoder=Sequential(Linear(10->36), "
                + "Softplus(beta=2.0, threshold=10.0), Unflatten(dim=1, sizes=[4, 3, 3]), "
                + "Upsample(scale_factor=2, mode=bilinear, align_corners=true), ConvTranspose2d(4->3, k=3, s=2, p=1, "
                + "output_padding=1), Identity(), ReLU(), Sigmoid()))", m.toString());
        // he-uniform from the top level zeroes the first linear's bias; the decoder's linear asked for pytorch
        assertTrue(allZero(m.namedParameters().get("0.10.bias").value.data));
        assertTrue(!allZero(m.namedParameters().get("1.0.bias").value.data));

        // a few steps move the weights and the batch norm running statistics
        Tensor x = new Tensor(4, 3, 12, 12);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (0.5 + 0.5 * Math.sin(0.3 * i));
        Adam adam = Adam.adam(m.parameters(), 1e-2);
        for (int s = 0; s < 3; s++) {
            adam.zeroGrad();
            LossAndGrad lg = new MseLoss().forward(m.forward(x), x);
            m.backward(lg.grad());
            adam.step();
        }
        assertEquals("[0.2.running_mean, 0.2.running_var, 0.2.num_batches_tracked, 0.11.running_mean, "
                + "0.11.running_var, 0.11.num_batches_tracked]", m.namedBuffers().keySet().toString());
        assertEquals(3f, m.namedBuffers().get("0.2.num_batches_tracked").data[0]);

        Path f = dir.resolve("sink.safetensors");
        Models.save(f, m, Map.of());
        Models.Loaded l = Models.load(f);
        assertEquals("arch", l.metadata().get("preset"));
        assertEquals(a.toJson(new int[] {3, 12, 12}), l.metadata().get("arch"));
        assertEquals(m.toString(), l.model().toString());
        assertEquals(m.architecture(), l.model().architecture());
        for (Map.Entry<String, Tensor> b : m.namedBuffers().entrySet()) {
            assertArrayEquals(b.getValue().data, l.model().namedBuffers().get(b.getKey()).data, b.getKey());
        }
        m.train(false);
        l.model().train(false);
        assertArrayEquals(m.forward(x).data.clone(), l.model().forward(x).data);
    }

    private static boolean allZero(float[] a) {
        for (float v : a) if (v != 0) return false;
        return true;
    }

    @Test
    void theStoredJsonRebuildsTheModelWithoutTheFile() throws IOException {
        Path f = dir.resolve("arch.json");
        Files.writeString(f, SMALL);
        Autoencoder m = Architecture.read(f).build(new Rng(1));
        String stored = m.architecture().get("arch");
        assertTrue(stored.startsWith("{\"name\":\"my-cae\",\"input\":\"1x28x28\",\"loss\":\"mse\",\"encoder\":[{\"type\":"
                + "\"conv2d\",\"out_channels\":16,"), stored);
        Files.delete(f);
        Autoencoder again = Models.fromMetadata(m.architecture(), new Rng(1));
        assertEquals(m.toString(), again.toString());
        assertEquals(m.architecture(), again.architecture());
        for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
            assertArrayEquals(p.getValue().value.data, again.namedParameters().get(p.getKey()).value.data);
        }
        assertEquals(stored, Architecture.parse(stored).toJson(new int[] {1, 28, 28}), "the compact form is stable");
    }

    // ------------------------------------------------------------------ errors

    /** The message of building {@code json}, after checking that {@link Architecture#check} says the same. */
    private static String error(String json) {
        String built = assertThrows(IllegalArgumentException.class, () -> Architecture.parse(json).build(new Rng(0)))
                .getMessage();
        String checked = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse(json).check(new int[] {1, 28, 28})).getMessage();
        assertEquals(built, checked);
        return built;
    }

    /** A description with the given encoder and decoder lists (JSON text) for a 1×28×28 input. */
    private static String arch(String encoder, String decoder) {
        return "{\"input\": \"1x28x28\", \"encoder\": [" + encoder + "], \"decoder\": [" + decoder + "]}";
    }

    private static void assertMessage(String message, String... fragments) {
        for (String f : fragments) assertTrue(message.contains(f), "'" + f + "' not in: " + message);
    }

    @Test
    void unknownTypeNamesTheLayerAndListsTheTypes() {
        String m = error(arch("{\"type\": \"relu\"}, {\"type\": \"maxpool2d\", \"kernel_size\": 2}", "{\"type\": \"relu\"}"));
        assertMessage(m, "encoder layer 1: unknown type \"maxpool2d\" (did you mean max_pool2d?)",
                "types: conv2d, conv_transpose2d, linear,", "softplus");
        assertMessage(error(arch("{\"kernel_size\": 2}", "{\"type\": \"relu\"}")), "encoder layer 0: missing \"type\"");
        assertMessage(error(arch("{\"type\": \"relu\"}", "3")), "decoder layer 0: expected an object");
    }

    @Test
    void unknownKeyNamesTheLayerTheKeyAndTheAcceptedKeys() {
        String m = error(arch("{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel\": 3}", "{\"type\": \"relu\"}"));
        assertMessage(m, "encoder layer 0 (conv2d): unknown key \"kernel\" (conv2d takes in_channels, out_channels, "
                + "kernel_size, stride, padding, bias, init)");
        assertMessage(error(arch("{\"type\": \"relu\", \"inplace\": true}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (relu): unknown key \"inplace\" (relu takes no settings)");
        assertMessage(error("{\"layers\": []}"), "unknown key \"layers\"", "name, description, input, loss, init, "
                + "naming, encoder, decoder", "\"encoder\" (whose output is the code)");
    }

    @Test
    void badValueTypesNameTheLayerTheKeyWhatWasExpectedAndWhatCame() {
        assertMessage(error(arch("{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": \"3\"}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (conv2d): \"kernel_size\" must be an integer from 1 to 16777216 or a list [h, w] of "
                        + "such, got \"3\" (a string)");
        assertMessage(error(arch("{\"type\": \"relu\"}", "{\"type\": \"linear\", \"out_features\": 2.5}")),
                "decoder layer 0 (linear): \"out_features\" must be an integer from 1 to 16777216, got 2.5 (a number)");
        assertMessage(error(arch("{\"type\": \"conv2d\", \"out_channels\": 0, \"kernel_size\": 3}", "{\"type\": \"relu\"}")),
                "\"out_channels\" must be an integer from 1 to 16777216, got 0 (an integer)");
        assertMessage(error(arch("{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 3, \"padding\": \"half\"}",
                "{\"type\": \"relu\"}")), "\"padding\" must be", "\"same\", \"valid\" or \"full\", got \"half\" (a string)");
        assertMessage(error(arch("{\"type\": \"max_pool2d\", \"kernel_size\": 2, \"ceil_mode\": 1}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (max_pool2d): \"ceil_mode\" must be true or false, got 1 (an integer)");
        assertMessage(error(arch("{\"type\": \"upsample\", \"scale_factor\": 2, \"mode\": \"bicubic\"}", "{\"type\": \"relu\"}")),
                "\"mode\" must be one of \"nearest\", \"bilinear\", got \"bicubic\"");
        assertMessage(error(arch("{\"type\": \"dropout\", \"p\": 1.5}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (dropout): \"p\" must be a probability from 0 to 1, got 1.5 (a number)");
        assertMessage(error(arch("{\"type\": \"conv2d\", \"out_channels\": 4}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (conv2d): missing \"kernel_size\"");
        assertMessage(error(arch("{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 3, \"init\": \"glorot\"}",
                "{\"type\": \"relu\"}")), "encoder layer 0 (conv2d): \"init\": unknown init 'glorot'");
        assertMessage(error("{\"input\": \"1x28\", \"encoder\": [{\"type\": \"relu\"}], \"decoder\": [{\"type\": \"relu\"}]}"),
                "input shape '1x28': expected CxHxW");
        assertMessage(error("{\"loss\": \"hinge\", \"encoder\": [{\"type\": \"relu\"}], \"decoder\": [{\"type\": \"relu\"}]}"),
                "\"loss\": unknown loss 'hinge'");
        assertMessage(error("{\"name\": \"../x\", \"encoder\": [{\"type\": \"relu\"}], \"decoder\": [{\"type\": \"relu\"}]}"),
                "\"name\" must be 1 to 64 letters");
        assertMessage(error("{\"encoder\": [{\"type\": \"relu\"}]}"), "missing \"decoder\"");
        assertMessage(error("{\"encoder\": [], \"decoder\": [{\"type\": \"relu\"}]}"), "\"encoder\" must have 1 to 1000 layers, got 0");
        assertMessage(error("[1, 2]"), "an architecture is a JSON object", "got [1,2] (a list)");
        assertMessage(error("{\"encoder\": [{\"type\": \"relu\"},]}"), "JSON error at byte");
    }

    @Test
    void aLayerThatCannotTakeItsInputNamesItselfAndBothShapes() {
        String conv = "{\"type\": \"conv2d\", \"out_channels\": 16, \"kernel_size\": 3, \"stride\": 2, \"padding\": 1}, "
                + "{\"type\": \"relu\"}, {\"type\": \"conv2d\", \"out_channels\": 32, \"kernel_size\": 3, \"stride\": 2}";
        assertEquals("encoder layer 3 (linear): expected input (N, 1568), got (N, 32, 6, 6); put {\"type\": \"flatten\"} "
                + "before it", error(arch(conv + ", {\"type\": \"linear\", \"in_features\": 1568, \"out_features\": 20}",
                        "{\"type\": \"relu\"}")));
        assertEquals("encoder layer 4 (linear): expected input (N, 1568), got (N, 1152)", error(arch(conv
                + ", {\"type\": \"flatten\"}, {\"type\": \"linear\", \"in_features\": 1568, \"out_features\": 20}",
                "{\"type\": \"relu\"}")));
        assertEquals("encoder layer 1 (conv2d): expected input (N, C, H, W), got (N, 784)", error(arch(
                "{\"type\": \"flatten\"}, {\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 3}", "{\"type\": \"relu\"}")));
        assertEquals("encoder layer 0 (conv2d): expected input (N, 3, H, W), got (N, 1, 28, 28)", error(arch(
                "{\"type\": \"conv2d\", \"in_channels\": 3, \"out_channels\": 4, \"kernel_size\": 3}", "{\"type\": \"relu\"}")));
        assertMessage(error(arch("{\"type\": \"max_pool2d\", \"kernel_size\": 8}, {\"type\": \"conv2d\", \"out_channels\": 4, "
                + "\"kernel_size\": 5}", "{\"type\": \"relu\"}")), "encoder layer 1 (conv2d): ",
                "kernel 5x5 is larger than the padded input 3x3", "(N, 1, 3, 3)");
        assertMessage(error(arch("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out_features\": 20}",
                "{\"type\": \"unflatten\", \"sizes\": [32, 7, 7]}")), "decoder layer 0 (unflatten): ", "1568", "(N, 20)");
        assertMessage(error(arch("{\"type\": \"flatten\"}", "{\"type\": \"batch_norm2d\"}")),
                "decoder layer 0 (batch_norm2d): expected input (N, C, H, W), got (N, 784)");
        assertMessage(error(arch("{\"type\": \"conv_transpose2d\", \"out_channels\": 2, \"kernel_size\": 3, \"stride\": 2, "
                + "\"output_padding\": 2}", "{\"type\": \"relu\"}")), "encoder layer 0 (conv_transpose2d): ",
                "\"output_padding\" must be smaller than \"stride\", got output_padding 2 and stride 2");
    }

    @Test
    void aDecoderThatDoesNotReturnTheInputShapeIsRefusedWithBothShapes() {
        assertEquals("decoder output (1, 27, 27) does not match the input (1, 28, 28) (the code is (4, 14, 14))",
                error(arch("{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 2, \"stride\": 2}",
                        "{\"type\": \"conv_transpose2d\", \"out_channels\": 1, \"kernel_size\": 2, \"stride\": 2, "
                                + "\"padding\": 1, \"output_padding\": 1}")));
    }

    @Test
    void oversizedArchitecturesAreRefusedBeforeAllocating() {
        // 784 · 2^24 weights would be 52 GB; refused on arithmetic alone
        assertMessage(error(arch("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out_features\": 16777216}",
                "{\"type\": \"relu\"}")), "encoder layer 1 (linear): needs 13170114560 parameters",
                "limit of 268435456", "(input (N, 784))");
        // the limit is on the total, checked before any layer is made: 157,000,000 + 200,001,000 > 2^28
        assertMessage(error(arch("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out_features\": 200000}",
                "{\"type\": \"linear\", \"out_features\": 1000}")), "decoder layer 0 (linear): needs 200001000 parameters");
        assertMessage(error(arch("{\"type\": \"upsample\", \"scale_factor\": 16777216}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (upsample): ", "(N, 1, 28, 28)");
        assertMessage(error(arch("{\"type\": \"upsample\", \"scale_factor\": 1000}", "{\"type\": \"relu\"}")),
                "encoder layer 0 (upsample): output (N, 1, 28000, 28000) has more than 268435456");
        StringBuilder many = new StringBuilder("{\"type\": \"relu\"}");
        for (int i = 0; i < Architecture.MAX_LAYERS; i++) many.append(", {\"type\": \"relu\"}");
        assertMessage(error(arch(many.toString(), "{\"type\": \"relu\"}")), "\"encoder\" must have 1 to 1000 layers, got 1001");
    }

    @Test
    void filesAreNamedInErrorsAndMustBeSmall() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, arch("{\"type\": \"relu\"}", "{\"type\": \"nope\"}"));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Architecture.read(f)).getMessage(),
                f + ": decoder layer 0: unknown type \"nope\"");
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[Architecture.MAX_FILE_BYTES + 1]);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Architecture.read(big)).getMessage(),
                "big.json: 1048577 bytes, more than the 1048576");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Architecture.read(dir.resolve("none.json")))
                .getMessage(), "none.json: no such file");
    }

    @Test
    void everyLayerTypeIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf("## Describing an architecture in JSON");
        assertTrue(at >= 0, "README section missing");
        String section = readme.substring(at);
        for (String type : Architecture.layerTypes()) {
            assertTrue(section.contains("`" + type + "`"), type);
            for (String key : Architecture.layerKeys(type)) assertTrue(section.contains(key), type + " " + key);
        }
    }

}
