package org.cae4j.bench;

import java.util.concurrent.TimeUnit;
import org.cae4j.ops.Conv;
import org.cae4j.ops.ConvGeometry;
import org.cae4j.ops.Padding;
import org.cae4j.ops.Parallel;
import org.cae4j.ops.Workspace;
import org.cae4j.tensor.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Conv#conv2dForward} and {@link Conv#conv2dBackward} on model A's two layers, a batch
 * of 64 per call, with 1 and 2 {@link Parallel} threads. Scores are images per second.
 *
 * <pre>
 *   conv1: x (64,1,28,28)  ∗ w (16,1,5,5), pad 4 → y (64,16,32,32)
 *   conv2: x (64,16,32,32) ∗ w (1,16,5,5), valid → y (64,1,28,28)
 * </pre>
 * Backward does what training does: it adds into dw and db and, for conv2 only, writes dx (conv1 is the first
 * layer, so its input gradient is never needed).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvBench {
    /** Images per call. */
    static final int BATCH = 64;

    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    ConvGeometry g;
    float[] x, w, b, y, dx, dw, db, dy;
    final Workspace ws = new Workspace();

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        switch (layer) {
            case "conv1": g = ConvGeometry.of(1, 28, 28, 16, 5, 1, Padding.full()); break;
            case "conv2": g = ConvGeometry.of(16, 32, 32, 1, 5, 1, Padding.valid()); break;
            default: throw new IllegalArgumentException("layer: expected conv1 or conv2, got " + layer);
        }
        Rng rng = new Rng(42);
        x = random(BATCH * g.inSize(), rng);
        w = random(g.weightSize(), rng);
        b = random(g.K(), rng);
        y = new float[BATCH * g.outSize()];
        dy = random(BATCH * g.outSize(), rng);
        dw = new float[g.weightSize()];
        db = new float[g.K()];
        dx = layer.equals("conv1") ? null : new float[BATCH * g.inSize()];
    }

    private static float[] random(int n, Rng rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextFloat() * 2 - 1;
        return v;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forward() {
        Conv.conv2dForward(y, x, w, b, BATCH, g, ws);
        return y;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] backward() {
        Conv.conv2dBackward(dx, dw, db, dy, x, w, BATCH, g, ws);
        return dw;
    }
}
