package org.cae4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a JVM started without {@code --add-modules jdk.incubator.vector}, {@link Gemm} runs on the plain loops and never
 * touches the Vector-API class; forcing the vector kernels there fails with a message that says what to add.
 */
class GemmWithoutVectorModuleTest {

    /** Run in the child JVM: prints the implementation and the product [1 2; 3 4]·[5 6; 7 8]. */
    public static final class Child {
        public static void main(String[] args) {
            float[] C = new float[4];
            Gemm.nn(2, 2, 2, new float[] {1, 2, 3, 4}, 0, 2, new float[] {5, 6, 7, 8}, 0, 2, C, 0, 2, false);
            System.out.println(Gemm.implementation() + " " + C[0] + " " + C[1] + " " + C[2] + " " + C[3]);
        }
    }

    record Result(int exit, String out) {}

    private static Result runChild(String... props) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(props));
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    @Test
    void plainLoopsWhenTheModuleIsAbsent() throws Exception {
        Result r = runChild();
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("plain 19.0 22.0 43.0 50.0"), r.out());
        assertTrue(!r.out().contains("NoClassDefFoundError"), r.out());
    }

    @Test
    void forcingVectorWithoutTheModuleSaysWhatToAdd() throws Exception {
        Result r = runChild("-D" + Gemm.PROPERTY + "=vector");
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("cae4j.kernels=vector, but module jdk.incubator.vector is not loaded; run java with "
                + "--add-modules jdk.incubator.vector"), r.out());
    }
}
