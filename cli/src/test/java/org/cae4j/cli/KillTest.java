package org.cae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cae4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training killed (SIGKILL, {@link Process#destroyForcibly}) at random moments leaves only loadable checkpoints, and
 * resuming after every kill ends with the model an uninterrupted run writes, byte for byte. A bounded version of
 * {@code scripts/kill-test.sh}: 5 kills, each a random 0-400 ms after the process has written a new checkpoint.
 */
class KillTest {
    @TempDir
    Path tmp;

    private static final String[] ARGS = {"--epochs", "30", "--batch-size", "16", "--filters", "3", "--kernel", "3",
        "--seed", "5", "--threads", "1", "--checkpoint-every", "3", "--keep-checkpoints", "2"};

    /** java [--add-modules jdk.incubator.vector] -cp (cli, core, picocli) org.cae4j.cli.Main args... */
    private static List<String> javaMain(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        List<String> cp = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {Main.class, Checkpoint.class, picocli.CommandLine.class}) {
            cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", String.join(File.pathSeparator, cp), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static long newestStep(Path run) {
        List<Path> cks = Files.isDirectory(run) ? Checkpoints.list(run) : List.of();
        if (cks.isEmpty()) return -1;
        String n = cks.get(cks.size() - 1).getFileName().toString();
        return Long.parseLong(n.substring("checkpoint-".length(), n.indexOf('.')));
    }

    @Test
    void killedAndResumedRunsEndWithTheUninterruptedModel() throws Exception {
        Path data = tmp.resolve("squares"), ref = tmp.resolve("ref"), run = tmp.resolve("run");
        CliTest.writeData(data, 160, 40);
        String[] common = CliTest.concat(new String[] {"train", "--data", data.toString()}, ARGS);
        assertEquals(0, CliTest.run(CliTest.concat(common, "--out", ref.toString())).code());

        Random random = new Random(42);
        int kills = 0, checked = 0;
        boolean finished = false;
        for (int attempt = 0; attempt < 20 && kills < 5 && !finished; attempt++) {
            long before = newestStep(run);
            List<String> cmd = before < 0 ? javaMain(CliTest.concat(common, "--out", run.toString()))
                    : javaMain("train", "--resume", run.toString(), "--threads", "1");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("attempt-" + attempt + ".log").toFile()).start();
            // wait for a checkpoint newer than the one resumed from, then kill at a random moment after it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.isAlive() && newestStep(run) <= before && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(random.nextInt(400));
            if (!p.isAlive()) {
                assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("attempt-" + attempt + ".log")));
                finished = true;
                break;
            }
            p.destroyForcibly().waitFor();
            kills++;
            for (Path ck : Checkpoints.list(run)) {
                Checkpoint.load(ck);   // throws if a kill left a checkpoint that does not load
                checked++;
            }
        }
        assertEquals(5, kills, "the run finished before five kills; make it longer");
        assertTrue(checked >= 5, "checkpoints checked: " + checked);
        CliTest.Result r = CliTest.run("train", "--resume", run.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(ref.resolve("model.safetensors")), Files.readAllBytes(run.resolve("model.safetensors")),
                "model.safetensors after 5 kills and resumes differs from the uninterrupted run's");
        assertEquals(List.of(), Checkpoints.leftovers(run), "temporary files left after the final resume");
    }
}
