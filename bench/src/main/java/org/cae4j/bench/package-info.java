/**
 * Benchmarks: JMH microbenchmarks of the kernels at the reference models' shapes, and whole training runs
 * whose images/second and test MSE are compared side by side with the PyTorch peer script in {@code bench/}.
 */
package org.cae4j.bench;
