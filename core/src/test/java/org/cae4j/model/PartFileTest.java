package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.cae4j.io.ModelFile;
import org.cae4j.io.ModelFormatException;
import org.cae4j.nn.Sequential;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An encoder or decoder exported alone computes what it computed inside the whole model. */
class PartFileTest {
    @TempDir
    Path dir;

    private static Tensor images(int n, int[] s) {
        Tensor x = new Tensor(n, s[0], s[1], s[2]);
        for (int i = 0; i < x.size(); i++) x.data[i] = (i * 7 % 23) / 23f;
        return x;
    }

    private void roundTrip(Autoencoder ae) {
        ae.train(false);
        Tensor x = images(3, ae.inputShape());
        Tensor code = ae.encode(x).copy(), recon = ae.forward(x).copy();
        Path enc = dir.resolve("encoder.safetensors"), dec = dir.resolve("decoder.safetensors");
        Models.savePart(enc, ae, "encoder", Map.of());
        Models.savePart(dec, ae, "decoder", Map.of());
        Map<String, String> meta = ModelFile.read(enc).metadata();
        assertEquals("encoder", meta.get("part"));
        assertEquals(String.join("x", java.util.Arrays.stream(ae.codeShape()).mapToObj(Integer::toString).toList()),
                meta.get("code_shape"));
        Sequential e = Models.loadPart(enc, "encoder"), d = Models.loadPart(dec, "decoder");
        Tensor c2 = e.forward(x).copy();
        assertArrayEquals(code.data, c2.data, ae.architecture().toString());
        assertArrayEquals(recon.data, d.forward(c2).data, ae.architecture().toString());
    }

    @Test
    void encoderAndDecoderPartsReproduceTheWholeModel() {
        SeedCae.Config seed = SeedCae.Config.defaults(1, 8, 8).withFilters(3).withKernel(3);
        roundTrip(SeedCae.build(seed, new Rng(1)));
        roundTrip(SeedCae.build(seed.withTied(true).withStride(2), new Rng(2)));   // the decoder carries the shared weight
        roundTrip(Presets.bottleneck(1, 8, 8, 5, new Rng(3)));
        roundTrip(Presets.dense(1, 4, 4, true, new Rng(4)));
        roundTrip(Architecture.parse("{\"encoder\":[{\"type\":\"conv2d\",\"out_channels\":2,\"kernel_size\":3,"
                + "\"padding\":1},{\"type\":\"batch_norm2d\"},{\"type\":\"relu\"}],\"decoder\":[{\"type\":\"conv2d\","
                + "\"out_channels\":1,\"kernel_size\":3,\"padding\":1}]}").build(new int[] {1, 6, 6}, new Rng(5)));
    }

    @Test
    void partFilesAndWholeModelsAreNotMistakenForEachOther() {
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 8, 8).withFilters(2).withKernel(3), new Rng(0));
        Path enc = dir.resolve("enc.safetensors"), whole = dir.resolve("model.safetensors");
        Models.savePart(enc, ae, "encoder", Map.of());
        Models.save(whole, ae, Map.of());
        assertEquals("enc.safetensors: holds only the encoder of a model (written by 'cae4j export --part'); this needs"
                + " the whole model, e.g. the run's model.safetensors",
                assertThrows(ModelFormatException.class, () -> Models.load(enc)).getMessage());
        assertEquals("enc.safetensors: holds the encoder, not the decoder",
                assertThrows(ModelFormatException.class, () -> Models.loadPart(enc, "decoder")).getMessage());
        assertEquals("model.safetensors: is a whole model, not a part file; write one with 'cae4j export --model "
                + "model.safetensors --part encoder --out FILE'",
                assertThrows(ModelFormatException.class, () -> Models.loadPart(whole, "encoder")).getMessage());
        assertEquals("part must be encoder or decoder, got 'middle'",
                assertThrows(IllegalArgumentException.class, () -> Models.loadPart(enc, "middle")).getMessage());
    }
}
