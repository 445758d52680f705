package org.cae4j.cli;

import static org.cae4j.cli.CliTest.run;
import static org.cae4j.cli.CliTest.usageError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.cae4j.io.ModelFile;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.nn.Sequential;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cae4j export --part}: a trained model's encoder or decoder as its own file, refused where a whole model is needed. */
class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void exportedPartsComputeWhatTheModelComputesAndAreRefusedByReconstructAndEncode() throws IOException {
        Path data = tmp.resolve("squares"), out = tmp.resolve("run");
        CliTest.writeData(data, 32, 8);
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "1", "--batch-size", "16", "--filters", "3",
                "--kernel", "3", "--out", out.toString()).code());
        Path m = out.resolve("model.safetensors"), enc = tmp.resolve("enc.safetensors"), dec = tmp.resolve("dec.safetensors");
        CliTest.Result r = run("export", "--model", m.toString(), "--part", "encoder", "--out", enc.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote the encoder of model.safetensors (30 parameters, code [3, 14, 14])"), r.out());
        assertEquals(0, run("export", "--model", m.toString(), "--part", "decoder", "--out", dec.toString()).code());
        assertEquals("encoder", ModelFile.read(enc).metadata().get("part"));
        assertEquals("3x14x14", ModelFile.read(dec).metadata().get("code_shape"));

        Autoencoder ae = Models.load(m).model();
        ae.train(false);
        Tensor x = new Tensor(2, 1, 12, 12);
        for (int i = 0; i < x.size(); i++) x.data[i] = (i % 13) / 13f;
        Sequential e = Models.loadPart(enc, "encoder"), d = Models.loadPart(dec, "decoder");
        Tensor code = e.forward(x).copy();
        assertArrayEquals(ae.encode(x).data, code.data);
        assertArrayEquals(ae.forward(x).data, d.forward(code).data);

        usageError(run("reconstruct", "--model", enc.toString(), "--data", data.toString()), "enc.safetensors",
                "holds only the encoder", "whole model");
        usageError(run("encode", "--model", dec.toString(), "--data", data.toString(), "--out", tmp.resolve("f.npy").toString()),
                "dec.safetensors", "holds only the decoder");
        usageError(run("export", "--model", enc.toString(), "--part", "decoder", "--out", tmp.resolve("x.safetensors").toString()),
                "enc.safetensors", "holds only the encoder");
        usageError(run("export", "--model", m.toString(), "--part", "middle", "--out", tmp.resolve("x.safetensors").toString()),
                "--part", "middle", "encoder or decoder");
        usageError(run("export", "--model", m.toString(), "--out", tmp.resolve("x.safetensors").toString()), "--part");
    }
}
