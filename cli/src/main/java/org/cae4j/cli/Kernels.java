package org.cae4j.cli;

/** What the command line reports about the kernels in use. */
final class Kernels {
    private Kernels() {}

    /** True when the {@code jdk.incubator.vector} module was added to this JVM. */
    static boolean vectorApi() { return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(); }
}
