package org.cae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cae4j.io.ModelFile;
import org.cae4j.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cae4j info FILE}: what a model or checkpoint file holds, read without building anything. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints what a model or checkpoint file holds: its metadata and every tensor's name, shape and size.")
final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A .safetensors model or checkpoint.")
    Path file;

    @Override
    public Integer call() throws java.io.IOException {
        ModelFile.Loaded f = ModelFile.read(file);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s: %,d bytes%n", file, Files.size(file));
        o.println("metadata:");
        for (Map.Entry<String, String> e : f.metadata().entrySet()) o.printf("  %-20s %s%n", e.getKey(), e.getValue());
        long total = 0;
        o.println("tensors:");
        for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
            o.printf("  %-28s %-18s %,d%n", e.getKey(), e.getValue().shapeString(), e.getValue().size());
            total += e.getValue().size();
        }
        o.printf("%d tensors, %,d values%n", f.tensors().size(), total);
        o.flush();
        return 0;
    }
}
