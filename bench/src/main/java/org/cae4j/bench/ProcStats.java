package org.cae4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's /proc says about this process and the machine: peak resident memory, and how much CPU
 * <em>other</em> processes used during a stretch of time (on a shared machine, the noise in a measurement).
 * Off Linux every figure is NaN.
 */
final class ProcStats {
    /** Clock ticks per second of /proc/stat and /proc/self/stat (USER_HZ, 100 on every Linux ABI Java runs on). */
    private static final double USER_HZ = 100;

    private ProcStats() {}

    /** Peak resident set size (VmHWM) in MiB, NaN if unavailable. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    // "VmHWM:    123456 kB"
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: report NaN
        }
        return Double.NaN;
    }

    /** A running measurement of wall time and of CPU time used by other processes; see {@link #stop}. */
    static final class OtherCores {
        private final long t0 = System.nanoTime();
        private final long busy0 = machineBusy(), own0 = ownTicks();

        /** Wall seconds since the start and the other processes' CPU use over them, in cores (0 .. #CPUs). */
        double[] stop() {
            long busy1 = machineBusy(), own1 = ownTicks();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cores = busy0 < 0 || own0 < 0 || busy1 < 0 || own1 < 0 ? Double.NaN
                    : Math.max(0, ((busy1 - busy0) - (own1 - own0)) / USER_HZ / wall);
            return new double[] {wall, cores};
        }
    }

    /** Busy ticks of all CPUs: /proc/stat "cpu" line, user..steal minus idle and iowait; −1 if unavailable. */
    private static long machineBusy() {
        try (var r = Files.newBufferedReader(Path.of("/proc/stat"))) {
            String[] f = r.readLine().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8; i++) busy += Long.parseLong(f[i]);
            return busy - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's utime + stime ticks, all threads; −1 if unavailable. */
    private static long ownTicks() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            // fields after the ")" that closes the command name: state is [0], utime [11], stime [12]
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
