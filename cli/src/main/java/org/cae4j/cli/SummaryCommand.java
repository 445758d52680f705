package org.cae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.cae4j.model.Architecture;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.nn.Layer;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Sequential;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j summary}: a Keras-style table of an architecture's layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the layers of an architecture with their output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", defaultValue = "seed", description = "Architecture: seed, bottleneck, keras, dense or stacked. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--code", defaultValue = "20", paramLabel = "D", description = "Bottleneck preset: code size. Default: ${DEFAULT-VALUE}.")
    int code;

    @Option(names = "--model", paramLabel = "FILE", description = "Summarise a trained model file instead of a preset.")
    Path model;

    @Option(names = "--arch", paramLabel = "FILE", description = "Summarise an architecture described in a JSON file.")
    Path arch;

    @Option(names = "--input", defaultValue = "1x28x28", paramLabel = "CxHxW",
            description = "Input shape. Default: the --arch file's \"input\", else ${DEFAULT-VALUE}.")
    String input;

    @Option(names = "--filters", defaultValue = "16", split = ",", paramLabel = "n", description = "Seed preset: filters; stacked "
            + "preset: one count per layer. Default: 16 (seed), 16,8 (stacked).")
    int[] filters;

    @Option(names = "--pooling", defaultValue = "max", paramLabel = "KIND", description = "Stacked preset: max or none. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--kernel", defaultValue = "5", paramLabel = "2k+1", description = "Seed preset: filter size. Default: ${DEFAULT-VALUE}.")
    int kernel;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "s", description = "Seed preset: stride. Default: ${DEFAULT-VALUE}.")
    int stride;

    @Override
    public Integer call() {
        Autoencoder ae;
        String title = null;
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (arch != null) {
            for (String other : new String[] {"--preset", "--model", "--code", "--filters", "--kernel", "--stride", "--pooling"}) {
                if (given.hasMatchedOption(other)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--arch and " + other
                            + " are mutually exclusive (the file describes the whole architecture)");
                }
            }
            Architecture a = Architecture.read(arch);
            title = (a.name() != null ? a.name() : String.valueOf(arch.getFileName()))
                    + (a.loss() != null ? ", loss " + a.loss() : "");
            int[] shape;
            try {
                shape = given.hasMatchedOption("--input") || a.input() == null ? Models.parseShape(input) : a.input();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --input: " + e.getMessage());
            }
            try {
                ae = a.build(shape, new org.cae4j.tensor.Rng(0));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(arch + ": " + e.getMessage(), e);
            }
        } else if (model != null) {
            ae = Models.load(model).model();
        } else {
            if (!java.util.List.of("seed", "bottleneck", "keras", "dense", "stacked").contains(preset)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --preset: '" + preset
                        + "' (available: " + org.cae4j.model.Presets.NAMES + ", stacked)");
            }
            if (!preset.equals("stacked") && filters.length != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --filters: "
                        + Arrays.toString(filters) + " (one count; a list of several is for the stacked preset)");
            }
            if (!pooling.equals("max") && !pooling.equals("none")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --pooling: '" + pooling
                        + "' (expected max or none)");
            }

            try {
                Models.parseShape(input);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --input: " + e.getMessage());
            }
            java.util.Map<String, String> meta = new java.util.LinkedHashMap<>();
            meta.put("preset", preset);
            meta.put("code", Integer.toString(code));
            meta.put("input", input);
            meta.put("filters", Integer.toString(filters[0]));
            meta.put("kernel", Integer.toString(kernel));
            meta.put("stride", Integer.toString(stride));
            meta.put("encoder_activation", "tanh");
            meta.put("decoder_activation", "sigmoid");
            if (preset.equals("stacked")) {
                int[] f = given.hasMatchedOption("--filters") ? filters : new int[] {16, 8};
                StringBuilder b = new StringBuilder();
                for (int n : f) b.append(b.length() == 0 ? "" : ",").append(n);
                meta.put("filters", b.toString());
                meta.put("pooling", pooling);
            }
            try {
                ae = Models.fromMetadata(meta, new org.cae4j.tensor.Rng(0));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), preset + " for input " + input + ": " + e.getMessage());
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        if (title != null) o.printf("Model: %s%n", title);
        String rule = "-".repeat(90);
        o.printf("%-58s %-20s %10s%n", "Layer (type)", "Output shape", "Param #");
        o.println(rule.replace('-', '='));
        o.printf("%-58s %-20s %10s%n", "input", shape(ae.inputShape()), "0");
        int[] s = ae.inputShape();
        int index = 0;
        for (Sequential part : new Sequential[] {ae.encoder(), ae.decoder()}) {
            o.println(rule);
            o.println(part == ae.encoder() ? "encoder" : "decoder");
            for (Layer l : part.layers()) {
                s = l.outputShape(s);
                long n = 0;
                for (Parameter p : l.parameters()) n += p.value.size();
                o.printf("%-58s %-20s %,10d%n", index++ + ": " + l, shape(s), n);
            }
            if (part == ae.encoder()) o.printf("%-58s %-20s%n", "  code", shape(s));
        }
        o.println(rule.replace('-', '='));
        o.printf("Total params: %,d%n", ae.parameterCount());
        o.flush();
        return 0;
    }

    private static String shape(int[] s) {
        return Arrays.toString(s).replace("[", "(N, ").replace("]", ")");
    }
}
