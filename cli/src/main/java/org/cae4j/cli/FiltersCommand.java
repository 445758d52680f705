package org.cae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cae4j.model.Autoencoder;
import org.cae4j.model.Models;
import org.cae4j.viz.Pictures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cae4j filters}: draws a trained model's first-layer filters. */
@Command(name = "filters", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws the learned encoder filters of a model, one tile each, into a PNG.")
final class FiltersCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors.")
    Path model;

    @Option(names = "--out", defaultValue = "filters.png", paramLabel = "PNG", description = "Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Autoencoder ae = Models.load(model).model();
        Pictures.filters(out, RunFolder.firstFilters(ae));
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
