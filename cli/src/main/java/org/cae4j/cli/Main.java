package org.cae4j.cli;

import java.io.PrintWriter;
import org.cae4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cae4j} command. Exit codes: 0 success, 1 failure while running, 2 a usage or input error (bad
 * option, unreadable data, corrupt model), reported as one line without a stack trace.
 */
@Command(name = "cae4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional autoencoders for the JVM: train on unlabelled images, reconstruct, reuse the filters.",
        subcommands = {TrainCommand.class, ReconstructCommand.class, EncodeCommand.class, ProbeCommand.class, ScoreCommand.class,
                AnomalyBenchmarkCommand.class, LatentCommand.class, SummaryCommand.class, InfoCommand.class, ExportCommand.class,
                FiltersCommand.class, ActivationsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a usage or input error. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: expected train, reconstruct, encode, probe, score, "
                + "anomaly-benchmark, latent, summary, info, export, filters or activations");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; the tests call this instead of main. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandName();
            String full = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(cmd.equals("cae4j") ? "cae4j: " + ex.getMessage() + " (see cae4j --help)"
                    : full + ": " + ex.getMessage() + " (see " + full + " --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String name = c.getCommandSpec().qualifiedName();
            // messages can echo text from files (names, metadata): escape control characters, so it stays one line
            String message = org.cae4j.io.Json.printable(String.valueOf(ex.getMessage()));
            if (ex instanceof IllegalArgumentException) {
                err.println(name + ": " + message);
                return USAGE;
            }
            if (ex instanceof Trainer.DivergedException) {
                err.println(name + ": training diverged: " + message);
                return 1;
            }
            if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                err.println(name + ": " + message);
                return 1;
            }
            err.println(name + ": internal error: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("cae4j: out of memory (" + e.getMessage() + "); lower --batch-size or give the JVM more heap, "
                    + "e.g. CAE4J_HEAP=8g ./cae4j ...");
            return 1;
        }
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cae4j " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + ", " + (Kernels.vectorApi() ? "Vector API present" : "no Vector API")};
        }
    }
}
