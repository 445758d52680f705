package org.cae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j export}: one part of a trained model, the encoder or the decoder, as its own model file. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the encoder (image -> code) or the decoder (code -> image) of a trained model into its own "
                + "safetensors file, with metadata naming the part and the code shape (Models.loadPart reads it).",
                "Part files cannot be used by reconstruct or encode, which need the whole model."})
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors written by cae4j train.")
    Path model;

    @Option(names = "--part", required = true, paramLabel = "PART", description = "encoder or decoder.")
    String part;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The part file to write (replaced atomically).")
    Path out;

    @Override
    public Integer call() {
        if (!part.equals("encoder") && !part.equals("decoder")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid value for --part: '" + part + "' (expected encoder or decoder)");
        }
        if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is the --model file itself");
        }
        Models.Loaded loaded = Models.load(model);
        Autoencoder ae = loaded.model();
        RunFolder.prepare(out.toAbsolutePath().getParent());
        Map<String, String> extra = new java.util.LinkedHashMap<>(loaded.metadata());
        extra.put("exported_from", String.valueOf(model.getFileName()));
        Models.savePart(out, ae, part, extra);
        Sequential layers = part.equals("encoder") ? ae.encoder() : ae.decoder();
        long n = 0;
        for (Parameter p : layers.namedParameters("").values()) n += p.value.size();
        int[] code = ae.codeShape();
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote the %s of %s (%d parameters, code %s) to %s%n", part,
                model.getFileName(), n, java.util.Arrays.toString(code), out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
