package org.cae4j.ops;

/**
 * Work a convolution kernel hands back to its caller for a run of whole images, on the thread that computes them
 * and while they are still in its cache: an elementwise function fused into the pass (see
 * {@code org.cae4j.nn.FusesActivation}).
 *
 * <pre>
 * forward:   after(n0, n1) runs once images n0..n1−1 of y are complete (bias included); it may rewrite them in place
 * backward:  before(n0, n1) runs before any of images n0..n1−1 of dy is read; it writes them
 * </pre>
 * Every image of the batch is handed over exactly once, in runs that depend on the thread count and the kernel's
 * grouping; a step must therefore treat each image on its own, so that the result does not depend on the runs.
 */
@FunctionalInterface
public interface ImageStep {
    /** Works on images [n0, n1). */
    void run(int n0, int n1);
}
