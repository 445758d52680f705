package org.cae4j.probe;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2006, algorithm 7.4 and 7.5) for a smooth
 * function of n variables: the two-loop recursion turns the last m pairs (s, y) of steps and gradient changes
 * into a search direction, and a backtracking line search with the Armijo condition f(x + t·d) ≤ f(x) + c·t·gᵀd
 * picks the step. A pair with yᵀs ≤ 0 is not stored, so the implied Hessian stays positive definite.
 * Deterministic: the same function gives the same iterates.
 */
public final class Lbfgs {
    /** f(x) and its gradient: writes ∇f(x) into {@code grad} and returns f(x). */
    @FunctionalInterface
    public interface Objective {
        double valueAndGradient(double[] x, double[] grad);
    }

    /** Called after each iteration with its number (from 1), f and the gradient's max-norm. */
    @FunctionalInterface
    public interface Listener {
        void onIteration(int iteration, double value, double gradMax);
    }

    /**
     * @param maxIterations stop after this many iterations
     * @param gradTolerance stop when max |∇f| falls below it
     * @param relTolerance  stop when an iteration lowers f by less than relTolerance·max(|f|, 1)
     * @param history       pairs kept, m
     */
    public record Config(int maxIterations, double gradTolerance, double relTolerance, int history) {
        public Config {
            if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            if (!(gradTolerance >= 0)) throw new IllegalArgumentException("gradTolerance must be >= 0, got " + gradTolerance);
            if (!(relTolerance >= 0)) throw new IllegalArgumentException("relTolerance must be >= 0, got " + relTolerance);
            if (history < 1) throw new IllegalArgumentException("history must be >= 1, got " + history);
        }

        /** 500 iterations, gradient 1e-5, relative decrease 1e-9, 10 pairs. */
        public static Config defaults() { return new Config(500, 1e-5, 1e-9, 10); }
    }

    /** Where the search ended: f, the iterations run, evaluations of f, and why it stopped. */
    public record Result(double value, int iterations, int evaluations, String stop) {}

    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 40;

    private Lbfgs() {}

    /** Minimises f starting from {@code x}, which is overwritten with the minimiser found. */
    public static Result minimize(Objective f, double[] x, Config cfg, Listener listener) {
        int n = x.length, m = cfg.history();
        double[][] s = new double[m][], y = new double[m][];
        double[] rho = new double[m], alpha = new double[m];
        int stored = 0, newest = -1;
        double[] g = new double[n], d = new double[n], xNew = new double[n], gNew = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evals = 1;
        if (!Double.isFinite(fx)) throw new IllegalArgumentException("L-BFGS: f is not finite at the start: " + fx);
        for (int it = 1; ; it++) {
            double gmax = maxAbs(g);
            if (gmax <= cfg.gradTolerance()) return new Result(fx, it - 1, evals, "gradient below tolerance");
            if (it > cfg.maxIterations()) return new Result(fx, it - 1, evals, "iteration limit");
            // two-loop recursion: d = −H·g
            System.arraycopy(g, 0, d, 0, n);
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(newest - k, m);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            double gamma = stored == 0 ? 1 / Math.max(norm(g), 1e-12) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            for (int i = 0; i < n; i++) d[i] *= gamma;
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(newest - k, m);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            for (int i = 0; i < n; i++) d[i] = -d[i];
            double slope = dot(g, d);
            if (!(slope < 0)) { // not a descent direction (numerical trouble): restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) d[i] = -g[i] / Math.max(norm(g), 1e-12);
                slope = dot(g, d);
            }
            double t = 1, fNew = Double.NaN;
            boolean accepted = false;
            for (int b = 0; b < MAX_BACKTRACKS; b++) {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
                fNew = f.valueAndGradient(xNew, gNew);
                evals++;
                if (Double.isFinite(fNew) && fNew <= fx + ARMIJO * t * slope) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if (!accepted) return new Result(fx, it - 1, evals, "line search found no decrease");
            double sy = 0, yy = 0, ss = 0;
            for (int i = 0; i < n; i++) {
                double si = xNew[i] - x[i], yi = gNew[i] - g[i];
                sy += si * yi;
                yy += yi * yi;
                ss += si * si;
            }
            if (sy > 1e-12 * Math.max(1, Math.sqrt(yy * ss))) {
                int j = (newest + 1) % m;
                if (s[j] == null) {
                    s[j] = new double[n];
                    y[j] = new double[n];
                }
                for (int i = 0; i < n; i++) {
                    s[j][i] = xNew[i] - x[i];
                    y[j][i] = gNew[i] - g[i];
                }
                rho[j] = 1 / sy;
                newest = j;
                stored = Math.min(stored + 1, m);
            }
            double decrease = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (listener != null) listener.onIteration(it, fx, maxAbs(g));
            if (decrease <= cfg.relTolerance() * Math.max(Math.abs(fx), 1)) {
                return new Result(fx, it, evals, "relative decrease below tolerance");
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
